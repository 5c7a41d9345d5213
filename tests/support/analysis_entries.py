"""The experiments' data exactly as analysis/figures.toml configures them.

Tests of analysis/README.md's claims assert on this data, so a claim and its figure can
never drift apart: both come from the same [[figure]] entry.
"""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from priorsearch.experiments import EXPERIMENTS
from priorsearch.experiments.common import Entry, entry_data
from paths import REPO

CONFIG = REPO / "analysis" / "figures.toml"


def entry(name: str) -> dict:
    with open(CONFIG, "rb") as handle:
        figures = tomllib.load(handle)["figure"]
    (found,) = [f for f in figures if f["name"] == name]
    return found


@functools.lru_cache(maxsize=None)
def data(name: str) -> dict:
    """The data of figure ``name``: its module's ``compute`` on its config entry."""
    e = entry(name)
    module = EXPERIMENTS[e["kind"]]
    return entry_data(module.compute, Entry(e, e["kind"]))


@functools.lru_cache(maxsize=None)
def phase(name: str):
    """The PhaseData of a kind = "phase" figure, computed from its config entry."""
    from priorsearch.phase import phase_diagram

    e = entry(name)
    assert e["kind"] == "phase" and "model" not in e and "set" not in e and "programs" not in e
    return phase_diagram(None, e["x"], e["y"], space=e.get("space", "templates"), mode=e.get("mode", "winner"))
