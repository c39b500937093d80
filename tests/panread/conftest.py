"""Fixtures for panread's tests: one real reader per session, box fixtures from JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from panread import PanReader, TextBox

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def reader() -> PanReader:
    """The real EasyOCR-backed reader, loaded and warmed once for the whole session."""
    r = PanReader()
    r.warm_up()
    return r


BoxFixture = tuple[list[TextBox], dict[str, Any]]


@pytest.fixture
def load_boxes() -> Callable[[str], BoxFixture]:
    """A loader of JSON box fixtures in ``fixtures/``: text boxes and expected values."""
    return _load_boxes


def _load_boxes(name: str) -> BoxFixture:
    data = json.loads((FIXTURES / f"{name}.json").read_text())
    boxes = [
        TextBox(
            b["text"],
            b["confidence"],
            tuple(tuple(p) for p in b["box"]),  # type: ignore[arg-type]
            tuple(tuple((c, p) for c, p in alts) for alts in b.get("alternatives", ())),
        )
        for b in data["boxes"]
    ]
    return boxes, data["expected"]
