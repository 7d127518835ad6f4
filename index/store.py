"""The index on disk, written atomically.

Layout of an index folder:
    CURRENT                 name of the live generation (replaced with os.replace)
    gen-<stamp>/            one complete, immutable index
        manifest.json       model, dimension, counts
        store.sqlite        documents (metadata + cleaned text), chunks, failed files, the
                            pipeline version that produced each document (ingest/version.py),
                            and each passage's words for finding a pasted sentence (passages.py;
                            a generation written before it had none), and each passage's
                            search text by its hash (passages.py: what lets an ingest read the
                            stored vectors it reuses, and no others; also absent from older ones)
        dense.faiss         FAISS IndexFlatIP; row i is chunk row i (absent when the vectors are
                            in Milvus)
        vectors.json        which vector store holds the generation's vectors, and where
                            (vector_store.py; a generation without one is FAISS)
        sparse/             bm25s arrays (.npy, loaded with allow_pickle=False) and JSON
        withdrawn.json      documents removed on purpose, by their file's content hash, so a
                            later ingest does not bring them back (see Withdrawal)
        delta/              only in a generation of two segments (segments.py): the files above
                            are then its base, hard links to those of the generation it was made
                            from, and delta/ holds what changed since the base was written:
            store.sqlite    the passages added (rows numbered after the base's), the records of
                            documents added or changed, every failure and pipeline version, and
                            the tombstones (table dropped: base documents removed or read again,
                            whose base rows are dead)
            dense.faiss     the added passages' vectors (row i is row base_rows + i)
            sparse/         their bm25s arrays
        (manifest.json says "segments": base_rows, delta_rows, dead_rows, dropped_documents.)

Writes: an ingest or a removal that says what it changed (segments.Change) writes only a delta
(the previous delta's surviving passages and the new ones, never the base again) while the delta's
passages and the base's dead rows stay within Settings.delta_share of the base's rows; past it,
on `councilqa compact`, for an index whose vectors are in Milvus, or for a base written before
stores had their words table, the whole generation is written as one segment (compaction).

A writer builds a new generation (whole, or a linked base and a new delta) beside the live one,
in .gen-<stamp>-<hex>.<pid>-<start>.partial (its pid and that process's start time), and only
then points CURRENT at it, so a run killed half-way leaves the previous index untouched and
loadable (hard links add names to the previous generation's files, never change them). Vectors kept in Milvus follow the same
rule: they are written, tagged with the generation, before the switch, and those of generations
gone from disk (and of failed or killed runs) are deleted after it (vector_store.retire).
Writers hold the index's writer lock (lock.py, .writer.lock) while they write, and one that
reads the index to change it holds it from before the read. Nothing is pickled."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from ..schema import Chunk, Document, IngestError
from ..settings import Settings, get_settings
from .errors import IndexNotFound
from .lock import staging_suffix, writer_alive, writer_lock
from .passages import STORE_TABLES, write_search_texts, write_words
from .segments import (Change, DeltaPlan, SegmentedSparse, attach_delta, delta_store, link_base, open_sparse,
                       plan_delta, row_space, segments_record, write_delta)
from .sparse import SparseIndex
from .vector_store import (VectorStore, open_vectors, read_record, retire, store_for_new_generation,
                           write_vectors)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
WITHDRAWN = "withdrawn.json"  # in a generation; a generation written before it had none
# .gen-<stamp>-<hex>.<pid>-<start ticks>.partial: a generation being written by that process.
PARTIAL = re.compile(r"^\.gen-[0-9]{8}-[0-9]{6}-[0-9a-f]+\.([0-9]+)-([0-9]+)\.partial$")
# Partial folders named before writers said who they were can only be judged by their age.
UNNAMED_PARTIAL_SECONDS = 24 * 3600


class Withdrawal(BaseModel):
    """A document removed on purpose (`councilqa remove`, or DELETE through the API) while its
    file may still be in its folder. Kept with the index, keyed by the file's content hash, so an
    ingest skips those bytes wherever it finds them; a file whose content has changed is a new
    paper and is read. Lifted by `councilqa restore`, an ingest with --include-withdrawn, or an
    admin upload of the same file."""

    content_hash: str
    document: str  # the id it had
    title: str = ""
    locations: list[str] = []  # where it had been read from
    removed: str  # when, ISO 8601 with the offset
    by: str  # what removed it: "`councilqa remove`", "DELETE /api/documents"

    def reason(self) -> str:
        return f"removed by {self.by} on {self.removed[:10]}"


@dataclass
class IndexData:
    """Everything a generation holds, in memory."""

    documents: dict[str, Document]
    texts: dict[str, str]  # document id -> cleaned text
    chunks: list[Chunk]
    # Row i's vector; None when loaded without them (a Searcher asks its VectorStore instead).
    vectors: np.ndarray | None
    failures: list[IngestError] = field(default_factory=list)
    model: str = ""
    # document id -> the ingest PIPELINE_VERSION that produced it (ingest/version.py); a document
    # missing here (an index written before versions were recorded) was made by an unknown one.
    pipeline: dict[str, int] = field(default_factory=dict)
    # content hash -> the withdrawal of the document those bytes made (see Withdrawal)
    withdrawn: dict[str, Withdrawal] = field(default_factory=dict)
    # The embedding model the vectors came from (Settings.embedding_identity); None in an index
    # written before it was recorded (all-MiniLM-L6-v2, unless a folder of one's own was set).
    embedding: dict[str, str] | None = None
    # The generation folder's name (gen-<stamp>-<hex>) it was loaded from; empty while being built.
    generation: str = ""

    @classmethod
    def empty(cls, dim: int = 384) -> "IndexData":
        return cls({}, {}, [], np.zeros((0, dim), dtype=np.float32))


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    generation = index_dir / name
    if not name.startswith("gen-") or "/" in name or not generation.is_dir():
        raise IndexNotFound(f"{pointer} names {name!r}, which is not a generation in {index_dir}")
    return generation


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (after a rename into it), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_sqlite(path: Path, data: IndexData) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(STORE_TABLES)
        db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?)",
            ((d.id, d.model_dump_json(), data.texts[d.id]) for d in data.documents.values()),
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?)",
            ((row, c.id, c.document_id, c.model_dump_json()) for row, c in enumerate(data.chunks)),
        )
        db.executemany("INSERT INTO failures VALUES (?, ?)", ((f.path, f.reason) for f in data.failures))
        db.executemany("INSERT INTO pipeline VALUES (?, ?)",
                       ((doc_id, int(version)) for doc_id, version in data.pipeline.items() if doc_id in data.documents))
        write_words(db, ((row, c.text) for row, c in enumerate(data.chunks)))
        write_search_texts(db, ((row, c.search_text()) for row, c in enumerate(data.chunks)))
        db.commit()
    finally:
        db.close()


def write_index(index_dir: Path, data: IndexData, sparse: SparseIndex | None = None,
                settings: Settings | None = None, change: Change | None = None) -> Path:
    """Write `data` as a new generation and make it live. Returns the generation folder. Takes
    the writer lock (waiting for it) unless this thread holds it already, as a caller that read
    the index in order to change it must (see lock.py). The vectors go to the store the settings
    name, else the one the live generation uses (vector_store.store_for_new_generation).

    `change` says what `data` changed in the generation it was loaded from: then, while that
    generation is still the live one, its base is carried over by hard link and only a delta
    segment is written (segments.py), unless the delta would pass Settings.delta_share of the
    base or the vectors are in Milvus, when the whole generation is written (compaction).
    Without it the whole generation is written, as `councilqa compact` does."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with writer_lock(index_dir):
        return _write_locked(index_dir, data, sparse, settings or get_settings(), change)


