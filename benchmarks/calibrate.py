"""Where each kind of field becomes sure: the knees of panread's confidence calibration.

Reads ``accuracy.py --json`` outputs (rendered grids and real cards, development sets only),
and for each kind of field (PAN, name, date) prints the confidences of its wrong readings and
the lowest confidence above every one of them: read at that or more, the field was always
right. ``panread``'s ``CALIBRATION`` maps that confidence to 0.9, so "0.9 or more" means
"no wrong reading of this kind was ever that sure"; the table also says what share of right
readings it keeps at or above 0.9.

    python benchmarks/accuracy.py --seeds 2024 --json /tmp/grid.json
    python benchmarks/accuracy.py --real DIR --held-out-every 4 --json /tmp/real.json
    python benchmarks/calibrate.py /tmp/grid.json /tmp/real.json

Real cards of the held-out group are left out: they check the knees, they do not set them.
The runs must be made with the knees in use (the script undoes them to find the parser's own
confidences).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import table
from panread._calibration import KIND_OF_FIELD, SURE
from panread._tuning import CALIBRATION

MARGIN = 0.01
"""A knee sits this far above the surest wrong reading."""


def as_parsed(confidence: float, knee: float) -> float:
    """The parser's confidence behind ``confidence`` reported under ``knee`` (the inverse of
    :func:`panread._calibration.calibrated`)."""
    if knee <= 0.0 or knee >= 1.0:
        return confidence
    if confidence < SURE:
        return confidence * knee / SURE
    return knee + (confidence - SURE) * (1.0 - knee) / (1.0 - SURE)


def readings(results: list[dict[str, Any]]) -> dict[str, list[tuple[float, bool]]]:
    """(confidence as read, right) of every returned field, by kind of field."""
    out: dict[str, list[tuple[float, bool]]] = {kind: [] for kind in set(KIND_OF_FIELD.values())}
    for r in results:
        got = r.get("got")
        if r.get("group") == "held-out" or not got:
            continue
        for name, kind in KIND_OF_FIELD.items():
            if name not in r.get("scored", KIND_OF_FIELD) or got.get(name) is None:
                continue
            parsed = as_parsed(float(got["confidence"][name]), getattr(CALIBRATION, kind))
            out[kind].append((parsed, name not in r["wrong"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="accuracy.py --json outputs")
    args = parser.parse_args()
    results = [r for path in args.runs for r in json.loads(path.read_text())]
    rows = []
    for kind, found in sorted(readings(results).items()):
        wrong = sorted((c for c, ok in found if not ok), reverse=True)
        right = [c for c, ok in found if ok]
        knee = min(1.0, round(wrong[0] + MARGIN, 3)) if wrong else 0.0
        kept = sum(c >= knee for c in right) / max(1, len(right))
        rows.append(
            [
                kind,
                str(len(right)),
                str(len(wrong)),
                " ".join(f"{c:.2f}" for c in wrong[:5]),
                f"{knee:.3f}",
                f"{getattr(CALIBRATION, kind):.3f}",
                f"{100 * kept:.1f}%",
            ]
        )
    headers = ["field", "right", "wrong", "surest wrong", "knee", "in use", "right >= knee"]
    print(table(headers, rows))
    print("(confidences as the parser gave them; set new knees in panread/_tuning.py)")


if __name__ == "__main__":
    main()
