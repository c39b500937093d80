"""Calibrated confidences: each kind's knee becomes 0.9, order and the ends are kept."""

from __future__ import annotations

import datetime as dt

import pytest

from panread import Layout, PanCard
from panread._calibration import SURE, calibrated, calibrated_card
from panread._tuning import CALIBRATION
from panread._types import Field


@pytest.mark.parametrize("knee", [0.5, 0.68, 0.86])
def test_the_knee_becomes_sure_and_the_ends_stay(knee: float) -> None:
    """The knee maps to 0.9, 0 to 0 and 1 to 1; just under the knee is under 0.9."""
    assert calibrated(knee, knee) == pytest.approx(SURE)
    assert calibrated(0.0, knee) == 0.0
    assert calibrated(1.0, knee) == 1.0
    assert calibrated(knee - 0.01, knee) < SURE


def test_order_is_kept() -> None:
    """A surer reading stays surer after calibration."""
    values = [i / 100 for i in range(101)]
    mapped = [calibrated(v, 0.8) for v in values]
    assert mapped == sorted(mapped)


def test_each_kind_of_field_is_calibrated_by_its_own_knee() -> None:
    """A PAN, a name and a date read at their knees all come out at 0.9."""
    card = PanCard(
        pan=Field("ABCPE1234F", CALIBRATION.pan),
        name=Field("ASHA RAO", CALIBRATION.name),
        father_name=Field("RAMESH RAO", CALIBRATION.name),
        mother_name=None,
        dob=Field(dt.date(1990, 1, 31), CALIBRATION.date),
        layout=Layout.NEW,
        holder_type=None,
        warnings=(),
    )
    out = calibrated_card(card)
    fields = (out.pan, out.name, out.father_name, out.dob)
    assert [None if f is None else f.confidence for f in fields] == pytest.approx([SURE] * 4)
