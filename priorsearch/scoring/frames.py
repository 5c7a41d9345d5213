"""SearchResult as a pandas DataFrame (optional dependency: ``priorsearch[dataframes]``).

One row per class of the enumerated table, best first by the tie rule
(:func:`priorsearch.exchange.ties.order`; classes that cannot win — incompatible or with
an infinite score — last).  Columns: ``rank`` (1 = the winner; 0 for a class that cannot
win), ``row`` (index in the table), ``name`` and ``label`` (of a template in the class,
else empty), ``source`` (a representative program), ``c``, ``t``, ``t_deploy``, ``score``,
``size`` (nodes), ``class`` (aligned / deceptive / proxy / incompatible: as ``search``
reports it, so at a finite loss price a competing row with a training loss is classed by
its behaviour), ``deploy_objective``,
``multiplicity`` (programs in the class), ``eligible``; at a finite loss price also
``loss`` (the training loss L, after ``score``).
"""
from __future__ import annotations

__all__ = ["search_dataframe", "SEARCH_COLUMNS"]

import numpy as np

from ..errors import InputError
from ..exchange import order
from ..features.semantics import CLASS_NAMES

SEARCH_COLUMNS = ("rank", "row", "name", "label", "source", "c", "t", "t_deploy", "score", "size", "class",
                  "deploy_objective", "multiplicity", "eligible")


def search_dataframe(result):
    """The classes of a :class:`~priorsearch.scoring.search.SearchResult` as a DataFrame.

    Parameters
    ----------
    result : SearchResult
        What :func:`priorsearch.search` or :func:`priorsearch.search_table` returned.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`SEARCH_COLUMNS`, one row per class, best first.
    """
    try:
        import pandas as pd
    except ImportError:
        raise InputError("pandas is not installed; pip install 'priorsearch[dataframes]' (pandas and xarray)") from None
    table, a = result.table, result.arrays
    if table is None or a is None:
        raise InputError("this SearchResult holds no table (made by hand?); use priorsearch.search")
    size = np.asarray(table.size, dtype=np.int64)
    eligible = np.asarray(a["eligible"], dtype=bool) & (np.asarray(a["score"]) < np.inf)
    rows = order(a["score"], a["c"], a["t"], size, eligible)
    rank = np.zeros(len(rows), dtype=np.int64)
    n_ok = int(eligible.sum())
    rank[:n_ok] = np.arange(1, n_ok + 1)  # order puts the eligible rows first
    # the class each row is reported with (search_table): its behaviour when it competes
    cls = np.asarray(a["class"]) if "class" in a else np.asarray(table.cls)
    frame = pd.DataFrame({
        "rank": rank, "row": rows,
        "name": [table.names[i] for i in rows], "label": [table.labels[i] for i in rows],
        "source": [table.sources[i] for i in rows],
        "c": np.asarray(a["c"])[rows], "t": np.asarray(a["t"])[rows], "t_deploy": np.asarray(a["t_deploy"])[rows],
        "score": np.asarray(a["score"])[rows], "size": size[rows],
        "class": [CLASS_NAMES[int(cls[i])] for i in rows], "deploy_objective": [table.deploy[i] for i in rows],
        "multiplicity": np.asarray(table.multiplicity, dtype=np.int64)[rows], "eligible": eligible[rows],
    }, columns=list(SEARCH_COLUMNS))
    if a.get("loss") is not None:  # a finite loss price: each row's training loss L, after its score
        frame.insert(frame.columns.get_loc("score") + 1, "loss", np.asarray(a["loss"], dtype=float)[rows])
    frame.attrs.update({"model": result.model, "exchange": result.exchange.to_json(), "max_size": result.max_size})
    return frame
