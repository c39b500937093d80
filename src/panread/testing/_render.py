"""Render a CardSpec as a clean, flat PAN card image in one of the four real layouts."""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from panread.testing import _art
from panread.testing._fonts import FontBook
from panread.testing._spec import CardSpec

# A real card is 85.6 x 54 mm; the base design is laid out on a 1000-unit-wide canvas.
CARD_ASPECT = 54.0 / 85.6
_BASE_W = 1000
_HINDI = "noto_devanagari"


class _Canvas:
    """Drawing helpers in base units (1000 wide), scaled to the output size, with jitter."""

    def __init__(self, spec: CardSpec, rng: random.Random, width: int) -> None:
        self.rng = rng
        self.scale = width / _BASE_W
        self.size = (width, round(width * CARD_ASPECT))
        self.fonts = FontBook()
        self.size_factor = rng.uniform(0.93, 1.06)
        self.dx = rng.uniform(-10, 10)
        self.dy = rng.uniform(-8, 8)
        shade = rng.randrange(0, 40)
        self.ink: _art.RGB = (shade // 2, shade // 2, min(255, shade + 10))
        if spec.layout == "laminated":
            self.family = rng.choice(["plex_mono", "arimo", "pt_sans"])
        elif spec.layout == "old":
            self.family = rng.choice(["arimo", "pt_sans", _HINDI])
        else:
            self.family = rng.choice(["arimo", "arimo", "pt_sans"])
        self.label_family = rng.choice(["arimo", "pt_sans"])
        self.image = Image.new("RGB", self.size, "white")
        self.draw = ImageDraw.Draw(self.image)

    def px(self, value: float) -> int:
        return round(value * self.scale)

    def xy(self, x: float, y: float) -> tuple[int, int]:
        jitter = self.rng.uniform(-2, 2)
        return self.px(x + self.dx + jitter), self.px(y + self.dy + jitter / 2)

    def font(self, family: str, weight: str, size: float) -> ImageFont.FreeTypeFont:
        return self.fonts.get(family, weight, max(6, self.px(size * self.size_factor)))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        weight: str = "bold",
        family: str | None = None,
        anchor: str = "ls",
        fill: _art.RGB | None = None,
    ) -> float:
        """Draw ``text`` with its baseline at ``y``; return its width in base units."""
        font = self.font(family or self.family, weight, size)
        self.draw.text(self.xy(x, y), text, font=font, fill=fill or self.ink, anchor=anchor)
        return font.getlength(text) / self.scale

    def width_of(self, text: str, *, size: float, weight: str = "bold") -> float:
        return self.font(self.family, weight, size).getlength(text) / self.scale

    def bilingual(
        self,
        x: float,
        y: float,
        hindi: str,
        english: str,
        *,
        size: float,
        sep: str = " / ",
        weight: str = "regular",
        anchor_right: bool = False,
    ) -> None:
        """A label like "नाम / Name": Devanagari, then the separator and English."""
        hindi_font = self.font(_HINDI, weight, size * 1.05)
        eng = f"{sep}{english}"
        eng_font = self.font(self.label_family, weight, size)
        total = (hindi_font.getlength(hindi) + eng_font.getlength(eng)) / self.scale
        left = x - total if anchor_right else x
        self.text(left, y, hindi, size=size * 1.05, weight=weight, family=_HINDI)
        self.text(
            left + hindi_font.getlength(hindi) / self.scale,
            y,
            eng,
            size=size,
            weight=weight,
            family=self.label_family,
        )

    def wrap(self, text: str, *, size: float, max_width: float) -> list[str]:
        """Split ``text`` into lines no wider than ``max_width`` (a word never splits)."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and self.width_of(candidate, size=size) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        return lines

    def fitted_size(self, text: str, *, size: float, max_width: float) -> float:
        """The largest size up to ``size`` at which ``text`` fits on one line."""
        width = self.width_of(text, size=size)
        return size if width <= max_width else size * max_width / width

    def paste(self, img: Image.Image, x: float, y: float) -> None:
        left, top = self.xy(x, y)
        if img.mode == "RGBA":
            self.image.paste(img, (left, top), img)
        else:
            self.image.paste(img, (left, top))


def _date(value: dt.date, sep: str) -> str:
    return f"{value.day:02d}{sep}{value.month:02d}{sep}{value.year:04d}"


def _header(c: _Canvas, *, centered: bool = False) -> None:
    grey = (60, 60, 70)
    if centered:
        c.text(500, 48, "आयकर विभाग   INCOME TAX DEPARTMENT", size=24, family=_HINDI, anchor="ms")
        c.text(500, 84, "भारत सरकार   GOVT. OF INDIA", size=24, family=_HINDI, anchor="ms")
        _art.draw_emblem(c.draw, _box(c, 40, 20, 100, 110), grey)
        return
    c.text(30, 40, "आयकर विभाग", size=22, family=_HINDI)
    c.text(30, 72, "INCOME TAX DEPARTMENT", size=25, family=c.label_family)
    c.text(970, 40, "भारत सरकार", size=22, family=_HINDI, anchor="rs")
    c.text(970, 72, "GOVT. OF INDIA", size=25, family=c.label_family, anchor="rs")
    _art.draw_emblem(c.draw, _box(c, 470, 12, 530, 95), grey)


def _box(c: _Canvas, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    left, top = c.xy(x0, y0)
    return left, top, left + c.px(x1 - x0), top + c.px(y1 - y0)


def _photo(c: _Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    photo = _art.photo_placeholder(c.rng, (c.px(x1 - x0), c.px(y1 - y0)))
    c.paste(photo, x0, y0)


def _qr(c: _Canvas, x0: float, y0: float, side: float) -> None:
    modules = 29
    module_px = max(1, c.px(side) // (modules + 4))
    c.paste(_art.qr_block(c.rng, modules, module_px), x0, y0)


def _signature(c: _Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    color = c.rng.choice([(20, 30, 120), (15, 15, 20), (30, 40, 90)])
    _art.signature(c.draw, c.rng, _box(c, x0, y0, x1, y1), color, max(1, c.px(3)))


def _watermark(c: _Canvas, x0: float, y0: float) -> None:
    """The faint large emblem printed in the card's background."""
    shade = c.rng.randrange(195, 215)
    width = max(1, c.px(2))
    _art.draw_emblem(c.draw, _box(c, x0, y0, x0 + 150, y0 + 210), (shade, shade, shade + 12), width)


