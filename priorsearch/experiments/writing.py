"""Writing an experiment's outputs: its figure and the CSV of its data, after every
key of its ``[[figure]]`` entry has been checked (so a bad entry writes nothing)."""
from __future__ import annotations

__all__ = ["figure_writer", "write_outputs"]

from pathlib import Path

from ..outputs import atomic_write_text
from ..plot.style import save_figure, style
from .common import Entry, csv_text, entry_data


def figure_writer(kind: str, compute, draw, table):
    """The ``make_figure(entry, out_dir)`` of an experiment module (one per kind).

    Parameters
    ----------
    kind : str
        The figure kind (the module's ``KIND``).
    compute, draw, table : callable
        The module's data, drawing and CSV-table functions.

    Returns
    -------
    callable
        ``make_figure(entry, out_dir) -> list[Path]``: checks every key of the entry, then
        writes the figure and its CSV (:func:`write_outputs`).
    """
    def make_figure(entry: dict, out_dir):
        return write_outputs(Entry(entry, kind), out_dir, compute, draw, table)

    make_figure.__doc__ = f"""Write the figure and its CSV for one ``[[figure]]`` entry of kind ``{kind}``.

    Parameters
    ----------
    entry : dict
        The entry's table from the figures config; a bad or unknown key is an
        :class:`~priorsearch.errors.InputError` and nothing is written.
    out_dir : str or path-like
        An existing directory.

    Returns
    -------
    list of pathlib.Path
        The figure and the CSV.
    """
    # it belongs to the experiment module (its name in tracebacks and the API reference)
    make_figure.__module__, make_figure.__qualname__ = compute.__module__, "make_figure"
    return make_figure


def write_outputs(entry: Entry, out_dir, compute, draw, table) -> list[Path]:
    """Compute the data, draw the figure in the priorsearch style, write it and the CSV.

    Every key and output name is checked before anything is written.

    Parameters
    ----------
    entry : Entry
        Its ``out`` and ``data`` keys name the figure and the CSV.
    out_dir : str or path-like
        An existing directory.
    compute, draw, table : callable
        The experiment's ``compute(entry)``, ``draw(data)`` and ``table(data)``.

    Returns
    -------
    list of pathlib.Path
        The figure and the CSV.
    """
    fig_path, csv_path = entry.outputs(out_dir)
    data = entry_data(compute, entry)
    header, rows = table(data)
    text = csv_text(header, rows)
    with style():
        fig = draw(data)
        save_figure(fig, fig_path)
    atomic_write_text(csv_path, text)
    return [fig_path, csv_path]