def _delta_plan(index_dir: Path, data: IndexData, change: Change | None, settings: Settings,
                live_rows: int | None = None) -> DeltaPlan | None:
    """The delta segment to write instead of a whole generation, or None (see write_index).
    `live_rows`: the passages the new generation holds (default: `data.chunks`)."""
    if change is None or not (index_dir / CURRENT).exists():
        return None
    live, manifest = live_generation(index_dir)
    record = read_record(live)
    if record["store"] != "faiss" or store_for_new_generation(settings, record) != "faiss":
        return None  # Milvus keeps its vectors per generation: written whole
    if manifest.get("embedding") != data.embedding or manifest.get("model") != data.model:
        return None
    rows = len(data.chunks) if live_rows is None else live_rows
    return plan_delta(live, manifest, data.documents, data.texts, rows, change, settings.delta_share)


def write_change(index_dir: Path, data: IndexData, change: Change, live_rows: int, settings: Settings,
                 loaded: IndexData | None = None) -> tuple[Path, int]:
    """Write the live generation with `change` applied, as a new generation, without having read
    its passages: `data` is the new generation's catalogue (documents, texts, failures, pipeline
    versions, withdrawals, model; its chunks and vectors are not used) and `live_rows` the
    passages it holds. A delta segment is written when it can be (see write_index); otherwise
    the whole generation, and only then are the live passages and vectors read (`loaded`: the
    live generation already read whole by the caller, to use instead). The caller holds the
    writer lock from its read of the catalogue. Returns the generation and how many stored
    passages were read to write it (0 for a delta)."""
    with writer_lock(index_dir):
        plan = _delta_plan(index_dir, data, change, settings, live_rows)
        read = 0
        if plan is None:
            if loaded is None and (index_dir / CURRENT).exists():
                loaded, _, _, _ = load_index(index_dir, settings)
                read = len(loaded.chunks)
            data = _with_change(data, loaded, change)
        return _write_locked(index_dir, data, None, settings, plan=plan), read


