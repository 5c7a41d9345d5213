"""The result of an uncertainty run: per-draw arrays and what they add up to.

JSON: exactly the fixed keys of issue 13, ``{"draws", "seed", "sampler", "winners": {name:
p}, "deceptive": {"p", "ci95": [lo, hi]}, "deceptive_mass_share": {"mean", "q05", "q50",
"q95"}, "sobol": {param: {"S1", "S1_ci", "ST", "ST_ci"}}}`` (like ``rank --json``).
P(deceptive wins) in bins of the exchange parameter (:meth:`UncertaintyResult.by_parameter`)
and the Sobol indices of the deceptive mass share (``sobol_mass_share``) are in the text
report (:meth:`UncertaintyResult.summary`), the figure and this object; the provenance
(``metadata``) heads the CSV.  The CSV has one row per draw.
"""
from __future__ import annotations

__all__ = ["UncertaintyResult", "wilson"]

import json
import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError

Z95 = 1.959963984540054


def wilson(k: int, n: int) -> tuple:
    """95% Wilson score interval of a proportion k / n.

    Parameters
    ----------
    k, n : int
        Successes and trials.

    Returns
    -------
    tuple
        (lo, hi); (0, 1) when n is 0.
    """
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    den = 1.0 + Z95 ** 2 / n
    mid = (p + Z95 ** 2 / (2 * n)) / den
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / den
    lo = 0.0 if k == 0 else max(0.0, mid - half)
    hi = 1.0 if k == n else min(1.0, mid + half)
    return (lo, hi)


