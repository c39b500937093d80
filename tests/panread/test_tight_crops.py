"""Pictures that are already the card: read directly, small ones enlarged first."""

from __future__ import annotations

import numpy as np
import pytest

from panread import PanReader
from panread._locate import CardQuad
from panread._pipeline import is_tight_crop
from panread.testing import sample_for

QUAD = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


def _picture(width: int, height: int) -> np.ndarray:
    return np.zeros((height, width, 3), np.uint8)


def test_a_card_shaped_picture_with_no_outline_in_it_is_the_card() -> None:
    """A 500 x 315 picture in which no card outline was found is read whole."""
    assert is_tight_crop(_picture(500, 315), None)
    assert is_tight_crop(_picture(315, 500), None)


def test_a_part_of_the_card_found_inside_does_not_make_it_a_background() -> None:
    """An outline covering a tenth of a card-shaped picture (its photo, a panel) is inside it."""
    assert is_tight_crop(_picture(640, 400), CardQuad(QUAD, 1.0, 0.1))


def test_a_card_on_a_background_is_not_the_picture() -> None:
    """An outline covering 60% of the picture is a card on a table: read along the outline."""
    assert not is_tight_crop(_picture(640, 400), CardQuad(QUAD, 1.0, 0.6))


def test_a_phone_frame_or_an_a4_page_is_not_a_card() -> None:
    """4:3 photos and A4 scans are not card-shaped, unless the outline found fills them."""
    assert not is_tight_crop(_picture(4032, 3024), None)
    assert not is_tight_crop(_picture(2480, 3508), CardQuad(QUAD, 1.0, 0.07))
    assert is_tight_crop(_picture(4032, 3024), CardQuad(QUAD, 1.0, 0.9))


@pytest.mark.model
@pytest.mark.parametrize(
    ("layout", "kind", "seed"),
    [("old", "tiny", 4301), ("new", "tight_crop", 4302), ("laminated", "faded_scan", 4303)],
)
def test_small_tight_crops_are_read(reader: PanReader, layout: str, kind: str, seed: int) -> None:
    """A card cropped tight (300 px wide, 450-800 px, a faded scan) is read: PAN and date
    exactly, and a name the small print garbled is never given as sure."""
    sample = sample_for(layout, kind, seed)
    got = reader.read(sample.data).to_dict()
    assert (got["pan"], got["dob"]) == (sample.expected["pan"], sample.expected["dob"])
    for key in ("name", "father_name"):
        if got[key] != sample.expected[key]:
            assert got["confidence"][key] is None or got["confidence"][key] < 0.9, key
