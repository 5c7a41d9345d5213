"""Score the templates (default: the post's Hfh, Hsd, Hfd) under one exchange.

The winner is the best training-compatible program; ties (scores equal to 1e-9
relative) are broken by smaller c, then t, then size, then file order.
"""
from __future__ import annotations

import math

from .common import (add_model_options, exchange_from_args, fmt, model_from_args, print_json, print_table,
                     print_winner_none)
from ..scoring.rank import rank

HELP = "score the templates under one exchange"


def add_arguments(p):
    add_model_options(p)


def run(args):

    model = model_from_args(args)
    exchange = exchange_from_args(args, model)
    result = rank(model, args.programs, exchange)
    if args.json:
        data = result.to_json()
        for row in data["programs"]:
            if not math.isfinite(row["score"]):
                row["score"] = None
        print_json(data)
        return 0
    print(f"model {model.name}, exchange {exchange.describe()}")
    header = ("#", "name", "label", "c", "t", "score", "class", "deploys")
    rows = [(str(i + 1), p.name, p.label, fmt(p.c), fmt(p.t), fmt(p.score), p.cls, p.deploy_objective)
            for i, p in enumerate(result.programs)]
    if exchange.loss_price < math.inf:  # the training loss L of each program, priced into its score
        header += ("loss",)
        rows = [r + (fmt(p.loss),) for r, p in zip(rows, result.programs)]
    print_table(header, rows)
    w = result.winner
    if w is None:
        print_winner_none()
    else:
        tie = f" (tie on score with {result.programs[1].name}, broken by the documented rule)" if result.tie else ""
        print(f"winner: {w.name} ({w.label}) = {w.source}{tie}")
    for p in result.programs:
        if p.doc:
            print(f"\n{p.name} ({p.label}) = {p.source}")
            for line in p.doc.splitlines():
                print(f"    {line}")
    return 0
