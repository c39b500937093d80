"""What is printed on a synthetic PAN card: a validated spec and a seeded random generator."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from panread import pan as pan_facts
from panread.testing import _names

LAYOUTS: tuple[str, ...] = ("new", "old", "laminated", "company")

HOLDER_TYPES: dict[str, str] = {
    letter: kind.value for letter, kind in pan_facts.HOLDER_TYPES.items()
}
"""The holder type (its JSON name) named by a PAN's 4th letter."""

_NAME_RE = re.compile(r"[A-Z0-9][A-Z0-9 .&'()-]*")
# Letters the company layout may carry in PAN position 4 (everything but individuals).
_ORG_LETTERS = "CFTHABLJG"
# How often each non-individual kind appears on company-layout cards.
_ORG_WEIGHTS = (40, 20, 12, 10, 6, 3, 3, 3, 3)


class CardSpecError(ValueError):
    """A CardSpec was built with a value no real PAN card could carry."""


@dataclass(frozen=True)
class CardSpec:
    """Everything printed on one synthetic PAN card.

    ``dob`` is the date of birth (individuals) or of incorporation/formation (others).
    ``father_name`` is None on company cards, and on new cards that print the mother's
    name instead. ``holder_type`` is derived from the 4th letter of the PAN.
    """

    layout: str
    pan: str
    name: str
    dob: dt.date
    father_name: str | None = None
    mother_name: str | None = None

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise CardSpecError(f"layout {self.layout!r} is not one of {', '.join(LAYOUTS)}")
        if not isinstance(self.pan, str) or not pan_facts.is_pan(self.pan):
            raise CardSpecError(f"pan {self.pan!r} does not match AAAAA9999A")
        if self.pan[3] not in HOLDER_TYPES:
            raise CardSpecError(
                f"pan {self.pan!r}: 4th letter {self.pan[3]!r} is no holder type "
                f"({''.join(HOLDER_TYPES)})"
            )
        for field in ("name", "father_name", "mother_name"):
            value = getattr(self, field)
            if value is None and field != "name":
                continue
            if not isinstance(value, str) or not _NAME_RE.fullmatch(value) or "  " in value:
                raise CardSpecError(
                    f"{field} {value!r} must be upper-case letters, digits, single spaces "
                    "and . & ' ( ) -"
                )
        if not isinstance(self.dob, dt.date) or isinstance(self.dob, dt.datetime):
            raise CardSpecError(f"dob {self.dob!r} must be a datetime.date")
        if not dt.date(1900, 1, 1) <= self.dob <= dt.date(2026, 1, 1):
            raise CardSpecError(f"dob {self.dob.isoformat()} is outside 1900-01-01..2026-01-01")
        individual = self.pan[3] == "P"
        if self.layout == "company":
            if individual:
                raise CardSpecError("a company-layout card needs a non-individual PAN (4th != P)")
            if self.father_name is not None or self.mother_name is not None:
                raise CardSpecError("a company-layout card has no father's or mother's name")
        else:
            if not individual:
                raise CardSpecError(
                    f"layout {self.layout!r} is for individuals: PAN 4th letter must be P"
                )
            if self.father_name is None and self.mother_name is None:
                raise CardSpecError("an individual's card needs a father's or mother's name")
            if self.layout != "new" and self.mother_name is not None:
                raise CardSpecError(f"layout {self.layout!r} cards never print a mother's name")
            if self.father_name is not None and self.mother_name is not None:
                raise CardSpecError("a card prints either the father's or the mother's name")

    @property
    def holder_type(self) -> str:
        """The holder type named by the PAN's 4th letter, e.g. ``"individual"``."""
        return HOLDER_TYPES[self.pan[3]]

    def expected(self) -> dict[str, Any]:
        """The values ``PanCard.to_dict()`` must give for this card."""
        return {
            "pan": self.pan,
            "name": self.name,
            "father_name": self.father_name,
            "mother_name": self.mother_name,
            "dob": self.dob.isoformat(),
            "layout": self.layout,
            "holder_type": self.holder_type,
        }


def _given_name(rng: random.Random, *, female: bool, long: bool = False) -> str:
    """Given name(s), sometimes with a middle name, or a long south Indian run of names."""
    if long:
        return rng.choice(_names.LONG_GIVEN)
    first = rng.choice(_names.FEMALE_FIRST if female else _names.MALE_FIRST)
    if rng.random() < 0.35:
        middle = rng.choice(_names.MIDDLE_FEMALE if female else _names.MIDDLE_MALE)
        return f"{first} {middle}"
    return first


