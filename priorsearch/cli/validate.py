"""Parse and type-check program files (*.prog) and cost models (*.toml).

Program files are checked against --model; without it, against the one cost model
given among the files (``validate mine.toml mine.prog`` checks mine.prog against
mine.toml), else the post's model (with several models among the files, each line says
so).  Every file is checked; the first error of each is printed as
path:line:col and the exit status is 2 if any file failed.  A definition may use an
earlier one as a subroutine (``b = a``).
"""
from __future__ import annotations

import sys

from ..errors import InputError
from ..lang.dsl import read_definitions
from ..model.resolve import resolve_model
from ..model.cost_model import CostModel
from ..lang.typecheck import check, inline_definitions
from ..errors import Location

HELP = "parse and type-check program files and cost models"


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE", help=".prog or .toml files")
    p.add_argument("--model", metavar="M", help="cost model to check programs against")


def run(args):

    models, programs, failed = {}, [], 0
    for path in args.files:
        if not str(path).endswith(".toml"):
            programs.append(path)
            continue
        try:
            m = CostModel.load(path)
            models[path] = m
            print(f"ok: {path}: model {m.name!r}, {len(m.primitives)} primitives, {len(m.episodes)} episodes")
        except InputError as exc:
            _report(exc, path)
            failed += 1
    if not programs:
        return 2 if failed else 0
    if args.model is not None:
        model = resolve_model(args.model)
    elif len(models) == 1:
        model = next(iter(models.values()))
    elif failed:
        # the model given did not load: checking against the post's would mislead
        for path in programs:
            _report(InputError("not checked: the cost model given with it has errors (see above)"), path)
        return 2
    else:
        model = resolve_model(None)
    # several models and no --model: which one is meant is unknown, so the post's model,
    # said on every line
    note = " (several models given: choose one with --model)" if len(models) > 1 and args.model is None else ""
    for path in programs:
        try:
            defs = read_definitions(path)
            for d in inline_definitions(defs, model):
                check(d.program, model, "Policy")
            print(f"ok: {path}: {', '.join(d.name for d in defs)} (checked against model {model.name!r}){note}")
        except InputError as exc:
            _report(exc, path)
            failed += 1
    return 2 if failed else 0


def _report(exc, path):
    if exc.location is None:
        exc = exc.at(_path_location(path))  # every line names its file
    print(str(exc), file=sys.stderr)


def _path_location(path):

    return Location(str(path))
