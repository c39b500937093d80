"""Word gaps the recogniser left out are found in the ink of the line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from panread._gaps import SPACE_GUESS, WORD_GAP, Gap, ink_gaps, insert_spaces
from panread.testing._fonts import FontBook

FONTS = [("arimo", "regular"), ("arimo", "bold"), ("pt_sans", "regular"), ("plex_mono", "bold")]


def line_crop(text: str, family: str, weight: str) -> np.ndarray:
    """``text`` printed dark on a light strip 64 pixels high, as the recogniser gets it."""
    img = Image.new("L", (40 * len(text) + 20, 64), 232)
    ImageDraw.Draw(img).text((10, 8), text, font=FontBook().get(family, weight, 40), fill=35)
    return np.asarray(img)


@pytest.mark.parametrize(("family", "weight"), FONTS)
@pytest.mark.parametrize("text", ["K RAMESH", "KIRAN B M", "R S MEENAKSHI"])
def test_a_space_after_an_initial_is_a_gap(text: str, family: str, weight: str) -> None:
    """Every space of a name with initials shows as one gap, in every card font."""
    assert len(ink_gaps(line_crop(text, family, weight))) == text.count(" ")


@pytest.mark.parametrize(("family", "weight"), FONTS)
@pytest.mark.parametrize("text", ["SIDDIQUI", "WILLIAMS", "ABCPI1234I", "11/11/1953", "TYAGI"])
def test_letters_of_one_word_have_no_gap(text: str, family: str, weight: str) -> None:
    """Gaps between the letters of one word, beside an I or a 1 too, are not word gaps."""
    assert ink_gaps(line_crop(text, family, weight)) == []


def test_a_space_goes_where_a_gap_lies_between_two_characters() -> None:
    """'KRAMESH' with a gap between the K and the R reads 'K RAMESH', guesses kept aligned."""
    alts = tuple(((c, 0.9),) for c in "KRAMESH")
    centres = (20.0, 70.0, 100.0, 130.0, 160.0, 190.0, 220.0)
    text, new_alts = insert_spaces("KRAMESH", alts, centres, [Gap(35, 55, WORD_GAP)])
    assert text == "K RAMESH"
    assert new_alts[1] == ((" ", 1.0),)
    assert new_alts[2] == (("R", 0.9),)


def test_a_gap_beside_a_space_read_adds_nothing() -> None:
    """A gap the recogniser already read as a space is not doubled."""
    alts = tuple(((c, 0.9),) for c in "K RAM")
    text, _ = insert_spaces(
        "K RAM", alts, (20.0, 45.0, 70.0, 100.0, 130.0), [Gap(35, 55, WORD_GAP)]
    )
    assert text == "K RAM"


def test_a_gap_that_may_be_a_space_is_a_guess_not_a_space() -> None:
    """A gap narrower than a sure word gap leaves 'MARNIVV' as read, with a space guessed
    before the V that follows it."""
    alts = tuple(((c, 0.9),) for c in "MARNIVV")
    centres = (10.0, 40.0, 70.0, 100.0, 125.0, 160.0, 190.0)
    text, new_alts = insert_spaces("MARNIVV", alts, centres, [Gap(135, 148, 0.26)])
    assert text == "MARNIVV"
    assert new_alts[5] == (("V", 0.9), (" ", SPACE_GUESS))
    assert new_alts[4] == (("I", 0.9),)
