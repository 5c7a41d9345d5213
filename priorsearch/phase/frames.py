"""PhaseData as a pandas DataFrame or an xarray Dataset (optional dependencies).

The DataFrame is the CSV without the ``#`` lines: one row per grid point, y outer and x
inner (the CSV's order), one column per axis (exact Python ints on a family-count axis) and the columns ``winner`` (name; "none"
where no program is eligible), ``label``, ``class``, ``c``, ``t``, ``score``, ``margin``
and, in mass mode, ``log2_mass_aligned``, ``log2_mass_deceptive`` (``log2_mass_proxy``
when the space has proxies), ``deceptive_share``.
The Dataset holds the same quantities as (y, x) grids over the two axes' values, plus
``winner_row`` and ``runner_up_row`` (row indices into ``attrs["names"]``, -1: none).
pandas and xarray are imported only here, with one clear message when missing
(``pip install priorsearch[dataframes]``).
"""
from __future__ import annotations

__all__ = ["phase_dataframe", "phase_dataset", "require"]

import json

import numpy as np

from ..errors import InputError

_EXTRA = "pip install 'priorsearch[dataframes]' (pandas and xarray)"


def require(module: str):
    """Import pandas or xarray, or raise one clear error naming the extra.

    Parameters
    ----------
    module : {"pandas", "xarray"}
        The optional dependency.

    Returns
    -------
    module
    """
    try:
        if module == "pandas":
            import pandas
            return pandas
        import xarray
        return xarray
    except ImportError:
        raise InputError(f"{module} is not installed; {_EXTRA}") from None


def _column(name, fallback):
    reserved = {"winner", "label", "class", "c", "t", "score", "margin"}
    return f"{fallback}_{name}" if name in reserved else name


def _coordinate(axis, values):
    """An axis's values for the DataFrame: exact Python ints on a count axis (object
    dtype, as in the CSV), else the float values."""
    if axis.whole:
        return np.array(list(axis.whole), dtype=object)
    return values


def _who(data):
    """Per-row name, label and class arrays, with index -1 mapped to "none"."""
    n = len(data.names)
    names = np.array([data.display_name(r) for r in range(n)] + ["none"], dtype=object)
    labels = np.array([data.labels[r] for r in range(n)] + [""], dtype=object)
    classes = np.array(list(data.classes) + ["none"], dtype=object)
    w = np.where(data.winner < 0, n, data.winner)
    return names[w], labels[w], classes[w]


def _mass_columns(data) -> dict:
    if data.log2_mass is None:
        return {}
    # one column per mass class, as in the CSV (log2_mass_proxy when the space has proxies)
    out = {f"log2_mass_{name}": data.log2_mass[k] for k, name in enumerate(data.mass_classes)}
    out["deceptive_share"] = data.deceptive_share
    return out


def phase_dataframe(data):
    """One row per grid point (see module docstring).

    Parameters
    ----------
    data : PhaseData
        The diagram.

    Returns
    -------
    pandas.DataFrame
        In the CSV's row order; ``attrs["metadata"]`` holds the metadata.
    """
    pd = require("pandas")
    gx, gy = np.meshgrid(_coordinate(data.x, data.x_values), _coordinate(data.y, data.y_values))
    name, label, cls = _who(data)
    columns = {_column(data.x.name, "x"): gx.ravel(), _column(data.y.name, "y"): gy.ravel(),
               "winner": name.ravel(), "label": label.ravel(), "class": cls.ravel(),
               "c": data.c.ravel(), "t": data.t.ravel(), "score": data.score.ravel(), "margin": data.margin.ravel()}
    columns.update({k: np.asarray(v, dtype=float).ravel() for k, v in _mass_columns(data).items()})
    frame = pd.DataFrame(columns)
    frame.attrs["metadata"] = json.loads(json.dumps(data.metadata, default=_jsonable))
    return frame


def phase_dataset(data):
    """A Dataset over the two axes (dims y, x named after the parameters).

    Parameters
    ----------
    data : PhaseData
        The diagram.

    Returns
    -------
    xarray.Dataset
        Grids of shape (len(y), len(x)); ``attrs`` holds mode, names and metadata (JSON).
    """
    xr = require("xarray")
    xn, yn = data.x.name, data.y.name
    dims = (yn, xn)
    name, label, cls = _who(data)
    variables = {
        "winner": (dims, name.astype(str)), "label": (dims, label.astype(str)), "class": (dims, cls.astype(str)),
        "winner_row": (dims, np.asarray(data.winner, dtype=np.int64)),
        "runner_up_row": (dims, np.asarray(data.runner_up, dtype=np.int64)),
        "c": (dims, data.c), "t": (dims, data.t), "score": (dims, data.score), "margin": (dims, data.margin),
    }
    variables.update({k: (dims, np.asarray(v, dtype=float)) for k, v in _mass_columns(data).items()})
    coords = {xn: (xn, np.asarray(data.x_values, dtype=float), {"long_name": data.x.label or xn, "spec": data.x.spec}),
              yn: (yn, np.asarray(data.y_values, dtype=float), {"long_name": data.y.label or yn, "spec": data.y.spec})}
    attrs = {"mode": data.mode, "names": [data.display_name(r) for r in range(len(data.names))],
             # JSON text: netCDF attributes cannot hold nested dicts
             "metadata": json.dumps(data.metadata, sort_keys=True, default=_jsonable)}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
