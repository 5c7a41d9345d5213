"""A program space by name: the templates table or the enumerated DSL."""
from __future__ import annotations

__all__ = ["program_space", "SPACES"]

from ..errors import InputError
from .enumerate import enumerate_classes
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
        The templates (None: the post's three); only with ``space="templates"``.
    max_size : int
        The largest program size (nodes) enumerated; only with ``space="enumerate"``.

    Returns
    -------
    FeatureTable
    """
    if space == "enumerate":
        if programs is not None:
            raise InputError("--programs applies to --space templates; --space enumerate covers every program")
        return enumerate_classes(model, max_size)
    return template_table(model, programs)
