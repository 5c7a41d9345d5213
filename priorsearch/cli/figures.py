"""Regenerate every figure listed in a figures config (default analysis/figures.toml).

Outputs go to --out (default: the config's directory + figures/).  Regenerating into
the default directory also rewrites the recorded SHA-256 hashes (the config's name with
.sha256).  --check regenerates into a temporary directory instead and compares with the
recorded hashes, listing every differing or missing file; exit 1 if any.
"""
from __future__ import annotations

import sys
from pathlib import Path
from ..errors import InputError
from ..reproduce import check, format_hashes, generate, hash_files, load_config, read_hashes
from ..outputs import atomic_write_text

HELP = "regenerate (or --check) every figure of analysis/figures.toml"


def add_arguments(p):
    p.add_argument("config", nargs="?", default="analysis/figures.toml", metavar="CONFIG",
                   help="figures config (default analysis/figures.toml)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: CONFIG's directory/figures)")
    p.add_argument("--check", action="store_true",
                   help="regenerate into a temporary directory and compare with the recorded hashes")


def run(args):

    config = Path(args.config)
    entries = load_config(config)
    config_dir = config.parent
    hash_path = config.with_suffix(".sha256")
    if args.check:
        if not hash_path.is_file():
            raise InputError(f"{hash_path}: no recorded hashes; run 'priorsearch figures {config}' first")
        recorded = read_hashes(hash_path)
        differing, missing, extra = check(entries, config_dir, recorded)
        for name in differing:
            print(f"differs: {name}")
        for name in missing:
            print(f"missing: {name} (recorded in {hash_path}, not produced)")
        for name in extra:
            print(f"not recorded: {name} (produced, no hash in {hash_path})")
        if differing or missing or extra:
            print(f"{len(differing) + len(missing) + len(extra)} file(s) do not match {hash_path}", file=sys.stderr)
            return 1
        print(f"ok: all {len(recorded)} files match {hash_path}")
        return 0
    default_out = config_dir / "figures"
    out_dir = Path(args.out) if args.out else default_out
    if args.out and not out_dir.parent.is_dir():
        raise InputError(f"--out {args.out}: directory {str(out_dir.parent)!r} does not exist")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {args.out}: exists and is not a directory")

    def report(fe, files):
        for f in files:
            print(f"wrote {f}")

    files = generate(entries, out_dir, config_dir, progress=sys.stderr.isatty(), report=report)
    hashes = hash_files(files, out_dir)
    if out_dir.resolve() == default_out.resolve():
        atomic_write_text(hash_path, format_hashes(hashes))
        print(f"recorded {len(hashes)} hashes in {hash_path}")
    else:
        print(f"hashes not recorded ({out_dir} is not the default {default_out}); compare with {hash_path}")
    return 0
