"""``--code flat|prefix``: the code of description lengths, for search and phase."""
from __future__ import annotations

__all__ = ["add_code_option", "apply_code"]

from ..errors import InputError, suggest
from ..scoring.codes import CODES


def add_code_option(p):
    """Add ``--code`` to a command's parser.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The command's parser.
    """
    p.add_argument("--code", metavar="CODE",
                   help="code of description lengths: flat (node_bits per node) or prefix (+ log2 of the "
                        "productions of the node's type, so masses converge); default: the model's code")


def apply_code(args, model):
    """The model with --code applied (an unknown name is one clear line, exit 2).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments (``args.code`` may be None).
    model : CostModel
        The model from the other options.

    Returns
    -------
    CostModel
    """
    if getattr(args, "code", None) is None:
        return model
    if args.code not in CODES:
        raise InputError(f"--code: unknown code {args.code!r}{suggest(args.code, CODES)}; choose from {', '.join(CODES)}")
    return model.with_options(code=args.code)
