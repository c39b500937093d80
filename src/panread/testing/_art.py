"""Non-text card art: security backgrounds, emblem, photo placeholder, QR-like block, signature."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]


def guilloche_background(
    rng: random.Random, size: tuple[int, int], base: RGB, ink: RGB, strength: float
) -> Image.Image:
    """A pale security-print background: base tint, interfering wave lines, faint grain."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    scale = width / 1000.0
    lines = np.zeros((height, width), np.float32)
    # Two families of fine wavy lines (the guilloche) over broad soft bands of tint.
    for family in range(2):
        period = rng.uniform(7.0, 14.0) * scale
        amp = rng.uniform(6, 22) * scale
        wave = rng.uniform(0.008, 0.025) / scale
        phase = rng.uniform(0, 2 * math.pi)
        angle = rng.uniform(-0.5, 0.5) + family * rng.uniform(0.6, 1.2)
        u = xs * math.cos(angle) + ys * math.sin(angle)
        v = -xs * math.sin(angle) + ys * math.cos(angle)
        carrier = np.sin(math.pi * (v + amp * np.sin(wave * u + phase)) / period)
        lines = np.maximum(lines, np.exp(-(carrier**2) / 0.06) * rng.uniform(0.5, 1.0))
    band_freq = rng.uniform(0.004, 0.01) / scale
    bands = 0.5 + 0.5 * np.sin(band_freq * (xs + 0.6 * ys) + rng.uniform(0, 6.28))
    lines = np.clip(lines * 0.7 + bands * 0.3, 0.0, 1.0) * strength
    grain = np.random.default_rng(rng.randrange(2**32)).normal(0, 2.0, (height, width, 1))
    base_arr = np.array(base, np.float32)
    ink_arr = np.array(ink, np.float32)
    # A gentle gradient across the card, as on printed cards.
    gradient = (xs / width)[..., None] * rng.uniform(-10, 10)
    img = base_arr * (1 - lines[..., None]) + ink_arr * lines[..., None] + grain + gradient
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def draw_emblem(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], color: RGB, line: int = 0
) -> None:
    """A simplified national emblem: three lion heads on an abacus with a wheel, on a base."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    line = line or max(1, round(w / 30))
    r = w * 0.16
    for dx in (-0.28, 0.0, 0.28):
        hx = cx + dx * w
        draw.ellipse(
            (hx - r, y0 + h * 0.05, hx + r, y0 + h * 0.05 + 2 * r), outline=color, width=line
        )
        draw.polygon(
            [
                (hx - r, y0 + h * 0.25),
                (hx + r, y0 + h * 0.25),
                (hx + r * 1.2, y0 + h * 0.6),
                (hx - r * 1.2, y0 + h * 0.6),
            ],
            outline=color,
            width=line,
        )
    draw.rectangle(
        (x0 + w * 0.08, y0 + h * 0.6, x1 - w * 0.08, y0 + h * 0.75), outline=color, width=line
    )
    wr = h * 0.06
    draw.ellipse((cx - wr, y0 + h * 0.615, cx + wr, y0 + h * 0.735), outline=color, width=line)
    draw.polygon(
        [
            (x0 + w * 0.2, y0 + h * 0.75),
            (x1 - w * 0.2, y0 + h * 0.75),
            (x1 - w * 0.12, y1),
            (x0 + w * 0.12, y1),
        ],
        outline=color,
        width=line,
    )


def photo_placeholder(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A passport-style photo: plain backdrop, a head-and-shoulders silhouette, soft focus."""
    w, h = size
    back = rng.choice([(225, 228, 235), (238, 238, 238), (200, 215, 235), (235, 230, 220)])
    img = Image.new("RGB", size, back)
    draw = ImageDraw.Draw(img)
    skin = rng.choice([(150, 110, 85), (180, 135, 105), (120, 85, 65), (200, 160, 130)])
    cloth = rng.choice([(40, 45, 70), (230, 230, 235), (90, 40, 40), (60, 90, 60), (30, 30, 30)])
    hair = rng.choice([(20, 20, 20), (40, 30, 25), (70, 70, 70)])
    draw.ellipse((w * 0.05, h * 0.68, w * 0.95, h * 1.35), fill=cloth)
    draw.rectangle((w * 0.42, h * 0.55, w * 0.58, h * 0.75), fill=skin)
    draw.ellipse((w * 0.26, h * 0.12, w * 0.74, h * 0.62), fill=skin)
    draw.chord((w * 0.24, h * 0.08, w * 0.76, h * 0.45), 180, 360, fill=hair)
    for ex in (0.4, 0.6):
        draw.ellipse((w * ex - w * 0.03, h * 0.34, w * ex + w * 0.03, h * 0.38), fill=(30, 25, 20))
    return img.filter(ImageFilter.GaussianBlur(max(1.0, w / 120)))


def qr_block(rng: random.Random, modules: int, module_px: int) -> Image.Image:
    """A QR-code-like block: seeded random modules with the three finder squares."""
    bits = np.array([[rng.random() < 0.5 for _ in range(modules)] for _ in range(modules)])
    for fx, fy in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        bits[fy - 1 if fy else 0 : fy + 8, fx - 1 if fx else 0 : fx + 8] = False
        bits[fy : fy + 7, fx : fx + 7] = True
        bits[fy + 1 : fy + 6, fx + 1 : fx + 6] = False
        bits[fy + 2 : fy + 5, fx + 2 : fx + 5] = True
    quiet = 2
    pixels = np.full((modules + 2 * quiet, modules + 2 * quiet), 255, np.uint8)
    pixels[quiet:-quiet, quiet:-quiet] = np.where(bits, 0, 255)
    img = Image.fromarray(pixels, "L").resize(
        (pixels.shape[1] * module_px, pixels.shape[0] * module_px), Image.Resampling.NEAREST
    )
    return img.convert("RGB")


def signature(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    box: tuple[int, int, int, int],
    color: RGB,
    width: int,
) -> None:
    """A handwritten-looking signature squiggle inside ``box``."""
    x0, y0, x1, y1 = box
    points: list[tuple[float, float]] = []
    steps = 80
    loops = rng.uniform(4, 9)
    amp = (y1 - y0) * rng.uniform(0.25, 0.45)
    mid = (y0 + y1) / 2
    for i in range(steps):
        t = i / (steps - 1)
        x = x0 + t * (x1 - x0) + math.sin(t * loops * 2 * math.pi) * (x1 - x0) * 0.03
        y = mid + math.sin(t * loops * math.pi + rng.uniform(-0.3, 0.3)) * amp * (1 - 0.4 * t)
        points.append((x, y))
    draw.line(points, fill=color, width=width, joint="curve")
    # An underline flourish.
    fy = y1 - (y1 - y0) * 0.1
    draw.line(
        [(x0 + (x1 - x0) * 0.1, fy), (x1 - (x1 - x0) * 0.05, fy - (y1 - y0) * 0.15)],
        fill=color,
        width=max(1, width - 1),
    )


def hologram(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """An oval silvery hologram patch with faint rainbow bands (RGBA)."""
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    nx, ny = (xs - w / 2) / (w / 2), (ys - h / 2) / (h / 2)
    inside = (nx**2 + ny**2) <= 1.0
    phase = rng.uniform(0, 6.28)
    bands = np.stack([np.sin(xs / w * 9 + phase + k * 2.1) * 25 + 205 for k in range(3)], axis=-1)
    alpha = np.where(inside, 150, 0).astype(np.uint8)
    rgba = np.dstack([np.clip(bands, 0, 255).astype(np.uint8), alpha])
    return Image.fromarray(rgba, "RGBA")
