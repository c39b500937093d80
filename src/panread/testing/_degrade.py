"""Turn a clean card render into what people actually upload: photos, scans, rotated files."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import cv2
import numpy as np
from PIL import Image

from panread.testing import _textures

DEGRADATIONS: tuple[str, ...] = ("clean", "photo", "scan", "exif_rotated", "rotated")
"""The kinds of the evaluation grid."""

_Array: TypeAlias = "np.ndarray[Any, Any]"
_CARD_MM = (85.6, 54.0)
_A4_MM = (210.0, 297.0)
_EXIF_ORIENTATION = 0x0112
# Phone camera frame sizes (landscape), most common first.
_FRAMES = ((4032, 3024), (3264, 2448), (2592, 1944), (1920, 1440), (1600, 1200), (1280, 960))
_FRAME_WEIGHTS = (3, 2, 1, 2, 2, 1)


def degrade(image: Image.Image, kind: str, seed: int = 0, *, dpi: int | None = None) -> bytes:
    """Encode ``image`` (a flat card) as a file degraded like ``kind`` (see DEGRADATIONS).

    ``dpi`` (300..600) fixes the scan resolution; by default a scan is 300 or 600 dpi.
    The same image, kind and seed always give the same bytes.
    """
    data, _ = degrade_with_info(image, kind, seed, dpi=dpi)
    return data


def degrade_with_info(
    image: Image.Image, kind: str, seed: int = 0, *, dpi: int | None = None
) -> tuple[bytes, dict[str, Any]]:
    """Like :func:`degrade`, also returning the parameters that were drawn (for reports)."""
    if kind not in KINDS:
        raise ValueError(f"degradation {kind!r} is not one of {', '.join(KINDS)}")
    if dpi is not None and (kind != "scan" or not 150 <= dpi <= 1200):
        raise ValueError(f"dpi={dpi!r} is only for kind='scan' and must be in 150..1200")
    rng = random.Random(f"degrade:{kind}:{seed}")
    card = np.asarray(image.convert("RGB"))
    info: dict[str, Any] = {"kind": kind}
    if kind == "clean":
        return _encode(Image.fromarray(card), "PNG"), info
    if kind in CAPTURES:
        picture, capture_info = capture(rng, card, kind)
        info.update(capture_info)
        quality = rng.randrange(70, 91)
        info["quality"] = quality
        return _encode(Image.fromarray(picture), "JPEG", quality=quality), info
    if kind == "scan":
        page, scan_info = _scan(rng, card, dpi)
        info.update(scan_info)
        dpi_xy = (info["dpi"], info["dpi"])
        return _encode(Image.fromarray(page), "JPEG", quality=info["quality"], dpi=dpi_xy), info
    photo, photo_info = _photo(rng, card, mild=kind != "photo")
    info.update(photo_info)
    img = Image.fromarray(photo)
    quality = rng.randrange(60, 91)
    info["quality"] = quality
    if kind == "photo":
        return _encode(img, "JPEG", quality=quality), info
    if kind == "rotated":
        angle = rng.choice((90, 180, 270))
        info["rotation"] = angle
        return _encode(img.rotate(angle, expand=True), "JPEG", quality=quality), info
    # exif_rotated: store the pixels turned, with the EXIF Orientation tag that undoes it.
    orientation, transpose = rng.choice(
        (
            (3, Image.Transpose.ROTATE_180),
            (6, Image.Transpose.ROTATE_90),
            (8, Image.Transpose.ROTATE_270),
        )
    )
    info["orientation"] = orientation
    exif = Image.Exif()
    exif[_EXIF_ORIENTATION] = orientation
    exif[0x010F] = "PanreadTestPhone"  # Make
    return _encode(img.transpose(transpose), "JPEG", quality=quality, exif=exif.tobytes()), info


def _encode(img: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


@dataclass(frozen=True, slots=True)
class Shot:
    """What a photo's flaw overrides of the usual draw (None: drawn as for any photo).

    Every random number is still drawn in the same order, so a photo without overrides is
    the same photo as before the overrides existed.
    """

    fill: float | None = None
    """The card's width as a share of the frame's."""
    off_edge: float = 0.0
    """Share of the card's width pushed out of the frame (left or right)."""
    glare: tuple[float, float] | None = None
    """A glare spot over the card's print: (strength, radius as a share of card width); over
    1 it burns a patch in its middle to white."""
    blur: float | None = None
    """Gaussian blur sigma, in pixels per 1000 pixels of card width."""
    light: float = 1.0
    """Exposure: the frame's brightness is multiplied by this."""
    surface: Callable[[random.Random, tuple[int, int]], _Array] | None = None
    """The surface the card lies on (default: a wood, fabric or desk texture)."""


