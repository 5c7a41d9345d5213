"""Writing a phase diagram's outputs: its data files and its figure, in one call."""
from __future__ import annotations

__all__ = ["write_phase_outputs"]

from ..phase import write_data
from .phase import plot_phase
from .style import save_figure, style


def write_phase_outputs(data, figure, data_paths) -> list:
    """Write the data files, then the figure of ``data``; returns the paths written
    (the figure first).  Paths were checked before the work (``check_output_path``).

    Parameters
    ----------
    data : PhaseData
        The phase diagram.
    figure : str, path-like or None
        The figure file (``.png``, ``.svg`` or ``.pdf``); None writes no figure.
    data_paths : iterable of str or path-like
        Data files (``.csv`` or ``.npz``).

    Returns
    -------
    list
        The paths written, the figure first.
    """
    written = []
    for path in data_paths:
        write_data(data, path)
        written.append(path)
    if figure is not None:
        with style():
            save_figure(plot_phase(data), figure)
        written.insert(0, figure)
    return written
