"""Find printed text lines on a flattened card with plain OpenCV morphology (milliseconds).

This is the fast path: on a card that was found and flattened, dark print on a light card is
easy to isolate (black-hat transform, Otsu threshold, horizontal closing). When the result
does not read as a complete card, the pipeline falls back to CRAFT.
"""

from __future__ import annotations

import cv2

from ._engine import Image, Quad, quad_from_rect

__all__ = ["find_text_lines"]

_EDGE_GAP = 3
"""Pixels by which a line's margin stops short of the picture's left or right edge when the
picture is the whole card and the line's print does not reach nearer (see
:func:`find_text_lines`)."""


def find_text_lines(card: Image, *, whole: bool = False) -> list[Quad]:
    """Quads of probable text lines on an upright or upside-down flattened card.

    A line's quad has a margin of half its height left and right, cut at the picture's edges.
    The pipeline takes lines reaching an edge for print cut off there. On a crop along a
    card outline, print that near the edge hints that the outline lies inside the card; when
    the picture is the ``whole`` card, only print that reaches the edge was cut, so the margin
    stops short of it.
    """
    h, w = card.shape[:2]
    gap_x = _EDGE_GAP if whole else 0
    grey = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
    k = max(9, round(w * 0.025)) | 1
    blackhat = cv2.morphologyEx(
        grey, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    )
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    gap = max(3, round(w * 0.012))
    mask = cv2.morphologyEx(
        mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1))
    )
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_h, max_h = 0.011 * w, 0.06 * w
    comps = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if not min_h <= bh <= max_h or bw < 0.6 * bh or area < 0.15 * bw * bh:
            continue
        comps.append((x, y, x + bw, y + bh))
    # merge pieces of one line: similar vertical span, small horizontal gap
    comps.sort(key=lambda c: (c[1], c[0]))
    lines: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(comps, key=lambda c: c[0]):
        ch = y1 - y0
        for line in lines:
            lh = line[3] - line[1]
            overlap = min(y1, line[3]) - max(y0, line[1])
            if (
                overlap > 0.6 * min(ch, lh)
                and x0 - line[2] < 1.2 * max(ch, lh)
                and abs(ch - lh) < 0.5 * max(ch, lh)
            ):
                line[0], line[1] = min(line[0], x0), min(line[1], y0)
                line[2], line[3] = max(line[2], x1), max(line[3], y1)
                break
        else:
            lines.append([x0, y0, x1, y1])
    quads: list[Quad] = []
    for x0, y0, x1, y1 in lines:
        lh = y1 - y0
        if x1 - x0 < 1.2 * lh:
            continue
        pad_y = 0.25 * lh
        pad_x = 0.5 * lh
        quads.append(
            quad_from_rect(
                float(max(min(x0, gap_x), x0 - pad_x)),
                float(max(0, y0 - pad_y)),
                float(min(max(x1, w - gap_x), x1 + pad_x)),
                float(min(h, y1 + pad_y)),
            )
        )
    return quads
