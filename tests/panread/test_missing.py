"""Fields the chosen reading missed, taken from another reading of the same card."""

from __future__ import annotations

import dataclasses
import datetime as dt

from panread import HolderType, Layout, PanCard
from panread._missing import with_missing_fields
from panread._types import Field

DOB = Field(dt.date(1984, 3, 9), 0.41)


def _card(
    pan: str, *, dob: Field[dt.date] | None = None, father: str | None = "MOHAN LAL GUPTA"
) -> PanCard:
    return PanCard(
        pan=Field(pan, 0.9),
        name=Field("RAVI GUPTA", 0.95),
        father_name=None if father is None else Field(father, 0.8),
        mother_name=None,
        dob=dob,
        layout=Layout.OLD,
        holder_type=HolderType.INDIVIDUAL,
        warnings=(),
    )


def test_a_date_the_chosen_reading_missed_is_taken_from_another_reading_of_the_card() -> None:
    """The date comes as the other reading read it, with its own confidence."""
    card = with_missing_fields(_card("BKTPG2219L"), [_card("BKTPG2219L", dob=DOB)])
    assert card.dob == DOB
    assert card.name == Field("RAVI GUPTA", 0.95)


def test_a_reading_of_another_pan_lends_nothing() -> None:
    """A reading that read another PAN may be another card, or a misread one."""
    mine = _card("BKTPG2219L")
    assert with_missing_fields(mine, [_card("BKTPG2219I", dob=DOB)]) is mine


def test_fields_the_chosen_reading_has_are_kept() -> None:
    """Another reading never replaces what the chosen one read."""
    mine = _card("BKTPG2219L", dob=Field(dt.date(1984, 3, 8), 0.3))
    assert with_missing_fields(mine, [_card("BKTPG2219L", dob=DOB, father="MOHAN GUPTA")]) is mine


def test_a_missing_parent_is_taken_from_the_surest_reading() -> None:
    """An individual's card lacking the parent's name takes the surest other reading's."""
    doubtful = dataclasses.replace(_card("BKTPG2219L"), father_name=Field("MOHAN LAI GUPTA", 0.5))
    card = with_missing_fields(_card("BKTPG2219L", father=None), [doubtful, _card("BKTPG2219L")])
    assert card.father_name == Field("MOHAN LAL GUPTA", 0.8)
