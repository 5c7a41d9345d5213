"""Shared fixtures: the default model and a CLI runner that captures output and status."""
from __future__ import annotations

import os
import sys

import matplotlib
import pytest

matplotlib.use("Agg")
# shared helpers (reference implementations, strategies, paths) live in tests/support
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "support"))
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.path.dirname(__file__), "..", ".numba_cache"))

from priorsearch.cli.main import main  # noqa: E402
from priorsearch.model.cost_model import CostModel  # noqa: E402


@pytest.fixture(scope="session")
def post_model():
    return CostModel.default()


class CliResult:
    def __init__(self, status, out, err):
        self.status, self.out, self.err = status, out, err


@pytest.fixture
def cli(capsys):
    """Run ``priorsearch ARGS`` in-process; returns status, stdout and stderr."""

    def run(*args):
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(status, captured.out, captured.err)

    return run
