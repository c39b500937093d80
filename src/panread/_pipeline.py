"""Pixels -> PanCard: find the card, flatten it, fix its orientation, OCR it, parse it.

The expensive step is text detection (CRAFT), so it runs once, on a small copy of the card;
recognition then reads crops of the larger card image in one batch. Upside-down cards are
caught by reading the card both ways only when the first reading does not look like a card.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from ._engine import Image, OcrEngine, Quad, TextBox
from ._exceptions import NoCardFoundError
from ._initials import with_initials
from ._locate import CardQuad, find_card, warp_card, warp_quad
from ._missing import with_missing_fields
from ._parse import card_evidence, parse_text_boxes
from ._reread import reread_fields
from ._skew import deskew
from ._textlines import find_text_lines
from ._types import HolderType, PanCard

__all__ = ["TEXT_MARGIN", "CardRead", "FoundBy", "is_tight_crop", "read_card"]

FoundBy = Literal["outline", "whole", "text"]
"""How a card crop was found: along a card outline, as the whole picture, as a block of text."""

DETECT_WIDTH = 640
"""Card width (pixels) at which text is detected."""
LOCATE_SIDE = 640
"""Long side (pixels) of the whole image when text has to be used to find the card."""
LOCATE_SIDE_LARGE = 960
"""The same, a second time, when no card text was found on the small copy (at 1280 pixels
CRAFT's peak memory was 850 MB more, and no real card was found only there)."""
TEXT_MARGIN = 0.08
"""Share of a text block's width added on each side when the card is cut out by its text (so
that letters at its ends are not cut): the card is about the block without it."""
CARD_MAX_WIDTH = 1400
MIN_READ_WIDTH = 960
"""A card narrower than this (a tight crop from a phone editor, a small scan) is enlarged
before reading: the line finder and CRAFT miss letters only a few pixels tall."""
TIGHT_ASPECT = (1.43, 1.8)
"""Proportions of a picture that may be the card itself (a card is 1.59; A4 is 1.41)."""
TIGHT_AREA = 0.5
WHOLE_AREA = 0.85
"""A card-shaped picture is read whole first unless a card outline covering between
TIGHT_AREA and WHOLE_AREA of it was found (a card on a background). A smaller outline in a
card-shaped picture is usually a part of the card (its photo, its text panel); a larger one is
the picture itself."""
WIDEN = 0.05
"""Share of the card's size added on every side when its outline cut lines of text off."""
_GOOD_EVIDENCE = 8.0
"""Text that reads this much like a card (a PAN, a date and a card word) was read from the
card's crop: other crops of the same card would read no better (older cards, which print
fewer card words, score 8-9 when read well)."""
_UPRIGHT_EVIDENCE = 6.0
"""Text that reads this much like a card (a PAN and a date, say) is upright, so it is not read
upside down too: read upside down, a card's print is gibberish (at most 3 on rendered cards)."""
_SURE_INITIALS = 0.8
"""Initials another reading shows are believed from a name it read at least this surely."""


def _fit_width(img: Image) -> Image:
    """``img`` scaled to a width between MIN_READ_WIDTH and CARD_MAX_WIDTH."""
    h, w = img.shape[:2]
    if w < MIN_READ_WIDTH:
        size = (MIN_READ_WIDTH, max(1, round(h * MIN_READ_WIDTH / w)))
        return np.asarray(cv2.resize(img, size, interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
    return _resize_to_width(img, CARD_MAX_WIDTH)[0]


def _resize_to_width(img: Image, width: int) -> tuple[Image, float]:
    h, w = img.shape[:2]
    if w <= width:
        return img, 1.0
    scale = width / w
    small = cv2.resize(img, (width, max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), scale


def _scale_quads(quads: Sequence[Quad], factor: float) -> list[Quad]:
    return [tuple((x * factor, y * factor) for x, y in q) for q in quads]  # type: ignore[misc]


def _rotate_quads_180(quads: Sequence[Quad], w: int, h: int) -> list[Quad]:
    out: list[Quad] = []
    for q in quads:
        p = [(w - x, h - y) for x, y in q]
        out.append((p[2], p[3], p[0], p[1]))
    return out


def _widen(quad: Quad, margin: float) -> Quad:
    """``quad`` grown by ``margin`` of its size on every side, about its centre."""
    cx = sum(x for x, _ in quad) / 4
    cy = sum(y for _, y in quad) / 4
    k = 1 + 2 * margin
    return tuple((cx + (x - cx) * k, cy + (y - cy) * k) for x, y in quad)  # type: ignore[return-value]


def _tick(timings: dict[str, float] | None, name: str, t0: float) -> float:
    now = time.perf_counter()
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + now - t0
    return now


def _locate_by_text(rgb: Image, engine: OcrEngine, side: int) -> tuple[Image, Quad, bool] | None:
    """Find the card as the cluster of text in a copy of the whole image ``side`` pixels long.

    Returns the text block cut out deskewed, its outline in ``rgb``, and whether text touches
    the picture's edge (the card runs off it).
    """
    h, w = rgb.shape[:2]
    scale = min(1.0, side / max(h, w))
    small = rgb
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    quads = engine.detect(small)
    if not quads:
        return None
    sh, sw = small.shape[:2]
    at_border = any(
        min(x for x, _ in q) <= 1
        or min(y for _, y in q) <= 1
        or max(x for x, _ in q) >= sw - 2
        or max(y for _, y in q) >= sh - 2
        for q in quads
    )
    angle = _text_angle(quads)
    pts = np.array([p for q in quads for p in q], dtype=np.float64) / scale
    c, s_ = math.cos(-angle), math.sin(-angle)
    rot = np.array([[c, -s_], [s_, c]])
    r = pts @ rot.T
    x0, y0 = r.min(axis=0)
    x1, y1 = r.max(axis=0)
    # generous above and below: small print at the card's edge may have gone undetected
    mx, my = TEXT_MARGIN * (x1 - x0) + 8 / scale, 0.15 * (y1 - y0) + 8 / scale
    corners = np.array(
        [[x0 - mx, y0 - my], [x1 + mx, y0 - my], [x1 + mx, y1 + my], [x0 - mx, y1 + my]]
    )
    back = corners @ rot  # inverse rotation: the block's corners in reading order
    quad: Quad = tuple((float(x), float(y)) for x, y in back)  # type: ignore[assignment]
    # cut out with its text running across (a tall block is a page, not a card on its side);
    # _read_boxes settles 0 versus 180 degrees
    return warp_quad(rgb, quad, max_side=CARD_MAX_WIDTH), quad, at_border


def _text_angle(quads: Sequence[Quad]) -> float:
    """The dominant reading direction of text boxes, in radians in [-pi/2, pi/2)."""
    angles: list[tuple[float, float]] = []
    for q in quads:
        top = math.dist(q[0], q[1])
        side = math.dist(q[1], q[2])
        a = math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0])
        length = max(top, side)
        if side > top:
            a += math.pi / 2
        a = (a + math.pi / 2) % math.pi - math.pi / 2
        angles.append((a, length))
    angles.sort()
    total = sum(w for _, w in angles)
    acc = 0.0
    for a, w in angles:
        acc += w
        if acc >= total / 2:
            return a
    return 0.0


def _read_boxes(
    card: Image, quads: list[Quad], engine: OcrEngine, timings: dict[str, float] | None
) -> tuple[list[TextBox], Image]:
    """Recognise ``quads`` on ``card``; if that reads nothing like a card, try it upside down.

    Returns the boxes and the image their coordinates refer to (``card``, or it turned 180°).
    """
    t0 = time.perf_counter()
    boxes = engine.recognize(card, quads)
    t0 = _tick(timings, "recognize", t0)
    evidence = card_evidence(boxes)
    if evidence >= _UPRIGHT_EVIDENCE:
        return boxes, card
    h, w = card.shape[:2]
    flipped = np.ascontiguousarray(card[::-1, ::-1])
    boxes_180 = engine.recognize(flipped, _rotate_quads_180(quads, w, h))
    _tick(timings, "recognize", t0)
    if card_evidence(boxes_180) > evidence:
        return boxes_180, flipped
    return boxes, card


def _ocr(
    card: Image, engine: OcrEngine, timings: dict[str, float] | None
) -> tuple[list[TextBox], Image]:
    """CRAFT on a small copy of the card, recognition on the card itself."""
    t0 = time.perf_counter()
    det, scale = _resize_to_width(card, DETECT_WIDTH)
    quads = engine.detect(det)
    _tick(timings, "detect", t0)
    if not quads:
        return [], card
    return _read_boxes(card, _scale_quads(quads, 1.0 / scale), engine, timings)


def _parse(boxes: list[TextBox]) -> PanCard | None:
    try:
        return parse_text_boxes(boxes)
    except NoCardFoundError:
        return None


def _is_complete(card: PanCard) -> bool:
    """Whether ``card`` has every field a card of its kind prints, read cleanly."""
    if card.pan is None or len(card.pan.corrections) > 1 or card.pan.confidence < 0.6:
        return False
    if card.name is None or card.dob is None or card.holder_type is None:
        return False
    if (
        card.holder_type is HolderType.INDIVIDUAL
        and card.father_name is None
        and card.mother_name is None
    ):
        return False
    return all(
        f is None or f.confidence >= 0.5
        for f in (card.name, card.father_name, card.mother_name, card.dob)
    )


def _clipped(boxes: Sequence[TextBox], image: Image) -> bool:
    """Whether lines of text run off the left or right edge of ``image``.

    A card outline found a little inside the real card cuts the first or last letters off
    every line it crosses ('VINOD' reads 'INOD'); two lines at one edge give it away.
    """
    return _lines_off_edge(boxes, image.shape[1], axis=0)


def _cut_across(boxes: Sequence[TextBox], image: Image) -> bool:
    """Whether lines of text run off the top or bottom edge of ``image``.

    An outline that cuts through a row of print (two boxes at one edge) is a part of the card
    (a panel of another colour, the part below the PAN), not the card a little too tight.
    """
    return _lines_off_edge(boxes, image.shape[0], axis=1)


def _lines_off_edge(boxes: Sequence[TextBox], length: int, *, axis: int) -> bool:
    """Whether two or more read boxes touch one of the two edges of an image ``length``
    pixels long along ``axis`` (0: x, 1: y)."""
    low = sum(1 for b in boxes if b.text and min(p[axis] for p in b.box) <= 1)
    high = sum(1 for b in boxes if b.text and max(p[axis] for p in b.box) >= length - 2)
    return max(low, high) >= 2


@dataclass(frozen=True, slots=True)
class _Crop:
    """A picture of the card to read, and where it lies in the input image."""

    image: Image
    outline: Quad
    found_by: FoundBy = "outline"
    text_at_border: bool = False
    """The crop was found as a block of text, and text touches the input image's edge."""


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one crop of the image read as: its boxes, the card parsed from them, and a rank."""

    crop: _Crop
    image: Image
    """The image ``boxes`` refer to: the crop levelled, perhaps turned 180 degrees."""
    boxes: list[TextBox]
    card: PanCard | None
    uncut: bool
    """A card was read and no lines run off the crop's sides (see :func:`_clipped`), nor off
    its top or bottom if the crop is an outline (:func:`_cut_across`)."""
    part: bool
    """The crop is an outline that cut through a row of print: a part of the card."""
    found: float
    """The summed confidence of the fields found."""
    evidence: float
    """How much the text looks like a PAN card (:func:`card_evidence`)."""

    @property
    def rank(self) -> tuple[bool, float, float]:
        """Uncut readings first, then by the fields found, then by card evidence."""
        return (self.uncut, self.found, self.evidence)

    @property
    def complete_card(self) -> PanCard | None:
        """The card, if it is complete and its crop cut no lines off; else None."""
        if self.uncut and self.card is not None and _is_complete(self.card):
            return self.card
        return None


def _assess(crop: _Crop, boxes: list[TextBox], image: Image, engine: OcrEngine) -> _Reading:
    boxes = reread_fields(image, boxes, engine)
    card = _parse(boxes)
    found = 0.0
    if card is not None:
        fields = (card.pan, card.name, card.father_name, card.mother_name, card.dob)
        found = sum(f.confidence for f in fields if f is not None)
    part = crop.found_by == "outline" and _cut_across(boxes, image)
    uncut = card is not None and not part and not _clipped(boxes, image)
    return _Reading(crop, image, boxes, card, uncut, part, found, card_evidence(boxes))


def _better(best: _Reading | None, reading: _Reading) -> _Reading:
    return reading if best is None or reading.rank > best.rank else best


def _readings(
    crop: _Crop, engine: OcrEngine, timings: dict[str, float] | None
) -> Iterator[_Reading]:
    """The fast reading (text lines by morphology, no CRAFT) if lines are found, then CRAFT's.

    Lazy: the caller stops at the first complete card, so CRAFT runs only when needed. A
    crop along an outline with no line of print on it is not the card (the holder's photo,
    a patch of background): it gives no reading, and the card is looked for by its text.
    """
    t1 = time.perf_counter()
    card = deskew(crop.image)
    quads = find_text_lines(card, whole=crop.found_by == "whole")
    _tick(timings, "lines", t1)
    if quads:
        yield _assess(crop, *_read_boxes(card, quads, engine, timings), engine)
    elif crop.found_by == "outline":
        return
    yield _assess(crop, *_ocr(card, engine, timings), engine)


def _text_block(
    rgb: Image, engine: OcrEngine, timings: dict[str, float] | None, side: int = LOCATE_SIDE
) -> _Crop | None:
    """The block of text in ``rgb`` cut out level and landscape, or None if there is none."""
    t0 = time.perf_counter()
    found = _locate_by_text(rgb, engine, side)
    _tick(timings, "locate_text", t0)
    if found is None:
        return None
    crop, outline, at_border = found
    if min(crop.shape[:2]) < 16:
        return None
    return _Crop(_fit_width(crop), outline, "text", text_at_border=at_border)


def _image_quad(rgb: Image) -> Quad:
    h, w = rgb.shape[:2]
    return ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))


def _whole(rgb: Image) -> _Crop:
    """The whole picture as the card, landscape and at a readable width."""
    h, w = rgb.shape[:2]
    landscape = rgb if w >= h else np.ascontiguousarray(np.rot90(rgb, k=-1))
    return _Crop(_fit_width(landscape), _image_quad(rgb), "whole")


def is_tight_crop(rgb: Image, found: CardQuad | None) -> bool:
    """Whether the picture may be the card itself: the card outline found is the picture, or
    the picture is card-shaped and no card on a background was found in it (TIGHT_AREA)."""
    if found is not None and found.area_fraction >= WHOLE_AREA:
        return True
    h, w = rgb.shape[:2]
    aspect = max(h, w) / min(h, w)
    if not TIGHT_ASPECT[0] <= aspect <= TIGHT_ASPECT[1]:
        return False
    return found is None or found.area_fraction < TIGHT_AREA


def _sound(reading: _Reading | None) -> bool:
    """Whether ``reading`` settles where the card is, so that other crops are not worth
    their time: its crop cut no lines, its text reads like a card and gave a PAN. Another
    crop of the same card rarely reads better; a wrong crop reads cut or not like a card."""
    if reading is None or reading.card is None or not reading.uncut:
        return False
    return reading.evidence >= _GOOD_EVIDENCE and reading.card.pan is not None


@dataclass(frozen=True, slots=True)
class CardRead:
    """What :func:`read_card` found: the card, the upright crop its text was read on, and
    where that crop lies in the input picture."""

    card: PanCard
    image: Image
    boxes: list[TextBox]
    outline: Quad
    found_by: FoundBy
    text_at_border: bool
    """The crop was found as a block of text, and text touches the picture's edge."""


def _result(reading: _Reading, card: PanCard, seen: list[_Reading]) -> CardRead:
    """``card`` as read from ``reading``, with initials and fields other readings of it
    (``seen``) showed."""
    others = [r.card for r in seen if r.card is not None and r is not reading]
    card = with_missing_fields(with_initials(card, others, _SURE_INITIALS), others)
    crop = reading.crop
    return CardRead(
        card, reading.image, reading.boxes, crop.outline, crop.found_by, crop.text_at_border
    )


def read_card(
    rgb: Image, engine: OcrEngine, *, timings: dict[str, float] | None = None
) -> CardRead:
    """Read the PAN card in an upright-or-rotated RGB image."""
    t0 = time.perf_counter()
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        raise NoCardFoundError(
            f"The image is too small ({w} x {h} pixels) to hold a readable card."
        )
    found = find_card(rgb)
    t0 = _tick(timings, "locate", t0)
    crops: list[_Crop] = []
    tight = is_tight_crop(rgb, found)
    if tight:  # a picture that is already the card needs no card search
        crops.append(_whole(rgb))
    if found is not None and found.area_fraction < WHOLE_AREA:
        outline = _Crop(
            _fit_width(warp_card(rgb, found.quad, max_width=CARD_MAX_WIDTH)), found.quad
        )
        crops.append(outline)
    best: _Reading | None = None
    seen: list[_Reading] = []
    for crop in crops:  # may grow while it runs (a widened outline)
        last: _Reading | None = None
        for reading in _readings(crop, engine, timings):
            last = reading
            seen.append(reading)
            if (done := reading.complete_card) is not None:
                return _result(reading, done, seen)
            best = _better(best, reading)
            if reading.part:
                break  # CRAFT would read the same part: look for the card by its text
            if crop.found_by == "outline" and reading.card is not None and not reading.uncut:
                # the outline was found inside the card and cut lines off: read the card cut
                # along a wider outline next, rather than this one again with CRAFT
                wide = _widen(crop.outline, WIDEN)
                crops.append(
                    _Crop(_fit_width(warp_card(rgb, wide, max_width=CARD_MAX_WIDTH)), wide)
                )
                break
        if _sound(best) or (last is not None and last.uncut and last.evidence >= _GOOD_EVIDENCE):
            break  # a crop read as a card: other crops of it would read the same
    if not _sound(best):
        # no sound card yet: the outline found may be wrong, so try where the text is
        for side in (LOCATE_SIDE, LOCATE_SIDE_LARGE):
            block = _text_block(rgb, engine, timings, side)
            if block is not None:
                for reading in _readings(block, engine, timings):
                    seen.append(reading)
                    if (done := reading.complete_card) is not None:
                        return _result(reading, done, seen)
                    best = _better(best, reading)
            if best is not None and best.card is not None:
                break  # the larger copy is for text too small to be found in the small one
    if (best is None or best.card is None) and not tight:
        # last resort before giving up: the whole picture, read as it is
        for reading in _readings(_whole(rgb), engine, timings):
            seen.append(reading)
            best = _better(best, reading)
    if best is None or not best.boxes:
        raise NoCardFoundError("No PAN card found in the image: no text could be detected.")
    if best.card is None:
        return _result(best, parse_text_boxes(best.boxes), seen)  # raises NoCardFoundError
    return _result(best, best.card, seen)
