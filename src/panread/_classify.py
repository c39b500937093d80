"""Stage 1 of parsing: the card's lines, each classified as a header, a label or a value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ._engine import TextBox
from ._lines import Segment, group_segments
from ._pan_candidates import find_pan_candidates
from ._tuning import TUNING
from ._vocab import (
    FIELD_LABELS,
    LABEL_KEYS,
    LABEL_WORDS,
    Kind,
    contains,
    has,
    is_header,
    similar,
    words,
)
from .pan import PAN_LENGTH

__all__ = [
    "Line",
    "Lines",
    "case_counts",
    "classify_lines",
    "label_like",
    "name_like",
    "pan_shaped",
]


@dataclass(frozen=True, eq=False, slots=True)
class Line:
    """One segment of a printed line and what it is (compared by identity)."""

    seg: Segment
    kind: Kind
    inline: str
    """The text after a label's words on the same segment ('' if none or not a label)."""

    @property
    def text(self) -> str:
        return self.seg.text


@dataclass(frozen=True, slots=True)
class Lines:
    """Every line of the card in reading order, classified."""

    all: tuple[Line, ...]

    def label(self, kind: Kind) -> Line | None:
        """The first line of ``kind``, if any."""
        return next((s for s in self.all if s.kind == kind), None)

    @property
    def card_words(self) -> int:
        """How many lines are card text (headers and labels) rather than values."""
        return sum(1 for s in self.all if s.kind != Kind.VALUE)

    @property
    def right(self) -> float:
        """The right edge of the rightmost line (about the card's width)."""
        return max(s.seg.right for s in self.all)


def classify_lines(boxes: Sequence[TextBox]) -> Lines:
    """Group ``boxes`` into lines and classify each."""
    return Lines(tuple(classify(s) for s in group_segments(boxes)))


def _without_trailing_noise(seg: Segment) -> Segment:
    """``seg`` without boxes at its end the recogniser could barely read, after boxes it read
    surely: a hologram or photo beside a value reads as a few garbled letters ('KAE TE')."""
    boxes = list(seg.boxes)
    while (
        len(boxes) > 1
        and boxes[-1].confidence < TUNING.noise_box
        and Segment(tuple(boxes[:-1])).confidence >= TUNING.sure_value
    ):
        boxes.pop()
    return seg if len(boxes) == len(seg.boxes) else Segment(tuple(boxes))


def classify(seg: Segment) -> Line:
    """What ``seg`` is: a PAN-shaped line is a value, then headers, labels, values."""
    seg = _without_trailing_noise(seg)
    text = seg.text
    found = words(text)
    kind = Kind.VALUE
    if _reads_as_pan(text):
        pass
    elif is_header(found):
        kind = Kind.HEADER
    else:
        for k, keys, threshold in LABEL_KEYS:
            if has(found, keys, threshold) or any(
                len(key) >= TUNING.run_together_min_key
                and contains(found, key, threshold + TUNING.run_together_extra)
                for key in keys
            ):
                kind = k
                break
        else:
            if _is_name_label(found):
                kind = Kind.NAME_LABEL
    inline = _inline_after_label(text) if kind in FIELD_LABELS or kind == Kind.PAN_LABEL else ""
    return Line(seg, kind, inline)


def _is_name_label(found: list[str]) -> bool:
    """A short line with 'NAME' in it, or glued to junk ('TAINAME'); SUBRAMANIAM's 'NIAM' is
    no NAME: it needs the E."""
    long_words = [w for w in found if len(w) > 2]
    if len(long_words) > TUNING.max_label_name_words:
        return False
    tails = [w[-4:] for w in found if len(w) >= 4 and w.endswith("E")]
    return has(found, ("NAME",), TUNING.name_label_match) or any(
        similar(t, "NAME") >= TUNING.name_label_match for t in tails
    )


def _reads_as_pan(text: str) -> bool:
    """Whether ``text`` is little more than a PAN (so never a label, whatever it resembles)."""
    compact = re.sub(r"[^A-Za-z0-9]", "", text)
    return PAN_LENGTH <= len(compact) <= PAN_LENGTH + 2 and bool(
        find_pan_candidates(text, max_corrections=TUNING.pan_max_corrections)
    )


def _inline_after_label(text: str) -> str:
    """The part of a label segment after its last label word (e.g. '/NAME: RAVI' -> 'RAVI')."""
    tokens = text.split()
    last = -1
    for i, tok in enumerate(tokens):
        for w in words(tok):
            if any(
                similar(w, lw) >= TUNING.word_match
                for lw in LABEL_WORDS
                if abs(len(w) - len(lw)) <= TUNING.label_word_slack
            ):
                last = i
    rest = " ".join(tokens[last + 1 :]) if last >= 0 else ""
    return rest.strip(" /:-|.")


def pan_shaped(line: Line) -> bool:
    """Whether ``line`` is short enough to be a PAN's line and reads as one."""
    compact = re.sub(r"\s+", "", line.text)
    return len(compact) <= TUNING.pan_max_chars and bool(find_pan_candidates(line.text))


def name_like(text: str) -> bool:
    """Whether ``text`` is mostly (ASCII) letters, at least two."""
    chars = [c for c in text if not c.isspace()]
    letters = [c for c in chars if c.isalpha() and c.isascii()]
    return len(letters) >= 2 and len(letters) >= TUNING.name_letters * len(chars)


def case_counts(text: str) -> tuple[int, int]:
    """(letters, lower-case letters) in ``text``."""
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(1 for c in letters if c.islower())


def label_like(text: str) -> bool:
    """Whether unclassified text looks like a label: names are printed in capitals, without '/'."""
    letters, lower = case_counts(text)
    return "/" in text or (letters >= 4 and lower >= TUNING.label_lower * letters)
