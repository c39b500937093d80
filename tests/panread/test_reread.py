"""Second looks at garbled field lines, with an engine whose reading depends on the crop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from panread._engine import Image, Quad, TextBox, quad_from_rect
from panread._pan_candidates import Alternatives
from panread._reread import PADDINGS, reread_fields

CARD = np.zeros((630, 1000, 3), dtype=np.uint8)
BOX = quad_from_rect(100, 200, 300, 240)  # 40 px high


class CropSensitiveEngine:
    """Reads ``tight`` from a crop as tall as BOX and ``loose`` from a taller one."""

    def __init__(
        self, tight: str, loose: str, loose_confidence: float = 0.9, tight_confidence: float = 0.9
    ) -> None:
        self.tight, self.loose, self.loose_confidence = tight, loose, loose_confidence
        self.tight_confidence = tight_confidence
        self.recognised: list[Quad] = []

    def load(self) -> None:
        pass

    def detect(self, image: Image) -> list[Quad]:
        return []

    def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
        self.recognised.extend(boxes)
        out = []
        for q in boxes:
            height = q[3][1] - q[0][1]
            if height > 41:
                out.append(TextBox(self.loose, self.loose_confidence, q))
            else:
                out.append(TextBox(self.tight, self.tight_confidence, q))
        return out


def test_garbled_date_is_replaced_by_a_reading_that_parses() -> None:
    """'17/04/tona' is read again from looser crops; the parsed reading replaces it."""
    engine = CropSensitiveEngine(tight="17/04/tona", loose="17/04/1994", loose_confidence=0.8)
    (box,) = reread_fields(CARD, [TextBox("17/04/tona", 0.17, BOX)], engine)
    assert box.text == "17/04/1994"
    assert box.box == BOX  # geometry stays the line's own
    assert box.confidence == pytest.approx(0.17)  # a second look keeps the first one's doubt
    assert len(engine.recognised) == len(PADDINGS)


def test_pan_needing_many_corrections_is_read_again() -> None:
    """A PAN that needs 2+ corrections is replaced by a reading that needs fewer."""
    engine = CropSensitiveEngine(tight="", loose="HLSHS0802B")
    (box,) = reread_fields(CARD, [TextBox("HLSHSO8O2B", 0.9, BOX)], engine)
    assert box.text == "HLSHS0802B"


def test_lines_that_parse_are_never_read_again() -> None:
    """Clean dates, clean PANs and ordinary text cost no recognition."""
    engine = CropSensitiveEngine(tight="x", loose="y")
    boxes = [
        TextBox("17/04/1994", 0.9, BOX),
        TextBox("ABCPR1234F", 0.9, BOX),
        TextBox("INDUS NARMADA MOTORS & CO", 0.9, BOX),
    ]
    assert reread_fields(CARD, boxes, engine) == boxes
    assert engine.recognised == []


def test_a_line_no_crop_can_fix_is_kept_as_read() -> None:
    """When no second look parses either, the first reading stays."""
    engine = CropSensitiveEngine(tight="17/04/tona", loose="17/04/t0na")
    boxes = [TextBox("17/04/tona", 0.2, BOX)]
    assert reread_fields(CARD, boxes, engine) == boxes


def test_second_looks_are_centred_on_the_line() -> None:
    """Each crop keeps the line's centre, at least its width, and a different height."""
    engine = CropSensitiveEngine(tight="", loose="")
    reread_fields(CARD, [TextBox("17/04/tona", 0.2, BOX)], engine)
    for q in engine.recognised:
        xs, ys = [p[0] for p in q], [p[1] for p in q]
        assert sum(xs) / 4 == pytest.approx(200)
        assert sum(ys) / 4 == pytest.approx(220)
        assert max(xs) - min(xs) >= 200
        assert max(ys) - min(ys) != pytest.approx(40)


def test_a_q_whose_tail_a_tight_crop_cut_off_is_found_again() -> None:
    """'PVOPN2113X' read again looser as 'PVQPN2113X': the Q is believed."""
    engine = CropSensitiveEngine(tight="PVOPN2113X", loose="PVQPN2113X")
    (box,) = reread_fields(CARD, [TextBox("PVOPN2113X", 0.97, BOX)], engine)
    assert box.text == "PVQPN2113X"


@pytest.mark.parametrize("loose", ["PVQPN2118X", "PVOPN2113X", "PVCPN2113X"])
def test_a_second_look_at_an_o_changes_nothing_but_o_to_q(loose: str) -> None:
    """Any other difference (or none) leaves the PAN as first read."""
    engine = CropSensitiveEngine(tight="PVOPN2113X", loose=loose)
    boxes = [TextBox("PVOPN2113X", 0.97, BOX)]
    assert reread_fields(CARD, boxes, engine) == boxes


