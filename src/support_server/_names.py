"""Display names people see: a customer's name in the queue, an employee's name in a call.

A display name is shown to someone else, so it must show what it is: whitespace runs are
collapsed to one space, the text is put in Unicode NFC form, and names carrying invisible or
control characters are refused (controls, bidi overrides and isolates, zero-width spaces and
joiners, other format characters, private-use and unassigned code points) as are letters
buried under a stack of combining marks.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_DISPLAY_NAME_CHARS", "DisplayNameError", "clean_display_name"]

MAX_DISPLAY_NAME_CHARS = 64
MAX_STACKED_MARKS = 4
"""More combining marks than this on one letter only serve to draw over the neighbours."""


class DisplayNameError(ValueError):
    """A display name that cannot be shown as it is; the message says why, in plain words."""


def clean_display_name(value: str) -> str:
    """Return ``value`` trimmed, whitespace-collapsed and NFC-normalised, or raise
    :class:`DisplayNameError` naming what is wrong with it."""
    name = unicodedata.normalize("NFC", " ".join(value.split()))
    if not name or len(name) > MAX_DISPLAY_NAME_CHARS:
        raise DisplayNameError(f"A name must have 1 to {MAX_DISPLAY_NAME_CHARS} characters.")
    stacked = 0
    for char in name:
        category = unicodedata.category(char)
        if category.startswith("C"):
            raise DisplayNameError(
                f"A name must not contain invisible or control characters "
                f"(it has U+{ord(char):04X}): please type it again."
            )
        stacked = stacked + 1 if category in ("Mn", "Me") else 0
        if stacked > MAX_STACKED_MARKS:
            raise DisplayNameError("A name must not stack that many accents on one letter.")
    return name