_INITIALS = "ABCDGHJKLMNPRSTVY"
"""Letters real cards print as initials (no I or O: they read as digits anyway)."""


def _initials(rng: random.Random) -> str:
    return " ".join(rng.choice(_INITIALS) for _ in range(rng.choice((1, 1, 2))))


def _person(rng: random.Random, surname: str, *, female: bool, long: bool) -> tuple[str, str]:
    """A person's name as cards print it, and the word that is their family name.

    Most print given name(s) then surname; others initials before a name ('K RAMESH',
    'A K DAS') or after it ('KIRAN B M'), one word ('RAMPRAKASH'), or the surname first
    ('PATEL NIRAV DINESHBHAI'), the way real cards do.
    """
    given = _given_name(rng, female=female, long=long)
    style = rng.random()
    if long or style >= 0.34:
        return f"{given} {surname}", surname
    first = given.split()[0]
    if style < 0.12:
        last = rng.choice((first, surname))
        return f"{_initials(rng)} {last}", last
    if style < 0.2:
        return f"{first} {_initials(rng)}", first
    if style < 0.27:
        single = first + rng.choice(_names.MIDDLE_FEMALE if female else _names.MIDDLE_MALE)
        return (single if rng.random() < 0.5 else first), first
    father_given = rng.choice(_names.MALE_FIRST)
    return f"{surname} {first} {father_given}{'BHAI' if rng.random() < 0.5 else ''}", surname


def _org_name(rng: random.Random, letter: str) -> str:
    if letter == "H":
        first = rng.choice(_names.MALE_FIRST)
        return f"{first} {rng.choice(_names.SURNAMES)} HUF"
    suffix = rng.choice(_names.ORG_SUFFIXES[letter])
    if letter in "LGJ":
        place = rng.choice(_names.PLACES)
        return f"{suffix} {place}" if suffix.startswith("OFFICE OF") else f"{place} {suffix}"
    words = [rng.choice(_names.ORG_WORDS)]
    if rng.random() < 0.5:
        words.append(rng.choice(_names.ORG_WORDS))
    if letter in "CF":
        words.append(rng.choice(_names.ORG_TRADES))
    name = " ".join(dict.fromkeys(words))
    return f"{name} {suffix}"


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _pan(rng: random.Random, letter: str, initial: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    head = "".join(rng.choice(letters) for _ in range(3))
    fifth = initial if rng.random() < 0.9 else rng.choice(letters)
    digits = f"{rng.randrange(1, 10000):04d}"
    return f"{head}{letter}{fifth}{digits}{rng.choice(letters)}"


def random_card_spec(rng: random.Random, layout: str | None = None) -> CardSpec:
    """A realistic random card of ``layout`` (any layout when None), drawn from ``rng``."""
    if layout is None:
        layout = rng.choice(LAYOUTS)
    if layout not in LAYOUTS:
        raise CardSpecError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    if layout == "company":
        letter = rng.choices(_ORG_LETTERS, weights=_ORG_WEIGHTS)[0]
        name = _org_name(rng, letter)
        incorporated = _random_date(rng, dt.date(1950, 1, 1), dt.date(2024, 12, 31))
        return CardSpec(layout, _pan(rng, letter, name[0]), name, incorporated)
    long = layout in ("old", "laminated") and rng.random() < 0.25
    surname = rng.choice(_names.SURNAMES)
    female = rng.random() < 0.4
    name, family = _person(rng, surname, female=female, long=long and not female)
    father, _ = _person(rng, surname, female=False, long=long and rng.random() < 0.5)
    # Cards carry the birth year of their era: laminated cards were issued in the 1990s.
    latest = dt.date(1985, 12, 31) if layout == "laminated" else dt.date(2006, 12, 31)
    dob = _random_date(rng, dt.date(1940, 1, 1), latest)
    pan = _pan(rng, "P", family[0])
    if layout == "new" and rng.random() < 0.1:
        mother, _ = _person(rng, surname, female=True, long=False)
        return CardSpec(layout, pan, name, dob, father_name=None, mother_name=mother)
    return CardSpec(layout, pan, name, dob, father_name=father)
