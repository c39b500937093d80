"""Second looks at field lines the recogniser garbled or doubted: dates, PANs and names.

The recogniser is sensitive to how tightly a line is cropped: a crop with a little more or
less margin often reads a character it missed. Such lines are read again from a few
differently padded crops:

- a line shaped like a date that does not parse: the first reading that parses wins;
- a date read with confidence under 0.9: the surest reading wins if it is clearly surer;
- a PAN that needs two or more corrections: the reading needing the fewest wins;
- a PAN with a letter 'O': a tight crop cuts the tail off a 'Q', so a reading that sees 'Q'
  there and nothing else different is believed (the recogniser does not invent tails);
- a PAN read with confidence under 0.9: the surest reading wins if it is clearly surer and
  needs no more corrections; failing that, the readings vote character by character with the
  recogniser's guesses (the first reading twice), and the likeliest character wins each
  position;
- a name line (two or more words, mostly capitals, not the card's header or a label) read
  with confidence under 0.9: the readings of as many words vote with their confidences (the
  first reading twice), and the text with the most votes wins; a reading of the same letters
  that splits initials off it is then believed (the recogniser drops spaces after initials,
  it rarely invents them).

A replaced line keeps the lower confidence of its two readings. Other lines are never touched,
so a clean read costs nothing."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from ._dates import find_dates
from ._engine import Image, OcrEngine, Quad, TextBox
from ._initials import splits_initials
from ._pan_candidates import PanReading, find_pan_candidates, vote_pan
from ._vocab import CARD_WORDS, has, is_header, words

__all__ = ["reread_fields"]

PADDINGS = ((0.0, 0.15), (0.1, -0.1), (0.15, 0.3), (0.0, -0.1))
"""(horizontal, vertical) extra margin per side, as a share of the line's height."""

_SURE = 0.9
"""A date or PAN line read with less confidence than this gets a second look."""

_DATE_START = re.compile(r"\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]")
_DATE_RUN_TOGETHER = re.compile(r"\W*\d{1,2}\s*[/\-.]?\s*\d{1,2}\s*[/\-.]?\s*(?:19|20)\d\d\W*")
"""A date that lost a separator: '1411/1953' for 11/11/1953 parses, but as the 14th."""


def _pad(q: Quad, dx: float, dy: float) -> Quad:
    (x0, y0), (x1, y1), _, (x3, y3) = q
    width, height = math.dist((x0, y0), (x1, y1)), math.dist((x0, y0), (x3, y3))
    if width == 0 or height == 0:
        return q
    ux, uy = (x1 - x0) / width, (y1 - y0) / width
    vx, vy = (x3 - x0) / height, (y3 - y0) / height
    ex, ey = dx * height, dy * height
    corners = ((-ex, -ey), (ex, -ey), (ex, ey), (-ex, ey))
    return tuple(  # type: ignore[return-value]
        (px + sx * ux + sy * vx, py + sx * uy + sy * vy)
        for (px, py), (sx, sy) in zip(q, corners, strict=True)
    )


def _pan_reading(text: str) -> tuple[str, int] | None:
    """(PAN, corrections needed) for a PAN-shaped line; ("", 5) if it reads as none."""
    compact = re.sub(r"[^A-Za-z0-9]", "", text)
    digits, lower = sum(c.isdigit() for c in compact), sum(c.islower() for c in compact)
    if not 9 <= len(compact) <= 12 or digits < 2 or lower > 3:
        return None  # not shaped like a PAN line (Hindi read as Latin is mostly lower case)
    found = find_pan_candidates(text, max_corrections=4)
    return (found[0].value, len(found[0].corrections)) if found else ("", 5)


