"""BM25 over the passages with bm25s. Tokens keep council figures whole ("184/10,000", "33%",
"1.99") because questions so often name them, and drop a short list of stop words."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Collection, Mapping
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# bm25s sets its own logger to DEBUG, so every index build printed "DEBUG bm25s: Building index
# from tokens" through the root handler; its warnings still show.
logging.getLogger("bm25s").setLevel(logging.WARNING)

TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|[0-9][a-z0-9]*(?:[.,/:][0-9]+)*%?")
STOP_WORDS = frozenset(
    "a an and are as at be been but by did do does for from had has have how in into is it its "
    "of on or that the their there these this those to was were what when where which who whom "
    "why will with would".split()
)


_STEMMER = Stemmer.Stemmer("english")


def _stem(token: str) -> str:
    # Snowball folds "chaired"/"chair", "waiting"/"waits"; figures are left exactly as written.
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
    return token if token[0].isdigit() else _STEMMER.stemWord(token)


def figure_variants(token: str) -> list[str]:
    """Other ways a figure is searched for: "10,000" as "10000", "33%" as "33", and the parts
    of a ratio, so "184/10,000" is found by "10,000"."""
    if not token[:1].isdigit():
        return []
    variants = []
    if "," in token:
        variants.append(token.replace(",", ""))
    if token.endswith("%"):
        variants.append(token[:-1])
    if "/" in token:
        for part in token.split("/"):
            if part and part != token:
                variants.append(part)
                if "," in part:
                    variants.append(part.replace(",", ""))
    return list(dict.fromkeys(v for v in variants if v != token))


# Rule "contractions are their words": "what's" is "what is", so both are stop words, as
# "what is" is; left whole, "what's" stemmed to "what", a word no passage is about, and a
# question typed with it counted a term no answer could cover. ("isn't", "can't" stay: the
# "not" matters.)
CONTRACTION = re.compile(r"['’](?:s|re|ll|ve|d|m)$")


def tokenize(text: str) -> list[str]:
    tokens = []
    for token in TOKEN.findall(text.lower()):
        token = token.rstrip(".,:/")
        if CONTRACTION.search(token) and CONTRACTION.sub("", token) in STOP_WORDS:
            continue
        if token and token not in STOP_WORDS and (len(token) > 1 or token.isdigit()):
            tokens.append(_stem(token))
            tokens.extend(figure_variants(token))
    return tokens


EMPTY_PLACEHOLDER = "\u2205"


class TermStatistics:
    """How many passages hold each token, and the rarity (idf) the answerer weighs a question's
    words by. Read once from the BM25 arrays, so that nothing outside this module depends on how
    bm25s lays them out."""

    def __init__(self, vocabulary: Mapping[str, int], frequencies: np.ndarray, passages: int):
        self._ids = vocabulary  # token -> its column in `frequencies`
        self._frequencies = frequencies
        self._count = passages
        self._passages = max(passages, 1)  # an empty index still gives every word a finite idf

    @classmethod
    def of(cls, retriever: bm25s.BM25, passages: int) -> "TermStatistics":
        # bm25s keeps its scores as a sparse matrix with a column per token: the gaps between
        # column pointers are how many passages hold each token.
        frequencies = np.diff(np.asarray(retriever.scores["indptr"]))
        return cls(retriever.vocab_dict, frequencies, passages)

    @property
    def vocabulary(self) -> Collection[str]:
        """Every token the passages use, as tokenize() writes them."""
        return self._ids.keys()

    def document_frequency(self, token: str) -> int:
        """How many passages hold `token` (0 for one they never use)."""
        column = self._ids.get(token)
        return int(self._frequencies[column]) if column is not None and column < len(self._frequencies) else 0

    def idf(self, token: str) -> float:
        """BM25's idf, log(1 + (N - df + 0.5) / (df + 0.5)): a word no passage uses weighs most."""
        return bm25_idf(self.document_frequency(token), self._passages)

    @classmethod
    def summed(cls, parts: list["TermStatistics"]) -> "TermStatistics":
        """The statistics of several segments' passages together: document frequencies added
        token by token, passages counted in all of them."""
        if len(parts) == 1:
            return parts[0]
        ids = dict(parts[0]._ids)
        frequencies = np.zeros(len(ids), dtype=np.int64)
        own = np.asarray(parts[0]._frequencies, dtype=np.int64)
        frequencies[:min(len(own), len(ids))] = own[:len(ids)]
        for part in parts[1:]:
            added: list[int] = []
            for token, column in part._ids.items():
                df = int(part._frequencies[column]) if column < len(part._frequencies) else 0
                at = ids.get(token)
                if at is None:
                    ids[token] = len(frequencies) + len(added)
                    added.append(df)
                else:
                    frequencies[at] += df
            frequencies = np.concatenate([frequencies, np.asarray(added, dtype=np.int64)])
        return cls(ids, frequencies, sum(part.passages for part in parts))

    @property
    def passages(self) -> int:
        """How many passages the statistics count."""
        return self._count


def bm25_idf(df: int, passages: int) -> float:
    """bm25s's "lucene" idf, which its stored scores are multiplied by."""
    return math.log(1 + (passages - df + 0.5) / (df + 0.5))


class SparseIndex:
    def __init__(self, retriever: bm25s.BM25, size: int):
        self.retriever = retriever
        self.size = size
        self._terms: TermStatistics | None = None

    def terms(self) -> TermStatistics:
        """The index's term statistics (worked out on first use)."""
        if self._terms is None:
            self._terms = TermStatistics.of(self.retriever, self.size)
        return self._terms

    @classmethod
    def build(cls, texts: list[str]) -> "SparseIndex":
        retriever = bm25s.BM25()
        corpus = [tokenize(t) or ["∅"] for t in texts]
        retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    @classmethod
    def of_passages(cls, texts: list[str]) -> "SparseIndex":
        """The BM25 index of these passages' search texts, valid for none as well: bm25s cannot
        index nothing, so an index of no passages holds one placeholder and has size 0, and no
        search ever scores it (scores() answers an empty array for size 0)."""
        if not texts:
            sparse = cls.build([EMPTY_PLACEHOLDER])
            sparse.size = 0
            return sparse
        return cls.build(texts)

    def save(self, folder: Path) -> None:
        self.retriever.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, size: int, mmap: bool = False) -> "SparseIndex":
        """`mmap`: the score arrays (the bulk: a value per token a passage holds) are mapped, not
        read, and paged in by the queries' tokens; a writer that rebuilds nothing reads them whole."""
        return cls(bm25s.BM25.load(str(folder), allow_pickle=False, mmap=mmap), size)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.retriever.vocab_dict]
        if not tokens or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
