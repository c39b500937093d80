"""Group recognised text boxes into reading-order segments (pieces of one printed line)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ._engine import TextBox

__all__ = ["Segment", "group_segments"]


@dataclass(frozen=True, slots=True)
class Segment:
    """Boxes on one printed line that sit next to each other, left to right."""

    boxes: tuple[TextBox, ...]

    @property
    def text(self) -> str:
        return " ".join(b.text.strip() for b in self.boxes if b.text.strip())

    @property
    def alternatives(self) -> tuple[tuple[tuple[str, float], ...], ...]:
        """Per character of :attr:`text`, the recogniser's guesses (empty where unknown)."""
        out: list[tuple[tuple[str, float], ...]] = []
        for b in self.boxes:
            stripped = b.text.strip()
            if not stripped:
                continue
            if out:
                out.append(((" ", 1.0),))
            lead = len(b.text) - len(b.text.lstrip())
            alts = b.alternatives[lead : lead + len(stripped)] if b.alternatives else ()
            out.extend(alts if len(alts) == len(stripped) else [() for _ in stripped])
        return tuple(out)

    @property
    def confidence(self) -> float:
        scored = [b for b in self.boxes if b.text.strip()]
        if not scored:
            return 0.0
        total = sum(len(b.text) for b in scored)
        return sum(b.confidence * len(b.text) for b in scored) / total

    @property
    def left(self) -> float:
        return min(b.left for b in self.boxes)

    @property
    def right(self) -> float:
        return max(b.right for b in self.boxes)

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @property
    def bottom(self) -> float:
        return max(b.bottom for b in self.boxes)

    @property
    def height(self) -> float:
        return statistics.median(b.height for b in self.boxes)

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2


def group_segments(boxes: Sequence[TextBox], *, gap_factor: float = 2.5) -> list[Segment]:
    """Group ``boxes`` into segments sorted top to bottom, then left to right.

    Boxes share a line when their vertical centres are within half a box height and they
    sit side by side; a line is split where the horizontal gap exceeds ``gap_factor`` line
    heights (two columns).
    """
    items = sorted((b for b in boxes if b.text.strip() and b.height > 0), key=lambda b: b.center_y)
    lines: list[list[TextBox]] = []
    for box in items:
        for line in reversed(lines[-3:]):
            h = statistics.median(b.height for b in line)
            cy = statistics.median(b.center_y for b in line)
            overlap = min(box.bottom, max(b.bottom for b in line)) - max(
                box.top, min(b.top for b in line)
            )
            if (
                abs(box.center_y - cy) < 0.5 * max(h, box.height)
                and overlap > 0.3 * min(h, box.height)
                and not any(_stacked(box, b) for b in line)
            ):
                line.append(box)
                break
        else:
            lines.append([box])
    segments: list[Segment] = []
    for line in lines:
        line.sort(key=lambda b: b.left)
        h = statistics.median(b.height for b in line)
        current = [line[0]]
        for box in line[1:]:
            if box.left - max(b.right for b in current) > gap_factor * h:
                segments.append(Segment(tuple(current)))
                current = [box]
            else:
                current.append(box)
        segments.append(Segment(tuple(current)))
    segments.sort(key=lambda s: (round(s.center_y), s.left))
    return segments


def _stacked(a: TextBox, b: TextBox) -> bool:
    """Whether ``a`` and ``b`` overlap across more than half the narrower one's width: one
    sits above the other, so they are on different printed lines (a tall stray box near
    both can otherwise pull a label and the value under it into one line)."""
    overlap = min(a.right, b.right) - max(a.left, b.left)
    return overlap > 0.5 * min(a.right - a.left, b.right - b.left)
