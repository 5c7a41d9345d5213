"""The base test every analysis experiment inherits (Axelrod's ``TestPlayer`` pattern).

A subclass sets ``figure`` (its [[figure]] name in analysis/figures.toml) and holds only
its science: methods that assert the experiment's claims on ``self.data``.  The base
class checks the contract every experiment module shares: a pure ``compute`` that is
deterministic, a ``table`` of finite-or-documented cells that is what the CSV holds, a
``draw(data, ax=None)`` that returns the Figure of the given axes, and an entry whose
unknown keys are errors naming them.
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

from analysis_entries import data, entry
from priorsearch.errors import InputError
from priorsearch.experiments import EXPERIMENTS
from priorsearch.experiments.common import Entry, csv_text


class ExperimentTest:
    #: the figure's name in analysis/figures.toml
    figure: str = ""

    @property
    def data(self) -> dict:
        return data(self.figure)

    @property
    def module(self):
        return EXPERIMENTS[entry(self.figure)["kind"]]

    def test_compute_is_deterministic(self):
        e = entry(self.figure)
        again = self.module.compute(Entry(e, e["kind"]))
        assert csv_text(*self.module.table(again)) == csv_text(*self.module.table(self.data))

    def test_table_cells_are_numbers_or_words(self):
        header, rows = self.module.table(self.data)
        assert rows and all(len(r) == len(header) for r in rows)
        for row in rows:
            for cell in row:
                if isinstance(cell, float):
                    assert not math.isnan(cell) or "nan" in csv_text(header, [row])

    def test_draw_returns_the_figure_of_the_axes_it_is_given(self):
        fig = self.module.draw(self.data)
        try:
            assert fig.axes, "draw made no axes"
        finally:
            plt.close(fig)

    def test_an_unknown_key_is_an_error_naming_it(self, tmp_path):
        bad = {**entry(self.figure), "colour_sheme": "dark"}
        with pytest.raises(InputError, match="colour_sheme"):
            self.module.make_figure(bad, tmp_path)
        assert not list(tmp_path.iterdir()), "a bad entry left output behind"
