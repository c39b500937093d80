"""Word gaps the recogniser missed, found in the ink of the line it read.

The recogniser often runs an initial into the word next to it (a printed ``K RAMESH`` reads
``KRAMESH``), although the print shows a clear gap. A column of the line's crop with no ink
that is wide against the height of the print, lying between two characters the recogniser
placed on either side of it, is a space it left out. No word list is consulted: the gap
must be in the pixels.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["WORD_GAP", "ink_gaps", "insert_spaces"]

WORD_GAP = 0.34
"""A blank run at least this share of the print's height is a word gap. In the sans fonts
cards print names in, a space is 0.45-0.5 of the capitals' height (down to 0.36 beside
letters that overhang it, such as A, T and Y), and the widest gap between two letters of one
word is 0.29. Blur and background print only narrow gaps: a missed gap changes nothing."""
_MIN_INK_COLUMN = 2
"""A column with fewer ink pixels than this (in the band of print) counts as blank."""
_MAX_INK_SHARE = 0.5
"""A crop with more ink than this is not dark print on a light card: no gaps are looked for."""


def ink_gaps(crop: np.ndarray[Any, Any]) -> list[tuple[int, int]]:
    """Blank column runs ``(start, end)`` between inked columns of a grey line crop that are
    at least :data:`WORD_GAP` of the print's height wide."""
    import cv2

    grey = np.asarray(crop, dtype=np.uint8)
    if grey.ndim != 2 or grey.shape[0] < 8 or grey.shape[1] < 8:
        return []
    _, binary = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = binary.astype(bool)
    if ink.mean() > _MAX_INK_SHARE:
        return []
    rows = np.flatnonzero(ink.sum(axis=1) >= max(2, 0.01 * ink.shape[1]))
    if rows.size == 0:
        return []
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    height = bottom - top
    if height < 6:
        return []
    inked = ink[top:bottom].sum(axis=0) >= _MIN_INK_COLUMN
    columns = np.flatnonzero(inked)
    if columns.size < 2:
        return []
    return [
        (int(a) + 1, int(b))
        for a, b in itertools.pairwise(columns.tolist())
        if b - a - 1 >= WORD_GAP * height
    ]


def insert_spaces(
    text: str,
    alternatives: Sequence[tuple[tuple[str, float], ...]],
    centres: Sequence[float],
    gaps: Sequence[tuple[int, int]],
) -> tuple[str, tuple[tuple[tuple[str, float], ...], ...]]:
    """``text`` with a space wherever a gap lies between two characters' ``centres`` (in the
    crop's columns) that have no space between them; ``alternatives`` stay aligned."""
    out_text: list[str] = []
    out_alts: list[tuple[tuple[str, float], ...]] = []
    for i, ch in enumerate(text):
        if i > 0 and ch != " " and text[i - 1] != " ":
            left, right = centres[i - 1], centres[i]
            if any(left < (start + end) / 2 < right for start, end in gaps):
                out_text.append(" ")
                out_alts.append(((" ", 1.0),))
        out_text.append(ch)
        out_alts.append(alternatives[i])
    return "".join(out_text), tuple(out_alts)
