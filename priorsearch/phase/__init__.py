"""Phase diagrams: axes, sweeps over a FeatureTable, kernels and data files."""
from .axes import DEFAULT_X, DEFAULT_Y, MAX_POINTS, Axis, axis_values, parameter_label, parse_axis, parse_axis_spec
from .data import CLASS_LABELS, DATA_EXTENSIONS, PhaseData, check_data_paths, write_data
from .sweep import cost_points, exchange_points, phase_diagram

__all__ = ["Axis", "PhaseData", "phase_diagram", "parse_axis", "parse_axis_spec", "axis_values", "parameter_label", "write_data",
           "check_data_paths", "DATA_EXTENSIONS", "CLASS_LABELS", "MAX_POINTS", "DEFAULT_X", "DEFAULT_Y",
           "exchange_points", "cost_points"]
