"""Find a card by its four straight edges when it does not stand out as a region.

A sheet of paper or a coin touching the card merges with it in every colour mask, and a card
on a pale cloth barely differs from it in colour; but the card's edges are still straight
lines, sharpened by its drop shadow. Lines come from a Hough transform of two edge maps of
the small working image: one with dark print closed away, so that rows of text do not crowd
out the card's edges, and one as it is. Two roughly parallel pairs of lines crossing at
roughly right angles make a candidate outline; it must have a card's proportions and edges
along at least half of each side.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ._engine import Image, Quad

__all__ = ["CardShape", "card_from_edges"]

_MAX_LINES = 25
"""Only the longest lines are paired: pairs of pairs grow with the fourth power."""
_SAME_ANGLE = math.radians(2.5)
_SAME_OFFSET = 4.0
"""Hough segments this close in direction and offset (pixels) lie on one line."""
_PARALLEL = math.radians(15)
"""Opposite sides of a card photographed at a slant can differ this much in direction."""
_SQUARE = math.radians(30)
"""How far adjacent sides may be from a right angle."""
_MIN_SUPPORT = 0.5
"""The least share of every side that must run along an edge (a coin may cover some)."""


@dataclass(slots=True)
class _Line:
    """A straight line ``x cos(theta) + y sin(theta) = rho`` and the edge length along it."""

    theta: float
    rho: float
    length: float

    def same_as(self, theta: float, rho: float) -> bool:
        d = abs(self.theta - theta)
        if d < _SAME_ANGLE:
            return abs(self.rho - rho) < _SAME_OFFSET
        return abs(d - math.pi) < _SAME_ANGLE and abs(self.rho + rho) < _SAME_OFFSET


def _angle_between(a: _Line, b: _Line) -> float:
    d = abs(a.theta - b.theta) % math.pi
    return min(d, math.pi - d)


def _add_lines(edges: np.ndarray, min_len: int, lines: list[_Line]) -> list[_Line]:
    """``lines`` with the Hough segments of ``edges`` merged in, longest first."""
    segments = cv2.HoughLinesP(
        edges,
        1,
        np.pi / 180,
        threshold=max(20, round(min_len * 0.6)),
        minLineLength=min_len,
        maxLineGap=4,
    )
    if segments is not None:
        for x1, y1, x2, y2 in segments.reshape(-1, 4).astype(np.float64):
            theta = math.atan2(x2 - x1, y1 - y2) % math.pi  # the line's normal, in [0, pi)
            rho = x1 * math.cos(theta) + y1 * math.sin(theta)
            length = math.hypot(x2 - x1, y2 - y1)
            for line in lines:
                if line.same_as(theta, rho):
                    line.length += length
                    break
            else:
                lines.append(_Line(theta, rho, length))
    lines.sort(key=lambda line: -line.length)
    return lines[:_MAX_LINES]


def _crossing(a: _Line, b: _Line) -> tuple[float, float] | None:
    m = np.array([[math.cos(a.theta), math.sin(a.theta)], [math.cos(b.theta), math.sin(b.theta)]])
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    x, y = np.linalg.solve(m, np.array([a.rho, b.rho]))
    return float(x), float(y)


def _support(near_edge: np.ndarray, p: tuple[float, float], q: tuple[float, float]) -> float:
    """The share of the segment ``p``-``q`` that runs along an edge (0 if it leaves the image)."""
    n = max(2, round(math.dist(p, q) / 2))
    xs = np.linspace(p[0], q[0], n).round().astype(np.intp)
    ys = np.linspace(p[1], q[1], n).round().astype(np.intp)
    h, w = near_edge.shape
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    if inside.sum() < 0.9 * n:
        return 0.0
    return float(near_edge[ys[inside], xs[inside]].mean() / 255)


@dataclass(frozen=True, slots=True)
class CardShape:
    """What a card outline must look like: its proportions and its share of the image."""

    aspect: float
    """The card's long side over its short side."""
    aspect_range: tuple[float, float]
    area_range: tuple[float, float]


_Crossing = Callable[[_Line, _Line], tuple[float, float] | None]


def _outline(
    sides: tuple[_Line, _Line, _Line, _Line],
    near_edge: np.ndarray,
    shape: CardShape,
    crossing: _Crossing = _crossing,
) -> tuple[Quad, float, float] | None:
    """The quad that lines ``a, b`` (parallel) and ``c, d`` (parallel) enclose, its score and
    its share of the image; None if it is not card-like."""
    a, b, c, d = sides
    corners = [crossing(a, c), crossing(c, b), crossing(b, d), crossing(d, a)]
    if any(p is None for p in corners):
        return None
    pts = np.array(corners, dtype=np.float32)
    if not cv2.isContourConvex(pts):
        return None
    share = cv2.contourArea(pts) / near_edge.size
    if not shape.area_range[0] <= share <= shape.area_range[1]:
        return None
    quad: Quad = tuple((float(x), float(y)) for x, y in pts)  # type: ignore[assignment]
    lengths = [math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    one, other = (lengths[0] + lengths[2]) / 2, (lengths[1] + lengths[3]) / 2
    if min(one, other) < 8:
        return None
    aspect = max(one, other) / min(one, other)
    if not shape.aspect_range[0] <= aspect <= shape.aspect_range[1]:
        return None
    support = [_support(near_edge, quad[i], quad[(i + 1) % 4]) for i in range(4)]
    if min(support) < _MIN_SUPPORT:
        return None
    score = sum(support) / 4 - abs(math.log(aspect / shape.aspect)) + min(share, 0.3)
    return quad, score, share


def card_from_edges(small: Image, shape: CardShape) -> tuple[Quad, float, float] | None:
    """The best card-like outline of straight edges in ``small``: (quad, score, area share)."""
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    closed = cv2.morphologyEx(
        grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    )
    as_is = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), 30, 90)
    no_print = cv2.Canny(cv2.GaussianBlur(closed, (5, 5), 0), 30, 90)
    min_len = round(0.08 * max(grey.shape))
    lines = _add_lines(as_is, min_len, _add_lines(no_print, min_len, []))
    near_edge = cv2.dilate(as_is, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    pairs = [
        (a, b) for a, b in itertools.combinations(lines, 2) if _angle_between(a, b) < _PARALLEL
    ]
    # every pair of lines crosses in many candidate outlines: solve each pair once
    crossings: dict[tuple[int, int], tuple[float, float] | None] = {}

    def crossing(a: _Line, b: _Line) -> tuple[float, float] | None:
        key = (id(a), id(b))
        if key not in crossings:
            crossings[key] = _crossing(a, b)
        return crossings[key]

    best: tuple[Quad, float, float] | None = None
    for (a, b), (c, d) in itertools.combinations(pairs, 2):
        if abs(_angle_between(a, c) - math.pi / 2) > _SQUARE:
            continue
        found = _outline((a, b, c, d), near_edge, shape, crossing)
        if found is not None and (best is None or found[1] > best[1]):
            best = found
    return best
