"""References computed outside the code under test (review battery, issues 10 and 14).

The phase masses along a K axis are recomputed by hand, per K, from the classes ``search
--json --top`` lists (log2 of the sum over classes of multiplicity * 2^-score; under the
linear exchange at g = 1 a class's bits are its score), and the deceptive share of
``search`` at a finite loss price from the same rows.  Found by review: ``search`` at a
finite loss price crashed (``KeyError: 'compatible'``) on text and JSON output.
"""
import csv
import json
import math

import pytest

from paths import REPO

COUNTING = REPO / "programs" / "counting.toml"
RICH = REPO / "programs" / "rich.toml"
LOSSY = REPO / "programs" / "lossy.toml"
ALL = "1000000"


def _log2_sum(logs):
    if not logs:
        return -math.inf
    top = max(logs)
    return top + math.log2(sum(2.0 ** (x - top) for x in logs))


def _by_hand(rows):
    """Class -> log2 of sum of multiplicity * 2^-score over the listed classes."""
    logs = {}
    for row in rows:
        logs.setdefault(row["class"], []).append(math.log2(int(row["multiplicity"])) - row["score"])
    return {cls: _log2_sum(v) for cls, v in logs.items()}


def _csv_rows(path):
    return list(csv.DictReader(line for line in path.read_text().splitlines() if not line.startswith("#")))


@pytest.mark.parametrize("model,ks,extra", [
    (COUNTING, [0, 1, 2, 3, 4, 5], []),
    (RICH, [1, 2, 3, 4], ["--code", "flat"]),
], ids=["counting-prefix", "rich-flat"])
def test_phase_mass_along_K_equals_the_sum_by_hand_at_each_K(cli, tmp_path, model, ks, extra):
    size = "5"
    want, winners = {}, {}
    for k in ks:
        r = cli("search", "--model", model, "--max-size", size, *extra, "--set", f"K={k}", "--top", ALL, "--json")
        assert r.status == 0, r.err
        doc = json.loads(r.out)
        assert len(doc["top"]) == sum(1 for row in doc["top"] if row["class"] != "incompatible")
        want[k] = _by_hand(doc["top"])
        winners[k] = doc["winner"]["name"] or doc["winner"]["source"]
        if k == 1:  # one member: no class uses two distinct members
            assert not any("misaligned_j" in row["source"] for row in doc["top"])
    data = tmp_path / "m.csv"
    r = cli("phase", "--model", model, "--space", "enumerate", "--max-size", size, *extra, "--mode", "mass",
            "--y", f"K={ks[0]}:{ks[-1]}:{len(ks)}", "--x", "g=1:3:2", "--out", "none", "--data", data)
    assert r.status == 0, r.err
    seen = set()
    for row in _csv_rows(data):
        if float(row["g"]) != 1.0:
            continue
        k = int(row["K"])
        seen.add(k)
        assert row["winner"] == winners[k], k
        total = _log2_sum([v for v in want[k].values() if v > -math.inf])
        for cls in ("aligned", "deceptive", "proxy"):
            if f"log2_mass_{cls}" not in row:
                continue
            got, ref = float(row[f"log2_mass_{cls}"]), want[k].get(cls, -math.inf)
            assert got == ref or abs(got - ref) < 1e-9, (k, cls, got, ref)
        ref_share = 2.0 ** (want[k].get("deceptive", -math.inf) - total)
        assert abs(float(row["deceptive_share"]) - ref_share) < 1e-12, k
    assert seen == set(ks)


def test_search_at_a_finite_loss_price_reports_the_share_of_the_competing_mass(cli):
    args = ("search", "--model", LOSSY, "--max-size", "6", "--set", "loss_price=5")
    r = cli(*args, "--top", ALL, "--json")
    assert r.status == 0, r.err
    doc = json.loads(r.out)
    masses = doc["masses"]["classes"]
    assert "competing" in masses and "compatible" not in masses
    hand = _by_hand(doc["top"])
    assert set(hand) == {"aligned", "deceptive", "proxy"}  # the lossy proxy competes at a finite price
    for cls, ref in hand.items():
        assert abs(masses[cls] - ref) < 1e-9, cls
    total = _log2_sum(list(hand.values()))
    assert abs(masses["competing"] - total) < 1e-9
    assert abs(doc["deceptive_share"] - 2.0 ** (hand["deceptive"] - total)) < 1e-12
    r = cli(*args)
    assert r.status == 0, r.err
    assert f"deceptive share of the competing mass: {doc['deceptive_share']:.6g}" in r.out
    # the default price keeps its words (and its bytes)
    r = cli("search", "--model", LOSSY, "--max-size", "6")
    assert r.status == 0 and "deceptive share of the compatible mass" in r.out


def _two_families(count):
    """counting.toml plus a second family whose count falls as K rises."""
    other = (f'[families.other]\ncount = "{count}"\ntype = "Obj"\nkind = "objective"\nobjective = "other_{{i}}"\n'
             f'c = "C_S + 2"\nt = 0\ndoc = "a second family"\n\n')
    return COUNTING.read_text().replace("[[episodes]]", other + "[[episodes]]", 1)


def test_two_families_counted_in_opposite_directions(cli, tmp_path):
    """One K, two families: misaligned has K members, other 6 - K.  No single K has both
    at their largest counts; the enumeration needs only as many members as a program of
    --max-size can use (2 at 5 nodes), which K = 2..4 give both (review: the covering
    value was K = 5, other had 1 member slot, and the sweep failed "enumerate again")."""
    path = tmp_path / "two.toml"
    path.write_text(_two_families("6 - K"))
    data = tmp_path / "two.csv"
    r = cli("phase", "--model", path, "--space", "enumerate", "--max-size", "5", "--mode", "mass", "--y", "K=0:6:7",
            "--x", "g=1:3:2", "--out", "none", "--data", data)
    assert r.status == 0, r.err
    rows = [row for row in _csv_rows(data) if float(row["g"]) == 1.0]
    assert sorted(int(row["K"]) for row in rows) == list(range(7))
    for row in rows:
        r = cli("search", "--model", path, "--max-size", "5", "--set", f"K={row['K']}", "--top", ALL, "--json")
        assert r.status == 0, r.err
        doc = json.loads(r.out)
        hand = _by_hand(doc["top"])
        for cls in ("aligned", "deceptive"):
            got, ref = float(row[f"log2_mass_{cls}"]), hand.get(cls, -math.inf)
            assert got == ref or abs(got - ref) < 1e-9, (row["K"], cls, got, ref)
        assert row["winner"] == (doc["winner"]["name"] or doc["winner"]["source"])
    # at 9 nodes a program uses up to 3 members of each; with other = 4 - K no K gives
    # both 3: one clear line, no file
    path.write_text(_two_families("4 - K"))
    data.unlink()
    r = cli("phase", "--model", path, "--space", "enumerate", "--max-size", "9", "--y", "K=0:4:5", "--x", "g=1:3:2",
            "--out", "none", "--data", data)
    assert r.status == 2 and r.err.count("\n") == 1 and not data.exists()
    assert r.err.startswith("error: K=0:4:5: the families counted by K need their most members at different values "
                            "(misaligned at K = 4, other at K = 0), so no one enumeration covers the axis"), r.err
