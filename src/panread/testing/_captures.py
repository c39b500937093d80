"""Captures seen among real cards that plain photos and scans lack, and flawed pictures.

Flawed photos, each with one flaw a reader should report (``PanCard.quality``):
``blurry``, ``glare`` (a spot over the print), ``small_in_frame``, ``cut_off`` (part of the card
outside the frame) and ``dark``. Captures real cards come in: ``sleeve`` (in a clear plastic
sleeve), ``wallet`` (lying on a leather wallet), ``in_hand`` (held, a thumb over its edge),
``upside_down``, ``stretched`` (a crop saved at the wrong proportions), ``tiny`` (a tight crop
about 300 pixels wide), ``faded_scan`` (a washed-out low-resolution scan of the card alone) and
``tight_crop`` (a phone photo cropped to the card by the phone's editor, 450-800 pixels wide).
"""

from __future__ import annotations

import random
from typing import Any, TypeAlias

import cv2
import numpy as np

from panread.testing import _textures
from panread.testing._degrade import Shot, _photo

__all__ = ["CAPTURES", "capture"]

_Array: TypeAlias = "np.ndarray[Any, Any]"

CAPTURES: tuple[str, ...] = (
    "blurry",
    "glare",
    "small_in_frame",
    "cut_off",
    "dark",
    "sleeve",
    "wallet",
    "in_hand",
    "upside_down",
    "stretched",
    "tiny",
    "faded_scan",
    "tight_crop",
)


def _resize(img: _Array, width: int, height: int | None = None) -> _Array:
    h, w = img.shape[:2]
    height = height or max(2, round(h * width / w))
    interp = cv2.INTER_AREA if width < w else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(img, (width, height), interpolation=interp))


