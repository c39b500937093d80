"""Shared pieces of the panread benchmarks: a disk cache of seeded samples, tables, stats."""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import panread.testing
from panread.testing import Sample, random_card_spec, sample_for

FIELDS: tuple[str, ...] = (
    "pan",
    "name",
    "father_name",
    "mother_name",
    "dob",
    "layout",
    "holder_type",
)


def default_cache_dir() -> Path:
    """Where generated samples are kept between runs (``$PANREAD_BENCH_CACHE`` overrides)."""
    env = os.environ.get("PANREAD_BENCH_CACHE")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "panread-bench"


def _renderer_fingerprint() -> str:
    """A hash of the renderer's source, so a changed renderer never reuses stale samples."""
    digest = hashlib.sha256()
    package_dir = Path(panread.testing.__file__).parent
    for path in sorted(package_dir.glob("*.py")):
        if path.name == "_fake_engine.py":
            continue
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class SampleFiles:
    """Writes each sample to a file once (cached on disk) and hands out its path."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.dir = (cache_dir or default_cache_dir()) / _renderer_fingerprint()
        self.dir.mkdir(parents=True, exist_ok=True)

    def get(
        self, layout: str, kind: str, seed: int, *, dpi: int | None = None
    ) -> tuple[Sample, Path]:
        """The sample and the path of its encoded file (generated on first use)."""
        stem = f"{layout}-{kind}-{seed}" + (f"-{dpi}dpi" if dpi else "")
        for suffix in (".png", ".jpg"):
            path = self.dir / f"{stem}{suffix}"
            if path.exists():
                return _cached_sample(layout, kind, seed, path), path
        sample = sample_for(layout, kind, seed, dpi=dpi)
        path = self.dir / f"{stem}{sample.suffix}"
        (self.dir / f"{stem}.json").write_text(json.dumps(sample.info, default=str))
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(sample.data)
        tmp.replace(path)
        return sample, path


def _cached_sample(layout: str, kind: str, seed: int, path: Path) -> Sample:
    """Rebuild a cached sample's spec and expected values without re-rendering it."""
    spec = random_card_spec(random.Random(seed), layout=layout)
    info_path = path.with_suffix(".json")
    info: dict[str, object] = {"kind": kind}
    if info_path.exists():
        info = json.loads(info_path.read_text())
    return Sample(path.read_bytes(), kind, spec, spec.expected(), seed, info)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = math.floor(pos)
    high = math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned columns (first column left-aligned)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            row[i].ljust(widths[i]) if i == 0 else row[i].rjust(widths[i]) for i in range(len(row))
        ]
        return "  ".join(parts).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells[1:])
    return "\n".join(out)


def pct(hits: int, total: int) -> str:
    """``hits/total`` as a percentage with one decimal, or ``-`` when there is nothing."""
    return f"{100.0 * hits / total:.1f}%" if total else "-"


def machine_line() -> str:
    """One line naming the machine, for benchmark output and docs."""
    return (
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    )


def flush_print(*parts: object) -> None:
    """Print and flush at once, so progress shows under nox and pipes."""
    print(*parts)
    sys.stdout.flush()
