"""PanCard and Field: validation and the JSON shape of to_dict()."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from panread import Field, HolderType, Layout, PanCard


def test_to_dict_is_json_ready_with_null_for_missing_fields() -> None:
    """to_dict() gives plain values, dob as YYYY-MM-DD and null where a field is absent."""
    card = PanCard(
        pan=Field("AAACT1234K", 0.97, "AAACT1234K"),
        name=Field("TRIVENI STEEL PRIVATE LIMITED", 0.9),
        father_name=None,
        dob=Field(dt.date(1996, 1, 11), 0.95),
        layout=Layout.COMPANY,
        holder_type=HolderType.COMPANY,
        warnings=("something",),
    )
    d = card.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["dob"] == "1996-01-11"
    assert d["father_name"] is None
    assert d["confidence"]["father_name"] is None
    assert d["layout"] == "company"
    assert d["holder_type"] == "company"
    assert d["confidence"]["pan"] == 0.97
    assert d["warnings"] == ["something"]
    assert set(d) >= {"pan", "name", "father_name", "dob", "confidence", "layout", "holder_type"}


@pytest.mark.parametrize("confidence", [-0.1, 1.5, float("nan")])
def test_field_confidence_must_be_in_unit_interval(confidence: float) -> None:
    """A Field with a confidence outside [0, 1] is refused."""
    with pytest.raises(ValueError, match="confidence"):
        Field("X", confidence)


def test_dob_must_hold_a_date() -> None:
    """PanCard refuses a dob Field that holds a string."""
    with pytest.raises(TypeError, match="dob"):
        PanCard(pan=None, name=None, father_name=None, dob=Field("1990", 0.9), layout=Layout.OLD)  # type: ignore[arg-type]
