"""Fields the chosen reading of a card missed, as another reading of the same card shows.

The reading chosen is the best one overall, yet it can miss a field another crop of the card
read (a date the detector boxed with a stray mark, say). A reading is of the same card when it
read the same PAN; a field it has that the chosen reading lacks is taken as it was read, with
its own confidence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from ._types import HolderType, PanCard

__all__ = ["with_missing_fields"]


def _parent(card: PanCard) -> float | None:
    """The confidence of the parent's name ``card`` read, or None if it read none."""
    parent = card.father_name or card.mother_name
    return None if parent is None else parent.confidence


def with_missing_fields(card: PanCard, others: Iterable[PanCard]) -> PanCard:
    """``card`` with its missing name, date or parent's name taken from the surest of
    ``others`` that read the same PAN."""
    if card.pan is None:
        return card
    same = [o for o in others if o.pan is not None and o.pan.value == card.pan.value]
    changes: dict[str, Any] = {}
    for attr in ("name", "dob"):
        if getattr(card, attr) is None:
            found = [f for o in same if (f := getattr(o, attr)) is not None]
            if found:
                changes[attr] = max(found, key=lambda f: f.confidence)
    if card.holder_type is HolderType.INDIVIDUAL and _parent(card) is None:
        parents = [o for o in same if _parent(o) is not None]
        if parents:
            best = max(parents, key=lambda o: _parent(o) or 0.0)
            changes.update(father_name=best.father_name, mother_name=best.mother_name)
    return dataclasses.replace(card, **changes) if changes else card
