"""``panread IMAGE [IMAGE ...]``: read PAN cards from the command line.

Prints a readable summary per image, or with ``--json`` one JSON object per line (JSON Lines)
with ``source`` plus :meth:`PanCard.to_dict`. An unreadable image gives an ``error`` object
(``code`` and ``message``) for that image, the others still run, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from ._easyocr_engine import default_threads
from ._exceptions import PanReadError
from ._limits import ReadLimits
from ._reader import PanReader
from ._types import PanCard

__all__ = ["main"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be positive")
    return value


def _parser() -> argparse.ArgumentParser:
    defaults = ReadLimits()
    p = argparse.ArgumentParser(
        prog="panread",
        description="Read Indian PAN cards (PAN, name, father's name, date of birth) from images.",
    )
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files; '-' reads stdin")
    p.add_argument(
        "--json", action="store_true", help="print one JSON object per image (JSON Lines)"
    )
    p.add_argument(
        "--threads",
        type=_positive_int,
        default=None,
        help=f"torch threads for OCR (default: {default_threads()})",
    )
    p.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=defaults.max_bytes,
        help=f"largest accepted file in bytes (default: {defaults.max_bytes:,})",
    )
    p.add_argument(
        "--max-pixels",
        type=_positive_int,
        default=defaults.max_pixels,
        help=f"largest accepted image in pixels (default: {defaults.max_pixels:,})",
    )
    return p


def _summary(source: str, card: PanCard, out: TextIO) -> None:
    holder = f" ({card.holder_type.value})" if card.holder_type else ""
    print(f"{source}", file=out)
    print(f"  {'layout':<15}{card.layout.value}{holder}", file=out)
    rows: list[tuple[str, Any]] = [
        ("PAN", card.pan),
        ("name", card.name),
        ("father's name", card.father_name),
        ("mother's name", card.mother_name),
        ("date of birth" if card.layout.value != "company" else "incorporated", card.dob),
    ]
    for label, field in rows:
        if field is None:
            if label in ("mother's name",) or (label == "father's name" and card.mother_name):
                continue
            print(f"  {label:<15}-", file=out)
            continue
        value = field.value.isoformat() if hasattr(field.value, "isoformat") else field.value
        print(f"  {label:<15}{value}  (confidence {field.confidence:.2f})", file=out)
    for warning in card.warnings:
        print(f"  warning: {warning}", file=out)
    for finding in card.quality:
        print(f"  picture: {finding.message} ({finding.code.value})", file=out)


def _read_source(reader: PanReader, source: str) -> PanCard:
    if source == "-":
        return reader.read(sys.stdin.buffer.read(reader.limits.max_bytes + 1))
    return reader.read(source)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0: all read, 1: some failed)."""
    args = _parser().parse_args(argv)
    reader = PanReader(
        limits=ReadLimits(max_bytes=args.max_bytes, max_pixels=args.max_pixels),
        threads=args.threads,
    )
    status = 0
    out = sys.stdout
    for i, source in enumerate(args.images):
        try:
            card = _read_source(reader, source)
        except PanReadError as exc:
            status = 1
            if args.json:
                error = {"code": exc.code, "message": exc.message}
                print(json.dumps({"source": source, "error": error}), file=out, flush=True)
            else:
                print(f"{source}: error: {exc.message} [{exc.code}]", file=sys.stderr, flush=True)
            continue
        if args.json:
            print(json.dumps({"source": source, **card.to_dict()}), file=out, flush=True)
        else:
            if i:
                print(file=out)
            _summary(source, card, out)
            out.flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
