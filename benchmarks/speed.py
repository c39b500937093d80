"""Per-image latency and peak memory of a warm PanReader against Tesseract, on the same files.

Image sets: rendered phone photos (camera-sized JPEGs), A4 flatbed scans at 600 dpi (~35 MP),
rendered tight crops (pictures that are already the card, 260-800 px wide) and, with
``--real DIR``, every image in DIR (real cards). The reference is Tesseract (``tesseract-ocr``
through pytesseract) with a simple line heuristic, the original design's reader; ``--stock``
also times stock EasyOCR ``readtext()`` (about a minute per image on 2 cores). Each engine
runs in its own fresh process, one after the other, so its peak RSS (``ru_maxrss``) is its
own and they never share the CPU. Latency is wall-clock from the file on disk (decoding
included), after one untimed warm-up read. On a shared machine absolute seconds are noisy:
the ratio to Tesseract measured in the same run is the steadier number. The last line is a
summary.

    python benchmarks/speed.py                          # 12 photos, 2 scans, 6 tight crops
    python benchmarks/speed.py --real ../shared/realcards
    python benchmarks/speed.py --quick                  # 2 photos, 1 scan, 2 tight crops
    python benchmarks/speed.py --no-tesseract --stock   # panread and stock EasyOCR
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import re
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SampleFiles, flush_print, machine_line, percentile, table
from panread.testing import LAYOUTS

TARGET_P50_S = 0.5
TARGET_P95_S = 1.5
SET_TITLES = {
    "photo": "phone photos",
    "scan600": "A4 scans 600 dpi",
    "tight": "tight crops",
    "real": "real cards",
}
TIGHT_KINDS = ("tiny", "tight_crop")


_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
"""What files under ``--real`` are timed (a README or truth file beside them is not)."""


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=12, help="phone photos to time (default 12)")
    parser.add_argument("--n-scans", type=int, default=2, help="600 dpi scans (default 2)")
    parser.add_argument("--n-tight", type=int, default=6, help="tight crops (default 6)")
    parser.add_argument(
        "--real",
        type=Path,
        metavar="DIR",
        help="also time every image in DIR/images (as accuracy.py takes it) or in DIR itself",
    )
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--quick", action="store_true", help="2 photos, 1 scan, 2 tight crops")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for EasyOCR")
    parser.add_argument("--no-tesseract", action="store_true", help="skip the Tesseract reference")
    parser.add_argument("--stock", action="store_true", help="also time stock EasyOCR readtext")
    parser.add_argument("--cache", type=Path, help="sample cache dir (default ~/.cache/...)")
    # `nox -s bench -- ARGS` hands the same ARGS to every benchmark: ignore the others' options.
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring options meant for other benchmarks: {' '.join(unknown)}", file=sys.stderr)
    if args.quick:
        args.n, args.n_scans, args.n_tight = 2, 1, 2
    if args.n < 1 or args.n_scans < 0 or args.n_tight < 0:
        parser.error("--n must be >= 1, --n-scans and --n-tight >= 0")
    if args.real is not None and not args.real.is_dir():
        parser.error(f"--real {args.real} is not a directory")
    return args


def _peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time_panread(files: dict[str, list[str]], threads: int) -> dict[str, Any]:
    """Child process: load, warm up, then time PanReader.read on every file."""
    from panread import PanReader, PanReadError

    out: dict[str, Any] = {
        "latency": defaultdict(list),
        "stages": defaultdict(list),
        "failures": defaultdict(int),
    }
    t0 = time.perf_counter()
    reader = PanReader(threads=threads)
    reader.warm_up()
    out["load_s"] = time.perf_counter() - t0
    out["rss_after_load_mb"] = _peak_rss_mb()
    first = next(path for paths in files.values() for path in paths)
    reader.read(first)  # untimed warm-up on a real card
    for name, paths in files.items():
        for path in paths:
            start = time.perf_counter()
            try:
                _, stages = reader.timed_read(path)
                out["stages"][name].append(stages)
            except PanReadError:
                out["failures"][name] += 1
            out["latency"][name].append(time.perf_counter() - start)
    out["peak_rss_mb"] = _peak_rss_mb()
    # Python/numpy heap peak of one read per set (tracemalloc slows reads: measured apart).
    out["heap_peak_mb"] = {}
    for name, paths in files.items():
        if paths:
            tracemalloc.start()
            with contextlib.suppress(PanReadError):
                reader.read(paths[0])
            out["heap_peak_mb"][name] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    out["latency"] = dict(out["latency"])
    out["stages"] = dict(out["stages"])
    out["failures"] = dict(out["failures"])
    return out


_PAN = re.compile(r"\b[A-Z]{5}[0-9]{4}[A-Z]\b")
_DATE = re.compile(r"\b\d{2}[/-]\d{2}[/-]\d{4}\b")


def tesseract_fields(text: str) -> dict[str, str | None]:
    """The original design's line heuristic: the PAN and date by pattern, the name and the
    father's name from the lines under their labels (or, on older cards, under the header)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: dict[str, str | None] = {"pan": None, "name": None, "father_name": None, "dob": None}
    for i, line in enumerate(lines):
        upper = line.upper()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if out["pan"] is None and (m := _PAN.search(upper.replace(" ", ""))):
            out["pan"] = m.group(0)
        if out["dob"] is None and (d := _DATE.search(line)):
            out["dob"] = d.group(0)
        if "FATHER" in upper and out["father_name"] is None:
            out["father_name"] = nxt
        elif "NAME" in upper and out["name"] is None:
            out["name"] = nxt
        elif "GOVT" in upper and out["name"] is None and i + 2 < len(lines):
            out["name"], out["father_name"] = lines[i + 1], lines[i + 2]
    return out


