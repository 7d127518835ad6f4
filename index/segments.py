"""A generation as a base plus one delta segment, so that adding or removing a few papers writes
only what changed instead of the whole index again.

A generation folder with a `delta/` folder holds two segments (store.py describes the layout):

- the base: store.sqlite, dense.faiss and sparse/ as a whole generation has them, hard links to
  the files of the generation it was made from (nothing already written is written again);
- the delta: delta/store.sqlite, delta/dense.faiss, delta/sparse/, holding the passages added
  since the base was written, at rows after the base's, and the tombstones: the base's
  documents that are gone (removed, or read again, their new passages being in the delta).

Rows stay global: base rows 0..B-1 (those of a tombstoned document are dead: never searched,
never read), delta rows B..B+D-1. Readers see one index:

- SQLite: the delta's store is ATTACHed to the base's and TEMP views named like the tables
  (chunks, documents, failures, pipeline) shadow them, so every query of passages.py reads live
  rows only, the delta's record of a document winning over the base's.
- BM25 (SegmentedSparse): each segment's bm25s scores token by token, rescaled from that
  segment's idf to the idf of both segments together (document frequencies summed, passages
  counted in both). Approximate until compaction: a segment's length normalisation uses its own
  average passage length, and dead base rows still count in the frequencies and the total.
- FAISS (SegmentedVectors): both segments searched (exact inner products for a flat base),
  rankings merged by score; dead rows are kept out by the Searcher's allowed rows.

The delta is rewritten whole by each write (it is at most `Settings.delta_share` of the base), and
once it would pass that share the writer writes a whole generation again (compaction), as
`councilqa compact` does. Milvus-backed indexes are always written whole."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..schema import Chunk, Document, IngestError
from .passages import STORE_TABLES, WORDS_TABLE, write_search_texts, write_words
from .sparse import SparseIndex, TermStatistics, bm25_idf, tokenize
from .vector_store import FAISS_FILE, RECORD, FaissVectors, Scope, VectorStore

DELTA = "delta"  # the delta segment's folder inside a generation
STORE = "store.sqlite"
SPARSE = "sparse"
# The base's files a delta generation shares with the generation it was made from.
BASE_FILES = (STORE, FAISS_FILE, RECORD)

# Views over the base's tables (main) and the delta's (delta): TEMP objects are looked up before
# main's, so passages.py's unqualified queries read through them. A tombstoned document's base
# record and rows vanish; the delta's record of a document replaces the base's.
VIEWS = """
CREATE TEMP VIEW chunks AS
    SELECT row, id, document_id, data FROM main.chunks
        WHERE document_id NOT IN (SELECT document_id FROM delta.dropped)
    UNION ALL SELECT row, id, document_id, data FROM delta.chunks;
CREATE TEMP VIEW documents AS
    SELECT id, meta, text FROM delta.documents
    UNION ALL SELECT id, meta, text FROM main.documents
        WHERE id NOT IN (SELECT id FROM delta.documents) AND id NOT IN (SELECT document_id FROM delta.dropped);
CREATE TEMP VIEW failures AS SELECT path, reason FROM delta.failures;
CREATE TEMP VIEW pipeline AS SELECT document_id, version FROM delta.pipeline;
"""


def delta_store(generation: Path) -> Path | None:
    """The generation's delta store.sqlite, or None for a generation of one segment."""
    path = generation / DELTA / STORE
    return path if path.is_file() else None


