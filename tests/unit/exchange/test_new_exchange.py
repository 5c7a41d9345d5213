"""Adding an exchange family is one small class plus a registry entry: this file adds
one (a "sqrt" exchange, g·√c + t) and gets rank, search, phase and boundary for it."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from numba import vectorize

import priorsearch as ps
from priorsearch.cli import main
from priorsearch.exchange import EXCHANGES, Exchange, Parameter, register


@vectorize(["float64(float64, float64, float64)"])
def sqrt_score(c, t, g):
    return g * np.sqrt(c) + t


class SqrtExchange(Exchange):
    """g·√c + t: diminishing cost of description length."""

    name = "sqrt"
    parameters = (Parameter("g", 1.0, "g (time units per √bit)"),)
    score_text = "g*sqrt(c) + t"
    score_label = "score g·√c + t"
    score_fn = staticmethod(sqrt_score)
    finite_scores = True
    default_axis = "g=0.01:100:21:log"

    def sympy_score(self, c, t, syms):
        return syms["g"] * sympy.sqrt(c) + t


@pytest.fixture
def registered():
    register(SqrtExchange)
    yield SqrtExchange
    EXCHANGES.pop("sqrt")


def g_star():
    # Hfh (170, 101) and Hsd (154, 131): g·√170 + 101 = g·√154 + 131
    return 30 / (np.sqrt(170) - np.sqrt(154))


def test_rank_and_the_cli_know_the_new_exchange(registered, capsys):
    gs = g_star()
    assert ps.rank(exchange="sqrt", g=gs * 0.9).winner.name == "honest"
    assert ps.rank(exchange="sqrt", g=gs * 1.1).winner.name == "simple_deceptive"
    assert main(["rank", "--exchange", "sqrt", "--set", f"g={gs * 1.1}"]) == 0
    assert "simple_deceptive" in capsys.readouterr().out.splitlines()[2]


def test_search_scores_with_the_new_exchange(registered):
    r = ps.search(max_size=5, exchange="sqrt", g=1.0)
    assert r.winner is not None
    assert r.winner.score == pytest.approx(np.sqrt(r.winner.c) + r.winner.t)


def test_phase_sweeps_the_new_exchanges_parameter(registered):
    data = ps.phase_diagram(exchange="sqrt", y="C_B=20:20.5:2")
    row = data.winner[0]
    gs = data.x_values
    assert (row[gs < g_star()] == 0).all() and (row[gs > g_star()] == 1).all()


def test_boundary_solves_the_new_exchanges_tie(registered):
    b = ps.boundary("honest", "simple_deceptive", exchange="sqrt")
    value = float(b.tie.subs({sympy.Symbol(k, nonnegative=True, real=True): v
                              for k, v in ps.CostModel.default().parameters.items()}))
    assert value == pytest.approx(g_star())
