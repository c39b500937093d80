"""Stage 4 of parsing: the name and the parent's name, under their labels or by position."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from ._classify import Line, Lines, case_counts, label_like, name_like
from ._picks import DatePick, PanPick
from ._tuning import TUNING
from ._values import Value, label_value
from ._vocab import Kind, words

__all__ = ["Names", "find_names"]


@dataclass(frozen=True, slots=True)
class Names:
    """The name values found; ``*_guessed`` when found by position rather than under a label."""

    name: Value | None = None
    father: Value | None = None
    mother: Value | None = None
    name_guessed: bool = False
    father_guessed: bool = False
    labelled: bool = False
    """A name label with a name under it was found."""


_NAME_LABELS = (
    (Kind.FATHER_LABEL, "father"),
    (Kind.MOTHER_LABEL, "mother"),
    (Kind.NAME_LABEL, "name"),
)


def find_names(
    lines: Lines, taken: set[Line], pan: PanPick | None, date: DatePick | None, *, individual: bool
) -> Names:
    """The names under their labels; missing ones are the unlabelled lines in reading order.

    Lines used are added to ``taken``.
    """
    found: dict[str, Value] = {}
    for kind, key in _NAME_LABELS:
        label = lines.label(kind)
        if label is None:
            continue
        v = label_value(label, lines, taken, name=True)
        if v is not None:
            taken.update(v.lines)
            found[key] = v
    # a name label counts only with a name under it: garbled small print ('Signature' read
    # as 'Stanamne') can look like one
    names = Names(found.get("name"), found.get("father"), found.get("mother"), labelled=bool(found))
    if names.name is not None and not (
        individual and names.father is None and names.mother is None
    ):
        return names
    # unlabelled (older cards) or unreadable labels: names are the lines in reading order
    unlabelled = _unlabelled_lines(lines, taken, pan, date)
    if not unlabelled:
        return names
    name, name_guessed = names.name, False
    if name is None:
        name_guessed = True
        name_lines, father_lines = _split_unlabelled(unlabelled, individual)
        name = Value.of(name_lines)
    else:
        below_name = name.lines[-1].seg.center_y
        father_lines = _past_garbled_label([s for s in unlabelled if s.seg.top > below_name])
    father, father_guessed = names.father, False
    if individual and father is None and names.mother is None and father_lines:
        father, father_guessed = Value.of(father_lines), True
    return Names(name, father, names.mother, name_guessed, father_guessed, names.labelled)


def _past_garbled_label(below_name: list[Line]) -> list[Line]:
    """The lines under a labelled name that can be the father's name: a label-shaped line
    with a name-shaped one under it is his label, garbled past knowing (values are printed in
    capitals)."""
    garbled = (
        len(below_name) >= 2
        and label_like(below_name[0].text)
        and not label_like(below_name[1].text)
    )
    return below_name[1:] if garbled else below_name


def _unlabelled_lines(
    lines: Lines, taken: set[Line], pan: PanPick | None, date: DatePick | None
) -> list[Line]:
    """The lines that can be names: under the left header (and under the PAN on cards that
    print it above the date), above the date, in the left part of the card."""
    card_right = lines.right
    headers = [s for s in lines.all if s.kind == Kind.HEADER]
    # the left header ("INCOME TAX DEPARTMENT") sits above the names; on a skewed photo
    # the right one ("GOVT. OF INDIA") can reach below the first name
    left_headers = [s for s in headers if s.seg.left < TUNING.names_left * card_right] or headers
    top = max((s.seg.bottom for s in left_headers), default=-1.0)
    if date is not None and pan is not None:
        pan_y = pan.line.seg.center_y
        if pan_y < date.line.seg.top:  # current cards print the names under the PAN
            top = max(top, pan_y)
    stop = math.inf
    date_label = lines.label(Kind.DOB_LABEL) or lines.label(Kind.INCORP_LABEL)
    pan_label = lines.label(Kind.PAN_LABEL)
    if date is not None:
        stop = date.line.seg.top
    elif date_label is not None:
        stop = date_label.seg.top
    elif pan_label is not None:
        stop = pan_label.seg.top
    candidates = [
        s
        for s in lines.all
        if s.kind == Kind.VALUE
        and s not in taken
        and top < s.seg.center_y < stop
        and s.seg.left < TUNING.names_left * card_right
    ]
    plausible = [s for s in candidates if _plausible_name_line(s)]
    surnames = {_surname(s) for s in plausible} - {""}
    found = [s for s in candidates if s in plausible or _kin(s, surnames)]
    return _drop_small_print(found)


def _surname(s: Line) -> str:
    """The last word of a line of two or more words, if it is long enough to be a surname."""
    found = words(s.text)
    return found[-1] if len(found) >= 2 and len(found[-1]) >= TUNING.surname_min else ""


def _kin(s: Line, surnames: set[str]) -> bool:
    """Whether a doubtful line is a name all the same: it ends with the surname another name
    line ends with ('Meera BHAtiA' over 'VISHNU DEV BHATIA'), however mixed its case."""
    return s.seg.confidence >= TUNING.faint_line and name_like(s.text) and _surname(s) in surnames


def _plausible_name_line(s: Line) -> bool:
    """Whether an unlabelled line can be a name: read with some confidence, or at least
    shaped like a name (capitals, no digits; OCR of Hindi print is digits and lower case)."""
    if not name_like(s.text):
        return False
    if s.seg.confidence >= TUNING.sure_line:
        return True
    letters, lower = case_counts(s.text)
    return (
        s.seg.confidence >= TUNING.faint_line
        and not re.search(r"\d", s.text)
        and lower < TUNING.name_lower * letters
    )


def _drop_small_print(found: list[Line]) -> list[Line]:
    """Drop lines smaller than the sure ones: garbled labels, printed smaller than names.

    A sure line may be a little smaller (a short wrapped word can get a tighter box); a
    doubtful one may not.
    """
    sure = [s.seg.height for s in found if s.seg.confidence >= TUNING.sure_line]
    if not sure:
        return found
    reference = sorted(sure)[len(sure) // 2]
    return [
        s
        for s in found
        if s.seg.height >= TUNING.small_print * reference
        or (
            s.seg.confidence >= TUNING.sure_line
            and s.seg.height >= TUNING.sure_small_print * reference
        )
    ]


def _split_unlabelled(found: list[Line], individual: bool) -> tuple[list[Line], list[Line]]:
    """Split the unlabelled name lines of an older card into (name, father's name).

    The father's name usually ends with the holder's surname; the widest gap between lines
    is likelier between two people than inside a wrapped name; a balanced split is likelier.
    """
    if not individual or len(found) < 2:
        return found, []
    if len(found) == 2:
        return found[:1], found[1:]
    gaps = [b.seg.top - a.seg.bottom for a, b in itertools.pairwise(found)]
    uneven = len({round(g) for g in gaps}) > 1

    def score(k: int) -> float:
        nw = words(" ".join(s.text for s in found[:k]))
        fw = words(" ".join(s.text for s in found[k:]))
        points = 2.0 if nw and fw and nw[-1] == fw[-1] else 0.0
        if uneven and gaps[k - 1] >= max(gaps) - 1e-6:
            points += 1.0
        return points - 0.1 * abs(k - len(found) / 2)

    k = max(range(1, len(found)), key=score)
    return found[:k], found[k:]
