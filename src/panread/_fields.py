"""Stage 6 of parsing: the values found, cleaned and given confidences, as fields."""

from __future__ import annotations

import datetime as dt
import math
import re

from ._picks import DatePick, PanPick
from ._tuning import TUNING
from ._types import Field
from ._values import Value, strip_label_tail

__all__ = ["date_field", "name_field", "ocr_confidence", "pan_field", "split_shared_surname"]


def ocr_confidence(ocr: float) -> float:
    """Map EasyOCR's per-line confidence (harsh on long lines) to a field confidence."""
    return math.sqrt(max(0.0, min(1.0, ocr)))


def _clamp(c: float) -> float:
    return round(max(0.0, min(1.0, c)), 4)


def _capitalised(what: str) -> str:
    return what[0].upper() + what[1:]


_NAME_DIGIT_FIX = str.maketrans(
    {"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z", "|": "I", "$": "S"}
)
"""Characters the recogniser reads for letters of a name (a '$' is an 'S' drawn boldly)."""


def _clean_name(text: str, *, individual: bool) -> tuple[str, tuple[str, ...]]:
    """A name as printed (capitals, single spaces) and the corrections it took."""
    up = text.upper()
    corrections: list[str] = []
    if individual and re.search(r"[0-9|$]", up):
        fixed = up.translate(_NAME_DIGIT_FIX)
        corrections.append(f"'{up.strip()}' read as '{fixed.strip()}'")
        up = fixed
    up = re.sub(r"[^A-Z0-9 .&'()\-]", " ", up)
    up = re.sub(r"(?<![A-Z])'|'(?![A-Z])", "", up)  # keep D'SOUZA, drop stray quotes
    up = re.sub(r"\s+", " ", up).strip(" .-'&")
    # a "/ Name" label merged onto the value's line leaves a trailing NAME no real name has
    # (its Hindi half, read as a stray 1-2 letter word, goes with it)
    up = re.sub(r"(?<=\S)(?: \S{1,2})? NAME$", "", up)
    # OCR often reads the dot of an initial as a comma or drops the space after it
    up = re.sub(r"\b([A-Z])\.(?=[A-Z]{2})", r"\1. ", up)
    return up, tuple(corrections)


def name_field(
    v: Value | None, *, individual: bool, guessed: bool, what: str, warnings: list[str]
) -> Field[str] | None:
    """The name ``v`` cleaned, or None if fewer than two letters remain."""
    if v is None:
        return None
    value, corrections = _clean_name(strip_label_tail(v.text), individual=individual)
    if len(re.sub(r"[^A-Z]", "", value)) < 2:
        return None
    c = ocr_confidence(v.confidence) * (TUNING.correction_factor ** len(corrections))
    c *= TUNING.unclear_factor**v.unclear
    if guessed:
        c *= TUNING.guessed_factor
    for corr in corrections:
        warnings.append(f"{_capitalised(what)} corrected: {corr}.")
    return Field(value, _clamp(c), v.text, corrections)


def split_shared_surname(
    f: Field[str] | None, other: Field[str] | None, what: str, warnings: list[str]
) -> Field[str] | None:
    """Split a surname the recogniser ran into the word before it ('GURPREETARORA').

    Family members usually share a surname, so a word of ``f`` that ends with the other
    name's last word (4+ letters) with at least 3 letters before it is two words. Shorter
    surnames are left alone: GOPAL does not end in the surname PAL.
    """
    if f is None or other is None:
        return f
    surname = other.value.split()[-1]
    if len(surname) < TUNING.surname_min or not surname.isalpha():
        return f
    found = f.value.split()
    fixed = [
        f"{w[: -len(surname)]} {surname}"
        if w.endswith(surname) and len(w) >= len(surname) + 3
        else w
        for w in found
    ]
    if fixed == found:
        return f
    value = " ".join(fixed)
    correction = f"'{f.value}' split as '{value}'"
    warnings.append(f"{_capitalised(what)} corrected: {correction}.")
    return Field(
        value,
        _clamp(f.confidence * TUNING.surname_split_factor),
        f.raw,
        (*f.corrections, correction),
    )


def _family_initials(name: str, individual: bool) -> str:
    """The letters the PAN's 5th letter may be: an individual's family name is printed last
    or first ('PATEL NIRAV'), an organisation's name starts with its initial."""
    found: list[str] = re.findall(r"[A-Z]+", name)
    if not found:
        return ""
    return found[-1][0] + found[0][0] if individual else found[0][0]


def pan_field(
    pick: PanPick, name: Field[str] | None, *, individual: bool, warnings: list[str]
) -> Field[str]:
    """The PAN, less sure for every correction and unclear character, and more or less sure
    as its 5th letter is or is not the surname's (a company's name's) initial."""
    cand = pick.candidate
    c = ocr_confidence(pick.line.seg.confidence) * (
        TUNING.correction_factor ** len(cand.corrections)
    )
    for corr in cand.corrections:
        warnings.append(f"PAN corrected at {corr}.")
    for doubt in cand.doubts:
        c *= TUNING.doubt_factor
        warnings.append(f"PAN character unclear at {doubt}.")
    initials = _family_initials(name.value, individual) if name else ""
    if initials:
        if cand.value[4] in initials:
            c = min(1.0, c + TUNING.initial_bonus)
        else:
            c *= TUNING.initial_mismatch_factor
            who = "surname" if individual else "name"
            warnings.append(
                f"PAN 5th letter '{cand.value[4]}' differs from the {who} initial '{initials[0]}'."
            )
    return Field(cand.value, _clamp(c), cand.raw, cand.corrections)


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def date_field(
    pick: DatePick, *, individual: bool, today: dt.date, warnings: list[str]
) -> Field[dt.date] | None:
    """The date, unless it is in the future or (a birth) too long ago."""
    cand = pick.candidate
    what = "date of birth" if individual else "date of incorporation/formation"
    value = cand.value
    if value > today:
        warnings.append(f"Rejected {what} {value.isoformat()}: it is in the future.")
        return None
    if individual and value < _years_before(today, TUNING.max_age_years):
        warnings.append(
            f"Rejected {what} {value.isoformat()}: more than {TUNING.max_age_years} years ago."
        )
        return None
    c = ocr_confidence(pick.line.seg.confidence) * (
        TUNING.correction_factor ** len(cand.corrections)
    )
    for corr in cand.corrections:
        warnings.append(f"Date corrected: {corr}.")
    return Field(value, _clamp(c), cand.raw, cand.corrections)
