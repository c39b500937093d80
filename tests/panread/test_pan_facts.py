"""The PAN facts module: shape, holder types and masking, shared with the support server."""

from __future__ import annotations

import pytest

from panread import HolderType
from panread.pan import holder_type_of, is_pan, mask_pan


@pytest.mark.parametrize(
    ("text", "ok"),
    [("ABCPE1234F", True), ("ABCPE1234", False), ("abcpe1234f", False), ("ABCP11234F", False)],
)
def test_is_pan_accepts_only_five_letters_four_digits_a_letter(text: str, ok: bool) -> None:
    """Only capitals in the AAAAA9999A shape are a PAN."""
    assert is_pan(text) is ok


def test_the_fourth_letter_names_the_holder_type() -> None:
    """P is an individual, C a company, and a letter naming no type gives None."""
    assert holder_type_of("ABCPE1234F") is HolderType.INDIVIDUAL
    assert holder_type_of("ABCCE1234F") is HolderType.COMPANY
    assert holder_type_of("ABCXE1234F") is None


def test_mask_keeps_the_first_four_and_last_two_and_hides_other_lengths() -> None:
    """A PAN keeps ABCP...4F for logs; a mistyped one of another length is hidden whole."""
    assert mask_pan("ABCPE1234F") == "ABCPXXXX4F"
    assert mask_pan("ABCPE12345F") == "XXXXXXXXXXX"
