"""ONNX Runtime copies of CRAFT and the recogniser's features, exported once into a cache.

On first use the loaded torch modules are exported to ONNX (CRAFT with a free height and
width; the recogniser's convolutional feature extractor, with a free batch and width: its
int8 LSTM stays in torch, as ONNX has no op that computes what torch's dynamically quantised
LSTM does, and the fp32 one reads real cards worse) and written atomically
into the cache directory, named by the weights' MD5 and the torch and onnxruntime versions,
so later processes load them directly. Every session is checked against torch on a probe
input before it is used. A cached file that does not load or does not match is exported
again; a cache that cannot be written keeps the export in memory; if onnxruntime cannot run
the models at all, the caller keeps torch. Each of these is a logged warning, never an error.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CACHE_ENV", "OnnxModels", "default_cache_dir", "load_onnx_models", "torch_features"]

log = logging.getLogger("panread")

CACHE_ENV = "PANREAD_CACHE_DIR"
"""Environment variable naming the directory of the exported models."""

_EXPORT_VERSION = 1
"""Part of every cached file's name: raise it when the exported graphs change."""

_OPSET = 17
_TOLERANCE = 1e-3
"""Largest difference from torch allowed on the probe (CRAFT scores, recogniser features)."""


def default_cache_dir() -> Path:
    """``$PANREAD_CACHE_DIR``, else ``$XDG_CACHE_HOME/panread``, else ``~/.cache/panread``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "panread"


@dataclass(frozen=True)
class OnnxModels:
    """The two ONNX Runtime sessions of one thread count."""

    craft: Any
    features: Any

    def craft_scores(self, image: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """CRAFT's region and affinity maps (N x H/2 x W/2 x 2) of normalised N x 3 x H x W."""
        return np.asarray(self.craft.run(None, {"image": image})[0])

    def recogniser_features(self, batch: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The recogniser's visual features (N x steps x 256) of N x 1 x 64 x W crops."""
        return np.asarray(self.features.run(None, {"image": batch})[0])


@dataclass(frozen=True)
class _Spec:
    name: str
    weights_md5: str
    export: Callable[[], bytes]
    probe: np.ndarray[Any, Any]
    reference: Callable[[np.ndarray[Any, Any]], np.ndarray[Any, Any]]


def load_onnx_models(
    craft: Any,
    recogniser: Any,
    md5s: tuple[str, str],
    threads: int,
    cache_dir: Path,
) -> OnnxModels | None:
    """Sessions for the torch ``craft`` and ``recogniser``, or None if ORT cannot run them.

    ``md5s`` are the MD5 sums of the CRAFT and recogniser weight files.
    """
    try:
        import onnxruntime
        import torch
    except ImportError as exc:
        log.warning("panread keeps torch: onnxruntime is not installed", extra={"error": str(exc)})
        return None
    versions = f"torch{torch.__version__}-ort{onnxruntime.__version__}-v{_EXPORT_VERSION}"
    wrappers = _wrappers(torch)
    craft_net = wrappers["craft"](craft)
    features_net = wrappers["features"](recogniser)
    rng = np.random.default_rng(0)
    specs = (
        _Spec(
            "craft",
            md5s[0],
            lambda: _export(torch, craft_net, (1, 3, 96, 128), {2: "height", 3: "width"}),
            rng.normal(0.0, 1.0, (1, 3, 96, 128)).astype(np.float32),
            lambda x: _torch_run(torch, lambda t: craft(t)[0], x),
        ),
        _Spec(
            "recogniser-features",
            md5s[1],
            lambda: _export(torch, features_net, (2, 1, 64, 160), {0: "batch", 3: "width"}),
            rng.uniform(-1.0, 1.0, (2, 1, 64, 160)).astype(np.float32),
            lambda x: _torch_run(torch, lambda t: torch_features(recogniser, t), x),
        ),
    )
    sessions = []
    for spec in specs:
        path = cache_dir / f"{spec.name}-{spec.weights_md5}-{versions}.onnx"
        try:
            sessions.append(_checked_session(onnxruntime, spec, path, threads))
        except Exception as exc:
            log.warning(
                "panread keeps torch: onnxruntime cannot run the exported model",
                extra={"model": spec.name, "error": f"{type(exc).__name__}: {exc}"},
            )
            return None
    return OnnxModels(craft=sessions[0], features=sessions[1])


def torch_features(recogniser: Any, batch: Any) -> Any:
    """The recogniser's visual features of a batch in torch, as its own ``forward`` makes them."""
    features = recogniser.FeatureExtraction(batch)
    return recogniser.AdaptiveAvgPool(features.permute(0, 3, 1, 2)).squeeze(3)


def _checked_session(ort: Any, spec: _Spec, path: Path, threads: int) -> Any:
    """A session from the cached file if it loads and matches torch, else from a new export."""
    if path.is_file():
        try:
            session = _session(ort, str(path), threads)
            _check(session, spec)
        except Exception as exc:
            log.warning(
                "panread cached model unusable, exporting it again",
                extra={"path": str(path), "error": f"{type(exc).__name__}: {exc}"},
            )
        else:
            return session
    data = spec.export()
    _write_atomically(path, data)
    session = _session(ort, data, threads)
    _check(session, spec)
    log.info("panread model exported to ONNX", extra={"model": spec.name, "path": str(path)})
    return session


def _session(ort: Any, model: str | bytes, threads: int) -> Any:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # shapes change with every image: the arena only kept the largest ones' memory (325 MB
    # more peak RSS over 12 real cards) and memory patterns cannot be reused
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _check(session: Any, spec: _Spec) -> None:
    got = np.asarray(session.run(None, {"image": spec.probe})[0])
    want = spec.reference(spec.probe)
    if got.shape != want.shape:
        raise ValueError(f"output shape {got.shape}, torch gives {want.shape}")
    diff = float(np.abs(got - want).max())
    if not diff <= _TOLERANCE:
        raise ValueError(f"outputs differ from torch's by up to {diff:.3g}")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file; a failure is a logged warning."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning(
            "panread cannot write the model cache, keeping the export in memory",
            extra={"path": str(path), "error": str(exc)},
        )