def test_a_doubtful_pan_line_takes_a_clearly_surer_reading() -> None:
    """'UsPPi8937X' read at 0.47 is replaced by a looser crop's 'USPPJ8937X' at 0.9."""
    engine = CropSensitiveEngine(tight="UsPPi8937X", loose="USPPJ8937X", loose_confidence=0.9)
    (box,) = reread_fields(CARD, [TextBox("UsPPi8937X", 0.47, BOX)], engine)
    assert box.text == "USPPJ8937X"
    assert box.confidence == pytest.approx(0.47)


@pytest.mark.parametrize(
    ("first_confidence", "loose_confidence"),
    [(0.95, 0.99), (0.6, 0.65)],  # already sure; or not clearly surer
)
def test_a_pan_line_is_kept_unless_a_reading_is_clearly_surer(
    first_confidence: float, loose_confidence: float
) -> None:
    """A sure first reading, or a barely surer second one, keeps the first reading."""
    engine = CropSensitiveEngine(
        tight="TQITR9498Q", loose="TQJTR9498Q", loose_confidence=loose_confidence
    )
    boxes = [TextBox("TQITR9498Q", first_confidence, BOX)]
    assert reread_fields(CARD, boxes, engine) == boxes


def _guessed(text: str, confidence: float, at: int, guesses: Alternatives) -> TextBox:
    """``text`` read with ``guesses`` at position ``at`` and sure of every other character."""
    alts = tuple(guesses if i == at else ((c, 0.99),) for i, c in enumerate(text))
    return TextBox(text, confidence, BOX, alts)


class GuessingEngine(CropSensitiveEngine):
    """Reads ``tight`` from a crop as tall as BOX and ``loose`` from a taller one, guesses and
    all."""

    def __init__(self, tight: TextBox, loose: TextBox) -> None:
        super().__init__(tight.text, loose.text)
        self.tight_box, self.loose_box = tight, loose

    def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
        read = super().recognize(image, boxes)
        return [
            replace(self.loose_box if r.text == self.loose else self.tight_box, box=r.box)
            for r in read
        ]


def test_a_doubtful_pan_letter_takes_what_most_crops_read() -> None:
    """'e' read at 0.57 (F at 0.32 in all) at the 3rd letter of 'PKePS1234H', and 'f'/'F'
    read at 0.79 by every padded crop, none clearly surer: the vote says F, doubt kept."""
    first = _guessed("PKePS1234H", 0.31, 2, (("e", 0.57), ("F", 0.18), ("f", 0.14)))
    again = _guessed("PKfPS1234H", 0.36, 2, (("f", 0.59), ("F", 0.2), ("e", 0.15)))
    (box,) = reread_fields(CARD, [first], GuessingEngine(tight=again, loose=again))
    assert box.text == "PKFPS1234H"
    assert box.confidence == pytest.approx(0.31)
    assert box.alternatives[2][1][0] == "E"  # the losing letter stays a rival


def test_a_pan_letter_the_padded_crops_split_on_is_kept() -> None:
    """Two crops read 'F' and two read 'E' as the first reading did: it is kept."""
    first = _guessed("PKEPS1234H", 0.31, 2, (("E", 0.6), ("F", 0.3)))
    other = _guessed("PKFPS1234H", 0.36, 2, (("F", 0.7), ("E", 0.2)))
    kept = [first]
    assert reread_fields(CARD, kept, GuessingEngine(tight=first, loose=other)) == kept


def test_a_doubtful_date_takes_a_clearly_surer_reading() -> None:
    """'08/10/1960' misread '03/10/1960' at 0.46 is replaced by a surer '08/10/1960'."""
    engine = CropSensitiveEngine(tight="03/10/1960", loose="08/10/1960", loose_confidence=0.95)
    (box,) = reread_fields(CARD, [TextBox("03/10/1960", 0.46, BOX)], engine)
    assert box.text == "08/10/1960"


def test_a_date_that_lost_a_separator_is_read_again() -> None:
    """'1411/1953' at 0.8 parses (as the 14th) but lost a '/': a surer '11/11/1953' wins."""
    engine = CropSensitiveEngine(tight="1411/1953", loose="11/11/1953", loose_confidence=0.99)
    (box,) = reread_fields(CARD, [TextBox("1411/1953", 0.8, BOX)], engine)
    assert box.text == "11/11/1953"


