"""The parser's tuning constants, named and written once.

Heights and gaps are in line heights, widths as a share of the card's width, similarities are
:class:`difflib.SequenceMatcher` ratios, confidences and factors in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CALIBRATION", "TUNING", "Calibration", "Tuning"]


@dataclass(frozen=True, slots=True)
class Tuning:
    """Every threshold the parser decides by (one instance, :data:`TUNING`)."""

    # --- fuzzy word matching
    word_match: float = 0.8
    """A read word is a printed card word at this similarity."""
    parent_label_match: float = 0.85
    """Parent labels need a closer match: at 0.8 a firm's 'BROTHERS' passes for 'MOTHERS'."""
    run_together_extra: float = 0.05
    """Extra similarity a key word needs when found inside run-together text."""
    run_together_min_key: int = 7
    """Only key words this long are looked for inside run-together text."""
    name_label_match: float = 0.75
    """'NAME' (and 'CARD') are short and often garbled: a looser match."""
    exact_below: int = 3
    """Key words this short must be read exactly ('OB' is not 'DOB')."""
    length_slack: int = 3
    """A read word this many letters longer or shorter than a key word is not compared."""
    label_word_slack: int = 2
    """The same, for finding where a label ends on its line."""
    govt_match: float = 0.75
    india_match: float = 0.6
    tax_match: float = 0.99

    # --- what text looks like
    name_letters: float = 0.7
    """A name is at least this share letters (of its non-space characters)."""
    label_lower: float = 0.4
    """Text at least this share lower case is a label (names are printed in capitals)."""
    name_lower: float = 0.5
    """A doubtful unlabelled line with this share lower case is Hindi read as Latin."""
    sure_line: float = 0.2
    """A line read at least this surely counts as read (for names and small print)."""
    faint_line: float = 0.02
    """A line read less surely than this is noise, however name-shaped."""
    noise_box: float = 0.1
    """A box at the end of a line read less surely than this is noise glued to a value..."""
    sure_value: float = 0.5
    """... when the boxes before it were read at least this surely."""
    surname_min: int = 4
    """A name line's last word this long is a surname that a relative's line may share."""
    max_label_name_words: int = 3
    """A line with more long words than this is no 'Name' label."""

    # --- geometry
    value_reach: float = 3.5
    """A label's value starts at most this many label heights under it."""
    value_left_slack: float = 1.0
    value_right_slack: float = 3.0
    """How far (label heights) left of a label's left / right of its right its value may sit."""
    wrap_gap: float = 1.0
    """A wrapped continuation line starts at most this many line heights under the last."""
    wrap_indent: float = 2.0
    """... and at most this many line heights left or right of the first line."""
    wrap_small_height: float = 0.75
    wrap_small_confidence: float = 0.5
    """A continuation this much smaller and read less surely is the next field's label."""
    small_print: float = 0.8
    """An unlabelled name line under this share of the sure lines' height is small print..."""
    sure_small_print: float = 0.6
    """... unless it is read surely and at least this share of their height."""
    names_left: float = 0.45
    """Names, and the left header above them, start in this share of the card's width."""
    pan_near_label: float = 0.5
    """A PAN read up to this many of its heights above its label's top counts as under it."""
    new_pan_left: float = 0.25
    """Current cards centre the PAN: it starts right of this share of the card's width."""

    # --- PAN candidates
    pan_max_chars: int = 16
    """A line longer than this (spaces dropped) is not a PAN line."""
    pan_max_corrections: int = 3
    pan_max_corrections_exact: int = 4
    """More corrections are allowed when a line has exactly a PAN's ten characters."""
    pan_extra_char_cost: float = 0.5
    """Cost, in corrections, of every character beyond ten on a PAN's line."""

    # --- confidence
    correction_factor: float = 0.85
    """Each correction made to a value multiplies its confidence by this."""
    doubt_factor: float = 0.85
    """Each unclear PAN character multiplies its confidence by this."""
    guessed_factor: float = 0.95
    """A name found by position, without a label, is this much less sure."""
    initial_bonus: float = 0.05
    """Added to a PAN whose 5th letter is the surname's (or name's) initial."""
    initial_mismatch_factor: float = 0.9
    """A PAN whose 5th letter is not that initial is this much less sure."""
    surname_split_factor: float = 0.9
    rival_letter: float = 0.15
    """A letter of a name whose recogniser gave another letter this chance is unclear..."""
    unclear_factor: float = 0.85
    """... and multiplies the name's confidence by this."""
    """A name split where a shared surname was run into the word before it."""

    evidence_sure: float = 0.1
    """Card evidence read less surely than this counts half."""

    # --- dates
    max_age_years: int = 120
    """An individual's date of birth further back than this is rejected."""


TUNING = Tuning()


@dataclass(frozen=True, slots=True)
class Calibration:
    """Per kind of field, the confidence (as the parser gives it) that is reported as 0.9:
    just above every wrong reading of that kind in development (``benchmarks/calibrate.py``
    measures them; see :mod:`panread._calibration`). 0 leaves a kind as the parser gives it.

    Measured 2026-11-29 on rendered seed 2024 (120 cards) and the development real cards:
    the surest wrong PAN was read at 0.79, name at 0.85 (initials run together), date at 0.67
    (a year's digit misread)."""

    pan: float = 0.8
    name: float = 0.86
    date: float = 0.68


CALIBRATION = Calibration()
