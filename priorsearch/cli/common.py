"""Options shared by several commands, and turning them into model, programs, exchange."""
from __future__ import annotations

__all__ = ["add_model_options", "model_from_args", "exchange_from_args", "parse_assignment", "parse_settings",
           "print_json"]

import json
import math
import sys

from ..errors import InputError
from ..lang.numbers import parse_number as parse_exact  # 2^100, 1e30 (exact), 3/4
from ..exchange import EXCHANGES, make_exchange, parameter_owners
from ..exchange.base import LOSS_PRICE, check_loss_price
from ..model.resolve import resolve_model, with_settings
import numpy as np


def add_model_options(p, programs=True):
    """Add the options every model command shares: ``--model``, ``--programs``, ``--set``,
    ``--exchange``, ``--g`` and ``--json``.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The sub-command's parser.
    programs : bool
        Whether the command takes --programs.
    """
    p.add_argument("--model", metavar="M", help="cost model TOML file (default: the post's model)")
    if programs:
        p.add_argument("--programs", nargs="+", metavar="P",
                       help="program files or directories (default: the post's Hfh, Hsd, Hfd)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter (cost or exchange parameter); repeatable")
    p.add_argument("--exchange", choices=sorted(EXCHANGES), help="exchange (default: the model's, linear)")
    p.add_argument("--g", type=str, metavar="X", help="exchange rate g (time units per bit)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def parse_number(text: str, what: str) -> float:
    """A finite float from a command-line value, read like ``--set`` values are
    (:func:`priorsearch.lang.numbers.parse_number`: literals, or arithmetic over numbers
    such as ``2^-3``; never eval)."""
    return float(parse_exact(text, what))


def parse_assignment(text: str):
    """Split a ``--set NAME=VALUE`` text; VALUE must be a number.

    Parameters
    ----------
    text : str
        The option's value.

    Returns
    -------
    name : str
    value : float
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise InputError(f"--set {text!r}: expected NAME=VALUE")
    if name == LOSS_PRICE:  # inf is its default (pass/fail), so it may be given
        try:
            number = float(value.strip())
        except ValueError:
            raise InputError(f"--set {name}: expected a number, got {value.strip()!r}") from None
        return name, check_loss_price(number, f"--set {name}")
    return name, parse_exact(value.strip(), f"--set {name}")


def parse_settings(texts, with_flags=False):
    """``--set NAME=VALUE`` options as a dict; two different values for one name are an
    error (the last one silently winning hid a typo), the same value twice is not.

    Parameters
    ----------
    texts : iterable of str
        The options' values.
    with_flags : bool
        Also return NAME -> the option that gave it (for later conflicts, e.g. ``--g``).

    Returns
    -------
    dict, or (dict, dict) with ``with_flags``
        NAME -> value.
    """
    settings, given = {}, {}
    for text in texts:
        key, value = parse_assignment(text)
        _set_once(settings, given, key, value, f"--set {text}")
    return (settings, given) if with_flags else settings


def model_from_args(args):
    """The model with --model, --set, --exchange and --g applied.

    ``--set`` may name cost parameters or exchange parameters (g, lambda, alpha, k); the
    model's default exchange becomes ``--exchange`` when given.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options from a parser set up by :func:`add_model_options`.

    Returns
    -------
    CostModel
    """
    model = resolve_model(args.model)
    settings, given = parse_settings(args.sets, with_flags=True)
    name = getattr(args, "exchange", None) or model.exchange
    if getattr(args, "g", None) is not None:
        owners = parameter_owners("g")
        if name not in owners:
            raise InputError(f"--g applies to the {' and '.join(owners)} exchanges, not {name!r}")
        _set_once(settings, given, "g", parse_number(args.g, "--g"), f"--g {args.g}")
    return with_settings(model, settings, name)


def _set_once(settings, given, key, value, flag):
    """Record one setting; two different values for one parameter are an error (the
    last one silently winning hid a typo)."""
    if key in settings and settings[key] != value:
        raise InputError(f"conflicting values for {key}: {given[key]} and {flag}")
    settings[key] = value
    given.setdefault(key, flag)


def exchange_from_args(args, model):
    """The exchange of a model prepared by :func:`model_from_args`.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options (already applied to ``model``).
    model : CostModel
        The model :func:`model_from_args` returned; its exchange and parameters are used.

    Returns
    -------
    Exchange
    """
    return make_exchange(None, model)


def print_json(data) -> None:
    # serialise fully before writing, so a failure never leaves half a document
    """Print ``data`` as indented JSON on stdout (NumPy scalars allowed, NaN refused).

    Parameters
    ----------
    data : object
        JSON-serialisable data.
    """
    text = json.dumps(data, indent=2, allow_nan=False, default=_jsonable)
    sys.stdout.write(text + "\n")


def _jsonable(value):

    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_table(header, rows) -> None:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(r[k]) for r in rows + [header]) for k in range(len(header))]
    for r in [header] + rows:
        print("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip())


def print_winner_none() -> None:
    print("winner: none (no training-compatible program has a finite score)")


def fmt(x: float) -> str:
    """Numbers for tables: integers without decimals, others with 6 significant digits."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == int(x) and abs(x) < 1e12:
        return str(int(x))
    return f"{x:.6g}"
