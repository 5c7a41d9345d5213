"""Deterministic figure output: one style, no timestamps, atomic writes.

Every figure is drawn inside :func:`style` and written by :func:`save_figure`, so the
same data gives byte-identical PNG, SVG and PDF files across runs and processes.
"""
from __future__ import annotations

__all__ = ["style", "save_figure", "FIGURE_EXTENSIONS"]

import contextlib
import io
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..outputs import atomic_write_bytes

FIGURE_EXTENSIONS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
# No creation dates or software versions: they would change the bytes between runs.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@contextlib.contextmanager
def style():
    """Matplotlib settings for priorsearch figures (the committed .mplstyle, Agg)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    path = resources.files("priorsearch").joinpath("data/priorsearch.mplstyle")
    with resources.as_file(path) as p, plt.style.context(str(p)):
        yield


def save_figure(fig, path) -> Path:
    """Write ``fig`` to ``path`` (format from the extension) atomically, then close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is closed even when writing fails.
    path : str or path-like
        ``.png``, ``.svg`` or ``.pdf``; saved with fixed metadata so bytes are reproducible.

    Returns
    -------
    pathlib.Path
    """
    import matplotlib.pyplot as plt

    p = Path(path)
    fmt = FIGURE_EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        plt.close(fig)
        raise InputError(f"{path}: unsupported figure extension {p.suffix or '(none)'!r}; use .png, .svg or .pdf")
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    finally:
        plt.close(fig)
    atomic_write_bytes(p, buffer.getvalue())
    return p
