"""``priorsearch rank``: the winner flips from Hfh to Hsd across g* = 1.875."""
import json


def test_rank_g1_names_honest_winner(cli):
    r = cli("rank", "--g", "1", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["winner"] == "honest"
    assert [p["name"] for p in data["programs"]] == ["honest", "fast_deceptive", "simple_deceptive"]
    assert set(data["programs"][0]) == {"name", "label", "source", "c", "t", "score", "compatible", "class", "deploy_objective"}


def test_rank_g2_names_simple_deceptive_winner(cli):
    data = json.loads(cli("rank", "--g", "2", "--json").out)
    assert data["winner"] == "simple_deceptive"
    by_name = {p["name"]: p for p in data["programs"]}
    assert (by_name["honest"]["c"], by_name["honest"]["t"]) == (170, 101)
    assert (by_name["simple_deceptive"]["c"], by_name["simple_deceptive"]["t"]) == (154, 131)
    assert (by_name["fast_deceptive"]["c"], by_name["fast_deceptive"]["t"]) == (173, 101.5)
