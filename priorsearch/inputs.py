"""Reading input files (models, programs, figures configs, hash lists): one bounded rule.

An input is a regular file or a pipe (``<(...)``, ``/dev/stdin`` fed by a pipe) of at
most :data:`MAX_INPUT_BYTES`; anything else (a directory, ``/dev/zero``, a terminal, a
socket) or anything larger is refused with one located line (exit 2) before it is read,
so a wrong path can never make a command read until memory runs out.
"""
from __future__ import annotations

__all__ = ["read_input_text", "MAX_INPUT_BYTES"]

import os
import stat

from .errors import InputError, Location

#: 16 MiB: a cost model, a program file or a figures config is a few kilobytes; this is
#: a thousand times more than any of them needs
MAX_INPUT_BYTES = 16 * 1024 * 1024


def read_input_text(path, expected: str = "a file") -> str:
    """The UTF-8 text of the input file ``path``; :class:`InputError` located at the
    file for a missing, unreadable, special, oversized or non-UTF-8 file.

    Parameters
    ----------
    path : str or path-like
        A regular file or a pipe of at most :data:`MAX_INPUT_BYTES`.
    expected : str
        Completes "is a directory, expected ...", e.g. ``"a .toml cost model"``.

    Returns
    -------
    str
        The text, with ``\r\n`` and ``\r`` line ends as ``\n`` (as ``Path.read_text``).
    """
    where = Location(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("no such file", where) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected {expected}", where) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read ({getattr(exc, 'strerror', None) or exc})", where) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"is a directory, expected {expected}", where)
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise InputError(f"not a regular file or a pipe, expected {expected}", where)
        if stat.S_ISREG(mode) and os.fstat(fd).st_size > MAX_INPUT_BYTES:
            raise InputError(_too_large(), where)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, MAX_INPUT_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_INPUT_BYTES:  # a file that grew, or a pipe
                raise InputError(_too_large(), where)
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", where) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where) from None
    # the newline handling of Path.read_text: \r\n and \r are line ends
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large() -> str:
    return f"larger than the input limit of {MAX_INPUT_BYTES // (1024 * 1024)} MiB"
