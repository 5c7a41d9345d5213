"""The enumeration refuses before exceeding its memory budget, whatever --max-classes says."""
import re

import pytest

import priorsearch.space.enumerate as enumeration
from priorsearch.errors import InputError
from priorsearch.model.cost_model import CostModel


def test_memory_budget_refuses_with_the_estimate(monkeypatch):
    model = CostModel.default()
    monkeypatch.setattr(enumeration, "MAX_MEMORY_BYTES", 200 * 1024)  # a few hundred classes
    with pytest.raises(InputError) as info:
        enumeration.enumerate_classes(model, 12)
    message = str(info.value)
    assert "\n" not in message
    assert re.search(r"classes of [\d,]+ bytes each .*above the 0 GB memory budget|reached [\d,]+ classes of [\d,]+ bytes each", message), message


def test_memory_budget_does_not_change_results_below_it(monkeypatch):
    model = CostModel.default()
    full = enumeration.enumerate_classes(model, 7)
    monkeypatch.setattr(enumeration, "MAX_MEMORY_BYTES", 10 ** 9)
    again = enumeration.enumerate_classes(model, 7)
    assert (full.multiplicity == again.multiplicity).all()
    assert list(full.sources) == list(again.sources)
