"""Levelling tilted text: the tilt estimate and the rotation, on rendered cards (no model)."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from panread._skew import deskew, estimate_skew
from panread.testing import LAYOUTS, random_card_spec, render_card


def _card(layout: str) -> np.ndarray:
    spec = random_card_spec(random.Random(5), layout)
    return np.asarray(render_card(spec, seed=5).convert("RGB"))


def _rotated(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return np.asarray(cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("degrees", [-9.0, -4.0, 2.5, 7.0])
def test_tilt_of_a_rotated_card_is_measured(layout: str, degrees: float) -> None:
    """A card turned counter-clockwise by d degrees has text falling right by d degrees."""
    assert estimate_skew(_rotated(_card(layout), degrees)) == pytest.approx(-degrees, abs=0.4)


@pytest.mark.parametrize("degrees", [-6.0, 3.0])
def test_deskew_levels_the_text(degrees: float) -> None:
    """After deskew the text of a tilted card is level again."""
    level = deskew(_rotated(_card("new"), degrees))
    assert abs(estimate_skew(level)) < 0.4


def test_level_card_is_returned_unchanged() -> None:
    """A card whose text is already level is not resampled."""
    card = _card("old")
    assert deskew(card) is card


def test_blank_image_has_no_tilt() -> None:
    """An image with no print at all is left alone."""
    blank = np.full((300, 480, 3), 230, dtype=np.uint8)
    assert estimate_skew(blank) == 0.0
    assert deskew(blank) is blank