def attach_delta(db: sqlite3.Connection, delta: Path, immutable: bool = True) -> None:
    """Read `db` (a base store) and the delta store together, through VIEWS. The connection
    must have been opened with uri=True."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    db.execute("ATTACH DATABASE ? AS delta", (f"file:{delta}?{flags}",))
    db.executescript(VIEWS)


def row_space(db: sqlite3.Connection, segmented: bool) -> int:
    """How many rows the generation numbers, dead ones included: base rows, then delta rows."""
    if not segmented:
        return int(db.execute("SELECT count(*) FROM main.chunks").fetchone()[0])
    base = db.execute("SELECT max(row) FROM main.chunks").fetchone()[0]
    delta = db.execute("SELECT max(row) FROM delta.chunks").fetchone()[0]
    return max(-1 if base is None else int(base), -1 if delta is None else int(delta)) + 1


def segment_sizes(generation: Path, manifest: dict) -> tuple[int, int] | None:
    """(base rows, delta rows) of a segmented generation, None for one of one segment."""
    segments = manifest.get("segments")
    if not segments or delta_store(generation) is None:
        return None
    return int(segments["base_rows"]), int(segments["delta_rows"])


# -- reading -------------------------------------------------------------------------------


class SegmentedSparse:
    """BM25 over the base's and the delta's bm25s indexes, scored as one (see the module's
    docstring for what is approximate). Offers what SparseIndex offers readers: size,
    scores(query), terms()."""

    def __init__(self, base: SparseIndex, delta: SparseIndex):
        self.base, self.delta = base, delta
        self.size = base.size + delta.size
        self._terms: TermStatistics | None = None

    def terms(self) -> TermStatistics:
        """Both segments' statistics summed (worked out on first use)."""
        if self._terms is None:
            self._terms = TermStatistics.summed([self.base.terms(), self.delta.terms()])
        return self._terms

    def scores(self, query: str) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float32)
        tokens = tokenize(query)
        segments = [(self.base, 0), (self.delta, self.base.size)]
        # Document frequency across both segments, from each one's own statistics.
        df = {t: sum(seg.terms().document_frequency(t) for seg, _ in segments if seg.size) for t in set(tokens)}
        for segment, offset in segments:
            if not segment.size:
                continue
            vocab, own = segment.retriever.vocab_dict, segment.terms()
            for token in tokens:  # a repeated token counts again, as bm25s counts it
                if token not in vocab or not df[token]:
                    continue
                # bm25s stores idf(token) x the term-frequency part: swap its idf for the whole's.
                rescale = bm25_idf(df[token], self.size) / bm25_idf(own.document_frequency(token), segment.size)
                part = np.asarray(segment.retriever.get_scores([token]), dtype=np.float32)
                scores[offset:offset + segment.size] += part * np.float32(rescale)
        return scores


class SegmentedVectors(VectorStore):
    """The base's and the delta's FAISS indexes as one store: a search asks both (each for the
    n best within its part of the scope) and keeps the n highest inner products."""

    kind = "faiss"

    def __init__(self, base: FaissVectors, delta: FaissVectors):
        self.base, self.delta = base, delta

    def __len__(self) -> int:
        return len(self.base) + len(self.delta)

    @property
    def dim(self) -> int:
        return self.base.dim

    def search(self, query: np.ndarray, n: int, scope: Scope | None = None) -> list[int]:
        rows = None if scope is None or scope.rows is None else np.asarray(scope.rows, dtype=np.int64)
        split = len(self.base)
        found: list[tuple[float, int]] = []
        for segment, offset in ((self.base, 0), (self.delta, split)):
            if rows is None:
                part = None
            else:
                part = rows[(rows >= offset) & (rows < offset + len(segment))] - offset
                if not len(part):
                    continue
            ids, scores = segment.scored(query, n, Scope(scope.filters if scope else None, part))
            found += [(score, row + offset) for row, score in zip(ids, scores)]
        found.sort(key=lambda hit: -hit[0])  # stable: on a tie the base's row first
        return [row for _, row in found[:n]]

    def vectors(self) -> np.ndarray:
        return np.vstack([self.base.vectors(), self.delta.vectors()])


