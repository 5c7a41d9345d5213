"""Command lines whose outputs ``loss_price = inf`` must leave byte-identical.

The goldens in tests/data/loss_price_inf/ were written by ``generate()`` with the code
*before* the training loss existed (commit 8c44362 on main); the test in
tests/integration/test_loss_price_inf.py runs the same command lines, plain and with
``--set loss_price=inf``, and compares bytes.  One case per packaged model and command
(rank where the post's templates type-check on the model; search; phase winner and mass).
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from paths import REPO

GOLDEN_DIR = REPO / "tests" / "data" / "loss_price_inf"

#: packaged model -> (y axis of its phase cases, enumeration size limit)
MODELS = {
    "post": ("C_B=1:1000:5:log", 7),
    "goal_table": ("C_S=0.5:8:4:log", 7),
    "heuristics": ("C_B=1:1000:5:log", 7),
    "nonfactorable": ("C_B=1:1000:5:log", 7),
    "dense_sparse": ("C_B=1:1000:5:log", 7),
    "counting": ("C_B=1:1000:5:log", 5),
    "rich": ("C_B=1:1000:5:log", 5),
}
#: models on which the post's three templates type-check (rank's default programs)
RANKED = ("post", "goal_table", "heuristics", "nonfactorable", "rich")


def model_path(name) -> str:
    """Relative to the repository (cases run there), so outputs name no worktree."""
    return f"programs/{name}.toml"


def cases():
    """(case name, argv, kind) with kind "stdout" or "csv" (the phase data file)."""
    out = []
    for name, (y_axis, size) in MODELS.items():
        m = ["--model", model_path(name)]
        if name in RANKED:
            out.append((f"{name}-rank", ["rank", *m, "--json"], "stdout"))
            out.append((f"{name}-rank-levin", ["rank", *m, "--exchange", "levin", "--json"], "stdout"))
            out.append((f"{name}-rank-text", ["rank", *m], "stdout"))
            out.append((f"{name}-phase-templates", ["phase", *m, "--x", "g=0.01:100:7:log", "--y", y_axis,
                                                   "--out", "none"], "csv"))
        out.append((f"{name}-search", ["search", *m, "--max-size", str(size), "--json"], "stdout"))
        out.append((f"{name}-search-text", ["search", *m, "--max-size", str(size)], "stdout"))
        for mode in ("winner", "mass"):
            out.append((f"{name}-phase-{mode}", ["phase", *m, "--space", "enumerate", "--max-size", str(size),
                                                 "--x", "g=0.01:100:7:log", "--y", y_axis, "--mode", mode,
                                                 "--out", "none"], "csv"))
    return out


def run_case(argv, kind) -> bytes:
    """The bytes a case produces (stdout, or the phase CSV) with the CLI run in-process."""
    from priorsearch.cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        argv = list(argv)
        if kind == "csv":
            argv += ["--data", str(Path(tmp) / "phase.csv")]
        buf, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err), contextlib.chdir(REPO):
            status = main(argv)
        if status != 0:
            raise AssertionError(f"{' '.join(argv)} exited {status}: {err.getvalue()}")
        if kind == "csv":
            return (Path(tmp) / "phase.csv").read_bytes()
        return buf.getvalue().encode()


def generate():
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name, argv, kind in cases():
        (GOLDEN_DIR / f"{name}.{'csv' if kind == 'csv' else 'out'}").write_bytes(run_case(argv, kind))


if __name__ == "__main__":
    generate()
