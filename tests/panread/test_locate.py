"""Finding the card's outline in a photo: as a region, and by its straight edges."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from panread._edges import CardShape, card_from_edges
from panread._engine import Quad
from panread._image import load_image
from panread._limits import ReadLimits
from panread._locate import CARD_ASPECT, find_card
from panread.testing import sample_for

SHAPE = CardShape(CARD_ASPECT, (1.3, 1.95), (0.03, 0.95))


def _card_corners(cx: float, cy: float, width: float, degrees: float) -> np.ndarray:
    a = math.radians(degrees)
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [width / 2, width / CARD_ASPECT / 2]
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return np.asarray(half @ rot.T + [cx, cy], dtype=np.float64)


def _photo(background: int, corners: np.ndarray, *, paper: bool) -> np.ndarray:
    """A card with rows of print, its drop shadow, and maybe a sheet of paper under it."""
    rng = np.random.default_rng(3)
    img = np.full((480, 640, 3), background, np.uint8)
    img = np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)
    if paper:  # a sheet lying under the card's right half, reaching off the frame
        sheet = np.array([[380, 150], [700, 120], [700, 420], [400, 440]], np.int32)
        cv2.fillPoly(img, [sheet], (245, 245, 240))
    shadow = (corners + np.array([4, 6])).astype(np.int32)
    cv2.fillPoly(img, [shadow], (90, 90, 90))
    cv2.fillPoly(img, [corners.astype(np.int32)], (236, 238, 242))
    tl, tr, _, bl = corners
    across, down = (tr - tl), (bl - tl)
    for k in range(2, 9):  # rows of print, as the card's text
        start = tl + across * 0.08 + down * k / 10
        cv2.line(img, start.astype(int), (start + across * 0.6).astype(int), (30, 30, 30), 3)
    return img


def _near(quad: Quad, corners: np.ndarray, tolerance: float) -> bool:
    """Whether each of ``corners`` has a corner of ``quad`` within ``tolerance`` pixels."""
    return all(min(math.dist(c, q) for q in quad) <= tolerance for c in corners.tolist())


@pytest.mark.parametrize("background", [60, 200])
def test_a_card_lying_on_a_sheet_of_paper_is_found_by_its_edges(background: int) -> None:
    corners = _card_corners(300, 240, 360, 8)
    img = _photo(background, corners, paper=True)
    found = card_from_edges(img, SHAPE)
    assert found is not None
    quad, score, share = found
    assert _near(quad, corners, 6)
    assert 0.25 < share < 0.35
    assert score > 0.5


@pytest.mark.parametrize(
    ("layout", "seed"),
    [
        ("new", 449878529),  # a coin touching the card on a blue cloth
        ("new", 697336264),  # sheets of paper under the card
        ("old", 897295868),  # a card on wood grain
    ],
)
def test_rendered_photos_whose_card_merges_with_its_surroundings(layout: str, seed: int) -> None:
    sample = sample_for(layout, "photo", seed)
    rgb = load_image(sample.data, ReadLimits()).pixels
    found = find_card(rgb)
    assert found is not None
    tl, tr, br, bl = found.quad
    width = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    drawn = sample.info["card_width_px"] * rgb.shape[1] / sample.info["frame"][0]  # JPEG draft
    assert width == pytest.approx(drawn, rel=0.15)  # the card is drawn in perspective
    assert math.dist(tl, tr) > math.dist(tl, bl)  # the long side first, from the top-left


def test_a_pale_card_on_a_white_scanned_page_is_found() -> None:
    """A beige card barely differs from the page: only a fixed low threshold separates it."""
    sample = sample_for("new", "scan", 413452378)
    rgb = load_image(sample.data, ReadLimits()).pixels
    found = find_card(rgb)
    assert found is not None
    x, y, side, _ = sample.info["card_box"]  # the square the tilted card was drawn in
    cx = sum(px for px, _ in found.quad) / 4
    cy = sum(py for _, py in found.quad) / 4
    assert x < cx < x + side
    assert y < cy < y + side
    tl, tr, _, _ = found.quad
    card_mm = math.dist(tl, tr) / sample.info["dpi"] * 25.4
    assert card_mm == pytest.approx(85.6, rel=0.05)


def test_a_card_on_a_plain_desk_is_found_as_a_region() -> None:
    corners = _card_corners(320, 230, 400, 4)
    found = find_card(_photo(60, corners, paper=False))
    assert found is not None
    assert _near(found.quad, corners, 10)


def test_rows_of_print_alone_are_not_taken_for_a_card() -> None:
    rng = np.random.default_rng(5)
    img = np.clip(rng.normal(128, 6, (480, 640, 3)), 0, 255).astype(np.uint8)
    for y in range(60, 420, 30):
        cv2.line(img, (40, y), (600, y), (20, 20, 20), 3)
    assert card_from_edges(img, SHAPE) is None


def test_a_square_is_not_a_card() -> None:
    img = np.full((480, 640, 3), 60, np.uint8)
    cv2.rectangle(img, (170, 90), (470, 390), (235, 235, 235), -1)
    assert card_from_edges(img, SHAPE) is None