def _with_change(data: IndexData, loaded: IndexData | None, change: Change) -> IndexData:
    """`data` (a catalogue) with the passages and vectors of the whole generation: the live ones
    (`loaded`) but those of documents dropped, then those added."""
    dim = int(change.vectors.shape[1]) if change.vectors.ndim == 2 else 384
    chunks, vectors = list(change.added), np.asarray(change.vectors, dtype=np.float32).reshape(-1, dim)
    if loaded is not None and loaded.chunks:
        keep = [row for row, c in enumerate(loaded.chunks) if c.document_id not in change.dropped]
        chunks = [loaded.chunks[row] for row in keep] + chunks
        vectors = np.vstack([loaded.vectors[keep].reshape(-1, loaded.vectors.shape[1]), vectors])
    return IndexData(data.documents, data.texts, chunks, vectors, data.failures, data.model, data.pipeline,
                     data.withdrawn, data.embedding, data.generation)


def _write_locked(index_dir: Path, data: IndexData, sparse: SparseIndex | None, settings: Settings,
                  change: Change | None = None, plan: DeltaPlan | None = None) -> Path:
    """Write `data` (a delta when `plan` is given or `change` allows one, else whole) and switch to it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
    staging = index_dir / f".{name}.{staging_suffix()}.partial"
    if plan is None:
        plan = _delta_plan(index_dir, data, change, settings)
    staging.mkdir()
    try:
        live = current_generation(index_dir) if (index_dir / CURRENT).exists() else None
        if plan is not None:
            link_base(live, staging)
            write_delta(staging, plan, data.failures, data.pipeline, data.documents)
            record, dim = read_record(staging), int(plan.vectors.shape[1])
        else:
            _write_sqlite(staging / "store.sqlite", data)
            record = write_vectors(index_dir, staging, name, data.vectors, data.chunks, data.documents, settings,
                                   read_record(live) if live else None)
            sparse = sparse or SparseIndex.of_passages([c.search_text() for c in data.chunks])
            (staging / "sparse").mkdir()
            sparse.save(staging / "sparse")
            dim = int(data.vectors.shape[1])
        # A document's bytes cannot be both indexed and withdrawn: the document wins.
        live_hashes = {d.content_hash for d in data.documents.values()}
        withdrawn = [w.model_dump() for h, w in sorted(data.withdrawn.items()) if h not in live_hashes]
        (staging / WITHDRAWN).write_text(json.dumps({"withdrawn": withdrawn}, indent=1, ensure_ascii=False),
                                         encoding="utf-8")
        manifest = {
            "format_version": FORMAT_VERSION,
            "model": data.model,
            "vector_store": record["store"],
            "embedding": data.embedding,
            "dim": dim,
            "documents": len(data.documents),
            "chunks": plan.base_rows - plan.dead_rows + len(plan.chunks) if plan is not None else len(data.chunks),
            "failures": len(data.failures),
            "withdrawn": len(withdrawn),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        if plan is not None:
            manifest["segments"] = segments_record(plan)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for file in staging.rglob("*"):
            if file.is_file():  # a base file linked in is on disk already: nothing to flush
                with open(file, "rb") as handle:
                    os.fsync(handle.fileno())
        generation = index_dir / name
        os.rename(staging, generation)
        pointer_tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
        pointer_tmp.write_text(name, encoding="utf-8")
        with open(pointer_tmp, "rb") as handle:
            os.fsync(handle.fileno())
        previous = current_generation(index_dir) if (index_dir / CURRENT).exists() else None
        os.replace(pointer_tmp, index_dir / CURRENT)  # the atomic switch
        fsync_path(index_dir)
    except BaseException:
        if retire(index_dir, staging, name, settings):  # vectors it may have put in Milvus
            shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_stale(index_dir, keep={name, previous.name if previous else ""}, settings=settings)
    return generation


def _generation_name(folder: Path) -> str:
    """gen-<stamp>-<hex> from a generation folder or a partial one (.gen-<stamp>-<hex>.<pid>-<start>.partial)."""
    return folder.name.lstrip(".").split(".")[0]


def _remove_stale(index_dir: Path, keep: set[str], settings: Settings) -> None:
    """Drop generations older than the previous one, and leftovers of killed runs. The previous
    generation is kept so a reader that loaded it a moment ago is not pulled out from under.
    Called with the writer lock held, so no other writer is between renaming its generation and
    making it live; a partial folder is removed only when the process writing it is provably
    gone (its pid is free or belongs to a later process), never one a live writer is filling."""
    for entry in index_dir.iterdir():
        if entry.name in keep or not entry.is_dir():
            continue
        if entry.name.startswith("gen-") or (entry.name.endswith(".partial") and _abandoned(entry)):
            if retire(index_dir, entry, _generation_name(entry), settings):
                shutil.rmtree(entry, ignore_errors=True)


def _abandoned(partial: Path) -> bool:
    named = PARTIAL.match(partial.name)
    if named:
        pid = int(named.group(1))
        # One of ours is a leftover: no other thread of this process writes here while we hold the lock.
        return pid == os.getpid() or not writer_alive(pid, int(named.group(2)))
    try:
        return time.time() - partial.stat().st_mtime > UNNAMED_PARTIAL_SECONDS
    except FileNotFoundError:
        return False


def live_generation(index_dir: Path) -> tuple[Path, dict]:
    """The live generation's folder and manifest, checked to be one this code can read."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexNotFound(f"no index in {index_dir}: run `councilqa ingest PATH --index {index_dir}` first")
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexNotFound(f"index in {generation} has format {manifest.get('format_version')}, expected {FORMAT_VERSION}: re-ingest")
    return generation, manifest


