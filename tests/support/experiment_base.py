"""The base test every analysis experiment inherits (Axelrod's ``TestPlayer`` pattern).

A subclass sets ``figure`` (its [[figure]] name in analysis/figures.toml) and holds only
its science: methods that assert the experiment's claims on ``self.data``.  The base
class checks the contract every experiment module shares: a pure ``compute`` that is
deterministic, a ``table`` of finite-or-documented cells that is what the CSV holds, a
``draw(data, ax=None)`` that returns the Figure of the given axes, and an entry whose
unknown keys are errors naming them.
"""
from __future__ import annotations

import csv
import io
import math

import matplotlib.pyplot as plt
import numpy as np
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

    def test_the_csv_holds_the_table_exactly(self):
        # every cell of the table comes back from the CSV text unchanged: floats by their
        # shortest round-trip repr (nan and inf by name), so the data file is the data
        header, rows = self.module.table(self.data)
        assert rows and all(len(r) == len(header) for r in rows)
        parsed = list(csv.reader(io.StringIO(csv_text(header, rows))))
        assert parsed[0] == list(header) and len(parsed) == len(rows) + 1
        for row, back in zip(rows, parsed[1:]):
            for cell, text in zip(row, back):
                if isinstance(cell, (bool, np.bool_)):
                    assert text == ("1" if cell else "0")
                elif isinstance(cell, (int, np.integer)):
                    assert int(text) == int(cell)
                elif isinstance(cell, (float, np.floating)):
                    assert (math.isnan(cell) and text == "nan") or float(text) == float(cell)
                else:
                    assert text == str(cell)

    def test_draw_returns_the_figure_of_the_axes_it_is_given(self):
        first = self.module.draw(self.data)
        n_panels = len([a for a in first.axes if a.get_label() != "<colorbar>"])
        plt.close(first)
        fig, axes = plt.subplots(1, n_panels, squeeze=False)
        try:
            given = list(axes[0]) if n_panels > 1 else axes[0][0]
            assert self.module.draw(self.data, ax=given) is fig
        finally:
            plt.close(fig)

    def test_an_unknown_key_is_an_error_naming_it(self, tmp_path):
        bad = {**entry(self.figure), "colour_sheme": "dark"}
        with pytest.raises(InputError, match="colour_sheme"):
            self.module.make_figure(bad, tmp_path)
        assert not list(tmp_path.iterdir()), "a bad entry left output behind"
