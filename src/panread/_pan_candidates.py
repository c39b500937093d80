"""PANs in OCR text: every 10-character run that reads as a PAN after positional corrections.

The PAN's shape and holder types are in :mod:`panread.pan`; this module knows what the
recogniser misreads and how to correct it by position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .pan import LETTER_POSITIONS, PAN_LENGTH

__all__ = ["Alternatives", "PanCandidate", "PanReading", "find_pan_candidates", "vote_pan"]

# What OCR reads instead of a letter where a letter must be, and vice versa.
_TO_LETTER = {
    "0": "O",
    "1": "I",
    "2": "Z",
    "5": "S",
    "8": "B",
    "6": "G",
    "4": "A",
    "7": "T",
    "3": "B",
    "9": "P",
    "|": "I",
    "$": "S",
}
_TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "C": "0",
    "I": "1",
    "L": "1",
    "J": "1",
    "T": "7",
    "|": "1",
    "!": "1",
    "Z": "2",
    "S": "5",
    "$": "5",
    "B": "8",
    "G": "6",
    "A": "4",
    "E": "3",
    "Y": "4",
    "H": "4",
    "P": "9",
}


@dataclass(frozen=True, slots=True)
class PanCandidate:
    """A PAN that some OCR text can be read as, and what it took."""

    value: str
    raw: str
    corrections: tuple[str, ...]
    start: int
    doubts: tuple[str, ...] = ()
    """Characters kept as read although the recogniser gave a valid rival a fair chance."""


Alternatives = tuple[tuple[str, float], ...]


def _valid(ch: str, want_letter: bool) -> bool:
    return ("A" <= ch <= "Z") if want_letter else ("0" <= ch <= "9")


def _capital(ch: str) -> str:
    """The capital a read character stands for: a lower-case 'l' is drawn like an 'I'."""
    return "I" if ch == "l" else ch.upper()


def _guesses(alts: Alternatives, want_letter: bool) -> dict[str, float]:
    """The recogniser's guesses of the kind a position needs, summed per capital."""
    votes: dict[str, float] = {}
    for alt, prob in alts:
        capital = _capital(alt)
        if _valid(capital, want_letter):
            votes[capital] = votes.get(capital, 0.0) + prob
    return votes


_RIVAL = 0.001
"""The least probability at which the recogniser's own next guess beats the lookalike table."""


def _fix(ch: str, alts: Alternatives, want_letter: bool) -> str | None:
    """The best letter/digit for ``ch``: the recogniser's likeliest other guess, else a lookalike.

    Even an unlikely guess of the right kind beats the table: a '7' the recogniser reads as
    'Z' has '7' among its guesses, while the table would say '2'. Guesses that stand for the
    same capital add up ('l' and 'I' both for 'I').
    """
    votes = _guesses(alts, want_letter)
    if votes:
        best = max(votes, key=lambda c: votes[c])
        if votes[best] >= _RIVAL:
            return best
    return (_TO_LETTER if want_letter else _TO_DIGIT).get(ch)


_DOUBT = 0.15
"""A rival guess at least this likely makes a character doubtful."""


def _doubt(i: int, ch: str, alts: Alternatives, want_letter: bool) -> str | None:
    for alt, prob in alts:
        alt = _capital(alt)
        if alt != ch and prob >= _DOUBT and _valid(alt, want_letter):
            return f"position {i + 1}: '{ch}' or '{alt}'"
    return None


def _correct(
    window: list[tuple[str, Alternatives]],
) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    out = []
    corrections = []
    doubts = []
    for i, (ch, alts) in enumerate(window):
        want_letter = i in LETTER_POSITIONS
        if _valid(ch, want_letter):
            out.append(ch)
            doubt = _doubt(i, ch, alts, want_letter)
            if doubt is not None:
                doubts.append(doubt)
            continue
        fixed = _fix(ch, alts, want_letter)
        if fixed is None:
            return None
        out.append(fixed)
        kind = "letter" if want_letter else "digit"
        corrections.append(f"position {i + 1}: '{ch}' read as {kind} '{fixed}'")
    return "".join(out), tuple(corrections), tuple(doubts)