def _time_tesseract(files: dict[str, list[str]], threads: int) -> dict[str, Any]:
    """Child process: Tesseract (one thread, as it runs by default per page) plus the line
    heuristic on every file."""
    import os

    import pytesseract
    from PIL import Image, ImageOps

    os.environ["OMP_THREAD_LIMIT"] = str(threads)
    out: dict[str, Any] = {"latency": defaultdict(list), "found_pan": defaultdict(int)}

    def read(path: str) -> dict[str, str | None]:
        with Image.open(path) as img:
            grey = ImageOps.exif_transpose(img).convert("L")
        return tesseract_fields(pytesseract.image_to_string(grey))

    t0 = time.perf_counter()
    first = next(path for paths in files.values() for path in paths)
    read(first)  # untimed warm-up
    out["load_s"] = time.perf_counter() - t0
    for name, paths in files.items():
        for path in paths:
            start = time.perf_counter()
            fields = read(path)
            out["latency"][name].append(time.perf_counter() - start)
            out["found_pan"][name] += fields["pan"] is not None
    out["peak_rss_mb"] = _peak_rss_mb()
    out["latency"] = dict(out["latency"])
    out["found_pan"] = dict(out["found_pan"])
    return out


def _time_stock(files: dict[str, list[str]], threads: int) -> dict[str, Any]:
    """Child process: stock easyocr.Reader(['en']).readtext(path) on every file."""
    import easyocr
    import easyocr_en_models
    import torch

    torch.set_num_threads(threads)
    out: dict[str, Any] = {"latency": defaultdict(list)}
    t0 = time.perf_counter()
    reader = easyocr.Reader(
        ["en"],
        gpu=False,
        model_storage_directory=easyocr_en_models.model_dir(),
        download_enabled=False,
        verbose=False,
    )
    first = next(path for paths in files.values() for path in paths)
    reader.readtext(first)  # untimed warm-up
    out["load_s"] = time.perf_counter() - t0
    for name, paths in files.items():
        for path in paths:
            start = time.perf_counter()
            reader.readtext(path)
            out["latency"][name].append(time.perf_counter() - start)
    out["peak_rss_mb"] = _peak_rss_mb()
    out["latency"] = dict(out["latency"])
    return out


def _in_child(func: Any, *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        result: dict[str, Any] = pool.apply(func, args)
    return result


def _build_files(args: argparse.Namespace) -> tuple[dict[str, list[str]], dict[str, float]]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    files = SampleFiles(args.cache)
    out: dict[str, list[str]] = {"photo": [], "scan600": [], "tight": [], "real": []}
    for i in range(args.n):
        _, path = files.get(LAYOUTS[i % len(LAYOUTS)], "photo", args.seed * 1000 + i)
        out["photo"].append(str(path))
    for i in range(args.n_scans):
        _, path = files.get(LAYOUTS[i % len(LAYOUTS)], "scan", args.seed * 1000 + i, dpi=600)
        out["scan600"].append(str(path))
    for i in range(args.n_tight):
        kind = TIGHT_KINDS[i % len(TIGHT_KINDS)]
        _, path = files.get(LAYOUTS[i % len(LAYOUTS)], kind, args.seed * 1000 + i)
        out["tight"].append(str(path))
    if args.real is not None:
        images = args.real / "images"
        folder = images if images.is_dir() else args.real
        out["real"] = sorted(
            str(p) for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES
        )
    megapixels: dict[str, float] = {}
    for name, paths in out.items():
        sizes = [Image.open(p).size for p in paths]
        megapixels[name] = sum(w * h for w, h in sizes) / max(len(sizes), 1) / 1e6
    return {k: v for k, v in out.items() if v}, megapixels


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f}"