def _crop(rng: random.Random, card: _Array, width: int) -> _Array:
    """The card cut out by a phone's editor: a few pixels off its edge, a little soft."""
    small = _resize(card, width)
    h, w = small.shape[:2]
    pad = [rng.randint(0, max(1, w // 100)) for _ in range(4)]
    small = small[pad[0] : h - pad[1], pad[2] : w - pad[3]]
    return np.asarray(cv2.GaussianBlur(small, (0, 0), rng.uniform(0.3, 0.6)))


def _sleeve(rng: random.Random, card: _Array) -> _Array:
    """The card in a clear plastic sleeve a little larger than it: duller, with a sheen."""
    h, w = card.shape[:2]
    m = round(w * rng.uniform(0.04, 0.07))
    film = np.array(rng.choice([(228, 232, 236), (215, 220, 226), (236, 236, 232)]), np.float32)
    out = np.empty((h + 2 * m, w + 2 * m, 3), np.float32)
    out[:] = film
    out[m : m + h, m : m + w] = card.astype(np.float32) * 0.85 + film * 0.15
    ys, xs = np.mgrid[0 : out.shape[0], 0 : out.shape[1]].astype(np.float32)
    band = rng.uniform(0.2, 0.8) * out.shape[1]
    sheen = np.exp(-(((xs + 0.5 * ys - band) / (0.08 * w)) ** 2)) * rng.uniform(0.15, 0.3)
    out = out * (1 - sheen[..., None]) + 255 * sheen[..., None]
    cv2.rectangle(out, (1, 1), (out.shape[1] - 2, out.shape[0] - 2), (200, 205, 210), 2)
    result: _Array = np.clip(out, 0, 255).astype(np.uint8)
    return result


def _thumb(rng: random.Random, frame: _Array, info: dict[str, Any]) -> None:
    """A thumb over the card's lower-left edge and fingers behind its right edge."""
    fh, fw = frame.shape[:2]
    cw = info["card_width_px"]
    skin = np.array(rng.choice([(224, 172, 140), (198, 134, 96), (141, 85, 54)]), np.float32)
    box = info["card_box"]
    cx, cy = box[0] + rng.uniform(0.0, 0.06) * cw, box[3] - rng.uniform(0.0, 0.05) * cw
    mask = np.zeros((fh, fw), np.float32)
    axes = (round(0.08 * cw), round(0.17 * cw))
    cv2.ellipse(mask, (round(cx), round(cy)), axes, rng.uniform(20, 50), 0, 360, 1.0, -1)
    for k in range(3):  # fingertips peeking out behind the right edge
        fy = box[1] + (0.25 + 0.2 * k) * (box[3] - box[1])
        cv2.ellipse(
            mask,
            (round(box[2] + 0.02 * cw), round(fy)),
            (round(0.05 * cw), round(0.035 * cw)),
            0,
            0,
            360,
            1.0,
            -1,
        )
    mask = cv2.GaussianBlur(mask, (0, 0), 0.01 * cw)[..., None]
    shade = 0.85 + 0.15 * cv2.GaussianBlur(mask[..., 0], (0, 0), 0.05 * cw)[..., None]
    frame[:] = np.clip(frame * (1 - mask) + skin * shade * mask, 0, 255).astype(np.uint8)


def _fade(rng: random.Random, card: _Array) -> _Array:
    """A washed-out scan of the card alone: low contrast, yellowed, soft, low resolution."""
    small = _resize(card, rng.randrange(520, 760)).astype(np.float32)
    contrast = rng.uniform(0.42, 0.55)
    tint = np.array([1.0, 0.98, rng.uniform(0.86, 0.93)], np.float32)
    out: _Array = (small * contrast + (255 * (1 - contrast) - rng.uniform(0, 15))) * tint
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 0.9))
    result: _Array = np.clip(out, 0, 255).astype(np.uint8)
    return result


def capture(rng: random.Random, card: _Array, kind: str) -> tuple[_Array, dict[str, Any]]:
    """The picture (RGB array) of ``card`` taken as ``kind`` (one of CAPTURES), and its info."""
    if kind == "blurry":
        return _photo(rng, card, mild=True, shot=Shot(blur=rng.uniform(2.6, 3.6)))
    if kind == "glare":
        shot = Shot(glare=(rng.uniform(1.4, 1.8), rng.uniform(0.09, 0.13)))
        return _photo(rng, card, mild=True, shot=shot)
    if kind == "small_in_frame":
        return _photo(rng, card, mild=True, shot=Shot(fill=rng.uniform(0.18, 0.22)))
    if kind == "cut_off":
        shot = Shot(fill=rng.uniform(0.6, 0.8), off_edge=rng.uniform(0.15, 0.25))
        return _photo(rng, card, mild=True, shot=shot)
    if kind == "dark":
        return _photo(rng, card, mild=True, shot=Shot(light=rng.uniform(0.2, 0.28)))
    if kind == "sleeve":
        return _photo(rng, _sleeve(rng, card), mild=True)
    if kind == "wallet":
        return _photo(rng, card, mild=True, shot=Shot(surface=_textures.wallet))
    if kind == "in_hand":
        frame, info = _photo(
            rng, card, mild=True, shot=Shot(fill=rng.uniform(0.55, 0.7), surface=_textures.room)
        )
        _thumb(rng, frame, info)
        return frame, info
    if kind == "upside_down":
        return _photo(rng, np.ascontiguousarray(card[::-1, ::-1]), mild=True)
    if kind == "stretched":
        crop = _crop(rng, card, rng.randrange(600, 900))
        h, w = crop.shape[:2]
        factor = rng.uniform(1.18, 1.35)
        wide = rng.random() < 0.5
        size = (round(w * factor), h) if wide else (w, round(h * factor))
        return _resize(crop, *size), {"stretch": (round(factor, 2), "x" if wide else "y")}
    if kind == "tiny":
        return _crop(rng, card, rng.randrange(260, 340)), {}
    if kind == "faded_scan":
        return _fade(rng, card), {}
    if kind == "tight_crop":
        return _crop(rng, card, rng.randrange(450, 800)), {}
    raise ValueError(f"capture {kind!r} is not one of {', '.join(CAPTURES)}")
