"""Test helpers shipped with panread: synthetic PAN cards, degradations, a fake OCR engine.

``render_card`` draws a clean card of any layout from a ``CardSpec``; ``degrade`` turns it
into a phone photo, an A4 scan or a rotated file; ``make_sample`` does both and carries the
values a reader must find. Rendering needs the fonts of the ``test`` extra.
"""

from __future__ import annotations

from panread.testing._degrade import CAPTURES, DEGRADATIONS, KINDS, degrade, degrade_with_info
from panread.testing._fake_engine import FAKE_CARD_LINES, FakeEngine, fake_reader
from panread.testing._fonts import MissingFontsError
from panread.testing._render import render_card
from panread.testing._sample import Sample, evaluation_set, make_sample, sample_for
from panread.testing._spec import (
    HOLDER_TYPES,
    LAYOUTS,
    CardSpec,
    CardSpecError,
    random_card_spec,
)

__all__ = [
    "CAPTURES",
    "DEGRADATIONS",
    "FAKE_CARD_LINES",
    "HOLDER_TYPES",
    "KINDS",
    "LAYOUTS",
    "CardSpec",
    "CardSpecError",
    "FakeEngine",
    "MissingFontsError",
    "Sample",
    "degrade",
    "degrade_with_info",
    "evaluation_set",
    "fake_reader",
    "make_sample",
    "random_card_spec",
    "render_card",
    "sample_for",
]