def _engines(args: argparse.Namespace, files: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Time every engine asked for, each in its own process, one after the other."""
    runs: dict[str, dict[str, Any]] = {}
    flush_print("timing panread (own process) ...")
    runs["panread"] = _in_child(_time_panread, files, args.threads)
    if not args.no_tesseract:
        flush_print("timing tesseract + line heuristic (own process) ...")
        runs["tesseract"] = _in_child(_time_tesseract, files, 1)
    if args.stock:
        flush_print("timing stock easyocr readtext (own process) ...")
        runs["easyocr"] = _in_child(_time_stock, files, args.threads)
    return runs


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    flush_print("preparing samples (cached after the first run) ...")
    files, megapixels = _build_files(args)
    runs = _engines(args, files)
    ours = runs["panread"]
    refs = {k: v for k, v in runs.items() if k != "panread"}

    rows: list[list[object]] = []
    for name in files:
        lat = ours["latency"][name]
        row: list[object] = [
            SET_TITLES[name],
            len(lat),
            f"{megapixels[name]:.1f}",
            _fmt(percentile(lat, 50)),
            _fmt(percentile(lat, 95)),
            ours["failures"].get(name, 0),
        ]
        for ref in refs.values():
            ref_lat = ref["latency"][name]
            row += [
                _fmt(percentile(ref_lat, 50)),
                _fmt(percentile(ref_lat, 95)),
                f"x{percentile(ref_lat, 50) / percentile(lat, 50):.2f}",
            ]
        rows.append(row)
    headers = ["images", "n", "MP", "panread p50 s", "p95 s", "errors"]
    for engine in refs:
        headers += [f"{engine} p50 s", "p95 s", "speed-up p50"]
    print()
    print(f"panread speed: warm reader, {args.threads} torch threads; {machine_line()}")
    print(table(headers, rows))
    if "tesseract" in refs:
        found = refs["tesseract"]["found_pan"]
        print(
            "tesseract found a PAN-shaped string in: "
            + ", ".join(f"{SET_TITLES[n]} {found.get(n, 0)}/{len(files[n])}" for n in files)
        )

    print()
    mem_rows: list[list[object]] = [
        [
            "panread",
            f"{ours['load_s']:.1f}",
            f"{ours['rss_after_load_mb']:.0f}",
            f"{ours['peak_rss_mb']:.0f}",
            ", ".join(f"{k} {v:.0f}" for k, v in ours["heap_peak_mb"].items()),
        ]
    ]
    for engine, ref in refs.items():
        mem_rows.append([engine, f"{ref['load_s']:.1f}", "-", f"{ref['peak_rss_mb']:.0f}", "-"])
    print(
        table(
            ["engine", "load+warm s", "RSS after load MB", "peak RSS MB", "heap peak/read MB"],
            mem_rows,
        )
    )
    stage_rows: list[list[object]] = []
    for name, stage_list in ours["stages"].items():
        if stage_list:
            keys = sorted({k for s in stage_list for k in s if k != "total"})
            parts = [
                f"{k} {sum(s.get(k, 0.0) for s in stage_list) / len(stage_list):.2f}" for k in keys
            ]
            stage_rows.append([SET_TITLES[name], ", ".join(parts)])
    if stage_rows:
        print()
        print(table(["panread stages (mean s)", ""], stage_rows))
    print()
    print(summary(files, ours, refs))
    return 0


def summary(
    files: dict[str, list[str]], ours: dict[str, Any], refs: dict[str, dict[str, Any]]
) -> str:
    """``summary: panread p50/p95 photo 0.40/0.90 s ... (targets ...: met); tesseract ...``."""
    p50 = {name: percentile(ours["latency"][name], 50) for name in files}
    p95 = {name: percentile(ours["latency"][name], 95) for name in files}
    met = all(p50[n] <= TARGET_P50_S and p95[n] <= TARGET_P95_S for n in files)
    sets = " ".join(f"{n} {p50[n]:.2f}/{p95[n]:.2f} s" for n in files)
    parts = [f"summary: panread p50/p95 {sets}"]
    parts.append(f"(targets <= {TARGET_P50_S} s / {TARGET_P95_S} s: {'met' if met else 'MISSED'})")
    for engine, ref in refs.items():
        ref50 = {n: percentile(ref["latency"][n], 50) for n in files}
        parts.append(f"; {engine} p50 {' '.join(f'{n} {ref50[n]:.2f} s' for n in files)}")
        parts.append(f"(panread x{' x'.join(f'{ref50[n] / p50[n]:.2f} {n}' for n in files)})")
    engines = [("panread", ours), *refs.items()]
    rss = " ".join(f"{e} {r['peak_rss_mb']:.0f} MB" for e, r in engines)
    parts.append(f"; peak RSS {rss}")
    return " ".join(parts).replace(" ;", ";")


if __name__ == "__main__":
    sys.exit(main())
