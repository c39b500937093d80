"""Text boxes -> :class:`PanCard`: pure layout heuristics, no pixels, no model.

The parser works on segments (pieces of printed lines, see :mod:`._lines`): it classifies each
as a header, a label ("Name", "Father's Name", "Date of Birth", "Date of
Incorporation/Formation", "Permanent Account Number") or a value, reads the values under (or
beside) their labels, and falls back to the unlabelled order of the older cards (name,
father's name, date of birth) when there are no labels.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum

from ._dates import DateCandidate, find_dates
from ._engine import TextBox
from ._exceptions import NoCardFoundError
from ._lines import Segment, group_segments
from ._pan_candidates import Alternatives, PanCandidate, find_pan_candidates
from ._types import Field, HolderType, Layout, PanCard
from .pan import holder_type_of

__all__ = ["card_evidence", "parse_text_boxes"]

MAX_AGE_YEARS = 120


class Kind(Enum):
    HEADER = "header"
    PAN_LABEL = "pan_label"
    NAME_LABEL = "name_label"
    FATHER_LABEL = "father_label"
    MOTHER_LABEL = "mother_label"
    DOB_LABEL = "dob_label"
    INCORP_LABEL = "incorp_label"
    SIGNATURE = "signature"
    VALUE = "value"


_LABELS = {
    Kind.NAME_LABEL,
    Kind.FATHER_LABEL,
    Kind.MOTHER_LABEL,
    Kind.DOB_LABEL,
    Kind.INCORP_LABEL,
}


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Z]+", text.upper())


def _has(words: list[str], targets: tuple[str, ...], threshold: float = 0.8) -> bool:
    candidates = list(words) + [a + b for a, b in itertools.pairwise(words)]
    for w in candidates:
        for t in targets:
            if len(t) <= 3:  # too short to match fuzzily: 'OB' is not 'DOB'
                if w == t:
                    return True
            elif abs(len(w) - len(t)) <= 3 and _similar(w, t) >= threshold:
                return True
    return False


@dataclass
class _Seg:
    seg: Segment
    kind: Kind
    inline: str  # text after a label keyword on the same segment ("" if none)
    mixed_case: bool
    slash: bool

    @property
    def text(self) -> str:
        return self.seg.text


# (kind, key words, similarity needed; 0.05 more inside run-together text). Parent labels
# need a closer match: at 0.8 a firm's "BROTHERS" would pass for "MOTHERS".
_LABEL_KEYS: tuple[tuple[Kind, tuple[str, ...], float], ...] = (
    (Kind.INCORP_LABEL, ("INCORPORATION", "FORMATION", "INCORPORATIONFORMATION"), 0.8),
    (Kind.DOB_LABEL, ("BIRTH", "DATEOFBIRTH", "DOB"), 0.8),
    (Kind.FATHER_LABEL, ("FATHER", "FATHERS", "FATHERSNAME"), 0.85),
    (Kind.MOTHER_LABEL, ("MOTHER", "MOTHERS", "MOTHERSNAME"), 0.85),
    (Kind.PAN_LABEL, ("PERMANENT", "ACCOUNT"), 0.8),
    (Kind.SIGNATURE, ("SIGNATURE",), 0.8),
)
_LABEL_WORDS = (
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


def _contains(words: list[str], target: str, threshold: float = 0.8) -> bool:
    """Whether the letters of ``words`` contain ``target`` (fuzzily), across word breaks."""
    letters = "".join(words)
    n = len(target)
    if target in letters:
        return True
    for i in range(max(1, len(letters) - n + 1)):
        if _similar(letters[i : i + n], target) >= threshold:
            return True
    return False


def _is_header(words: list[str]) -> bool:
    if any(len(w) >= 5 and _similar(w, "INCOME") >= 0.8 for w in words):
        return True
    if _has(words, ("INCOMETAX",)):
        return True
    if _has(words, ("GOVT",), 0.75) and (_has(words, ("INDIA",), 0.6) or "OF" in words):
        return True
    return _has(words, ("DEPARTMENT",)) and _has(words, ("TAX",), 0.99)


def _reads_as_pan(text: str) -> bool:
    """Whether ``text`` is little more than a PAN (so never a label, whatever it resembles)."""
    compact = re.sub(r"[^A-Za-z0-9]", "", text)
    return 10 <= len(compact) <= 12 and bool(find_pan_candidates(text, max_corrections=3))


def _inline_after_label(text: str) -> str:
    """The part of a label segment after its last label word (e.g. '/NAME: RAVI' -> 'RAVI')."""
    tokens = text.split()
    last = -1
    for i, tok in enumerate(tokens):
        for w in _words(tok):
            if any(_similar(w, lw) >= 0.8 for lw in _LABEL_WORDS if abs(len(w) - len(lw)) <= 2):
                last = i
    rest = " ".join(tokens[last + 1 :]) if last >= 0 else ""
    return rest.strip(" /:-|.")


def _classify(seg: Segment) -> _Seg:
    text = seg.text
    words = _words(text)
    mixed = bool(re.search(r"[a-z]", text))
    slash = "/" in text
    kind = Kind.VALUE
    if _reads_as_pan(text):
        pass
    elif _is_header(words):
        kind = Kind.HEADER
    else:
        for k, keys, threshold in _LABEL_KEYS:
            if _has(words, keys, threshold) or any(
                len(key) >= 7 and _contains(words, key, threshold + 0.05) for key in keys
            ):
                kind = k
                break
        else:
            long_words = [w for w in words if len(w) > 2]
            # a label glued to junk ('TAINAME'); SUBRAMANIAM's 'NIAM' is no NAME: it needs the E
            tails = [w[-4:] for w in words if len(w) >= 4 and w.endswith("E")]
            if len(long_words) <= 3 and (
                _has(words, ("NAME",), 0.75) or any(_similar(t, "NAME") >= 0.75 for t in tails)
            ):
                kind = Kind.NAME_LABEL
    inline = _inline_after_label(text) if kind in _LABELS or kind == Kind.PAN_LABEL else ""
    return _Seg(seg, kind, inline, mixed, slash)


def _name_like(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    letters = [c for c in chars if c.isalpha() and c.isascii()]
    return len(letters) >= 2 and len(letters) >= 0.7 * len(chars)


_NAME_DIGIT_FIX = str.maketrans(
    {"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z", "|": "I"}
)


def _clean_name(text: str, *, individual: bool) -> tuple[str, tuple[str, ...]]:
    up = text.upper()
    corrections: list[str] = []
    if individual and re.search(r"[0-9|]", up):
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


def _conf(ocr: float) -> float:
    """Map EasyOCR's per-line confidence (harsh on long lines) to a field confidence."""
    return math.sqrt(max(0.0, min(1.0, ocr)))


