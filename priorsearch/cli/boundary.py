"""Print the exact condition under which program A beats program B.

A and B are template or program names (e.g. honest simple_deceptive).  For the linear
exchange this is the tie g* = ... and which side each program wins; where no tie exists
it says which one wins everywhere and why.  Levin gives lambda*, cap and power their
inequalities.  --latex prints LaTeX instead.
"""
from __future__ import annotations

from .common import add_model_options, model_from_args
from ..exchange import make_exchange
from .common import print_json

HELP = "exact condition under which program A beats program B"


def add_arguments(p):
    p.add_argument("a", metavar="A", help="a template or program name, e.g. honest")
    p.add_argument("b", metavar="B", help="another one, e.g. simple_deceptive")
    add_model_options(p)
    p.add_argument("--latex", action="store_true", help="print LaTeX")
    p.add_argument("--x", metavar="NAME", dest="parameter",
                   help="the parameter to solve the tie for: the exchange's (default) or loss_price, "
                        "giving loss_price* = (score difference) / (L difference)")


def run(args):
    from ..symbolic.boundary import boundary

    model = model_from_args(args)
    result = boundary(args.a, args.b, model, make_exchange(None, model), args.programs, args.parameter)
    if args.json:

        print_json(result.to_json())
    elif args.latex:
        print(result.latex())
    else:
        print(result.text())
    return 0