def _export(torch: Any, net: Any, shape: tuple[int, ...], free: dict[int, str]) -> bytes:
    """The ONNX bytes of ``net``; every module keeps the train/eval mode it had (the exporter
    sets eval while tracing and then sets the wrapper's mode on everything under it)."""
    modes = [(module, module.training) for module in net.modules()]
    buffer = io.BytesIO()
    with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
        # the tracer warns about Python conditions in torch's LSTM that hold for any shape
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(
                net,
                (torch.zeros(shape),),
                buffer,
                dynamo=False,
                opset_version=_OPSET,
                input_names=["image"],
                output_names=["output"],
                dynamic_axes={"image": free},
            )
        finally:
            for module, training in modes:
                module.training = training
    return buffer.getvalue()


def _torch_run(
    torch: Any, net: Callable[[Any], Any], x: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    with torch.inference_mode():
        return np.asarray(net(torch.from_numpy(x)).numpy())


def _wrappers(torch: Any) -> dict[str, Any]:
    """Export wrappers (torch is imported lazily, so the classes are made here)."""

    class Craft(torch.nn.Module):  # type: ignore[misc]
        """CRAFT's score maps alone (its feature map is not used)."""

        def __init__(self, net: Any) -> None:
            super().__init__()
            self.net = net

        def forward(self, x: Any) -> Any:
            return self.net(x)[0]

    class Features(torch.nn.Module):  # type: ignore[misc]
        """The recogniser's feature extractor, computing what it computes in the mode it is in.

        A BatchNorm layer in train mode normalises with the statistics of each batch:
        written out here, as the exporter would otherwise use the running statistics
        (EasyOCR's quantised recogniser is in eval mode; an unquantised one is not). The
        pooling is written as a mean, which ONNX can export for a free width
        (``AdaptiveAvgPool2d((None, 1))`` over the 3 rows is one).
        """

        def __init__(self, net: Any) -> None:
            super().__init__()
            self.net = net
            # read now: the exporter switches every module to eval mode while it traces
            self.batch_stats = [
                isinstance(layer, torch.nn.BatchNorm2d) and layer.training
                for layer in net.FeatureExtraction.ConvNet
            ]

        def forward(self, x: Any) -> Any:
            net = self.net
            for layer, batch_stats in zip(
                net.FeatureExtraction.ConvNet, self.batch_stats, strict=True
            ):
                if batch_stats:
                    mean = x.mean(dim=(0, 2, 3), keepdim=True)
                    var = ((x - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
                    scale = layer.weight.view(1, -1, 1, 1) / torch.sqrt(var + layer.eps)
                    x = (x - mean) * scale + layer.bias.view(1, -1, 1, 1)
                else:
                    x = layer(x)
            return x.permute(0, 3, 1, 2).mean(dim=3)

    return {"craft": Craft, "features": Features}
