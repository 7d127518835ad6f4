"""Changes to an index other than adding papers: removing documents, compacting its segments,
and keeping an uploaded file. Each change writes a new generation (atomically, like ingest; a
removal as tombstones in a delta segment while that stays small, index/segments.py), so a running service
picks it up on its next request and a reader of the old generation is not disturbed. A document
removed here is recorded as withdrawn (index/store.py, Withdrawal), so ingesting its folder
again does not bring it back while its file is unchanged."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np

from ..index.lock import writer_lock
from ..index.segments import Change, delta_store
from ..index.store import IndexData, Withdrawal, live_generation, load_index, write_change, write_index
from ..index.writer_reads import load_catalogue
from ..settings import Settings, get_settings
from .readers import SUPPORTED_SUFFIXES

SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]+")
class UnknownDocuments(LookupError):
    """Ids asked to be removed that the index does not hold (so nothing was removed)."""

    def __init__(self, doc_ids: list[str]):
        self.doc_ids = doc_ids
        super().__init__("no document in the index with the id " + ", ".join(repr(d) for d in doc_ids))


def remove_documents(index_dir: Path, doc_ids: list[str], all_or_none: bool = False,
                     by: str = "`councilqa remove`", settings: Settings | None = None) -> list[str]:
    """Drop these documents, their passages and vectors from the index, and record each as
    withdrawn (`by` says what removed it), so an ingest skips its file while the file's bytes are
    the same. Returns the ids that were there (and so removed); writes nothing when none was. With all_or_none, an id the index does
    not hold raises UnknownDocuments and nothing is removed (a mistyped id on the command line
    should not leave the others half done). Holds the writer lock from the read to the write, so
    a removal and an ingest never undo each other's change (a caller that holds it already, as
    the admin route does, goes straight on: the lock is re-entrant). Removing the last document
    leaves a valid empty index."""
    settings = settings or get_settings()
    with writer_lock(index_dir):
        # The catalogue only (index/writer_reads.py): a removal written as tombstones reads no
        # passage; one that ends up writing the whole index reads them then (store.write_change).
        data = load_catalogue(index_dir)
        unknown = [d for d in dict.fromkeys(doc_ids) if d not in data.documents]
        if all_or_none and unknown:
            raise UnknownDocuments(unknown)
        gone = [d for d in dict.fromkeys(doc_ids) if d in data.documents]
        if not gone:
            return []
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        withdrawn = dict(data.withdrawn)
        for doc_id in gone:
            doc = data.documents[doc_id]
            withdrawn[doc.content_hash] = Withdrawal(content_hash=doc.content_hash, document=doc_id, title=doc.title,
                                                     locations=doc.locations, removed=now, by=by)
        texts = data.texts
        for doc_id in gone:
            del texts[doc_id]
        remaining = IndexData(
            documents={k: v for k, v in data.documents.items() if k not in gone},
            texts=texts, chunks=[], vectors=None,
            failures=data.failures, model=data.model,
            pipeline={k: v for k, v in data.pipeline.items() if k not in gone},
            withdrawn=withdrawn, embedding=data.embedding,
        )
        change = Change(data.generation.name, set(gone), [], np.zeros((0, data.dim), dtype=np.float32))
        passages = sum(n for doc_id, n in data.passages_of.items() if doc_id not in gone)
        write_change(index_dir, remaining, change, passages, settings)
        return gone


def compact(index_dir: Path, settings: Settings | None = None) -> bool:
    """Write the index as one segment again (index/segments.py): its base and delta merged,
    the dead rows of removed and replaced papers dropped, BM25's statistics exact again.
    Returns False, writing nothing, when it is one segment already."""
    settings = settings or get_settings()
    with writer_lock(index_dir):
        if delta_store(live_generation(index_dir)[0]) is None:
            return False
        data, _, _, _ = load_index(index_dir, settings)
        write_index(index_dir, data, None, settings)
        return True


def upload_name(filename: str) -> str:
    """A safe file name for an upload: its last path component, odd characters replaced, no
    leading dot, and one of the formats ingest reads. Raises ValueError otherwise."""
    name = SAFE_NAME.sub("_", Path(filename.replace("\\", "/")).name).strip(" .")
    if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ValueError(f"only {', '.join(sorted(SUPPORTED_SUFFIXES))} files can be added")
    return name


def save_upload(folder: Path, filename: str, data: bytes) -> Path:
    """Keep an uploaded file under `folder` (never anywhere else) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / upload_name(filename)
    write_atomically(target, data)
    return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write a file so that a crash leaves the old one or the new one, never half of either."""
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)
