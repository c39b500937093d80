"""Per-image latency and peak memory of a warm PanReader vs stock EasyOCR readtext().

Both run on the same files in the same benchmark run: phone photos (camera-sized JPEGs) and
A4 flatbed scans at 600 dpi (~35 MP). Each engine runs in its own fresh process, one after
the other, so its peak RSS (``ru_maxrss``) is its own and the two never share the CPU.
Latency is wall-clock for ``reader.read(path)`` / ``reader.readtext(path)`` from the file on
disk (decoding included), after one untimed warm-up read. The last line is a summary.

    python benchmarks/speed.py                 # 12 photos + 2 scans (~10 minutes on 2 cores)
    python benchmarks/speed.py --quick         # 2 photos + 1 scan
    python benchmarks/speed.py --no-stock      # panread only
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
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

TARGET_P50_S = 1.0
SETS = ("photo", "scan600")
SET_TITLES = {"photo": "phone photos", "scan600": "A4 scans 600 dpi"}


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=12, help="phone photos to time (default 12)")
    parser.add_argument("--n-scans", type=int, default=2, help="600 dpi scans (default 2)")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--quick", action="store_true", help="2 photos and 1 scan")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for both engines")
    parser.add_argument("--no-stock", action="store_true", help="skip stock EasyOCR")
    parser.add_argument("--cache", type=Path, help="sample cache dir (default ~/.cache/...)")
    # `nox -s bench -- ARGS` hands the same ARGS to every benchmark: ignore the others' options.
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring options meant for other benchmarks: {' '.join(unknown)}", file=sys.stderr)
    if args.quick:
        args.n, args.n_scans = 2, 1
    if args.n < 1 or args.n_scans < 0:
        parser.error("--n must be >= 1 and --n-scans >= 0")
    return args


def _peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time_panread(files: dict[str, list[str]], threads: int) -> dict[str, Any]:
    """Child process: load, warm up, then time PanReader.read on every file."""
    from panread import PanReader, PanReadError

    out: dict[str, Any] = {"latency": defaultdict(list), "stages": defaultdict(list)}
    t0 = time.perf_counter()
    reader = PanReader(threads=threads)
    reader.warm_up()
    out["load_s"] = time.perf_counter() - t0
    out["rss_after_load_mb"] = _peak_rss_mb()
    first = next(path for paths in files.values() for path in paths)
    reader.read(first)  # untimed warm-up on a real card
    out["failures"] = 0
    for name, paths in files.items():
        for path in paths:
            start = time.perf_counter()
            try:
                if hasattr(reader, "timed_read"):
                    _, stages = reader.timed_read(path)
                    out["stages"][name].append(stages)
                else:
                    reader.read(path)
            except PanReadError:
                out["failures"] += 1
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
    out: dict[str, list[str]] = {"photo": [], "scan600": []}
    for i in range(args.n):
        _, path = files.get(LAYOUTS[i % len(LAYOUTS)], "photo", args.seed * 1000 + i)
        out["photo"].append(str(path))
    for i in range(args.n_scans):
        _, path = files.get(LAYOUTS[i % len(LAYOUTS)], "scan", args.seed * 1000 + i, dpi=600)
        out["scan600"].append(str(path))
    megapixels: dict[str, float] = {}
    for name, paths in out.items():
        sizes = [Image.open(p).size for p in paths]
        megapixels[name] = sum(w * h for w, h in sizes) / max(len(sizes), 1) / 1e6
    return {k: v for k, v in out.items() if v}, megapixels


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f}"


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    flush_print("preparing samples (cached after the first run) ...")
    files, megapixels = _build_files(args)
    flush_print("timing panread (own process) ...")
    ours = _in_child(_time_panread, files, args.threads)
    stock: dict[str, Any] | None = None
    if not args.no_stock:
        flush_print("timing stock easyocr readtext (own process) ...")
        stock = _in_child(_time_stock, files, args.threads)

    rows: list[list[object]] = []
    for name in files:
        lat = ours["latency"][name]
        row: list[object] = [
            SET_TITLES[name],
            len(lat),
            f"{megapixels[name]:.1f}",
            _fmt(percentile(lat, 50)),
            _fmt(percentile(lat, 95)),
        ]
        if stock is not None:
            ref = stock["latency"][name]
            row += [
                _fmt(percentile(ref, 50)),
                _fmt(percentile(ref, 95)),
                f"x{percentile(ref, 50) / percentile(lat, 50):.1f}",
            ]
        rows.append(row)
    headers = ["images", "n", "MP", "panread p50 s", "p95 s"]
    if stock is not None:
        headers += ["easyocr p50 s", "p95 s", "speed-up p50"]
    print()
    print(f"panread speed: warm reader, {args.threads} torch threads; {machine_line()}")
    print(table(headers, rows))

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
    if stock is not None:
        mem_rows.append(
            ["easyocr readtext", f"{stock['load_s']:.1f}", "-", f"{stock['peak_rss_mb']:.0f}", "-"]
        )
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
    if ours["failures"]:
        print(f"\nnote: {ours['failures']} panread reads raised PanReadError (timed anyway)")
    print()
    print(summary(files, ours, stock))
    return 0


def summary(files: dict[str, list[str]], ours: dict[str, Any], stock: dict[str, Any] | None) -> str:
    """``summary: panread p50 photo 0.80 s scan600 0.95 s (target < 1.0 s: met) ...``."""
    p50 = {name: percentile(ours["latency"][name], 50) for name in files}
    met = all(v < TARGET_P50_S for v in p50.values())
    parts = [f"summary: panread p50 {' '.join(f'{k} {v:.2f} s' for k, v in p50.items())}"]
    parts.append(f"(target < {TARGET_P50_S:.1f} s: {'met' if met else 'MISSED'})")
    if stock is not None:
        ref = {name: percentile(stock["latency"][name], 50) for name in files}
        parts.append(f"; easyocr readtext p50 {' '.join(f'{k} {v:.2f} s' for k, v in ref.items())}")
        parts.append(f"; speed-up {' '.join(f'{k} x{ref[k] / p50[k]:.1f}' for k in files)}")
        parts.append(
            f"; peak RSS panread {ours['peak_rss_mb']:.0f} MB easyocr {stock['peak_rss_mb']:.0f} MB"
        )
    else:
        parts.append(f"; peak RSS panread {ours['peak_rss_mb']:.0f} MB")
    return " ".join(parts).replace(" ;", ";")


if __name__ == "__main__":
    sys.exit(main())
