"""Parsing text boxes into fields: pure, from JSON fixtures of real OCR boxes and hand-made ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from panread import HolderType, Layout, NoCardFoundError, PanCard, TextBox, parse_text_boxes
from panread._engine import quad_from_rect

TODAY = dt.date(2026, 11, 24)
KEYS = ("pan", "name", "father_name", "mother_name", "dob", "layout", "holder_type")


def lines(
    *rows: str | tuple[str, float], x: float = 40, step: float = 50, y0: float = 20
) -> list[TextBox]:
    """Stack ``rows`` as one box per line, top to bottom from ``y0``, left-aligned at ``x``."""
    out = []
    for i, row in enumerate(rows):
        text, conf = row if isinstance(row, tuple) else (row, 0.99)
        y = y0 + i * step
        out.append(TextBox(text, conf, quad_from_rect(x, y, x + 20 * len(text), y + 30)))
    return out


def read_old_card(
    *names: str | tuple[str, float], dob: str, pan: str, below: str | None = None
) -> PanCard:
    """An older card: the header, the unlabelled ``names`` lines (read surely unless given
    with a confidence), the date, the PAN's label and the PAN, then ``below`` (a line under
    the PAN), one line each."""
    rows = ["INCOME TAX DEPARTMENT", *names, dob, "Permanent Account Number", pan]
    return parse_text_boxes(lines(*rows, *([below] if below else [])), today=TODAY)


def _at(text: str, x0: float, y0: float, height: float = 40, conf: float = 0.95) -> TextBox:
    """One box at (x0, y0), 18 px per character wide."""
    return TextBox(text, conf, quad_from_rect(x0, y0, x0 + 18 * len(text), y0 + height))


@pytest.mark.parametrize(
    "name",
    [
        "new_clean",
        "laminated_clean",
        "old_clean",
        "company_huf_clean",
        "old_wrapped_name",
        "new_photo_small_labels",
        "laminated_photo",
        "company_firm",
    ],
)
def test_real_ocr_fixtures_parse_to_the_printed_values(
    name: str, load_boxes: Callable[[str], tuple[list[TextBox], dict[str, Any]]]
) -> None:
    """Boxes the real model read from rendered cards of every layout give the card's values."""
    boxes, expected = load_boxes(name)
    got = parse_text_boxes(boxes, today=TODAY).to_dict()
    assert {k: got[k] for k in KEYS} == {k: expected[k] for k in KEYS}


def test_new_layout_with_bilingual_labels() -> None:
    """A current card: values are read under their "Hindi / English" labels."""
    card = parse_text_boxes(
        lines(
            ("3TTIR fayT", 0.05),
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "ABCPR1234F",
            ("aT / Name", 0.6),
            "ASHA RAO",
            ("fqaT aT T / Father's Name", 0.5),
            "RAMESH RAO",
            ("STH At aRIE / Date of Birth", 0.5),
            "31/01/1990",
        ),
        today=TODAY,
    )
    assert card.layout is Layout.NEW
    assert card.pan is not None
    assert card.pan.value == "ABCPR1234F"
    assert card.name is not None
    assert card.name.value == "ASHA RAO"
    assert card.father_name is not None
    assert card.father_name.value == "RAMESH RAO"
    assert card.dob is not None
    assert card.dob.value == dt.date(1990, 1, 31)
    assert card.holder_type is HolderType.INDIVIDUAL
    assert card.warnings == ()


def test_mother_name_is_read_where_the_card_shows_it() -> None:
    """A card printing "Mother's Name" gives mother_name and no father's name."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "ABCPR1234F",
            "/ Name",
            "ASHA RAO",
            "/ Mother's Name",
            "SUNITA RAO",
            "/ Date of Birth",
            "31/01/1990",
        ),
        today=TODAY,
    )
    assert card.mother_name is not None
    assert card.mother_name.value == "SUNITA RAO"
    assert card.father_name is None
    assert card.to_dict()["mother_name"] == "SUNITA RAO"


def test_old_layout_reads_unlabelled_lines_in_order() -> None:
    """An older card: name, father's name and date of birth come from unlabelled lines."""
    card = read_old_card(
        "RAJU PANDA", "KRISHNA DEVI PANDA", dob="02/10/1988", pan="SZTPP4477A", below="Signature"
    )
    assert card.layout is Layout.OLD
    assert (card.name and card.name.value, card.father_name and card.father_name.value) == (
        "RAJU PANDA",
        "KRISHNA DEVI PANDA",
    )


