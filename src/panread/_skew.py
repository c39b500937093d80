"""Straighten a card whose text lines are tilted (a photo whose outline was not found).

The tilt is the angle at which the dark print's rows project most sharply: rotate the
print's pixel coordinates through candidate angles and keep the one whose row histogram has
the most energy (text lines become narrow, tall peaks). It runs on a small copy, in a few
milliseconds.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ._engine import Image

__all__ = ["deskew", "estimate_skew"]

_WORK_WIDTH = 480
_MAX_DEGREES = 12.0
_MIN_DEGREES = 0.8
"""Tilts below this are left alone: lines still group, and rotating costs sharpness."""


def _print_points(card: Image) -> np.ndarray:
    """(x, y) of dark-print pixels on a small copy of ``card``, centred on the origin."""
    h, w = card.shape[:2]
    scale = min(1.0, _WORK_WIDTH / w)
    small = card
    if scale < 1.0:
        size = (_WORK_WIDTH, max(1, round(h * scale)))
        small = np.asarray(cv2.resize(card, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY) if small.ndim == 3 else small
    k = max(9, round(small.shape[1] * 0.025)) | 1
    blackhat = cv2.morphologyEx(
        grey, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    )
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs, ys], axis=1).astype(np.float64)
    if len(pts):
        pts -= pts.mean(axis=0)
    return pts


def _sharpness(pts: np.ndarray, degrees: float) -> float:
    a = math.radians(degrees)
    rows = pts[:, 1] * math.cos(a) - pts[:, 0] * math.sin(a)
    hist = np.bincount(np.round(rows - rows.min()).astype(np.int64))
    return float(np.dot(hist, hist))


def estimate_skew(card: Image) -> float:
    """The tilt of ``card``'s text lines in degrees (positive: lines fall to the right)."""
    pts = _print_points(card)
    if len(pts) < 200:
        return 0.0
    coarse = np.arange(-_MAX_DEGREES, _MAX_DEGREES + 1e-9, 1.0)
    best = max(coarse, key=lambda d: _sharpness(pts, float(d)))
    fine = np.arange(best - 0.9, best + 0.91, 0.15)
    return float(max(fine, key=lambda d: _sharpness(pts, float(d))))


def deskew(card: Image) -> Image:
    """``card`` rotated so its text lines are level (unchanged when they nearly are)."""
    degrees = estimate_skew(card)
    if abs(degrees) < _MIN_DEGREES:
        return card
    h, w = card.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    a = math.radians(abs(degrees))
    new_w = round(w * math.cos(a) + h * math.sin(a))
    new_h = round(h * math.cos(a) + w * math.sin(a))
    m[0, 2] += (new_w - w) / 2
    m[1, 2] += (new_h - h) / 2
    out = cv2.warpAffine(
        card, m, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(out, dtype=np.uint8)
