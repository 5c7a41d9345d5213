"""``njit`` for priorsearch's kernels: cached on disk when possible, compiled in memory
when not.

Every ``@njit`` and ``@vectorize`` of the package comes from here.  Numba's ``cache=True`` needs a writable place for the cache: ``__pycache__`` beside the
source, ``NUMBA_CACHE_DIR`` or the user's cache directory.  A read-only install (a
system-wide or container package, HOME and NUMBA_CACHE_DIR unwritable) has none, and
Numba then refuses the decorator itself (``RuntimeError: cannot cache function ...: no
locator available``) — at import, before any command could report it.  This wrapper
falls back to compiling without the cache (slower start, same results) and says so
once on stderr.
"""
from __future__ import annotations

__all__ = ["njit", "vectorize"]

import sys

import numba

_warned = False


def njit(func=None, **options):
    """``numba.njit(**options)``; with ``cache=True`` and no usable cache directory, the
    same kernel compiled without the cache.

    Parameters
    ----------
    func : callable or None
        The kernel; None returns a decorator (``@njit(cache=True)``).
    **options
        Numba's options (``cache``, ``parallel``, ...).

    Returns
    -------
    numba dispatcher, or a decorator when ``func`` is None
    """
    if func is None:
        return lambda f: njit(f, **options)
    if options.get("cache"):
        try:
            return numba.njit(**options)(func)
        except RuntimeError as exc:
            if "cannot cache" not in str(exc):
                raise
            _warn_once()
            options = {**options, "cache": False}
    return numba.njit(**options)(func)


def vectorize(signatures, **options):
    """``numba.vectorize(signatures, **options)`` (compiled now, at import), with the
    same fallback as :func:`njit` when ``cache=True`` finds no cache directory.

    Parameters
    ----------
    signatures : list of str
        The ufunc's signatures, e.g. ``["float64(float64, float64)"]``.
    **options
        Numba's options (``cache``, ``target``, ...).

    Returns
    -------
    callable
        A decorator that turns a scalar function into the ufunc.
    """
    def decorate(func):
        if options.get("cache"):
            try:
                return numba.vectorize(signatures, **options)(func)
            except RuntimeError as exc:
                if "cannot cache" not in str(exc):
                    raise
                _warn_once()
        return numba.vectorize(signatures, **{**options, "cache": False})(func)

    return decorate


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        print("priorsearch: warning: no writable cache directory for compiled kernels (set NUMBA_CACHE_DIR "
              "to one); compiling them in memory, so every run starts slower", file=sys.stderr)
