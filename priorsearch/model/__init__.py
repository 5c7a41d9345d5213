"""Cost models: primitives, components, episodes, families, and their TOML format."""
from .cost_model import TYPES, PHASES, KINDS, BASE, EXCHANGE_PARAMS, Primitive, Component, Episode, Family, CostModel
from .toml_format import load_model, loads_model, dump_model

__all__ = ['TYPES', 'PHASES', 'KINDS', 'BASE', 'EXCHANGE_PARAMS', 'Primitive', 'Component', 'Episode', 'Family', 'CostModel', 'load_model', 'loads_model', 'dump_model']
