"""The templates table: a FeatureTable of named programs (one row each, in order).

``rank``, ``phase --space templates``, ``boundary`` and the experiments all build their
program space here.
"""
from __future__ import annotations

__all__ = ["template_table"]

from ..features.layout import Layout
from ..features.semantics import evaluate
from ..features.table import FeatureTable
from ..model.resolve import resolve_programs


def template_table(model, programs=None) -> FeatureTable:
    """Features of ``programs`` under ``model``: checked Definitions, paths, or None
    (the post's Hfh, Hsd, Hfd); names, labels and program texts come along.

    Parameters
    ----------
    model : CostModel
        The cost model whose layout the features use.
    programs : None, path(s) or Definitions
        As :func:`priorsearch.model.resolve.resolve_programs` accepts them.

    Returns
    -------
    FeatureTable
        One row per program, in the given order.
    """
    definitions = resolve_programs(programs, model)
    # members above the listed ones (misaligned_123456 at K = 10^6) get items too
    layout = Layout(model.with_members(_names(d.program for d in definitions)))
    return FeatureTable.from_features(
        [evaluate(d.program, layout) for d in definitions], layout,
        names=[d.name for d in definitions], labels=[d.label for d in definitions],
        sources=[str(d.program) for d in definitions])


def _names(programs) -> set:
    """Every primitive name the programs use."""
    out, stack = set(), list(programs)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if hasattr(node, "name"):
            out.add(node.name)
    return out