@dataclass
class UncertaintyResult:
    """Per-draw arrays of an uncertainty run.

    parameters : names of the drawn parameters (columns of ``values``)
    values : (n, d) drawn values
    winner : (n,) index into ``names`` (-1: no winner); classes[i] is names[i]'s class
    deceptive : (n,) bool, a deceptive program wins
    share : (n,) deceptive share of prior mass (NaN without masses)
    structure : (n,) index into ``alternatives`` (the program space of each draw)
    sobol, sobol_mass_share : indices per parameter (empty when not computed)
    bins_parameter : the exchange parameter when it is drawn (else None); log_bins
    """

    draws: int
    seed: int
    sampler: str
    parameters: list
    values: np.ndarray
    winner: np.ndarray
    names: list
    classes: list
    deceptive: np.ndarray
    share: np.ndarray
    structure: np.ndarray
    alternatives: list
    sobol: dict = field(default_factory=dict)
    sobol_mass_share: dict = field(default_factory=dict)
    bins_parameter: str | None = None
    log_bins: bool = False
    metadata: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ summaries

    def winners(self) -> dict:
        """P(each program wins), most probable first (``none`` for draws without one)."""
        counts = np.bincount(self.winner + 1, minlength=len(self.names) + 1)
        out = {}
        order = sorted(range(len(self.names)), key=lambda i: (-counts[i + 1], self.names[i]))
        for i in order:
            if counts[i + 1]:
                out[self.names[i]] = float(counts[i + 1] / self.draws)
        if counts[0]:
            out["none"] = float(counts[0] / self.draws)
        return out

    def class_winners(self) -> dict:
        """P(a program of each class wins): aligned, deceptive, proxy (``none`` for draws
        without a winner), most probable first."""
        counts = {}
        for i, k in enumerate(np.bincount(self.winner + 1, minlength=len(self.names) + 1)):
            if k:
                name = "none" if i == 0 else self.classes[i - 1]
                counts[name] = counts.get(name, 0) + int(k)
        return {c: k / self.draws for c, k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

    def p_deceptive(self) -> tuple:
        """(P(a deceptive program wins), 95% interval lo, hi)."""
        k = int(self.deceptive.sum())
        return (k / self.draws, *wilson(k, self.draws))

    def mass_share(self) -> dict:
        s = self.share[np.isfinite(self.share)]
        if not len(s):
            return {"mean": None, "q05": None, "q50": None, "q95": None}
        q = np.quantile(s, [0.05, 0.5, 0.95])
        return {"mean": float(s.mean()), "q05": float(q[0]), "q50": float(q[1]), "q95": float(q[2])}

    def by_parameter(self, bins: int = 16) -> list:
        """P(deceptive wins) in ``bins`` bins of the exchange parameter (empty if fixed)."""
        if self.bins_parameter is None:
            return []
        x = self.values[:, self.parameters.index(self.bins_parameter)]
        lo, hi = float(x.min()), float(x.max())
        if not hi > lo:
            return []
        use_log = self.log_bins and lo > 0
        edges = np.geomspace(lo, hi, bins + 1) if use_log else np.linspace(lo, hi, bins + 1)
        which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
        out = []
        for b in range(bins):
            sel = which == b
            n = int(sel.sum())
            k = int(self.deceptive[sel].sum())
            mid = _geometric_mid(edges[b], edges[b + 1]) if use_log else 0.5 * (edges[b] + edges[b + 1])
            out.append({"lo": float(edges[b]), "hi": float(edges[b + 1]), "mid": float(mid), "n": n,
                        "p": (k / n) if n else None, "ci95": list(wilson(k, n)) if n else None})
        return out

    def to_json(self) -> dict:
        p, lo, hi = self.p_deceptive()
        out = {"draws": int(self.draws), "seed": int(self.seed), "sampler": self.sampler,
               "winners": {k: float(v) for k, v in self.winners().items()},
               "deceptive": {"p": float(p), "ci95": [float(lo), float(hi)]},
               "deceptive_mass_share": self.mass_share(),
               "sobol": self.sobol}
        return out

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, allow_nan=False) + "\n"

    def summary(self) -> str:
        p, lo, hi = self.p_deceptive()
        lines = [f"{self.draws:,} draws ({self.sampler}, seed {self.seed}) over {', '.join(self.parameters) or 'no parameter'}"]
        lines.append(f"P(a deceptive program wins) = {p:.4g}  (95% interval {lo:.4g} to {hi:.4g})")
        lines.append("winners: " + ", ".join(f"{k} {v:.4g}" for k, v in self.winners().items()))
        lines.append("winning class: " + ", ".join(f"{k} {v:.4g}" for k, v in self.class_winners().items()))
        ms = self.mass_share()
        if ms["mean"] is not None:
            lines.append(f"deceptive share of prior mass: mean {ms['mean']:.4g}, "
                         f"5%/50%/95% quantiles {ms['q05']:.4g} / {ms['q50']:.4g} / {ms['q95']:.4g}")
        for what, indices in (("'deceptive wins'", self.sobol), ("the deceptive mass share", self.sobol_mass_share)):
            if indices:
                top = sorted(indices.items(), key=lambda kv: (-kv[1]["ST"], kv[0]))
                lines.append(f"Sobol indices of {what} (first-order S1, total ST, 95% intervals):")
                lines.extend(f"  {k:<10} S1 {v['S1']:.3g} [{v['S1_ci'][0]:.3g}, {v['S1_ci'][1]:.3g}]  "
                             f"ST {v['ST']:.3g} [{v['ST_ci'][0]:.3g}, {v['ST_ci'][1]:.3g}]" for k, v in top)
        bins = self.by_parameter()
        if bins:
            lines.append(f"P(a deceptive program wins | {self.bins_parameter}), in bins of {self.bins_parameter}:")
            for b in bins:
                if b["n"]:
                    lines.append(f"  {b['lo']:<10.4g} to {b['hi']:<10.4g} {b['p']:.4g}  "
                                 f"(95% interval {b['ci95'][0]:.4g} to {b['ci95'][1]:.4g}; {b['n']:,} draws)")
        if len(self.alternatives) > 1:
            lines.append("structure: " + "; ".join(
                f"{a} ({int((self.structure == i).sum()):,} draws)" for i, a in enumerate(self.alternatives)))
        return "\n".join(lines)

    # ------------------------------------------------------------------ tables

    def columns(self) -> tuple:
        """(header, columns) of the per-draw table."""
        header = ["draw", *self.parameters]
        cols = [np.arange(self.draws), *[self.values[:, j] for j in range(len(self.parameters))]]
        if len(self.alternatives) > 1:
            header.append("structure")
            cols.append(np.asarray(self.alternatives, dtype=object)[self.structure])
        names = np.asarray(list(self.names) + ["none"], dtype=object)
        classes = np.asarray(list(self.classes) + ["none"], dtype=object)
        header += ["winner", "class", "deceptive", "deceptive_mass_share"]
        cols += [names[self.winner], classes[self.winner], self.deceptive.astype(np.int64), self.share]
        return header, cols

    def csv_text(self) -> str:
        """The per-draw table as CSV text, headed by the provenance (``# metadata``)."""
        return "".join(self.csv_blocks())

    def csv_blocks(self, rows: int = 1 << 15):
        """The text of :meth:`csv_text` in blocks of ``rows`` draws, so a file of many
        draws is written without holding its whole text (the CLI streams it).

        Parameters
        ----------
        rows : int
            Draws per block.

        Yields
        ------
        str
        """
        header, cols = self.columns()
        yield "\n".join([f"# priorsearch uncertainty data ({self.metadata.get('version', '')})",
                         f"# command: {self.metadata.get('command', '')}",
                         "# metadata: " + json.dumps(self.metadata, sort_keys=True, allow_nan=False),
                         ",".join(header)]) + "\n"
        for s in range(0, self.draws, rows):
            text_cols = [_text_column(c[s:s + rows]) for c in cols]
            yield "".join(",".join(row) + "\n" for row in zip(*text_cols))

    def to_dataframe(self):
        """The per-draw table as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError("to_dataframe needs pandas: pip install pandas") from None
        header, cols = self.columns()
        return pd.DataFrame({h: c for h, c in zip(header, cols)})


def _text_column(col) -> list:
    col = np.asarray(col)
    if col.dtype == object:
        return [_csv(str(x)) for x in col]
    if col.dtype.kind in "iub":
        return [str(int(x)) for x in col]
    return [_f(x) for x in col.tolist()]


def _f(v: float) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def _csv(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _geometric_mid(a: float, b: float) -> float:
    """sqrt(a b) of two bin edges > 0, also where a b over- or underflows (edges near
    1e300 or 1e-300); otherwise exactly sqrt(a * b), so existing outputs keep their bits."""
    a, b = float(a), float(b)  # Python floats: an overflow is inf, without a numpy warning
    ab = a * b
    if ab > 0 and math.isfinite(ab):
        return math.sqrt(ab)
    return math.sqrt(a) * math.sqrt(b)
