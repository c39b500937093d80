"""Tests of the degradations: photos, scans and rotated files decode as described."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageOps

from panread.testing import (
    CAPTURES,
    KINDS,
    degrade,
    degrade_with_info,
    evaluation_set,
    make_sample,
    random_card_spec,
    render_card,
    sample_for,
)

Image.MAX_IMAGE_PIXELS = None  # 600 dpi A4 scans are ~35 MP on purpose


@pytest.fixture(scope="module")
def card() -> Image.Image:
    return render_card(random_card_spec(random.Random(5), "new"), seed=5)


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_decodes(card: Image.Image, kind: str) -> None:
    """Every degradation and capture gives bytes Pillow decodes fully: PNG for clean, JPEG
    otherwise."""
    img = _open(degrade(card, kind, seed=1))
    assert img.format == ("PNG" if kind == "clean" else "JPEG")


def test_photo_puts_the_card_in_a_bigger_frame(card: Image.Image) -> None:
    """A photo is a camera-sized frame in which the card fills only part of the width."""
    data, info = degrade_with_info(card, "photo", seed=2)
    img = _open(data)
    assert img.size == info["frame"]
    assert max(img.size) >= 1280
    assert info["card_width_px"] < img.width


def test_photos_vary_with_seed(card: Image.Image) -> None:
    """Different seeds give different frames, tilts and noise."""
    infos = [degrade_with_info(card, "photo", seed=s)[1] for s in range(3, 6)]
    assert len({info["angle_deg"] for info in infos}) == 3


def test_same_seed_same_bytes(card: Image.Image) -> None:
    """A degradation is reproducible byte for byte."""
    assert degrade(card, "rotated", seed=9) == degrade(card, "rotated", seed=9)


def test_scan_at_600_dpi_is_a_35_megapixel_a4_page(card: Image.Image) -> None:
    """A 600 dpi scan is a whole A4 page (~35 MP) with the card 85.6 mm wide on it."""
    data, info = degrade_with_info(card, "scan", seed=3, dpi=600)
    img = _open(data)
    assert img.size == (4961, 7016)
    assert 34_000_000 < img.width * img.height < 36_000_000
    assert img.info["dpi"] == pytest.approx((600, 600))
    x, y, w, h = info["card_box"]
    assert x >= 0
    assert y >= 0
    assert x + w <= img.width
    assert y + h <= img.height
    # The card is dark-ish print on a white page: the box holds ink, the page corner none.
    gray = img.convert("L")
    box_min, _ = gray.crop((x, y, x + w, y + h)).getextrema()
    corner_min, _ = gray.crop((0, 0, 200, 200)).getextrema()
    assert isinstance(box_min, int)
    assert isinstance(corner_min, int)
    assert box_min < 80
    assert corner_min > 200


def test_scan_at_300_dpi(card: Image.Image) -> None:
    """A 300 dpi scan is an A4 page of 2480 x 3508 pixels."""
    assert _open(degrade(card, "scan", seed=4, dpi=300)).size == (2480, 3508)


def test_exif_rotated_carries_the_orientation_that_undoes_it(card: Image.Image) -> None:
    """Stored pixels are turned and the EXIF Orientation tag restores the upright photo."""
    orientations = set()
    for seed in range(4):
        data, info = degrade_with_info(card, "exif_rotated", seed=seed)
        img = _open(data)
        orientation = img.getexif().get(0x0112)
        assert orientation == info["orientation"]
        assert orientation in (3, 6, 8)
        orientations.add(orientation)
        assert ImageOps.exif_transpose(img).size == info["frame"]
    assert len(orientations) >= 2


def test_rotated_has_no_exif_orientation(card: Image.Image) -> None:
    """Plain rotation turns the pixels and leaves no EXIF tag to undo it."""
    for seed in range(3):
        data, info = degrade_with_info(card, "rotated", seed=seed)
        img = _open(data)
        assert img.getexif().get(0x0112) is None
        fw, fh = info["frame"]
        expected = (fh, fw) if info["rotation"] in (90, 270) else (fw, fh)
        assert img.size == expected


def test_bad_arguments_are_refused(card: Image.Image) -> None:
    """An unknown kind, or a dpi for anything but a scan, raises a clear ValueError."""
    with pytest.raises(ValueError, match="degradation 'fax'"):
        degrade(card, "fax", seed=1)
    with pytest.raises(ValueError, match="dpi"):
        degrade(card, "photo", seed=1, dpi=600)


def test_make_sample_carries_kind_info_and_truth() -> None:
    """A degraded sample is a JPEG of the asked kind, with drawn parameters and the spec's truth."""
    spec = random_card_spec(random.Random(8), "company")
    sample = make_sample(spec, kind="scan", seed=8, dpi=300)
    assert sample.kind == "scan"
    assert sample.suffix == ".jpg"
    assert sample.info["dpi"] == 300
    assert _open(sample.data).size == (2480, 3508)
    assert sample.expected == spec.expected()
    assert sample.expected["father_name"] is None


def test_a_sub_grid_holds_the_same_cards_as_the_full_grid() -> None:
    """Benchmarking only photos reads the photos of the full grid, not other cards."""
    full = evaluation_set(2, seed=5)
    photos = evaluation_set(2, seed=5, layouts=("old", "new"), kinds=("photo",))
    assert photos == [c for c in full if c[0] in ("old", "new") and c[1] == "photo"]
    assert len(photos) == 4
    with pytest.raises(ValueError, match="polaroid"):
        evaluation_set(1, kinds=("polaroid",))


def test_sample_for_is_reproducible() -> None:
    """The evaluation grid's samples rebuild byte for byte from their seeds."""
    cells = evaluation_set(1, seed=3, layouts=("old",), kinds=("exif_rotated",))
    assert cells == evaluation_set(1, seed=3, layouts=("old",), kinds=("exif_rotated",))
    layout, kind, seed = cells[0]
    assert sample_for(layout, kind, seed).data == sample_for(layout, kind, seed).data


def test_captures_leave_the_evaluation_grid_unchanged() -> None:
    """Asking for captures too adds their cells; the grid's own cards stay the same."""
    grid = evaluation_set(1, 7)
    both = evaluation_set(1, 7, kinds=KINDS)
    assert both[: len(grid)] == grid
    assert {kind for _, kind, _ in both[len(grid) :]} == set(CAPTURES)


def test_tight_captures_are_card_sized(card: Image.Image) -> None:
    """``tiny`` is about 300 px wide and ``tight_crop`` 450-800 px, both card-shaped."""
    tiny = _open(degrade(card, "tiny", seed=3))
    crop = _open(degrade(card, "tight_crop", seed=3))
    assert 250 <= tiny.width <= 350
    assert 440 <= crop.width <= 800
    for img in (tiny, crop):
        assert 1.45 < img.width / img.height < 1.75


def test_a_cut_off_card_runs_off_the_frame(card: Image.Image) -> None:
    """In ``cut_off`` the card's box reaches past the left or right edge of the frame."""
    data, info = degrade_with_info(card, "cut_off", seed=4)
    x0, _, x1, _ = info["card_box"]
    assert x0 < 0 or x1 > _open(data).width
