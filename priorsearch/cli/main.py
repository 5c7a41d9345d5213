"""Command line: ``priorsearch COMMAND ...``.

Exit status: 0 on success, 2 on bad input (one line ``path:line:col: error: ...`` or
``error: ...`` on stderr, no traceback, no partial output file), 1 on an internal failure.
Importing this module only defines things; :func:`main` does the work.
"""
from __future__ import annotations

__all__ = ["main", "build_parser"]

import argparse
import contextlib
import errno
import os
import signal
import sys
import threading

from ..errors import InputError, Interrupted
from ..interrupts import defer_signal, forget_signals, in_critical, note_signal
from ..outputs import remove_leftovers
from .._version import __version__
from . import boundary, figures, phase, rank, search, uncertainty, validate

#: command name -> module in priorsearch.cli (each has HELP, add_arguments, run)
#: command name -> its module (``HELP``, ``add_arguments(parser)``, ``run(args)``), in --help order
COMMANDS = {"rank": rank, "validate": validate, "search": search, "phase": phase, "boundary": boundary,
            "figures": figures, "uncertainty": uncertainty}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and raise InputError (exit 2)."""

    def error(self, message):
        raise InputError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The ``priorsearch`` argument parser, one sub-command per entry of ``COMMANDS``.

    Returns
    -------
    argparse.ArgumentParser
    """

    parser = _Parser(prog="priorsearch", description=(
        "Which program does a mix of a simplicity prior and a speed prior favour: an honest "
        "mesaoptimizer or a deceptive one?"))

    parser.add_argument("--version", action="version", version=f"priorsearch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module in COMMANDS.items():
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


class _Signals:
    """SIGINT, SIGTERM and SIGHUP all stop a command the same way: the first one raises
    :class:`~priorsearch.errors.Interrupted` (deferred while outputs are being renamed,
    see priorsearch.interrupts.critical), so every temporary file is removed on the way
    out (main removes any temporary left after that).  A signal the
    process was started ignoring (nohup, ``cmd &``) stays ignored."""

    NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self):
        self.received = None
        self.old = {}

    def install(self):
        if threading.current_thread() is not threading.main_thread():
            return self  # signal handlers can only be set from the main thread
        for name in self.NAMES:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN:
                continue
            self.old[signum] = previous
            signal.signal(signum, self.handle)
        return self

    def restore(self):
        for signum, previous in self.old.items():
            signal.signal(signum, previous)
        self.old.clear()

    def handle(self, signum, frame):
        if self.received is None:
            self.received = signum
        note_signal(signum)
        if in_critical():
            defer_signal(signum)
            return
        raise Interrupted(signum)


def _interrupt_of(exc, signals):
    """The signal number behind ``exc``, or None: an interrupt that landed inside a
    compiled kernel surfaces as another exception (Numba's dispatcher turns it into
    ``SystemError: ... returned a result with an exception set``), so the signal the
    handler recorded decides, and the exception chain when no handler of ours ran."""
    if signals.received is not None:
        return signals.received
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt):
            return getattr(exc, "signum", signal.SIGINT)
        exc = exc.__cause__ or exc.__context__
    return None


def interrupted_status(signum) -> int:
    """Exit status and message of an interrupt: 130 ``error: interrupted`` for SIGINT,
    128 + signum ``error: interrupted (SIGTERM)`` for the others (the shell convention)."""
    name = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
    print("error: interrupted" if signum == signal.SIGINT else f"error: interrupted ({name})", file=sys.stderr)
    return 128 + int(signum)


def main(argv=None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : list of str or None
        The arguments after the program name (None: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 for bad input (one line on stderr), 1 for an internal error,
        130 on Ctrl-C and 128 + the signal number on SIGTERM or SIGHUP.
    """
    signals = _Signals().install()
    restore_stdout = _lossless_stdout()
    try:
        return _run(argv, signals)
    finally:
        signals.restore()
        remove_leftovers()
        forget_signals()
        restore_stdout()


def _run(argv, signals) -> int:
    try:
        args = build_parser().parse_args(argv)
        status = args.run(args)
        sys.stdout.flush()  # a full disk behind stdout shows here, not at interpreter exit
        if signals.received is not None:  # a signal deferred to the very end
            return interrupted_status(signals.received)
        return 0 if status is None else int(status)
    except InputError as exc:
        if signals.received is not None:
            return interrupted_status(signals.received)
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return interrupted_status(_interrupt_of(exc, signals))
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in _NO_SPACE:
            return _internal(exc, signals)
        _silence_stdout()
        print(f"error: cannot write the output ({exc.strerror})", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal failure, not the user's fault
        return _internal(exc, signals)


#: errors of a full disk (stdout redirected to a full file system or /dev/full); files
#: the command writes report these themselves (priorsearch.outputs.OutputError)
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _silence_stdout() -> None:
    """After stdout failed, send what is still buffered to /dev/null, so the interpreter's
    final flush does not print a second error (only for the process's real stdout)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if sys.stdout.fileno() == 1:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.close(fd)


def _internal(exc, signals) -> int:
    """Exit status of an unexpected exception: an interrupt's (see :func:`_interrupt_of`),
    else 1 with one line (or the traceback with PRIORSEARCH_DEBUG set)."""
    signum = _interrupt_of(exc, signals)
    if signum is not None:
        return interrupted_status(signum)
    if os.environ.get("PRIORSEARCH_DEBUG"):
        raise exc
    print(f"internal error: {type(exc).__name__}: {exc} (set PRIORSEARCH_DEBUG=1 for a traceback)", file=sys.stderr)
    return 1


def _lossless_stdout():
    """Print file names that are not UTF-8 as the bytes they are (Python decodes them
    with surrogate escapes); returns the function that undoes it."""
    stream = sys.stdout
    errors = getattr(stream, "errors", None)
    if errors != "strict" or not hasattr(stream, "reconfigure"):
        return lambda: None
    try:
        stream.reconfigure(errors="surrogateescape")
    except (ValueError, OSError):
        return lambda: None

    def restore():
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors=errors)

    return restore


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
