"""Every public name (every module's ``__all__``) has a NumPy-style docstring whose
``Parameters`` section names exactly its signature's parameters (stumpy's docstring.py
pattern), and numpydoc parses it without a warning (the docs build with ``-W``)."""
from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass

import pytest
from docstrings import problems, public_objects

PUBLIC = list(public_objects())


def test_the_walk_finds_the_public_api():
    names = {name for name, _ in PUBLIC}
    # a walk that silently found nothing would make the parametrised test vacuous
    assert len(names) > 150
    for expected in ("priorsearch.scoring.rank.rank", "priorsearch.phase.sweep.phase_diagram",
                     "priorsearch.symbolic.boundary.boundary", "priorsearch.exchange.base.Exchange",
                     "priorsearch.model.cost_model.CostModel", "priorsearch.experiments.goal_table.make_figure"):
        assert expected in names


@pytest.mark.parametrize("obj", [obj for _, obj in PUBLIC], ids=[name for name, _ in PUBLIC])
def test_docstring_matches_signature(obj):
    assert problems(obj) == []


@pytest.mark.parametrize("obj", [obj for _, obj in PUBLIC], ids=[name for name, _ in PUBLIC])
def test_numpydoc_parses_without_warnings(obj):
    from numpydoc.docscrape import NumpyDocString

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NumpyDocString(inspect.getdoc(obj) or "")
    assert [str(w.message) for w in caught] == []


# ----------------------------------------------------------------- the checker itself

def test_checker_reports_a_missing_docstring():
    def undocumented(x):
        return x

    assert problems(undocumented) == ["no docstring"]


def test_checker_reports_a_dataclass_without_a_docstring():
    # @dataclass fills __doc__ with "Name(field: type, ...)", which must not count as one
    @dataclass
    class Bare:
        size: int

    assert Bare.__doc__
    assert problems(Bare) == ["no docstring"]


def test_checker_reports_a_missing_parameters_section():
    def summary_only(x, y=1):
        """Add."""
        return x + y

    assert problems(summary_only) == ["no Parameters section for ['x', 'y']"]


def test_checker_reports_a_wrong_parameter_name():
    def misnamed(x, y):
        """Add.

        Parameters
        ----------
        x : float
        z : float
        """
        return x + y

    assert problems(misnamed) == ["Parameters section lists ['x', 'z'], the signature has ['x', 'y']"]


def test_checker_reports_a_missing_parameter():
    def drifted(model, x, programs=None):
        """Sweep.

        Parameters
        ----------
        model, x : objects
        """

    assert problems(drifted) == [
        "Parameters section lists ['model', 'x'], the signature has ['model', 'x', 'programs']"]


def test_checker_reports_prose_parsed_as_a_parameter():
    # the mistake rank and boundary had: a paragraph left at the parameters' indentation
    def with_trailing_prose(a):
        """Rank.

        Parameters
        ----------
        a : int
            The value.

        Only compatible programs win.
        """

    assert problems(with_trailing_prose) == [
        "Parameters section lists ['a', 'Only compatible programs win.'], the signature has ['a']"]


def test_checker_reports_parameters_of_a_function_without_any():
    def nothing():
        """Nothing.

        Parameters
        ----------
        x : int
        """

    assert problems(nothing) == ["documents parameters ['x'] but takes none"]


def test_checker_accepts_grouped_and_starred_names_and_classes():
    def grouped(c, t, *paths, **params):
        """Score.

        Parameters
        ----------
        c, t : float arrays
        *paths : str
        **params : float
        """

    class Documented:
        """A thing.

        Parameters
        ----------
        size : int
        """

        def __init__(self, size):
            self.size = size

    class Undocumented:
        """A thing."""

        def __init__(self, size):
            self.size = size

    @dataclass
    class Record:
        """Fields are attributes; the generated __init__ needs no Parameters section."""

        size: int

    assert problems(grouped) == []
    assert problems(Documented) == []
    assert problems(Undocumented) == ["no Parameters section for ['size']"]
    assert problems(Record) == []


def test_numpydoc_warns_on_an_unknown_section():
    # what "Attributes a family sets" in exchange/base.py was: the docs build (-W) fails on it
    from numpydoc.docscrape import NumpyDocString

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NumpyDocString("Summary.\n\nAttributes a family sets\n------------------------\nname : str\n")
    assert any("Unknown section" in str(w.message) for w in caught)
