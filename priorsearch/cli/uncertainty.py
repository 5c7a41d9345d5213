"""Uncertainty over the costs: P(each program wins), P(a deceptive program wins) with a
95% interval, the deceptive share of prior mass, and Sobol indices.

Distributions: --dist NAME=SPEC (overrides the model file's [uncertainty] table), SPEC
one of uniform(lo, hi), loguniform(lo, hi), normal(mean, sd), lognormal(median, sigma),
triangular(lo, mode, hi), beta(a, b, lo, hi), choice(v1, v2, ...), fixed(v).  Costs and
exchange rates must be >= 0, so a distribution reaching below 0 is truncated at 0.
loss_price takes one too (or a finite --set loss_price=X): then programs with a training
loss compete, scored exchange(c, t) + loss_price * L.  --json prints exactly the fixed
keys; the bins over g and the Sobol indices of the mass share are in the text report.
Structural uncertainty (--models, --structure, [uncertainty.structure]) runs one task
per program space, in-process or on Dask (--scheduler ADDRESS, e.g. one started by
`dask scheduler` and `dask worker ADDRESS`, or --workers N for a LocalCluster); the
result is the same for a seed whatever runs it.
"""
from __future__ import annotations

import sys

from ..errors import InputError
from ..outputs import atomic_writer, check_output_path, check_outputs, output_batch
from ..plot.style import FIGURE_EXTENSIONS
from ..plot.uncertainty import write_uncertainty_figure
from ..provenance import command_line
from ..uncertainty import uncertainty
from ..uncertainty.sampling import SAMPLERS
from ..uncertainty.specs import parse_assignment as parse_dist
from ..uncertainty.structure import SCHEDULER_TIMEOUT
from .common import add_model_options, parse_number, parse_settings, print_json

HELP = "P(deceptive wins) and Sobol indices under distributions over the costs"


