"""Writing outputs safely: checked up front, written to a temporary file, then renamed.

The rules every command (and ``figures``) follows, in one place:

* :func:`check_outputs` runs before any work.  Every output path must have a writable
  directory (probed by creating a file there, so a read-only mount or a full inode
  table is seen, whoever runs the command), must not be a directory or a non-regular
  file, must not be one of the command's inputs (same resolved path, or the same file
  through a symbolic or hard link: ``os.stat`` device and inode), and no two outputs
  may land on the same file or use one output as the directory of another.
* :func:`atomic_writer` writes into a temporary ``.NAME.XXXX.tmp`` in the target
  directory and renames it over the target on success; on any error, or an interrupt,
  the temporary is removed.  An existing symlink at the target is replaced, never
  written through.
* :func:`output_batch` makes several outputs all-or-nothing: every write inside it
  goes to its temporary, and only when the whole block succeeded are they renamed, one
  after another, with signals deferred.  If a rename fails (a disk remounted read-only
  mid-run) the error names the files that were written and those that were not.

A write that fails (full disk, read-only file system) raises :class:`OutputError`, an
:class:`~priorsearch.errors.InputError`: the command exits 2 with one line naming the
file, and nothing partial is left.
"""
from __future__ import annotations

__all__ = ["atomic_write_text", "atomic_write_bytes", "atomic_writer", "check_output_path", "check_outputs",
           "output_batch", "ensure_parent", "read_output_bytes", "OutputError", "critical", "defer_signal", "in_critical", "remove_leftovers"]

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError
from .interrupts import critical, defer_signal, in_critical, stop_if_signalled  # the first three re-exported


class OutputError(InputError):
    """An output could not be written (full disk, read-only file system, ...)."""


_live_temps: set[str] = set()


def remove_leftovers() -> None:
    """Remove every temporary this process created and has not renamed (a last line of
    defence for an exception raised while cleaning up)."""
    for tmp in sorted(_live_temps):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _live_temps.clear()


def _new_temp(directory: str, name: str) -> tuple[int, str]:
    with critical():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        _live_temps.add(tmp)
    return fd, tmp


def _drop_temp(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    _live_temps.discard(tmp)


# ------------------------------------------------------------------------- checks

def _where(p: Path) -> Path:
    """The file a rename to ``p`` replaces: the resolved directory plus the final name."""
    return Path(os.path.realpath(p.parent if str(p.parent) else ".")) / p.name


def _stat(p, follow=True):
    try:
        return os.stat(p) if follow else os.lstat(p)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def _same(a: os.stat_result | None, b: os.stat_result | None) -> bool:
    return a is not None and b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _probe(directory: Path, shown) -> None:
    """Create and remove a file in ``directory``: the only test of writability that sees
    read-only mounts, ACLs and root alike."""
    try:
        fd, tmp = _new_temp(str(directory), "priorsearch-probe")
    except OSError as exc:
        raise InputError(f"{shown}: cannot write in directory {str(directory)!r} ({exc.strerror})") from None
    os.close(fd)
    _drop_temp(tmp)


def check_outputs(paths, inputs=(), extensions=None, make_dirs=False) -> list[Path]:
    """Validate a command's output paths together, before any work.

    Parameters
    ----------
    paths : iterable of str or path-like
        The outputs, in the order reported.
    inputs : iterable of str or path-like
        Files the command reads: never overwritten, whatever their names (same resolved
        path, or the same device and inode).
    extensions : set of str or None
        Allowed lower-case suffixes including the dot; None allows any.
    make_dirs : bool
        Missing directories are allowed (the command creates them); their nearest
        existing ancestor must be a writable directory.

    Returns
    -------
    list of pathlib.Path
        ``paths`` as Paths.

    Raises
    ------
    InputError
        Naming the first bad path: unwritable directory, a directory or special file at
        the path, an input, or two outputs landing on one file (or one inside another).
    """
    checked, landing = [], {}
    input_files = []
    for other in inputs:
        if other is None or other == "":
            continue
        with contextlib.suppress(OSError, ValueError):
            input_files.append((Path(os.path.realpath(other)), _stat(other)))
    for path in paths:
        shown = str(path)
        try:
            p = Path(path)
            if p.name in ("", ".", ".."):
                raise InputError(f"{shown}: expected a file name")
            if extensions is not None and p.suffix.lower() not in extensions:
                raise InputError(f"{shown}: unsupported extension {p.suffix or '(none)'!r}; use one of "
                                 f"{', '.join(sorted(extensions))}")
            where = _where(p)
            st = _stat(p)
            if st is not None and stat.S_ISDIR(st.st_mode):
                raise InputError(f"{shown}: is a directory, expected a file name")
            if st is not None and not stat.S_ISREG(st.st_mode):
                raise InputError(f"{shown}: exists and is not a regular file")
            for real, ist in input_files:
                if where == real or _same(st, ist):
                    raise InputError(f"{shown}: refusing to overwrite an input of this command")
            _check_directory(p, where.parent, shown, make_dirs)
        except OSError as exc:  # a name too long, a loop of symlinks, ...
            raise InputError(f"{shown}: {exc.strerror or exc}") from None
        except ValueError as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"{shown}: {exc}") from None
        for other, first in landing.items():
            if other == where:
                raise InputError(f"{shown}: the same file as output {first} (written twice)")
            if other in where.parents or where in other.parents:
                raise InputError(f"{shown}: output {first} would need to be both a file and a directory")
        landing[where] = shown
        checked.append(p)
    return checked