def _render_new(c: _Canvas, spec: CardSpec) -> None:
    _watermark(c, 560, 270)
    _header(c)
    # cards print the photo left and the QR code right, or the other way round
    photo_left = c.rng.random() < 0.5
    _photo(c, *((30, 108, 185, 300) if photo_left else (790, 108, 945, 300)))
    c.text(480, 140, "स्थायी लेखा संख्या कार्ड", size=21, family=_HINDI, weight="regular", anchor="ms")
    c.text(
        480,
        172,
        "Permanent Account Number Card",
        size=24,
        weight="regular",
        family=c.label_family,
        anchor="ms",
    )
    c.text(480, 222, spec.pan, size=40, anchor="ms")
    _qr(c, 790 if photo_left else 30, 105, 170)
    value_size = 29
    rows: list[tuple[str, str, str]] = [("नाम", "Name", spec.name)]
    if spec.father_name is not None:
        rows.append(("पिता का नाम", "Father's Name", spec.father_name))
    if spec.mother_name is not None:
        rows.append(("माता का नाम", "Mother's Name", spec.mother_name))
    rows.append(("जन्म की तारीख", "Date of Birth", _date(spec.dob, "/")))
    y = 345.0
    for hindi, english, value in rows:
        c.bilingual(30, y, hindi, english, size=19)
        size = c.fitted_size(value, size=value_size, max_width=900)
        c.text(30, y + 36, value, size=size)
        y += 78
    _signature(c, 430, 500, 680, 570)
    c.bilingual(440, 598, "हस्ताक्षर", "Signature", size=17)


def _render_old(c: _Canvas, spec: CardSpec) -> None:
    _header(c)
    father = spec.father_name or ""
    y = 140.0
    size = 28
    for value in (spec.name, father):
        # A wrapped name continues on a slightly tighter line than the gap between fields.
        for line in c.wrap(value, size=size, max_width=470):
            c.text(40, y, line, size=size)
            y += 33
        y += 8
    c.text(40, y, _date(spec.dob, "/"), size=size)
    y += 52
    c.text(40, y, "Permanent Account Number", size=23, weight="regular", family=c.label_family)
    c.text(40, y + 42, spec.pan, size=36)
    c.paste(_art.hologram((c.px(150), c.px(110)), c.rng), 800, 115)
    _photo(c, 40, 430, 170, 600)
    _signature(c, 220, 500, 470, 570)
    c.text(250, 606, "Signature", size=18, weight="regular", family=c.label_family)


