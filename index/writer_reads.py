"""What an ingest or a removal reads of the live generation in order to change it, and no more.

A writer that adds, replaces or removes a few papers needs the index's catalogue: its documents'
records, failures, withdrawals, pipeline versions, embedding model and how many passages each
document has. Of the passages it needs only the vectors of those whose words it is about to embed
(to reuse them instead of embedding them again). Reading every passage and every vector first
(store.load_index) made adding 10 papers to a large index cost time and memory in proportion to
the whole index. Here:

- load_catalogue reads the catalogue from the store (base and delta, segments.py) and the
  manifest; a document's cleaned text is read only when asked for (StoredTexts);
- VectorsOnDisk finds a stored vector by a passage's search text through the store's search-text
  table (passages.py), and a meeting's passages by their documents (for the printed-words match,
  ingest/embedding.py), and reads only those rows' vectors from FAISS (base or delta).

A generation whose vectors are in Milvus, or whose stores were written before they had the
search-text table, is read whole as before (VectorsInMemory over load_index): Milvus is written
whole anyway, and an older store could only be searched by scanning it. `councilqa compact`
writes an older index again with the table. Nothing here is pickled; the live generation is
only read (a writer holds the writer lock, so it does not change under us)."""

from __future__ import annotations

import sqlite3
import time
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..schema import Chunk, Document, IngestError
from .errors import VectorStoreUnavailable
from .passages import SEARCH_TEXTS_TABLE, has_table, open_read_only, search_text_key
from .segments import DELTA, delta_store, row_space, segment_sizes
from .store import Withdrawal, live_generation, load_withdrawn
from .vector_store import FAISS_FILE, FaissVectors, read_record


class StoredTexts(MutableMapping[str, str]):
    """Documents' cleaned texts (document id -> text) as a dict to the writer: a stored text is
    read from the live generation when first asked for; changes stay in memory. An ingest needs
    the texts of the documents it writes records of, not the texts of every paper."""

    def __init__(self, read: Callable[[str], str | None] | None = None, stored: Iterable[str] = ()):
        self._read = read
        self._unread = set(stored)  # ids whose stored text has not been asked for
        self._texts: dict[str, str] = {}

    def __getitem__(self, doc_id: str) -> str:
        if doc_id not in self._texts and doc_id in self._unread:
            self._unread.discard(doc_id)
            self._texts[doc_id] = self._read(doc_id) or ""
        return self._texts[doc_id]

    def __setitem__(self, doc_id: str, text: str) -> None:
        self._unread.discard(doc_id)
        self._texts[doc_id] = text

    def __delitem__(self, doc_id: str) -> None:
        if doc_id in self._unread:
            self._unread.discard(doc_id)
        else:
            del self._texts[doc_id]

    def __iter__(self) -> Iterator[str]:
        yield from list(self._texts)
        yield from sorted(self._unread)

    def __len__(self) -> int:
        return len(self._texts) + len(self._unread)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._texts or doc_id in self._unread


@dataclass
class Catalogue:
    """The live generation without its passages and vectors: what it says of its papers."""

    documents: dict[str, Document] = field(default_factory=dict)
    texts: StoredTexts = field(default_factory=StoredTexts)
    failures: list[IngestError] = field(default_factory=list)
    model: str = ""
    pipeline: dict[str, int] = field(default_factory=dict)  # document id -> PIPELINE_VERSION
    withdrawn: dict[str, Withdrawal] = field(default_factory=dict)
    embedding: dict[str, str] | None = None
    generation: Path | None = None  # None: there is no index yet
    manifest: dict = field(default_factory=dict)
    passages_of: dict[str, int] = field(default_factory=dict)  # document id -> its live passages
    searchable_by_text: bool = False  # every store has the search-text table

    @property
    def passages(self) -> int:
        return sum(self.passages_of.values())

    @property
    def dim(self) -> int:
        return int(self.manifest.get("dim", 384))

    @property
    def vector_store(self) -> str:
        return read_record(self.generation)["store"] if self.generation is not None else "faiss"


