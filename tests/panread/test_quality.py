"""Quality findings on rendered cards with one flaw each, read by the real model."""

from __future__ import annotations

import pytest

from panread import PanReader, QualityCode
from panread.testing import sample_for

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("kind", "code", "layout", "seed"),
    [
        ("blurry", QualityCode.BLURRY, "new", 4101),
        ("glare", QualityCode.GLARE, "old", 4102),
        ("small_in_frame", QualityCode.TOO_SMALL, "new", 4103),
        ("tiny", QualityCode.TOO_SMALL, "old", 4104),
        ("cut_off", QualityCode.CUT_OFF, "laminated", 4105),
        ("dark", QualityCode.TOO_DARK, "new", 4106),
    ],
)
def test_a_flawed_picture_gets_its_finding(
    reader: PanReader, kind: str, code: QualityCode, layout: str, seed: int
) -> None:
    """Each flaw of the picture is reported by its code, with a message in plain words."""
    card = reader.read(sample_for(layout, kind, seed).data)
    found = {q.code: q.message for q in card.quality}
    assert code in found
    assert len(found[code]) > 20
    assert {"code": code.value, "message": found[code]} in card.to_dict()["quality"]


@pytest.mark.parametrize(
    ("layout", "kind", "seed"),
    [("new", "clean", 4201), ("old", "photo", 508376105), ("laminated", "scan", 4203)],
)
def test_a_good_picture_has_no_findings(
    reader: PanReader, layout: str, kind: str, seed: int
) -> None:
    """A clean render, an ordinary phone photo and a scan raise no quality finding."""
    card = reader.read(sample_for(layout, kind, seed).data)
    assert card.quality == ()
    assert card.to_dict()["quality"] == []
