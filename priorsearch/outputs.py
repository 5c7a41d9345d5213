"""Writing outputs safely: a temporary file in the target directory, then a rename.

An interrupted or failed command therefore never leaves a partial output file, and a
command refuses to overwrite one of its own inputs.
"""
from __future__ import annotations

__all__ = ["atomic_write_text", "atomic_write_bytes", "atomic_writer", "check_output_path", "natural_key"]

import contextlib
import os
import re
import tempfile
from pathlib import Path

from .errors import InputError


def check_output_path(path, extensions=None, inputs=()) -> Path:
    """Validate an output path before any work: directory exists, extension allowed,
    not one of the command's inputs.

    Parameters
    ----------
    path : str or path-like
        The output file to be written.
    extensions : set of str or None
        Allowed lower-case suffixes including the dot (``{".png", ".pdf"}``); None allows any.
    inputs : iterable of paths
        The command's input files; ``path`` may not be the same file as any of them.

    Returns
    -------
    pathlib.Path
        ``path`` as a Path.

    Raises
    ------
    InputError
        When the directory is missing, ``path`` is a directory, the extension is not allowed,
        or ``path`` is one of ``inputs``.
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: directory {str(parent)!r} does not exist")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file name")
    if extensions is not None and p.suffix.lower() not in extensions:
        raise InputError(f"{path}: unsupported extension {p.suffix or '(none)'!r}; use one of {', '.join(sorted(extensions))}")
    for other in inputs:
        try:
            if other and Path(other).exists() and p.exists() and os.path.samefile(p, other):
                raise InputError(f"{path}: refusing to overwrite an input of this command")
        except OSError:
            pass
    return p


@contextlib.contextmanager
def atomic_writer(path, mode="w"):
    r"""Yield a file object; on success it replaces ``path``, on any error it is removed.

    Parameters
    ----------
    path : str or path-like
        The file to replace; the temporary file is created in the same directory.
    mode : str
        ``"w"`` (UTF-8 text with ``"\n"`` line endings) or ``"wb"`` (bytes).

    Yields
    ------
    file object
        An open temporary file; ``path`` only appears when the ``with`` block succeeds.
    """
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent) if str(p.parent) else ".")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {})) as handle:
            yield handle
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path, text: str) -> None:
    r"""Write ``text`` to ``path`` atomically (UTF-8, ``"\n"`` line endings).

    Parameters
    ----------
    path : str or path-like
        The file to replace.
    text : str
        Its whole new content.
    """
    with atomic_writer(path, "w") as handle:
        handle.write(text)


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically.

    Parameters
    ----------
    path : str or path-like
        The file to replace.
    data : bytes
        Its whole new content.
    """
    with atomic_writer(path, "wb") as handle:
        handle.write(data)


def natural_key(text: str):
    """Sort key with digit runs compared as numbers: misaligned_2 before misaligned_10.

    Parameters
    ----------
    text : str
        A name.

    Returns
    -------
    list
        Compare these to sort names naturally.
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]
