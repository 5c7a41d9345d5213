"""PhaseData.to_dataframe / to_xarray and SearchResult.to_dataframe (issue 12, Deliver 3):
the documented columns and shapes, and agreement with the CSV and the JSON."""
from __future__ import annotations

import io
import sys

import numpy as np
import pandas as pd
import pytest

import priorsearch as ps
from priorsearch.errors import InputError

BASE_COLUMNS = ["winner", "label", "class", "c", "t", "score", "margin"]
MASS_COLUMNS = ["log2_mass_aligned", "log2_mass_deceptive", "deceptive_share"]


@pytest.fixture(scope="module")
def mass_data():
    return ps.phase_diagram(x="g=0.1:10:7:log", y="C_B=0:40:5", mode="mass", ties=False)


def test_dataframe_columns_and_rows(mass_data):
    df = mass_data.to_dataframe()
    assert list(df.columns) == ["g", "C_B", *BASE_COLUMNS, *MASS_COLUMNS]
    assert len(df) == mass_data.winner.size == 7 * 5
    winner_only = ps.phase_diagram(x="g=0.1:10:4:log", y="C_B=0:40:3", ties=False).to_dataframe()
    assert list(winner_only.columns) == ["g", "C_B", *BASE_COLUMNS]


def test_dataframe_agrees_with_the_csv(mass_data):
    df = mass_data.to_dataframe()
    csv = pd.read_csv(io.StringIO(mass_data.csv_text()), comment="#", keep_default_na=False,
                      na_values={"c": ["nan"], "t": ["nan"], "score": ["nan"], "margin": ["nan"]})
    assert list(csv.columns) == list(df.columns)
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]):
            assert list(df[col].fillna("")) == list(csv[col].astype(str)), col
        else:
            np.testing.assert_array_equal(df[col].to_numpy(float), csv[col].to_numpy(float), err_msg=col)


def test_dataframe_names_no_winner_as_none(tmp_path):
    d = ps.phase_diagram(exchange="cap", x="k=90:140:6", y="C_B=0:40:3", ties=False)
    df = d.to_dataframe()
    empty = d.winner.ravel() < 0
    assert empty.any()
    assert set(df["winner"][empty]) == {"none"} and set(df["class"][empty]) == {"none"}
    assert np.isnan(df["score"][empty]).all()


def test_xarray_dataset_over_the_axes(mass_data):
    ds = mass_data.to_xarray()
    assert dict(ds.sizes) == {"C_B": 5, "g": 7}
    np.testing.assert_array_equal(ds["g"].values, mass_data.x_values)
    np.testing.assert_array_equal(ds["C_B"].values, mass_data.y_values)
    for name in ["winner", "label", "class", "winner_row", "runner_up_row", "c", "t", "score", "margin", *MASS_COLUMNS]:
        assert ds[name].dims == ("C_B", "g"), name
    np.testing.assert_array_equal(ds["winner_row"].values, mass_data.winner)
    np.testing.assert_array_equal(ds["score"].values, mass_data.score)
    # the same numbers as the data frame, point by point
    df = mass_data.to_dataframe().set_index(["C_B", "g"])
    back = ds[["winner", "score", "deceptive_share"]].to_dataframe()
    assert list(back["winner"]) == list(df["winner"])
    np.testing.assert_array_equal(back["score"].to_numpy(), df["score"].to_numpy())
    assert ds.attrs["names"] == ["honest", "simple_deceptive", "fast_deceptive"]


def test_missing_pandas_is_one_clear_error(monkeypatch, mass_data):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with pytest.raises(InputError, match=r"pandas is not installed.*priorsearch\[dataframes\]"):
        mass_data.to_dataframe()
    with pytest.raises(InputError, match="pandas is not installed"):
        ps.search(max_size=3).to_dataframe()
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(InputError, match=r"xarray is not installed"):
        mass_data.to_xarray()


def test_search_dataframe_one_row_per_class():
    result = ps.search(max_size=7, top=5)
    df = result.to_dataframe()
    assert list(df.columns) == ["rank", "row", "name", "label", "source", "c", "t", "t_deploy", "score", "size",
                                "class", "deploy_objective", "multiplicity", "eligible"]
    assert len(df) == result.n_classes and sorted(df["row"]) == list(range(result.n_classes))
    assert int(df["multiplicity"].sum()) == result.n_programs
    assert int(df.loc[df["class"] != "incompatible", "multiplicity"].sum()) == result.n_compatible
    # the best rows are the JSON's top rows, in the same order
    top = result.to_json()["top"]
    head = df.head(len(top))
    assert list(head["row"]) == [r["row"] for r in top] and list(head["rank"]) == list(range(1, len(top) + 1))
    assert list(head["score"]) == [r["score"] for r in top]
    assert df.iloc[0]["source"] == result.winner.source
    assert (df.loc[~df["eligible"], "rank"] == 0).all() and (df.loc[df["eligible"], "rank"] > 0).all()


def test_search_table_is_exported():
    table = ps.enumerate_classes(ps.CostModel.default(), 5)
    a = ps.search_table(table, g=1.0)
    b = ps.search(max_size=5, g=1.0)
    assert a.winner == b.winner
