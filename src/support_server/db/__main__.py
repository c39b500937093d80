"""``python -m support_server.db "what changed"``: draft the next migration from the models."""

from __future__ import annotations

import argparse
import asyncio
import sys
import warnings
from collections.abc import Sequence

from ._draft import draft_revision


def main(argv: Sequence[str] | None = None) -> int:
    """Draft a migration into the package's ``migrations/versions``; print its path."""
    parser = argparse.ArgumentParser(
        prog="python -m support_server.db",
        description="Draft the next schema migration: what the models in "
        "support_server/db/_models.py add to the newest revision.",
    )
    parser.add_argument("message", help="what changed, e.g. 'session records'")
    args = parser.parse_args(argv)
    with warnings.catch_warnings():  # SQLite cannot reflect expression indexes: nothing to do
        warnings.simplefilter("ignore")
        path = asyncio.run(draft_revision(args.message))
    print(f"drafted {path}: review it, `ruff format` it, and run tests/support_server/test_db.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
