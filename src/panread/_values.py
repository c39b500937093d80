"""Values of labelled fields: the line(s) under a label, or the text after it on its line."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ._classify import Line, Lines, label_like, name_like, pan_shaped
from ._dates import find_dates
from ._tuning import TUNING
from ._vocab import FIELD_LABEL_WORDS, Kind, has, words

__all__ = [
    "Value",
    "label_value",
    "leading_capitals",
    "strip_label_tail",
    "unclear_letters",
    "values_below",
]


@dataclass(frozen=True, slots=True)
class Value:
    """A value's text (its lines joined), the least confidence of its lines, and the lines."""

    text: str
    confidence: float
    lines: tuple[Line, ...]
    unclear: int = 0
    """Letters for which the recogniser gave another letter a fair chance (see
    :func:`unclear_letters`)."""

    @classmethod
    def of(cls, lines: Collection[Line]) -> Value:
        """The value printed on ``lines`` (top to bottom)."""
        return cls(
            " ".join(s.text for s in lines),
            min(s.seg.confidence for s in lines),
            tuple(lines),
            sum(unclear_letters(s) for s in lines),
        )


def unclear_letters(line: Line) -> int:
    """How many letters of ``line`` had another letter (not the same in the other case), or a
    space before them, among the recogniser's guesses at :attr:`Tuning.rival_letter` or more
    ('SIDDIQUL' with an 'I' guessed for its last letter, 'MARNIVV' with a gap that may be a
    space)."""
    alternatives = line.seg.alternatives
    if len(alternatives) != len(line.text):
        return 0
    count = 0
    for ch, guesses in zip(line.text, alternatives, strict=True):
        if ch.isalpha() and any(_rival(ch, alt) and p >= TUNING.rival_letter for alt, p in guesses):
            count += 1
    return count


def _rival(ch: str, alt: str) -> bool:
    """Whether the guess ``alt`` would change the letter ``ch``: a space before it, or another
    letter (not the same in the other case)."""
    return alt == " " or (alt.isalpha() and alt.upper() != ch.upper())


def values_below(label: Line, lines: Lines, taken: Collection[Line]) -> list[Line]:
    """Value lines for ``label``: the first line under it, plus wrapped continuation lines."""
    h = max(label.seg.height, 1.0)
    first = next((s for s in lines.all if _under(label, s, h, taken)), None)
    if first is None:
        return []
    out = [first]
    last = first
    for s in lines.all:
        if s in taken or s.kind != Kind.VALUE or s is first:
            continue
        if s.seg.top <= last.seg.center_y:
            continue
        if s.seg.top - last.seg.bottom > TUNING.wrap_gap * max(last.seg.height, 1.0):
            continue
        if s.seg.confidence < TUNING.noise_box:
            continue  # a hologram or the signature read as letters, not a wrapped name
        if abs(s.seg.left - first.seg.left) > TUNING.wrap_indent * max(first.seg.height, 1.0):
            continue
        if _ends_value(s, first):
            break
        out.append(s)
        last = s
    return out


def _under(label: Line, s: Line, h: float, taken: Collection[Line]) -> bool:
    """Whether ``s`` can be the first line of ``label``'s value (``h``: the label's height)."""
    if s in taken or s is label or s.kind != Kind.VALUE:
        return False
    if s.seg.center_y < label.seg.bottom or s.seg.top > label.seg.bottom + TUNING.value_reach * h:
        return False
    return not (
        s.seg.right < label.seg.left - TUNING.value_left_slack * h
        or s.seg.left > label.seg.right + TUNING.value_right_slack * h
    )


def _ends_value(s: Line, first: Line) -> bool:
    """Whether the line ``s`` under a value is another field, not the value wrapped."""
    if not name_like(s.text) or find_dates(s.text) or pan_shaped(s) or label_like(s.text):
        return True
    # smaller print, garbled: the next field's label (a wrapped 'LIMITED' can look small
    # beside a first line whose box grew, but it reads cleanly)
    if (
        s.seg.height < TUNING.wrap_small_height * first.seg.height
        and s.seg.confidence < TUNING.wrap_small_confidence
    ):
        return True
    return has(words(s.text), FIELD_LABEL_WORDS)


def label_value(label: Line, lines: Lines, taken: Collection[Line], *, name: bool) -> Value | None:
    """The value under ``label`` (wrapped lines joined), else the text after it on its line.

    ``name``: the value is a name (else a date).
    """
    vals = values_below(label, lines, taken)
    if name:
        vals = [v for v in vals if name_like(v.text)]
    if vals:
        return Value.of(vals)
    inline_ok = name_like(label.inline) if name else bool(find_dates(label.inline))
    if label.inline and inline_ok:
        return Value(label.inline, label.seg.confidence, (label,))
    lead = leading_capitals(label.text) if name else ""
    if lead:  # a skewed photo joined the value's line to its label's, value first
        return Value(lead, label.seg.confidence, (label,))
    return None


def leading_capitals(text: str) -> str:
    """The capitalised words a line starts with ('GAURAV ARORA faT / Fathers Name')."""
    found = []
    for token in text.split():
        if not re.fullmatch(r"[A-Z][A-Z.'\-]*", token):
            break
        found.append(token)
    lead = " ".join(found)
    if has(words(lead), FIELD_LABEL_WORDS):
        return ""
    return lead if sum(c.isalpha() for c in lead) >= 3 else ""


_LABEL_TAIL = re.compile(r"\s*/[^/]*$")


def strip_label_tail(text: str) -> str:
    """Drop a trailing "/ Name"-like label fragment merged into a value's line."""
    m = _LABEL_TAIL.search(text)
    if m and has(words(m.group(0)), FIELD_LABEL_WORDS, TUNING.name_label_match):
        # the label's Hindi half, read as one or two stray characters, goes too
        return re.sub(r"\s+(\S{1,2}|\S*[^A-Za-z\s]\S*)$", "", text[: m.start()].rstrip())
    return text