def add_arguments(p):
    add_model_options(p)
    p.add_argument("--space", choices=("templates", "enumerate"), default="templates",
                   help="the templates (default) or every program up to --max-size nodes")
    p.add_argument("--max-size", type=int, default=9, metavar="N", help="size limit of --space enumerate (default 9)")
    p.add_argument("--dist", dest="dists", action="append", default=[], metavar="NAME=SPEC",
                   help="a distribution over a cost or exchange parameter (loss_price too), e.g. C_B=loguniform(1,1000); "
                        "repeatable")
    p.add_argument("--corr", dest="corrs", action="append", default=[], metavar="A,B=RHO",
                   help="Spearman rank correlation between two drawn parameters (Gaussian copula); repeatable")
    p.add_argument("--draws", type=int, default=10_000, metavar="N", help="number of draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed, 0 to 2^64 - 1 (default 0)")
    p.add_argument("--sampler", choices=SAMPLERS, default="random", help="random (default), sobol or lhs")
    p.add_argument("--sobol-n", type=int, default=None, metavar="N",
                   help="base sample of the Saltelli design, a power of 2 (default: about --draws evaluations); 0: none")
    p.add_argument("--no-mass", action="store_true", help="skip the deceptive share of prior mass")
    p.add_argument("--models", nargs="+", metavar="M", help="structural draw over these model files")
    p.add_argument("--weights", nargs="+", metavar="W", help="weights of --models (default equal)")
    p.add_argument("--structure", dest="structures", action="append", default=[], metavar="KEY=V1,V2",
                   help="structural draw (equal weights): max_size, exclude (a primitive or episode; '' for none) "
                        "or a parameter the space depends on (a family's K); repeatable")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the tasks on this Dask scheduler (tcp://host:port)")
    p.add_argument("--workers", type=int, metavar="N", help="run the tasks on a Dask LocalCluster of N workers")
    p.add_argument("--timeout", type=float, default=SCHEDULER_TIMEOUT, metavar="S",
                   help=f"seconds to wait for --scheduler and one of its workers (default {SCHEDULER_TIMEOUT:g})")
    p.add_argument("--data", metavar="F.csv", help="write one row per draw to this CSV file")
    p.add_argument("--out", metavar="F.png", help="write the figure (.png, .svg or .pdf)")


def run(args):
    inputs = [args.model, *(args.programs or []), *(args.models or [])]
    # `is not None`: an empty --out/--data is a bad path (one line), not "no output"
    data = check_output_path(args.data, {".csv"}, inputs) if args.data is not None else None
    figure = check_output_path(args.out, set(FIGURE_EXTENSIONS), inputs) if args.out is not None else None
    check_outputs([p for p in (data, figure) if p is not None], inputs)  # no file written twice
    settings = parse_settings(args.sets)
    if args.g is not None:
        if "g" in settings:
            raise InputError("--g and --set g both set g; give one")
        settings["g"] = parse_number(args.g, "--g")
    dists = {}
    for text in args.dists:
        name, spec = parse_dist(text)
        if name in dists:
            raise InputError(f"--dist {name} given twice; give it once")
        dists[name] = spec
    for name in dists:
        if name in settings:
            flag = "--g" if name == "g" and args.g is not None else f"--set {name}"
            raise InputError(f"--dist {name}: {name} is also fixed by {flag}; give one of them")
    structure = {}
    if args.models:
        weights = None
        if args.weights:
            if len(args.weights) != len(args.models):
                raise InputError(f"--weights: {len(args.weights)} weights for {len(args.models)} models")
            weights = [parse_number(w, "--weights") for w in args.weights]
        structure["models"] = (list(args.models), weights)
    elif args.weights:
        raise InputError("--weights applies to --models")
    for text in args.structures:
        key, sep, values = text.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--structure {text!r}: expected KEY=V1,V2,...")
        key = key.strip()
        if key in structure:
            given = "--models" if key == "models" and args.models else f"--structure {key}"
            raise InputError(f"--structure {key}: {key} is already drawn by {given}; give it once")
        items = [v.strip() for v in values.split(",")]
        if key not in ("exclude", "models"):
            items = [parse_number(v, f"--structure {key}") for v in items]
            if key == "max_size":
                if not all(v.is_integer() for v in items):
                    raise InputError(f"--structure max_size: values must be whole numbers, got {values!r}")
                items = [int(v) for v in items]
        structure[key] = (items, None)
    result = uncertainty(args.model, dists, draws=args.draws, seed=args.seed, sampler=args.sampler,
                         space=args.space, programs=args.programs, max_size=args.max_size, params=settings,
                         exchange=args.exchange, correlations=_correlations(args.corrs), structure=structure,
                         sobol_n=args.sobol_n, mass=not args.no_mass, scheduler=args.scheduler,
                         workers=args.workers, timeout=args.timeout,
                         progress=sys.stderr.isatty() and args.draws >= 100_000, command=canonical_command(args))
    written = []
    with output_batch():  # the CSV and the figure appear together or not at all
        if data is not None:
            with atomic_writer(data) as handle:  # streamed: the text of 10^8 draws never sits in memory
                handle.writelines(result.csv_blocks())
            written.append(str(data))
        if figure is not None:
            write_uncertainty_figure(result, figure)
            written.append(str(figure))
    if args.json:
        print_json(result.to_json())
        return 0
    print(result.summary())
    for path in written:
        print(f"wrote {path}")
    return 0


def _correlations(texts) -> dict:
    out = {}
    for text in texts:
        pair, sep, value = text.partition("=")
        names = [n.strip() for n in pair.split(",")]
        if not sep or len(names) != 2 or not all(names):
            raise InputError(f"--corr {text!r}: expected A,B=RHO")
        if (names[0], names[1]) in out or (names[1], names[0]) in out:
            raise InputError(f"--corr {names[0]},{names[1]} given twice; give it once")
        out[(names[0], names[1])] = parse_number(value.strip(), f"--corr {pair}")
    return out


def canonical_command(args) -> str:
    """The command line without output paths or the scheduler: what determines the data."""
    parts = ["priorsearch", "uncertainty"]
    for flag, value in (("--model", args.model), ("--exchange", args.exchange), ("--g", args.g)):
        if value is not None:
            parts += [flag, str(value)]
    if args.programs:
        parts += ["--programs", *map(str, args.programs)]
    for s in args.sets:
        parts += ["--set", s]
    parts += ["--space", args.space]
    if args.space == "enumerate":
        parts += ["--max-size", str(args.max_size)]
    for d in args.dists:
        parts += ["--dist", d]
    for c in args.corrs:
        parts += ["--corr", c]
    if args.models:
        parts += ["--models", *args.models]
    if args.weights:
        parts += ["--weights", *args.weights]
    for s in args.structures:
        parts += ["--structure", s]
    parts += ["--draws", str(args.draws), "--seed", str(args.seed), "--sampler", args.sampler]
    if args.sobol_n is not None:
        parts += ["--sobol-n", str(args.sobol_n)]
    if args.no_mass:
        parts.append("--no-mass")
    return command_line(parts)
