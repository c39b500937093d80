"""Tests of the card renderer and of clean samples."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from panread.testing import LAYOUTS, make_sample, random_card_spec, render_card


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_renders_a_card_shaped_rgb_image(layout: str) -> None:
    """Each layout renders an RGB image 1000 px wide with a real card's 85.6 x 54 mm shape."""
    spec = random_card_spec(random.Random(3), layout)
    img = render_card(spec, seed=3)
    assert img.mode == "RGB"
    assert img.width == 1000
    assert img.height == pytest.approx(1000 * 54 / 85.6, abs=1)
    # Dark printed text covers a visible part of the card.
    gray = img.convert("L")
    dark = sum(gray.histogram()[:90])
    assert 0.005 < dark / (img.width * img.height) < 0.3


def test_same_seed_renders_same_pixels() -> None:
    """The renderer is reproducible: same spec and seed give identical pixels."""
    spec = random_card_spec(random.Random(11), "old")
    assert render_card(spec, seed=5).tobytes() == render_card(spec, seed=5).tobytes()


def test_different_seeds_vary_the_design() -> None:
    """Another seed changes fonts, tints or positions for the same card."""
    spec = random_card_spec(random.Random(11), "new")
    assert render_card(spec, seed=1).tobytes() != render_card(spec, seed=2).tobytes()


def test_width_is_configurable_and_validated() -> None:
    """A larger width scales the card; an absurd one is refused with a clear error."""
    spec = random_card_spec(random.Random(2), "laminated")
    assert render_card(spec, seed=0, width=2000).size[0] == 2000
    with pytest.raises(ValueError, match="width"):
        render_card(spec, seed=0, width=10)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clean_sample_is_png_with_expected_values(layout: str) -> None:
    """A clean sample is a decodable PNG whose expected values are the spec's."""
    spec = random_card_spec(random.Random(21), layout)
    sample = make_sample(spec, kind="clean", seed=21)
    img = Image.open(io.BytesIO(sample.data))
    assert img.format == "PNG"
    assert img.size[0] == 1000
    assert sample.suffix == ".png"
    assert sample.expected["pan"] == spec.pan
    assert sample.expected["name"] == spec.name
    assert sample.expected["father_name"] == spec.father_name
    assert sample.expected["dob"] == spec.dob.isoformat()
    assert sample.expected["layout"] == layout
    assert sample.expected["holder_type"] == spec.holder_type
    assert spec.pan not in sample.name
