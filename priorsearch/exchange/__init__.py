"""Exchanges: how a program's totals (c, t) become one score, and the one tie rule."""
from .families import Exchange, Linear, Levin, Power, Cap, Custom, custom, make_exchange, EXCHANGES, TIE_RTOL, is_tie, order, episodes_in_budget, episodes_lost, check_overflow, check_levin_times

__all__ = ['Exchange', 'Linear', 'Levin', 'Power', 'Cap', 'Custom', 'custom', 'make_exchange', 'EXCHANGES', 'TIE_RTOL', 'is_tie', 'order', 'episodes_in_budget', 'episodes_lost', 'check_overflow', 'check_levin_times']