def open_store(generation: Path) -> sqlite3.Connection:
    """The generation's store.sqlite read-only, its delta's attached (segments.VIEWS) if it has one.
    `immutable`: a generation never changes once written."""
    return open_read_only(generation / "store.sqlite", delta_store(generation))


def _stored_text(generation: Path, doc_id: str) -> str | None:
    db = open_store(generation)
    try:
        row = db.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    finally:
        db.close()
    return row[0] if row else None


def load_catalogue(index_dir: Path) -> Catalogue:
    """The live generation's catalogue (IndexNotFound when there is none)."""
    generation, manifest = live_generation(index_dir)
    segmented = delta_store(generation) is not None
    db = open_store(generation)
    try:
        documents = {doc_id: Document.model_validate_json(meta) for doc_id, meta in db.execute("SELECT id, meta FROM documents")}
        passages_of = {d: int(n) for d, n in db.execute("SELECT document_id, count(*) FROM chunks GROUP BY document_id")}
        failures = [IngestError(path=p, reason=r) for p, r in db.execute("SELECT path, reason FROM failures")]
        pipeline: dict[str, int] = {}
        if segmented or has_table(db, "pipeline"):
            pipeline = {d: int(v) for d, v in db.execute("SELECT document_id, version FROM pipeline") if d in documents}
        searchable = has_table(db, SEARCH_TEXTS_TABLE) and (not segmented or has_table(db, SEARCH_TEXTS_TABLE, "delta"))
    finally:
        db.close()
    texts = StoredTexts(lambda doc_id: _stored_text(generation, doc_id), documents)
    return Catalogue(documents, texts, failures, manifest.get("model", ""), pipeline, load_withdrawn(generation),
                     manifest.get("embedding"), generation, manifest, passages_of, searchable)


# -- vectors of passages already stored -------------------------------------------------------


class StoredVectors(ABC):
    """The vectors the live generation holds, as an ingest reuses them: by a passage's search
    text, and by the documents of a meeting. `read` counts the vectors read from the index,
    `seconds` the CPU time this thread spent finding and reading them (thread time: an ingest
    looks them up while its parsing thread runs, and wall time would count the waits for it)."""

    read: int = 0
    seconds: float = 0.0

    @abstractmethod
    def by_text(self, text: str) -> np.ndarray | None:
        """The vector of the first live passage (in row order) whose search text is `text`."""

    @abstractmethod
    def of_documents(self, doc_ids: Iterable[str]) -> Iterator[tuple[Chunk, np.ndarray]]:
        """These documents' live passages with their vectors, in row order."""


