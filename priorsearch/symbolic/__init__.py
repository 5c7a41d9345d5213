"""Exact symbolic c(p), t(p), tie conditions and boundary curves (sympy)."""
from .boundary import Boundary, boundary, boundary_rows, cost_expressions, exchange_symbols, row_cost_expressions, symbols

__all__ = ["Boundary", "boundary", "boundary_rows", "cost_expressions", "exchange_symbols", "row_cost_expressions", "symbols"]