def _render_laminated(c: _Canvas, spec: CardSpec) -> None:
    _header(c, centered=True)
    father = spec.father_name or ""
    label = 18.0
    value_size = 27.0
    y = 140.0
    c.bilingual(40, y, "स्थायी लेखा संख्या", "PERMANENT ACCOUNT NUMBER", size=label, sep=" /")
    c.text(40, y + 38, spec.pan, size=32)
    y += 82
    fields = (
        ("नाम", "NAME", spec.name),
        ("पिता का नाम", "FATHER'S NAME", father),
        ("जन्म तिथि", "DATE OF BIRTH", _date(spec.dob, "-")),
    )
    for hindi, english, value in fields:
        c.bilingual(40, y, hindi, english, size=label, sep=" /")
        y += 34
        for line in c.wrap(value, size=value_size, max_width=560):
            c.text(40, y, line, size=value_size)
            y += 33
        y += 14
    _photo(c, 790, 130, 950, 330)
    _signature(c, 730, 470, 950, 550)
    c.bilingual(740, 590, "हस्ताक्षर", "SIGNATURE", size=16, sep=" /")


def _render_company(c: _Canvas, spec: CardSpec) -> None:
    _watermark(c, 560, 330)
    _header(c)
    c.bilingual(30, 150, "स्थायी लेखा संख्या कार्ड", "Permanent Account Number Card", size=22)
    c.text(30, 205, spec.pan, size=42)
    _qr(c, 790, 250, 170)
    c.bilingual(30, 290, "नाम", "Name", size=19)
    y = 328.0
    # a narrow name column wraps a long name's suffix ('... MILLS' / 'LIMITED')
    for line in c.wrap(spec.name, size=29, max_width=c.rng.choice((720, 560, 440))):
        c.text(30, y, line, size=29)
        y += 38
    y += 30
    c.bilingual(30, y, "निगमन/गठन की तारीख", "Date of Incorporation/Formation", size=19)
    c.text(30, y + 38, _date(spec.dob, "/"), size=29)


_PALETTES: dict[str, list[tuple[_art.RGB, _art.RGB]]] = {
    "new": [
        ((238, 240, 245), (170, 190, 225)),
        ((245, 240, 232), (225, 190, 150)),
        ((240, 244, 240), (175, 205, 185)),
    ],
    "old": [((222, 232, 245), (150, 180, 220)), ((232, 238, 248), (170, 190, 230))],
    "laminated": [
        ((246, 240, 222), (210, 190, 150)),
        ((236, 240, 246), (180, 195, 220)),
        ((240, 238, 230), (200, 195, 175)),
    ],
    "company": [((238, 240, 245), (170, 190, 225)), ((245, 240, 232), (225, 190, 150))],
}

_RENDERERS = {
    "new": _render_new,
    "old": _render_old,
    "laminated": _render_laminated,
    "company": _render_company,
}


def render_card(spec: CardSpec, seed: int = 0, *, width: int = 1000) -> Image.Image:
    """Render ``spec`` as a clean flat card ``width`` pixels wide (RGB, 85.6 x 54 mm aspect).

    The same spec, seed and width always give the same pixels.
    """
    if not isinstance(width, int) or not 200 <= width <= 8000:
        raise ValueError(f"width must be an int in 200..8000 pixels, got {width!r}")
    rng = random.Random(f"render:{seed}:{spec.pan}:{spec.layout}")
    canvas = _Canvas(spec, rng, width)
    base, ink = rng.choice(_PALETTES[spec.layout])
    strength = rng.uniform(0.25, 0.45)
    canvas.image.paste(_art.guilloche_background(rng, canvas.size, base, ink, strength))
    _RENDERERS[spec.layout](canvas, spec)
    if spec.layout == "laminated":
        _laminate(canvas)
    # Print is never perfectly sharp.
    return canvas.image.filter(ImageFilter.GaussianBlur(0.35 * canvas.scale))


def _laminate(c: _Canvas) -> None:
    """A laminated paper card: a clear plastic border and a faint diagonal sheen."""
    w, h = c.size
    border = c.px(14)
    overlay = Image.new("RGBA", c.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, 0, w - 1, h - 1), outline=(250, 250, 252, 200), width=border)
    draw.rectangle(
        (border, border, w - border, h - border),
        outline=(150, 150, 160, 120),
        width=max(1, c.px(2)),
    )
    band = c.rng.uniform(0.2, 0.7) * w
    draw.polygon(
        [(band, 0), (band + c.px(120), 0), (band - c.px(80), h), (band - c.px(200), h)],
        fill=(255, 255, 255, 28),
    )
    c.image.paste(Image.alpha_composite(c.image.convert("RGBA"), overlay).convert("RGB"))
