"""Draw a phase diagram: which program wins over two axes (exchange or cost parameters).

Each axis is NAME=LO:HI:N[:log]: N values of the exchange parameter (g, lambda, alpha or
k of the chosen exchange) or of a cost parameter, log-spaced with ':log'.  A family's
count (K) is an axis of whole numbers: values are rounded to the nearest whole number
(whole end points stay exact, K=1:1e30:31:log), and an axis that repeats a value after
rounding is an error.  With no
arguments: the post's diagram, g from 0.01 to 100 against C_B, over Hfh, Hsd and Hfd,
into ./phase.png and ./phase.csv.  Output paths are checked before any work; files are
written atomically.
"""
from __future__ import annotations

import sys

from ..outputs import check_output_path, check_outputs
from ..phase import DEFAULT_X, DEFAULT_Y, MAX_POINTS, check_data_paths, phase_diagram
from ..plot.outputs import write_phase_outputs
from ..plot.style import FIGURE_EXTENSIONS
from ..provenance import command_line
from .code_option import add_code_option, apply_code
from .common import add_model_options, model_from_args, print_json

HELP = "phase diagram over two axes (default: the post's g x C_B diagram)"


def add_arguments(p):
    add_model_options(p)
    add_code_option(p)
    p.add_argument("--x", metavar="AXIS", help=f"x axis NAME=LO:HI:N[:log] (default {DEFAULT_X})")
    p.add_argument("--y", metavar="AXIS", help=f"y axis NAME=LO:HI:N[:log] (default {DEFAULT_Y})")
    p.add_argument("--space", choices=("templates", "enumerate"), default="templates",
                   help="the templates (default) or every program up to --max-size nodes")
    p.add_argument("--max-size", type=int, default=9, metavar="N", help="size limit of --space enumerate (default 9)")
    p.add_argument("--mode", choices=("winner", "mass"), default="winner",
                   help="winner (default) or mass: the deceptive share of prior mass, with contours")
    p.add_argument("--out", default="phase.png", metavar="F",
                   help="figure file, .png (default phase.png), .svg or .pdf; 'none' for no figure")
    p.add_argument("--data", nargs="+", default=["phase.csv"], metavar="F",
                   help="data files, .csv and/or .npz (default phase.csv); 'none' for no data file")
    p.add_argument("--max-points", type=int, default=MAX_POINTS, metavar="N",
                   help=f"refuse grids larger than this (default {MAX_POINTS:,})")


def run(args):
    inputs = [args.model, *(args.programs or [])]  # never overwritten, whatever they are called
    figure = None if args.out.lower() == "none" else check_output_path(args.out, set(FIGURE_EXTENSIONS), inputs)
    data_paths = [] if [d.lower() for d in args.data] == ["none"] else check_data_paths(args.data, inputs)
    check_outputs([*([figure] if figure else []), *data_paths], inputs)  # no file written twice
    model = apply_code(args, model_from_args(args))
    command = canonical_command(args)
    data = phase_diagram(model, args.x, args.y, space=args.space, programs=args.programs,
                         max_size=args.max_size, mode=args.mode, max_points=args.max_points,
                         progress=sys.stderr.isatty(), command=command)
    written = write_phase_outputs(data, figure, data_paths)
    if args.json:
        print_json({"written": [str(p) for p in written], "summary": data.summary(),
                    "metadata": data.metadata})
        return 0
    for path in written:
        print(f"wrote {path}")
    print(data.summary())
    warning = data.metadata.get("code", {}).get("warning")
    if warning:
        print(warning)
    return 0


def canonical_command(args) -> str:
    """The command line without output paths: what determines the data."""
    parts = ["priorsearch", "phase"]
    for flag, value in (("--model", args.model), ("--code", args.code), ("--exchange", args.exchange), ("--g", args.g),
                        ("--x", args.x), ("--y", args.y)):
        if value is not None:
            parts += [flag, str(value)]
    if args.programs:
        parts += ["--programs", *map(str, args.programs)]
    for s in args.sets:
        parts += ["--set", s]
    parts += ["--space", args.space]
    if args.space == "enumerate":
        parts += ["--max-size", str(args.max_size)]
    parts += ["--mode", args.mode]
    return command_line(parts)
