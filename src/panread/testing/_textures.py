"""Procedural surfaces a card is photographed on: wood, fabric, desk, with a little clutter."""

from __future__ import annotations

import math
import random
from typing import Any, TypeAlias

import cv2
import numpy as np

_Array: TypeAlias = "np.ndarray[Any, Any]"


def _lowres_grid(size: tuple[int, int], step: int) -> tuple[_Array, _Array]:
    w, h = size
    ys, xs = np.mgrid[0 : max(2, h // step), 0 : max(2, w // step)].astype(np.float32)
    return xs * step, ys * step


def _smooth_noise(gen: np.random.Generator, shape: tuple[int, int], cells: int) -> _Array:
    """Value noise: a small random grid upscaled smoothly to ``shape`` (h, w)."""
    h, w = shape
    small = gen.random((max(2, h * cells // max(h, w)), max(2, w * cells // max(h, w))))
    result: _Array = cv2.resize(small.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    return result


def _wood(rng: random.Random, gen: np.random.Generator, size: tuple[int, int]) -> _Array:
    xs, ys = _lowres_grid(size, 4)
    angle = rng.uniform(-0.3, 0.3)
    u = xs * math.cos(angle) + ys * math.sin(angle)
    v = -xs * math.sin(angle) + ys * math.cos(angle)
    warp = _smooth_noise(gen, xs.shape, 6) * 60
    rings = np.sin((v + warp) * rng.uniform(0.03, 0.07) + u * 0.002)
    fine = _smooth_noise(gen, xs.shape, 120) * 0.3
    t = (rings * 0.5 + 0.5) * 0.7 + fine
    dark = np.array(rng.choice([(90, 55, 30), (60, 40, 25), (120, 80, 45)]), np.float32)
    light = np.array(rng.choice([(170, 120, 75), (150, 105, 65), (200, 160, 110)]), np.float32)
    result: _Array = dark * (1 - t[..., None]) + light * t[..., None]
    return result


def _fabric(rng: random.Random, gen: np.random.Generator, size: tuple[int, int]) -> _Array:
    xs, ys = _lowres_grid(size, 2)
    period = rng.uniform(3, 6)
    weave = (np.sin(xs / period) * np.sin(ys / period)) * 0.5 + 0.5
    folds = _smooth_noise(gen, xs.shape, 4)
    color = np.array(
        rng.choice([(40, 60, 110), (120, 30, 40), (60, 90, 60), (80, 80, 85), (190, 180, 160)]),
        np.float32,
    )
    shade = 0.75 + 0.2 * weave + 0.25 * (folds - 0.5)
    return color * shade[..., None]


def _desk(rng: random.Random, gen: np.random.Generator, size: tuple[int, int]) -> _Array:
    xs, _ = _lowres_grid(size, 4)
    color = np.array(
        rng.choice([(200, 200, 195), (235, 235, 230), (60, 60, 65), (180, 170, 150)]),
        np.float32,
    )
    mottle = _smooth_noise(gen, xs.shape, 30) * 0.12 + 0.94
    return color * mottle[..., None]


_SURFACES = (_wood, _fabric, _desk)


def background(rng: random.Random, size: tuple[int, int]) -> _Array:
    """A (h, w, 3) uint8 surface of ``size`` (w, h) with procedural texture and clutter."""
    gen = np.random.default_rng(rng.randrange(2**32))
    w, h = size
    surface = rng.choice(_SURFACES)(rng, gen, size)
    img = cv2.resize(
        np.clip(surface, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR
    )
    for _ in range(rng.randrange(0, 4)):
        _clutter(rng, img)
    return img


def _clutter(rng: random.Random, img: _Array) -> None:
    """A pen, a sheet of paper or a coin lying on the desk."""
    h, w = img.shape[:2]
    kind = rng.choice(("pen", "paper", "coin"))
    color = tuple(
        int(c)
        for c in rng.choice(
            [(20, 20, 120), (200, 30, 30), (30, 30, 30), (240, 240, 240), (180, 150, 60)]
        )
    )
    if kind == "pen":
        x0, y0 = rng.randrange(w), rng.randrange(h)
        angle = rng.uniform(0, math.pi)
        length = rng.uniform(0.2, 0.5) * max(w, h)
        x1, y1 = int(x0 + length * math.cos(angle)), int(y0 + length * math.sin(angle))
        cv2.line(img, (x0, y0), (x1, y1), color, max(3, w // 120), cv2.LINE_AA)
    elif kind == "paper":
        cx, cy = rng.randrange(w), rng.randrange(h)
        pw, ph = rng.uniform(0.2, 0.5) * w, rng.uniform(0.2, 0.5) * h
        box = cv2.boxPoints(((cx, cy), (pw, ph), rng.uniform(0, 90))).astype(np.int32)
        cv2.fillPoly(img, [box], (245, 245, 240), cv2.LINE_AA)
        for k in range(1, 8):
            ly = int(cy - ph / 2 + k * ph / 9)
            cv2.line(
                img,
                (int(cx - pw / 3), ly),
                (int(cx + pw / 3), ly),
                (150, 150, 150),
                max(1, w // 800),
            )
    else:
        r = max(8, int(rng.uniform(0.02, 0.05) * w))
        center = (rng.randrange(w), rng.randrange(h))
        cv2.circle(img, center, r, (170, 160, 120), -1, cv2.LINE_AA)
        cv2.circle(img, center, int(r * 0.8), (140, 130, 95), max(1, r // 10), cv2.LINE_AA)


def wallet(rng: random.Random, size: tuple[int, int]) -> _Array:
    """A leather wallet filling the frame: dark grained leather with a stitched seam."""
    gen = np.random.default_rng(rng.randrange(2**32))
    w, h = size
    color = np.array(rng.choice([(70, 42, 25), (40, 30, 28), (95, 60, 35)]), np.float32)
    grain = (
        _smooth_noise(gen, (h // 4, w // 4), 150) * 0.25
        + _smooth_noise(gen, (h // 4, w // 4), 8) * 0.2
    )
    small = np.clip(color * (0.8 + grain)[..., None], 0, 255).astype(np.uint8)
    img = np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))
    inset = round(0.04 * min(w, h))
    dash = max(6, w // 80)
    stitch = tuple(int(c) for c in np.clip(color * 1.9, 0, 255))
    for x in range(inset, w - inset, 2 * dash):
        for y in (inset, h - inset):
            cv2.line(img, (x, y), (min(x + dash, w - inset), y), stitch, max(2, w // 500))
    for y in range(inset, h - inset, 2 * dash):
        for x in (inset, w - inset):
            cv2.line(img, (x, y), (x, min(y + dash, h - inset)), stitch, max(2, w // 500))
    return img


def room(rng: random.Random, size: tuple[int, int]) -> _Array:
    """An out-of-focus room behind a card held up to the camera."""
    w, h = size
    small = background(rng, (max(2, w // 8), max(2, h // 8)))
    small = cv2.GaussianBlur(small, (0, 0), 3)
    result: _Array = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return result
