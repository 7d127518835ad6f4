"""The vector part of an index generation, behind one interface with two engines.

- FAISS (the default): in the generation folder (dense.faiss), row i the vector of passage row
  i: an exact IndexFlatIP, or above HNSW_ABOVE vectors an approximate HNSW graph. Everything
  stays on this machine.
- Milvus (index/milvus_vectors.py, the `milvus` extra): the vectors live in a Milvus collection
  (a server or cluster shared by many councils, or a milvus-lite folder), one row per passage,
  tagged with the generation that wrote it and carrying the fields a search filters on, so the
  filters run inside Milvus.

Passage text, metadata and BM25 always stay in the generation folder (store.py): only the
vectors move. Which engine a generation used, and where, is written in its `vectors.json`
(written before any vector leaves this machine, so that a run killed half-way is known to have
left vectors in Milvus and they can be deleted); a generation without one is FAISS.

A generation's vectors are written beside it before it goes live and never change after, as
everything else in a generation: a search names its generation, so the live index never points
at vectors that are not there, and the vectors of generations gone from disk (and of runs that
failed) are deleted only after the switch (`retire`)."""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from ..schema import Chunk, Document
from ..settings import Settings
from .errors import VectorStoreUnavailable
from .filters import Filters

__all__ = ["FaissVectors", "Scope", "VectorStore", "VectorStoreUnavailable", "open_vectors", "read_record",
           "retire", "write_vectors"]

log = logging.getLogger(__name__)

RECORD = "vectors.json"  # in a generation (or a partial one): which store holds its vectors
FAISS_FILE = "dense.faiss"
# Above this many vectors a generation's FAISS index is HNSW (approximate, a graph over the
# vectors) instead of flat (exact, every vector read for every query): see benchmarks/vector_index.py
# for where flat search stops being fast enough on 2 cores and what HNSW recalls. Its
# parameters are recorded in vectors.json, so a reader never guesses how a file was built.
HNSW_ABOVE = 300_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512  # recall@100 against flat 0.98 at 300,000 vectors (0.96 at 256, 0.92 at 128)
# A scoped search (a committee, a type of paper, a date range, the public's papers) on an HNSW
# index is exact when the scope holds at most this many rows: FAISS compares the question with
# those rows' vectors in the index's own flat storage, passing over the others (at 300,000
# vectors: 4 ms for a scope of 58,000 rows, 30 ms for all of them), so it costs no more than a
# flat index of HNSW_ABOVE vectors does, hence the same number. A graph walk with a selector
# must step over every node outside the scope and misses the best rows of a narrow scope, and
# of the narrowest returns fewer than asked for (300,000 grown Kent vectors, efSearch 512:
# recall@100 0.91 for a 19% scope, 0.50 for a 1% one with half the searches short).
EXACT_SCOPE = HNSW_ABOVE


@dataclass
class Scope:
    """What one search may return, said the two ways the engines take it: `rows` (None: every
    row) is what FAISS selects on; `filters` is what Milvus evaluates. The Searcher makes both
    from the same Filters, so the two engines narrow alike."""

    filters: Filters | None = None
    rows: np.ndarray | None = None


class VectorStore(ABC):
    """The vectors of one generation, ready to search."""

    kind: str

    @abstractmethod
    def __len__(self) -> int:
        """Vectors held: one per passage row."""

    @property
    @abstractmethod
    def dim(self) -> int: ...

    @abstractmethod
    def search(self, query: np.ndarray, n: int, scope: Scope | None = None) -> list[int]:
        """Rows of the n vectors nearest `query` (inner product, best first) within `scope`."""

    @abstractmethod
    def vectors(self) -> np.ndarray:
        """Every row's vector in row order (float32, n x dim): what a writer reuses."""