def test_a_garbled_signature_read_as_a_name_label_leaves_an_old_card_old() -> None:
    """'Signature' read as 'Stanamne' classifies as a name label, but no name is under it."""
    card = read_old_card(
        "DINESH RAJ AGRAWAL",
        "PRADEEP AGRAWAL",
        dob="30/06/1985",
        pan="JMCPA4057W",
        below="Stanamne",
    )
    assert card.layout is Layout.OLD
    assert card.name is not None
    assert card.name.value == "DINESH RAJ AGRAWAL"


@pytest.mark.parametrize(
    ("rows", "name", "father"),
    [
        (
            ["SURYA NARAYANA MURTHY", "GUPTA", "SURENDRA GUPTA"],
            "SURYA NARAYANA MURTHY GUPTA",
            "SURENDRA GUPTA",
        ),
        (
            ["RAVI KUMAR", "VENKATA SATYANARAYANA", "KUMAR"],
            "RAVI KUMAR",
            "VENKATA SATYANARAYANA KUMAR",
        ),
    ],
)
def test_old_layout_wrapped_names_are_joined(rows: list[str], name: str, father: str) -> None:
    """A name wrapping onto a second line on an older card stays with its own person."""
    card = read_old_card(*rows, dob="02/10/1988", pan="ABCPG1234Q")
    assert card.name is not None
    assert card.name.value == name
    assert card.father_name is not None
    assert card.father_name.value == father


def test_laminated_layout_with_slash_labels_and_dashed_date() -> None:
    """A first-generation laminated card: "/NAME" labels and a date like 26-07-1979."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "GOVT. OF INDIA",
            "/PERMANENT ACCOUNT NUMBER",
            "GEPPM3947F",
            "/NAME",
            "FATIMA RANI MENON",
            "/FATHER'S NAME",
            "FAROOQ MENON",
            "/DATE OF BIRTH",
            "26-07-1979",
        ),
        today=TODAY,
    )
    assert card.layout is Layout.LAMINATED
    assert card.dob is not None
    assert card.dob.value == dt.date(1979, 7, 26)
    assert card.father_name is not None
    assert card.father_name.value == "FAROOQ MENON"


def test_unlabelled_names_on_a_current_card_are_read_under_the_pan() -> None:
    """With the name label unread, a fragment of 'Permanent Account Number Card' above the
    PAN is not part of the name: current cards print the names under the PAN."""
    boxes = [
        _at("INCOME TAX DEPARTMENT", 10, 70),
        _at("GOVT. OF INDIA", 950, 70),
        _at("ber Card", 520, 170),
        _at("ZFBTH6786A", 10, 215),
        _at("HIMALAYA CHARITABLE TRUST", 15, 380),
        _at("Date of Incorporation/Formation", 18, 470),
        _at("06/04/1995", 18, 510),
    ]
    card = parse_text_boxes(boxes, today=TODAY)
    assert card.name is not None
    assert card.name.value == "HIMALAYA CHARITABLE TRUST"


def test_company_card_has_no_father_name() -> None:
    """A company card: date of incorporation as dob, father's name null, holder company."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "AAACT1234K",
            "/ Name",
            "TRIVENI STEEL PRIVATE LIMITED",
            "/ Date of Incorporation/Formation",
            "11/01/1996",
        ),
        today=TODAY,
    )
    assert card.layout is Layout.COMPANY
    assert card.holder_type is HolderType.COMPANY
    assert card.father_name is None
    assert card.to_dict()["father_name"] is None
    assert card.dob is not None
    assert card.dob.value == dt.date(1996, 1, 11)
    assert card.name is not None
    assert card.name.value == "TRIVENI STEEL PRIVATE LIMITED"


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("GANESH EXPORTS BROTHERS", "GANESH EXPORTS BROTHERS"),
        ("CAPITAL WELFARE TRUST NAME", "CAPITAL WELFARE TRUST"),
    ],
)
def test_firm_names_are_not_mistaken_for_labels(printed: str, name: str) -> None:
    """A firm called "... BROTHERS" keeps its name; a merged trailing "NAME" label is dropped."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "AAFFG1234K",
            "/ Name",
            printed,
            "/ Date of Incorporation/Formation",
            "11/01/1996",
        ),
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == name
    assert card.father_name is None
    assert card.mother_name is None


@pytest.mark.parametrize(
    ("letter", "holder"),
    [
        ("P", HolderType.INDIVIDUAL),
        ("C", HolderType.COMPANY),
        ("H", HolderType.HUF),
        ("F", HolderType.FIRM),
        ("A", HolderType.AOP),
        ("T", HolderType.TRUST),
        ("B", HolderType.BOI),
        ("L", HolderType.LOCAL_AUTHORITY),
        ("J", HolderType.ARTIFICIAL_JURIDICAL_PERSON),
        ("G", HolderType.GOVERNMENT),
    ],
)
def test_fourth_letter_gives_holder_type(letter: str, holder: HolderType) -> None:
    """The PAN's 4th letter names the holder type."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "Permanent Account Number", f"ABC{letter}X1234Q"),
        today=TODAY,
    )
    assert card.holder_type is holder


