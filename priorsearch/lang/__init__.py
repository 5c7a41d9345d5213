"""The program language: the DSL parser and printer, whitelist arithmetic, templates, type checks."""
from .dsl import Call, If, Program, Definition, parse_program, parse_definitions, read_definitions, MAX_DEPTH, KEYWORDS
from .expr import Expr, parse_expr, FUNCTIONS, MAX_DEPTH
from .templates import load_programs, default_programs, template, TEMPLATE_NAMES, POST_TEMPLATES
from .typecheck import check, check_definitions, infer_type

__all__ = ['Call', 'If', 'Program', 'Definition', 'parse_program', 'parse_definitions', 'read_definitions', 'MAX_DEPTH', 'KEYWORDS', 'Expr', 'parse_expr', 'FUNCTIONS', 'MAX_DEPTH', 'load_programs', 'default_programs', 'template', 'TEMPLATE_NAMES', 'POST_TEMPLATES', 'check', 'check_definitions', 'infer_type']