def open_segmented_vectors(generation: Path, sizes: tuple[int, int]) -> SegmentedVectors:
    base = FaissVectors.open(generation / FAISS_FILE)
    delta = FaissVectors.open(generation / DELTA / FAISS_FILE)
    if (len(base), len(delta)) != sizes:
        from .errors import VectorStoreUnavailable

        raise VectorStoreUnavailable(f"index in {generation} is inconsistent: {len(base)} + {len(delta)} vectors "
                                     f"for {sizes[0]} + {sizes[1]} passages")
    return SegmentedVectors(base, delta)


def open_sparse(generation: Path, manifest: dict, rows: int, mmap: bool = False) -> SparseIndex | SegmentedSparse:
    """The generation's BM25: its one index, or both segments' scored as one."""
    sizes = segment_sizes(generation, manifest)
    if sizes is None:
        return SparseIndex.load(generation / SPARSE, rows, mmap=mmap)
    return SegmentedSparse(SparseIndex.load(generation / SPARSE, sizes[0], mmap=mmap),
                           SparseIndex.load(generation / DELTA / SPARSE, sizes[1], mmap=mmap))


# -- writing -------------------------------------------------------------------------------


@dataclass
class Change:
    """What a writer changed in the generation its IndexData was loaded from (`based_on`):
    the documents whose passages there are gone (`dropped`: removed, or read again), and the
    passages to add after the kept ones (`added`, with their `vectors`). Lets store.py write a
    delta segment instead of the whole generation; the IndexData stays the whole truth, which a
    full write (and the check that a delta matches it) uses."""

    based_on: str
    dropped: set[str]
    added: list[Chunk]
    vectors: np.ndarray


@dataclass
class DeltaPlan:
    """A delta segment ready to write: what the new generation's delta holds."""

    base_rows: int
    dropped: set[str]  # tombstones: base documents whose base record and rows are dead
    dead_rows: int
    chunks: list[Chunk]  # the delta's passages, rows base_rows, base_rows + 1, ...
    vectors: np.ndarray
    documents: list[tuple[str, str, str]]  # (id, metadata JSON, text) of the delta's records


def has_words_table(store: Path) -> bool:
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (WORDS_TABLE,)).fetchone() is not None
    finally:
        db.close()


def plan_delta(live: Path, manifest: dict, documents: dict[str, Document], texts: dict[str, str],
               live_rows: int, change: Change, share: float) -> DeltaPlan | None:
    """The delta that turns the live generation into the one `documents` (with `live_rows`
    passages in all) describes, or None when a whole generation should be written instead:
    the delta would pass `share` of the base (dead base rows counted), the base is of a format
    a delta cannot extend, or the delta would not give exactly `live_rows` passages."""
    if share <= 0 or live.name != change.based_on or not (live / FAISS_FILE).is_file():
        return None
    if not has_words_table(live / STORE):
        return None  # a base written before stores had their words: compact it
    db = sqlite3.connect(f"file:{live / STORE}?mode=ro", uri=True)
    try:
        base_rows = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
        base_meta = dict(db.execute("SELECT id, meta FROM documents"))
        per_document = dict(db.execute("SELECT document_id, count(*) FROM chunks GROUP BY document_id"))
        old = _old_delta(db, live) if delta_store(live) else None
    finally:
        db.close()
    if not base_rows:
        return None
    old_dropped, old_chunks, old_vectors = old or (set(), [], None)
    dropped = old_dropped | {d for d in set(base_meta) | set(per_document)
                             if d in change.dropped or d not in documents}
    dead_rows = sum(per_document.get(d, 0) for d in dropped)
    keep = [i for i, c in enumerate(old_chunks) if c.document_id in documents and c.document_id not in change.dropped]
    chunks = [old_chunks[i] for i in keep] + list(change.added)
    dim = int(change.vectors.shape[1]) if change.vectors.ndim == 2 else int(manifest.get("dim", 384))
    kept_vectors = old_vectors[keep] if old_vectors is not None else np.zeros((0, dim), dtype=np.float32)
    vectors = np.vstack([kept_vectors.reshape(-1, dim), np.asarray(change.vectors, dtype=np.float32).reshape(-1, dim)])
    if len(chunks) + dead_rows > share * base_rows:
        return None  # time to compact
    if base_rows - dead_rows + len(chunks) != live_rows:
        return None  # the change does not describe the data: never guess, write it whole
    # A document's record goes in the delta when the base has none of it, its base record is
    # tombstoned, or the record changed (a new location, another access level).
    records = [(doc_id, doc.model_dump_json(), texts[doc_id]) for doc_id, doc in documents.items()
               if doc_id not in base_meta or doc_id in dropped or base_meta[doc_id] != doc.model_dump_json()]
    return DeltaPlan(base_rows, dropped, dead_rows, chunks, vectors, records)


