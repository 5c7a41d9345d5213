"""The ``[uncertainty]`` and ``[uncertainty.structure]`` tables of a model TOML file.

Read here, from the same file the model comes from, rather than by the model reader:
they describe a run (distributions over the model's parameters, alternatives to the
model itself), not the model, and the model reader only lets the table through.
Errors are located (``file:line:col``) with the model reader's locator.

Format::

    [uncertainty]
    C_B = "loguniform(1, 1000)"          # NAME = SPEC, for any cost or exchange parameter
    g = "loguniform(0.01, 100)"
    correlations = [["C_B", "T_F", 0.5]]  # optional Spearman rank correlations
    [uncertainty.structure]               # each key: a list of values, or
    max_size = [7, 9]                     # { values = [...], weights = [...] }
    K = { values = [4, 16], weights = [1, 3] }
    models = ["a.toml", "b.toml"]         # paths relative to this file
    exclude = ["", "is_deployed"]         # "" = nothing left out
"""
from __future__ import annotations

__all__ = ["UncertaintyConfig", "read_config", "STRUCTURE_KEYS"]

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location
from ..model.toml_format import _Locator
from .specs import parse_spec

#: structural dimensions with a fixed meaning (any other key is a model parameter)
STRUCTURE_KEYS = ("models", "max_size", "exclude")


@dataclass
class UncertaintyConfig:
    """What a model file's tables say.

    Attributes
    ----------
    dists : dict
        Parameter name -> DistSpec.
    correlations : dict
        (a, b) -> Spearman rank correlation.
    structure : dict
        Dimension -> (values, weights).
    """

    dists: dict = field(default_factory=dict)         # name -> DistSpec
    correlations: dict = field(default_factory=dict)  # (a, b) -> rho
    structure: dict = field(default_factory=dict)     # name -> (values, weights)
    #: where each entry was written (file:line:col), for errors found once the model is
    #: known: a dist's name -> Location, (a, b) -> Location, structure key -> Location
    locations: dict = field(default_factory=dict)

    def where(self, key) -> Location | None:
        """Where ``key`` (a parameter, an (a, b) pair or ("structure", key)) was written.

        Parameters
        ----------
        key : str or tuple

        Returns
        -------
        Location or None
        """
        return self.locations.get(key)


def read_config(path) -> UncertaintyConfig:
    """The tables of the model file at ``path`` (empty when it has none).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    UncertaintyConfig
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return UncertaintyConfig()  # the model reader reports these
    table = data.get("uncertainty")
    if table is None:
        return UncertaintyConfig()
    loc = _Locator(text, str(path))
    if not isinstance(table, dict):
        raise InputError("uncertainty must be a table: [uncertainty]", loc.at("uncertainty"))
    cfg = UncertaintyConfig()
    for name, value in table.items():
        here = loc.at("uncertainty", name)
        if name == "structure":
            cfg.structure = _structure(value, loc, p.parent)
            for key in cfg.structure:
                cfg.locations[("structure", key)] = loc.at("uncertainty", "structure", key)
        elif name == "correlations":
            cfg.correlations = _correlations(value, here)
            for pair in cfg.correlations:
                cfg.locations[pair] = here
        else:
            cfg.dists[name] = parse_spec(value, f"[uncertainty] {name}", here)
            cfg.locations[name] = here
    return cfg


def _correlations(value, here):
    if not isinstance(value, list):
        raise InputError("correlations must be a list of [A, B, rho] triples", here)
    out = {}
    for item in value:
        if (not isinstance(item, list) or len(item) != 3 or not all(isinstance(x, str) for x in item[:2])
                or isinstance(item[2], bool) or not isinstance(item[2], (int, float))):
            raise InputError(f"correlation {item!r}: expected [\"A\", \"B\", rho]", here)
        if (item[0], item[1]) in out or (item[1], item[0]) in out:
            raise InputError(f"correlation {item[0]},{item[1]} given twice; give it once", here)
        out[(item[0], item[1])] = float(item[2])
    return out


def _structure(value, loc, base: Path) -> dict:
    if not isinstance(value, dict):
        raise InputError("structure must be a table: [uncertainty.structure]", loc.at("uncertainty", "structure"))
    out = {}
    for key, spec in value.items():
        here = loc.at("uncertainty", "structure", key)
        if isinstance(spec, dict):
            unknown = set(spec) - {"values", "weights"}
            if unknown:
                raise InputError(f"unknown key {sorted(unknown)[0]!r} in structure {key} (use values, weights)", here)
            values, weights = spec.get("values"), spec.get("weights")
        else:
            values, weights = spec, None
        out[key] = check_dimension(key, values, weights, here)
        if key == "models":
            out[key] = ([str((base / v).resolve()) if not Path(v).is_absolute() else v for v in out[key][0]],
                        out[key][1])
    return out


def check_dimension(key, values, weights=None, here: Location | None = None):
    """(values, weights) of a structural dimension, checked.

    Parameters
    ----------
    key : str
        ``models``, ``max_size``, ``exclude`` or a parameter name.
    values : list
    weights : list or None
        Default: equal.
    here : Location or None
        Where the dimension was written, for errors.

    Returns
    -------
    tuple
        (values, weights as floats).
    """
    if not isinstance(values, list) or not values:
        raise InputError(f"structure {key}: expected a non-empty list of values", here)
    if key in ("models", "exclude"):
        if not all(isinstance(v, str) for v in values):
            raise InputError(f"structure {key}: values must be strings", here)
    elif key == "max_size":
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in values):
            raise InputError("structure max_size: values must be whole numbers >= 1", here)
    elif not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < math.inf for v in values):
        raise InputError(f"structure {key}: values must be numbers >= 0", here)
    if weights is None:
        weights = [1.0] * len(values)
    if (not isinstance(weights, list) or len(weights) != len(values)
            or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and 0 <= w < math.inf for w in weights)
            or not 0 < sum(weights) < math.inf):
        raise InputError(f"structure {key}: weights must be {len(values)} numbers >= 0, not all 0", here)
    return list(values), [float(w) for w in weights]
