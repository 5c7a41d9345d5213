"""Signals and critical sections: how a stopping signal reaches the outputs.

The CLI's handler (priorsearch.cli.main) records every signal here and raises
:class:`~priorsearch.errors.Interrupted`; inside a critical section (creating a temporary
and recording it, or renaming a batch) it defers the signal instead, and the section
raises it when it ends.  priorsearch.outputs asks :func:`stop_if_signalled` before it
renames anything, so an interrupt that some library swallowed still stops every output.
"""
from __future__ import annotations

__all__ = ["critical", "defer_signal", "in_critical", "note_signal", "forget_signals", "stop_if_signalled"]

import contextlib

from .errors import Interrupted

# The CLI's signal handler (priorsearch.cli.main) raises Interrupted; inside a critical
# section (creating a temporary and recording it, or renaming a batch) it records the
# signal instead, and the section raises it when it ends, so a temporary is never
# created without being known and a batch is never renamed half way.

_critical_depth = 0
_deferred: list[int] = []
# Every signal the handler saw.  The Interrupted it raises can be swallowed by code it
# lands in (a __del__, a callback in a C library), and the command then runs on; so no
# output is renamed into place once a signal has been seen, whatever became of it.
_signalled: list[int] = []


def note_signal(signum: int) -> None:
    """Record that a stopping signal arrived; from now on no output is renamed into place.

    Parameters
    ----------
    signum : int
        The signal number.
    """
    _signalled.append(signum)


def forget_signals() -> None:
    """Forget the signals :func:`note_signal` recorded (at the end of a CLI call, so the
    next in-process call starts clean)."""
    _signalled.clear()
    _deferred.clear()


def stop_if_signalled() -> None:
    """Raise :class:`~priorsearch.errors.Interrupted` if a signal has been seen (before an
    output is renamed into place)."""
    if _signalled:
        raise Interrupted(_signalled[0])


def in_critical() -> bool:
    """Whether a critical section (see :func:`critical`) is running."""
    return _critical_depth > 0


def defer_signal(signum: int) -> None:
    """Record a signal that arrived inside a critical section; it is raised as
    :class:`~priorsearch.errors.Interrupted` when the section ends.

    Parameters
    ----------
    signum : int
        The signal number.
    """
    _deferred.append(signum)


@contextlib.contextmanager
def critical():
    """A block the CLI's signal handler does not interrupt: a signal arriving inside is
    raised when the outermost such block ends."""
    global _critical_depth
    _critical_depth += 1
    try:
        yield
    finally:
        _critical_depth -= 1
        if _critical_depth == 0 and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            raise Interrupted(signum)
