"""The values panread returns: a :class:`PanCard` made of :class:`Field` objects."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

__all__ = ["Field", "HolderType", "Layout", "PanCard"]

T = TypeVar("T", str, dt.date)


class Layout(StrEnum):
    """Which PAN card design was found."""

    NEW = "new"
    """The current card: bilingual labels, "Permanent Account Number Card", QR code."""
    OLD = "old"
    """The older card: "INCOME TAX DEPARTMENT / GOVT. OF INDIA", unlabelled lines."""
    LAMINATED = "laminated"
    """The first-generation laminated card with "/NAME", "/FATHER'S NAME" labels."""
    COMPANY = "company"
    """A card of a company, firm, trust or other non-individual holder."""


class HolderType(StrEnum):
    """The kind of holder, given by the 4th letter of the PAN."""

    INDIVIDUAL = "individual"
    COMPANY = "company"
    HUF = "huf"
    FIRM = "firm"
    AOP = "aop"
    TRUST = "trust"
    BOI = "boi"
    LOCAL_AUTHORITY = "local_authority"
    ARTIFICIAL_JURIDICAL_PERSON = "artificial_juridical_person"
    GOVERNMENT = "government"


@dataclass(frozen=True, slots=True)
class Field(Generic[T]):
    """One value read from the card.

    ``confidence`` is in [0, 1]: about 0.9 and above for a clean read that agrees with the
    rest of the card, lower when characters had to be corrected or the value was guessed.
    ``raw`` is the OCR text the value came from, ``corrections`` what was changed in it.
    """

    value: T
    confidence: float
    raw: str | None = None
    corrections: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.value, str | dt.date):
            raise TypeError(f"Field.value must be a str or date, got {type(self.value).__name__}")
        if isinstance(self.value, str) and not self.value:
            raise ValueError("Field.value must not be an empty string")
        if not (isinstance(self.confidence, int | float) and math.isfinite(self.confidence)):
            raise ValueError(f"Field.confidence must be a finite number, got {self.confidence!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"Field.confidence must be in [0, 1], got {self.confidence}")
        if not isinstance(self.corrections, tuple):
            raise TypeError("Field.corrections must be a tuple of strings")


_FIELD_NAMES = ("pan", "name", "father_name", "mother_name", "dob")


@dataclass(frozen=True, slots=True)
class PanCard:
    """Everything read from one PAN card.

    A field that is not on the card (a company card has no father's name) or that could not
    be read is ``None``. ``dob`` is the date of birth, or for a company, firm or trust the
    date of incorporation/formation. ``warnings`` lists every correction and every value that
    was rejected, in words.
    """

    pan: Field[str] | None
    name: Field[str] | None
    father_name: Field[str] | None
    dob: Field[dt.date] | None
    layout: Layout
    holder_type: HolderType | None = None
    mother_name: Field[str] | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if value is not None and not isinstance(value, Field):
                raise TypeError(f"PanCard.{name} must be a Field or None")
        if self.dob is not None and not isinstance(self.dob.value, dt.date):
            raise TypeError("PanCard.dob must hold a datetime.date")
        if not isinstance(self.layout, Layout):
            raise TypeError("PanCard.layout must be a Layout")
        if self.holder_type is not None and not isinstance(self.holder_type, HolderType):
            raise TypeError("PanCard.holder_type must be a HolderType or None")
        if not isinstance(self.warnings, tuple):
            raise TypeError("PanCard.warnings must be a tuple of strings")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: plain values or null, ``dob`` as ``YYYY-MM-DD``."""
        out: dict[str, Any] = {}
        confidence: dict[str, float | None] = {}
        for name in _FIELD_NAMES:
            f = getattr(self, name)
            if f is None:
                out[name] = None
                confidence[name] = None
            else:
                value = f.value
                out[name] = value.isoformat() if isinstance(value, dt.date) else value
                confidence[name] = round(float(f.confidence), 3)
        out["confidence"] = confidence
        out["layout"] = self.layout.value
        out["holder_type"] = None if self.holder_type is None else self.holder_type.value
        out["warnings"] = list(self.warnings)
        return out
