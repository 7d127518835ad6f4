"""The "int8" precision of the bundled all-MiniLM-L6-v2: int8 weights close enough to float32 that
an index keeps the model's name (as bfloat16 does), built on this machine from the float32 export
(index/minilm_onnx.py, build "int8-calibrated"). It is what "auto" runs on a CPU without native
bfloat16.

Plain dynamic quantization (onnxruntime's quantize_dynamic, the `all-MiniLM-L6-v2-int8` model)
moves the vectors too far for that (cosine 0.955 at worst over 1,500 Kent passages) because of two
things, each mended here:

1. Outlier channels. A few of the 384 hidden channels carry values many times the others', and
   the activations of a weight multiplication are quantized with one scale per run, so those few
   set the scale and every other channel keeps only a few of its 8 bits. The 8 largest input channels of
   each query/key/value, intermediate and output multiplication (found on calibration text) are
   taken out of the int8 product and multiplied in float32 beside it (x W = x_rest W_rest + x_out
   W_out): 8 of 384 or 1536 channels, 0.5-2% of the work.
2. Rounding each weight on its own. GPTQ (Frantar et al., 2022) rounds a weight matrix one input
   channel at a time and spreads each rounding error over the channels not yet rounded, weighted
   by how those channels vary together on calibration text (X^T X), so the errors of a row cancel
   in the product instead of adding up.

Calibration text is the demo papers shipped in demo/blackpool (about 240 KB of committee papers),
never the user's corpus, so the build is the same wherever it runs from the same library
versions; its float arithmetic (onnxruntime for the calibration, numpy for GPTQ) is run one
thread at a time, so on one machine the file is identical byte for byte every time. On another
CPU a weight at a rounding boundary may fall the other way: a build there can differ from this
one in a few weights.

Weights are quantized to 7 bits (-64..64) as quantize_dynamic's reduce_range does: CPUs without
VNNI multiply int8 with an instruction that saturates at 16 bits, which 7-bit weights never reach,
so every x86 CPU computes the same.

Measured against float32 over 1,500 Kent passages: cosine 0.9992 on average, 0.9964 at worst
(plain dynamic quantization: 0.992 / 0.955 on the same passages); the README, beside the Kent
ingest benchmark, has the rest."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from ..settings import DEMO_CORPUS

OUTLIER_CHANNELS = 8
WEIGHT_LEVELS = 64  # 7-bit weights: -64..64
# Added to X^T X's diagonal, as a share of its mean: keeps the inverse stable, and keeps GPTQ
# from trusting the calibration text's correlations too far on text unlike it. 0.01 (the paper's)
# left a Kent table of contents of dot leaders, unlike anything in the demo papers, at cosine
# 0.986; 0.1 gave 0.996 with the other passages as close (0.3 and 1.0 were no better).
GPTQ_DAMPING = 0.1
CALIBRATION_PASSAGES = 256
CALIBRATION_CHARS = 700  # about one passage of councilqa's chunker (chunk_target_chars)
MAX_TOKENS = 256


def calibration_texts(folder: Path = DEMO_CORPUS) -> list[str]:
    """Passages of the demo papers: paragraphs joined up to about CALIBRATION_CHARS, in file-name
    order, at most CALIBRATION_PASSAGES of them, spread evenly over all."""
    passages: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        current = ""
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            paragraph = " ".join(paragraph.split())
            if not paragraph:
                continue
            current = f"{current} {paragraph}".strip()
            if len(current) >= CALIBRATION_CHARS:
                passages.append(current)
                current = ""
        if current:
            passages.append(current)
    if not passages:
        raise FileNotFoundError(f"no calibration text (*.txt) in {folder}")
    step = max(1, len(passages) // CALIBRATION_PASSAGES)
    return passages[::step][:CALIBRATION_PASSAGES]


def quantize_calibrated(float32_model: Path, tokenizer: Path, target: Path) -> None:
    """Write the int8 build of `float32_model` (the export, with its redundant nodes dropped) to `target`."""
    from threadpoolctl import threadpool_limits

    # numpy's BLAS on one thread: the same sums in the same order on every run, and on a busy
    # 2-core machine its threads waiting on each other made the build ten times slower.
    with threadpool_limits(limits=1):
        _quantize_calibrated(float32_model, tokenizer, target)


def _quantize_calibrated(float32_model: Path, tokenizer: Path, target: Path) -> None:
    import onnx

    model = onnx.load(str(float32_model))
    weighted = _weight_matmuls(model)
    inputs = sorted({node.input[0] for node in weighted})
    absmax, xtx = _activation_statistics(model, inputs, tokenizer, calibration_texts())
    float_outliers, kept = _split_outliers(model, weighted, absmax)
    staged = target.with_name(target.name + ".float.onnx")
    onnx.save(model, str(staged))
    try:
        _quantize_dynamic(staged, target, exclude=float_outliers)
    finally:
        staged.unlink(missing_ok=True)
    quantized = onnx.load(str(target))
    _round_with_gptq(quantized, model, weighted, xtx, kept)
    # Shapes the quantizer copied from the float graph: without them onnxruntime plans the int8
    # graph by itself, with about a quarter less CPU time (measured in the experiment this recipe
    # came from; same vectors).
    del quantized.graph.value_info[:]
    onnx.save(quantized, str(target))


def _weight_matmuls(model) -> list:
    """The MatMul nodes that multiply by a weight (query, key, value, attention output,
    intermediate, output of each layer), not the attention's activation-by-activation products."""
    weights = {tensor.name for tensor in model.graph.initializer}
    return [node for node in model.graph.node if node.op_type == "MatMul" and node.input[1] in weights]