def _check_directory(p: Path, resolved_parent: Path, shown, make_dirs) -> None:
    """The directory of an output exists (or can be made) and is writable."""
    missing = []
    directory = resolved_parent
    while True:
        st = _stat(directory)
        if st is not None:
            break
        missing.append(directory)
        directory = directory.parent
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(f"{shown}: {str(directory)!r} is a file, not a directory")
    if missing and not make_dirs:
        parent = p.parent if str(p.parent) else Path(".")
        raise InputError(f"{shown}: directory {str(parent)!r} does not exist")
    _probe(directory, shown)


def check_output_path(path, extensions=None, inputs=()) -> Path:
    """Validate one output path before any work (see :func:`check_outputs`).

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
    """
    return check_outputs([path], inputs, extensions)[0]


# ------------------------------------------------------------------------- writing

class _Batch:
    """Outputs written so far in an :func:`output_batch`, not yet renamed."""

    def __init__(self):
        self.pending: dict[Path, str] = {}
        self.created: list[Path] = []

    def add(self, target: Path, tmp: str) -> None:
        old = self.pending.pop(target, None)
        if old is not None:
            _drop_temp(old)
        self.pending[target] = tmp

    def commit(self) -> list[Path]:
        written = []
        stop_if_signalled()  # the caller rolls the batch back
        with critical():
            for target, tmp in list(self.pending.items()):
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    rest = [str(t) for t in self.pending if t not in written]
                    self.rollback()
                    done = ", ".join(map(str, written)) or "none"
                    raise OutputError(f"{target}: cannot write ({exc.strerror}); written: {done}; "
                                      f"not written: {', '.join(rest)}") from None
                _live_temps.discard(tmp)
                written.append(target)
            self.pending.clear()
        return written

    def rollback(self) -> None:
        for tmp in self.pending.values():
            _drop_temp(tmp)
        self.pending.clear()
        for directory in reversed(self.created):
            with contextlib.suppress(OSError):
                directory.rmdir()  # only if empty: it holds nothing of ours any more
        self.created.clear()


_batches: list[_Batch] = []


@contextlib.contextmanager
def output_batch():
    """All outputs written inside the block appear together when it succeeds, or none.

    Directories made by :func:`ensure_parent` inside the block are removed again (when
    empty) if it fails.  Yields the list that receives the paths written.  Inside
    another batch it joins that one (the outer block decides).
    """
    if _batches:
        yield []
        return
    batch = _Batch()
    _batches.append(batch)
    done: list[Path] = []
    try:
        yield done
        _batches.pop()
        done.extend(batch.commit())
    except BaseException:
        if _batches and _batches[-1] is batch:
            _batches.pop()
        batch.rollback()
        raise


def ensure_parent(path) -> None:
    """Create the directories above ``path`` (recorded, so a failed batch removes them).

    Parameters
    ----------
    path : str or path-like
        An output file about to be written.
    """
    parent = Path(path).parent
    missing = []
    while str(parent) and not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for directory in reversed(missing):
        try:
            directory.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{path}: cannot create directory {str(directory)!r} ({exc.strerror})") from None
        if _batches:
            _batches[-1].created.append(directory)


def read_output_bytes(path) -> bytes:
    """The bytes of an output, also while it is still pending in an :func:`output_batch`.

    Parameters
    ----------
    path : str or path-like
        The output file.

    Returns
    -------
    bytes
    """
    target = Path(path)
    for batch in reversed(_batches):
        if target in batch.pending:
            return Path(batch.pending[target]).read_bytes()
    return target.read_bytes()


@contextlib.contextmanager
def atomic_writer(path, mode="w"):
    r"""Yield a file object; on success it replaces ``path`` (or joins the current
    :func:`output_batch`), on any error or interrupt it is removed.

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
    try:
        fd, tmp = _new_temp(str(p.parent) if str(p.parent) else ".", p.name)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {})) as handle:
            yield handle
        if _batches:
            _batches[-1].add(p, tmp)
            return
        stop_if_signalled()
        with critical():
            os.replace(tmp, p)
            _live_temps.discard(tmp)
    except OSError as exc:
        _drop_temp(tmp)
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EIO,
                         errno.EFBIG, errno.EISDIR, errno.ENOTDIR):
            rest = "no output of this run was written" if _batches else "the file was not changed"
            raise OutputError(f"{path}: cannot write ({exc.strerror}); {rest}") from None
        raise
    except BaseException:
        _drop_temp(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_writer`).

    Parameters
    ----------
    path : str or path-like
        The file to replace.
    text : str
        Its new content.
    """
    with atomic_writer(path, "w") as handle:
        handle.write(text)


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`).

    Parameters
    ----------
    path : str or path-like
        The file to replace.
    data : bytes
        Its new content.
    """
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
