"""Search every program of the DSL up to --max-size nodes, not only the templates.

Every well-typed Policy program is enumerated (merged into classes of interchangeable
programs with exact multiplicities) and scored under the exchange.  Prints the winner
(and the template it equals, if any), the --top best training-compatible classes, every
class tied with the winner (ties: scores equal to 1e-9 relative, broken by smaller c,
then t, then size, then enumeration order), the log2 prior mass of the aligned and
deceptive classes (and of the proxies, where there are any) and of each deployment
objective, and program counts per size.
"""
from __future__ import annotations

import sys
import time

from ..errors import natural_key
from .common import (add_model_options, exchange_from_args, fmt, model_from_args, print_json, print_table,
                     print_winner_none)
from ..space.enumerate import DEFAULT_MAX_CLASSES
from ..errors import InputError
from .code_option import add_code_option, apply_code
from ..scoring.search import search
from ..scoring.search import TIE_RULE

_DEPLOY_SHOWN = 6
HELP = "search every program of the DSL up to a size: winner, ranking, ties, masses"


def add_arguments(p):

    p.add_argument("--max-size", type=int, default=9, metavar="N",
                   help="largest program size in nodes (default 9)")
    p.add_argument("--top", type=int, default=10, metavar="K", help="rows of the ranking (default 10)")
    p.add_argument("--max-classes", type=int, default=DEFAULT_MAX_CLASSES, metavar="M",
                   help=f"refuse to hold more program classes than this (default {DEFAULT_MAX_CLASSES:,})")
    add_code_option(p)
    add_model_options(p)


class ProgressBar:
    """A tqdm bar that appears only once enumeration has run for a second on a terminal."""

    def __init__(self, stream=None, delay=1.0):
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay = delay
        self.bar = None

    def __call__(self, done, total, note):
        if self.bar is None:
            if time.monotonic() - self.start < self.delay or not self.stream.isatty():
                return
            from tqdm import tqdm

            self.bar = tqdm(total=float(total), file=self.stream, unit="size", leave=False,
                            bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}")
        self.bar.set_description(note, refresh=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run(args):

    if args.max_size < 1:
        raise InputError(f"--max-size must be >= 1, got {args.max_size}")
    if args.top < 0:
        raise InputError(f"--top must be >= 0, got {args.top}")
    if args.max_classes < 1:
        raise InputError(f"--max-classes must be >= 1, got {args.max_classes}")
    model = apply_code(args, model_from_args(args))
    exchange = exchange_from_args(args, model)
    bar = ProgressBar()
    try:
        result = search(model, args.max_size, exchange, top=args.top, max_classes=args.max_classes,
                        progress=bar, programs=args.programs)
    finally:
        bar.close()
    if args.json:
        print_json(result.to_json())
        return 0
    _print(result, model)
    return 0


def _print(result, model):
    print(f"model {model.name}, exchange {result.exchange.describe()}, programs up to {result.max_size} nodes: "
          f"{result.n_programs:,} programs in {result.n_classes:,} classes, {result.n_compatible:,} training-compatible")
    header = ("#", "c", "t", "score", "class", "deploys", "size", "programs", "template", "program")
    rows = [(str(i + 1) + ("=" if r.tie else ""), fmt(r.c), fmt(r.t), fmt(r.score), r.cls, r.deploy_objective,
             str(r.size), f"{r.multiplicity:,}", r.label if r.name else "", r.source)
            for i, r in enumerate(result.top)]
    if rows:
        print_table(header, rows)
    w = result.winner
    if w is None:
        print_winner_none()
    else:
        label = f" = template {w.name} ({w.label})" if w.name else " (no template)"
        print(f"winner: {w.source}{label}, {w.cls}")
    if result.ties:
        print(f"ties: {len(result.ties)} classes tie with the best score (marked '='); {_rule()}")
    for name, K in result.family_sizes:
        print(f"family {name}: {name}_i, {name}_j, ... in a program are distinct members of {_count(K)}; "
              f"a row stands for every choice of them (its programs column counts them all)")
    if result.masses is None:
        print(result.mass_note)
    else:
        m = result.masses
        parts = ", ".join(f"{k} {fmt(v)}" for k, v in m.classes.items())
        print(f"{result.mass_note}: {parts}")
        if result.code is not None and result.code.warning:
            print(f"  {result.code.warning}")
        elif result.code is not None and result.code.tail_log2_bound is not None:
            print(f"  programs larger than {result.max_size} nodes add at most 2^{fmt(result.code.tail_log2_bound)} "
                  f"to any of these masses (a bound from the code's branching process)")
        share = result.deceptive_share
        if share is not None:
            print(f"  deceptive share of the {result.masses.total} mass: {share:.6g}")
        groups = {f.objective_group(r): f.size for f in getattr(result.table, "families", ())
                  for r in range(len(f.templates))}
        heavy = sorted(m.deploy.items(), key=lambda kv: (-kv[1], natural_key(kv[0])))
        shown = ", ".join(f"{_grouped(k, groups)} {fmt(v)}" for k, v in heavy[:_DEPLOY_SHOWN])
        more = f", and {len(heavy) - _DEPLOY_SHOWN} more (all in --json)" if len(heavy) > _DEPLOY_SHOWN else ""
        print(f"  by deployment objective, heaviest first: {shown or 'none'}{more}")
        print(f"  argmin class {result.argmin_class or 'none'}, heaviest class {result.heaviest_class or 'none'}")
    c = result.counts
    # proxy only when the space holds a compatible proxy (space.classes.counts_by_size)
    columns = [k for k in ("programs", "compatible", "aligned", "deceptive", "proxy", "incompatible") if k in c]
    names = " / ".join("all" if k == "programs" else k for k in columns)
    print(f"programs per size ({names}; classes):")
    for i, n in enumerate(c["size"]):
        print(f"  {n:3d}: " + " / ".join(f"{c[k][i]:,}" for k in columns) + f"; {c['classes'][i]:,}")


def _count(K: int) -> str:
    return f"K = {K:,}" if K < 10 ** 15 else f"K = {K} (~{float(K):.4g})" if K < 10 ** 40 else f"K ~ {float(K):.6g}"


def _grouped(key: str, groups: dict) -> str:
    """A deployment key with its families' member counts: misaligned_* (K members)."""
    parts = []
    for part in key.split(","):
        K = groups.get(part)
        parts.append(part if K is None else f"{part} ({K:,} members)" if K < 10 ** 15 else
                     f"{part} ({float(K):.4g} members)")
    return ",".join(parts)


def _rule():

    return TIE_RULE
