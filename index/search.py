"""Hybrid retrieval: dense scores (from the index's VectorStore: FAISS or Milvus) and BM25
scores, each ranked, fused by reciprocal rank (RRF), filtered by committee, document type and
meeting date, and with repeats of the same passage (a paper printed both on its own and inside
a public pack) folded into one result.
A sentence pasted from a paper finds its own passage first (see `verbatim_runs`)."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import numpy as np

from ..ingest.clean import join_ordinals
from ..schema import Passage
from ..settings import Settings, get_settings
from .cross_encoder import load_cross_encoder
from .embedder import Embedder, embedder_for
from .filters import Filters
from .rerank import fused_order, reading
from .passages import MARKUP, PassageStore, words
from .segments import delta_store, open_sparse
from .store import live_generation
from .vector_store import Scope, open_vectors
from .view import IndexView

__all__ = ["Filters", "IndexView", "Searcher", "cut_run", "words"]

CANDIDATES = 100  # per retriever, before fusion
# BM25's votes count double in the fusion: committee papers are asked about by their own words
# (names, figures, item titles), which the small MiniLM model blurs. Measured over the answerable
# questions, hit@5 / MRR at rrf_k 60: Kent 0.650 / 0.443 -> 0.667 / 0.482, Blackpool dev
# 1.000 / 0.839 -> 1.000 / 0.855; weight 3 loses a dev question from the top 5.
SPARSE_WEIGHT = 2.0
# The preferred documents' own rankings (a meeting the question names: qa/meetings.py) count as
# much again as the whole index's: their best passage gains what the index's best passage has.
PREFERRED_WEIGHT = 1.0

# Pasted sentences. Officers paste a sentence from a paper into search to check a figure, and
# RRF alone ranks its passage anywhere in the top ten: the passages around it share most of its
# words, and minutes repeat whole phrases ("the voting was as follows"). So in hybrid search, a
# query of at least PASTED_WORDS words puts first the passages whose text holds it word for
# word, those holding it character for character (whitespace collapsed, as a quote is checked)
# before those differing in case or punctuation; then those holding a part of it cut off by a
# passage or page break (a run of its words that starts the query or the passage, and ends the
# query or the passage) of at least PASTED_WORDS words and PASTED_SHARE of the query, the
# longest run first; ties, and everything else, keep the RRF order. A question that names a
# paper's phrase among its own words ("what was decided on <title>?"), or a few keywords that
# happen to end a passage, matches neither way, so ordinary questions rank as before (the top
# 20 of every question and paraphrase of the eval sets are unchanged).
PASTED_WORDS = 8
PASTED_SHARE = 0.5
# Rule "a pasted figure is found where it is written". A shorter paste that carries a figure ("For
# (35)", "overspend of £23.3m", a table row's cells) is too short to read as a sentence, and as an
# ordinary query its figure is one rare word among common ones. Such a query, not a question, puts
# first the passages whose text holds it character for character (whitespace collapsed), when at
# most SHORT_PASTE_PLACES passages do: a fragment printed everywhere ("2025-26") says nothing of
# where to look, and keeps the ordinary order. Words without a figure ("foster carers") are a
# keyword search, not a paste, and keep it too.
SHORT_PASTE_PLACES = 10
SHORT_PASTE_FIGURE = re.compile(r"\d")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _collapse(text: str) -> str:
    return " ".join(MARKUP.sub("", text).split())


def best_first(scores: np.ndarray, n: int) -> np.ndarray:
    """The rows of the n highest scores, highest first, ties in row order: what a stable sort of
    every score gives, without sorting a million of them (the rows scoring at least the n-th
    highest score are sorted, ties at that score included)."""
    if len(scores) > n > 0:
        nth_highest = np.partition(scores, len(scores) - n)[len(scores) - n]
        rows = np.flatnonzero(scores >= nth_highest)
        return rows[np.argsort(-scores[rows], kind="stable")][:n]
    return np.argsort(-scores, kind="stable")[:n]


def _spaced_words(text: str) -> str:
    """" word word ... ": a passage's words as a pasted sentence's are looked for in it."""
    return f" {' '.join(words(text))} "


def cut_run(query: list[str], text: list[str]) -> int:
    """The longest run of `query`'s words that `text` holds in a row and that could be the part
    of the query left in this passage by a break: at its start it starts the query or the text,
    and at its end it ends the query or the text. len(query) when the text holds all of it."""
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(query):
        positions.setdefault(word, []).append(j)
    best, previous, last_q, last_t = 0, {}, len(query) - 1, len(text) - 1
    for t, word in enumerate(text):
        current = {j: previous.get(j - 1, 0) + 1 for j in positions.get(word, ())}
        for j, run in current.items():
            starts = j - run + 1 == 0 or t - run + 1 == 0
            if run > best and starts and (j == last_q or t == last_t):
                best = run
        previous = current
    return best


class Searcher:
    """A loaded index, ready for queries. What the index holds (documents, passages, term
    statistics) is asked of `index`, its IndexView; passages stay in the generation's SQLite
    store, BM25's arrays and FAISS's vectors are memory-mapped, so loading reads the documents'
    metadata and which document each row belongs to, not the passages."""

    def __init__(self, index_dir: Path, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        self.index_dir = Path(index_dir)
        generation, self.manifest = live_generation(self.index_dir)
        # A generation may be a base and a delta segment (segments.py), read as one index.
        passages = PassageStore(generation / "store.sqlite", delta_store(generation))
        self.sparse = open_sparse(generation, self.manifest, len(passages), mmap=True)
        self.index = IndexView(generation, self.manifest, self.sparse, passages)
        # The vectors stay in their store (FAISS file or Milvus); only the writer reads them back.
        self.dense = open_vectors(self.index_dir, generation, self.settings, len(passages), dict(self.index.documents))
        self._embedder = embedder
        self._reader = None  # the cross-encoder, loaded by the first search that reranks
        self.restricted = {doc_id for doc_id, doc in self.index.documents.items() if doc.access != "public"}

    @property
    def embedder(self) -> Embedder:
        """The model the index's vectors came from, whatever the settings say now: a question
        embedded by another model would be compared with vectors it cannot be compared with."""
        if self._embedder is None:
            recorded = self.index.embedding
            self._embedder = embedder_for(self.settings.with_embedding(recorded) if recorded else self.settings)
        return self._embedder

    def _allowed_rows(self, filters: Filters | None) -> np.ndarray | None:
        """The rows a search may return, or None for all. Restricted papers are left out here,
        before either retriever ranks anything, so what the public is given is what the public
        papers alone give (the sparse index's word statistics aside, which count every paper)."""
        everything = self.index.live_rows()  # None: no dead rows of a delta segment to keep out
        if not filters:
            return everything
        hides_some = bool(self.restricted) and not filters.include_restricted
        if not filters.active() and not hides_some:
            return everything
        return self.index.rows_of_documents(doc_id for doc_id, doc in self.index.documents.items() if filters.accepts(doc))

    def _dense_ranking(self, vector: np.ndarray, filters: Filters | None, allowed: np.ndarray | None, n: int) -> list[int]:
        """FAISS selects on the allowed rows; Milvus evaluates the filters itself (the same
        narrowing: see Filters). A row outside the allowed ones is dropped all the same, so a
        store that filtered wrongly could never hand a restricted passage to the public."""
        ranking = self.dense.search(vector, n, Scope(filters, allowed))
        if allowed is None:
            return ranking
        inside = np.isin(ranking, allowed)
        return [row for row, ok in zip(ranking, inside) if ok]

    @staticmethod
    def _sparse_ranking(scores: np.ndarray, allowed: np.ndarray | None, n: int) -> list[int]:
        """BM25's ranking from its scores of every passage, of the allowed rows only."""
        if allowed is not None:
            mask = np.full(scores.shape, -np.inf, dtype=np.float32)
            mask[allowed] = 0.0
            scores = scores + mask
        return [int(i) for i in best_first(scores, n) if scores[i] > 0]

    def _preferred_rankings(self, vector: np.ndarray, scores: np.ndarray, filters: Filters | None,
                            allowed: np.ndarray | None, prefer: Collection[str], n: int) -> list[tuple[float, list[int]]]:
        """Both retrievers' rankings of the preferred documents' passages alone (those the
        filters allow), weighted PREFERRED_WEIGHT times their usual weight. FAISS selects on
        those rows; Milvus, which evaluates filters rather than rows, gives its index-wide
        ranking narrowed to them (fewer of them, the same order)."""
        rows = self.index.rows_of_documents(doc for doc in prefer if doc in self.index.documents)
        if allowed is not None:
            rows = np.intersect1d(rows, allowed)
        if not len(rows):
            return []
        return [(PREFERRED_WEIGHT, self._dense_ranking(vector, filters, rows, n)),
                (PREFERRED_WEIGHT * SPARSE_WEIGHT, self._sparse_ranking(scores, rows, n))]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               mode: str = "hybrid", rerank: bool = True, prefer: Collection[str] = ()) -> list[Passage]:
        """Ranked passages. `mode` is "hybrid" (the default), or "dense" / "sparse" alone, which
        the evaluation runs as baselines. A hybrid search's best passages are reordered by the
        cross-encoder (index/rerank.py) unless `rerank` is False or the settings turn it off.
        `prefer` names documents (a meeting's papers, qa/meetings.py) whose passages the hybrid
        search ranks a second time among themselves, that ranking fused with the others
        (PREFERRED_WEIGHT): a preference, not a filter."""
        k = k or self.settings.search_k
        # A sentence pasted from a PDF keeps its superscript ordinals set apart ("6 th January"):
        # read as ingest cleaned the passages.
        query = join_ordinals(query)
        if not len(self.index) or not query.strip():
            return []
        allowed = self._allowed_rows(filters)
        if allowed is not None and not len(allowed):
            return []
        n = min(CANDIDATES, len(self.index))
        rankings = []
        # The question is embedded and scored by BM25 once, for the whole index and for the
        # preferred papers alike.
        vector = self.embedder.encode_query(query) if mode in ("hybrid", "dense") else None
        scores = self.sparse.scores(query) if mode in ("hybrid", "sparse") else None
        if vector is not None:
            rankings.append((1.0, self._dense_ranking(vector, filters, allowed, n)))
        if scores is not None:
            rankings.append((SPARSE_WEIGHT, self._sparse_ranking(scores, allowed, n)))
        if prefer and mode == "hybrid":
            rankings += self._preferred_rankings(vector, scores, filters, allowed, prefer, n)
        fused: dict[int, float] = {}
        for weight, ranking in rankings:
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + weight / (self.settings.rrf_k + rank + 1)
        ordered = sorted(fused.items(), key=lambda item: -item[1])
        if mode != "hybrid":
            return self._collapse_repeats(ordered, k)
        ordered, pasted = self._pasted_first(query, ordered, allowed)
        reading_count = self.settings.rerank_passages if rerank else 0
        passages = self._collapse_repeats(ordered, max(k, reading_count))
        if reading_count:
            # Passages holding the pasted sentence stay first; the cross-encoder orders the rest.
            pinned = len({_fold(self.index.chunk(row).text) for row in pasted})
            passages = passages[:pinned] + self._reranked(query, passages[pinned:reading_count])
        return passages[:k]

    def _reranked(self, query: str, passages: list[Passage]) -> list[Passage]:
        if not passages:
            return passages
        if self._reader is None:
            self._reader = load_cross_encoder(self.settings.reranker_path())
        logits = self._reader.logits(query, [reading(p) for p in passages])
        reordered = []
        for position, score in fused_order(logits.tolist(), self.settings.rrf_k):
            passage = passages[position]
            passage.score, passage.relevance = round(score, 6), round(float(logits[position]), 4)
            reordered.append(passage)
        return reordered

    def verbatim_runs(self, query: str, rows, allowed: np.ndarray | None = None) -> dict[int, tuple[int, bool]]:
        """For a pasted sentence, the passages that hold it (see PASTED_WORDS): row -> (how many
        of its words the passage holds in a row, whether it holds the query character for
        character). Every allowed row whose text holds all its words is found, and those of
        `rows` (the fused candidates) holding a cut part of it. A query shorter than PASTED_WORDS
        words is a short paste (`_short_paste`); empty for one that no passage holds."""
        asked = words(query)
        if len(asked) < PASTED_WORDS:
            return self._short_paste(query, asked, allowed)
        whole, exact = f" {' '.join(asked)} ", _collapse(query)
        candidates = self._allowed_rows_holding(asked, allowed)
        texts = {row: self.index.chunk(row).text for row in candidates}
        runs = {row: (len(asked), exact in _collapse(text)) for row, text in texts.items() if whole in _spaced_words(text)}
        # A cut part of PASTED_WORDS words or more holds the query's first or last PASTED_WORDS
        # words, or is the passage's whole text: only such rows are worth a cut_run.
        head, tail = (f" {' '.join(part)} " for part in (asked[:PASTED_WORDS], asked[-PASTED_WORDS:]))
        for row in rows:
            if row in runs:
                continue
            text = _spaced_words(self.index.chunk(row).text)
            if head in text or tail in text or text in whole:
                run = cut_run(asked, text.split())
                if run >= max(PASTED_WORDS, PASTED_SHARE * len(asked)):
                    runs[row] = (run, False)
        return runs

    def _allowed_rows_holding(self, asked: list[str], allowed: np.ndarray | None) -> list[int]:
        """The rows whose words may hold `asked` in a row (the pasted-sentence index), in row
        order, those outside `allowed` (a search's filters) left out."""
        candidates = sorted(self.index.rows_holding(asked))
        if allowed is None:
            return candidates
        return [row for row, ok in zip(candidates, np.isin(candidates, allowed)) if ok]

    def _short_paste(self, query: str, asked: list[str], allowed: np.ndarray | None) -> dict[int, tuple[int, bool]]:
        """The passages holding a short pasted fragment with a figure character for character (rule
        "a pasted figure is found where it is written", SHORT_PASTE_PLACES): row -> (its word
        count, True). Empty for a question, a fragment without a figure, or one held by more
        than SHORT_PASTE_PLACES passages."""
        exact = _collapse(query)
        if not asked or exact.endswith("?") or not SHORT_PASTE_FIGURE.search(exact):
            return {}
        held = []
        for row in self._allowed_rows_holding(asked, allowed):
            if exact in _collapse(self.index.chunk(row).text):
                held.append(row)
                if len(held) > SHORT_PASTE_PLACES:
                    return {}
        return {row: (len(asked), True) for row in held}

    def _pasted_first(self, query: str, ordered: list[tuple[int, float]],
                      allowed: np.ndarray | None) -> tuple[list[tuple[int, float]], list[int]]:
        """The fused order with the rows holding a pasted query first, and those rows."""
        runs = self.verbatim_runs(query, [row for row, _ in ordered], allowed)
        if not runs:
            return ordered, []
        fused = dict(ordered)
        # A whole-query match found outside the fused candidates keeps a score of 0.
        pasted = sorted(runs, key=lambda row: (-runs[row][0], not runs[row][1], -fused.get(row, 0.0), row))
        return [(row, fused.get(row, 0.0)) for row in pasted] + [item for item in ordered if item[0] not in runs], pasted

    def _collapse_repeats(self, ordered: list[tuple[int, float]], k: int) -> list[Passage]:
        """One result per distinct text, at the rank of its best copy. The copy cited is the
        original publication (earliest meeting, not a public pack); the others are listed in
        `also_in`, so an officer sees every paper that carries the passage."""
        index = self.index
        groups: dict[str, list[tuple[int, float]]] = {}
        for row, score in ordered:
            groups.setdefault(_fold(index.chunk(row).text), []).append((row, score))
        results: list[Passage] = []
        for copies in list(groups.values())[:k]:
            best_score = copies[0][1]
            chosen = min(copies, key=lambda rc: index.publication_order(index.chunk(rc[0]).document_id))
            passage = index.passage(index.chunk(chosen[0]), best_score)
            passage.also_in = list(dict.fromkeys(
                index.chunk(row).document_id for row, _ in copies
                if index.chunk(row).document_id != passage.document))
            results.append(passage)
        return results