def _activation_statistics(model, inputs: list[str], tokenizer: Path, texts: list[str]):
    """Per weight-multiplication input: the largest |x| of each channel, and X^T X (float64) over
    every token of the calibration texts, each run alone as OnnxEmbedder runs them."""
    import onnx
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tapped = onnx.ModelProto()
    tapped.CopyFrom(model)
    for name in inputs:
        tapped.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one thread: the same sums in the same order every time
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(tapped.SerializeToString(), options, providers=["CPUExecutionProvider"])
    words = Tokenizer.from_file(str(tokenizer))
    words.enable_truncation(max_length=MAX_TOKENS)
    words.no_padding()
    absmax = {name: 0.0 for name in inputs}
    xtx = {name: 0.0 for name in inputs}
    pending: dict[str, list[np.ndarray]] = {name: [] for name in inputs}

    def accumulate() -> None:
        """X^T X of the tokens gathered so far, in float32 (one large product is ten times
        faster than one a text), added to the float64 sums."""
        for name, parts in pending.items():
            if parts:
                x = np.concatenate(parts)
                xtx[name] = xtx[name] + (x.T @ x).astype(np.float64)
                parts.clear()

    gathered = 0
    for encoding in words.encode_batch(texts):
        ids = np.asarray([encoding.ids], dtype=np.int64)
        outputs = session.run(inputs, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                       "token_type_ids": np.zeros_like(ids)})
        for name, x in zip(inputs, outputs):
            x = x.reshape(-1, x.shape[-1])
            absmax[name] = np.maximum(absmax[name], np.abs(x).max(axis=0))
            pending[name].append(x)
        gathered += ids.shape[1]
        if gathered >= 4096:
            accumulate()
            gathered = 0
    accumulate()
    return absmax, xtx


def _split_outliers(model, weighted: list, absmax: dict) -> tuple[list[str], dict[str, np.ndarray]]:
    """Take each weight multiplication's OUTLIER_CHANNELS largest input channels out of it into a
    float32 multiplication added to its result. Returns the names of those float multiplications
    (the quantizer leaves them alone) and, by the int8 multiplications' new input, which channels
    it keeps (1) or gets as zeros (0). The attention output's input (softmax-weighted values) has
    no outliers worth the cost."""
    from onnx import helper, numpy_helper

    weights = {tensor.name: tensor for tensor in model.graph.initializer}
    by_input: dict[str, list] = {}
    for node in weighted:
        if "/attention/output/" not in node.name:
            by_input.setdefault(node.input[0], []).append(node)
    before: dict[str, list] = {}  # node name -> nodes to insert before it
    after: dict[str, list] = {}
    float_matmuls = []
    kept: dict[str, np.ndarray] = {}
    for x, nodes in by_input.items():
        outliers = np.sort(np.argsort(-absmax[x], kind="stable")[:OUTLIER_CHANNELS]).astype(np.int64)
        keep = np.ones(len(absmax[x]), dtype=np.float32)
        keep[outliers] = 0
        index = numpy_helper.from_array(outliers, f"{x}_outlier_channels")
        mask = numpy_helper.from_array(keep, f"{x}_without_outliers")
        model.graph.initializer.extend([index, mask])
        kept[f"{x}_rest"] = keep
        first = nodes[0].name
        before.setdefault(first, []).extend([
            helper.make_node("Gather", [x, index.name], [f"{x}_outliers"], name=f"{x}_gather_outliers", axis=2),
            helper.make_node("Mul", [x, mask.name], [f"{x}_rest"], name=f"{x}_zero_outliers")])
        for node in nodes:
            weight = weights[node.input[1]]
            w = numpy_helper.to_array(weight)
            outlier_weight = numpy_helper.from_array(w[outliers], f"{weight.name}_outlier_rows")
            model.graph.initializer.append(outlier_weight)
            weight.CopyFrom(numpy_helper.from_array(w * keep[:, None], weight.name))
            node.input[0] = f"{x}_rest"
            # The bias Add after the multiplication gets the float part added to its result.
            bias_add = next(n for n in model.graph.node if n.op_type == "Add" and node.output[0] in n.input)
            result = bias_add.output[0]
            bias_add.output[0] = f"{result}_int8_part"
            float_name = f"{node.name}_outliers"
            before.setdefault(node.name, []).append(helper.make_node(
                "MatMul", [f"{x}_outliers", outlier_weight.name], [f"{node.output[0]}_outliers"], name=float_name))
            after.setdefault(bias_add.name, []).append(helper.make_node(
                "Add", [f"{result}_int8_part", f"{node.output[0]}_outliers"], [result], name=f"{node.name}_add_outliers"))
            float_matmuls.append(float_name)
    ordered = []
    for node in model.graph.node:
        ordered.extend(before.get(node.name, []))
        ordered.append(node)
        ordered.extend(after.get(node.name, []))
    del model.graph.node[:]
    model.graph.node.extend(ordered)
    return float_matmuls, kept


