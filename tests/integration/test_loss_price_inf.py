"""Issue 14, must show: ``loss_price = inf`` (the default) reproduces the ``rank``,
``search`` and ``phase`` outputs of every packaged model byte for byte.

The goldens in tests/data/loss_price_inf/ were written by the code before the training
loss existed (tests/support/inf_goldens.py).  Each case runs plain (the default price)
and with ``--set loss_price=inf`` given explicitly; the phase CSV records its command
line, so the explicit run is compared without it.
"""
import pytest

from inf_goldens import GOLDEN_DIR, cases, run_case

CASES = cases()


def _golden(name, kind):
    return (GOLDEN_DIR / f"{name}.{'csv' if kind == 'csv' else 'out'}").read_bytes()


def _without_command(data: bytes) -> list:
    # the command line (in its own line and in the metadata) is the only thing --set changes
    return [line for line in data.splitlines() if b"command" not in line]


@pytest.mark.parametrize("name,argv,kind", CASES, ids=[c[0] for c in CASES])
def test_default_price_is_byte_identical(name, argv, kind):
    assert run_case(argv, kind) == _golden(name, kind)


@pytest.mark.parametrize("name,argv,kind", [c for c in CASES if "rank" in c[0] or "winner" in c[0] or
                                            c[0].endswith("-search")], ids=lambda c: c if isinstance(c, str) else None)
def test_explicit_infinite_price_is_the_default(name, argv, kind):
    got = run_case(argv + ["--set", "loss_price=inf"], kind)
    golden = _golden(name, kind)
    if kind == "csv":
        assert _without_command(got) == _without_command(golden)
        assert len(got.splitlines()) == len(golden.splitlines())
    else:
        assert got == golden


def test_every_packaged_model_has_cases():
    from paths import REPO

    models = {p.stem for p in (REPO / "priorsearch" / "data").glob("*.toml")}
    covered = {c[0].split("-")[0] for c in CASES}
    # the models added with the training loss (lossy, camera) have no pre-loss outputs
    assert models - {"lossy", "camera"} <= covered
