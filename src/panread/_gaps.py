"""Word gaps the recogniser missed, found in the ink of the line it read.

The recogniser often runs an initial into the word next to it (a printed ``K RAMESH`` reads
``KRAMESH``), although the print shows a clear gap. A column of the line's crop with no ink
that is wide against the height of the print, lying between two characters the recogniser
placed on either side of it, is a space it left out. No word list is consulted: the gap
must be in the pixels. A narrower gap that may still be a space (:data:`NEAR_GAP`) is not
inserted but offered as a guess, which makes the word's reading unclear.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = ["NEAR_GAP", "SPACE_GUESS", "WORD_GAP", "Gap", "ink_gaps", "insert_spaces"]

WORD_GAP = 0.34
"""A blank run at least this share of the print's height is a word gap. In the sans fonts
cards print names in, a space is 0.45-0.5 of the capitals' height (down to 0.36 beside
letters that overhang it, such as A, T and Y), and the widest gap between two letters of one
word is 0.29. Blur and background print only narrow gaps: a missed gap changes nothing."""
NEAR_GAP = 0.22
"""A blank run this share of the height or more, but under :data:`WORD_GAP`, may be a space
beside an overhanging letter (spaces after an 'A' of a blurred photo measure 0.25-0.29) or a
wide gap inside a word: which one, the ink cannot tell."""
SPACE_GUESS = 0.5
"""The chance given to a space at a :data:`NEAR_GAP` gap, among the next letter's guesses."""
_MIN_INK_COLUMN = 2
"""A column with fewer ink pixels than this (in the band of print) counts as blank."""
_MAX_INK_SHARE = 0.5
"""A crop with more ink than this is not dark print on a light card: no gaps are looked for."""


class Gap(NamedTuple):
    """A blank run of columns ``[start, end)`` of a line crop, ``share`` of the print's height."""

    start: int
    end: int
    share: float


def ink_gaps(crop: np.ndarray[Any, Any], min_share: float = WORD_GAP) -> list[Gap]:
    """Blank column runs between inked columns of a grey line crop that are at least
    ``min_share`` of the print's height wide."""
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
        Gap(int(a) + 1, int(b), (b - a - 1) / height)
        for a, b in itertools.pairwise(columns.tolist())
        if b - a - 1 >= min_share * height
    ]


def insert_spaces(
    text: str,
    alternatives: Sequence[tuple[tuple[str, float], ...]],
    centres: Sequence[float],
    gaps: Sequence[Gap],
) -> tuple[str, tuple[tuple[tuple[str, float], ...], ...]]:
    """``text`` with a space wherever a :data:`WORD_GAP` gap lies between two characters'
    ``centres`` (in the crop's columns) that have no space between them; a narrower gap adds
    a space to the second character's guesses. ``alternatives`` stay aligned."""
    out_text: list[str] = []
    out_alts: list[tuple[tuple[str, float], ...]] = []
    for i, ch in enumerate(text):
        guesses = alternatives[i]
        if i > 0 and ch != " " and text[i - 1] != " ":
            left, right = centres[i - 1], centres[i]
            between = [g.share for g in gaps if left < (g.start + g.end) / 2 < right]
            if between and max(between) >= WORD_GAP:
                out_text.append(" ")
                out_alts.append(((" ", 1.0),))
            elif between:
                guesses = (*guesses, (" ", SPACE_GUESS))
        out_text.append(ch)
        out_alts.append(guesses)
    return "".join(out_text), tuple(out_alts)
