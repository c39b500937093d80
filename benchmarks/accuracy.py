"""Exact-match accuracy of PanReader on seeded synthetic cards, by layout and by degradation.

Builds the evaluation grid (every layout x every degradation, ``--n`` cards per cell, for
each of the ``--seeds``; 600 cards by default), reads each with one warm ``PanReader`` and
prints per-field and whole-card exact-match rates as tables. The last line is a one-line
summary. Samples are cached on disk (see ``--cache``); ``--failures DIR`` writes every failed
image with a JSON of expected vs got.

    python benchmarks/accuracy.py                 # default grid (~12 minutes on 2 cores)
    python benchmarks/accuracy.py --quick         # 1 card per cell, a smoke run
    python benchmarks/accuracy.py --n 25 --kinds photo scan --failures /tmp/fails
    python benchmarks/accuracy.py --real ../shared/realcards --held-out-every 4

``--real DIR`` reads real cards instead: ``DIR/images/*`` scored against ``DIR/truth.json``
(per file: ``pan``, ``name``, ``father_name``, ``dob``, ``layout``, ``capture``; a value of
``"?"`` could not be read with certainty and is not scored; text is compared in capitals with
anything but letters and digits as single spaces). The tables group real cards by layout and by
capture. ``--held-out-every N`` reports every N-th file (sorted by name) as a held-out set apart.
Both kinds of run print a reliability table: how often a returned field is right per confidence
band, and how many wrong fields were read at 0.9 or more.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FIELDS, SampleFiles, flush_print, machine_line, pct, table
from panread import PanReader, PanReadError
from panread._calibration import SURE
from panread.testing import DEGRADATIONS, LAYOUTS, evaluation_set

# Targets from the issue: whole cards right on clean renders, photos and scans.
TARGETS = {"clean": 99.0, "photos": 98.0, "scan": 99.0}
REAL_TARGETS = {"card": 95.0, "field": 97.0}
REAL_FIELDS = ("pan", "name", "father_name", "dob")
UNREADABLE = "?"
"""A truth value of a real card whose print could not be read with certainty: not scored."""
BANDS = ((SURE, 1.0), (0.8, SURE), (0.6, 0.8), (0.0, 0.6))
"""Confidence bands of the reliability table, [low, high) (the first includes 1.0)."""
PHOTO_KINDS = ("photo", "exif_rotated", "rotated")
SHORT = {"father_name": "father", "mother_name": "mother", "holder_type": "holder"}


@dataclass
class Result:
    """One sample's outcome."""

    layout: str
    kind: str
    seed: int
    seconds: float
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (expected, got)
    error: str | None = None
    got: dict[str, Any] | None = None
    scored: tuple[str, ...] = FIELDS
    """The fields compared (a real card's unreadable prints are not)."""
    source: str | None = None
    """A real card's file name (rendered cards are named by layout, kind and seed)."""
    group: str = "rendered"
    """Which set the sample belongs to: rendered, or real development / held-out cards."""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.wrong

    @property
    def name(self) -> str:
        return self.source or f"{self.layout}-{self.kind}-{self.seed}"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=6, help="cards per layout x kind (default 6)")
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=[2024, 7, 11, 13, 17],
        help="evaluation set seeds, one grid each (default 2024 7 11 13 17)",
    )
    parser.add_argument("--quick", action="store_true", help="1 card per cell (smoke run)")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--kinds", nargs="+", choices=DEGRADATIONS, default=list(DEGRADATIONS))
    parser.add_argument("--failures", type=Path, help="write failed samples + JSON here")
    parser.add_argument("--cache", type=Path, help="sample cache dir (default ~/.cache/...)")
    parser.add_argument("--threads", type=int, help="torch threads for the reader")
    parser.add_argument("--quiet", action="store_true", help="no per-sample progress lines")
    parser.add_argument("--json", type=Path, help="also write all results as JSON here")
    parser.add_argument(
        "--real", type=Path, metavar="DIR", help="read real cards: DIR/images and DIR/truth.json"
    )
    parser.add_argument(
        "--held-out-every",
        type=int,
        metavar="N",
        help="with --real: report every N-th file (sorted by name) as a held-out set",
    )
    # `nox -s bench -- ARGS` hands the same ARGS to every benchmark: ignore the others' options.
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring options meant for other benchmarks: {' '.join(unknown)}", file=sys.stderr)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.quick:
        args.n = 1
    if args.held_out_every is not None and (args.real is None or args.held_out_every < 2):
        parser.error("--held-out-every needs --real and a number of at least 2")
    return args


