"""Every kind of unusable input ends in a specific PanReadError with a clear message."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from panread import (
    DecompressionBombError,
    EmptyImageError,
    ImageError,
    ImageTooLargeError,
    NoCardFoundError,
    NotAnImageError,
    PanReader,
    PanReadError,
    ReadLimits,
    TruncatedImageError,
    UnsupportedFormatError,
)
from panread._image import load_image
from panread.testing import FakeEngine


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


@pytest.fixture
def offline_reader() -> PanReader:
    """A reader whose engine finds no text at all: only decoding is real."""
    return PanReader(FakeEngine([]))


def test_zero_bytes_is_an_empty_image_error(offline_reader: PanReader, tmp_path: Path) -> None:
    """A zero-byte file raises EmptyImageError."""
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(EmptyImageError, match="zero bytes") as info:
        offline_reader.read(path)
    assert info.value.code == "empty_file"


def test_text_file_is_not_an_image(offline_reader: PanReader) -> None:
    """Bytes of no image format raise NotAnImageError."""
    with pytest.raises(NotAnImageError, match="not an image") as info:
        offline_reader.read(b"Dear customer, please find attached...")
    assert info.value.code == "not_an_image"


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (encode(Image.new("RGB", (40, 30), "red"), "GIF"), "GIF"),
        (encode(Image.new("RGB", (32, 32), "red"), "ICO"), "ICO"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
    ],
)
def test_formats_we_do_not_accept_are_unsupported(
    offline_reader: PanReader, data: bytes, fmt: str
) -> None:
    """GIF, ICO and PDF files raise UnsupportedFormatError naming the format."""
    with pytest.raises(UnsupportedFormatError, match=fmt) as info:
        offline_reader.read(data)
    assert info.value.image_format == fmt
    assert info.value.code == "unsupported_format"


def test_truncated_jpeg_is_reported(offline_reader: PanReader) -> None:
    """A JPEG cut in half raises TruncatedImageError."""
    rng = np.random.default_rng(0)
    noisy = Image.fromarray(rng.integers(0, 255, (400, 600, 3), dtype=np.uint8))
    data = encode(noisy, "JPEG", quality=90)
    with pytest.raises(TruncatedImageError, match=r"truncated|corrupt"):
        offline_reader.read(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding(offline_reader: PanReader) -> None:
    """An image declaring far more pixels than the limit raises DecompressionBombError."""
    reader = PanReader(FakeEngine([]), limits=ReadLimits(max_pixels=10_000))
    data = encode(Image.new("L", (300, 300)), "PNG")  # 90,000 px > 2 x 10,000
    with pytest.raises(DecompressionBombError, match="decompression bomb") as info:
        reader.read(data)
    assert isinstance(info.value, ImageTooLargeError)
    assert info.value.unit == "pixels"


def test_pillow_sized_bomb_is_refused(offline_reader: PanReader) -> None:
    """A PNG header declaring 40000 x 40000 pixels is refused with the default limits."""
    data = encode(Image.new("1", (40_000, 40_000)), "PNG")
    with pytest.raises(DecompressionBombError):
        offline_reader.read(data)


def test_too_many_pixels_is_too_large(offline_reader: PanReader) -> None:
    """An image just over the pixel limit raises ImageTooLargeError (not a bomb)."""
    reader = PanReader(FakeEngine([]), limits=ReadLimits(max_pixels=10_000))
    data = encode(Image.new("RGB", (120, 100)), "PNG")
    with pytest.raises(ImageTooLargeError) as info:
        reader.read(data)
    assert not isinstance(info.value, DecompressionBombError)
    assert info.value.code == "image_too_large"


def test_too_many_bytes_is_too_large(tmp_path: Path) -> None:
    """A file over the byte limit raises ImageTooLargeError in bytes."""
    reader = PanReader(FakeEngine([]), limits=ReadLimits(max_bytes=1_000))
    path = tmp_path / "big.png"
    path.write_bytes(encode(Image.new("RGB", (200, 200), "white"), "BMP"))
    with pytest.raises(ImageTooLargeError, match="1,000 bytes") as info:
        reader.read(path)
    assert info.value.unit == "bytes"


def test_missing_file_is_an_image_error(offline_reader: PanReader, tmp_path: Path) -> None:
    """A path that does not exist raises ImageError naming it."""
    with pytest.raises(ImageError, match="No such file"):
        offline_reader.read(tmp_path / "nope.jpg")


def test_image_without_a_card_raises_no_card_found(offline_reader: PanReader) -> None:
    """A plain picture with no text in it raises NoCardFoundError."""
    data = encode(Image.new("RGB", (640, 480), (90, 140, 60)), "JPEG")
    with pytest.raises(NoCardFoundError):
        offline_reader.read(data)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10, 3), dtype=np.float32), np.zeros((4, 4, 5), dtype=np.uint8), 42],
)
def test_unusable_python_objects_are_image_errors(offline_reader: PanReader, bad: object) -> None:
    """Arrays of the wrong dtype or shape, and non-image objects, raise ImageError."""
    with pytest.raises(ImageError):
        offline_reader.read(bad)


def test_every_source_kind_decodes_to_the_same_pixels(tmp_path: Path) -> None:
    """A path, bytes, a file object, a PIL image and an array all load the same picture."""
    img = Image.fromarray(np.arange(48 * 64 * 3, dtype=np.uint8).reshape(48, 64, 3))
    data = encode(img, "PNG")
    path = tmp_path / "x.png"
    path.write_bytes(data)
    limits = ReadLimits()
    loaded = [
        load_image(path, limits).pixels,
        load_image(str(path), limits).pixels,
        load_image(data, limits).pixels,
        load_image(io.BytesIO(data), limits).pixels,
        load_image(img, limits).pixels,
        load_image(np.asarray(img), limits).pixels,
    ]
    for arr in loaded:
        assert arr.shape == (48, 64, 3)
        assert np.array_equal(arr, loaded[0])
    grey = load_image(np.asarray(img.convert("L")), limits).pixels
    assert grey.shape == (48, 64, 3)


def test_exif_orientation_is_applied() -> None:
    """A JPEG stored sideways with EXIF Orientation 6 loads upright."""
    img = Image.new("RGB", (60, 40), "white")
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(img, "JPEG", exif=exif.tobytes())
    assert load_image(data, ReadLimits()).pixels.shape == (60, 40, 3)


def test_big_jpegs_decode_in_draft_mode_near_the_target_size() -> None:
    """A large JPEG decodes at a reduced scale whose long side stays at least the target."""
    data = encode(Image.new("RGB", (4000, 3000), "white"), "JPEG")
    loaded = load_image(data, ReadLimits(), target_long_side=1500)
    assert loaded.original_size == (4000, 3000)
    assert 1500 <= loaded.pixels.shape[1] < 4000


def test_errors_share_one_root() -> None:
    """Every error class derives from PanReadError with a snake_case code."""
    for cls in (EmptyImageError, NotAnImageError, TruncatedImageError, NoCardFoundError):
        assert issubclass(cls, PanReadError)
        assert cls.code.islower()


@pytest.mark.parametrize(("field", "value"), [("max_bytes", 0), ("max_pixels", -1)])
def test_read_limits_are_validated(field: str, value: int) -> None:
    """ReadLimits refuses non-positive limits, naming the field."""
    with pytest.raises(ValueError, match=field):
        ReadLimits(**{field: value})
