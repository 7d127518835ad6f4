"""`councilqa ingest`: files in, a new index generation out.

Per file: read bytes, hash, skip if unchanged, otherwise parse -> clean -> metadata -> chunk.
Parsing runs in a background thread while the main thread embeds (PDFium and torch both
release the GIL), passages already embedded (same text, in this index or earlier in the run)
are never embedded again, and one bad file is recorded with its reason while the rest go on."""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ..index.embedder import embedder_for
from ..index.sparse import SparseIndex
from ..index.store import IndexData, IndexNotFound, load_index, write_index
from ..schema import Chunk, Document, IngestError
from ..settings import Settings, get_settings
from .chunking import chunk_document
from .clean import clean_pages
from .errors import UnreadableFile
from .metadata import infer_metadata, read_sidecar
from .readers import SUPPORTED_SUFFIXES, read_file

log = logging.getLogger(__name__)


@dataclass
class SourceFile:
    path: Path  # absolute
    doc_id: str  # path relative to the folder given, with forward slashes


@dataclass
class Parsed:
    source: SourceFile
    content_hash: str
    document: Document | None = None
    text: str = ""
    chunks: list[Chunk] = field(default_factory=list)
    error: str | None = None
    seconds: dict = field(default_factory=dict)


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[IngestError] = field(default_factory=list)
    pages: int = 0
    passages_new: int = 0
    passages_total: int = 0
    embedded: int = 0
    reused_vectors: int = 0
    boilerplate_lines: int = 0
    seconds: dict = field(default_factory=lambda: {"parse": 0.0, "chunk": 0.0, "embed": 0.0, "index": 0.0})
    index_written: bool = False

    def summary(self) -> str:
        s = self.seconds
        lines = [
            f"{self.files} files: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicates, {len(self.failed)} failed",
            f"{self.pages} pages parsed, {self.passages_new} new passages, {self.embedded} vectors computed "
            f"({self.reused_vectors} passages reused a stored vector), {self.passages_total} passages in the index",
            f"seconds: parse {s['parse']:.1f}, chunk {s['chunk']:.1f}, embed {s['embed']:.1f}, index {s['index']:.1f}",
        ]
        lines += [f"FAILED {f.path}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


def discover(paths: list[Path]) -> list[SourceFile]:
    """Files to ingest, sorted. A folder is walked recursively; ids are relative to it."""
    found: dict[Path, SourceFile] = {}
    for given in paths:
        given = Path(given).resolve()
        if given.is_file():
            found.setdefault(given, SourceFile(given, given.name))
            continue
        if not given.is_dir():
            raise FileNotFoundError(f"no such file or folder: {given}")
        for path in sorted(given.rglob("*")):
            rel = path.relative_to(given)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.setdefault(path, SourceFile(path, rel.as_posix()))
    return sorted(found.values(), key=lambda s: s.doc_id)


def parse_file(source: SourceFile, data: bytes, content_hash: str, settings: Settings) -> Parsed:
    parsed = Parsed(source, content_hash)
    t0 = time.perf_counter()
    try:
        raw = read_file(source.path, data)
        cleaned = clean_pages(raw.pages, raw.paged)
        t1 = time.perf_counter()
        meta = infer_metadata(source.doc_id, cleaned.text, raw.title_hint, read_sidecar(source.path))
        document = Document(
            id=source.doc_id, format=raw.format, content_hash=content_hash, locations=[str(source.path)],
            pages=len(raw.pages) if raw.paged else None, page_starts=cleaned.page_starts, **meta,
        )
        chunks = chunk_document(cleaned, source.doc_id, content_hash[:16], settings.chunk_target_chars, settings.chunk_max_chars)
        if not chunks:
            raise UnreadableFile("no text to index after cleaning")
        parsed.document, parsed.text, parsed.chunks = document, cleaned.text, chunks
        parsed.seconds = {"parse": t1 - t0, "chunk": time.perf_counter() - t1, "boilerplate": sum(cleaned.removed.values())}
    except UnreadableFile as exc:
        parsed.error = exc.reason
    except Exception as exc:  # a malformed file must never stop the run
        log.exception("unexpected error reading %s", source.path)
        parsed.error = f"could not be read: {type(exc).__name__}: {exc}"
    return parsed


class _VectorCache:
    """Vectors by passage search text, so identical text is embedded once per index."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray):
        self.by_text: dict[str, np.ndarray] = {}
        for chunk, vector in zip(chunks, vectors):
            self.by_text.setdefault(chunk.search_text(), vector)

    def get(self, text: str) -> np.ndarray | None:
        return self.by_text.get(text)

    def put(self, text: str, vector: np.ndarray) -> None:
        self.by_text[text] = vector


def _load_existing(index_dir: Path) -> IndexData:
    try:
        data, _, _, _ = load_index(index_dir)
        return data
    except IndexNotFound:
        return IndexData.empty()


def ingest(paths: list[Path], index_dir: Path | None = None, settings: Settings | None = None,
           progress: bool = True) -> IngestReport:
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    report = IngestReport()
    sources = discover(paths)
    report.files = len(sources)
    old = _load_existing(index_dir)
    documents = dict(old.documents)
    texts = dict(old.texts)
    failures = {f.path: f for f in old.failures}
    by_hash = {doc.content_hash: doc_id for doc_id, doc in documents.items()}
    replaced: set[str] = set()
    new_chunks: list[Chunk] = []
    changed = False
    embedding = _EmbeddingQueue(_VectorCache(old.chunks, old.vectors), settings, report, progress)

    work: queue.Queue = queue.Queue(maxsize=8)

    def produce() -> None:
        for source in sources:
            try:
                data = source.path.read_bytes() if source.path.stat().st_size <= settings.max_file_bytes else None
            except OSError as exc:
                work.put(Parsed(source, "", error=f"cannot be read: {exc.strerror or exc}"))
                continue
            if data is None:
                work.put(Parsed(source, "", error=f"too large (over {settings.max_file_bytes // (1024 * 1024)} MB)"))
                continue
            digest = hashlib.sha256(data).hexdigest()
            known = documents.get(source.doc_id)
            if (known and known.content_hash == digest) or (digest in by_hash and by_hash[digest] != source.doc_id):
                work.put(Parsed(source, digest))  # nothing to parse: unchanged or a duplicate
                continue
            work.put(parse_file(source, data, digest, settings))
        work.put(None)

    producer = threading.Thread(target=produce, name="councilqa-parse", daemon=True)
    producer.start()
    bar = tqdm(total=len(sources), unit="file", disable=not progress, desc="ingest")
    while (item := work.get()) is not None:
        source = item.source
        bar.update(1)
        if item.error:
            failures[str(source.path)] = IngestError(path=str(source.path), reason=item.error)
            report.failed.append(failures[str(source.path)])
            changed = True
            continue
        failures.pop(str(source.path), None)
        if item.document is None:
            owner = by_hash.get(item.content_hash, source.doc_id)
            doc = documents[owner]
            if str(source.path) not in doc.locations:
                documents[owner] = doc.model_copy(update={"locations": doc.locations + [str(source.path)]})
                changed = True
            if owner == source.doc_id:
                report.unchanged += 1
            else:
                report.duplicates += 1
            continue
        if item.content_hash in by_hash and by_hash[item.content_hash] != source.doc_id:
            report.duplicates += 1  # same bytes seen earlier in this very run
            owner = by_hash[item.content_hash]
            documents[owner] = documents[owner].model_copy(update={"locations": documents[owner].locations + [str(source.path)]})
            continue
        if source.doc_id in documents:
            report.updated += 1
            by_hash.pop(documents[source.doc_id].content_hash, None)
            replaced.add(source.doc_id)
            new_chunks = [c for c in new_chunks if c.document_id != source.doc_id]
        else:
            report.added += 1
        documents[source.doc_id] = item.document
        texts[source.doc_id] = item.text
        by_hash[item.content_hash] = source.doc_id
        new_chunks.extend(item.chunks)
        embedding.add(item.chunks)
        report.pages += item.document.pages or 0
        report.seconds["parse"] += item.seconds.get("parse", 0.0)
        report.seconds["chunk"] += item.seconds.get("chunk", 0.0)
        report.boilerplate_lines += item.seconds.get("boilerplate", 0)
        bar.set_postfix(pages=report.pages, passages=len(new_chunks))
        changed = True
    bar.close()
    producer.join()
    if not changed and (index_dir / "CURRENT").exists():
        report.passages_total = len(old.chunks)
        return report

    dim = old.vectors.shape[1] if len(old.vectors) else 384
    new_vectors = embedding.vectors(new_chunks, dim)
    t1 = time.perf_counter()
    keep = [row for row, c in enumerate(old.chunks) if c.document_id not in replaced]
    chunks = [old.chunks[row] for row in keep] + new_chunks
    dim = new_vectors.shape[1] if len(new_vectors) else dim
    vectors = np.vstack([old.vectors[keep].reshape(-1, dim), new_vectors])
    data = IndexData(documents, texts, chunks, vectors, sorted(failures.values(), key=lambda f: f.path), settings.model_path())
    write_index(index_dir, data, SparseIndex.build([c.search_text() for c in chunks]))
    report.seconds["index"] = time.perf_counter() - t1
    report.passages_new = len(new_chunks)
    report.passages_total = len(chunks)
    report.index_written = True
    return report


class _EmbeddingQueue:
    """Embeds passages in batches as files arrive, so parsing (in its thread) overlaps it."""

    def __init__(self, cache: _VectorCache, settings: Settings, report: IngestReport, progress: bool):
        self.cache, self.settings, self.report = cache, settings, report
        self.pending: dict[str, None] = {}
        self.step = settings.embedding_window
        self.bar = tqdm(unit="passage", disable=not progress, desc="embed")

    def add(self, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            text = chunk.search_text()
            if self.cache.get(text) is None:
                self.pending[text] = None
            else:
                self.report.reused_vectors += 1
        if len(self.pending) >= self.step:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        t0 = time.perf_counter()
        batch = list(self.pending)  # the embedder sorts by length and cuts batches by tokens
        self.pending = {}
        for text, vector in zip(batch, embedder_for(self.settings).encode(batch)):
            self.cache.put(text, vector)
        self.report.embedded += len(batch)
        self.report.seconds["embed"] += time.perf_counter() - t0
        self.bar.update(len(batch))

    def vectors(self, chunks: list[Chunk], dim: int) -> np.ndarray:
        self.flush()
        self.bar.close()
        if not chunks:
            return np.zeros((0, dim), dtype=np.float32)
        return np.asarray([self.cache.get(c.search_text()) for c in chunks], dtype=np.float32)