_SKIP = frozenset(" \t.,:;_-'\"`")


def _chars(text: str, alternatives: tuple[Alternatives, ...]) -> list[tuple[str, Alternatives]]:
    """The capitals of ``text`` with their guesses (none if ``alternatives`` do not match it),
    spaces and punctuation left out."""
    alts = alternatives if len(alternatives) == len(text) else tuple(() for _ in text)
    return [(_capital(c), a) for c, a in zip(text, alts, strict=True) if c not in _SKIP]


def find_pan_candidates(
    text: str,
    alternatives: tuple[Alternatives, ...] = (),
    *,
    max_corrections: int = 3,
) -> list[PanCandidate]:
    """Every way a 10-character run of ``text`` (spaces ignored) reads as a PAN.

    ``alternatives`` (optional, one per character of ``text``) are the recogniser's other
    guesses, preferred over fixed lookalike tables. Sorted best first: fewest corrections,
    then leftmost.
    """
    chars = _chars(text, alternatives)
    found: list[PanCandidate] = []
    for start in range(len(chars) - PAN_LENGTH + 1):
        window = chars[start : start + PAN_LENGTH]
        fixed = _correct(window)
        if fixed is None:
            continue
        value, corrections, doubts = fixed
        if len(corrections) <= max_corrections:
            raw = "".join(c for c, _ in window)
            found.append(PanCandidate(value, raw, corrections, start, doubts))
    found.sort(key=lambda c: (len(c.corrections), c.start))
    return found


@dataclass(frozen=True, slots=True)
class PanReading:
    """One reading of a PAN line: its text, per-character guesses and how much it counts."""

    text: str
    alternatives: tuple[Alternatives, ...]
    confidence: float
    weight: float = 1.0


def _chances(reading: PanReading) -> tuple[str, list[dict[str, float]]] | None:
    """The PAN ``reading`` reads as and, per position, what each character may be and how
    likely; None if it reads as no PAN."""
    found = find_pan_candidates(reading.text, reading.alternatives, max_corrections=4)
    if not found:
        return None
    best = found[0]
    window = _chars(reading.text, reading.alternatives)[best.start : best.start + PAN_LENGTH]
    out = []
    for i, (ch, (_, guesses)) in enumerate(zip(best.value, window, strict=True)):
        chances = _guesses(guesses, i in LETTER_POSITIONS)
        out.append(chances or {ch: reading.confidence})
    return best.value, out


def _winner(total: dict[str, float], own: dict[str, float]) -> str:
    """The likeliest character of ``total``; the first reading's own wins a tie."""
    mine = max(own, key=lambda c: own[c])
    return max(total, key=lambda c: (total[c], c == mine))


def vote_pan(readings: Sequence[PanReading]) -> tuple[str, tuple[Alternatives, ...]] | None:
    """The PAN several readings of one line agree on, character by character, where it is
    not the first reading's.

    Each reading that reads as a PAN adds its guesses at every position, times its weight;
    the likeliest character wins a position, and the first reading's character wins a tie.
    Returns the PAN and each position's shares of the votes (best first), or None if the
    first reading reads as no PAN or the vote leaves its PAN as it is.
    """
    if not readings or (first := _chances(readings[0])) is None:
        return None
    first_value, mine = first
    tallies = [(mine, readings[0].weight)]
    tallies += [(c[1], r.weight) for r in readings[1:] if (c := _chances(r)) is not None]
    totals: list[dict[str, float]] = [{} for _ in range(PAN_LENGTH)]
    for chances, weight in tallies:
        for total, position in zip(totals, chances, strict=True):
            for ch, prob in position.items():
                total[ch] = total.get(ch, 0.0) + weight * prob
    value = "".join(_winner(t, own) for t, own in zip(totals, mine, strict=True))
    if value == first_value:
        return None
    shares = tuple(
        tuple((c, v / sum(t.values())) for c, v in sorted(t.items(), key=lambda kv: -kv[1])[:3])
        for t in totals
    )
    return value, shares
