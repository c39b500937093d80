"""Find the card in a photo or scan with OpenCV, and cut it out upright and flat.

Works on a small copy of the image (a few hundred pixels), so it costs milliseconds even for
a 35-megapixel scan. Two detectors propose card outlines: the region that differs from the
image's border colour (cards on a table, on a scanner's white page) and closed edge
contours; a candidate must have roughly the card's 85.6 x 54 mm proportions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ._engine import Image, Quad

__all__ = ["CARD_ASPECT", "CardQuad", "find_card", "order_quad", "warp_card"]

CARD_ASPECT = 85.6 / 54.0
_WORK_SIDE = 512


@dataclass(frozen=True, slots=True)
class CardQuad:
    """A card outline in image pixels (tl, tr, br, bl with the long side first) and a score."""

    quad: Quad
    score: float
    area_fraction: float


def order_quad(pts: np.ndarray) -> Quad:
    """Order four points as tl, tr, br, bl (clockwise from the top-left)."""
    p = np.asarray(pts, dtype=np.float64).reshape(4, 2)
    c = p.mean(axis=0)
    angles = np.arctan2(p[:, 1] - c[1], p[:, 0] - c[0])
    p = p[np.argsort(angles)]  # clockwise in image coords starting from the left-most angle
    # rotate so the first point is the one with smallest x + y
    start = int(np.argmin(p.sum(axis=1)))
    p = np.roll(p, -start, axis=0)
    return _as_quad(p)


def _as_quad(p: np.ndarray) -> Quad:
    pts = [(float(x), float(y)) for x, y in p]
    return (pts[0], pts[1], pts[2], pts[3])


def _candidates_from_mask(mask: np.ndarray, area: float) -> list[CardQuad]:
    out: list[CardQuad] = []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for cnt in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        c_area = cv2.contourArea(cnt)
        frac = c_area / area
        if frac < 0.02 or frac > 0.985:
            continue
        (cx, cy), (w, h), angle = cv2.minAreaRect(cnt)
        if min(w, h) < 1:
            continue
        aspect = max(w, h) / min(w, h)
        fill = c_area / (w * h)
        if not 1.25 <= aspect <= 2.0 or fill < 0.8:
            continue
        peri = cv2.arcLength(cnt, True)
        approx = cv2.approxPolyDP(cnt, 0.02 * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            pts = approx.reshape(4, 2)
        else:
            pts = cv2.boxPoints(((cx, cy), (w, h), angle))
        score = fill - abs(math.log(aspect / CARD_ASPECT)) + min(frac, 0.3)
        out.append(CardQuad(order_quad(pts), score, frac))
    return out


def find_card(rgb: Image) -> CardQuad | None:
    """Return the most card-like outline in ``rgb``, or None if nothing looks like a card."""
    h, w = rgb.shape[:2]
    scale = _WORK_SIDE / max(h, w)
    small = (
        cv2.resize(
            rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
        )
        if scale < 1
        else rgb
    )
    scale = min(scale, 1.0)
    sh, sw = small.shape[:2]
    area = float(sh * sw)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    band = max(2, round(0.03 * min(sh, sw)))
    border = np.concatenate(
        [
            lab[:band].reshape(-1, 3),
            lab[-band:].reshape(-1, 3),
            lab[:, :band].reshape(-1, 3),
            lab[:, -band:].reshape(-1, 3),
        ]
    )
    bg = np.median(border, axis=0)
    spread = float(np.median(np.linalg.norm(border - bg, axis=1)))
    dist = np.linalg.norm(lab - bg, axis=2)
    candidates: list[CardQuad] = []
    k = max(3, round(0.02 * min(sh, sw)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    for thr in (max(18.0, 3 * spread), max(30.0, 5 * spread)):
        mask = (dist > thr).astype(np.uint8) * 255
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        candidates += _candidates_from_mask(mask, area)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    edges = cv2.Canny(grey, 30, 90)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)), iterations=2)
    filled = np.zeros_like(edges)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    candidates += _candidates_from_mask(filled, area)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.score)
    inv = 1.0 / scale
    quad = tuple((x * inv, y * inv) for x, y in best.quad)
    return CardQuad(quad, best.score, best.area_fraction)  # type: ignore[arg-type]


def warp_card(rgb: Image, quad: Quad, *, max_width: int = 1400) -> Image:
    """Cut the card out of ``rgb`` flat and landscape, at most ``max_width`` pixels wide."""
    tl, tr, br, bl = quad
    top = math.dist(tl, tr)
    left = math.dist(tl, bl)
    if left > top:  # the card stands on its side: start from the bottom-left corner
        tl, tr, br, bl = bl, tl, tr, br
    long_side = max(math.dist(tl, tr), math.dist(bl, br))
    width = max(32, min(max_width, round(long_side)))
    height = max(20, round(width / CARD_ASPECT))
    src = np.array([tl, tr, br, bl], dtype=np.float32)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    interp = cv2.INTER_AREA if long_side > width * 1.2 else cv2.INTER_LINEAR
    return np.asarray(
        cv2.warpPerspective(rgb, m, (width, height), flags=interp, borderMode=cv2.BORDER_REPLICATE),
        dtype=np.uint8,
    )