@dataclass
class _Value:
    text: str
    confidence: float
    segs: tuple[_Seg, ...]


def _below(label: _Seg, segs: list[_Seg], used: set[int]) -> list[_Seg]:
    """Value segments for ``label``: the first line under it, plus wrapped continuation lines."""
    h = max(label.seg.height, 1.0)
    out: list[_Seg] = []
    for s in segs:
        if id(s) in used or s is label or s.kind != Kind.VALUE:
            continue
        if s.seg.center_y < label.seg.bottom or s.seg.top > label.seg.bottom + 3.5 * h:
            continue
        if s.seg.right < label.seg.left - h or s.seg.left > label.seg.right + 3 * h:
            continue
        out.append(s)
        break
    if not out:
        return out
    # continuation lines
    first = out[0]
    last = first
    for s in segs:
        if id(s) in used or s.kind != Kind.VALUE or s is first:
            continue
        if s.seg.top <= last.seg.center_y:
            continue
        gap = s.seg.top - last.seg.bottom
        if gap > 1.0 * max(last.seg.height, 1.0):
            continue
        if abs(s.seg.left - first.seg.left) > 2 * max(first.seg.height, 1.0):
            continue
        if not _name_like(s.text) or find_dates(s.text) or _pan_of(s) or _label_like(s.text):
            break
        # smaller print, garbled: the next field's label (a wrapped 'LIMITED' can look small
        # beside a first line whose box grew, but it reads cleanly)
        if s.seg.height < 0.75 * first.seg.height and s.seg.confidence < 0.5:
            break
        if _has(_words(s.text), ("NAME", "FATHER", "MOTHER", "BIRTH", "DATE"), 0.8):
            break
        out.append(s)
        last = s
    return out


