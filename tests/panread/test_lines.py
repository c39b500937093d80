"""Segments: the text of boxes on one printed line, and the recogniser's guesses for it."""

from __future__ import annotations

from panread._engine import TextBox, quad_from_rect
from panread._lines import Segment, group_segments


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


def test_a_tall_stray_box_does_not_pull_a_label_and_its_value_into_one_line() -> None:
    """A hologram fragment beside a label and the value under it, taller than both, leaves
    them on their own lines: boxes one above the other are never one printed line."""
    label = TextBox("Father's Name", 0.5, quad_from_rect(60, 604, 500, 640))
    value = TextBox("RAGHUNANDAN VERMA", 0.8, quad_from_rect(63, 644, 900, 684))
    stray = TextBox("Ft", 0.01, quad_from_rect(1036, 590, 1100, 690))
    texts = [s.text for s in group_segments([label, value, stray])]
    assert "RAGHUNANDAN VERMA" in texts
    assert all("Father" not in t or "VERMA" not in t for t in texts)
