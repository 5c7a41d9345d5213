"""Class 6: experiment axes that start at 0 (valid linear axes) draw and write like
phase does, with no warning; quantities that must be positive are refused with exit 2."""
from __future__ import annotations

import warnings

import pytest

from conftest import listing

THROUGH_ZERO = [
    ("comment_programs", 'g = "g=0:1:4"\nC_B = "C_B=0:40:3"\nC_ptr = "C_ptr=0:8:3"\nmax_size = 4'),
    ("goal_table", 'N = "N=0:2:3"\ng = "g=0:2:3"'),
    ("shared_time", 'T_M = "T_M=0:10:3"\ng = "g=0:10:3"\nlambda = "lambda=0:3:3"'),
    ("nonfactorable", 'C_M = "C_M=0:40:3"\ng = "g=0:2:3"'),
    ("heuristics", 'm = "m=0.5:2:3"\ng = "g=0:2:3"'),
    ("fixed_compute", 'k = "k=1:200:4"\nC_B = "C_B=0:40:3"'),
    ("observable_flag", 's = "s=0:1:3"'),
]

NOT_POSITIVE = [
    ("fixed_compute", 'k = "k=-5:150:4"', "k must be > 0"),
    ("fixed_compute", 'k = "k=0:150:4"', "k must be > 0"),
    ("heuristics", 'm = "m=0:2:3"', "m must be > 0"),
]


def _figures(cli, tmp_path, kind, keys):
    config = tmp_path / "c.toml"
    config.write_text(f'[[figure]]\nname = "e"\nkind = "{kind}"\n{keys}\n')
    return cli("figures", config, "--out", tmp_path / "o")


@pytest.mark.parametrize("kind, keys", THROUGH_ZERO, ids=[k for k, _ in THROUGH_ZERO])
def test_axis_through_zero_draws_without_warnings(cli, tmp_path, kind, keys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # RuntimeWarning noise (log of 0, 0/0) is a failure
        r = _figures(cli, tmp_path, kind, keys)
    assert r.status == 0, r.err
    assert listing(tmp_path / "o") == ["e.csv", "e.png"]


@pytest.mark.parametrize("kind, keys, text", NOT_POSITIVE, ids=[f"{k}-{v[:6]}" for k, v, _ in NOT_POSITIVE])
def test_quantities_that_must_be_positive(cli, tmp_path, kind, keys, text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = _figures(cli, tmp_path, kind, keys)
    assert r.status == 2 and text in r.err and r.err.count("\n") == 1, r.err
    assert listing(tmp_path) == ["c.toml"]


def test_winner_map_edges_on_a_linear_axis_through_zero():
    """The drawing helper falls back to a linear scale where a log one cannot exist."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from priorsearch.experiments.common import draw_winner_map

    fig, ax = plt.subplots()
    labels = np.array([["Hfh", "Hsd", "Hsd"], ["Hfh", "Hfh", "Hsd"]], dtype=object)
    draw_winner_map(ax, [0.0, 1.0, 2.0], [0.0, 5.0], labels, xlog=True, ylog=True)
    assert ax.get_xscale() == "linear" and ax.get_yscale() == "linear"
    assert np.isfinite(ax.collections[0].get_coordinates()).all()
    plt.close(fig)
