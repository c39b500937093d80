"""The real EasyOCR model on rendered cards: every layout, a photo, a scan, rotated files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from panread import NoCardFoundError, PanReader, read_pan
from panread.testing import sample_for

pytestmark = pytest.mark.model

KEYS = ("pan", "name", "father_name", "mother_name", "dob", "layout", "holder_type")


@pytest.mark.parametrize(
    ("layout", "kind", "seed"),
    [
        ("new", "clean", 18571973),
        ("old", "clean", 223516089),
        ("laminated", "clean", 73929045),
        ("company", "clean", 221363188),
        ("new", "photo", 508376105),
        ("old", "scan", 957698356),
        ("new", "rotated", 791993076),
        ("company", "exif_rotated", 617127105),
    ],
)
def test_reads_rendered_cards_exactly(reader: PanReader, layout: str, kind: str, seed: int) -> None:
    """PAN, names, date of birth, layout and holder type come out exactly as printed."""
    sample = sample_for(layout, kind, seed)
    got = reader.read(sample.data).to_dict()
    assert {k: got[k] for k in KEYS} == {k: sample.expected[k] for k in KEYS}
    assert got["confidence"]["pan"] > 0.5


def test_upside_down_card_without_exif_is_read(reader: PanReader) -> None:
    """A clean card turned 180 degrees (no EXIF) is read like the upright one."""
    sample = sample_for("laminated", "clean", 741781646)
    img = Image.open(io.BytesIO(sample.data)).rotate(180)
    got = reader.read(img).to_dict()
    assert {k: got[k] for k in KEYS} == {k: sample.expected[k] for k in KEYS}


def test_numpy_array_input_is_read(reader: PanReader) -> None:
    """An RGB numpy array of a card reads the same as its file."""
    sample = sample_for("old", "clean", 675380697)
    arr = np.asarray(Image.open(io.BytesIO(sample.data)).convert("RGB"))
    assert reader.read(arr).to_dict()["pan"] == sample.expected["pan"]


def test_photo_without_a_card_raises_no_card_found(reader: PanReader) -> None:
    """A photo of a plain textured surface raises NoCardFoundError, not a crash."""
    rng = np.random.default_rng(1)
    noise = rng.normal(128, 20, (480, 640, 1)).clip(0, 255).astype(np.uint8)
    texture = np.concatenate([noise, noise * 0.8, noise * 0.6], axis=2).astype(np.uint8)
    with pytest.raises(NoCardFoundError):
        reader.read(texture)


def test_read_pan_uses_a_shared_default_reader(reader: PanReader) -> None:
    """read_pan() reads a card with a lazily created default reader (same loaded model)."""
    sample = sample_for("new", "clean", 44272360)
    assert read_pan(sample.data).to_dict()["pan"] == sample.expected["pan"]