_PLAIN = Shot()


def _photo(
    rng: random.Random, card: _Array, *, mild: bool, shot: Shot = _PLAIN
) -> tuple[_Array, dict[str, Any]]:
    """A phone photo: card tilted in perspective on a textured surface, blur, glare, noise."""
    fw, fh = rng.choices(_FRAMES, weights=_FRAME_WEIGHTS)[0]
    portrait = rng.random() < 0.25
    if portrait:
        fw, fh = fh, fw
    fill = rng.uniform(0.6, 0.9) if portrait else rng.uniform(0.42, 0.8)
    if shot.fill is not None:
        fill = shot.fill
    cw = fw * fill
    ch = cw * card.shape[0] / card.shape[1]
    tilt = 4.0 if mild else 12.0
    angle = math.radians(rng.uniform(-tilt, tilt))
    skew = (0.03 if mild else 0.07) * cw
    cos, sin = math.cos(angle), math.sin(angle)
    half = np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]])
    rotated = half @ np.array([[cos, sin], [-sin, cos]])
    jitter = np.array([[rng.uniform(-skew, skew), rng.uniform(-skew, skew)] for _ in range(4)])
    corners = rotated + jitter
    span = corners.max(axis=0) - corners.min(axis=0)
    margin = 0.03 * min(fw, fh)
    room_x = max(0.0, fw - span[0] - 2 * margin)
    room_y = max(0.0, fh - span[1] - 2 * margin)
    offset = np.array([margin + rng.uniform(0, room_x), margin + rng.uniform(0, room_y)])
    if shot.off_edge:  # push the card out of the frame on the side it lies nearer
        off = shot.off_edge * cw
        left = offset[0] < fw / 2 - span[0] / 2
        offset[0] = -off if left else fw - span[0] + off
    dst = (corners - corners.min(axis=0) + offset).astype(np.float32)

    # Scale the card to about its size in the frame first, so the warp never aliases.
    scale = cw / card.shape[1]
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    src_img = cv2.resize(
        card,
        (max(2, round(card.shape[1] * scale)), max(2, round(card.shape[0] * scale))),
        interpolation=interp,
    )
    sh, sw = src_img.shape[:2]
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)

    if shot.surface is not None:
        frame: _Array = shot.surface(rng, (fw, fh)).astype(np.float32)
    else:
        frame = _textures.background(rng, (fw, fh)).astype(np.float32)
    mask = _rounded_mask(sh, sw, radius=max(2, round(sw * 0.035)))
    warped = cv2.warpPerspective(
        src_img, matrix, (fw, fh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    alpha = cv2.warpPerspective(mask, matrix, (fw, fh), flags=cv2.INTER_LINEAR)[..., None]
    # Soft drop shadow under the card.
    shift = np.array([[1, 0, cw * 0.01], [0, 1, cw * 0.015]], np.float32)
    shadow = cv2.GaussianBlur(cv2.warpAffine(alpha[..., 0], shift, (fw, fh)), (0, 0), cw * 0.01)
    frame *= 1 - 0.45 * shadow[..., None]
    frame = frame * (1 - alpha) + warped.astype(np.float32) * alpha

    frame *= _illumination(rng, fw, fh, strength=0.15 if mild else 0.3)[..., None]
    # White balance of the room light: a warm or cool cast.
    cast = rng.uniform(-0.06, 0.06)
    frame *= np.array([1 + cast, 1.0, 1 - cast], np.float32)
    glare = 0.0 if mild else (rng.uniform(0.25, 0.55) if rng.random() < 0.6 else 0.0)
    if glare:
        gx, gy = dst[:, 0].mean() + rng.uniform(-0.4, 0.4) * cw, dst[:, 1].mean()
        gy += rng.uniform(-0.4, 0.4) * ch
        frame = _glare(frame, (gx, gy), radius=cw * rng.uniform(0.08, 0.2), strength=glare)
    if shot.glare is not None:  # over the print, between the middle and the left of the card
        glare, share = shot.glare
        gx = dst[:, 0].mean() - rng.uniform(0.0, 0.2) * cw
        gy = dst[:, 1].mean() + rng.uniform(-0.1, 0.1) * ch
        frame = _glare(frame, (gx, gy), radius=cw * share, strength=glare)

    card_px = cw / 1000.0  # blur and noise scale with how big the card is in the frame
    sigma = rng.uniform(0.3, 0.8 if mild else 1.3) * card_px
    if shot.blur is not None:
        sigma = shot.blur * card_px
    frame = cv2.GaussianBlur(frame, (0, 0), max(0.3, sigma))
    motion = 0
    if not mild and rng.random() < 0.3:
        motion = max(3, round(rng.uniform(2.0, 6.0) * card_px))
        frame = cv2.filter2D(frame, -1, _motion_kernel(motion, rng.uniform(0, 180)))
    noise = rng.uniform(2.0, 4.0 if mild else 7.0)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain: _Array = np.asarray(gen.standard_normal(frame.shape, dtype=np.float32))
    frame = frame * np.float32(shot.light) + grain * np.float32(noise)
    info = {
        "frame": (fw, fh),
        "card_width_px": round(cw),
        "card_box": tuple(round(float(v)) for v in (*dst.min(axis=0), *dst.max(axis=0))),
        "angle_deg": round(math.degrees(angle), 2),
        "glare": round(glare, 2),
        "blur_sigma": round(sigma, 2),
        "motion_px": motion,
        "noise": round(noise, 2),
    }
    return np.clip(frame, 0, 255).astype(np.uint8), info


def _rounded_mask(h: int, w: int, radius: int) -> _Array:
    mask = np.zeros((h, w), np.float32)
    cv2.rectangle(mask, (radius, 0), (w - radius - 1, h - 1), 1.0, -1)
    cv2.rectangle(mask, (0, radius), (w - 1, h - radius - 1), 1.0, -1)
    for cx, cy in (
        (radius, radius),
        (w - radius - 1, radius),
        (radius, h - radius - 1),
        (w - radius - 1, h - radius - 1),
    ):
        cv2.circle(mask, (cx, cy), radius, 1.0, -1, cv2.LINE_AA)
    return mask


def _illumination(rng: random.Random, w: int, h: int, strength: float) -> _Array:
    """Uneven room light: a smooth gradient and vignette, computed small and upscaled."""
    sw, sh = 64, max(2, round(64 * h / w))
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    nx, ny = xs / sw - 0.5, ys / sh - 0.5
    angle = rng.uniform(0, 2 * math.pi)
    gradient = (nx * math.cos(angle) + ny * math.sin(angle)) * strength
    vignette = -(nx**2 + ny**2) * strength
    light = 1.0 + gradient + vignette + rng.uniform(-0.05, 0.08)
    result: _Array = cv2.resize(light.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    return result


def _glare(frame: _Array, center: tuple[float, float], radius: float, strength: float) -> _Array:
    """A specular highlight: pixels pulled towards white with a soft elliptical falloff."""
    h, w = frame.shape[:2]
    x0, x1 = max(0, int(center[0] - 3 * radius)), min(w, int(center[0] + 3 * radius))
    y0, y1 = max(0, int(center[1] - 2 * radius)), min(h, int(center[1] + 2 * radius))
    if x1 <= x0 or y1 <= y0:
        return frame
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d2 = ((xs - center[0]) / 1.6) ** 2 + (ys - center[1]) ** 2
    weight = (np.exp(-d2 / (2 * radius**2)) * strength)[..., None]
    patch = frame[y0:y1, x0:x1]
    frame[y0:y1, x0:x1] = patch * (1 - weight) + 255.0 * weight
    return frame


def _motion_kernel(length: int, angle_deg: float) -> _Array:
    kernel: _Array = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), angle_deg, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return kernel / max(float(kernel.sum()), 1e-6)


def _scan(rng: random.Random, card: _Array, dpi: int | None) -> tuple[_Array, dict[str, Any]]:
    """A flatbed scan of an A4 page with the card lying small and slightly crooked on it."""
    dpi = dpi or rng.choice((300, 600))
    px_per_mm = dpi / 25.4
    pw, ph = round(_A4_MM[0] * px_per_mm), round(_A4_MM[1] * px_per_mm)
    cw, ch = round(_CARD_MM[0] * px_per_mm), round(_CARD_MM[1] * px_per_mm)
    angle = rng.uniform(-3.0, 3.0)
    interp = cv2.INTER_AREA if cw < card.shape[1] else cv2.INTER_CUBIC
    src = cv2.resize(card, (cw, ch), interpolation=interp)
    # Scanners lift dark ink a little and wash out tints.
    src = (src.astype(np.float32) * 0.93 + 12).clip(0, 255)
    margin = round(8 * px_per_mm)
    diag = math.hypot(cw, ch)
    box = round(diag) + 4
    x = rng.randrange(margin, max(margin + 1, pw - box - margin))
    if rng.random() < 0.6:  # most people put the card near the top of the glass
        y = rng.randrange(margin, max(margin + 1, ph // 3))
    else:
        y = rng.randrange(margin, max(margin + 1, ph - box - margin))
    rot: _Array = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    rot[:, 2] += np.array([(box - cw) / 2, (box - ch) / 2])
    warped = cv2.warpAffine(src, rot, (box, box), flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(_rounded_mask(ch, cw, round(3 * px_per_mm)), rot, (box, box))
    shadow = cv2.GaussianBlur(mask, (0, 0), px_per_mm * 0.4)
    paper = rng.uniform(246, 254)
    region: _Array = np.full((box, box, 3), paper, np.float32)
    region *= (1 - 0.25 * shadow)[..., None]
    region = region * (1 - mask[..., None]) + warped * mask[..., None]
    region = cv2.GaussianBlur(region, (0, 0), 0.5 * dpi / 300)

    page = np.full((ph, pw, 3), round(paper), np.uint8)
    gen = np.random.default_rng(rng.randrange(2**32))
    tile = gen.normal(0, 1.6, (256, 256, 1)).astype(np.float32)
    region = region + np.tile(tile, (box // 256 + 1, box // 256 + 1, 3))[:box, :box]
    page[y : y + box, x : x + box] = np.clip(region, 0, 255).astype(np.uint8)
    quality = rng.randrange(75, 93)
    info = {
        "dpi": dpi,
        "page": (pw, ph),
        "card_box": (x, y, box, box),
        "angle_deg": round(angle, 2),
        "quality": quality,
    }
    return page, info


# The captures build on _photo above, so they are imported after it (a cycle otherwise).
from panread.testing._captures import CAPTURES as CAPTURES  # noqa: E402
from panread.testing._captures import capture  # noqa: E402

KINDS: tuple[str, ...] = DEGRADATIONS + CAPTURES
"""Every kind :func:`degrade` draws: the evaluation grid's and the captures'."""
