"""priorsearch: which program does a speed + simplicity prior favour?

Among programs that do equally well in training, a mix of a simplicity prior (short
description c) and a speed prior (short runtime t), traded at an exchange rate g, picks
one.  priorsearch encodes the candidates in a small DSL, prices them with a cost model
and computes the winner and the prior mass of each behaviour class.

>>> import priorsearch as ps
>>> ps.rank(g=1).winner.name
'honest'
"""
from ._version import __version__
from .lang.dsl import Call, Definition, If, parse_definitions, parse_program
from .errors import InputError, Location
from .exchange import Cap, Exchange, Levin, Linear, Power, custom, make_exchange, register
from .lang.expr import parse_expr
from .features.layout import Layout
from .model.cost_model import Component, CostModel, Episode, Family, Objective, Primitive
from .phase import PhaseData, phase_diagram
from .uncertainty import UncertaintyResult, uncertainty
from .scoring.rank import Ranking, rank
from .scoring.search import SearchResult, search
from .space.enumerate import enumerate_classes
from .features.semantics import evaluate
from .lang.templates import default_programs, load_programs, template
from .lang.typecheck import check
import importlib


__all__ = [
    "Call", "If", "Definition", "parse_program", "parse_definitions", "InputError", "Location",
    "Exchange", "Linear", "Levin", "Power", "Cap", "custom", "make_exchange", "parse_expr",
    "Layout", "Component", "CostModel", "Episode", "Family", "Objective", "Primitive", "Ranking", "rank", "SearchResult", "search", "enumerate_classes",
    "PhaseData", "phase_diagram", "plot_phase", "UncertaintyResult", "uncertainty", "plot_uncertainty", "Boundary", "boundary",
    "evaluate", "default_programs", "load_programs", "template", "check", "__version__",
]


# sympy and matplotlib load only when these are used (importing priorsearch stays fast)
_LAZY = {"boundary": ".symbolic.boundary", "Boundary": ".symbolic.boundary", "plot_phase": ".plot.phase",
         "plot_uncertainty": ".plot.uncertainty"}


def __getattr__(name):
    if name in _LAZY:

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'priorsearch' has no attribute {name!r}")
