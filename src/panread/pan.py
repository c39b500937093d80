"""Facts about PAN numbers, written once: their shape, holder types and how to mask them.

A PAN is five letters, four digits and a letter (``AAAAA9999A``); the 4th letter names the
kind of holder. There is no public checksum for the last letter, so none is checked. The
support server validates and masks PANs with these too.
"""

from __future__ import annotations

import re

from ._types import HolderType

__all__ = [
    "HOLDER_TYPES",
    "LETTER_POSITIONS",
    "PAN_LENGTH",
    "PAN_PATTERN",
    "holder_type_of",
    "is_pan",
    "mask_pan",
]

PAN_LENGTH = 10
PAN_PATTERN = re.compile(r"[A-Z]{5}[0-9]{4}[A-Z]")
"""The whole of a PAN; use ``fullmatch`` (or ``search`` for a PAN inside a longer text)."""
LETTER_POSITIONS = frozenset({0, 1, 2, 3, 4, 9})
"""0-based positions that hold letters; the others (5-8) hold digits."""

HOLDER_TYPES: dict[str, HolderType] = {
    "P": HolderType.INDIVIDUAL,
    "C": HolderType.COMPANY,
    "H": HolderType.HUF,
    "F": HolderType.FIRM,
    "A": HolderType.AOP,
    "T": HolderType.TRUST,
    "B": HolderType.BOI,
    "L": HolderType.LOCAL_AUTHORITY,
    "J": HolderType.ARTIFICIAL_JURIDICAL_PERSON,
    "G": HolderType.GOVERNMENT,
}
"""The holder type named by a PAN's 4th letter."""


def is_pan(text: str) -> bool:
    """Whether ``text`` is exactly a PAN's shape (``AAAAA9999A``, capitals, no spaces)."""
    return PAN_PATTERN.fullmatch(text) is not None


def holder_type_of(pan: str) -> HolderType | None:
    """The holder type named by the 4th letter of ``pan``, or None if it names none."""
    return HOLDER_TYPES.get(pan[3]) if len(pan) == PAN_LENGTH else None


def mask_pan(pan: str) -> str:
    """Mask a PAN for logs: ``ABCPE1234F`` -> ``ABCPXXXX4F`` (first four and last two kept).

    Text of any other length (a mistyped PAN) is masked whole: it may be most of a real PAN.
    """
    if len(pan) != PAN_LENGTH:
        return "X" * len(pan)
    return pan[:4] + "XXXX" + pan[-2:]