def test_a_q_found_again_may_come_with_a_digit_to_fix() -> None:
    """'IQFPD361SN' (Q seen, 5 read as S) still restores the Q of 'IOFPD3615N'."""
    engine = CropSensitiveEngine(tight="IOFPD3615N", loose="IQFPD361SN")
    (box,) = reread_fields(CARD, [TextBox("IOFPD3615N", 0.95, BOX)], engine)
    assert box.text == "IQFPD361SN"


def test_a_doubtful_name_line_takes_the_reading_most_crops_agree_on() -> None:
    """'PRANOD KHAN' at 0.61 (counted twice) and read so again at 0.13 by the two tight
    crops (1.48 in all) loses to 'PRAMOD KHAN' read at 0.8 by the two loose ones (1.6)."""
    engine = CropSensitiveEngine("PRANOD KHAN", "PRAMOD KHAN", 0.8, tight_confidence=0.13)
    (box,) = reread_fields(CARD, [TextBox("PRANOD KHAN", 0.61, BOX)], engine)
    assert box.text == "PRAMOD KHAN"
    assert box.confidence == pytest.approx(0.61)


def test_a_name_line_is_kept_unless_the_padded_crops_outvote_it() -> None:
    """At 0.7 per loose crop 'PRAMOD KHAN' has 1.4, less than the 1.48 of 'PRANOD KHAN'."""
    engine = CropSensitiveEngine("PRANOD KHAN", "PRAMOD KHAN", 0.7, tight_confidence=0.13)
    kept = [TextBox("PRANOD KHAN", 0.61, BOX)]
    assert reread_fields(CARD, kept, engine) == kept


def test_a_reading_that_merges_or_splits_words_never_replaces_a_name() -> None:
    """'DIVYAMOHANTY' has one word where 'DIWYA MOHANTY' has two: it gets no vote."""
    merged = CropSensitiveEngine("", "DIVYAMOHANTY", 0.99, tight_confidence=0.0)
    kept = [TextBox("DIWYA MOHANTY", 0.6, BOX)]
    assert reread_fields(CARD, kept, merged) == kept


def test_a_crop_that_splits_initials_off_a_doubtful_name_is_believed() -> None:
    """'HARPREET AC' at 0.8, one crop reads 'HARPREET A C': the initials were run together;
    the line keeps its doubt."""
    engine = CropSensitiveEngine("HARPREET AC", "HARPREET A C", 0.3, tight_confidence=0.8)
    (box,) = reread_fields(CARD, [TextBox("HARPREET AC", 0.8, BOX)], engine)
    assert box.text == "HARPREET A C"
    assert box.confidence == pytest.approx(0.3)


@pytest.mark.parametrize(
    "loose",
    ["HARP REET AC", "HARPREET A D", "HAR PREET A C"],
)
def test_only_initials_split_off_the_same_letters_are_believed(loose: str) -> None:
    """A crop that cuts a word into two longer ones, or reads other letters, changes nothing."""
    engine = CropSensitiveEngine("HARPREET AC", loose, 0.99, tight_confidence=0.8)
    kept = [TextBox("HARPREET AC", 0.8, BOX)]
    assert reread_fields(CARD, kept, engine) == kept


def test_labels_and_noise_are_not_name_lines() -> None:
    """Mixed-case labels and Hindi read as Latin noise get no second look."""
    engine = CropSensitiveEngine(tight="", loose="")
    boxes = [TextBox("Date of Birth", 0.3, BOX), TextBox("3T4Fr fa4itT", 0.1, BOX)]
    assert reread_fields(CARD, boxes, engine) == boxes
    assert engine.recognised == []


def test_every_doubtful_line_is_read_again_in_one_recognition_call() -> None:
    """The padded crops of all doubtful lines share one call (and so the recogniser's batches),
    and each line gets the readings of its own crops."""
    calls: list[int] = []

    class CountingEngine(CropSensitiveEngine):
        def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
            calls.append(len(boxes))
            return super().recognize(image, boxes)

    engine = CountingEngine(tight="", loose="17/04/1994", loose_confidence=0.8)
    lower = quad_from_rect(100, 300, 300, 340)
    date, kept = reread_fields(
        CARD, [TextBox("17/04/tona", 0.17, BOX), TextBox("HLSHSO8O2B", 0.9, lower)], engine
    )
    assert calls == [2 * len(PADDINGS)]
    assert date.text == "17/04/1994"
    assert kept.text == "HLSHSO8O2B"  # its crops read a date, which is no PAN