def test_unknown_fourth_letter_gives_no_holder_type_and_a_warning() -> None:
    """A 4th letter that names no holder type leaves holder_type null and says so."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "Permanent Account Number", "ABCZX1234Q"), today=TODAY
    )
    assert card.holder_type is None
    assert any("4th letter" in w for w in card.warnings)


def old_card_with_pan(pan: str) -> PanCard:
    """An older card of RAJU PANDA (father KRISH PANDA) whose PAN line reads ``pan``."""
    return parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "RAJU PANDA", "KRISH PANDA", "02/10/1988", pan),
        today=TODAY,
    )


def test_pan_corrections_are_listed_and_lower_confidence() -> None:
    """Digits read as letters (and back) are fixed by position, each fix warned about."""
    clean = old_card_with_pan("ABCPP1234F")
    fixed = old_card_with_pan("A8CPP l23AF")
    assert fixed.pan is not None
    assert clean.pan is not None
    assert fixed.pan.value == "ABCPP1234F"
    assert len(fixed.pan.corrections) == 3
    assert sum("PAN corrected" in w for w in fixed.warnings) == 3
    assert fixed.pan.confidence < clean.pan.confidence


def test_pan_initial_mismatch_is_evidence_not_a_rule() -> None:
    """A 5th letter that differs from the surname initial keeps the PAN, with less confidence."""
    match = old_card_with_pan("ABCPP1234F")
    other = old_card_with_pan("ABCPQ1234F")
    assert other.pan is not None
    assert match.pan is not None
    assert other.pan.value == "ABCPQ1234F"
    assert other.pan.confidence < match.pan.confidence
    assert any("5th letter" in w for w in other.warnings)


@pytest.mark.parametrize("printed", ["12/03/2027", "12/03/1900"])
def test_impossible_date_of_birth_is_rejected_with_a_warning(printed: str) -> None:
    """A date of birth in the future or over 120 years back is not returned."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "RAJU PANDA", "KRISH PANDA", printed, "ABCPP1234F"),
        today=TODAY,
    )
    assert card.dob is None
    assert any("Rejected date of birth" in w for w in card.warnings)


def test_dates_are_day_first() -> None:
    """03/04/1990 is the 3rd of April, as printed on Indian cards."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "RAJU PANDA", "KRISH PANDA", "03/04/1990", "ABCPP1234F"),
        today=TODAY,
    )
    assert card.dob is not None
    assert card.dob.value == dt.date(1990, 4, 3)


@pytest.mark.parametrize("read", ["714/0311987", "71460311987", "714/03/1987"])
def test_a_speck_read_as_a_digit_before_the_date_is_dropped(read: str) -> None:
    """A stray mark before "14/03/1987", read as a 7, with or without separators misread."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "RAJU PANDA", "KRISH PANDA", read, "ABCPP1234F"),
        today=TODAY,
    )
    assert card.dob is not None
    assert card.dob.value == dt.date(1987, 3, 14)
    assert card.dob.corrections


