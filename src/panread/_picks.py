"""Stages 2 and 3 of parsing: pick the PAN and the date among the card's lines."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ._classify import Line, Lines
from ._dates import DateCandidate, find_dates
from ._lines import Segment
from ._pan_candidates import Alternatives, PanCandidate, find_pan_candidates
from ._tuning import TUNING
from ._values import values_below
from ._vocab import Kind
from .pan import PAN_LENGTH

__all__ = ["DatePick", "PanPick", "pick_date", "pick_pan"]


@dataclass(frozen=True, slots=True)
class PanPick:
    """The PAN read and the line it was read from."""

    candidate: PanCandidate
    line: Line


@dataclass(frozen=True, slots=True)
class DatePick:
    """The date read and the line it was read from."""

    candidate: DateCandidate
    line: Line


def _pan_sources(lines: Lines) -> Iterator[tuple[Line, str, tuple[Alternatives, ...]]]:
    """Where a PAN may be read: value lines, the text after a PAN label, and each box of a
    label line (on a skewed photo the PAN can join its label's line)."""
    for s in lines.all:
        if s.kind == Kind.VALUE:
            yield s, s.text, s.seg.alternatives
        elif s.kind == Kind.PAN_LABEL:
            yield s, s.inline, ()
            for box in s.seg.boxes:
                alone = Line(Segment((box,)), Kind.VALUE, "")
                yield alone, alone.text, alone.seg.alternatives


def pick_pan(lines: Lines) -> PanPick | None:
    """The PAN needing the fewest corrections (extra characters on its line count half), then
    the one at or under the PAN label, then the surest line."""
    best: tuple[tuple[float, ...], PanPick] | None = None
    pan_label = lines.label(Kind.PAN_LABEL)
    for s, text, alts in _pan_sources(lines):
        compact = re.sub(r"\s+", "", text)
        if len(compact) > TUNING.pan_max_chars:
            continue
        letters = len(re.sub(r"[^A-Za-z0-9]", "", compact))
        limit = (
            TUNING.pan_max_corrections_exact
            if letters == PAN_LENGTH
            else TUNING.pan_max_corrections
        )
        for cand in find_pan_candidates(text, alts, max_corrections=limit)[:1]:
            extra = len(re.sub(r"[^A-Z0-9]", "", compact.upper())) - PAN_LENGTH
            near = 0.0
            if (
                pan_label is not None
                and s.seg.top >= pan_label.seg.top - TUNING.pan_near_label * s.seg.height
            ):
                near = -1.0
            cost = len(cand.corrections) + TUNING.pan_extra_char_cost * max(0, extra)
            key = (cost, near, -s.seg.confidence)
            if best is None or key < best[0]:
                best = (key, PanPick(cand, s))
    return None if best is None else best[1]


def pick_date(lines: Lines, taken: Collection[Line]) -> DatePick | None:
    """The date on the date label's line or under it, else the first date on a value line.

    A date on the label's line may stand before the label's words too: a tall label box
    (Hindi print and its English beside it) can pull the date under it into its line.
    """
    label = lines.label(Kind.DOB_LABEL) or lines.label(Kind.INCORP_LABEL)
    if label is not None:
        ds = find_dates(label.text)
        if ds:
            return DatePick(ds[0], label)
        for s in values_below(label, lines, taken):
            ds = find_dates(s.text)
            if ds:
                return DatePick(ds[0], s)
    for s in lines.all:
        if s.kind == Kind.VALUE and s not in taken:
            ds = find_dates(s.text)
            if ds:
                return DatePick(ds[0], s)
    return None
