"""Fonts for the card renderer, shipped by PyPI packages of the ``test`` extra, loaded lazily."""

from __future__ import annotations

import importlib
from pathlib import Path

from PIL import ImageFont

# family -> (package, {weight: file}); a file name ending in "]" is a variable font.
_FAMILIES: dict[str, tuple[str, dict[str, str]]] = {
    "arimo": (
        "fontpkg_arimo",
        {"regular": "Arimo[wght].ttf", "bold": "Arimo[wght].ttf"},
    ),
    "pt_sans": (
        "fontpkg_pt_sans",
        {"regular": "PT_Sans-Web-Regular.ttf", "bold": "PT_Sans-Web-Bold.ttf"},
    ),
    "plex_mono": (
        "fontpkg_ibm_plex_mono",
        {"regular": "IBMPlexMono-Regular.ttf", "bold": "IBMPlexMono-SemiBold.ttf"},
    ),
    "noto_devanagari": (
        "fontpkg_noto_sans_devanagari",
        {
            "regular": "NotoSansDevanagari[wdth,wght].ttf",
            "bold": "NotoSansDevanagari[wdth,wght].ttf",
        },
    ),
}

FAMILIES: tuple[str, ...] = tuple(_FAMILIES)
_WEIGHTS = {"regular": 400, "bold": 700}


class MissingFontsError(ImportError):
    """The fonts the renderer needs are not installed."""


def font_path(family: str, weight: str) -> Path:
    """Path of the font file for ``family`` at ``weight`` ("regular" or "bold")."""
    try:
        package, files = _FAMILIES[family]
    except KeyError:
        raise ValueError(f"font family {family!r} is not one of {', '.join(FAMILIES)}") from None
    if weight not in files:
        raise ValueError(f"font weight {weight!r} is not one of {', '.join(files)}")
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise MissingFontsError(
            f"panread.testing renders cards with fonts from the PyPI package "
            f"{package.replace('_', '-')!r}, which is not installed; install the test extra: "
            "pip install 'pan-support-desk[test]'"
        ) from exc
    return Path(module.__file__ or ".").parent / "files" / files[weight]


class FontBook:
    """Loads and memoises FreeType fonts for one render (no state shared between renders)."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[str, str, int], ImageFont.FreeTypeFont] = {}

    def get(self, family: str, weight: str, size: int) -> ImageFont.FreeTypeFont:
        """The ``family`` font at ``weight`` and ``size`` pixels."""
        key = (family, weight, size)
        cached = self._fonts.get(key)
        if cached is not None:
            return cached
        path = font_path(family, weight)
        font = ImageFont.truetype(str(path), size)
        if path.name.endswith("].ttf"):
            axes = font.get_variation_axes()
            values: list[float] = []
            for axis in axes:
                name = axis["name"]
                label = name.decode() if isinstance(name, bytes) else str(name)
                low, high = float(axis["minimum"] or 0), float(axis["maximum"] or 0)
                wanted = _WEIGHTS[weight] if label == "Weight" else float(axis["default"] or low)
                values.append(max(low, min(high, wanted)))
            font.set_variation_by_axes(values)
        self._fonts[key] = font
        return font
