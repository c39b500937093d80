"""Dates as printed on PAN cards (day first), found in OCR text and parsed with dateutil."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

__all__ = ["DateCandidate", "find_dates"]

_TO_DIGIT = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "i": "1",
        "|": "1",
        "L": "1",
        "J": "1",
        "Z": "2",
        "z": "2",
        "S": "5",
        "s": "5",
        "B": "8",
        "G": "6",
        "b": "6",
        "T": "7",
        "A": "4",
        "g": "9",
        "q": "9",
    }
)
_SEP = r"\s*[/\-.,|\\]\s*"
_DATE_RE = re.compile(rf"(?<![0-9])([0-9]{{1,2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{4}})(?![0-9])")
_LOOSE_RE = re.compile(r"(?<![0-9A-Za-z])[0-9OoDQIlLiJ|ZzSsBG/\-.,\\ ]{8,14}(?![0-9A-Za-z])")
_TOKEN_RE = re.compile(
    r"[0-9A-Za-z|]{1,2}\s*[/\-.,|\\]\s*[0-9A-Za-z|]{1,2}\s*[/\-.,|\\]\s*[0-9A-Za-z|]{4}"
)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date found in some text, with the text it came from and what was corrected."""

    value: dt.date
    raw: str
    separator: str
    corrections: tuple[str, ...]


def _parse(day: str, month: str, year: str) -> dt.date | None:
    try:
        parsed = date_parser.parse(f"{day}/{month}/{year}", dayfirst=True, yearfirst=False)
    except (ValueError, OverflowError):
        return None
    if parsed.day != int(day) or parsed.month != int(month):
        return None  # dateutil swapped day and month to make it valid: not as printed
    result: dt.date = parsed.date()
    return result


def _separator_drops(digits: str) -> list[str]:
    """DDMMYYYY readings of a digit run where separators may have been read as digits."""
    if len(digits) == 8:
        return [digits]
    if len(digits) == 9:  # one separator read as a digit ("21/05/1992" -> "210511992")
        return [digits[:2] + digits[3:], digits[:4] + digits[5:]]
    if len(digits) == 10:
        return [digits[:2] + digits[3:5] + digits[6:]]
    return []


def _readings(digits: str) -> list[str]:
    """DDMMYYYY readings of a digit run, then of it without a stray mark read as a digit at
    either end ("14/03/1987" after a speck: "714/0311987"), in this century or the last."""
    trimmed = _separator_drops(digits[1:]) + _separator_drops(digits[:-1])
    return _separator_drops(digits) + [d for d in trimmed if d[4:6] in ("19", "20")]


def _sep_of(raw: str) -> str:
    m = re.search(r"[/\-.]", raw)
    return m.group(0) if m else ""


def find_dates(text: str) -> list[DateCandidate]:
    """Every day-first date in ``text``; clean matches first, then OCR-corrected ones."""
    found: list[DateCandidate] = []
    for m in _DATE_RE.finditer(text):
        d = _parse(*m.groups())
        if d is not None:
            found.append(DateCandidate(d, m.group(0), _sep_of(m.group(0)), ()))
    if found:
        return found
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        fixed = raw.translate(_TO_DIGIT)
        if fixed == raw:
            continue
        m2 = _DATE_RE.search(fixed)
        if m2 is None:
            continue
        d = _parse(*m2.groups())
        if d is not None:
            found.append(DateCandidate(d, raw, _sep_of(raw), (f"'{raw}' read as '{m2.group(0)}'",)))
    if found:
        return found
    for m in _LOOSE_RE.finditer(text):
        raw = m.group(0).strip()
        digits = re.sub(r"[^0-9]", "", raw.translate(_TO_DIGIT))
        for dd in _readings(digits):
            d = _parse(dd[:2], dd[2:4], dd[4:])
            if d is not None:
                fixed = f"{dd[:2]}/{dd[2:4]}/{dd[4:]}"
                found.append(DateCandidate(d, raw, _sep_of(raw), (f"'{raw}' read as '{fixed}'",)))
                break
    return found
