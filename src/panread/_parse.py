"""Text boxes -> :class:`PanCard`: pure layout heuristics, no pixels, no model.

The parser runs in stages, each a function with its own small result:

1. classify lines (:mod:`._classify`): headers, labels ("Name", "Father's Name", "Date of
   Birth", "Date of Incorporation/Formation", "Permanent Account Number") and values;
2. pick the PAN and 3. the date (:mod:`._picks`);
4. find the names (:mod:`._names`): under their labels, else the unlabelled lines of the
   older cards in reading order (name, father's name, date of birth);
5. decide the layout (:mod:`._layout`);
6. build the fields (:mod:`._fields`): clean values, corrections, confidences, warnings.

Every threshold is in :mod:`._tuning`, every card word in :mod:`._vocab`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ._classify import Line, Lines, classify_lines
from ._dates import find_dates
from ._engine import TextBox
from ._exceptions import NoCardFoundError
from ._fields import date_field, name_field, pan_field, split_shared_surname
from ._layout import decide_layout
from ._names import Names, find_names
from ._pan_candidates import find_pan_candidates
from ._picks import DatePick, PanPick, pick_date, pick_pan
from ._tuning import TUNING
from ._types import HolderType, Layout, PanCard
from ._vocab import CARD_WORDS, Kind, has, is_header, words
from .pan import holder_type_of

__all__ = ["card_evidence", "parse_text_boxes"]


@dataclass(frozen=True, slots=True)
class Holder:
    """Who the card is for: the type named by the PAN, and whether to read an individual's
    card (a father's name, a date of birth)."""

    type: HolderType | None
    individual: bool
    incorporated: bool
    """The card prints a date of incorporation/formation label."""


def _holder(lines: Lines, pan: PanPick | None) -> Holder:
    kind = holder_type_of(pan.candidate.value) if pan else None
    incorporated = lines.label(Kind.INCORP_LABEL) is not None
    individual = kind == HolderType.INDIVIDUAL if kind is not None else not incorporated
    return Holder(kind, individual, incorporated)


def parse_text_boxes(boxes: Sequence[TextBox], *, today: dt.date | None = None) -> PanCard:
    """Read the fields of a PAN card from OCR text boxes in upright card coordinates.

    Raises :class:`NoCardFoundError` when nothing in the boxes looks like a PAN card.
    """
    today = today or dt.date.today()
    lines = classify_lines(boxes)
    pan = pick_pan(lines)
    if pan is None and lines.card_words == 0:
        raise NoCardFoundError(
            "No PAN card found in the image: no PAN number or card text could be read."
        )
    taken: set[Line] = set() if pan is None else {pan.line}
    holder = _holder(lines, pan)
    date = pick_date(lines, taken)
    if date is not None:
        taken.add(date.line)
    names = find_names(lines, taken, pan, date, individual=holder.individual)
    layout = decide_layout(
        lines,
        holder.type,
        incorporated=holder.incorporated,
        labelled=names.labelled or lines.label(Kind.DOB_LABEL) is not None,
        date=date,
        pan=pan,
    )
    return _build(names, pan, date, holder, layout, today)


def _build(
    names: Names,
    pan: PanPick | None,
    date: DatePick | None,
    holder: Holder,
    layout: Layout,
    today: dt.date,
) -> PanCard:
    """Stage 6: the fields, their confidences and every warning, as a card."""
    warnings: list[str] = []
    individual = holder.individual
    if pan is not None and holder.type is None:
        warnings.append(f"PAN 4th letter '{pan.candidate.value[3]}' names no known holder type.")
    name = name_field(
        names.name,
        individual=individual,
        guessed=names.name_guessed,
        what="name",
        warnings=warnings,
    )
    father = mother = None
    if individual:
        father = name_field(
            names.father,
            individual=True,
            guessed=names.father_guessed,
            what="father's name",
            warnings=warnings,
        )
        mother = name_field(
            names.mother, individual=True, guessed=False, what="mother's name", warnings=warnings
        )
        if name is not None:
            name = split_shared_surname(name, father or mother, "name", warnings)
            father = split_shared_surname(father, name, "father's name", warnings)
            mother = split_shared_surname(mother, name, "mother's name", warnings)
    if pan is not None:
        pan_f = pan_field(pan, name, individual=individual, warnings=warnings)
    else:
        pan_f = None
        warnings.append("No PAN number could be read.")
    dob = (
        None
        if date is None
        else date_field(date, individual=individual, today=today, warnings=warnings)
    )
    return PanCard(
        pan=pan_f,
        name=name,
        father_name=father,
        mother_name=mother,
        dob=dob,
        layout=layout,
        holder_type=holder.type,
        warnings=tuple(warnings),
    )


def card_evidence(boxes: Sequence[TextBox]) -> float:
    """How much ``boxes`` read like a PAN card's (used to choose an orientation and a crop).

    Card words, dates and PANs count; a PAN whose 4th letter names no holder type counts
    little, and text the recogniser was barely sure of counts half.
    """
    score = 0.0
    for box in boxes:
        t = box.text
        found = words(t)
        points = 0.0
        if is_header(found):
            points += 2
        if has(found, CARD_WORDS):
            points += 2
        if has(found, ("NAME",), TUNING.name_label_match):
            points += 1
        if len(re.sub(r"\s+", "", t)) <= TUNING.pan_max_chars:
            for c in find_pan_candidates(t)[:1]:
                points += 4 - len(c.corrections) if holder_type_of(c.value) else 1
        if find_dates(t):
            points += 2
        score += points if box.confidence >= TUNING.evidence_sure else points / 2
    return score
