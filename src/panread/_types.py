"""The values panread returns: a :class:`PanCard` made of :class:`Field` objects."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

__all__ = ["Field", "HolderType", "Layout", "PanCard", "QualityCode", "QualityFinding"]

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


class QualityCode(StrEnum):
    """What is wrong with the picture of a card (see :class:`QualityFinding`)."""

    BLURRY = "blurry"
    """The print is out of focus or smeared by movement."""
    GLARE = "glare"
    """A reflection washes out part of the print."""
    TOO_SMALL = "too_small"
    """The card is too few pixels wide to read reliably."""
    CUT_OFF = "cut_off"
    """Part of the card lies outside the picture."""
    TOO_DARK = "too_dark"
    """The picture is underexposed."""


@dataclass(frozen=True, slots=True)
class QualityFinding:
    """A problem with the picture that makes a reading doubtful, in plain words.

    ``message`` says what is wrong and how to take a better picture; it is written for the
    person holding the card.
    """

    code: QualityCode
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, QualityCode):
            raise TypeError("QualityFinding.code must be a QualityCode")
        if not isinstance(self.message, str) or not self.message:
            raise ValueError("QualityFinding.message must be a non-empty string")

    def to_dict(self) -> dict[str, str]:
        """``{"code": ..., "message": ...}``."""
        return {"code": self.code.value, "message": self.message}


_FIELD_NAMES = ("pan", "name", "father_name", "mother_name", "dob")


@dataclass(frozen=True, slots=True)
class PanCard:
    """Everything read from one PAN card.

    A field that is not on the card (a company card has no father's name) or that could not
    be read is ``None``. ``dob`` is the date of birth, or for a company, firm or trust the
    date of incorporation/formation. ``warnings`` lists every correction, every value that
    was rejected and every field that could not be read, in words. ``quality`` lists what is
    wrong with the picture itself (blurred, glare, too small, cut off, too dark): a reason to
    take it again.
    """

    pan: Field[str] | None
    name: Field[str] | None
    father_name: Field[str] | None
    dob: Field[dt.date] | None
    layout: Layout
    holder_type: HolderType | None = None
    mother_name: Field[str] | None = None
    warnings: tuple[str, ...] = ()
    quality: tuple[QualityFinding, ...] = ()

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
        if not isinstance(self.quality, tuple) or not all(
            isinstance(q, QualityFinding) for q in self.quality
        ):
            raise TypeError("PanCard.quality must be a tuple of QualityFinding")

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
        out["quality"] = [q.to_dict() for q in self.quality]
        return out
