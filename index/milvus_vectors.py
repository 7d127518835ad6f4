"""Vectors in Milvus (a server, a cluster, or a milvus-lite folder), for councils that share one.

One collection per council (COUNCILQA_MILVUS_COLLECTION), one row per passage of a generation:

    id            "<generation>/<row>" (primary key)
    generation    the generation folder's name; every search names it, so a generation only
                  ever sees its own vectors, however many runs wrote before or after it
    row           the passage's row in the generation's SQLite (store.py)
    document, committee, doc_type, meeting_date ("" when unknown), access
                  the fields a search filters on, copied from the passage's document, so the
                  filters are a Milvus filter expression and a public search never receives a
                  restricted passage's vector hit
    vector        FLOAT_VECTOR, inner product (the embeddings are normalised, as for FAISS)

A generation's rows are inserted and flushed before it goes live; rows of generations gone from
disk, and of runs that failed or were killed, are deleted after a later switch (vector_store.
retire), and only by the index folder that wrote them (`owner`, a hash of its path), so two
index folders writing to one collection (a copy of an index) never delete each other's rows."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from ..schema import Chunk, Document
from ..settings import Settings
from .filters import Filters
from .vector_store import RECORD, Scope, VectorStore, VectorStoreUnavailable

# Candidates beyond the n asked for, so that ordering them here (see MilvusVectors.search) does
# not depend on where Milvus's arithmetic put the n-th.
RESCORE_MARGIN = 20
MAX_LIMIT = 16384  # Milvus's largest search limit
INSERT_BATCH = 512  # rows per insert: about 1 MB of gRPC message at 384 dimensions
QUERY_BATCH = 4096  # rows per read when a writer takes every vector back (milvus-lite caps at 16384)
LOCAL_DB = "milvus.db"  # the default milvus-lite folder, inside the index folder
TEXT_FIELDS = {"generation": 64, "document": 8192, "committee": 1024, "doc_type": 32, "meeting_date": 10,
               "access": 16}
# pymilvus pings its server every 10 s while idle; milvus-lite's in-process gRPC server keeps
# gRPC's default policy (no pings under 5 minutes apart when idle) and answers an ingest that
# embeds for minutes with GOAWAY "too_many_pings", which gRPC prints on stderr. In-process,
# there is no connection to keep alive.
LOCAL_GRPC = {"grpc.keepalive_time_ms": 3_600_000, "grpc.keepalive_permit_without_calls": False}
_clients: dict[tuple[str, str], object] = {}  # one connection per Milvus per process


def _pymilvus():
    try:
        import pymilvus
    except ImportError as exc:
        raise VectorStoreUnavailable(
            "COUNCILQA_VECTOR_STORE=milvus (or an index whose vectors are in Milvus) needs pymilvus: "
            "pip install 'councilqa[milvus]'") from exc
    return pymilvus


def literal(text: str) -> str:
    """A Milvus filter-expression string literal: double quotes, backslash escapes (milvus-lite
    does not take filter templates, so values are quoted here)."""
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise ValueError(f"a filter value with a control character cannot be searched: {text!r}")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def filter_expression(generation: str, filters: Filters | None, committees: Iterable[str]) -> str | None:
    """The Milvus expression for one search of `generation`, or None when the filters leave
    nothing to find. `committees`: the committee names the generation's documents carry; a
    committee filter is the ones whose name holds it, case aside (Filters.committee_matches)."""
    terms = [f"generation == {literal(generation)}"]
    if filters is None:
        return terms[0]
    if not filters.include_restricted:
        terms.append('access == "public"')
    if filters.committee:
        names = sorted(name for name in committees if filters.committee_matches(name))
        if not names:
            return None
        terms.append(f"committee in [{', '.join(literal(name) for name in names)}]")
    if filters.doc_type:
        terms.append(f"doc_type == {literal(filters.doc_type)}")
    if filters.date_from:
        terms.append(f'meeting_date != "" and meeting_date >= {literal(filters.date_from)}')
    if filters.date_to:
        terms.append(f'meeting_date != "" and meeting_date <= {literal(filters.date_to)}')
    if filters.document:
        terms.append(f"document == {literal(filters.document)}")
    return " and ".join(terms)


def owner_of(index_dir: Path) -> str:
    """Who may delete a generation's rows: the index folder that wrote them, by its path."""
    return hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:16]