def test_boxes_with_no_card_text_raise_no_card_found() -> None:
    """Text that has nothing of a PAN card raises NoCardFoundError."""
    with pytest.raises(NoCardFoundError, match="No PAN card"):
        parse_text_boxes(lines("HELLO WORLD", "GROCERY LIST"), today=TODAY)


def test_a_pan_read_like_a_label_word_is_still_the_pan() -> None:
    """'HLSHSO8O2B' ends in 'O', 'B' ('DOB'-ish) but is a PAN line, not a date-of-birth label."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "HLSHSO8O2B",
            "/ Name",
            "SUMIT ARORA HUF",
            "/ Date of Incorporation/Formation",
            "26/07/1980",
        ),
        today=TODAY,
    )
    assert card.pan is not None
    assert card.pan.value == "HLSHS0802B"
    assert card.holder_type is HolderType.HUF
    assert card.dob is not None
    assert card.dob.value == dt.date(1980, 7, 26)


def test_value_whose_box_overlaps_its_label_box_is_read_under_it() -> None:
    """A small label box and a tall value box just under it may overlap: still label, value."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 80, 55, 45),
            _at("/PERMANENT ACCOUNT NUMBER", 80, 151, 30),
            _at("ECIPG9074T", 80, 176, 37),
            _at("/NAME", 80, 225, 17),
            _at("SIVA RAMA KRISHNA NEGI", 80, 236, 35),
            _at("/FATHER'S NAME", 80, 285, 20),
            _at("LAKSHMI NARASIMHA SWAMY NEGI", 80, 298, 33),
            _at("/DATE OF BIRTH", 80, 345, 20),
            _at("26-08-1948", 80, 365, 25),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "SIVA RAMA KRISHNA NEGI"
    assert card.father_name is not None
    assert card.father_name.value == "LAKSHMI NARASIMHA SWAMY NEGI"


def test_an_unreadable_mixed_case_label_does_not_join_the_name_above() -> None:
    """Names are printed in capitals: a garbled "/ Date of Birth" label is not a wrapped line."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "KVPPC3244K",
            "/ Name",
            "SAURABH NATH CHOPRA",
            "/ Father's Name",
            "VIKAS RAJ CHOPRA",
            ("Wae ara / Dale Dutha", 0.15),
            "10/11/1945",
            step=32,
        ),
        today=TODAY,
    )
    assert card.father_name is not None
    assert card.father_name.value == "VIKAS RAJ CHOPRA"
    assert card.dob is not None
    assert card.dob.value == dt.date(1945, 11, 10)


def test_a_doubtful_mixed_case_name_ending_with_the_family_surname_is_a_name() -> None:
    """'MEERA BHATIA' read 'Meera BHAtiA' at 0.15 is Hindi-shaped, but ends like the father's."""
    card = read_old_card(
        ("Meera BHAtiA", 0.15),
        ("ViShNU DEV BHATIA", 0.16),
        dob="21/06/1979",
        pan="AKLPB6173Q",
    )
    assert card.name is not None
    assert card.name.value == "MEERA BHATIA"
    assert card.father_name is not None
    assert card.father_name.value == "VISHNU DEV BHATIA"


def test_a_date_before_its_label_on_one_line_is_the_date() -> None:
    """A tall label box can pull the date under it into its line, ahead of the label's words."""
    boxes = [
        *lines("INCOME TAX DEPARTMENT", "Permanent Account Number Card", "ABCPR1234F"),
        *lines("/ Name", "ASHA RAO", "/ Father's Name", "RAMESH RAO", y0=170),
        _at("09/11/1961", 24, 372, 28, 1.0),
        _at("Mna | Date ol Binth", 116, 350, 60, 0.15),
    ]
    card = parse_text_boxes(boxes, today=TODAY)
    assert card.dob is not None
    assert card.dob.value == dt.date(1961, 11, 9)


