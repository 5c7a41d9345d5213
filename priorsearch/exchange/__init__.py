"""Exchanges: how a program's totals (c, t) become one score (lower wins), and the tie rule.

=========  =====================================  ==========================================
name       score                                  bits (-log2 prior weight, for masses)
=========  =====================================  ==========================================
linear     g*c + t          (g >= 0)              c + t/g      (the post's g(c(x)) = t(x))
levin      c + lambda*log2 t                      c + lambda*log2 t   (Levin's Kt at lambda=1)
power      g*c + t^alpha                          c + t^alpha/g
cap        c among programs with t <= k           c if t <= k, else excluded
custom     any function of the (c, t) arrays      its ``bits`` hook, default the score
=========  =====================================  ==========================================

One module per family (:mod:`.linear`, :mod:`.levin`, :mod:`.power`, :mod:`.cap`,
:mod:`.custom`), the protocol in :mod:`.base`, the names in :mod:`.registry` and the one
tie rule in :mod:`.ties`.
"""
from .base import Exchange, Parameter
from .cap import Cap, episodes_in_budget, episodes_lost
from .custom import Custom, custom
from .levin import Levin
from .linear import Linear
from .power import Power
from .registry import EXCHANGES, exchange_defaults, make_exchange, parameter_owners, register
from .ties import TIE_RTOL, TIE_RULE, best_rows, is_tie, order, precedes, select_two, winners_by_column

__all__ = ["Exchange", "Parameter", "Linear", "Levin", "Power", "Cap", "Custom", "custom", "EXCHANGES",
           "register", "make_exchange", "exchange_defaults", "parameter_owners", "TIE_RTOL", "TIE_RULE",
           "is_tie", "order", "best_rows", "winners_by_column", "select_two", "precedes",
           "episodes_in_budget", "episodes_lost"]
