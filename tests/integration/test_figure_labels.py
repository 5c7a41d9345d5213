"""Issue 12, Deliver 5: figures a reader can decode — distinguishable tie curves and
share contours with legend entries, contour labels clear of each other, labelled colour
bars, one quantity per axis, the counting axis from K = 1, fixed parameters stated."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import priorsearch as ps  # noqa: E402
from analysis_entries import data  # noqa: E402
from priorsearch.experiments import EXPERIMENTS  # noqa: E402
from priorsearch.plot.phase import plot_phase  # noqa: E402


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _tie_lines(ax):
    return [l for l in ax.get_lines() if l.get_xydata().shape[0] > 2]


@pytest.fixture(scope="module")
def many_ties():
    # every template competes: several tie curves in one diagram, in mass mode
    d = ps.phase_diagram(x="g=0.1:10:41:log", y="C_ptr=0:24:41", mode="mass",
                         programs=[ps.template(n) for n in ps.lang.templates.TEMPLATE_NAMES])
    assert len(d.ties) >= 2
    fig = plot_phase(d)
    yield d, fig
    plt.close(fig)


def test_tie_curves_are_distinguishable_with_legend_entries(many_ties):
    d, fig = many_ties
    ax = fig.axes[0]
    ties = [t for t in _legend_texts(ax) if t.startswith("exact tie")]
    assert len(ties) == len(d.ties)
    handles = [h for h in ax.get_legend().legend_handles if h.get_label().startswith("exact tie")]
    styles = {(matplotlib.colors.to_hex(h.get_color()), str(h.get_linestyle())) for h in handles}
    assert len(styles) == len(handles)  # no two ties look alike


def test_share_contours_have_a_legend_and_separate_labels(many_ties):
    d, fig = many_ties
    ax = fig.axes[0]
    texts = _legend_texts(ax)
    shown = [t for t in texts if t.startswith("deceptive share = ")]
    assert len(shown) >= 2
    handles = [h for h in ax.get_legend().legend_handles if h.get_label().startswith("deceptive share = ")]
    assert len({str(h.get_linestyle()) for h in handles}) == len(handles)
    labels = [t for t in ax.texts if t.get_text() in {"0.1", "0.5", "0.9"}]
    assert len(labels) == len(shown)  # one label per level
    fig.canvas.draw()
    centres = [ax.transAxes.inverted().transform(t.get_window_extent().get_points().mean(axis=0)) for t in labels]
    for i in range(len(centres)):
        for j in range(i):
            assert np.hypot(*(centres[i] - centres[j])) > 0.05  # not piled up in one place


def test_phase_colour_bar_is_labelled(many_ties):
    _, fig = many_ties
    bars = [a for a in fig.axes[1:]]
    assert bars and all(a.get_ylabel() for a in bars)


@pytest.mark.parametrize("figure", ["counting", "heuristics"])
def test_experiment_colour_bars_are_labelled(figure):
    fig = EXPERIMENTS[figure].draw(data(figure))
    try:
        bars = [a for a in fig.axes if a.get_label() == "<colorbar>"]
        assert bars and all(a.get_ylabel() for a in bars)
    finally:
        plt.close(fig)


def test_fixed_compute_one_quantity_per_axis():
    d = data("fixed_compute")
    fig = EXPERIMENTS["fixed_compute"].draw(d)
    try:
        assert len(fig.axes) == 3
        for ax, key in zip(fig.axes[1:], ("episodes", "lost")):
            curves = [l for l in ax.get_lines() if len(np.unique(l.get_xdata())) > 1]
            assert len(curves) == 1
            np.testing.assert_array_equal(curves[0].get_ydata(), d[key])
    finally:
        plt.close(fig)


def test_counting_axis_starts_at_k_equal_one():
    d = data("counting")
    assert d["K"][0] == 1
    fig = EXPERIMENTS["counting"].draw(d)
    try:
        assert fig.axes[0].get_ylim()[0] == pytest.approx(1.0)
        assert fig.axes[1].get_xlim()[0] == pytest.approx(1.0)
    finally:
        plt.close(fig)


def test_comment_program_panels_state_their_fixed_parameters():
    d = data("comment_programs")
    fig = EXPERIMENTS["comment_programs"].draw(d)
    try:
        for ax, panel in zip(fig.axes, d["panels"]):
            other = "C_B" if panel["y_name"] == "C_ptr" else "C_ptr"
            assert f"{other} = {d['params'][other]:g}" in ax.get_title(), ax.get_title()
    finally:
        plt.close(fig)


def test_tie_curves_follow_the_exact_boundary_at_coarse_grids():
    """Drawn from the exact score difference, not the cells: on a 7 x 6 grid every
    point of the Hfh = Hsd curve satisfies g* = ΔT / (C_B - C_S - C_comb)."""
    d = ps.phase_diagram(x="g=0.3:10:7:log", y="C_B=5:40:6")
    (tie,) = d.ties
    p = ps.CostModel.default().parameters
    dt = p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_B"]
    for seg in tie["segments"]:
        g, cb = seg[:, 0], seg[:, 1]
        np.testing.assert_allclose(g * (cb - p["C_S"] - p["C_comb"]), dt, rtol=1e-2)
        assert len(seg) > 6 * 2  # a traced curve, not a staircase of cell edges
