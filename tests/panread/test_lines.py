"""Segments: the text of boxes on one printed line, and the recogniser's guesses for it."""

from __future__ import annotations

from panread._engine import TextBox, quad_from_rect
from panread._lines import Segment


def _box(text: str, x0: float = 0) -> TextBox:
    """``text`` read with certainty, with the recogniser's guesses."""
    alternatives = tuple(((c, 1.0),) for c in text)
    return TextBox(text, 0.8, quad_from_rect(x0, 0, x0 + 20 * len(text), 30), alternatives)


def test_boxes_without_guesses_keep_their_text_and_boxes_are_joined_by_a_space() -> None:
    plain = TextBox(" RAVI KUMAR ", 0.9, quad_from_rect(0, 0, 200, 30))
    segment = Segment((plain, _box("SHARMA", x0=220)))
    assert segment.text == "RAVI KUMAR SHARMA"
    assert segment.alternatives[:10] == tuple(() for _ in "RAVI KUMAR")
    assert segment.alternatives[10] == ((" ", 1.0),)
    assert segment.alternatives[11] == (("S", 1.0),)
