"""Command line: ``priorsearch COMMAND ...``.

Exit status: 0 on success, 2 on bad input (one line ``path:line:col: error: ...`` or
``error: ...`` on stderr, no traceback, no partial output file), 1 on an internal failure.
Importing this module only defines things; :func:`main` does the work.
"""
from __future__ import annotations

__all__ = ["main", "build_parser"]

import argparse
import os
import sys

from ..errors import InputError
from .._version import __version__
from . import boundary, figures, phase, rank, search, uncertainty, validate

#: command name -> module in priorsearch.cli (each has HELP, add_arguments, run)
#: command name -> its module (``HELP``, ``add_arguments(parser)``, ``run(args)``), in --help order
COMMANDS = {"rank": rank, "validate": validate, "search": search, "phase": phase, "boundary": boundary,
            "figures": figures, "uncertainty": uncertainty}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and raise InputError (exit 2)."""

    def error(self, message):
        raise InputError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The ``priorsearch`` argument parser, one sub-command per entry of ``COMMANDS``.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = _Parser(prog="priorsearch", description=(
        "Which program does a mix of a simplicity prior and a speed prior favour: an honest "
        "mesaoptimizer or a deceptive one?"))

    parser.add_argument("--version", action="version", version=f"priorsearch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, module in COMMANDS.items():
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : list of str or None
        The arguments after the program name (None: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 for bad input (one line on stderr), 1 for an internal error,
        130 on Ctrl-C.
    """
    try:
        args = build_parser().parse_args(argv)
        status = args.run(args)
        return 0 if status is None else int(status)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal failure, not the user's fault
        if os.environ.get("PRIORSEARCH_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set PRIORSEARCH_DEBUG=1 for a traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
