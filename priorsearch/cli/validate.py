"""Parse and type-check program files (*.prog) and cost models (*.toml).

Program files are checked against --model (default: the post's model).  Every file is
checked; the first error of each is printed as path:line:col and the exit status is 2
if any file failed.
"""
from __future__ import annotations

import sys

from ..errors import InputError
from ..lang.dsl import read_definitions
from ..model.resolve import resolve_model
from ..model.cost_model import CostModel
from ..lang.typecheck import check
from ..errors import Location

HELP = "parse and type-check program files and cost models"


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE", help=".prog or .toml files")
    p.add_argument("--model", metavar="M", help="cost model to check programs against")


def run(args):

    model = resolve_model(args.model)
    failed = 0
    for path in args.files:
        try:
            if str(path).endswith(".toml"):
                m = CostModel.load(path)
                print(f"ok: {path}: model {m.name!r}, {len(m.primitives)} primitives, {len(m.episodes)} episodes")
            else:
                defs = read_definitions(path)
                for d in defs:
                    check(d.program, model, "Policy")
                print(f"ok: {path}: {', '.join(d.name for d in defs)}")
        except InputError as exc:
            if exc.location is None:
                exc = exc.at(_path_location(path))  # every line names its file
            print(str(exc), file=sys.stderr)
            failed += 1
    return 2 if failed else 0


def _path_location(path):

    return Location(str(path))
