"""PanReader.extract: the fields, the card's upright crop and its photo; partial results."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image

from panread import CardImage, PanReader
from panread.testing import FAKE_CARD_LINES, FakeEngine, fake_reader, render_card
from panread.testing._spec import random_card_spec


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _photo_of(card: Image.Image) -> bytes:
    """The card lying in the middle of a plain grey 1600 x 1200 picture, with GPS EXIF."""
    page = Image.new("RGB", (1600, 1200), (90, 90, 95))
    page.paste(card, (300, 350))
    exif = Image.Exif()
    exif[0x010F] = "PanreadTestPhone"
    out = io.BytesIO()
    page.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def test_extract_returns_the_card_cut_out_of_the_picture() -> None:
    """The crop is the card alone (card-shaped), not the picture it lay in."""
    card = render_card(random_card_spec(random.Random(3), "new"), seed=3, width=1000)
    extraction = fake_reader().extract(_photo_of(card))
    width, height = extraction.image.size
    assert 1.45 < width / height < 1.75
    assert extraction.image.pixels.dtype == np.uint8
    assert extraction.image.pixels.shape == (height, width, 3)
    xs = [x for x, _ in extraction.image.outline]
    assert 280 < min(xs) < 320
    assert 1280 < max(xs) < 1320
    assert extraction.card.pan is not None
    assert extraction.card.pan.value == "ABCPR1234F"


def test_read_gives_the_same_card_as_extract() -> None:
    """``read`` is ``extract`` without the picture."""
    data = _png(render_card(random_card_spec(random.Random(4), "old"), seed=4, width=1000))
    reader = fake_reader()
    assert reader.read(data) == reader.extract(data).card


def test_the_crop_as_jpeg_has_no_metadata() -> None:
    """The JPEG of the crop carries no EXIF (no GPS tags from the phone)."""
    card = render_card(random_card_spec(random.Random(5), "new"), seed=5, width=1000)
    jpeg = fake_reader().extract(_photo_of(card)).image.to_jpeg()
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG"
        assert not img.getexif()


def test_the_holders_photo_is_found_where_the_new_card_prints_it() -> None:
    """On the current card the photo sits at the left, under the header, taller than wide."""
    card = render_card(random_card_spec(random.Random(0), "new"), seed=0, width=1000)
    box = fake_reader().extract(_png(card)).image.photo_box
    assert box is not None
    left, top, right, bottom = box
    assert left < 100
    assert right < 260
    assert 60 < top < 180
    assert 240 < bottom < 380
    assert bottom - top > right - left


def test_a_card_image_is_not_compared_by_pixels() -> None:
    """Extractions compare by identity: a crop is an image, not a value."""
    pixels = np.zeros((4, 6, 3), np.uint8)
    one = CardImage(pixels, None, ((0, 0), (6, 0), (6, 4), (0, 4)))
    other = CardImage(pixels.copy(), None, ((0, 0), (6, 0), (6, 4), (0, 4)))
    assert one != other


def test_a_field_that_cannot_be_read_is_null_with_a_warning() -> None:
    """A card whose date line is unreadable still gives its PAN and names."""
    lines = [line for line in FAKE_CARD_LINES if line not in ("Date of Birth", "31/01/1990")]
    reader = PanReader(FakeEngine.from_lines(lines))
    card = reader.read(_png(render_card(random_card_spec(random.Random(6), "new"), seed=6)))
    assert card.pan is not None
    assert card.pan.value == "ABCPR1234F"
    assert card.name is not None
    assert card.name.value == "ASHA RAO"
    assert card.dob is None
    assert "The date of birth (or of incorporation) could not be read." in card.warnings
