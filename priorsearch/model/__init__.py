"""Cost models: primitives, components, episodes, families, their TOML format and resolvers."""
from .cost_model import TYPES, PHASES, KINDS, BASE, EXCHANGE_PARAMS, Primitive, Component, Episode, Family, CostModel
from .resolve import resolve_model, resolve_packaged_model, resolve_programs, with_settings
from .toml_format import load_model, loads_model, dump_model

__all__ = ["TYPES", "PHASES", "KINDS", "BASE", "EXCHANGE_PARAMS", "Primitive", "Component", "Episode", "Family",
           "CostModel", "resolve_model", "resolve_programs", "resolve_packaged_model", "with_settings", "load_model", "loads_model", "dump_model"]
