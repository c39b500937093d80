"""Initials lost by the recogniser or the detector, found in another reading of the name."""

from __future__ import annotations

import pytest

from panread import Layout, PanCard
from panread._initials import adds_initials, splits_initials, with_initials
from panread._types import Field


@pytest.mark.parametrize(
    ("read", "other"),
    [
        ("KRAMESH", "K RAMESH"),
        ("HARPREET AC", "HARPREET A C"),
        ("MARNIVV SATYA", "MARNI V V SATYA"),
    ],
)
def test_initials_run_into_a_word_are_split_off(read: str, other: str) -> None:
    """The same letters with single letters split off are the same name with its initials."""
    assert splits_initials(read, other)
    assert adds_initials(read, other)


@pytest.mark.parametrize(
    ("read", "other"), [("PEREIRA", "L PEREIRA"), ("ARUN B", "ARUN B S"), ("DAS", "A K DAS")]
)
def test_initials_left_out_of_the_line_are_added(read: str, other: str) -> None:
    """Single letters the other reading has besides the same words are lost initials."""
    assert adds_initials(read, other)
    assert not splits_initials(read, other)


@pytest.mark.parametrize(
    ("read", "other"),
    [
        ("HARPREET AC", "HARP REET AC"),  # a word cut into two long ones
        ("HARPREET AC", "HARPREET A D"),  # other letters
        ("PEREIRA", "LA PEREIRA"),  # a word added, not an initial
        ("PEREIRA", "L PEREIRO"),
        ("K RAMESH", "KRAMESH"),  # fewer initials
        ("K RAMESH", "K RAMESH"),
    ],
)
def test_other_differences_are_not_initials(read: str, other: str) -> None:
    """Only more single letters around the same words count."""
    assert not adds_initials(read, other)


def _card(name: str, confidence: float) -> PanCard:
    return PanCard(
        pan=None,
        name=Field(name, confidence),
        father_name=None,
        mother_name=None,
        dob=None,
        layout=Layout.OLD,
        holder_type=None,
        warnings=(),
    )


def test_a_surely_read_name_with_its_initials_replaces_one_without() -> None:
    """The name takes the other reading's initials and the lower of the two confidences."""
    card = with_initials(_card("PEREIRA", 1.0), [_card("L PEREIRA", 0.93)], sure=0.8)
    assert card.name == Field("L PEREIRA", 0.93)


def test_a_doubtful_reading_adds_no_initials() -> None:
    """A reading under ``sure`` may have taken a mark for a letter: it changes nothing."""
    mine = _card("PEREIRA", 1.0)
    assert with_initials(mine, [_card("L PEREIRA", 0.5)], sure=0.8) is mine