def _old_delta(db: sqlite3.Connection, live: Path) -> tuple[set[str], list[Chunk], np.ndarray]:
    """The live generation's delta: tombstones, passages (row order), vectors."""
    delta = live / DELTA
    db.execute("ATTACH DATABASE ? AS old", (f"file:{delta / STORE}?mode=ro",))
    dropped = {d for (d,) in db.execute("SELECT document_id FROM old.dropped")}
    chunks = [Chunk.model_validate_json(d) for (d,) in db.execute("SELECT data FROM old.chunks ORDER BY row")]
    vectors = FaissVectors.open(delta / FAISS_FILE).vectors()
    return dropped, chunks, vectors


def link_base(live: Path, staging: Path) -> None:
    """Carry the live generation's base files into the new generation by hard link (a copy
    where the file system refuses links): the new generation is self-contained, and the old one
    can be deleted as ever, without one byte of the base written again."""
    for name in BASE_FILES:
        if (live / name).is_file():
            _link(live / name, staging / name)
    (staging / SPARSE).mkdir()
    for file in sorted((live / SPARSE).iterdir()):
        _link(file, staging / SPARSE / file.name)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_delta(staging: Path, plan: DeltaPlan, failures: Iterable[IngestError], pipeline: dict[str, int],
                documents: dict[str, Document]) -> None:
    """The delta segment of a new generation, in `staging`/delta."""
    folder = staging / DELTA
    folder.mkdir()
    db = sqlite3.connect(folder / STORE)
    try:
        db.executescript(STORE_TABLES + "CREATE TABLE dropped (document_id TEXT PRIMARY KEY);")
        db.executemany("INSERT INTO documents VALUES (?, ?, ?)", plan.documents)
        rows = range(plan.base_rows, plan.base_rows + len(plan.chunks))
        db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)",
                       ((row, c.id, c.document_id, c.model_dump_json()) for row, c in zip(rows, plan.chunks)))
        db.executemany("INSERT INTO failures VALUES (?, ?)", ((f.path, f.reason) for f in failures))
        db.executemany("INSERT INTO pipeline VALUES (?, ?)",
                       ((d, int(v)) for d, v in pipeline.items() if d in documents))
        db.executemany("INSERT INTO dropped VALUES (?)", ((d,) for d in sorted(plan.dropped)))
        write_words(db, ((row, c.text) for row, c in zip(rows, plan.chunks)))
        write_search_texts(db, ((row, c.search_text()) for row, c in zip(rows, plan.chunks)))
        db.commit()
    finally:
        db.close()
    FaissVectors.write(folder, plan.vectors)
    (folder / SPARSE).mkdir()
    SparseIndex.of_passages([c.search_text() for c in plan.chunks]).save(folder / SPARSE)


def segments_record(plan: DeltaPlan) -> dict:
    """What the manifest says of the segments."""
    return {"base_rows": plan.base_rows, "delta_rows": len(plan.chunks), "dead_rows": plan.dead_rows,
            "dropped_documents": len(plan.dropped)}


__all__ = ["Change", "DELTA", "DeltaPlan", "SegmentedSparse", "SegmentedVectors", "attach_delta", "delta_store",
           "link_base", "open_segmented_vectors", "open_sparse", "plan_delta", "row_space",
           "segment_sizes", "segments_record", "write_delta"]
