"""Program spaces: the templates table and the enumeration of every program of the DSL."""
from .enumerate import enumerate_classes, counts_by_size, DEFAULT_MAX_CLASSES, ProgramTexts, Enumeration
from .counting import program_counts, compositions

__all__ = ['enumerate_classes', 'counts_by_size', 'DEFAULT_MAX_CLASSES', 'ProgramTexts', 'Enumeration', 'program_counts', 'compositions']
