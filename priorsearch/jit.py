"""Numba for priorsearch: every ``@njit`` and ``@vectorize`` of the package comes from here.

Two concerns, one module:

* **Read-only installs.**  Numba's ``cache=True`` needs a writable place for the cache
  (``__pycache__`` beside the source, ``NUMBA_CACHE_DIR`` or the user's cache directory).
  A read-only install (system-wide or container package, HOME and NUMBA_CACHE_DIR
  unwritable) has none, and Numba then refuses the decorator itself (``RuntimeError:
  cannot cache function ...: no locator available``) — at import, before any command
  could report it.  :func:`njit` and :func:`vectorize` fall back to compiling without the
  cache (slower start, same results) and say so once on stderr.
* **Compile only what a command uses, and skip compiling where the work is small.**
  Numba compiles a function on its first call (or loads it from the on-disk cache),
  which costs far more than a small job.  :func:`lazy_vectorize` builds an exchange's
  score ufunc on its first call, not at import; :func:`python_twin` runs the same
  ``@njit`` function as plain Python, with every ``@njit`` function it calls (the tie
  rule, ...) replaced by its own twin and ``prange`` by ``range`` — the same code doing
  the same IEEE operations in the same order, so its results are byte-identical;
  :func:`kernel` picks the twin when :func:`small` says the work is too little to pay
  for compilation.
"""
from __future__ import annotations

__all__ = ["njit", "vectorize", "python_twin", "lazy_vectorize", "small", "SMALL_WORK", "kernel", "compiling"]

import signal
import sys
import threading
import types

import numba
import numpy as np
from numba.core.registry import CPUDispatcher

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


#: elementary steps (e.g. grid points x candidates) below which plain Python is faster
#: than compiling, or even loading, a kernel from the cache
SMALL_WORK = 300_000

_TWINS: dict = {}


def python_twin(function):
    """A plain-Python copy of an ``@njit`` function whose ``@njit`` callees are twins too.

    Parameters
    ----------
    function : numba dispatcher
        An ``@njit`` function (it has ``.py_func``).

    Returns
    -------
    function
        The same code as plain Python (cached: one twin per dispatcher).
    """
    twin = _TWINS.get(function)
    if twin is not None:
        return twin
    py = function.py_func
    namespace = dict(py.__globals__)
    twin = types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__, py.__closure__)
    twin.__doc__ = py.__doc__
    _TWINS[function] = twin  # before the callees: a recursive function finds itself
    for name in py.__code__.co_names:
        value = namespace.get(name)
        if isinstance(value, CPUDispatcher):
            namespace[name] = python_twin(value)
    namespace["prange"] = range
    return twin


def small(work) -> bool:
    """Whether ``work`` elementary steps are better done without compiling.

    Parameters
    ----------
    work : int
        Elementary steps of a call (e.g. grid points x candidates).

    Returns
    -------
    bool
        ``work <= SMALL_WORK``.
    """
    return int(work) <= SMALL_WORK


def compiling(build):
    """Run ``build()`` (a Numba compile or cache load) with Ctrl-C held until it ends.

    Numba calls back into Python from C while it compiles or loads its cache; a
    KeyboardInterrupt raised there is printed as "Exception ignored" and lost, so Ctrl-C
    would not stop the command.  The signal is recorded instead and delivered again,
    to whatever handler was installed, once the build returns.

    Parameters
    ----------
    build : callable
        Called with no arguments.

    Returns
    -------
    object
        What ``build()`` returned.
    """
    if threading.current_thread() is not threading.main_thread():
        return build()
    received = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        return build()
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            signal.raise_signal(signal.SIGINT)


def kernel(function, work):
    """``function`` (an ``@njit`` dispatcher) or, for small ``work``, its Python twin.

    Parameters
    ----------
    function : numba dispatcher
        The compiled kernel.
    work : int
        Elementary steps of the call about to be made.

    Returns
    -------
    callable
        What to call: the kernel or its twin (the same results, bit for bit).
    """
    if small(work):
        return python_twin(function)
    if not function.signatures:  # its first call compiles (or loads the cache)
        return lambda *args: compiling(lambda: function(*args))
    return function


class LazyUfunc:
    """A ``numba.vectorize`` ufunc built on first call (see module docstring).

    With ``exact_arrays`` the function is declared to work on NumPy arrays as written
    using only correctly rounded operations (+, -, *, /), so NumPy gives the very bits
    the compiled ufunc would: small inputs are then evaluated by NumPy, without
    touching Numba at all (its first use costs about a second).
    """

    def __init__(self, py_func, signatures, cache, exact_arrays=False):
        self.py_func = py_func
        self.exact_arrays = exact_arrays
        self._signatures, self._cache = signatures, cache
        self._ufunc = None
        self.__name__ = py_func.__name__
        self.__doc__ = py_func.__doc__
        self.__wrapped__ = py_func

    @property
    def ufunc(self):
        if self._ufunc is None:
            self._ufunc = compiling(lambda: vectorize(self._signatures, cache=self._cache)(self.py_func))
        return self._ufunc

    def __call__(self, *args, **kwargs):
        if self.exact_arrays and self._ufunc is None and not kwargs:
            arrays = [np.asarray(a, dtype=np.float64) for a in args]
            if small(np.broadcast(*arrays).size):
                out = self.py_func(*arrays)
                return np.asarray(out, dtype=np.float64) if np.ndim(out) else np.float64(out)
        return self.ufunc(*args, **kwargs)

    def __getattr__(self, name):  # reduce, nin, types, ...: the real ufunc's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.ufunc, name)

    def __repr__(self):
        return f"<lazy ufunc {self.__name__}{'' if self._ufunc is None else ' (built)'}>"


def lazy_vectorize(signatures, cache=True, exact_arrays=False):
    """Like ``numba.vectorize(signatures, cache=cache)``, compiled on first call.

    Parameters
    ----------
    signatures : list of str
        Numba signatures, e.g. ``["float64(float64, float64, float64)"]``.
    cache : bool
        Cache the compiled ufunc on disk.
    exact_arrays : bool
        The function works on arrays with correctly rounded operations only (see
        :class:`LazyUfunc`).

    Returns
    -------
    callable
        A decorator turning a scalar function into a :class:`LazyUfunc`.
    """
    def wrap(py_func):
        return LazyUfunc(py_func, signatures, cache, exact_arrays)
    return wrap
