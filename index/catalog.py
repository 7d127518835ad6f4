"""Read-only look-ups over a loaded index: what is indexed, one document, one passage, and the
original file a document came from. Plain functions over a Searcher's IndexView, shared by the
API and the CLI."""

from __future__ import annotations

import hashlib
import threading
import weakref
from pathlib import Path

from ..schema import Catalog, DocumentDetail, DocumentSummary, PassageView
from .search import Searcher

MAX_QUOTE_CHARS = 4000  # a highlighted span is a sentence or a row, never a whole paper


def summary(searcher: Searcher, doc_id: str) -> DocumentSummary:
    doc = searcher.index.documents[doc_id]
    return DocumentSummary(
        id=doc.id, title=doc.title, committee=doc.committee, meeting_date=doc.meeting_date,
        doc_type=doc.doc_type, format=doc.format, pages=doc.pages,
        passages=len(searcher.index.rows_of(doc_id)),
        has_original=original_file(searcher, doc_id) is not None,
        access=doc.access, access_reason=doc.access_reason,
    )


def visible(searcher: Searcher, doc_id: str, include_restricted: bool) -> bool:
    """Whether a caller may know of this document at all: it is indexed, and public unless the
    caller may see restricted papers. A restricted one is, to the public, a document that is not
    there (the same 404, the same counts)."""
    doc = searcher.index.document(doc_id)
    return doc is not None and (include_restricted or doc.access == "public")


def catalog(searcher: Searcher, include_restricted: bool = True) -> Catalog:
    """Every document (the public ones only, unless `include_restricted`), newest meeting first
    (undated last), and every failed file."""
    documents = searcher.index.documents
    by_id = sorted(i for i in documents if visible(searcher, i, include_restricted))
    ordered = sorted(by_id, key=lambda i: documents[i].meeting_date or "", reverse=True)
    return Catalog(documents=[summary(searcher, i) for i in ordered],
                   failures=sorted(searcher.index.failures, key=lambda f: f.path))


def document(searcher: Searcher, doc_id: str) -> DocumentDetail | None:
    index = searcher.index
    if index.document(doc_id) is None:
        return None
    return DocumentDetail(document=summary(searcher, doc_id),
                          passages=[index.passage(chunk) for chunk in index.document_chunks(doc_id).values()])


def passage(searcher: Searcher, passage_id: str, start: int | None = None, end: int | None = None) -> PassageView | None:
    """One passage for the source viewer. `start`/`end` are a quote's offsets in the document's
    cleaned text (as a Citation carries them); they are clipped to the passage, so the viewer can
    only ever highlight text the passage holds."""
    chunk = searcher.index.chunk_by_id(passage_id)
    if chunk is None:
        return None
    highlight = None
    if start is not None and end is not None:
        s, e = max(start, chunk.start), min(end, chunk.end)
        if s < e:
            highlight = (s - chunk.start, e - chunk.start)
    return PassageView(passage=searcher.index.passage(chunk), document=summary(searcher, chunk.document_id), highlight=highlight)


def quote(searcher: Searcher, passage_id: str, start: int | None, end: int | None) -> str | None:
    """The quoted words to find on a PDF page: the highlighted span of the passage, or the whole
    passage when no span is given. Taken from the index, never from the request."""
    view = passage(searcher, passage_id, start, end)
    if view is None:
        return None
    text = view.passage.text
    if view.highlight:
        text = text[view.highlight[0]:view.highlight[1]]
    return text[:MAX_QUOTE_CHARS]


# Hashing a file on every request would be wasteful; a file is re-hashed only when its size or
# modification time changes.
_verified: dict[tuple[str, int, int], str] = {}
_verified_lock = threading.Lock()


def _sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _verified_lock:
        if key in _verified:
            return _verified[key]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with _verified_lock:
        if len(_verified) > 4096:
            _verified.clear()
        _verified[key] = digest
    return digest


def original_file(searcher: Searcher, doc_id: str) -> Path | None:
    """The file a document was ingested from: one of the absolute paths recorded at ingest (never
    a path made from the request), only if it resolves to a file inside the folders the index was
    built from (`ingested_roots`: a link out of them, recorded by an older ingest or made since,
    is not followed), and only if it still holds the bytes that were indexed, so the page an
    officer opens is the page the citation names. Every caller gets these checks: the file
    route, page images, and the documents list's `has_original`."""
    doc = searcher.index.document(doc_id)
    if doc is None:
        return None
    roots: list[Path] | None = None
    for location in doc.locations:
        path = Path(location)
        try:
            if not (path.is_absolute() and path.is_file()):
                continue
            if roots is None:
                roots = [root.resolve() for root in ingested_roots(searcher)]
            real = path.resolve(strict=True)
            if any(real == root or real.is_relative_to(root) for root in roots) and _sha256(real) == doc.content_hash:
                return path
        except (OSError, RuntimeError):  # gone since, unreadable, or a loop of links
            continue
    return None


# The folders an index was built from, worked out once per loaded index (a catalogue of every
# document asks for each one's original).
_roots: dict[int, tuple[weakref.ref, list[Path]]] = {}
_roots_lock = threading.Lock()


def _recorded_roots(searcher: Searcher) -> list[Path]:
    index = searcher.index
    with _roots_lock:
        cached = _roots.get(id(index))
        if cached and cached[0]() is index:
            return cached[1]
    roots: dict[Path, None] = {}
    for doc in index.documents.values():
        for location in doc.locations:
            if location.endswith("/" + doc.id):
                roots[Path(location[: -len(doc.id) - 1])] = None
            elif Path(location).name == doc.id:
                roots[Path(location)] = None  # ingested as a single file
            break
    found = list(roots)
    with _roots_lock:
        for key in [k for k, (ref, _) in _roots.items() if ref() is None]:  # indexes no longer loaded
            del _roots[key]
        _roots[id(index)] = (weakref.ref(index), found)
    return found


def ingested_roots(searcher: Searcher) -> list[Path]:
    """The folders (or single files) the index was built from, recovered from each document's
    recorded location and its id (the path relative to the folder given)."""
    return [root for root in _recorded_roots(searcher) if root.exists()]
