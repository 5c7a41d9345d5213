"""The command line: ``main(argv=None)`` and one module per command."""
from .main import main

__all__ = ["main"]
