"""Initials the recogniser or the detector lost, as another reading of the same name shows.

An initial is a single letter: the recogniser often runs it into the next word (``K RAMESH``
read ``KRAMESH``) and the text detector sometimes leaves a lone letter out of the line's box
(``L PEREIRA`` read ``PEREIRA``); neither invents one. So where two readings of one name
differ only by initials, the one that shows them is believed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ._types import PanCard

__all__ = ["adds_initials", "splits_initials", "with_initials"]

_NAMES = ("name", "father_name", "mother_name")


def splits_initials(read: str, other: str) -> bool:
    """Whether ``other`` is ``read`` with single letters split off some of its words."""
    words, more = read.split(), other.split()
    if len(more) <= len(words) or "".join(more) != "".join(words):
        return False
    rest = list(more)
    for word in words:
        pieces: list[str] = []
        while rest and len("".join(pieces)) < len(word):
            pieces.append(rest.pop(0))
        if "".join(pieces) != word or sum(len(p) > 1 for p in pieces) > 1:
            return False
    return not rest


def adds_initials(read: str, other: str) -> bool:
    """Whether ``other`` is ``read`` with single letters added as words, or split off its
    words."""
    words, more = read.split(), other.split()
    if len(more) <= len(words) or not all(w.isalpha() for w in more):
        return False
    rest = iter(more)
    in_order = all(any(w == m for m in rest) for w in words)
    added = len(more) - len(words) == sum(len(w) == 1 for w in more) - sum(
        len(w) == 1 for w in words
    )
    return (in_order and added) or splits_initials(read, other)


def with_initials(card: PanCard, others: Iterable[PanCard], sure: float) -> PanCard:
    """``card`` with each name replaced by another reading's of it, read at least ``sure``,
    that shows initials it lost (keeping the lower confidence of the two)."""
    others = list(others)
    changes = {}
    for attr in _NAMES:
        mine = getattr(card, attr)
        if mine is None:
            continue
        for other in others:
            theirs = getattr(other, attr)
            if (
                theirs is not None
                and theirs.confidence >= sure
                and adds_initials(mine.value, theirs.value)
            ):
                confidence = min(mine.confidence, theirs.confidence)
                changes[attr] = dataclasses.replace(theirs, confidence=confidence)
                break
    return dataclasses.replace(card, **changes) if changes else card
