"""The networks in ONNX Runtime: exported into the cache once, checked, read like torch."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from panread import EasyOcrEngine, PanReader
from panread._easyocr_engine import MODEL_FILES, _default_model_dir, _load_model
from panread._onnx import default_cache_dir, load_onnx_models
from panread.testing import sample_for

pytestmark = pytest.mark.model

MD5S = (MODEL_FILES["craft_mlt_25k.pth"], MODEL_FILES["english_g2.pth"])


@pytest.fixture(scope="module")
def torch_reader() -> PanReader:
    """A reader whose engine runs the networks in torch."""
    r = PanReader(EasyOcrEngine(runtime="torch"))
    r.warm_up()
    return r


def test_onnx_engine_reads_a_card_as_torch_does(reader: PanReader, torch_reader: PanReader) -> None:
    """The default engine (ONNX Runtime) finds the same boxes and reads the same text as torch."""
    assert sorted(p.name.split("-")[0] for p in default_cache_dir().glob("*.onnx")) == [
        "craft",
        "recogniser",
    ]  # CRAFT and the recogniser's features
    sample = sample_for("new", "photo", 508376105)
    onnx_card = reader.read(sample.data).to_dict()
    torch_card = torch_reader.read(sample.data).to_dict()
    confidences = (onnx_card.pop("confidence"), torch_card.pop("confidence"))
    assert onnx_card == torch_card
    assert onnx_card["pan"] == sample.expected["pan"]
    for field, value in confidences[0].items():
        assert value == pytest.approx(confidences[1][field], abs=1e-4)


def test_corrupt_cached_model_is_exported_again(
    reader: PanReader, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A cached file of the recogniser's features that is not a model is replaced by a fresh
    export, with a warning; the sound cached CRAFT is used as it is."""
    for path in default_cache_dir().glob("*.onnx"):
        shutil.copy(path, tmp_path / path.name)
    (craft,) = tmp_path.glob("craft-*.onnx")
    (recogniser,) = tmp_path.glob("recogniser-features-*.onnx")
    recogniser.write_bytes(b"not an onnx model")
    craft_mtime = craft.stat().st_mtime_ns
    model = _load_model(_default_model_dir(), 2)
    craft_modes = [m.training for m in model.craft.modules()]
    recogniser_modes = [m.training for m in model.reader.recognizer.modules()]
    with caplog.at_level(logging.WARNING, logger="panread"), model.lock:
        onnx = load_onnx_models(model.craft, model.reader.recognizer, MD5S, 2, tmp_path)
    assert onnx is not None
    assert [r.getMessage() for r in caplog.records] == [
        "panread cached model unusable, exporting it again"
    ]
    assert recogniser.stat().st_size > 1_000_000
    assert craft.stat().st_mtime_ns == craft_mtime
    # the export left torch's modules in the train/eval modes they were in
    assert [m.training for m in model.craft.modules()] == craft_modes
    assert [m.training for m in model.reader.recognizer.modules()] == recogniser_modes
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([craft.name, recogniser.name])


def test_an_unwritable_cache_keeps_the_export_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache directory that cannot be made (its parent is a file) costs a warning per model
    and nothing else: the exports run from memory."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache's parent should be")
    model = _load_model(_default_model_dir(), 2)
    with caplog.at_level(logging.WARNING, logger="panread"), model.lock:
        onnx = load_onnx_models(model.craft, model.reader.recognizer, MD5S, 2, blocker / "cache")
    assert onnx is not None
    assert [r.getMessage() for r in caplog.records] == [
        "panread cannot write the model cache, keeping the export in memory"
    ] * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-directory"]
