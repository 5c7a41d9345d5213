"""A program space by name: the templates table or the enumerated DSL."""
from __future__ import annotations

__all__ = ["program_space", "SPACES"]

from ..model.resolve import resolve_programs
from .enumerate import enumerate_classes, label_classes
from .templates import template_table

SPACES = ("templates", "enumerate")


def program_space(model, space, programs=None, max_size=9):
    """The FeatureTable of the templates (as ``rank`` builds it) or of the enumerated DSL.

    Parameters
    ----------
    model : CostModel
        The cost model.
    space : {"templates", "enumerate"}
        Which programs: the given templates, or every program up to ``max_size``.
    programs : None, path(s) or Definitions
        The templates (None: the post's three); with ``space="enumerate"`` they name the
        classes they fall in.
    max_size : int
        The largest program size (nodes) enumerated; only with ``space="enumerate"``.

    Returns
    -------
    FeatureTable
    """
    if space == "enumerate":
        table = enumerate_classes(model, max_size)
        if programs is not None:
            # every program is enumerated anyway; the user's name the classes they fall in
            table = label_classes(table, resolve_programs(programs, model))
        return table
    return template_table(model, programs)
