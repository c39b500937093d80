"""Choosing among readings of differently cropped cards."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from panread import PanReader, ReadLimits
from panread._engine import TextBox, quad_from_rect
from panread._image import load_image
from panread._pipeline import (
    _clipped,
    _Crop,
    _cut_across,
    _readings,
    _text_block,
    _whole,
    _widen,
)
from panread._textlines import find_text_lines
from panread.testing import (
    FAKE_CARD_LINES,
    FakeEngine,
    random_card_spec,
    render_card,
    sample_for,
)

CARD = np.zeros((600, 1000, 3), dtype=np.uint8)


def _line(text: str, x0: float, x1: float, y: float) -> TextBox:
    return TextBox(text, 0.9, quad_from_rect(x0, y, x1, y + 40))


def test_lines_cut_at_the_left_edge_mark_a_clipped_crop() -> None:
    """An outline inside the card cuts 'VINOD SHARMA' to 'INOD SHARMA' at x = 0."""
    boxes = [_line("ME TAX DEPARTMENT", 0, 274, 36), _line("INOD SHARMA", 0, 251, 391)]
    assert _clipped(boxes, CARD)


def test_lines_cut_at_the_right_edge_mark_a_clipped_crop() -> None:
    boxes = [_line("GOVT. OF IND", 800, 1000, 36), _line("HRd", 900, 999, 80)]
    assert _clipped(boxes, CARD)


def test_one_line_at_an_edge_or_empty_boxes_do_not() -> None:
    """A single box at the edge may be a stray mark; boxes read as nothing never count."""
    boxes = [
        _line("INCOME TAX DEPARTMENT", 60, 400, 36),
        _line("VINOD SHARMA", 0, 251, 391),
        _line("", 0, 40, 500),
        _line("", 990, 1000, 500),
    ]
    assert not _clipped(boxes, CARD)


def test_a_row_of_print_cut_by_the_top_edge_marks_a_part_of_the_card() -> None:
    """An outline starting halfway through the PAN's row cuts both boxes on it at y = 0."""
    cut = [
        TextBox("QWER | 0712k", 0.04, quad_from_rect(522, 0, 800, 20)),
        TextBox("LhiMu", 0.0, quad_from_rect(24, 0, 120, 18)),
        _line("GIRDHARI", 27, 200, 107),
    ]
    assert _cut_across(cut, CARD)
    bottom = [_line("17/09/1971", 30, 250, 560), _line("Signature", 600, 800, 560)]
    assert _cut_across(bottom, CARD)


def test_one_box_at_the_top_or_lines_inside_are_not_cut_across() -> None:
    """A header touching the top once is a tight crop, not a part of the card."""
    boxes = [TextBox("INCOME TAX DEPARTMENT", 0.9, quad_from_rect(20, 0, 400, 40))]
    boxes.append(_line("GIRDHARI", 27, 200, 107))
    assert not _cut_across(boxes, CARD)


def test_a_widened_outline_grows_by_the_margin_on_every_side() -> None:
    """A 1000 x 600 outline widened by 5% gains 50 px left and right and 30 px above and below."""
    quad = ((100.0, 100.0), (1100.0, 100.0), (1100.0, 700.0), (100.0, 700.0))
    wide = _widen(quad, 0.05)
    expected = ((50.0, 70.0), (1150.0, 70.0), (1150.0, 730.0), (50.0, 730.0))
    assert [c for p in wide for c in p] == pytest.approx([c for p in expected for c in p])


@pytest.mark.model
def test_a_card_on_a_tall_page_is_cut_out_with_its_text_running_across(reader: PanReader) -> None:
    """Print far below a card makes the block of text taller than wide: it is still read
    with its lines running across, not turned on its side (a scanned page of one card)."""
    sample = sample_for("new", "clean", 18571973)
    drawn = load_image(sample.data, ReadLimits()).pixels
    card = cv2.resize(drawn, (600, round(600 * drawn.shape[0] / drawn.shape[1])))
    page = np.full((1755, 1240, 3), 255, dtype=np.uint8)
    page[300 : 300 + card.shape[0], 320:920] = card
    cv2.putText(page, "Scanned with a phone", (420, 1650), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    block = _text_block(page, reader.engine, None)
    assert block is not None
    first = next(_readings(block, reader.engine, None))
    assert first.card is not None
    assert first.card.pan is not None
    assert first.card.pan.value == sample.expected["pan"]


def _card_cropped_at_print(seed: int, gap: int) -> tuple[np.ndarray, str]:
    """A rendered older card cut ``gap`` pixels left of its leftmost print (negative: through
    it), and its PAN."""
    spec = random_card_spec(random.Random(seed), layout="old")
    card = np.asarray(render_card(spec, seed, width=1000).convert("RGB"))
    grey = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
    first = int(np.nonzero((grey < 110).any(axis=0))[0][0])
    return np.ascontiguousarray(card[:, first - gap :]), spec.pan


def test_a_whole_card_s_lines_reach_its_edge_only_where_their_print_does() -> None:
    """On a picture that is the whole card, print 6 px from the left edge leaves the line's
    margin short of it; print cut by the edge reaches it; a crop along an outline keeps the
    full margin (print that near may mean the outline lies inside the card)."""
    near, _ = _card_cropped_at_print(5101, 6)
    assert min(q[0][0] for q in find_text_lines(near, whole=True)) > 1
    assert min(q[0][0] for q in find_text_lines(near)) <= 1
    cut, _ = _card_cropped_at_print(5101, -4)
    assert min(q[0][0] for q in find_text_lines(cut, whole=True)) <= 1


@pytest.mark.model
def test_a_tight_crop_with_print_near_its_edge_is_read_without_craft(reader: PanReader) -> None:
    """A card cropped tight, its print 6 px from the left edge, reads as a complete card on
    the fast path: its lines' margins do not make it look cut off."""
    picture, pan = _card_cropped_at_print(5101, 6)
    first = next(_readings(_whole(picture), reader.engine, None))
    assert first.uncut
    assert first.complete_card is not None
    assert first.complete_card.pan is not None
    assert first.complete_card.pan.value == pan


def test_an_outline_with_no_print_along_it_is_not_read_with_craft() -> None:
    """A crop along an outline with no line of print on it (a blank patch, the holder's
    photo) is not the card: it gives no reading and costs no CRAFT pass."""
    engine = FakeEngine.from_lines(FAKE_CARD_LINES)
    blank = np.full((600, 960, 3), 235, dtype=np.uint8)
    outline = ((0.0, 0.0), (960.0, 0.0), (960.0, 600.0), (0.0, 600.0))
    assert list(_readings(_Crop(blank, outline), engine, None)) == []
    assert engine.calls["detect"] == 0
    whole = list(_readings(_Crop(blank, outline, "whole"), engine, None))
    assert len(whole) == 1
    assert engine.calls["detect"] == 1