@pytest.mark.parametrize(
    ("father_read", "father"),
    [
        ("GURPREETARORA", "GURPREET ARORA"),  # surname run into the first name: split
        ("GURPREET ARORA", "GURPREET ARORA"),  # already apart: unchanged
        ("ARORA", "ARORA"),  # the surname alone is not split
    ],
)
def test_surname_run_into_the_word_before_is_split(father_read: str, father: str) -> None:
    """Family members share a surname: 'GURPREETARORA' under 'VARUN ARORA' is two words."""
    card = read_old_card("VARUN ARORA", father_read, dob="01/10/2002", pan="CTAPA3410T")
    assert card.father_name is not None
    assert card.father_name.value == father
    assert any("split" in w for w in card.warnings) == (father_read != father)


def test_short_surnames_are_not_split_off() -> None:
    """A 3-letter surname (PAL) is too short to split: GOPAL stays one word."""
    card = parse_text_boxes(
        lines("INCOME TAX DEPARTMENT", "RAVI PAL", "GOPAL PAL", "01/10/2002", "ABCPP1234F"),
        today=TODAY,
    )
    assert card.father_name is not None
    assert card.father_name.value == "GOPAL PAL"


Guesses = tuple[tuple[str, float], ...]


def read_company_card(
    pan: str, guesses: dict[int, Guesses], *, name: str, date: str, confidence: float
) -> PanCard:
    """A company card whose PAN line reads ``pan`` with ``confidence``, the recogniser sure of
    every character except those at the positions of ``guesses``."""
    alternatives = tuple(guesses.get(i, ((c, 1.0),)) for i, c in enumerate(pan))
    boxes = lines(
        "INCOME TAX DEPARTMENT",
        "Permanent Account Number Card",
        pan,
        "/ Name",
        name,
        "/ Date of Incorporation/Formation",
        date,
    )
    boxes[2] = TextBox(pan, confidence, boxes[2].box, alternatives)
    return parse_text_boxes(boxes, today=TODAY)


def test_pan_letter_the_recogniser_was_unsure_of_is_flagged() -> None:
    """A letter read as 'I' with a fair chance of 'J' is kept, flagged, and costs confidence."""

    def read(guesses: dict[int, Guesses]) -> PanCard:
        return read_company_card(
            "TQITR9498Q", guesses, name="TATA QUARTZ TRUST", date="05/04/2010", confidence=0.99
        )

    clear, doubtful = read({}), read({2: (("I", 0.62), ("J", 0.22), ("U", 0.14))})
    assert clear.pan is not None
    assert doubtful.pan is not None
    assert doubtful.pan.value == clear.pan.value == "TQITR9498Q"
    assert doubtful.pan.confidence < clear.pan.confidence
    assert "PAN character unclear at position 3: 'I' or 'J'." in doubtful.warnings
    assert not any("unclear" in w for w in clear.warnings)


def test_pan_digit_takes_the_recognisers_own_digit_guess_before_the_lookalike_table() -> None:
    """A '7' read as 'Z' (the table says '2') comes back when '7' is among the guesses,
    however unlikely; with no digit among them, the table decides."""

    def read(z_guesses: Guesses) -> PanCard:
        return read_company_card(
            "ILVCKZ005W",
            {5: z_guesses},
            name="KRISHNA NORTHERN PRIVATE LIMITED",
            date="27/07/1975",
            confidence=0.96,
        )

    guessed = read((("Z", 0.92), ("T", 0.077), ("7", 0.002)))
    table = read((("Z", 0.92), ("T", 0.08)))
    assert guessed.pan is not None
    assert table.pan is not None
    assert (guessed.pan.value, table.pan.value) == ("ILVCK7005W", "ILVCK2005W")
    assert "PAN corrected at position 6: 'Z' read as digit '7'." in guessed.warnings


def _read_om_exports(pan: str, last: Guesses) -> PanCard:
    return read_company_card(
        pan, {9: last}, name="OM EXPORTS PRIVATE LIMITED", date="23/06/1954", confidence=0.9
    )