class FaissVectors(VectorStore):
    kind = "faiss"

    def __init__(self, index: faiss.Index):
        self.index = index
        self.approximate = isinstance(index, faiss.IndexHNSWFlat)
        # The vectors themselves: the flat index, or the flat storage an HNSW graph links.
        self.exact = faiss.downcast_index(index.storage) if self.approximate else index
        if self.approximate:
            index.hnsw.efSearch = max(int(index.hnsw.efSearch), HNSW_EF_SEARCH)

    @staticmethod
    def open(path: Path) -> FaissVectors:
        """A dense.faiss file, flat or HNSW, memory-mapped. With faiss 1.15, IO_FLAG_MMAP_IFC maps
        the vectors of both kinds (a flat index's, and the flat storage inside HNSWFlat): they
        are paged in as searches touch them, not read whole at start (100,000 vectors: resident
        memory +1 MB on opening a 154 MB flat file, +29 MB for a 181 MB HNSW one, which is its
        graph, read into memory). IO_FLAG_MMAP alone maps only IVF inverted lists, and reads
        these two kinds whole."""
        return FaissVectors(faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def search(self, query: np.ndarray, n: int, scope: Scope | None = None) -> list[int]:
        return self.scored(query, n, scope)[0]

    def scored(self, query: np.ndarray, n: int, scope: Scope | None = None) -> tuple[list[int], list[float]]:
        """search() with each row's inner product with `query`: what lets a segmented index
        (segments.py) merge the rankings of its base and its delta."""
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if scope is None or scope.rows is None:
            return self._found(self.index, query, n, None)
        rows = np.asarray(scope.rows, dtype=np.int64)
        if not len(rows):
            return [], []
        selector = self._selector(rows)
        if not self.approximate or len(rows) <= EXACT_SCOPE:
            return self._found(self.exact, query, n, faiss.SearchParameters(sel=selector))
        # A wide scope walks the graph, looking further the narrower it is (efSearch grown by
        # the share of rows left out), so that a scope of half the index recalls about what the
        # whole does. Should the walk still come back short, the scope is searched exactly: a
        # filtered search never returns fewer rows than it could.
        ef = max(HNSW_EF_SEARCH, n, int(HNSW_EF_SEARCH * len(self) / len(rows)))
        found = self._found(self.index, query, n, faiss.SearchParametersHNSW(sel=selector, efSearch=ef))
        if len(found[0]) < min(n, len(rows)):
            found = self._found(self.exact, query, n, faiss.SearchParameters(sel=selector))
        return found

    def _selector(self, rows: np.ndarray) -> faiss.IDSelector:
        """The rows as a bitmap, one bit a row: built in about a millisecond for a million rows
        (a hash set, IDSelectorBatch, takes 20 ms for half a million) and read in constant time.
        FAISS keeps the array alive as long as the selector."""
        mask = np.zeros(len(self), dtype=bool)
        mask[rows] = True
        return faiss.IDSelectorBitmap(np.packbits(mask, bitorder="little"))

    @staticmethod
    def _found(index: faiss.Index, query: np.ndarray, n: int,
               params: faiss.SearchParameters | None) -> tuple[list[int], list[float]]:
        if not index.ntotal:
            return [], []
        scores, ids = index.search(query, n, params=params)
        kept = ids[0] >= 0
        return [int(i) for i in ids[0][kept]], [float(x) for x in scores[0][kept]]

    def vectors(self) -> np.ndarray:
        if not len(self):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.index.reconstruct_n(0, len(self))

    @staticmethod
    def write(folder: Path, vectors: np.ndarray) -> dict:
        if len(vectors) > HNSW_ABOVE:
            dense = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
            dense.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            dense.hnsw.efSearch = HNSW_EF_SEARCH
            record = {"store": "faiss", "index": "hnsw", "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION,
                      "ef_search": HNSW_EF_SEARCH}
        else:
            dense, record = faiss.IndexFlatIP(vectors.shape[1]), {"store": "faiss", "index": "flat"}
        if len(vectors):
            dense.add(vectors)
        faiss.write_index(dense, str(folder / FAISS_FILE))
        return record


def read_record(generation: Path) -> dict:
    """A generation's vectors.json; FAISS for one written before there was a choice."""
    path = generation / RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"store": "faiss"}


