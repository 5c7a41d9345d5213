"""Linear cost features of programs, behaviour per episode, and the FeatureTable."""
from .layout import Layout, CostArrays, OP_TABLE, OP_NOT, OP_AND, OP_OR, TYPE_INDEX
from .semantics import Features, evaluate, classify, ALIGNED, DECEPTIVE, INCOMPATIBLE, CLASS_NAMES
from .table import FeatureTable, totals

__all__ = ['Layout', 'CostArrays', 'OP_TABLE', 'OP_NOT', 'OP_AND', 'OP_OR', 'TYPE_INDEX', 'Features', 'evaluate', 'classify', 'ALIGNED', 'DECEPTIVE', 'INCOMPATIBLE', 'CLASS_NAMES', 'FeatureTable', 'totals']
