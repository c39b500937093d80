"""Stage 5 of parsing: which card design the lines were printed on."""

from __future__ import annotations

import re

from ._classify import Lines
from ._picks import DatePick, PanPick
from ._tuning import TUNING
from ._types import HolderType, Layout
from ._vocab import FIELD_LABELS, Kind, contains, has, words

__all__ = ["decide_layout"]


def decide_layout(
    lines: Lines,
    holder: HolderType | None,
    *,
    incorporated: bool,
    labelled: bool,
    date: DatePick | None,
    pan: PanPick | None,
) -> Layout:
    """The layout the evidence points to most (current cards win ties).

    ``incorporated``: a date of incorporation label was read; ``labelled``: a name or date
    label with a value was read.
    """
    if incorporated or (holder is not None and holder != HolderType.INDIVIDUAL):
        return Layout.COMPANY
    new = lam = old = 0.0
    for s in lines.all:
        if s.kind == Kind.PAN_LABEL:
            found = words(s.text)
            if has(found, ("CARD",), TUNING.name_label_match) or contains(
                found, "NUMBERCARD", TUNING.parent_label_match
            ):
                new += 3
            elif labelled:
                lam += 2
            else:
                old += 2
        if s.kind in FIELD_LABELS:
            tail = s.text.split("/")[-1]
            if re.search(r"[a-z]{2}", tail):  # current cards print 'Name', laminated 'NAME'
                new += 1
            else:
                lam += 1
    if not labelled:
        old += 2
    if date is not None and date.candidate.separator == "-":
        lam += 3
    if date is not None and pan is not None:
        # older cards print the PAN last; the others print it above the name, centred on
        # current cards and at the left on laminated ones
        pan_seg, date_seg = pan.line.seg, date.line.seg
        if pan_seg.top > date_seg.bottom:
            old += 2
        elif pan_seg.left > TUNING.new_pan_left * lines.right:
            new += 2
        else:
            lam += 2
    scores = {Layout.NEW: new, Layout.LAMINATED: lam, Layout.OLD: old}
    return max(scores, key=lambda k: (scores[k], k == Layout.NEW))
