"""The words printed on PAN cards, written once, and fuzzy tests for finding them in OCR text."""

from __future__ import annotations

import itertools
import re
from difflib import SequenceMatcher
from enum import Enum

from ._tuning import TUNING

__all__ = [
    "CARD_WORDS",
    "FIELD_LABEL_WORDS",
    "LABEL_KEYS",
    "LABEL_WORDS",
    "Kind",
    "contains",
    "has",
    "is_header",
    "similar",
    "words",
]


class Kind(Enum):
    """What a line (segment) of the card is."""

    HEADER = "header"
    PAN_LABEL = "pan_label"
    NAME_LABEL = "name_label"
    FATHER_LABEL = "father_label"
    MOTHER_LABEL = "mother_label"
    DOB_LABEL = "dob_label"
    INCORP_LABEL = "incorp_label"
    SIGNATURE = "signature"
    VALUE = "value"


FIELD_LABELS = frozenset(
    {Kind.NAME_LABEL, Kind.FATHER_LABEL, Kind.MOTHER_LABEL, Kind.DOB_LABEL, Kind.INCORP_LABEL}
)
"""Labels with a field's value under (or after) them."""

LABEL_KEYS: tuple[tuple[Kind, tuple[str, ...], float], ...] = (
    (
        Kind.INCORP_LABEL,
        ("INCORPORATION", "FORMATION", "INCORPORATIONFORMATION"),
        TUNING.word_match,
    ),
    (Kind.DOB_LABEL, ("BIRTH", "DATEOFBIRTH", "DOB"), TUNING.word_match),
    (Kind.FATHER_LABEL, ("FATHER", "FATHERS", "FATHERSNAME"), TUNING.parent_label_match),
    (Kind.MOTHER_LABEL, ("MOTHER", "MOTHERS", "MOTHERSNAME"), TUNING.parent_label_match),
    (Kind.PAN_LABEL, ("PERMANENT", "ACCOUNT"), TUNING.word_match),
    (Kind.SIGNATURE, ("SIGNATURE",), TUNING.word_match),
)
"""(kind, key words, similarity needed) in the order they are tried; 'Name' is tried last."""

LABEL_WORDS = (
    "NAME",
    "FATHER",
    "FATHERS",
    "MOTHER",
    "MOTHERS",
    "DATE",
    "OF",
    "BIRTH",
    "INCORPORATION",
    "FORMATION",
    "PERMANENT",
    "ACCOUNT",
    "NUMBER",
    "CARD",
    "SIGNATURE",
    "S",
    "DOB",
)
"""Every English word of every label, to find where a label ends on its line."""

FIELD_LABEL_WORDS = ("NAME", "FATHER", "FATHERS", "MOTHER", "DATE", "BIRTH")
"""Words of the name and date labels: a line with one is no name."""

CARD_WORDS = ("PERMANENT", "ACCOUNT", "BIRTH", "FATHER", "FATHERS", "INCORPORATION")
"""Words only a PAN card's labels print (evidence that text is a card)."""


def similar(a: str, b: str) -> float:
    """How alike two words are (0 to 1)."""
    return SequenceMatcher(None, a, b).ratio()


def words(text: str) -> list[str]:
    """The runs of letters in ``text``, in capitals."""
    return re.findall(r"[A-Z]+", text.upper())


def has(found: list[str], targets: tuple[str, ...], threshold: float = TUNING.word_match) -> bool:
    """Whether a word of ``found`` (or two adjacent ones run together) is one of ``targets``."""
    candidates = list(found) + [a + b for a, b in itertools.pairwise(found)]
    for w in candidates:
        for t in targets:
            if len(t) <= TUNING.exact_below:
                if w == t:
                    return True
            elif abs(len(w) - len(t)) <= TUNING.length_slack and similar(w, t) >= threshold:
                return True
    return False


def contains(found: list[str], target: str, threshold: float = TUNING.word_match) -> bool:
    """Whether the letters of ``found`` contain ``target`` (fuzzily), across word breaks."""
    letters = "".join(found)
    n = len(target)
    if target in letters:
        return True
    return any(
        similar(letters[i : i + n], target) >= threshold
        for i in range(max(1, len(letters) - n + 1))
    )


def is_header(found: list[str]) -> bool:
    """Whether words read from a line are the card's header (income tax department, govt.)."""
    if any(len(w) >= 5 and similar(w, "INCOME") >= TUNING.word_match for w in found):
        return True
    if has(found, ("INCOMETAX",)):
        return True
    if has(found, ("GOVT",), TUNING.govt_match) and (
        has(found, ("INDIA",), TUNING.india_match) or "OF" in found
    ):
        return True
    return has(found, ("DEPARTMENT",)) and has(found, ("TAX",), TUNING.tax_match)
