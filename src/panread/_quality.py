"""Findings about the picture of a card: blurred, glare over the print, too small, cut off, dark.

Each finding is measured cheaply (milliseconds, no OCR) on the card crop that was read and on
where that crop lies in the picture:

- **blurry**: the variance of the Laplacian of the print, relative to its contrast, measured
  at the card's own resolution (an enlarged small crop is not called blurred for that);
- **glare**: the share of the card's inside covered by solid patches of saturated white, on
  a card that is not itself white: a reflection there hides letters (thin white print such
  as a QR code's is not a patch; a white card, such as a printed e-PAN, shows no glare this
  way and is never called glared);
- **too_small**: the card's width in the decoded picture, in pixels, and as a share of the
  picture's long side (a card far from the camera); a card found by its text is as wide as
  its text block without the margin added to read it;
- **cut_off**: the card's outline touches the picture's edge on one to three sides (on all
  four, the picture is the card), or the card was found as a block of text that touches
  the picture's edge;
- **too_dark**: the median brightness of the card.

Every threshold lives in :data:`THRESHOLDS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ._engine import Image, Quad
from ._pipeline import TEXT_MARGIN, FoundBy
from ._textlines import find_text_lines
from ._types import QualityCode, QualityFinding

__all__ = ["THRESHOLDS", "Measures", "QualityThresholds", "assess_quality", "measure"]


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """Where each finding starts (see the module docstring for what is measured)."""

    min_sharpness: float = 0.08
    """Variance of the Laplacian of the print over the variance of its grey levels."""
    max_glare: float = 0.01
    """Share of the card's inside covered by saturated white patches."""
    glare_patch: float = 0.02
    """A patch is at least this share of the card's width across (thinner white is print)."""
    saturated: int = 250
    """A pixel is saturated when every channel is at least this."""
    white_card: float = 240.0
    """A card whose median grey level is above this is white: glare cannot be told on it."""
    min_card_width: int = 400
    """Pixels across the card's long side in the (decoded) picture."""
    min_card_share: float = 0.25
    """The card's long side as a share of the picture's (an A4 scan's card is 0.29)."""
    edge: float = 0.004
    """How near the picture's edge (share of its long side) an outline counts as touching it."""
    min_brightness: float = 75.0
    """Median grey level of the card, 0-255."""
    work_width: int = 800
    """Measures are taken on a copy of the card at most this wide."""


THRESHOLDS = QualityThresholds()

MESSAGES: dict[QualityCode, str] = {
    QualityCode.BLURRY: "The picture is blurred: hold the camera still, let it focus on the "
    "card, and take it again.",
    QualityCode.GLARE: "A reflection hides part of the card: tilt the card or move away from "
    "the light, and take it again.",
    QualityCode.TOO_SMALL: "The card is too small in the picture: move closer so that the card "
    "fills most of the frame.",
    QualityCode.CUT_OFF: "Part of the card is outside the picture: keep all four edges of the "
    "card in the frame.",
    QualityCode.TOO_DARK: "The picture is too dark: take it again in better light.",
}


@dataclass(frozen=True, slots=True)
class Measures:
    """What :func:`measure` found; each finding compares one of these with a threshold."""

    sharpness: float
    glare: float
    card_width: float
    card_share: float
    cut_off: bool
    brightness: float


def _side(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.dist(a, b)


def _card_width(outline: Quad) -> float:
    tl, tr, br, bl = outline
    return max(_side(tl, tr), _side(bl, br), _side(tl, bl), _side(tr, br))


def _outline_at_edge(outline: Quad, size: tuple[int, int], margin: float) -> int:
    """On how many sides of the picture (``size`` = w, h) the outline reaches its edge."""
    w, h = size
    xs = [x for x, _ in outline]
    ys = [y for _, y in outline]
    touching = (min(xs) <= margin, min(ys) <= margin, max(xs) >= w - margin, max(ys) >= h - margin)
    return sum(touching)


def _print_mask(grey: np.ndarray) -> np.ndarray:
    """Where the text lines of ``grey`` are, widened a little (uint8 0/1)."""
    h, w = grey.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    rgb = cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)
    for q in find_text_lines(np.asarray(rgb, dtype=np.uint8)):
        (x0, y0), _, (x1, y1), _ = q
        pad = 0.5 * (y1 - y0)
        cv2.rectangle(
            mask,
            (max(0, round(x0 - pad)), max(0, round(y0 - pad))),
            (min(w - 1, round(x1 + pad)), min(h - 1, round(y1 + pad))),
            1,
            thickness=-1,
        )
    return mask


def _glare(inside: np.ndarray, thresholds: QualityThresholds) -> float:
    """Share of ``inside`` covered by saturated patches at least ``glare_patch`` across."""
    saturated = (inside.min(axis=2) >= thresholds.saturated).astype(np.uint8)
    side = max(3, round(thresholds.glare_patch * inside.shape[1]))
    patches = cv2.morphologyEx(saturated, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    return float(patches.mean())


def measure(
    image: Image,
    outline: Quad,
    picture_size: tuple[int, int],
    *,
    found_by: FoundBy = "outline",
    text_at_border: bool = False,
    thresholds: QualityThresholds = THRESHOLDS,
) -> Measures:
    """Measure the card crop ``image``, cut from ``outline`` in a picture of ``picture_size``.

    ``found_by`` says how the crop was found; ``text_at_border`` that it was found as a block
    of text touching the picture's edge.
    """
    card_width = _card_width(outline)
    if found_by == "text":  # the block was cut wider than its text so as not to cut letters
        card_width /= 1 + 2 * TEXT_MARGIN
    h, w = image.shape[:2]
    work = min(float(thresholds.work_width), card_width, float(w))
    scale = work / w
    small = image
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    mask = _print_mask(grey).astype(bool)
    if mask.sum() < 0.02 * mask.size:  # no lines found: measure the middle of the card
        mask[:] = False
        mh, mw = mask.shape
        mask[mh // 5 : mh - mh // 5, mw // 10 : mw - mw // 10] = True
    lap = cv2.Laplacian(grey, cv2.CV_32F)
    sharpness = float(lap[mask].var() / max(float(grey[mask].astype(np.float32).var()), 1.0))
    sh, sw = grey.shape
    inside = small[sh // 20 : sh - sh // 20, sw // 40 : sw - sw // 40]
    brightness = float(np.median(grey))
    glare = 0.0
    if brightness <= thresholds.white_card:
        glare = _glare(inside, thresholds)
    margin = thresholds.edge * max(picture_size)
    if found_by == "outline":
        cut = 1 <= _outline_at_edge(outline, picture_size, margin) <= 3
    else:
        cut = found_by == "text" and text_at_border
    share = card_width / max(picture_size)
    return Measures(sharpness, glare, card_width, share, cut, brightness)


def assess_quality(
    measures: Measures, thresholds: QualityThresholds = THRESHOLDS
) -> tuple[QualityFinding, ...]:
    """The findings ``measures`` call for, in a fixed order."""
    codes: list[QualityCode] = []
    if measures.sharpness < thresholds.min_sharpness:
        codes.append(QualityCode.BLURRY)
    if measures.glare > thresholds.max_glare:
        codes.append(QualityCode.GLARE)
    if (
        measures.card_width < thresholds.min_card_width
        or measures.card_share < thresholds.min_card_share
    ):
        codes.append(QualityCode.TOO_SMALL)
    if measures.cut_off:
        codes.append(QualityCode.CUT_OFF)
    if measures.brightness < thresholds.min_brightness:
        codes.append(QualityCode.TOO_DARK)
    return tuple(QualityFinding(code, MESSAGES[code]) for code in codes)