def _compare(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (expected.get(name), got.get(name))
        for name in FIELDS
        if expected.get(name) != got.get(name)
    }


def _normalised(value: object) -> str:
    """Capitals, anything but letters and digits as single spaces (how real cards are scored)."""
    text = re.sub(r"[^A-Z0-9 ]", " ", str(value or "").upper())
    return " ".join(text.split())


def _compare_real(
    truth: dict[str, Any], got: dict[str, Any]
) -> tuple[tuple[str, ...], dict[str, tuple[Any, Any]]]:
    """(the fields scored, the wrong ones) of a real card against what is printed on it."""
    scored = tuple(f for f in REAL_FIELDS if truth.get(f) != UNREADABLE)
    wrong = {
        f: (truth.get(f), got.get(f))
        for f in scored
        if _normalised(truth.get(f)) != _normalised(got.get(f))
    }
    return scored, wrong


def _rates_rows(groups: dict[str, list[Result]], fields: tuple[str, ...]) -> list[list[object]]:
    rows: list[list[object]] = []
    for key, results in groups.items():
        total = len(results)
        row: list[object] = [key, total]
        for name in fields:
            scored = [r for r in results if name in r.scored]
            hits = sum(1 for r in scored if r.error is None and name not in r.wrong)
            row.append(pct(hits, len(scored)))
        row.append(pct(sum(r.ok for r in results), total))
        row.append(sum(r.error is not None for r in results))
        row.append(f"{sum(r.seconds for r in results) / max(total, 1):.2f}")
        rows.append(row)
    return rows


def _headers(first: str, fields: tuple[str, ...]) -> list[str]:
    return [first, "n", *(SHORT.get(f, f) for f in fields), "card", "errors", "s/img"]


