"""Scoring a program space: rank the templates, search the enumeration, prior masses."""
from .rank import rank, Ranking, RankedProgram
from .search import search, search_table, SearchResult, SearchedClass, TIE_RULE
from .mass import log2_sum, class_log2_mass, deploy_log2_mass, Masses, log2_masses

__all__ = ['rank', 'Ranking', 'RankedProgram', 'search', 'search_table', 'SearchResult', 'SearchedClass', 'TIE_RULE', 'log2_sum', 'class_log2_mass', 'deploy_log2_mass', 'Masses', 'log2_masses']