def test_a_lower_case_l_among_the_guesses_stands_for_a_capital_i() -> None:
    """In print a lower-case 'l' is drawn like an 'I': '1' with guesses 'l' and 'L' is an 'I'
    (the two guesses for 'I' outweigh the one for 'L'); a lone 'L' guess still wins."""
    i_card = _read_om_exports("ARFCO93501", (("1", 0.989), ("l", 0.0034), ("L", 0.0029)))
    l_card = _read_om_exports("ARFCO93501", (("1", 0.989), ("L", 0.0029)))
    assert i_card.pan is not None
    assert l_card.pan is not None
    assert (i_card.pan.value, l_card.pan.value) == ("ARFCO9350I", "ARFCO9350L")
    assert "PAN corrected at position 10: '1' read as letter 'I'." in i_card.warnings


def test_a_lower_case_l_read_in_a_pan_is_a_capital_i() -> None:
    card = _read_om_exports("ARFCO9350l", (("l", 0.9), ("L", 0.05)))
    assert card.pan is not None
    assert card.pan.value == "ARFCO9350I"


def test_a_surname_ending_like_name_is_not_a_label() -> None:
    """SUBRAMANIAM ends in 'NIAM', close to 'NAME': still a name on an older card."""
    card = read_old_card(
        "MADHAV SUBRAMANIAM", "VIJAY SUBRAMANIAM", dob="17/04/1951", pan="UUDPS5960J"
    )
    assert card.layout is Layout.OLD
    assert card.name is not None
    assert card.name.value == "MADHAV SUBRAMANIAM"
    assert card.father_name is not None
    assert card.father_name.value == "VIJAY SUBRAMANIAM"


def test_pan_above_the_names_and_centred_means_a_current_card() -> None:
    """With every label unreadable, a centred PAN printed above the names is a current card."""
    card = parse_text_boxes(
        [
            _at("IRCOHUDIparihh", 26, 73, 45, 0.01),
            _at("DDUPD9352V", 498, 272, 45),
            _at("SUSHMA DESHPANDE", 25, 516, 45),
            _at("SUNIL DESHPANDE", 24, 628, 45),
            _at("23/09/1948", 30, 740, 45),
            _at("E= S5ar", 631, 836, 45, 0.02),
        ],
        today=TODAY,
    )
    assert card.layout is Layout.NEW
    assert card.name is not None
    assert card.name.value == "SUSHMA DESHPANDE"


def test_small_label_print_is_not_taken_for_a_name() -> None:
    """A garbled small "/NAME" label above the name stays out of it."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 126, 153, 32, 0.61),
            _at("UAAPQ1564H", 126, 262, 42, 0.93),
            _at("TAAHE", 126, 315, 22, 0.02),
            _at("AKASH RAO QURESHI", 126, 329, 41, 0.88),
            _at("ARUN QURESHI", 126, 402, 41, 0.83),
            _at("09-01-1954", 126, 482, 29, 1.0),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "AKASH RAO QURESHI"
    assert card.father_name is not None
    assert card.father_name.value == "ARUN QURESHI"


def test_a_sure_wrapped_word_with_a_tight_box_stays_in_the_name() -> None:
    """'VERMA' wrapped onto its own line gets a shorter box, but was read surely: it stays."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 100, 168, 45, 0.88),
            _at("SURYA NARAYANA MURTHY", 100, 218, 46, 1.0),
            _at("VERMA", 100, 263, 29, 1.0),
            _at("GEORGE VERMA", 100, 287, 44, 1.0),
            _at("17/06/1987", 100, 327, 33, 0.83),
            _at("Permanent Account Number", 100, 379, 26, 0.79),
            _at("QBOPV7061Z", 100, 397, 48, 0.9),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "SURYA NARAYANA MURTHY VERMA"
    assert card.father_name is not None
    assert card.father_name.value == "GEORGE VERMA"


