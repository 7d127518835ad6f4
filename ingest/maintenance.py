"""Changes to an index other than adding papers: removing documents, and keeping an uploaded
file. Each change writes a new generation (atomically, like ingest), so a running service
picks it up on its next request and a reader of the old generation is not disturbed."""

from __future__ import annotations

import re
from pathlib import Path

from ..index.sparse import SparseIndex
from ..index.store import IndexData, load_index, write_index
from .readers import SUPPORTED_SUFFIXES

SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]+")


def remove_documents(index_dir: Path, doc_ids: list[str]) -> list[str]:
    """Drop these documents, their passages and vectors from the index. Returns the ids that were
    there (and so removed); writes nothing when none was."""
    data, _, _, _ = load_index(index_dir)
    gone = [d for d in dict.fromkeys(doc_ids) if d in data.documents]
    if not gone:
        return []
    keep = [row for row, chunk in enumerate(data.chunks) if chunk.document_id not in gone]
    chunks = [data.chunks[row] for row in keep]
    remaining = IndexData(
        documents={k: v for k, v in data.documents.items() if k not in gone},
        texts={k: v for k, v in data.texts.items() if k not in gone},
        chunks=chunks, vectors=data.vectors[keep].reshape(-1, data.vectors.shape[1]),
        failures=data.failures, model=data.model,
    )
    write_index(index_dir, remaining, SparseIndex.build([c.search_text() for c in chunks]))
    return gone


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
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)
    return target
