"""Turn whatever the caller passed into an upright RGB array, safely.

Every way an input can be unusable ends in a specific :class:`~panread.ImageError`: nothing
from Pillow or numpy escapes. Big JPEGs are decoded in draft mode (DCT scaling), close to the
resolution the pipeline needs, which makes a 35-megapixel scan cheap to open.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ._engine import Image as Array
from ._exceptions import (
    DecompressionBombError,
    EmptyImageError,
    ImageError,
    ImageTooLargeError,
    NotAnImageError,
    TruncatedImageError,
    UnsupportedFormatError,
)
from ._limits import ReadLimits

__all__ = ["ACCEPTED_FORMATS", "LoadedImage", "Source", "load_image"]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | Image.Image | Any
"""Anything :meth:`PanReader.read` accepts (``Any`` covers numpy arrays)."""

ACCEPTED_FORMATS: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP", "BMP", "TIFF", "AVIF", "HEIF")
"""Pillow format names we decode; HEIF only when a plugin such as pillow-heif is registered."""

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError)


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """An upright RGB image and where it came from."""

    pixels: Array
    image_format: str | None
    original_size: tuple[int, int]


def load_image(source: Source, limits: ReadLimits, *, target_long_side: int = 2000) -> LoadedImage:
    """Decode ``source`` into an upright RGB array, enforcing ``limits``.

    JPEGs larger than ``target_long_side`` are decoded in draft mode to the smallest scale
    that still keeps their long side at least ``target_long_side`` pixels.
    """
    if isinstance(source, Image.Image):
        return _from_pil(source, limits)
    if isinstance(source, np.ndarray):
        return _from_array(source, limits)
    data = _read_bytes(source, limits)
    return _decode(data, limits, target_long_side)


def _read_bytes(source: Source, limits: ReadLimits) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
            if size > limits.max_bytes:
                raise _too_many_bytes(size, limits)
            with open(path, "rb") as fh:
                data = fh.read(limits.max_bytes + 1)
        except FileNotFoundError:
            raise ImageError(f"No such file: {path!r}.") from None
        except IsADirectoryError:
            raise ImageError(f"{path!r} is a directory, not an image file.") from None
        except PermissionError:
            raise ImageError(f"Permission denied reading {path!r}.") from None
        except OSError as exc:
            raise ImageError(f"Could not read {path!r}: {exc.strerror or exc}.") from None
    elif hasattr(source, "read"):
        try:
            data = source.read(limits.max_bytes + 1)
        except OSError as exc:
            raise ImageError(f"Could not read the image stream: {exc}.") from None
        if not isinstance(data, bytes | bytearray):
            raise ImageError("The file object must be opened in binary mode ('rb').")
        data = bytes(data)
    else:
        raise ImageError(
            "Cannot read an image from a "
            f"{type(source).__name__}: pass a path, bytes, a binary file, a PIL image "
            "or a numpy array."
        )
    if not data:
        raise EmptyImageError("The image is empty (zero bytes).")
    if len(data) > limits.max_bytes:
        raise _too_many_bytes(len(data), limits)
    return data


def _too_many_bytes(size: int, limits: ReadLimits) -> ImageTooLargeError:
    return ImageTooLargeError(
        f"The image is larger than {limits.max_bytes:,} bytes"
        f"{'' if size > limits.max_bytes + 1 else ' (or more)'}: {size:,} bytes.",
        size=size,
        limit=limits.max_bytes,
        unit="bytes",
    )


def _check_pixels(width: int, height: int, limits: ReadLimits) -> None:
    pixels = width * height
    if pixels > 2 * limits.max_pixels:
        raise DecompressionBombError(
            f"The image declares {width} x {height} = {pixels:,} pixels, far past the limit of "
            f"{limits.max_pixels:,}: refusing to decode it (possible decompression bomb).",
            size=pixels,
            limit=limits.max_pixels,
            unit="pixels",
        )
    if pixels > limits.max_pixels:
        raise ImageTooLargeError(
            f"The image has {width} x {height} = {pixels:,} pixels, over the limit of "
            f"{limits.max_pixels:,}.",
            size=pixels,
            limit=limits.max_pixels,
            unit="pixels",
        )
    if width < 1 or height < 1:
        raise EmptyImageError(f"The image has no pixels ({width} x {height}).")


def _accepted() -> list[str]:
    Image.init()
    return [f for f in ACCEPTED_FORMATS if f in Image.OPEN]


def _identify_unsupported(data: bytes) -> str | None:
    """Name the format of bytes we do not accept, or None if they are no image at all."""
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data.startswith(b"<svg") or (data.startswith(b"<?xml") and b"<svg" in data[:1024]):
        return "SVG"
    try:
        with Image.open(io.BytesIO(data)) as im:  # header only; never loaded
            return str(im.format or "unknown")
    except Exception:
        return None


def _decode(data: bytes, limits: ReadLimits, target_long_side: int) -> LoadedImage:
    try:
        im = Image.open(io.BytesIO(data), formats=_accepted())
    except UnidentifiedImageError:
        fmt = _identify_unsupported(data)
        if fmt is None:
            raise NotAnImageError(
                "The file is not an image (its bytes match no known image format)."
            ) from None
        raise UnsupportedFormatError(
            f"{fmt} files are not accepted: send a JPEG, PNG, WEBP, BMP or TIFF image.",
            image_format=fmt,
        ) from None
    except Image.DecompressionBombError:
        raise DecompressionBombError(
            "The image declares far more pixels than allowed: refusing to decode it "
            "(possible decompression bomb).",
            size=0,
            limit=limits.max_pixels,
            unit="pixels",
        ) from None
    except _DECODE_ERRORS as exc:
        raise TruncatedImageError(f"The image header is corrupt or incomplete ({exc}).") from None
    with im:
        fmt = im.format
        width, height = im.size
        _check_pixels(width, height, limits)
        if fmt in ("JPEG", "MPO") and max(width, height) > target_long_side:
            scale = target_long_side / max(width, height)
            with contextlib.suppress(*_DECODE_ERRORS):
                im.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
        try:
            im.load()
        except _DECODE_ERRORS as exc:
            raise TruncatedImageError(
                f"The {fmt} image is truncated or corrupt and cannot be decoded ({exc})."
            ) from None
        try:
            rgb = _to_rgb(ImageOps.exif_transpose(im))
        except _DECODE_ERRORS as exc:
            raise TruncatedImageError(f"The {fmt} image could not be decoded ({exc}).") from None
    return LoadedImage(pixels=rgb, image_format=fmt, original_size=(width, height))


def _to_rgb(im: Image.Image) -> Array:
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        im = Image.fromarray(scaled.astype(np.uint8), "L")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba)
    if im.mode != "RGB":
        im = im.convert("RGB")
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))


def _from_pil(im: Image.Image, limits: ReadLimits) -> LoadedImage:
    width, height = im.size
    _check_pixels(width, height, limits)
    try:
        rgb = _to_rgb(ImageOps.exif_transpose(im))
    except _DECODE_ERRORS as exc:
        raise TruncatedImageError(f"The PIL image could not be decoded ({exc}).") from None
    return LoadedImage(pixels=rgb, image_format=im.format, original_size=(width, height))


def _from_array(arr: np.ndarray[Any, Any], limits: ReadLimits) -> LoadedImage:
    if arr.size == 0:
        raise EmptyImageError(f"The array is empty (shape {arr.shape}).")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ImageError(
            f"A numpy image must be H x W (grey) or H x W x 3 (RGB); got shape {arr.shape}."
        )
    if arr.dtype != np.uint8:
        raise ImageError(f"A numpy image must have dtype uint8; got {arr.dtype}.")
    height, width = int(arr.shape[0]), int(arr.shape[1])
    _check_pixels(width, height, limits)
    rgb = np.repeat(arr[:, :, None], 3, axis=2) if arr.ndim == 2 else arr[:, :, :3]
    return LoadedImage(
        pixels=np.ascontiguousarray(rgb, dtype=np.uint8),
        image_format=None,
        original_size=(width, height),
    )
