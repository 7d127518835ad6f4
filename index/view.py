"""The index's public face: one loaded generation, read-only, as qa/, api/, the CLI, the
evaluation and the benchmarks see it. They ask it for documents (all, or one by id), passages
(a Chunk by its row or its id, a document's passages, a Passage with its document's labels),
term statistics (index/sparse.py's TermStatistics), the generation's name, the embedding model
its vectors came from, and what was withdrawn; never for the loaded IndexData or bm25s's arrays.

Rows are the generation's passage numbers (row i is vector i and BM25 document i), so a row is
only meaningful within the generation it came from; ids (Chunk.id) stay the same across
generations as long as the passage does.

Passage text on demand. Today the view is built over an IndexData that holds every Chunk in a
list. Nothing outside this module relies on that: passages are asked for by row, by id or by
document, so a later view can keep only documents (a few thousand, small) and the row -> document
map in memory and read chunks from the generation's store.sqlite when asked, `chunk(row)` as
`SELECT data FROM chunks WHERE row = ?`, `row_of(id)` through the UNIQUE index on chunks.id and
`document_chunks(doc)` through the index chunks_document, with a small cache of recent rows for
the passages one question reads several times. `chunks()` (every passage, for the Searcher's scan
for pasted sentences) would stream the table, or that scan move to SQLite full-text search."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

from ..schema import Chunk, Document, IngestError, Passage
from .sparse import SparseIndex, TermStatistics
from .store import IndexData, Withdrawal


class IndexView:
    """Documents, passages and term statistics of one generation."""

    def __init__(self, data: IndexData, sparse: SparseIndex):
        self._data = data
        self._sparse = sparse
        # Read-only for callers: the view is shared by every request the service answers.
        self.documents: Mapping[str, Document] = MappingProxyType(data.documents)
        self._rows_by_doc: dict[str, list[int]] = {}
        for row, chunk in enumerate(data.chunks):  # in row order, so each list is in reading order
            self._rows_by_doc.setdefault(chunk.document_id, []).append(row)
        self._rows_by_id = {chunk.id: row for row, chunk in enumerate(data.chunks)}

    # -- the generation ------------------------------------------------------------------

    @property
    def generation(self) -> str:
        """The generation's folder name (gen-<stamp>-<hex>): what CURRENT named when it was loaded."""
        return self._data.generation

    @property
    def embedding(self) -> dict[str, str] | None:
        """The embedding model the vectors came from (Settings.embedding_identity); None for an
        index written before it was recorded."""
        return self._data.embedding

    @property
    def failures(self) -> list[IngestError]:
        """The files that could not be ingested, with the reason."""
        return list(self._data.failures)

    def withdrawn(self) -> list[Withdrawal]:
        """Documents removed on purpose whose files are kept out of later ingests, by document id."""
        return sorted(self._data.withdrawn.values(), key=lambda w: w.document)

    @property
    def terms(self) -> TermStatistics:
        """Document frequency and idf per token, and the vocabulary (worked out on first use:
        searching alone does not need them)."""
        return self._sparse.terms()

    # -- documents -----------------------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def publication_order(self, doc_id: str) -> tuple[str, bool, str]:
        """A sort key putting a passage's original publication before its reprints: the earliest
        meeting first, and a paper on its own before a public pack that prints it again."""
        doc = self.documents[doc_id]
        return (doc.meeting_date or "9999", "pack" in doc_id.lower(), doc_id)

    # -- passages ------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many passages (rows) the generation holds."""
        return len(self._data.chunks)

    def chunk(self, row: int) -> Chunk:
        return self._data.chunks[row]

    def row_of(self, chunk_id: str) -> int | None:
        return self._rows_by_id.get(chunk_id)

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        row = self.row_of(chunk_id)
        return self.chunk(row) if row is not None else None

    def rows_of(self, doc_id: str) -> Sequence[int]:
        """A document's passage rows, in reading order (empty for an unknown document)."""
        return self._rows_by_doc.get(doc_id, ())

    def document_chunks(self, doc_id: str) -> dict[int, Chunk]:
        """A document's passages by row, in reading order: one read for all of them."""
        return {row: self.chunk(row) for row in self.rows_of(doc_id)}

    def chunks(self) -> Iterator[Chunk]:
        """Every passage, in row order."""
        return iter(self._data.chunks)

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
