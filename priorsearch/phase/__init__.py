"""Phase diagrams: axes, sweeps over a FeatureTable, kernels and data files."""
from .sweep import Axis, PhaseData, phase_diagram, parse_axis, write_data, DATA_EXTENSIONS, MAX_POINTS, DEFAULT_X, DEFAULT_Y, EXCHANGE_AXIS_LABELS

__all__ = ['Axis', 'PhaseData', 'phase_diagram', 'parse_axis', 'write_data', 'DATA_EXTENSIONS', 'MAX_POINTS', 'DEFAULT_X', 'DEFAULT_Y', 'EXCHANGE_AXIS_LABELS']
