"""Rule "the thing counted, in other words": asked how many babies a county had, a passage that
counts births has named the thing counted, though not in the question's word; nor does a
councillor's "kids" have to be the papers' "children".

Whether two words name nearly the same thing is read from the sentence model the index was built
with (all-MiniLM-L6-v2 unless configured otherwise): each word is embedded alone and compared by
cosine. SAME_THING is the similarity at or above which two words count as one: on made-up pairs
(tests/test_word_senses.py) babies/births, kids/children, staff/employees and homes/houses are
above it, and councillors/officers, kids/adults, buses/trains, staff/pupils below. It is a
fallback, asked only when the question's own word is not there, and it reads only the words of
the unit and its caption, so a vector is computed for few words, each once (kept for the life of
the answerer, up to CACHED words)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np

from ..index.sparse import STOP_WORDS

SAME_THING = 0.65
CACHED = 50_000
WORD = re.compile(r"[a-z][a-z'’-]+[a-z]")


class WordSenses:
    """Word vectors on demand, for telling whether a text names a thing in other words."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]):
        self._encode = encode
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _vectors_of(self, words: list[str]) -> np.ndarray:
        with self._lock:
            new = [w for w in words if w not in self._vectors]
            if new:
                vectors = np.asarray(self._encode(new), dtype=np.float32)
                vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                self._vectors.update(zip(new, vectors))
                while len(self._vectors) > CACHED:
                    self._vectors.popitem(last=False)
            for w in words:
                self._vectors.move_to_end(w)
            return np.stack([self._vectors[w] for w in words])

    def names(self, word: str, text: str) -> bool:
        """Whether `text` has a word that means nearly what `word` does."""
        word = word.lower()
        said = sorted({w for w in WORD.findall(text.lower()) if w not in STOP_WORDS and w != word})
        if not said:
            return False
        vectors = self._vectors_of([word] + said)
        return bool((vectors[1:] @ vectors[0]).max() >= SAME_THING)
