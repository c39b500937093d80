"""The fake engine in panread.testing lets programs test against panread without the model."""

from __future__ import annotations

import io
import pickle

from PIL import Image

from panread import OcrEngine, PanReader
from panread.testing import FakeEngine, fake_reader


def png(size: tuple[int, int] = (320, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "PNG")
    return buf.getvalue()


def test_fake_reader_reads_any_image_as_the_documented_card() -> None:
    """fake_reader() returns the fixed, valid card for any decodable image."""
    d = fake_reader().read(png()).to_dict()
    assert (d["pan"], d["name"], d["father_name"], d["dob"]) == (
        "ABCPR1234F",
        "ASHA RAO",
        "RAMESH RAO",
        "1990-01-31",
    )
    assert d["layout"] == "new"
    assert d["holder_type"] == "individual"
    assert d["warnings"] == []


def test_fake_reader_is_importable_by_reference() -> None:
    """fake_reader pickles by name, so it can be handed to a process pool as a factory."""
    assert pickle.loads(pickle.dumps(fake_reader)) is fake_reader


def test_fake_engine_satisfies_the_engine_protocol_and_counts_calls() -> None:
    """FakeEngine is an OcrEngine; reading through it calls detect and recognize."""
    engine = FakeEngine.from_lines(
        ["INCOME TAX DEPARTMENT", "Permanent Account Number", "ABCPR1234F"]
    )
    assert isinstance(engine, OcrEngine)
    card = PanReader(engine).read(png())
    assert card.pan is not None
    assert card.pan.value == "ABCPR1234F"
    assert engine.calls["detect"] >= 1
    assert engine.calls["recognize"] >= 1
