"""How line crops are grouped into recogniser batches (the network replaced by a recorder)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from panread._easyocr_engine import _BATCH_COLUMNS, _BATCH_CROPS, _recognise_batch

CHARACTERS = ["[blank]", "A", "B"]

Recogniser = Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]]


def _recorder(shapes: list[tuple[int, ...]]) -> Recogniser:
    def recognise(batch: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        shapes.append(tuple(batch.shape))
        steps = max(1, batch.shape[3] // 4)
        return np.full((batch.shape[0], steps, len(CHARACTERS)), 1 / len(CHARACTERS), np.float32)

    return recognise


def _crops(*widths: int) -> list[np.ndarray[Any, Any]]:
    return [np.full((64, w), 200, dtype=np.uint8) for w in widths]


def test_long_lines_are_split_so_no_batch_holds_too_many_columns() -> None:
    """Sixteen 3000-column lines would take 380 MB in one batch: they go in several."""
    shapes: list[tuple[int, ...]] = []
    results = _recognise_batch(_recorder(shapes), CHARACTERS, [], _crops(*[3000] * 16))
    assert len(results) == 16
    assert sum(s[0] for s in shapes) == 16
    assert all(s[0] * s[3] <= _BATCH_COLUMNS for s in shapes)


def test_short_lines_of_similar_width_share_a_batch() -> None:
    """Short lines of about one width are read together, at most _BATCH_CROPS at a time."""
    shapes: list[tuple[int, ...]] = []
    _recognise_batch(_recorder(shapes), CHARACTERS, [], _crops(*[300] * 20))
    assert [s[0] for s in shapes] == [_BATCH_CROPS, 20 - _BATCH_CROPS]
