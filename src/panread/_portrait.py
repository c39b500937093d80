"""Find the holder's photo on an upright card crop, with plain OpenCV (milliseconds).

A PAN card prints the holder's photo as a rectangle standing upright (about 4:5), a tenth of
the card's area or so, at its left or right; the QR code beside it is square, and text is
not a photo. Edges of a small copy of the card are closed into solid regions, text lines
are cut out of them, and the region most like such a rectangle wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from ._engine import Image, TextBox

__all__ = ["Box", "find_photo"]

Box = tuple[int, int, int, int]
"""(left, top, right, bottom) in pixels."""

_WORK_WIDTH = 400
_ASPECT = (1.05, 1.7)
"""Height over width of a holder's photo (a QR code is square)."""
_HEIGHT = (0.22, 0.65)
"""Its height as a share of the card's."""
_BEST_ASPECT = 1.25
_COLOUR_STEP = 10.0
"""How far (CIELAB units, 8-bit scale) from the card's own colour a pixel counts as print."""


def find_photo(card: Image, boxes: Sequence[TextBox] = ()) -> Box | None:
    """The holder's photo on ``card`` (upright), or None; ``boxes`` are text read on it."""
    h, w = card.shape[:2]
    scale = min(1.0, _WORK_WIDTH / w)
    small = card
    if scale < 1.0:
        size = (_WORK_WIDTH, max(1, round(h * scale)))
        small = np.asarray(cv2.resize(card, size, interpolation=cv2.INTER_AREA), np.uint8)
    sh, sw = small.shape[:2]
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    distance = np.linalg.norm(lab - np.median(lab.reshape(-1, 3), axis=0), axis=2)
    edges = cv2.Canny(cv2.GaussianBlur(grey, (3, 3), 0), 40, 110)
    edges[distance > _COLOUR_STEP] = 255
    for b in boxes:
        if sum(c.isalnum() for c in b.text) >= 3:  # text is never the photo
            x0, y0 = round(b.left * scale), round(b.top * scale)
            x1, y1 = round(b.right * scale), round(b.bottom * scale)
            edges[max(0, y0) : y1 + 1, max(0, x0) : x1 + 1] = 0
    k = max(3, round(0.02 * sw))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    solid = cv2.morphologyEx(cv2.dilate(edges, kernel), cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[float, Box] | None = None
    for cnt in contours:
        x, y, bw, bh = cv2.boundingRect(cnt)
        if bw < 4 or not _HEIGHT[0] <= bh / sh <= _HEIGHT[1]:
            continue
        aspect = bh / bw
        if not _ASPECT[0] <= aspect <= _ASPECT[1]:
            continue
        fill = cv2.contourArea(cnt) / (bw * bh)
        if fill < 0.6:
            continue
        score = fill - abs(math.log(aspect / _BEST_ASPECT)) + bh / sh
        if best is None or score > best[0]:
            inv = 1.0 / scale
            box = (round(x * inv), round(y * inv), round((x + bw) * inv), round((y + bh) * inv))
            best = (score, (max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])))
    return None if best is None else best[1]
