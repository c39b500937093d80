"""What :meth:`PanReader.extract` returns: the card's fields and the picture of the card read."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image as PILImage

from ._calibration import calibrated_card
from ._engine import Image, Quad
from ._pipeline import CardRead
from ._portrait import Box, find_photo
from ._quality import assess_quality, measure
from ._types import HolderType, Layout, PanCard

__all__ = ["CardImage", "Extraction", "build_extraction"]


@dataclass(frozen=True, slots=True, eq=False)
class CardImage:
    """The card as it was read: flattened, upright, cut out of the picture.

    ``pixels`` is an H x W x 3 RGB uint8 array; ``photo_box`` is where the holder's photo is
    on it, ``(left, top, right, bottom)`` in its pixels, or None when none was found (company
    cards have none); ``outline`` is the card's four corners (tl, tr, br, bl) in the decoded
    input picture.
    """

    pixels: Image
    photo_box: Box | None
    outline: Quad

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels."""
        return int(self.pixels.shape[1]), int(self.pixels.shape[0])

    def to_jpeg(self, quality: int = 85) -> bytes:
        """The card as JPEG bytes, with no metadata."""
        out = io.BytesIO()
        PILImage.fromarray(self.pixels, "RGB").save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()


@dataclass(frozen=True, slots=True, eq=False)
class Extraction:
    """A card read from a picture: its fields (:class:`PanCard`) and the card's image."""

    card: PanCard
    image: CardImage


_MISSING = (
    ("name", "The name could not be read."),
    ("dob", "The date of birth (or of incorporation) could not be read."),
)


def _missing_warnings(card: PanCard) -> tuple[str, ...]:
    """Warnings for fields a card of its kind prints that were not read."""
    out = [text for name, text in _MISSING if getattr(card, name) is None]
    individual = card.holder_type in (None, HolderType.INDIVIDUAL) and card.layout != Layout.COMPANY
    if individual and card.father_name is None and card.mother_name is None:
        out.append("The father's (or mother's) name could not be read.")
    return tuple(w for w in out if w not in card.warnings)


def build_extraction(read: CardRead, picture: Image) -> Extraction:
    """The :class:`Extraction` of ``read``, a reading of the decoded ``picture``."""
    h, w = picture.shape[:2]
    measures = measure(
        read.image,
        read.outline,
        (w, h),
        found_by=read.found_by,
        text_at_border=read.text_at_border,
    )
    card = dataclasses.replace(
        calibrated_card(read.card),
        warnings=read.card.warnings + _missing_warnings(read.card),
        quality=assess_quality(measures),
    )
    pixels = np.ascontiguousarray(read.image)
    return Extraction(card, CardImage(pixels, find_photo(pixels, read.boxes), read.outline))
