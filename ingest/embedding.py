"""Vectors for new passages, computed as files arrive and never twice for the same words.

A passage reuses a vector when its search text was embedded before, or when its printed words
are those of a passage of the same meeting embedded before: a paper reprinted in the meeting's
public pack (a Labour amendment's budget table in the original and again in the pack), or an
appendix quoted in another, differs only in the heading or header line around it, which BM25
still sees. Over the Kent corpus this skips 10% of the word pieces. Across meetings (a draft
budget and the final one) words are not matched: the context may have changed, and sharing
them moved a Kent question's answer from first to second place."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Container, Mapping
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from ..index.embedder import embedder_for
from ..index.writer_reads import StoredVectors
from ..schema import Chunk, Document

if TYPE_CHECKING:
    from ..settings import Settings
    from .journal import EmbeddingJournal
    from .pipeline import IngestReport

# Shorter printed texts ("Yes 760 75%", "Total 0.0") recur in unrelated tables and mean
# different things under different headers; only longer ones are the same passage reprinted.
MIN_SHARED_PRINT_CHARS = 60
_NOT_WORD = re.compile(r"\W+")


class VectorCache:
    """Vectors by passage search text and by meeting and printed words: those of the existing
    index (`stored`, index/writer_reads.py), read from it as passages ask for them, and those
    computed by this run. `documents` is the run's live table of documents, for their meetings.

    A search text is asked of the index once; a stored vector wins over one computed or resumed
    for the same text, as when the index was read whole first. Printed words are matched within
    a meeting, so the first passage that needs them reads that meeting's stored passages (only
    those), in row order, the first of a printing winning.

    Printed words are matched only with passages of documents that `current` (the documents
    the running pipeline version produced) holds: another version may have put other context
    around the same words (a table row's column names, new in that version), and matched on
    its words alone the passage kept the vector of its old search text, so a pipeline fix
    never reached the embeddings of passages of 60 characters or more. Search texts are
    matched whatever the version (the same text is the same vector)."""

    def __init__(self, stored: StoredVectors, documents: Mapping[str, Document], current: Container[str] = frozenset()):
        self.stored, self.documents = stored, documents
        self.by_text: dict[str, np.ndarray] = {}
        self.by_print: dict[str, np.ndarray] = {}
        self.asked: set[str] = set()  # search texts asked of the stored vectors
        # The meetings whose stored passages may lend a vector by their printed words: those of
        # the documents `current` holds, as the run found them (before it changes any).
        self.meeting_of = {doc_id: meeting for doc_id, doc in documents.items()
                           if doc_id in current and (meeting := _meeting(doc)) is not None}
        self.meetings_read: set[str] = set()

    def printed_key(self, chunk: Chunk) -> str | None:
        """The passage's meeting and printed words, case and punctuation aside; None when the
        meeting is unknown or the words too few to be telling."""
        doc = self.documents.get(chunk.document_id)
        meeting = _meeting(doc) if doc is not None else None
        return _printed_key(meeting, chunk) if meeting is not None else None

    def get(self, text: str, key: str | None) -> np.ndarray | None:
        """The vector for a passage's search text, or failing that for its printed key."""
        if text not in self.asked:
            self.asked.add(text)
            stored = self.stored.by_text(text)
            if stored is not None:
                self.by_text[text] = stored
        vector = self.by_text.get(text)
        if vector is None and key is not None:
            self._read_meeting(key.rsplit("\n", 1)[0])  # printed words hold no line break
            vector = self.by_print.get(key)
        return vector

    def put(self, text: str, key: str | None, vector: np.ndarray) -> None:
        self.by_text.setdefault(text, vector)
        if key is not None:
            self.by_print.setdefault(key, vector)

    def _read_meeting(self, meeting: str) -> None:
        if meeting in self.meetings_read:
            return
        self.meetings_read.add(meeting)
        papers = [doc_id for doc_id, of in self.meeting_of.items() if of == meeting]
        for chunk, vector in self.stored.of_documents(papers) if papers else ():
            if (key := _printed_key(meeting, chunk)) is not None:
                self.by_print.setdefault(key, vector)


def _meeting(doc: Document) -> str | None:
    return f"{doc.meeting_date} {doc.committee or ''}" if doc.meeting_date else None


def _printed_key(meeting: str, chunk: Chunk) -> str | None:
    words = _NOT_WORD.sub(" ", chunk.text).lower().strip()
    return f"{meeting}\n{words}" if len(words) >= MIN_SHARED_PRINT_CHARS else None


class EmbeddingQueue:
    """Embeds passages in batches as files arrive, so parsing (a thread or a child process) overlaps it."""

    def __init__(self, cache: VectorCache, settings: "Settings", report: "IngestReport", progress: bool,
                 parser_busy: Callable[[], bool] = lambda: False, journal: "EmbeddingJournal | None" = None):
        self.cache, self.settings, self.report = cache, settings, report
        # Every batch computed is journalled; what an interrupted run journalled is used first.
        self.journal = journal
        self.journalled: set[str] = set()
        for text, vector in journal.items() if journal is not None else ():
            cache.put(text, None, vector)
            self.journalled.add(text)
        # While the parser works, the embedder runs one batch fewer at a time and leaves it a
        # core: a batch sharing a core with the parser would only slow both.
        self.parser_busy = parser_busy
        # Slot (printed key, or search text for short passages) -> (text to embed, printed key).
        # Of several printings waiting together, the one with the most context is embedded.
        self.pending: dict[str, tuple[str, str | None]] = {}
        # Chunk id -> its (search text, printed key), worked out once in add() for vectors().
        self.lookup: dict[str, tuple[str, str | None]] = {}
        self.step = settings.embedding_window
        self.bar = tqdm(unit="passage", disable=not progress, desc="embed")
        self.loader: threading.Thread | None = None

    def warm_up(self) -> None:
        """Load the model in the background while the first files are parsed (it takes seconds).
        A failure is left for the first real use of the model to raise, with its message."""
        if self.loader is None:
            # Not a daemon: a process whose run ends before the model has loaded (every file failed
            # or was unchanged) waits for it at exit. Left running, onnxruntime or torch was torn
            # down under it and the process aborted ("terminate called without an active exception").
            # Said outright, because a thread inherits daemon from the thread that starts it, and
            # warm_up is called from the ingest's parsing thread, which is a daemon.
            self.loader = threading.Thread(target=self._load_quietly, name="councilqa-model", daemon=False)
            self.loader.start()

    def _load_quietly(self) -> None:
        try:
            embedder_for(self.settings)
        except Exception:  # noqa: BLE001 - raised again, in the main thread, by flush()
            pass

    def add(self, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            text, key = self.lookup[chunk.id] = chunk.search_text(), self.cache.printed_key(chunk)
            if self.cache.get(text, key) is not None:
                if text in self.journalled:
                    self.report.resumed_vectors += 1
                else:
                    self.report.reused_vectors += 1
                continue
            slot = key or text
            if slot in self.pending:
                self.report.reused_vectors += 1
                if len(text) <= len(self.pending[slot][0]):
                    continue
            self.pending[slot] = (text, key)
        if len(self.pending) >= self.step:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        t0 = time.perf_counter()
        waiting = list(self.pending.values())  # the embedder sorts by length and cuts batches by tokens
        self.pending = {}
        vectors = embedder_for(self.settings).encode([text for text, _ in waiting], self.parser_busy)
        if self.journal is not None:
            self.journal.add([text for text, _ in waiting], vectors)
        for (text, key), vector in zip(waiting, vectors):
            self.cache.put(text, key, vector)
        self.report.embedded += len(waiting)
        self.report.seconds["embed"] += time.perf_counter() - t0
        self.bar.update(len(waiting))

    def vectors(self, chunks: list[Chunk], dim: int) -> np.ndarray:
        self.flush()
        self.bar.close()
        if not chunks:
            return np.zeros((0, dim), dtype=np.float32)
        return np.asarray([self.cache.get(*self.lookup[c.id]) for c in chunks], dtype=np.float32)
