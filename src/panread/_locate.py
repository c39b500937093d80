"""Find the card in a photo or scan with OpenCV, and cut it out upright and flat.

Works on a small copy of the image (a few hundred pixels), so it costs milliseconds even for
a 35-megapixel scan. Two detectors propose card outlines: the region that differs from the
image's border colour (cards on a table, on a scanner's white page) and closed edge
contours; a candidate must have roughly the card's 85.6 x 54 mm proportions. When neither
finds one (paper touching the card, a pale background), the card's four straight edges may
still be found (:mod:`._edges`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ._edges import CardShape, card_from_edges
from ._engine import Image, Quad

__all__ = ["CARD_ASPECT", "CardQuad", "find_card", "order_quad", "warp_card", "warp_quad"]

CARD_ASPECT = 85.6 / 54.0
_WORK_SIDE = 512
_ASPECT_RANGE = (1.3, 1.95)
_AREA_RANGE = (0.03, 0.95)


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


def _quad_of(cnt: np.ndarray) -> np.ndarray | None:
    """Four corners of a contour (rounded card corners allowed), or None."""
    hull = cv2.convexHull(cnt)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return np.asarray(approx.reshape(4, 2), dtype=np.float64)
        if len(approx) < 4:
            return None
    return None


def _candidates_from_mask(mask: np.ndarray, area: float) -> list[CardQuad]:
    out: list[CardQuad] = []
    sh, sw = mask.shape[:2]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for cnt in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        c_area = cv2.contourArea(cnt)
        frac = c_area / area
        if not _AREA_RANGE[0] <= frac <= _AREA_RANGE[1]:
            continue
        x, y, bw, bh = cv2.boundingRect(cnt)
        touches = (x <= 1) + (y <= 1) + (x + bw >= sw - 1) + (y + bh >= sh - 1)
        if touches >= 2:
            continue
        solidity = c_area / max(cv2.contourArea(cv2.convexHull(cnt)), 1.0)
        if solidity < 0.93:
            continue
        pts = _quad_of(cnt)
        if pts is None:
            rect = cv2.minAreaRect(cnt)
            pts = np.asarray(cv2.boxPoints(rect), dtype=np.float64)
        quad = order_quad(pts)
        tl, tr, br, bl = quad
        a = (math.dist(tl, tr) + math.dist(bl, br)) / 2
        b = (math.dist(tl, bl) + math.dist(tr, br)) / 2
        if min(a, b) < 8:
            continue
        aspect = max(a, b) / min(a, b)
        q_area = cv2.contourArea(np.array(quad, dtype=np.float32))
        if q_area <= 0:
            continue
        fill = c_area / q_area
        if not _ASPECT_RANGE[0] <= aspect <= _ASPECT_RANGE[1] or not 0.92 <= fill <= 1.08:
            continue
        score = (
            1.0
            - abs(1.0 - fill)
            - abs(math.log(aspect / CARD_ASPECT))
            + min(frac, 0.3)
            - 0.3 * touches
        )
        out.append(CardQuad(quad, score, frac))
    return out


def _clean(mask: np.ndarray, k: int, open_first: bool) -> np.ndarray:
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    if open_first:
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    # fill holes: a card's text, photo and QR code are inside it
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return cv2.morphologyEx(filled, cv2.MORPH_OPEN, kernel, iterations=2)


def find_card(rgb: Image) -> CardQuad | None:
    """Return the most card-like outline in ``rgb``, or None if nothing looks like a card."""
    h, w = rgb.shape[:2]
    scale = min(1.0, _WORK_SIDE / max(h, w))
    small = rgb
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))
    sh, sw = small.shape[:2]
    area = float(sh * sw)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
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
    dist = np.linalg.norm(lab - bg, axis=2)
    dist8 = np.clip(dist * 2, 0, 255).astype(np.uint8)
    k = max(3, round(0.025 * min(sh, sw)) | 1)
    masks = []
    otsu, _ = cv2.threshold(dist8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for thr in sorted({max(otsu, 24.0), 16.0, 24.0, 36.0, 70.0}):
        masks.append((dist8 > thr).astype(np.uint8) * 255)
    lum = lab[:, :, 0].astype(np.uint8)
    _, bright = cv2.threshold(lum, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(bright)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), 40, 120)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    filled = np.zeros_like(edges)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    masks.append(filled)
    candidates: list[CardQuad] = []
    for mask in masks:
        for open_first in (True, False):
            candidates += _candidates_from_mask(_clean(mask, k, open_first), area)
    if not candidates:
        by_edges = card_from_edges(small, CardShape(CARD_ASPECT, _ASPECT_RANGE, _AREA_RANGE))
        if by_edges is None:
            return None
        quad, score, share = by_edges
        candidates.append(CardQuad(order_quad(np.array(quad)), score, share))
    best = max(candidates, key=lambda c: c.score)
    inv = 1.0 / scale
    p = [(x * inv, y * inv) for x, y in best.quad]
    return CardQuad((p[0], p[1], p[2], p[3]), best.score, best.area_fraction)


def warp_card(rgb: Image, quad: Quad, *, max_width: int = 1400) -> Image:
    """Cut the card out of ``rgb`` flat and landscape, in a card's proportions, at most
    ``max_width`` pixels wide."""
    tl, tr, br, bl = quad
    if math.dist(tl, bl) > math.dist(tl, tr):  # on its side: start from the bottom-left corner
        tl, tr, br, bl = bl, tl, tr, br
    long_side = max(math.dist(tl, tr), math.dist(bl, br))
    width = max(32, min(max_width, round(long_side)))
    return _warp(rgb, (tl, tr, br, bl), (width, max(20, round(width / CARD_ASPECT))))


def warp_quad(rgb: Image, quad: Quad, *, max_side: int = 1400) -> Image:
    """Cut ``quad`` out of ``rgb`` as it lies: its first corner at the top left, in its own
    proportions, its longer side at most ``max_side`` pixels."""
    tl, tr, br, bl = quad
    across = max(math.dist(tl, tr), math.dist(bl, br))
    down = max(math.dist(tl, bl), math.dist(tr, br))
    scale = min(1.0, max_side / max(across, down, 1.0))
    return _warp(rgb, quad, (max(32, round(across * scale)), max(20, round(down * scale))))


def _warp(rgb: Image, quad: Quad, size: tuple[int, int]) -> Image:
    """``quad`` (tl, tr, br, bl) of ``rgb`` mapped onto an image of ``size`` (w, h)."""
    width, height = size
    src = np.array(quad, dtype=np.float32)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    shrink = math.dist(quad[0], quad[1]) > width * 1.2
    return np.asarray(
        cv2.warpPerspective(
            rgb,
            m,
            (width, height),
            flags=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ),
        dtype=np.uint8,
    )
