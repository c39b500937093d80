"""The image copy kept for employees: upright, small, and without the file's metadata."""

from __future__ import annotations

import io

from PIL import Image

from support_server._preview import PREVIEW_SIDE, make_preview

_ORIENTATION, _GPS_IFD = 0x0112, 0x8825


def _photo(width: int, height: int, *, orientation: int = 1, gps: bool = False) -> bytes:
    """A JPEG whose left half is black, with an EXIF orientation and maybe a GPS tag."""
    img = Image.new("RGB", (width, height), "white")
    img.paste((0, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    if gps:
        exif[_GPS_IFD] = {1: "N", 2: (19.0, 4.0, 30.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_large_photo_is_shrunk_to_the_preview_side() -> None:
    """A 12 MP photo is kept at 1600 px on its long side, as a JPEG."""
    preview = make_preview(_photo(4000, 3000))
    assert preview is not None
    with Image.open(io.BytesIO(preview)) as img:
        assert img.format == "JPEG"
        assert max(img.size) == PREVIEW_SIDE
        assert img.size == (1600, 1200)


def test_exif_rotation_is_applied_and_metadata_is_dropped() -> None:
    """A photo marked 'rotate 90' is kept upright, with no EXIF (and so no GPS) left."""
    preview = make_preview(_photo(800, 600, orientation=6, gps=True))
    assert preview is not None
    with Image.open(io.BytesIO(preview)) as img:
        assert img.size == (600, 800)
        assert not img.getexif()
        # rotated 90 degrees clockwise: the black left half is now the top half
        grey = img.convert("L")
        top, bottom = grey.getpixel((300, 100)), grey.getpixel((300, 700))
    assert isinstance(top, int)
    assert isinstance(bottom, int)
    assert top < 60
    assert bottom > 200


def test_small_image_keeps_its_size() -> None:
    """An image already under the preview side is re-encoded, not enlarged."""
    preview = make_preview(_photo(640, 400))
    assert preview is not None
    with Image.open(io.BytesIO(preview)) as img:
        assert img.size == (640, 400)


def test_undecodable_bytes_give_no_preview() -> None:
    """Bytes Pillow cannot read give None (the server then keeps the upload as sent)."""
    assert make_preview(b"\xff\xd8\xff\xe0 not really a jpeg") is None
    assert make_preview(b"") is None