def test_skewed_photo_lines_joined_to_their_labels_still_give_their_values() -> None:
    """The PAN joined to its label's line, and the father's name joined to its label's line
    (value first), are still read."""
    card = parse_text_boxes(
        [
            _at("TAX DEPARTMENT", 368, 201, 60),
            _at("Permanent Ri da1 Hall &13", 596, 364, 60, 0.34),
            _at("VNHPA6614W", 643, 420, 80, 0.99),
            _at("Account Number ' Card", 700, 400, 80, 0.6),
            _at("AT / Name", 223, 547, 40, 0.18),
            _at("MANOJ LAL ARORA", 216, 580, 70, 0.99),
            _at("GAURAV ARORA", 212, 660, 70, 0.9),
            _at("faT &T 7M4 / Fathers Name", 400, 643, 90, 0.3),
            _at("5FH & aka / Date of Birth", 221, 747, 40, 0.14),
            _at("06/10/1965", 216, 779, 44, 0.84),
        ],
        today=TODAY,
    )
    assert card.pan is not None
    assert card.pan.value == "VNHPA6614W"
    assert card.father_name is not None
    assert card.father_name.value == "GAURAV ARORA"


def test_print_the_recogniser_could_not_read_is_no_wrapped_name() -> None:
    """Letters read at almost no confidence under a father's name (the hologram beside it, read
    as 'Ft') are noise, not the rest of the name."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 20, 44, 31),
            _at("Permanent Account Number Card", 20, 121, 31),
            _at("ABCPR1234F", 14, 164, 55),
            _at("Name", 20, 271, 21),
            _at("ASHA RAO", 15, 296, 41),
            _at("Father's Name", 20, 360, 21),
            _at("RAMESH RAO", 15, 385, 41, 0.78),
            _at("Ft", 40, 430, 40, 0.004),
            _at("Date of Birth", 18, 500, 21),
            _at("31/01/1990", 15, 525, 36),
        ],
        today=TODAY,
    )
    assert card.father_name is not None
    assert card.father_name.value == "RAMESH RAO"


def test_a_cleanly_read_wrapped_word_joins_a_name_whose_box_grew() -> None:
    """'LIMITED' is 0.73 of the height of the (too tall) box above it, but read cleanly: it is
    the rest of the company's name, not the next field's label."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 20, 44, 31),
            _at("Permanent Account Number Card", 20, 121, 31),
            _at("STQCI5592Q", 14, 164, 55),
            _at("T Name", 20, 271, 21),
            _at("INDUS GANESH CONSTRUCTIONS PRIVATE", 15, 296, 41, 0.7),
            _at("LIMITED", 20, 338, 30, 1.0),
            _at("Date of Incorporation/Formation", 18, 410, 33, 0.42),
            _at("12/09/1961", 15, 443, 36),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "INDUS GANESH CONSTRUCTIONS PRIVATE LIMITED"


def test_unreadable_father_label_leaves_the_father_as_the_next_line() -> None:
    """With the father's label garbled, the small label print is skipped and the next
    name-sized line below the name is the father's name."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 93, 116, 18),
            _at("Permanent Account Number Card", 292, 187, 18),
            _at("LFEPQ2073V", 330, 210, 41),
            _at("T A Mame", 102, 317, 10, 0.16),
            _at("CHITRA KUMARI QURESHI", 97, 328, 33, 1.0),
            _at("Ral", 98, 365, 19, 0.12),
            _at("ROHIT QURESHI", 98, 386, 26, 0.93),
            _at("aku Dale 01 Buth", 143, 418, 18, 0.15),
            _at("10/09/1976", 101, 441, 26, 1.0),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "CHITRA KUMARI QURESHI"
    assert card.father_name is not None
    assert card.father_name.value == "ROHIT QURESHI"


def test_a_right_header_reaching_below_the_first_name_does_not_hide_it() -> None:
    """On a skewed older card 'GOVT. OF INDIA' at the right can sit lower than the name."""
    card = parse_text_boxes(
        [
            _at("INCOME TAX DEPARTMENT", 193, 172, 117),
            _at("DIVYA GUPTA", 224, 265, 84, 1.0),
            _at("GOVT; OF HRa HcR", 1064, 289, 65, 0.3),
            _at("AMIT GUPTA", 241, 328, 67, 0.86),
            _at("27/04/1990", 235, 367, 71, 0.62),
            _at("Permanent Account Number", 300, 448, 50, 0.81),
            _at("CMKPG9620T", 250, 500, 63, 0.8),
        ],
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "DIVYA GUPTA"
    assert card.father_name is not None
    assert card.father_name.value == "AMIT GUPTA"


def test_a_merged_name_label_and_its_hindi_half_leave_the_name() -> None:
    """'ROYAL WELFARE ASSOCIATION TA Name': the label ("नाम / Name" read as 'TA Name') goes."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "DJIAR0990P",
            "ROYAL WELFARE ASSOCIATION TA Name",
            "/ Date of Incorporation/Formation",
            "30/07/2006",
        ),
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "ROYAL WELFARE ASSOCIATION"