def _tail_found(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with some letter 'O's read as 'Q'."""
    return (
        len(before) == len(after) == 10
        and before != after
        and all(a == b or (a, b) == ("O", "Q") for a, b in zip(before, after, strict=True))
    )


def _best_date(box: TextBox, readings: list[TextBox]) -> TextBox | None:
    """The second look to believe for a date line, if any (see the module docstring)."""
    parsed = [again for again in readings if find_dates(again.text)]
    if not find_dates(box.text):
        return parsed[0] if parsed else None
    surer = [a for a in parsed if a.confidence > box.confidence + 0.1]
    return max(surer, key=lambda a: a.confidence) if surer else None


def _best_pan(box: TextBox, readings: list[TextBox]) -> TextBox | None:
    """The second look to believe for a PAN line, if any (see the module docstring)."""
    before = _pan_reading(box.text)
    if before is None:
        return None
    parsed = [(again, r) for again in readings if (r := _pan_reading(again.text)) and r[0]]
    if before[1] >= 2:
        fewer = [(r[1], -a.confidence, i) for i, (a, r) in enumerate(parsed) if r[1] < before[1]]
        return parsed[min(fewer)[2]][0] if fewer else None
    for again, (value, _) in parsed:
        if _tail_found(before[0], value):  # compared after positional fixes (S read for 5)
            return again
    if box.confidence < _SURE:
        surer = [a for a, r in parsed if r[1] <= before[1] and a.confidence > box.confidence + 0.1]
        if surer:
            return max(surer, key=lambda a: a.confidence)
        return _voted_pan(box, readings)
    return None


def _voted_pan(box: TextBox, readings: list[TextBox]) -> TextBox | None:
    """The PAN the readings agree on character by character (the first reading voting
    twice), if it differs from the first reading's."""
    votes = [PanReading(box.text, box.alternatives, box.confidence, weight=2.0)]
    votes += [PanReading(a.text, a.alternatives, a.confidence) for a in readings]
    voted = vote_pan(votes)
    if voted is None:
        return None
    value, shares = voted
    return TextBox(value, box.confidence, box.box, shares)


_NAME_LINE = re.compile(r"[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*)+")


def _name_shaped(text: str) -> bool:
    """Two or more words of letters, mostly capitals: a name line, not a label or Hindi noise."""
    letters = [c for c in text if c.isalpha()]
    lower = sum(c.islower() for c in letters)
    return bool(_NAME_LINE.fullmatch(text.strip())) and lower <= 0.25 * len(letters)


def _card_text(text: str) -> bool:
    """Whether ``text`` is the card's own print (its header, a label's words), not a value."""
    found = words(text)
    return is_header(found) or has(found, CARD_WORDS)


def _best_name(box: TextBox, readings: list[TextBox]) -> TextBox | None:
    """The reading of a doubtful name line that most readings agree on, if not the first.

    Every reading of as many words votes for its text with its confidence. The first
    reading, made from the detector's own box, votes twice: the padded crops must agree
    among themselves to outvote it. A reading that splits initials off the winner wins.
    """
    words = len(box.text.split())
    first = box.text.strip()
    votes = {first: 2 * box.confidence}
    surest: dict[str, TextBox] = {}
    for again in readings:
        text = again.text.strip()
        if not _name_shaped(text) or len(text.split()) != words:
            continue
        votes[text] = votes.get(text, 0.0) + again.confidence
        if text not in surest or again.confidence > surest[text].confidence:
            surest[text] = again
    winner = max(votes, key=lambda text: votes[text])
    chosen = box if winner == first else surest[winner]
    chosen = _initials_split(chosen, readings) or chosen
    return None if chosen is box else chosen


def _initials_split(chosen: TextBox, readings: list[TextBox]) -> TextBox | None:
    """A reading of the same letters as ``chosen`` with initials split off, if any."""
    for again in readings:
        if _name_shaped(again.text) and splits_initials(chosen.text, again.text):
            return again
    return None


_Pick = Callable[[TextBox, list[TextBox]], TextBox | None]


def _second_look(box: TextBox) -> _Pick | None:
    """How to choose among second readings of ``box``; None if it needs no second look."""
    if _name_shaped(box.text):
        return _best_name if box.confidence < _SURE and not _card_text(box.text) else None
    if _DATE_START.search(box.text) or _DATE_RUN_TOGETHER.fullmatch(box.text):
        return _best_date if box.confidence < _SURE or not find_dates(box.text) else None
    pan = _pan_reading(box.text)
    if pan is None:
        return None
    value, corrections = pan
    # a 'Q' whose tail the crop cut off reads as 'O': letters only, so digits 6-9 are skipped
    if corrections >= 2 or "O" in value[:5] + value[9:] or box.confidence < _SURE:
        return _best_pan
    return None


def reread_fields(card: Image, boxes: Sequence[TextBox], engine: OcrEngine) -> list[TextBox]:
    """``boxes`` with garbled date and PAN lines replaced by a better reading, if one exists.

    Every doubtful line's padded crops are recognised in one call, so they share batches.
    """
    looks = [(i, pick) for i, box in enumerate(boxes) if (pick := _second_look(box)) is not None]
    if not looks:
        return list(boxes)
    quads = [_pad(boxes[i].box, dx, dy) for i, _ in looks for dx, dy in PADDINGS]
    readings = engine.recognize(card, quads)
    out = list(boxes)
    for n, (i, pick) in enumerate(looks):
        box = boxes[i]
        again = pick(box, readings[n * len(PADDINGS) : (n + 1) * len(PADDINGS)])
        if again is not None:
            # a second look is a guess: it keeps the first reading's doubt
            confidence = min(box.confidence, again.confidence)
            out[i] = replace(again, box=box.box, confidence=confidence)
    return out