def _dump_failure(directory: Path, result: Result, data: bytes, suffix: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{result.name}{suffix}").write_bytes(data)
    report = {
        "sample": result.name,
        "error": result.error,
        "wrong": {k: {"expected": e, "got": g} for k, (e, g) in result.wrong.items()},
        "got": result.got,
    }
    (directory / f"{result.name}.json").write_text(json.dumps(report, indent=2, default=str))


def _warm_reader(args: argparse.Namespace) -> PanReader:
    reader = PanReader(threads=args.threads) if args.threads else PanReader()
    t0 = time.perf_counter()
    reader.warm_up()
    flush_print(f"model loaded and warm in {time.perf_counter() - t0:.1f} s")
    return reader


def run_real(args: argparse.Namespace) -> list[Result]:
    """Read every real card of ``args.real`` and return the outcomes."""
    truth: dict[str, dict[str, Any]] = json.loads((args.real / "truth.json").read_text())
    names = sorted(truth)
    missing = [n for n in names if not (args.real / "images" / n).is_file()]
    if missing:
        raise SystemExit(f"{args.real / 'images'} lacks {len(missing)} file(s): {missing[:3]}")
    every = args.held_out_every
    reader = _warm_reader(args)
    results: list[Result] = []
    for index, name in enumerate(names, 1):
        printed = truth[name]
        group = "held-out" if every and index % every == 0 else "development"
        result = Result(printed["layout"], printed["capture"], 0, 0.0, source=name, group=group)
        start = time.perf_counter()
        try:
            card = reader.read(args.real / "images" / name)
        except PanReadError as exc:
            result.error = f"{exc.code}: {exc}"
            result.scored = tuple(f for f in REAL_FIELDS if printed.get(f) != UNREADABLE)
        else:
            result.got = card.to_dict()
            result.scored, result.wrong = _compare_real(printed, result.got)
        result.seconds = time.perf_counter() - start
        results.append(result)
        if not args.quiet:
            status = "ok" if result.ok else f"FAIL {result.error or ', '.join(result.wrong)}"
            flush_print(f"[{index}/{len(names)}] {group} {name} {result.seconds:.2f}s {status}")
    return results


def run(args: argparse.Namespace) -> list[Result]:
    """Read every sample of the grid and return the outcomes."""
    files = SampleFiles(args.cache)
    cells = [
        cell
        for seed in args.seeds
        for cell in evaluation_set(
            args.n, seed, layouts=tuple(args.layouts), kinds=tuple(args.kinds)
        )
    ]
    reader = _warm_reader(args)
    results: list[Result] = []
    for index, (layout, kind, seed) in enumerate(cells, 1):
        sample, path = files.get(layout, kind, seed)
        start = time.perf_counter()
        result = Result(layout, kind, seed, 0.0)
        try:
            card = reader.read(path)
        except PanReadError as exc:
            result.error = f"{exc.code}: {exc}"
        else:
            result.got = card.to_dict()
            result.wrong = _compare(sample.expected, result.got)
        result.seconds = time.perf_counter() - start
        results.append(result)
        if not args.quiet:
            status = "ok" if result.ok else f"FAIL {result.error or ', '.join(result.wrong)}"
            flush_print(f"[{index}/{len(cells)}] {result.name} {result.seconds:.2f}s {status}")
        if args.failures and not result.ok:
            _dump_failure(args.failures, result, sample.data, path.suffix)
    return results


def _fields_of(results: list[Result]) -> tuple[str, ...]:
    return REAL_FIELDS if any(r.source for r in results) else FIELDS


def _rate_tables(results: list[Result], groupings: dict[str, str]) -> list[str]:
    """One exact-match table per grouping (title -> Result attribute)."""
    fields = _fields_of(results)
    lines: list[str] = []
    for title, attr in groupings.items():
        groups: dict[str, list[Result]] = defaultdict(list)
        for r in results:
            groups[getattr(r, attr)].append(r)
        lines += [
            f"exact match by {title}",
            table(_headers(title, fields), _rates_rows(groups, fields)),
            "",
        ]
    return lines


def report(results: list[Result], args: argparse.Namespace) -> str:
    """The tables, the failure list and the final summary line."""
    if args.real:
        return report_real(results, args)
    by_layout: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_layout[r.layout].append(r)
    lines = [
        f"panread accuracy: {len(results)} cards ({args.n} per layout x kind x seed), "
        f"seeds {' '.join(map(str, args.seeds))}; {machine_line()}",
        "",
        *_rate_tables(results, {"layout": "layout", "kind": "kind"}),
        "whole-card exact match, layout x degradation",
    ]
    kinds = [k for k in DEGRADATIONS if any(r.kind == k for r in results)]
    grid_rows: list[list[object]] = []
    for layout, group in by_layout.items():
        row: list[object] = [layout]
        for kind in kinds:
            cell = [r for r in group if r.kind == kind]
            row.append(pct(sum(r.ok for r in cell), len(cell)))
        grid_rows.append(row)
    lines.append(table(["layout", *kinds], grid_rows))
    lines += ["", *_reliability_lines(results), *_failure_lines(results), "", summary(results)]
    return "\n".join(lines)


def report_real(results: list[Result], args: argparse.Namespace) -> str:
    """The real-card tables (all, then each set apart), reliability, failures and summary."""
    sets = sorted({r.group for r in results})
    lines = [
        f"panread accuracy on {len(results)} real cards in {args.real}; {machine_line()}",
        "",
    ]
    for name in ["all", *sets] if len(sets) > 1 else ["all"]:
        group = [r for r in results if name in ("all", r.group)]
        lines += [f"=== {name} ({len(group)} cards)", ""]
        lines += _rate_tables(group, {"layout": "layout", "capture": "kind"})
        lines += _reliability_lines(group)
        lines += ["", real_summary(group, name), ""] if name != "all" else [""]
    lines += _failure_lines(results)
    lines += ["", real_summary(results, "all")]
    return "\n".join(lines)


def _reliability(results: list[Result]) -> tuple[list[tuple[int, int]], int, float]:
    """Per band (right, wrong) returned fields; wrong fields at >= SURE; share of right at it."""
    bands = [(0, 0) for _ in BANDS]
    for r in results:
        confidence = (r.got or {}).get("confidence") or {}
        for name in r.scored:
            c = confidence.get(name)
            if c is None or (r.got or {}).get(name) is None:
                continue
            i = next(i for i, (low, _) in enumerate(BANDS) if c >= low)
            right, wrong = bands[i]
            bands[i] = (right, wrong + 1) if name in r.wrong else (right + 1, wrong)
    total_right = sum(right for right, _ in bands)
    sure_right = 100.0 * bands[0][0] / total_right if total_right else 0.0
    return bands, bands[0][1], sure_right


def _reliability_lines(results: list[Result]) -> list[str]:
    bands, sure_wrong, sure_right = _reliability(results)
    rows: list[list[object]] = []
    for (low, high), (right, wrong) in zip(BANDS, bands, strict=True):
        closing = "]" if high >= 1.0 else ")"
        rows.append([f"[{low:.1f}, {high:.1f}{closing}", right, wrong, pct(right, right + wrong)])
    return [
        "reliability: returned fields right per confidence band",
        table(["confidence", "right", "wrong", "share right"], rows),
        f"wrong fields at >= {SURE}: {sure_wrong}; right fields at >= {SURE}: {sure_right:.1f}%",
    ]


def _failure_lines(results: list[Result]) -> list[str]:
    failures = [r for r in results if not r.ok]
    if not failures:
        return []
    lines = ["", f"failures ({len(failures)})"]
    for r in failures:
        confidence = (r.got or {}).get("confidence") or {}
        detail = r.error or "; ".join(
            f"{k}: expected {e!r} got {g!r} ({confidence.get(k)})" for k, (e, g) in r.wrong.items()
        )
        lines.append(f"  {r.name}: {detail}")
    return lines


def summary(results: list[Result]) -> str:
    """``summary: whole-card clean 100.0% photo 97.5% ... all 98.1% (n=120); targets ...``."""
    parts = []
    for kind in DEGRADATIONS:
        group = [r for r in results if r.kind == kind]
        if group:
            parts.append(f"{kind} {pct(sum(r.ok for r in group), len(group))}")
    photos = [r for r in results if r.kind in PHOTO_KINDS]
    verdicts = []
    for name, target in TARGETS.items():
        group = photos if name == "photos" else [r for r in results if r.kind == name]
        if group:
            rate = 100.0 * sum(r.ok for r in group) / len(group)
            verdicts.append(f"{name}>={target:.0f}% {'met' if rate >= target else 'MISSED'}")
    whole = pct(sum(r.ok for r in results), len(results))
    _, sure_wrong, sure_right = _reliability(results)
    return (
        f"summary: whole-card {' '.join(parts)} all {whole} (n={len(results)}); "
        f"wrong-at-{SURE}+ {sure_wrong} right-at-{SURE}+ {sure_right:.0f}%; "
        f"targets: {', '.join(verdicts)}"
    )


def real_summary(results: list[Result], name: str) -> str:
    """``summary real all: cards 41 card-accuracy 58.5% field-accuracy 80.9% ...``."""
    scored = [(r, f) for r in results for f in r.scored]
    fields_right = sum(1 for r, f in scored if r.error is None and f not in r.wrong)
    card = 100.0 * sum(r.ok for r in results) / max(1, len(results))
    field_rate = 100.0 * fields_right / max(1, len(scored))
    worst = min(
        (
            100.0
            * sum(1 for r, g in scored if g == f and r.error is None and f not in r.wrong)
            / max(1, sum(1 for _, g in scored if g == f))
            for f in REAL_FIELDS
        ),
        default=0.0,
    )
    _, sure_wrong, sure_right = _reliability(results)
    met = card >= REAL_TARGETS["card"] and worst >= REAL_TARGETS["field"]
    return (
        f"summary real {name}: cards {len(results)} card-accuracy {card:.1f}% "
        f"field-accuracy {field_rate:.1f}% worst-field {worst:.1f}% "
        f"wrong-at-{SURE}+ {sure_wrong} right-at-{SURE}+ {sure_right:.0f}%; "
        f"targets (cards>={REAL_TARGETS['card']:.0f}%, every field>={REAL_TARGETS['field']:.0f}%) "
        f"{'met' if met else 'MISSED'}"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    results = run_real(args) if args.real else run(args)
    print()
    print(report(results, args))
    if args.json:
        args.json.write_text(
            json.dumps([r.__dict__ | {"ok": r.ok} for r in results], indent=1, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
