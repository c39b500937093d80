"""Confidences that mean what they say: 0.9 or more only where no wrong reading was as sure.

The parser's confidences rank readings well but sit on different scales per kind of field:
a date read at 0.82 was always right on the development cards, a name at 0.82 was not. Each
kind has a *knee* (:data:`~panread._tuning.CALIBRATION`, measured by
``benchmarks/calibrate.py``): the confidence above every wrong reading of that kind seen in
development. A piecewise-linear map sends the knee to 0.9, what is below it under 0.9 and
what is above it to (0.9, 1.0], so order within a kind is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from ._tuning import CALIBRATION
from ._types import Field, PanCard

__all__ = ["KIND_OF_FIELD", "SURE", "calibrated", "calibrated_card"]

SURE = 0.9
"""A field at this confidence or more is, as far as development showed, right."""

KIND_OF_FIELD = {
    "pan": "pan",
    "name": "name",
    "father_name": "name",
    "mother_name": "name",
    "dob": "date",
}
"""Which knee of :data:`~panread._tuning.CALIBRATION` each field of a card is calibrated by."""

T = TypeVar("T", str, dt.date)


def calibrated(confidence: float, knee: float) -> float:
    """``confidence`` with ``knee`` sent to :data:`SURE` (monotone, 0 and 1 stay put)."""
    if knee <= 0.0 or knee >= 1.0:
        return confidence
    if confidence < knee:
        return round(SURE * confidence / knee, 4)
    return round(SURE + (1.0 - SURE) * (confidence - knee) / (1.0 - knee), 4)


def _field(f: Field[T] | None, knee: float) -> Field[T] | None:
    if f is None:
        return None
    return dataclasses.replace(f, confidence=calibrated(f.confidence, knee))


def calibrated_card(card: PanCard) -> PanCard:
    """``card`` with every field's confidence calibrated by its kind's knee."""
    changes: dict[str, Any] = {
        name: _field(getattr(card, name), getattr(CALIBRATION, kind))
        for name, kind in KIND_OF_FIELD.items()
    }
    return dataclasses.replace(card, **changes)