def test_a_surname_printed_first_agrees_with_the_pans_fifth_letter() -> None:
    """'PATEL NIRAV DINESHBHAI' carries its family initial first: the PAN's P agrees with it."""
    card = read_old_card(
        "PATEL NIRAV DINESHBHAI", "PATEL DINESHBHAI", dob="12/03/1980", pan="ABCPP1234F"
    )
    assert card.pan is not None
    assert not any("5th letter" in w for w in card.warnings)


def test_garbled_boxes_glued_after_a_name_are_dropped() -> None:
    """A hologram beside the father's name, read as barely sure letters, is not part of it."""
    boxes = lines(
        "INCOME TAX DEPARTMENT",
        "RAVI KUMAR REDDY",
        "SURESH REDDY",
        "05/11/1992",
        "Permanent Account Number",
        "ABCPR1234F",
    )
    father = boxes[2]
    boxes += [
        _at("KAE", father.right + 60, father.top, height=30, conf=0.01),
        _at("TE", father.right + 140, father.top, height=30, conf=0.01),
    ]
    card = parse_text_boxes(boxes, today=TODAY)
    assert card.father_name is not None
    assert card.father_name.value == "SURESH REDDY"


def test_a_name_letter_with_a_likely_rival_makes_the_name_doubtful() -> None:
    """'SIDDIQUL' whose last letter the recogniser also guessed as 'I' is read below 0.9."""

    def card(last_guesses: tuple[tuple[str, float], ...]) -> PanCard:
        rows = lines(
            "INCOME TAX DEPARTMENT",
            "AMIR SIDDIQUL",
            "JAVED SIDDIQUI",
            "05/11/1992",
            "Permanent Account Number",
            "ABCPS1234F",
        )
        name = rows[1]
        alts = (*(((c, 0.99),) for c in name.text[:-1]), last_guesses)
        rows[1] = TextBox(name.text, 0.99, name.box, alts)
        return parse_text_boxes(rows, today=TODAY)

    sure = card((("L", 0.97), ("I", 0.02)))
    doubtful = card((("L", 0.7), ("I", 0.28)))
    assert sure.name is not None
    assert doubtful.name is not None
    assert sure.name.confidence >= 0.9
    assert doubtful.name.confidence < 0.9


def test_a_dollar_sign_in_a_name_is_the_s_it_looks_like() -> None:
    """An initial 'S' read as '$' ('ARUN B $') is kept as an S, as a correction."""
    card = read_old_card("ARUN B $", "SURESH BABU", dob="05/06/1985", pan="ABCPB1234F")
    assert card.name is not None
    assert card.name.value == "ARUN B S"
    assert card.name.corrections


def test_a_garbled_fathers_label_under_a_labelled_name_is_no_part_of_his_name() -> None:
    """On a current card the line between the name and the father's name is his label, even
    when it reads 'fta A Fathet' Naric' and so is not known as one."""
    card = parse_text_boxes(
        lines(
            "INCOME TAX DEPARTMENT",
            "Permanent Account Number Card",
            "BQLPK4410M",
            ("aT / Name", 0.6),
            "IMRAN KHAN",
            ("fta A Fathet' Naric", 0.47),
            "SALIM KHAN",
            ("STH At aRIE / Date of Birth", 0.5),
            "02/02/1961",
        ),
        today=TODAY,
    )
    assert card.name is not None
    assert card.name.value == "IMRAN KHAN"
    assert card.father_name is not None
    assert card.father_name.value == "SALIM KHAN"
