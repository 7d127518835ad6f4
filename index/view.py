"""The index's public face: one loaded generation, read-only, as qa/, api/, the CLI, the
evaluation and the benchmarks see it. They ask it for documents (all, or one by id), passages
(a Chunk by its row or its id, a document's passages, a Passage with its document's labels),
term statistics (index/sparse.py's TermStatistics), the generation's name, the embedding model
its vectors came from, and what was withdrawn; never for bm25s's arrays or SQLite.

Rows are the generation's passage numbers (row i is vector i and BM25 document i), so a row is
only meaningful within the generation it came from; ids (Chunk.id) stay the same across
generations as long as the passage does.

Passage text on demand: the view keeps the documents (a few thousand, small) and which document
each row belongs to in memory, and reads passages from the generation's store.sqlite when asked
(index/passages.py): `chunk(row)` by its primary key, `row_of(id)` through the UNIQUE index on
chunks.id, `document_chunks(doc)` through the index chunks_document, with a cache of recently
read rows for the passages one question reads several times."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..schema import Chunk, Document, IngestError, Passage
from .passages import PassageStore
from .segments import SegmentedSparse
from .sparse import SparseIndex, TermStatistics
from .store import Withdrawal, load_withdrawn


class IndexView:
    """Documents, passages and term statistics of one generation."""

    def __init__(self, generation: Path, manifest: dict, sparse: SparseIndex | SegmentedSparse, passages: PassageStore):
        self._generation = generation.name
        self._embedding = manifest.get("embedding")
        self._sparse = sparse
        self._passages = passages
        documents = {doc_id: Document.model_validate_json(meta) for doc_id, meta in passages.document_rows()}
        # Read-only for callers: the view is shared by every request the service answers.
        self.documents: Mapping[str, Document] = MappingProxyType(documents)
        self._failures = [IngestError(path=p, reason=r) for p, r in passages.failure_rows()]
        self._withdrawn = load_withdrawn(generation)

    # -- the generation ------------------------------------------------------------------

    @property
    def generation(self) -> str:
        """The generation's folder name (gen-<stamp>-<hex>): what CURRENT named when it was loaded."""
        return self._generation

    @property
    def embedding(self) -> dict[str, str] | None:
        """The embedding model the vectors came from (Settings.embedding_identity); None for an
        index written before it was recorded."""
        return self._embedding

    @property
    def failures(self) -> list[IngestError]:
        """The files that could not be ingested, with the reason."""
        return list(self._failures)

    def withdrawn(self) -> list[Withdrawal]:
        """Documents removed on purpose whose files are kept out of later ingests, by document id."""
        return sorted(self._withdrawn.values(), key=lambda w: w.document)

    @property
    def terms(self) -> TermStatistics:
        """Document frequency and idf per token, and the vocabulary (worked out on first use:
        searching alone does not need them)."""
        return self._sparse.terms()

    # -- documents -----------------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def document_text(self, doc_id: str) -> str | None:
        """A document's cleaned text, which its passages' and citations' offsets refer to."""
        return self._passages.document_text(doc_id)

    def publication_order(self, doc_id: str) -> tuple[str, bool, str]:
        """A sort key putting a passage's original publication before its reprints: the earliest
        meeting first, and a paper on its own before a public pack that prints it again."""
        doc = self.documents[doc_id]
        return (doc.meeting_date or "9999", "pack" in doc_id.lower(), doc_id)

    def documents_with_text_matching(self, pattern: re.Pattern, glob: str, kind: str = "text") -> set[str]:
        """The documents with a passage of `kind` whose text `pattern` finds (re.search), found
        without reading every passage into memory. `glob` is a SQLite GLOB (case-sensitive,
        `*`, `?`, `[0-9]`) that every such passage's stored record matches as well: its text
        as written, if the GLOB has no quote, backslash or control character (JSON escapes
        those). A narrow one saves time, "*" is always right."""
        return self._passages.documents_with_text_matching(pattern, kind, glob)

    # -- passages ------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many passages the generation holds. (A generation with a delta segment numbers
        the dead rows of its tombstoned documents as well: rows run up to PassageStore's length,
        see live_rows.)"""
        return self._passages.passages()

    def chunk(self, row: int) -> Chunk:
        return self._passages.chunk(row)

    def row_of(self, chunk_id: str) -> int | None:
        return self._passages.row_of(chunk_id)

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        row = self.row_of(chunk_id)
        return self.chunk(row) if row is not None else None

    def rows_of(self, doc_id: str) -> Sequence[int]:
        """A document's passage rows, in reading order (empty for an unknown document)."""
        return self._passages.rows_of(doc_id).tolist()

    def live_rows(self) -> np.ndarray | None:
        """Every row that holds a passage (ascending, int64), or None when all do: a generation
        with a delta segment numbers the dead rows of its tombstoned documents too (segments.py),
        which a search must never return."""
        return self._passages.live_rows()

    def rows_of_documents(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Every passage row of these documents, ascending (int64)."""
        return self._passages.rows_of_documents(doc_ids)

    def document_chunks(self, doc_id: str) -> dict[int, Chunk]:
        """A document's passages by row, in reading order: one read for all of them."""
        return self._passages.document_chunks(doc_id)

    def chunks(self) -> Iterator[Chunk]:
        """Every passage, in row order, read a batch at a time (a whole index is several GB as
        objects: iterate, do not keep them)."""
        return self._passages.scan()

    def rows_holding(self, phrase: list[str]) -> set[int]:
        """The rows whose words (passages.words) may hold `phrase` in a row: all that do, and
        perhaps a few that do not."""
        return self._passages.rows_holding(phrase)

    def passage(self, chunk: Chunk, score: float = 0.0) -> Passage:
        """A passage as search results and citations give it: the chunk with its document's labels."""
        doc = self.documents[chunk.document_id]
        return Passage(
            id=chunk.id, document=doc.id, title=doc.title, committee=doc.committee,
            meeting_date=doc.meeting_date, doc_type=doc.doc_type, page=chunk.page,
            section=chunk.section, kind=chunk.kind, text=chunk.text, context=chunk.context,
            reading=chunk.reading, row=chunk.row, start=chunk.start, end=chunk.end, score=round(float(score), 6),
            access=doc.access,
        )

    def passage_by_id(self, chunk_id: str) -> Passage | None:
        chunk = self.chunk_by_id(chunk_id)
        return self.passage(chunk) if chunk is not None else None