def store_for_new_generation(settings: Settings, live: dict | None) -> str:
    """The engine a new generation writes to: the setting when set, else the live generation's."""
    return settings.vector_store or (live or {}).get("store", "faiss")


def check_reachable(index_dir: Path, settings: Settings, live: dict | None) -> None:
    """Raise VectorStoreUnavailable now, before a run parses and embeds for minutes, when the
    store a new generation would write to cannot be reached."""
    if store_for_new_generation(settings, live) == "milvus":
        from .milvus_vectors import MilvusVectors

        MilvusVectors.connect_for_write(index_dir, settings, live)


def relocates(settings: Settings, live: dict) -> bool:
    """Whether the settings send a new generation's vectors elsewhere than the live one's
    (another store, or another Milvus collection or server): then a run writes even when no
    paper changed, which is how an index is moved from FAISS to Milvus and back."""
    if store_for_new_generation(settings, live) != live["store"]:
        return True
    return live["store"] == "milvus" and any(
        wanted and wanted != live.get(key)
        for key, wanted in (("collection", settings.milvus_collection), ("uri", settings.milvus_uri)))


def open_vectors(index_dir: Path, generation: Path, settings: Settings, passages: int,
                 documents: dict[str, Document]) -> VectorStore:
    """The generation's vectors, checked to be one per passage (`passages`)."""
    record = read_record(generation)
    if record["store"] == "milvus":
        from .milvus_vectors import MilvusVectors

        return MilvusVectors.open(index_dir, generation.name, record, settings, passages, documents)
    from .segments import open_segmented_vectors, segment_sizes

    manifest_path = generation / "manifest.json"
    sizes = segment_sizes(generation, json.loads(manifest_path.read_text(encoding="utf-8"))) if manifest_path.is_file() else None
    if sizes is not None:  # a base and a delta segment (segments.py)
        dense = open_segmented_vectors(generation, sizes)
        if len(dense) != passages:
            raise VectorStoreUnavailable(f"index in {generation} is inconsistent: {len(dense)} vectors for {passages} rows")
        return dense
    dense = FaissVectors.open(generation / FAISS_FILE)
    if len(dense) != passages:
        raise VectorStoreUnavailable(f"index in {generation} is inconsistent: {len(dense)} vectors for {passages} passages")
    return dense


def write_vectors(index_dir: Path, staging: Path, generation: str, vectors: np.ndarray, chunks: list[Chunk],
                  documents: dict[str, Document], settings: Settings, live: dict | None) -> dict:
    """Store a new generation's vectors (row i for chunks[i]) where the settings say, before it
    goes live; returns its record (also left in `staging`/vectors.json). `live`: the live
    generation's record, or None."""
    if store_for_new_generation(settings, live) == "milvus":
        from .milvus_vectors import MilvusVectors

        return MilvusVectors.write(index_dir, staging, generation, vectors, chunks, documents, settings, live)
    record = FaissVectors.write(staging, vectors)
    (staging / RECORD).write_text(json.dumps(record), encoding="utf-8")
    return record


def retire(index_dir: Path, folder: Path, generation: str, settings: Settings) -> bool:
    """Delete the Milvus rows of a generation that is gone, or of a run that failed or was killed
    (`folder`: its generation or partial folder, read before it is removed). Returns whether the
    folder may go: False when Milvus could not be reached, so the folder stays as the record of
    where the rows are, and a later write tries again. Rows left behind meanwhile are never
    searched, since every search names its generation."""
    record = read_record(folder) if folder.is_dir() else {"store": "faiss"}
    if record["store"] != "milvus":
        return True
    from .milvus_vectors import MilvusVectors

    try:
        MilvusVectors.delete_generation(index_dir, generation, record, settings)
    except Exception as exc:  # noqa: BLE001 - cleanup must never undo a write that went live
        log.warning("could not delete the Milvus vectors of %s (%s); the next write tries again", generation, exc)
        return False
    return True