def load_index(index_dir: Path, settings: Settings | None = None,
               vectors: bool = True) -> tuple[IndexData, SparseIndex | SegmentedSparse, VectorStore, dict]:
    """The live generation whole, for a writer that reuses it: its data, BM25, vectors and
    manifest. `vectors=False` leaves IndexData.vectors None. (Searching reads a generation
    through IndexView, which keeps passages in SQLite.) A generation of a base and a delta
    (segments.py) loads as the one index it is: its live passages in row order, each with its
    vector."""
    generation, manifest = live_generation(index_dir)
    delta = delta_store(generation)
    db = sqlite3.connect(f"file:{generation / 'store.sqlite'}?mode=ro", uri=True)
    try:
        if delta is not None:
            attach_delta(db, delta, immutable=False)
        rows_numbered = row_space(db, delta is not None)
        documents, texts = {}, {}
        for doc_id, meta, text in db.execute("SELECT id, meta, text FROM documents"):
            documents[doc_id] = Document.model_validate_json(meta)
            texts[doc_id] = text
        rows, chunks = [], []
        for row, chunk in db.execute("SELECT row, data FROM chunks ORDER BY row"):
            rows.append(row)
            chunks.append(Chunk.model_validate_json(chunk))
        failures = [IngestError(path=p, reason=r) for p, r in db.execute("SELECT path, reason FROM failures")]
        pipeline: dict[str, int] = {}
        if delta is not None or db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pipeline'").fetchone():
            pipeline = {d: int(v) for d, v in db.execute("SELECT document_id, version FROM pipeline") if d in documents}
    finally:
        db.close()
    dense = open_vectors(index_dir, generation, settings or get_settings(), rows_numbered, documents)
    sparse = open_sparse(generation, manifest, rows_numbered)
    matrix = None
    if vectors:
        matrix = dense.vectors()
        if len(rows) != rows_numbered:  # dead rows of a delta generation: keep the live ones
            matrix = matrix[np.asarray(rows, dtype=np.int64)]
    data = IndexData(documents, texts, chunks, matrix, failures, manifest.get("model", ""), pipeline,
                     load_withdrawn(generation), manifest.get("embedding"), generation.name)
    return data, sparse, dense, manifest


def load_withdrawn(generation: Path) -> dict[str, Withdrawal]:
    path = generation / WITHDRAWN
    if not path.is_file():
        return {}
    records = (Withdrawal.model_validate(w) for w in json.loads(path.read_text(encoding="utf-8"))["withdrawn"])
    return {w.content_hash: w for w in records}