def _case_counts(text: str) -> tuple[int, int]:
    """(letters, lower-case letters) in ``text``."""
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(1 for c in letters if c.islower())


def _label_like(text: str) -> bool:
    """Whether unclassified text looks like a label: names are printed in capitals, without '/'."""
    letters, lower = _case_counts(text)
    return "/" in text or (letters >= 4 and lower >= 0.4 * letters)


def _plausible_name_line(s: _Seg) -> bool:
    """Whether an unlabelled line can be a name: read with some confidence, or at least
    shaped like a name (capitals, no digits; OCR of Hindi print is digits and lower case)."""
    if not _name_like(s.text):
        return False
    if s.seg.confidence >= 0.2:
        return True
    letters, lower = _case_counts(s.text)
    return s.seg.confidence >= 0.02 and not re.search(r"\d", s.text) and lower < 0.5 * letters


def _drop_small_print(lines: list[_Seg]) -> list[_Seg]:
    """Drop lines smaller than the sure ones: garbled labels, printed smaller than names.

    A sure line may be a little smaller (a short wrapped word can get a tighter box); a
    doubtful one may not.
    """
    sure = [s.seg.height for s in lines if s.seg.confidence >= 0.2]
    if not sure:
        return lines
    reference = sorted(sure)[len(sure) // 2]
    return [
        s
        for s in lines
        if s.seg.height >= 0.8 * reference
        or (s.seg.confidence >= 0.2 and s.seg.height >= 0.6 * reference)
    ]


def _pan_of(s: _Seg) -> list[PanCandidate]:
    compact = re.sub(r"\s+", "", s.text)
    if len(compact) > 16:
        return []
    return find_pan_candidates(s.text)


def _label_value(label: _Seg, segs: list[_Seg], used: set[int], want_name: bool) -> _Value | None:
    """The value under ``label`` (wrapped lines joined), else the text after it on its line."""
    vals = _below(label, segs, used)
    if want_name:
        vals = [v for v in vals if _name_like(v.text)]
    if vals:
        text = " ".join(v.text for v in vals)
        conf = min(v.seg.confidence for v in vals)
        return _Value(text, conf, tuple(vals))
    inline_ok = _name_like(label.inline) if want_name else bool(find_dates(label.inline))
    if label.inline and inline_ok:
        return _Value(label.inline, label.seg.confidence, (label,))
    lead = _leading_capitals(label.text) if want_name else ""
    if lead:  # a skewed photo joined the value's line to its label's, value first
        return _Value(lead, label.seg.confidence, (label,))
    return None


def _leading_capitals(text: str) -> str:
    """The capitalised words a line starts with ('GAURAV ARORA faT / Fathers Name')."""
    words = []
    for token in text.split():
        if not re.fullmatch(r"[A-Z][A-Z.'\-]*", token):
            break
        words.append(token)
    lead = " ".join(words)
    if _has(_words(lead), ("NAME", "FATHER", "FATHERS", "MOTHER", "DATE", "BIRTH"), 0.8):
        return ""
    return lead if sum(c.isalpha() for c in lead) >= 3 else ""


_LABEL_TAIL = re.compile(r"\s*/[^/]*$")


def _strip_label_tail(text: str) -> str:
    """Drop a trailing "/ Name"-like label fragment merged into a value's line."""
    m = _LABEL_TAIL.search(text)
    if m and _has(
        _words(m.group(0)), ("NAME", "FATHER", "FATHERS", "MOTHER", "DATE", "BIRTH"), 0.75
    ):
        # the label's Hindi half, read as one or two stray characters, goes too
        return re.sub(r"\s+(\S{1,2}|\S*[^A-Za-z\s]\S*)$", "", text[: m.start()].rstrip())
    return text


@dataclass
class _Pick:
    pan: tuple[PanCandidate, _Seg] | None
    date: tuple[DateCandidate, _Seg] | None


def _pan_sources(segs: list[_Seg]) -> list[tuple[_Seg, str, tuple[Alternatives, ...]]]:
    """Where a PAN may be read: value lines, the text after a PAN label, and each box of a
    label line (on a skewed photo the PAN can join its label's line)."""
    out: list[tuple[_Seg, str, tuple[Alternatives, ...]]] = []
    for s in segs:
        if s.kind == Kind.VALUE:
            out.append((s, s.text, s.seg.alternatives))
        elif s.kind == Kind.PAN_LABEL:
            out.append((s, s.inline, ()))
            for box in s.seg.boxes:
                alone = _Seg(Segment((box,)), Kind.VALUE, "", s.mixed_case, s.slash)
                out.append((alone, alone.text, alone.seg.alternatives))
    return out


def _pick_pan(segs: list[_Seg]) -> tuple[PanCandidate, _Seg] | None:
    best: tuple[tuple[float, ...], PanCandidate, _Seg] | None = None
    pan_label = next((s for s in segs if s.kind == Kind.PAN_LABEL), None)
    for s, text, alts in _pan_sources(segs):
        compact = re.sub(r"\s+", "", text)
        if len(compact) > 16:
            continue
        letters = len(re.sub(r"[^A-Za-z0-9]", "", compact))
        for cand in find_pan_candidates(text, alts, max_corrections=4 if letters == 10 else 3)[:1]:
            extra = len(re.sub(r"[^A-Z0-9]", "", compact.upper())) - 10
            near = 0.0
            if pan_label is not None and s.seg.top >= pan_label.seg.top - 0.5 * s.seg.height:
                near = -1.0
            key = (len(cand.corrections) + 0.5 * max(0, extra), near, -s.seg.confidence)
            if best is None or key < best[0]:
                best = (key, cand, s)
    return None if best is None else (best[1], best[2])


def _surname_initial(name: str, individual: bool) -> str | None:
    words: list[str] = re.findall(r"[A-Z]+", name)
    if not words:
        return None
    if individual:
        return words[-1][0]
    return words[0][0]


def _split_unlabelled(lines: list[_Seg], individual: bool) -> tuple[list[_Seg], list[_Seg]]:
    """Split the unlabelled name lines of an older card into (name, father's name)."""
    if not individual or len(lines) < 2:
        return lines, []
    if len(lines) == 2:
        return lines[:1], lines[1:]
    best: tuple[float, int] | None = None
    gaps = [b.seg.top - a.seg.bottom for a, b in itertools.pairwise(lines)]
    for k in range(1, len(lines)):
        name = " ".join(s.text for s in lines[:k])
        father = " ".join(s.text for s in lines[k:])
        score = 0.0
        nw, fw = _words(name), _words(father)
        if nw and fw and nw[-1] == fw[-1]:
            score += 2.0
        if gaps[k - 1] >= max(gaps) - 1e-6 and len({round(g) for g in gaps}) > 1:
            score += 1.0
        # a wrapped continuation usually starts indented or is shorter; balanced is likelier
        score -= 0.1 * abs(k - len(lines) / 2)
        if best is None or score > best[0]:
            best = (score, k)
    assert best is not None
    k = best[1]
    return lines[:k], lines[k:]


def card_evidence(boxes: Sequence[TextBox]) -> float:
    """How much ``boxes`` read like a PAN card's (used to choose an orientation and a crop).

    Card words, dates and PANs count; a PAN whose 4th letter names no holder type counts
    little, and text the recogniser was barely sure of counts half.
    """
    score = 0.0
    for box in boxes:
        t = box.text
        words = _words(t)
        points = 0.0
        if _is_header(words):
            points += 2
        if _has(words, ("PERMANENT", "ACCOUNT", "BIRTH", "FATHER", "FATHERS", "INCORPORATION")):
            points += 2
        if _has(words, ("NAME",), 0.75):
            points += 1
        compact = re.sub(r"\s+", "", t)
        if len(compact) <= 16:
            for c in find_pan_candidates(t)[:1]:
                points += 4 - len(c.corrections) if holder_type_of(c.value) else 1
        if find_dates(t):
            points += 2
        score += points if box.confidence >= 0.1 else points / 2
    return score


def parse_text_boxes(boxes: Sequence[TextBox], *, today: dt.date | None = None) -> PanCard:
    """Read the fields of a PAN card from OCR text boxes in upright card coordinates.

    Raises :class:`NoCardFoundError` when nothing in the boxes looks like a PAN card.
    """
    today = today or dt.date.today()
    segs = [_classify(s) for s in group_segments(boxes)]
    warnings: list[str] = []
    used: set[int] = set()

    pan_pick = _pick_pan(segs)
    if pan_pick is not None:
        used.add(id(pan_pick[1]))
    labels = {k: next((s for s in segs if s.kind == k), None) for k in _LABELS}
    keyword_hits = sum(1 for s in segs if s.kind != Kind.VALUE)
    if pan_pick is None and keyword_hits == 0:
        raise NoCardFoundError(
            "No PAN card found in the image: no PAN number or card text could be read."
        )

    holder = holder_type_of(pan_pick[0].value) if pan_pick else None
    incorp = labels[Kind.INCORP_LABEL] is not None
    individual = holder == HolderType.INDIVIDUAL if holder is not None else not incorp
    if pan_pick is not None and holder is None:
        warnings.append(f"PAN 4th letter '{pan_pick[0].value[3]}' names no known holder type.")

    # --- date
    date_label = labels[Kind.DOB_LABEL] or labels[Kind.INCORP_LABEL]
    date_pick: tuple[DateCandidate, _Seg] | None = None
    if date_label is not None:
        if date_label.inline:
            ds = find_dates(date_label.inline)
            if ds:
                date_pick = (ds[0], date_label)
        if date_pick is None:
            for s in _below(date_label, segs, used):
                ds = find_dates(s.text)
                if ds:
                    date_pick = (ds[0], s)
                    break
    if date_pick is None:
        for s in segs:
            if s.kind == Kind.VALUE and id(s) not in used:
                ds = find_dates(s.text)
                if ds:
                    date_pick = (ds[0], s)
                    break
    if date_pick is not None:
        used.add(id(date_pick[1]))

    # --- names
    name_v: _Value | None = None
    father_v: _Value | None = None
    mother_v: _Value | None = None
    name_guessed = father_guessed = False
    # a name label counts only with a name under it: garbled small print ('Signature' read
    # as 'Stanamne') can look like one
    has_labels = False
    for kind in (Kind.FATHER_LABEL, Kind.MOTHER_LABEL, Kind.NAME_LABEL):
        label = labels[kind]
        if label is None:
            continue
        v = _label_value(label, segs, used, want_name=True)
        if v is None:
            continue
        used.update(id(s) for s in v.segs)
        has_labels = True
        if kind == Kind.FATHER_LABEL:
            father_v = v
        elif kind == Kind.MOTHER_LABEL:
            mother_v = v
        else:
            name_v = v
    if name_v is None or (individual and father_v is None and mother_v is None):
        # unlabelled (older cards) or unreadable labels: names are the lines in reading order
        card_right = max(s.seg.right for s in segs)
        headers = [s for s in segs if s.kind == Kind.HEADER]
        # the left header ("INCOME TAX DEPARTMENT") sits above the names; on a skewed photo
        # the right one ("GOVT. OF INDIA") can reach below the first name
        left_headers = [s for s in headers if s.seg.left < 0.45 * card_right] or headers
        names_top = max((s.seg.bottom for s in left_headers), default=-1.0)
        if date_pick is not None and pan_pick is not None:
            pan_y = pan_pick[1].seg.center_y
            if pan_y < date_pick[1].seg.top:  # current cards print the names under the PAN
                names_top = max(names_top, pan_y)
        stop = math.inf
        if date_pick is not None:
            stop = date_pick[1].seg.top
        elif labels[Kind.DOB_LABEL] or labels[Kind.INCORP_LABEL]:
            stop = (labels[Kind.DOB_LABEL] or labels[Kind.INCORP_LABEL]).seg.top  # type: ignore[union-attr]
        else:
            pl = next((s for s in segs if s.kind == Kind.PAN_LABEL), None)
            if pl is not None:
                stop = pl.seg.top
        lines = [
            s
            for s in segs
            if s.kind == Kind.VALUE
            and id(s) not in used
            and s.seg.center_y > names_top
            and s.seg.center_y < stop
            and s.seg.left < 0.45 * card_right
            and _plausible_name_line(s)
        ]
        lines = _drop_small_print(lines)
        if lines:
            if name_v is None:
                name_guessed = True
                name_lines, father_lines = _split_unlabelled(lines, individual)
                name_v = _Value(
                    " ".join(s.text for s in name_lines),
                    min(s.seg.confidence for s in name_lines),
                    tuple(name_lines),
                )
            else:
                below_name = name_v.segs[-1].seg.center_y
                father_lines = [s for s in lines if s.seg.top > below_name]
            if individual and father_v is None and mother_v is None and father_lines:
                father_guessed = True
                father_v = _Value(
                    " ".join(s.text for s in father_lines),
                    min(s.seg.confidence for s in father_lines),
                    tuple(father_lines),
                )

    # --- layout
    any_label = has_labels or labels[Kind.DOB_LABEL] is not None
    layout = _layout(segs, holder, incorp, any_label, date_pick, pan_pick)

    # --- build fields
    name_f = _name_field(name_v, individual, name_guessed, "name", warnings)
    father_f = (
        None
        if not individual
        else _name_field(father_v, True, father_guessed, "father's name", warnings)
    )
    mother_f = (
        None if not individual else _name_field(mother_v, True, False, "mother's name", warnings)
    )
    if name_f is not None and individual:
        parent_f = father_f or mother_f
        name_f = _split_shared_surname(name_f, parent_f, "name", warnings)
        father_f = _split_shared_surname(father_f, name_f, "father's name", warnings)
        mother_f = _split_shared_surname(mother_f, name_f, "mother's name", warnings)
    pan_f = None
    if pan_pick is not None:
        cand, seg = pan_pick
        c = _conf(seg.seg.confidence) * (0.85 ** len(cand.corrections))
        for corr in cand.corrections:
            warnings.append(f"PAN corrected at {corr}.")
        for doubt in cand.doubts:
            c *= 0.85
            warnings.append(f"PAN character unclear at {doubt}.")
        initial = _surname_initial(name_f.value, individual) if name_f else None
        if initial is not None:
            if cand.value[4] == initial:
                c = min(1.0, c + 0.05)
            else:
                c *= 0.9
                who = "surname" if individual else "name"
                warnings.append(
                    f"PAN 5th letter '{cand.value[4]}' differs from the {who} initial '{initial}'."
                )
        pan_f = Field(cand.value, _clamp(c), cand.raw, cand.corrections)
    else:
        warnings.append("No PAN number could be read.")

    dob_f = None
    if date_pick is not None:
        cand_d, seg = date_pick
        what = "date of birth" if individual else "date of incorporation/formation"
        value = cand_d.value
        if value > today:
            warnings.append(f"Rejected {what} {value.isoformat()}: it is in the future.")
        elif individual and value < _years_before(today, MAX_AGE_YEARS):
            warnings.append(
                f"Rejected {what} {value.isoformat()}: more than {MAX_AGE_YEARS} years ago."
            )
        else:
            c = _conf(seg.seg.confidence) * (0.85 ** len(cand_d.corrections))
            for corr in cand_d.corrections:
                warnings.append(f"Date corrected: {corr}.")
            dob_f = Field(value, _clamp(c), cand_d.raw, cand_d.corrections)
    return PanCard(
        pan=pan_f,
        name=name_f,
        father_name=father_f,
        mother_name=mother_f,
        dob=dob_f,
        layout=layout,
        holder_type=holder,
        warnings=tuple(warnings),
    )


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _clamp(c: float) -> float:
    return round(max(0.0, min(1.0, c)), 4)


def _name_field(
    v: _Value | None, individual: bool, guessed: bool, what: str, warnings: list[str]
) -> Field[str] | None:
    if v is None:
        return None
    value, corrections = _clean_name(_strip_label_tail(v.text), individual=individual)
    if len(re.sub(r"[^A-Z]", "", value)) < 2:
        return None
    c = _conf(v.confidence) * (0.85 ** len(corrections)) * (0.95 if guessed else 1.0)
    for corr in corrections:
        warnings.append(f"{what[0].upper()}{what[1:]} corrected: {corr}.")
    return Field(value, _clamp(c), v.text, corrections)


def _split_shared_surname(
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
    if len(surname) < 4 or not surname.isalpha():
        return f
    words = f.value.split()
    fixed = [
        f"{w[: -len(surname)]} {surname}"
        if w.endswith(surname) and len(w) >= len(surname) + 3
        else w
        for w in words
    ]
    if fixed == words:
        return f
    value = " ".join(fixed)
    correction = f"'{f.value}' split as '{value}'"
    warnings.append(f"{what[0].upper()}{what[1:]} corrected: {correction}.")
    return Field(value, _clamp(f.confidence * 0.9), f.raw, (*f.corrections, correction))


def _layout(
    segs: list[_Seg],
    holder: HolderType | None,
    incorp: bool,
    has_labels: bool,
    date_pick: tuple[DateCandidate, _Seg] | None,
    pan_pick: tuple[PanCandidate, _Seg] | None,
) -> Layout:
    if incorp or (holder is not None and holder != HolderType.INDIVIDUAL):
        return Layout.COMPANY
    new = lam = old = 0.0
    for s in segs:
        words = _words(s.text)
        if s.kind == Kind.PAN_LABEL:
            if _has(words, ("CARD",), 0.75) or _contains(words, "NUMBERCARD", 0.85):
                new += 3
            elif has_labels:
                lam += 2
            else:
                old += 2
        if s.kind in _LABELS:
            tail = s.text.split("/")[-1]
            if re.search(r"[a-z]{2}", tail):
                new += 1
            else:
                lam += 1
    if not has_labels:
        old += 2
    if date_pick is not None and date_pick[0].separator == "-":
        lam += 3
    if date_pick is not None and pan_pick is not None:
        # older cards print the PAN last; the others print it above the name, centred on
        # current cards and at the left on laminated ones
        pan, date = pan_pick[1].seg, date_pick[1].seg
        if pan.top > date.bottom:
            old += 2
        elif pan.left > 0.25 * max(s.seg.right for s in segs):
            new += 2
        else:
            lam += 2
    scores = {Layout.NEW: new, Layout.LAMINATED: lam, Layout.OLD: old}
    return max(scores, key=lambda k: (scores[k], k == Layout.NEW))