def default_collection(index_dir: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", Path(index_dir).resolve().name)
    return f"councilqa_{name}"[:255]


def _uri(index_dir: Path, settings: Settings, record: dict | None) -> str:
    """The setting, else what the index recorded, else milvus-lite inside the index folder (not
    recorded as a path, so the index folder can be moved)."""
    return settings.milvus_uri or (record or {}).get("uri") or str(Path(index_dir) / LOCAL_DB)


def _connect(uri: str, settings: Settings):
    key = (uri, settings.milvus_token)
    if key in _clients:
        return _clients[key]
    pymilvus = _pymilvus()
    local = uri.endswith(".db")
    if local:  # it logs a traceback when it cannot open the folder; the error raised below says why
        logging.getLogger("milvus_lite.server_manager").setLevel(logging.CRITICAL)
    try:
        client = pymilvus.MilvusClient(uri=uri, token=settings.milvus_token, timeout=settings.milvus_timeout,
                                       **({"grpc_options": LOCAL_GRPC} if local else {}))
    except Exception as exc:  # noqa: BLE001 - every way of failing to connect gets the same explanation
        if local and _held_elsewhere(Path(uri)):
            raise VectorStoreUnavailable(
                f"milvus-lite cannot open {uri}: another process has it open, and milvus-lite serves one process at "
                "a time; stop that process (a `councilqa serve`, an ingest), or run a Milvus server and set "
                "COUNCILQA_MILVUS_URI to it for every process") from exc
        if local:
            raise VectorStoreUnavailable(f"milvus-lite cannot open {uri}: {exc}") from exc
        raise VectorStoreUnavailable(f"Milvus at {uri} cannot be reached ({exc}); check COUNCILQA_MILVUS_URI "
                                     "and COUNCILQA_MILVUS_TOKEN") from exc
    _clients[key] = client
    return client


def _held_elsewhere(folder: Path) -> bool:
    """Whether another process holds the milvus-lite folder's lock (asked only after opening it
    failed, so no server of this process holds it)."""
    try:
        fd = os.open(folder / "LOCK", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _call(uri: str, what: str, call, *args, **kwargs):
    """Run one Milvus call; its failure is a VectorStoreUnavailable naming Milvus and the call."""
    try:
        return call(*args, **kwargs)
    except VectorStoreUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - pymilvus raises MilvusException and grpc errors alike
        raise VectorStoreUnavailable(f"Milvus at {uri} failed to {what}: {exc}") from exc


class MilvusVectors(VectorStore):
    kind = "milvus"

    def __init__(self, client, uri: str, collection: str, generation: str, count: int, dim: int,
                 committees: Iterable[str], timeout: float):
        self.client, self.uri, self.collection, self.generation = client, uri, collection, generation
        self._count, self._dim, self.timeout = count, dim, timeout
        self.committees = sorted(set(committees))

    @classmethod
    def open(cls, index_dir: Path, generation: str, record: dict, settings: Settings, expected: int,
             documents: dict[str, Document]) -> "MilvusVectors":
        """The generation's vectors in its collection; VectorStoreUnavailable when Milvus cannot
        be reached or holds another number of vectors for it than it has passages."""
        uri = _uri(index_dir, settings, record)
        client = _connect(uri, settings)
        collection = record["collection"]
        if not _call(uri, f"look up the collection {collection}", client.has_collection, collection,
                     timeout=settings.milvus_timeout):
            raise VectorStoreUnavailable(f"the index's vectors are in the Milvus collection {collection!r}, which "
                                         f"{uri} does not have: re-ingest with COUNCILQA_VECTOR_STORE=milvus")
        _ensure_loaded(client, uri, collection, settings)
        rows = _call(uri, "count the generation's vectors", client.query, collection,
                     filter=f"generation == {literal(generation)}", output_fields=["count(*)"],
                     timeout=settings.milvus_timeout)
        count = int(rows[0]["count(*)"]) if rows else 0
        if count != expected:
            raise VectorStoreUnavailable(f"the Milvus collection {collection!r} at {uri} holds {count} vectors of "
                                         f"generation {generation} for {expected} passages: re-ingest")
        committees = {doc.committee for doc in documents.values() if doc.committee}
        return cls(client, uri, collection, generation, count, int(record["dim"]), committees,
                   settings.milvus_timeout)

    def __len__(self) -> int:
        return self._count

    @property
    def dim(self) -> int:
        return self._dim

    def search(self, query: np.ndarray, n: int, scope: Scope | None = None) -> list[int]:
        """Milvus filters and finds the candidates; they are put in order here as the FAISS store
        orders them (its inner product, ties by row). Milvus's own arithmetic differs in the last
        bits, and the Kent papers reprint many passages word for word (a paper and its pack), so
        left to Milvus tied copies changed places and the fused ranking below them moved."""
        expression = filter_expression(self.generation, scope.filters if scope else None, self.committees)
        if expression is None or not self._count:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        hits = _call(self.uri, "search", self.client.search, self.collection, data=[query[0].tolist()],
                     limit=min(n + RESCORE_MARGIN, MAX_LIMIT), filter=expression, output_fields=["row", "vector"],
                     anns_field="vector", search_params={"metric_type": "IP", "params": {"ef": max(n + RESCORE_MARGIN, 64)}},
                     timeout=self.timeout)
        found = sorted((int(hit["entity"]["row"]), hit["entity"]["vector"]) for hit in hits[0])
        if not found:
            return []
        rows = [row for row, _ in found]
        candidates = faiss.IndexFlatIP(self._dim)
        candidates.add(np.asarray([vector for _, vector in found], dtype=np.float32))
        _, order = candidates.search(query, min(n, len(rows)))
        return [rows[i] for i in order[0] if i >= 0]

    def vectors(self) -> np.ndarray:
        out = np.zeros((self._count, self._dim), dtype=np.float32)
        for start in range(0, self._count, QUERY_BATCH):
            rows = _call(self.uri, "read vectors", self.client.query, self.collection,
                         filter=f"generation == {literal(self.generation)} and row >= {start} and row < {start + QUERY_BATCH}",
                         output_fields=["row", "vector"], limit=QUERY_BATCH, timeout=self.timeout)
            for found in rows:
                out[int(found["row"])] = found["vector"]
        return out

    @staticmethod
    def destination(index_dir: Path, settings: Settings, live: dict | None) -> dict:
        """Where a new generation's rows go: the settings, else where the live generation's are."""
        live = live if (live or {}).get("store") == "milvus" else {}
        return {"store": "milvus",
                "collection": settings.milvus_collection or live.get("collection") or default_collection(index_dir),
                "owner": owner_of(index_dir), "uri": settings.milvus_uri or live.get("uri") or None}

    @classmethod
    def connect_for_write(cls, index_dir: Path, settings: Settings, live: dict | None):
        return _connect(_uri(index_dir, settings, cls.destination(index_dir, settings, live)), settings)

    @classmethod
    def write(cls, index_dir: Path, staging: Path, generation: str, vectors: np.ndarray, chunks: list[Chunk],
              documents: dict[str, Document], settings: Settings, live: dict | None) -> dict:
        record = cls.destination(index_dir, settings, live)
        collection, dim = record["collection"], int(vectors.shape[1])
        record["dim"] = dim
        # Written first: a run killed after its first insert leaves a record of where its rows went.
        (staging / RECORD).write_text(json.dumps(record), encoding="utf-8")
        uri = _uri(index_dir, settings, record)
        client = _connect(uri, settings)
        _ensure_collection(client, uri, collection, dim, settings)
        _ensure_loaded(client, uri, collection, settings)
        for start in range(0, len(chunks), INSERT_BATCH):
            batch = []
            for row in range(start, min(start + INSERT_BATCH, len(chunks))):
                doc = documents[chunks[row].document_id]
                batch.append({"id": f"{generation}/{row}", "generation": generation, "row": row, "document": doc.id,
                              "committee": doc.committee or "", "doc_type": doc.doc_type or "",
                              "meeting_date": doc.meeting_date or "", "access": doc.access,
                              "vector": vectors[row].tolist()})
            _call(uri, f"insert vectors into {collection}", client.insert, collection, batch,
                  timeout=settings.milvus_timeout)
        _call(uri, f"flush {collection}", client.flush, collection, timeout=settings.milvus_timeout)
        return record

    @staticmethod
    def delete_generation(index_dir: Path, generation: str, record: dict, settings: Settings) -> None:
        if record.get("owner") != owner_of(index_dir):
            return  # written by another index folder (this one is a copy, or was moved): not ours to delete
        uri = _uri(index_dir, settings, record)
        client = _connect(uri, settings)
        if _call(uri, "look up a collection", client.has_collection, record["collection"], timeout=settings.milvus_timeout):
            _call(uri, f"delete the vectors of {generation}", client.delete, record["collection"],
                  filter=f"generation == {literal(generation)}", timeout=settings.milvus_timeout)


def _ensure_loaded(client, uri: str, collection: str, settings: Settings) -> None:
    """Load the collection into memory unless it is: a milvus-lite folder opened again, or a
    collection an administrator released, is searched only after a load."""
    state = _call(uri, f"ask whether {collection} is loaded", client.get_load_state, collection,
                  timeout=settings.milvus_timeout)
    if str(state.get("state")).rsplit(".", 1)[-1] != "Loaded":
        _call(uri, f"load {collection}", client.load_collection, collection, timeout=settings.milvus_timeout)


def _ensure_collection(client, uri: str, collection: str, dim: int, settings: Settings) -> None:
    """Create the council's collection on its first write; refuse one whose vectors have another
    dimension (another embedding model's)."""
    if _call(uri, "look up a collection", client.has_collection, collection, timeout=settings.milvus_timeout):
        fields = _call(uri, f"describe {collection}", client.describe_collection, collection,
                       timeout=settings.milvus_timeout)["fields"]
        have = next((int(f["params"]["dim"]) for f in fields if f["name"] == "vector"), None)
        if have != dim:
            raise VectorStoreUnavailable(f"the Milvus collection {collection!r} at {uri} holds vectors of dimension "
                                         f"{have}, and this index's model makes {dim}: set COUNCILQA_MILVUS_COLLECTION "
                                         "to another collection")
        return
    DataType = _pymilvus().DataType
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=128)
    schema.add_field("row", DataType.INT64)
    for name, length in TEXT_FIELDS.items():
        schema.add_field(name, DataType.VARCHAR, max_length=length)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    index = client.prepare_index_params()
    index.add_index(field_name="vector", index_type=settings.milvus_index_type, metric_type="IP")
    # Strong: a search right after a write (the switch to a new generation) sees all its rows.
    _call(uri, f"create the collection {collection}", client.create_collection, collection, schema=schema,
          consistency_level="Strong", timeout=settings.milvus_timeout)
    # sync=False: the collection is empty, so there is nothing to wait for (and milvus-lite does not
    # implement the timestamp call that waiting makes; it logs an error for it).
    _call(uri, f"index {collection}", client.create_index, collection, index, sync=False,
          timeout=settings.milvus_timeout)


def disconnect(uri: str) -> None:
    """Close this process's connection to `uri`; for a milvus-lite folder, also stop its
    in-process server, which frees the folder for another process (milvus-lite serves one)."""
    for key in [key for key in _clients if key[0] == uri]:
        _clients.pop(key).close()
    if uri.endswith(".db"):
        try:
            from milvus_lite.server_manager import server_manager_instance
        except ImportError:
            return
        server_manager_instance.release_server(uri)
