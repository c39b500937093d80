"""A ready-made evaluation sample: a card spec rendered, degraded and encoded, with its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from panread.testing._degrade import CAPTURES, DEGRADATIONS, KINDS, degrade_with_info
from panread.testing._render import render_card
from panread.testing._spec import LAYOUTS, CardSpec, random_card_spec

# Cards are rendered larger than the 1000 px clean default before a degradation resizes them,
# so that photos and 600 dpi scans keep print-sharp text.
_DEGRADED_RENDER_WIDTH = 2000


@dataclass(frozen=True)
class Sample:
    """One encoded image file and what a reader must find in it.

    ``data`` is the file's bytes (PNG for ``clean``, JPEG otherwise); ``expected`` has the
    ``PanCard.to_dict()`` values for pan, name, father_name, mother_name, dob, layout and
    holder_type; ``info`` records the degradation parameters drawn (frame size, dpi, ...).
    """

    data: bytes
    kind: str
    spec: CardSpec
    expected: dict[str, Any]
    seed: int = 0
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(self.data, bytes) or not self.data:
            raise ValueError("data must be the non-empty bytes of an encoded image")

    @property
    def suffix(self) -> str:
        """File name suffix matching ``data``: ``.png`` or ``.jpg``."""
        return ".png" if self.data.startswith(b"\x89PNG") else ".jpg"

    @property
    def name(self) -> str:
        """A short file-name stem such as ``new-photo-7`` (no PAN or name in it)."""
        return f"{self.spec.layout}-{self.kind}-{self.seed}"


def make_sample(
    spec: CardSpec, kind: str = "clean", seed: int = 0, *, dpi: int | None = None
) -> Sample:
    """Render ``spec`` and degrade it as ``kind``; same arguments give the same bytes."""
    width = 1000 if kind == "clean" else _DEGRADED_RENDER_WIDTH
    image = render_card(spec, seed=seed, width=width)
    data, info = degrade_with_info(image, kind, seed, dpi=dpi)
    return Sample(data, kind, spec, spec.expected(), seed, info)


def evaluation_set(
    n_per_cell: int,
    seed: int = 0,
    *,
    layouts: tuple[str, ...] = LAYOUTS,
    kinds: tuple[str, ...] = DEGRADATIONS,
) -> list[tuple[str, str, int]]:
    """The (layout, kind, sample seed) triples of a seeded evaluation grid, cheap to list.

    Build each sample with :func:`sample_for`; the grid covers every layout x kind. Choosing
    some ``layouts`` or ``kinds`` gives the matching cells of the full grid, the same cards.
    ``kinds`` may also name CAPTURES; their cards are drawn apart, so that adding them never
    changes the cards of the DEGRADATIONS.
    """
    unknown = sorted(set(layouts) - set(LAYOUTS)) + sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown layouts or kinds: {', '.join(unknown)}")
    rng = random.Random(f"evaluation:{seed}")
    cells = []
    for layout in LAYOUTS:
        for kind in DEGRADATIONS:
            for _ in range(n_per_cell):
                sample_seed = rng.randrange(10**9)
                if layout in layouts and kind in kinds:
                    cells.append((layout, kind, sample_seed))
    extra = random.Random(f"evaluation:{seed}:captures")
    for layout in LAYOUTS:
        for kind in CAPTURES:
            for _ in range(n_per_cell):
                sample_seed = extra.randrange(10**9)
                if layout in layouts and kind in kinds:
                    cells.append((layout, kind, sample_seed))
    return cells


def sample_for(layout: str, kind: str, sample_seed: int, *, dpi: int | None = None) -> Sample:
    """The sample of ``layout`` and ``kind`` drawn from ``sample_seed`` (see evaluation_set)."""
    spec = random_card_spec(random.Random(sample_seed), layout=layout)
    return make_sample(spec, kind, sample_seed, dpi=dpi)