class VectorsInMemory(StoredVectors):
    """A generation read whole (or none at all): its passages and vectors in memory."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray | None):
        self.chunks, self.vectors = chunks, vectors
        self.read = len(chunks)
        self.row_of_text: dict[str, int] = {}
        self.rows_of: dict[str, list[int]] = {}
        for row, chunk in enumerate(chunks):
            self.row_of_text.setdefault(chunk.search_text(), row)
            self.rows_of.setdefault(chunk.document_id, []).append(row)

    def by_text(self, text: str) -> np.ndarray | None:
        row = self.row_of_text.get(text)
        return None if row is None else self.vectors[row]

    def of_documents(self, doc_ids: Iterable[str]) -> Iterator[tuple[Chunk, np.ndarray]]:
        rows = sorted(row for doc_id in set(doc_ids) for row in self.rows_of.get(doc_id, ()))
        return ((self.chunks[row], self.vectors[row]) for row in rows)


class VectorsOnDisk(StoredVectors):
    """A FAISS generation's vectors read row by row as asked for: the rows found in its store's
    search-text table or by document (live rows only: a tombstoned document's base rows are
    dead), each vector reconstructed from the base's or the delta's dense.faiss (memory-mapped:
    only the pages of the rows read are touched)."""

    def __init__(self, catalogue: Catalogue):
        self.generation, self.manifest = catalogue.generation, catalogue.manifest
        self.db = open_store(self.generation)
        # Closed when the ingest that read it lets it go, on any of its ways out (a service
        # runs many ingests, each leaving no store open).
        self._closing = weakref.finalize(self, self.db.close)
        self.segmented = delta_store(self.generation) is not None
        self.files = [self.generation / FAISS_FILE] + ([self.generation / DELTA / FAISS_FILE] if self.segmented else [])
        missing = [str(f) for f in self.files if not f.is_file()]
        if missing:  # never read a broken index as one without those papers
            raise VectorStoreUnavailable(f"index in {self.generation} has no vectors: {', '.join(missing)} missing")
        self.dense: list[FaissVectors] | None = None
        self.split = 0

    def _open_vectors(self) -> list[FaissVectors]:
        """The base's and the delta's FAISS files, opened (memory-mapped) when a first vector is
        read: an ingest of papers with new words reads none, and opens nothing (an HNSW base
        reads its graph on opening)."""
        if self.dense is None:
            rows = row_space(self.db, self.segmented)
            sizes = segment_sizes(self.generation, self.manifest) or (rows, 0)
            dense = [FaissVectors.open(f) for f in self.files]
            found = [len(d) for d in dense] + [0] * (2 - len(dense))
            if tuple(found) != tuple(sizes) or sum(sizes) != rows:
                raise VectorStoreUnavailable(f"index in {self.generation} is inconsistent: {found[0]} + {found[1]} "
                                             f"vectors for {sizes[0]} + {sizes[1]} passages ({rows} rows)")
            self.dense, self.split = dense, sizes[0]
        return self.dense

    def _vector(self, row: int) -> np.ndarray:
        dense = self._open_vectors()
        self.read += 1
        if row < self.split:
            return dense[0].exact.reconstruct(int(row))
        return dense[1].exact.reconstruct(int(row - self.split))

    def by_text(self, text: str) -> np.ndarray | None:
        started = time.thread_time()
        key = search_text_key(text)
        if self.segmented:
            found = self.db.execute(
                f"SELECT c.row, c.data FROM main.{SEARCH_TEXTS_TABLE} s JOIN main.chunks c ON c.row = s.row "
                "WHERE s.key = ? AND c.document_id NOT IN (SELECT document_id FROM delta.dropped) "
                f"UNION ALL SELECT c.row, c.data FROM delta.{SEARCH_TEXTS_TABLE} s JOIN delta.chunks c ON c.row = s.row "
                "WHERE s.key = ? ORDER BY 1", (key, key))
        else:
            found = self.db.execute(f"SELECT c.row, c.data FROM {SEARCH_TEXTS_TABLE} s JOIN chunks c ON c.row = s.row "
                                    "WHERE s.key = ? ORDER BY 1", (key,))
        try:
            for row, data in found.fetchall():
                if Chunk.model_validate_json(data).search_text() == text:  # not another text of the same hash
                    return self._vector(row)
            return None
        finally:
            self.seconds += time.thread_time() - started

    def of_documents(self, doc_ids: Iterable[str]) -> Iterator[tuple[Chunk, np.ndarray]]:
        started = time.thread_time()
        ids = sorted(set(doc_ids))
        found: list[tuple[Chunk, np.ndarray]] = []
        for start in range(0, len(ids), 500):  # SQLite's limit on parameters
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            found += [(row, data) for row, data in
                      self.db.execute(f"SELECT row, data FROM chunks WHERE document_id IN ({marks})", part)]
        found.sort(key=lambda hit: hit[0])
        passages = [(Chunk.model_validate_json(data), self._vector(row)) for row, data in found]
        self.seconds += time.thread_time() - started
        return iter(passages)

    def close(self) -> None:
        self._closing()


def stored_vectors(catalogue: Catalogue) -> StoredVectors | None:
    """Vectors to read on demand from the live generation, or None when it must be read whole
    (its vectors are in Milvus, or a store of it has no search-text table)."""
    if catalogue.generation is None:
        return VectorsInMemory([], None)
    if catalogue.vector_store != "faiss" or not catalogue.searchable_by_text:
        return None
    return VectorsOnDisk(catalogue)


__all__ = ["Catalogue", "StoredTexts", "StoredVectors", "VectorsInMemory", "VectorsOnDisk", "load_catalogue",
           "open_store", "stored_vectors"]