def _quantize_dynamic(source: Path, target: Path, exclude: list[str]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # "please consider pre-processing": advice for static quantization
    try:
        quantize_dynamic(str(source), str(target), op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True, nodes_to_exclude=exclude)
    finally:
        root.setLevel(level)


def _round_with_gptq(quantized, split_model, weighted: list, xtx: dict, kept: dict[str, np.ndarray]) -> None:
    """Replace the quantizer's rounded weights (and scales) by GPTQ's. `split_model` holds the
    float weights with their outlier rows zeroed; those channels are zero in the int8 product's
    input too, so they are left out of X^T X."""
    from onnx import numpy_helper

    floats = {tensor.name: tensor for tensor in split_model.graph.initializer}
    stored = {tensor.name: tensor for tensor in quantized.graph.initializer}
    for node in weighted:
        name = node.input[1]
        if f"{name}_quantized" not in stored:
            raise ValueError(f"the quantizer left {node.name} in float")
        w = numpy_helper.to_array(floats[name]).astype(np.float64)
        x = node.input[0]
        if x in kept:  # "<input>_rest": the input with its outlier channels zeroed
            h = xtx[x[:-len("_rest")]] * np.outer(kept[x], kept[x])
        else:
            h = xtx[x]
        q, scale = gptq(w, h)
        for suffix, array in (("_quantized", q), ("_scale", scale)):
            tensor = stored[name + suffix]
            if tuple(tensor.dims) != array.shape:
                raise ValueError(f"{tensor.name}: the quantizer wrote {tuple(tensor.dims)}, GPTQ {array.shape}")
            tensor.CopyFrom(numpy_helper.from_array(array, tensor.name))


def gptq(w: np.ndarray, xtx: np.ndarray, levels: int = WEIGHT_LEVELS, block: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """GPTQ of a weight `w` (inputs x outputs) given X^T X of its input: int8 weights (same shape,
    in -levels..levels) and one float32 scale per output. Input channels are rounded in order of
    decreasing X^T X diagonal (the busiest first, "act order"); each one's rounding error is
    carried to the channels not yet rounded through the Cholesky factor of (X^T X)^-1, at once
    within a block of channels and block by block beyond it (the paper's "lazy batch" updates:
    the same result, less memory traffic)."""
    w = w.T.copy()  # (outputs, inputs): one input channel is one column
    h = xtx.astype(np.float64).copy()
    dead = np.diag(h) == 0  # channels never active (or taken out): weight 0, kept out of the inverse
    h[dead, dead] = 1
    w[:, dead] = 0
    scale = np.abs(w).max(axis=1) / levels
    scale[scale == 0] = 1
    order = np.argsort(-np.diag(h), kind="stable")
    w, h = w[:, order], h[np.ix_(order, order)]
    h += GPTQ_DAMPING * np.mean(np.diag(h)) * np.eye(len(h))
    upper = np.linalg.cholesky(np.linalg.inv(h)).T
    q = np.zeros_like(w)
    for start in range(0, w.shape[1], block):
        end = min(start + block, w.shape[1])
        errors = np.zeros((w.shape[0], end - start))
        for i in range(start, end):
            rounded = np.clip(np.round(w[:, i] / scale), -levels, levels)
            q[:, i] = rounded
            error = (w[:, i] - rounded * scale) / upper[i, i]
            w[:, i + 1:end] -= np.outer(error, upper[i, i + 1:end])
            errors[:, i - start] = error
        w[:, end:] -= errors @ upper[start:end, end:]
    q = q[:, np.argsort(order, kind="stable")]
    return q.T.astype(np.int8), scale.astype(np.float32)
