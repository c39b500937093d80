"""The error of the data layer."""

from __future__ import annotations

__all__ = ["DatabaseError"]


class DatabaseError(Exception):
    """The database cannot be used as configured (bad URL, unknown schema revision)."""
