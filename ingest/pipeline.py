"""`councilqa ingest`: files in, a new index generation out.

Per file: read bytes, hash, skip if unchanged, otherwise parse -> clean -> metadata -> chunk
(parsing.py). Unchanged means the same bytes *and* read by this version of the pipeline: a file
whose document the index records as produced by another PIPELINE_VERSION (version.py; an index
written before versions were recorded counts as another) is read again, so a fix to parsing,
cleaning or chunking reaches papers indexed before it (counted as updated, "because the pipeline
changed"). A background thread feeds files to the parser (a child process for large runs)
while the main thread embeds; passages already embedded (same words, in this index or earlier
in the run) are never embedded again (embedding.py); one bad file is recorded with its reason
while the rest go on.

What is read (discover_files): the files given, and in each folder given every PDF, HTML, text
and Markdown file under it, hidden files and folders aside. Links inside a folder are followed
only where they stay inside it: a link out of the folder (to /etc/passwd, or a folder elsewhere)
is refused with its reason, like a file that fails, so nothing outside the folders named is read,
answered from or served. Files of formats a user may expect us to read (Word, spreadsheets,
images) are listed as not supported, with what to do; they do not count as failures.

Folder sync (sync.py): a folder given is read as it is now, so a document read from it before
whose file has gone from it is removed, with its passages, and the report names it. Only
locations inside the folders given count: papers from other folders and uploads are never
touched, and a file given alone removes nothing.

Withdrawn papers (`councilqa remove`, DELETE through the API) stay out: a file whose bytes the
index records as withdrawn is skipped, wherever it is found, and the report says so (a file
whose content has changed since is a new paper and is read). `include_withdrawn` reads them
again and lifts their withdrawal; `restore` does that for documents named by id.

The report counts what happened; `councilqa ingest` exits 1 when any file failed (cli.py).

A run holds the index's writer lock (index/lock.py) from before it reads the live generation
until its own is live, so two runs into one index (a cron job and an administrator) take turns
and the second adds to what the first wrote, instead of one silently replacing the other."""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..index.lock import describe, writer_lock
from ..index.segments import Change
from ..index.store import IndexData, IndexNotFound, Withdrawal, load_index, write_change
from ..index.vector_store import check_reachable, read_record, relocates
from ..index.writer_reads import Catalogue, StoredVectors, VectorsInMemory, load_catalogue, stored_vectors
from ..schema import Chunk, IngestError
from ..settings import Settings, get_settings
from . import version
from .access import reassess
from .embedding import EmbeddingQueue, VectorCache
from .journal import EmbeddingJournal
from .parsing import Parsed, Parser, SourceFile, parse_file
from .readers import SUPPORTED_SUFFIXES, not_supported_reason
from .sync import withdraw_gone

__all__ = ["Discovery", "IngestReport", "SourceFile", "discover", "discover_files", "ingest", "parse_file", "restore"]
log = logging.getLogger(__name__)
# The parser runs ahead of the embedder by up to this many files (it is several times
# faster), so it finishes early and leaves every core to embedding; see EmbeddingQueue.
PARSE_AHEAD_FILES = 128


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    updated: int = 0
    updated_pipeline: int = 0  # of those updated: same bytes, read again by a new pipeline version
    unchanged: int = 0
    duplicates: int = 0
    failed: list[IngestError] = field(default_factory=list)
    # Files of formats we do not read (Word, spreadsheets, images), and why: not failures.
    unsupported: list[IngestError] = field(default_factory=list)
    pages: int = 0
    passages_new: int = 0
    passages_total: int = 0
    embedded: int = 0
    reused_vectors: int = 0
    # Stored vectors read from the index: those looked up for passages about to be embedded,
    # or every one when the index had to be read whole (Milvus, an older store, a whole write).
    vectors_read: int = 0
    # Vectors an interrupted run had computed, taken up by this one (ingest/journal.py).
    resumed_vectors: int = 0
    boilerplate_lines: int = 0
    # Documents taken out because their files are gone from the folder given: (id, folder).
    removed: list[tuple[str, str]] = field(default_factory=list)
    # Files skipped because their bytes were withdrawn: (path, the withdrawal).
    withdrawn: list[tuple[str, Withdrawal]] = field(default_factory=list)
    # Withdrawals lifted by this run (include_withdrawn, restore): the ids they had.
    restored: list[str] = field(default_factory=list)
    # "read": reading the live index before parsing (its catalogue; the whole index where it
    # cannot be read on demand); "lookup": the CPU time of looking up stored vectors as passages
    # came (index/writer_reads.py). A whole write's own read of the passages is in "index".
    seconds: dict = field(default_factory=lambda: {"read": 0.0, "lookup": 0.0, "parse": 0.0, "chunk": 0.0, "embed": 0.0,
                                                   "index": 0.0})
    index_written: bool = False

    def summary(self) -> str:
        s = self.seconds
        not_supported = f", {len(self.unsupported)} not supported" if self.unsupported else ""
        pipeline = f" ({self.updated_pipeline} of them because the pipeline changed)" if self.updated_pipeline else ""
        removed = (f"; {len(self.removed)} document{'s' * (len(self.removed) != 1)} removed (files gone)"
                   if self.removed else "")
        withdrawn = f", {len(self.withdrawn)} withdrawn" if self.withdrawn else ""
        lines = [
            f"{self.files} files: {self.added} added, {self.updated} updated{pipeline}, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicates{withdrawn}, {len(self.failed)} failed{not_supported}{removed}",
            f"{self.pages} pages parsed, {self.passages_new} new passages, {self.embedded} vectors computed "
            f"({self.reused_vectors} passages reused a stored vector; {self.vectors_read} stored vectors read), "
            f"{self.passages_total} passages in the index",
            *([f"resumed: {self.resumed_vectors} passages took the vector an earlier run that did not finish had computed"]
              if self.resumed_vectors else []),
            f"seconds: read {s['read']:.1f}, look-ups {s['lookup']:.1f}, parse {s['parse']:.1f}, chunk {s['chunk']:.1f}, "
            f"embed {s['embed']:.1f}, index {s['index']:.1f}",
        ]
        lines += [f"REMOVED {doc_id}: its file is gone from {folder}" for doc_id, folder in self.removed]
        lines += [f"WITHDRAWN {path}: {w.reason()}; not read while the file is unchanged "
                  f"(`councilqa restore {shlex.quote(w.document)}` brings it back)" for path, w in self.withdrawn]
        lines += [f"RESTORED {doc_id}: no longer withdrawn" for doc_id in self.restored]
        lines += [f"NOT SUPPORTED {f.path}: {f.reason}" for f in self.unsupported]
        lines += [f"FAILED {f.path}: {f.reason}" for f in self.failed]
        if self.failed:
            read = self.added + self.updated + self.unchanged + self.duplicates
            lines.append(f"{len(self.failed)} of {self.files} files failed ({read} read); `councilqa ingest` exits with status 1")
        return "\n".join(lines)


@dataclass
class Discovery:
    sources: list[SourceFile]
    refused: list[IngestError] = field(default_factory=list)  # links out of their folder, broken links
    unsupported: list[IngestError] = field(default_factory=list)  # Word, spreadsheets, images...
    roots: dict[Path, Path] = field(default_factory=dict)  # a folder's file -> the folder, resolved
    folders: list[Path] = field(default_factory=list)  # the folders given, resolved (an empty one too)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def discover_files(paths: list[Path]) -> Discovery:
    """What to read from these files and folders. A folder is walked recursively, hidden files and
    folders aside; ids are paths relative to it. Links are followed only where they stay inside
    the folder; a link out of it is refused with the reason (a file named on the command line is
    read wherever it is: the user chose it)."""
    found: dict[Path, SourceFile] = {}
    refused: dict[str, IngestError] = {}
    unsupported: dict[str, IngestError] = {}
    roots: dict[Path, Path] = {}
    folders: list[Path] = []
    for given in paths:
        given = Path(given).resolve()
        if given.is_file():
            found.setdefault(given, SourceFile(given, given.name))
            continue
        if not given.is_dir():
            raise FileNotFoundError(f"no such file or folder: {given}")
        folders.append(given)
        for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
            folder = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in list(dirnames):
                link = folder / name
                if link.is_symlink():  # never walked into (followlinks=False)
                    dirnames.remove(name)
                    target = link.resolve()
                    if not _inside(target, given):
                        refused[str(link)] = IngestError(path=str(link), reason=(
                            f"a link to a folder outside {given} ({target}): not followed; "
                            "copy the papers into the folder instead"))
                    # A link to a folder inside this one: its files are read where they are.
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = folder / name
                rel = path.relative_to(given).as_posix()
                suffix = path.suffix.lower()
                if suffix not in SUPPORTED_SUFFIXES:
                    reason = not_supported_reason(path)
                    if reason and (path.is_file() or path.is_symlink()):
                        unsupported[str(path)] = IngestError(path=str(path), reason=reason)
                    continue
                if path.is_symlink():
                    target = path.resolve()
                    if not target.exists():
                        refused[str(path)] = IngestError(path=str(path), reason=f"a broken link (to {target})")
                        continue
                    if not _inside(target, given):
                        refused[str(path)] = IngestError(path=str(path), reason=(
                            f"a link to a file outside {given} ({target}): not followed; "
                            "copy the file into the folder instead"))
                        continue
                if not path.is_file():  # a fifo, a socket, a link to a folder named like a file
                    continue
                if path not in found:
                    found[path] = SourceFile(path, rel)
                    roots[path] = given
    return Discovery(sorted(found.values(), key=lambda s: s.doc_id), sorted(refused.values(), key=lambda f: f.path),
                     sorted(unsupported.values(), key=lambda f: f.path), roots, folders)


def discover(paths: list[Path]) -> list[SourceFile]:
    """Files to ingest, sorted (see discover_files for what is left out, and why)."""
    return discover_files(paths).sources


def _load_catalogue(index_dir: Path) -> Catalogue:
    """The live generation's catalogue (index/writer_reads.py), or an empty one when there is none."""
    try:
        return load_catalogue(index_dir)
    except IndexNotFound:
        return Catalogue()


def _stored_vectors(index_dir: Path, old: Catalogue, settings: Settings) -> tuple[StoredVectors, IndexData | None]:
    """The live generation's vectors, read as the run asks for them; or, for a generation that
    cannot be read so (Milvus, a store older than its search-text table), read whole with its
    passages, returned too so that writing does not read it again. A vector store that cannot be
    reached raises (VectorStoreUnavailable), never reads as empty: a run that went on would write
    an index without the papers already in it."""
    stored = stored_vectors(old)
    if stored is not None:
        return stored, None
    whole, _, _, _ = load_index(index_dir, settings)
    return VectorsInMemory(whole.chunks, whole.vectors), whole


def _log_wait(holder: dict | None) -> None:
    log.warning("waiting for %s", describe(holder))


def ingest(paths: list[Path], index_dir: Path | None = None, settings: Settings | None = None,
           progress: bool = True, wait: float | None = None,
           on_wait: Callable[[dict | None], None] | None = None, include_withdrawn: bool = False) -> IngestReport:
    """Add these files or folders to the index. If another writer holds the index, wait for it
    (wait: None as long as it takes, else at most that many seconds, then IndexBusy from
    index/lock.py); on_wait hears whom we wait for. Files whose bytes were withdrawn are skipped
    unless `include_withdrawn`, which reads them and lifts their withdrawal."""
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    found = discover_files(paths)
    # The live generation is read only under the lock: read before it, it could be replaced by
    # another writer's before ours is written, and that writer's papers lost.
    with writer_lock(index_dir, wait=wait, on_wait=on_wait or _log_wait):
        return _ingest_locked(found, index_dir, settings, progress, include_withdrawn)


class OtherEmbeddingModel(ValueError):
    """The index's vectors came from another embedding model than this run's: mixing the two
    would make every search wrong, so nothing is ingested."""

    def __init__(self, index_dir: Path, recorded: dict[str, str], asked: dict[str, str]):
        self.recorded, self.asked = recorded, asked
        super().__init__(
            f"the index {index_dir} was built with the embedding model {recorded['model']!r} and this run embeds "
            f"with {asked['model']!r}: set COUNCILQA_EMBEDDING_MODEL={recorded['model']} to add to it, or ingest "
            "into a new index folder")


class NotWithdrawn(LookupError):
    """Ids asked to be restored that the index does not record as withdrawn (nothing was done)."""

    def __init__(self, doc_ids: list[str], withdrawn: list[str]):
        self.doc_ids = doc_ids
        known = f" (withdrawn: {', '.join(withdrawn)})" if withdrawn else " (none is)"
        super().__init__("not a withdrawn document: " + ", ".join(repr(d) for d in doc_ids) + known)


def restore(doc_ids: list[str], index_dir: Path | None = None, settings: Settings | None = None,
            progress: bool = False, wait: float | None = None,
            on_wait: Callable[[dict | None], None] | None = None) -> tuple[IngestReport, list[str]]:
    """Lift the withdrawal of these documents (ids as they had) and read their files again from
    where they were read before, under the same ids (a file changed since is read as it is now).
    A document whose files are all gone has its withdrawal lifted all the same, so its file is
    read when it comes back. An id that is not withdrawn raises NotWithdrawn, and nothing is done.
    Returns the run's report and the ids whose files were not found."""
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    with writer_lock(index_dir, wait=wait, on_wait=on_wait or _log_wait):
        withdrawn = _load_catalogue(index_dir).withdrawn
        by_id = {w.document: w for w in withdrawn.values()}
        unknown = [d for d in dict.fromkeys(doc_ids) if d not in by_id]
        if unknown:
            raise NotWithdrawn(unknown, sorted(by_id))
        found, missing = Discovery([]), []
        for doc_id in dict.fromkeys(doc_ids):
            # Its own file first (the path ending in its id), else a copy; other copies are found
            # again by ingesting their folders.
            locations = sorted(by_id[doc_id].locations, key=lambda loc: not loc.endswith("/" + doc_id))
            path = next((Path(loc) for loc in locations if Path(loc).is_file()), None)
            if path is None:
                missing.append(doc_id)
            else:
                found.sources.append(SourceFile(path, doc_id))
                if str(path).endswith("/" + doc_id):  # links out of its folder are refused, as in ingest
                    found.roots[path] = Path(str(path)[: -len(doc_id) - 1])
        report = _ingest_locked(found, index_dir, settings, progress, include_withdrawn=True,
                                lift={by_id[d].content_hash for d in doc_ids})
        return report, missing


def _ingest_locked(found: Discovery, index_dir: Path, settings: Settings, progress: bool,
                   include_withdrawn: bool = False, lift: set[str] = frozenset()) -> IngestReport:
    """The run itself, with the writer lock held. `lift`: content hashes whose withdrawal ends
    whether or not a file of them is read (restore). The vectors it computes are journalled
    (ingest/journal.py) until its generation is written, so a run that fails or is killed
    leaves them to the next."""
    journal = EmbeddingJournal(index_dir, settings.embedding_identity())
    try:
        report = _run(found, index_dir, settings, progress, include_withdrawn, lift, journal)
    except BaseException:
        journal.close()  # kept for the next run
        raise
    journal.discard()  # written (or nothing to write): the vectors are in the index
    return report


def _run(found: Discovery, index_dir: Path, settings: Settings, progress: bool, include_withdrawn: bool,
         lift: set[str], journal: EmbeddingJournal) -> IngestReport:
    sources = found.sources
    report = IngestReport()
    report.files = len(sources) + len(found.refused)
    report.unsupported = list(found.unsupported)
    started = time.perf_counter()
    old = _load_catalogue(index_dir)  # the catalogue only: passages and vectors are read as needed
    model = settings.embedding_identity()
    if old.embedding is not None and old.embedding != model and old.passages:
        raise OtherEmbeddingModel(index_dir, old.embedding, model)
    documents = dict(old.documents)
    texts = old.texts  # read from the index when asked for, changed in memory
    current = version.PIPELINE_VERSION  # read once: one run records one version
    produced_by = dict(old.pipeline)  # document id -> the pipeline version that produced it
    failures = {f.path: f for f in old.failures}
    by_hash = {doc.content_hash: doc_id for doc_id, doc in documents.items()}
    withdrawn = dict(old.withdrawn)
    replaced: set[str] = set()
    new_chunks: list[Chunk] = []
    changed = False
    live_vectors = read_record(old.generation) if old.generation is not None else None
    check_reachable(index_dir, settings, live_vectors)  # now, not after minutes of embedding
    stored, whole = _stored_vectors(index_dir, old, settings)
    report.seconds["read"] = time.perf_counter() - started
    if live_vectors is not None and relocates(settings, live_vectors):
        changed = True  # the vectors move to the store the settings name, every one reused
    for digest in lift & set(withdrawn):
        report.restored.append(withdrawn.pop(digest).document)
        changed = True
    for refusal in found.refused:  # recorded like a file that failed
        if _drop_location(refusal.path, documents, texts, by_hash, replaced):
            refusal.reason += "; the document read from it before is removed from the index"
        failures[refusal.path] = refusal
        report.failed.append(refusal)
        changed = True
    # Before any file is read, so a file renamed within the folder is read as the new document
    # it now is (its passages' vectors are reused), not counted a copy of the one gone.
    report.removed, synced = withdraw_gone(found.folders, documents, texts, by_hash, replaced, failures)
    changed = changed or synced
    work: queue.Queue = queue.Queue(maxsize=PARSE_AHEAD_FILES)
    made_now = {doc_id for doc_id, made_by in produced_by.items() if made_by == current}
    embedding = EmbeddingQueue(VectorCache(stored, documents, made_now), settings, report, progress,
                               parser_busy=lambda: producer.is_alive() and not work.full(), journal=journal)

    def next_file(source: SourceFile, parser: Parser) -> Parsed:
        root = found.roots.get(source.path)
        if root is not None and not _inside(source.path.resolve(), root):  # made a link since discover
            return Parsed(source, "", error=f"a link to a file outside {root} ({source.path.resolve()}): not followed")
        try:
            data = source.path.read_bytes() if source.path.stat().st_size <= settings.max_file_bytes else None
        except OSError as exc:
            return Parsed(source, "", error=f"cannot be read: {exc.strerror or exc}")
        if data is None:
            return Parsed(source, "", error=f"too large (over {settings.max_file_bytes // (1024 * 1024)} MB)")
        digest = hashlib.sha256(data).hexdigest()
        if digest in withdrawn and digest not in by_hash and not include_withdrawn:
            return Parsed(source, digest, withdrawn=True)  # not read: removed on purpose
        known = documents.get(source.doc_id)
        if known and known.content_hash == digest:
            if produced_by.get(source.doc_id) == current:
                return Parsed(source, digest)  # nothing to parse: unchanged
            # The same bytes, read by another version of the pipeline: read again.
        elif digest in by_hash and by_hash[digest] != source.doc_id:
            return Parsed(source, digest)  # nothing to parse: a duplicate
        embedding.warm_up()
        return parser.parse(source, data, digest)

    stopping = threading.Event()  # the main thread failed: parse no further

    def produce() -> None:
        parser = Parser(settings, len(sources))
        try:
            for source in sources:
                if stopping.is_set():
                    return
                work.put(next_file(source, parser))
        except BaseException as exc:  # handed to the main thread, which would otherwise wait forever
            work.put(exc)
        finally:
            parser.close()
            work.put(None)

    producer = threading.Thread(target=produce, name="councilqa-parse", daemon=True)
    producer.start()
    bar = tqdm(total=len(sources), unit="file", disable=not progress, desc="ingest")
    try:
        while (item := work.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            source = item.source
            bar.update(1)
            if item.error:
                failures[str(source.path)] = IngestError(path=str(source.path), reason=item.error)
                report.failed.append(failures[str(source.path)])
                changed = True
                continue
            if failures.pop(str(source.path), None) is not None:
                changed = True  # a file that failed before reads now: the index says so
            if item.withdrawn:
                report.withdrawn.append((str(source.path), withdrawn[item.content_hash]))
                # A file put back to withdrawn bytes no longer gives what was read from it since.
                if any(str(source.path) in doc.locations for doc in documents.values()):
                    _drop_location(str(source.path), documents, texts, by_hash, replaced)
                    changed = True
                continue
            if item.document is None:
                owner = by_hash.get(item.content_hash, source.doc_id)
                doc = documents[owner]
                if owner == source.doc_id:
                    # The file is unchanged, but its sidecar or folder may say otherwise now.
                    try:
                        doc = reassess(doc, source.path, texts.get(owner, ""))
                    except ValueError as exc:  # a sidecar that cannot be read: its access stays
                        failures[str(source.path)] = IngestError(path=str(source.path), reason=str(exc))
                        report.failed.append(failures[str(source.path)])
                        changed = True
                        continue
                    if doc is not documents[owner]:
                        documents[owner] = doc
                        changed = True
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
                if str(source.path) not in documents[owner].locations:
                    documents[owner] = documents[owner].model_copy(update={"locations": documents[owner].locations + [str(source.path)]})
                continue
            if source.doc_id in documents:
                report.updated += 1
                previous = documents[source.doc_id]
                if previous.content_hash == item.content_hash:  # read again by a new pipeline
                    report.updated_pipeline += 1
                    # The copies found before (a duplicate elsewhere) are still copies of it.
                    locations = list(dict.fromkeys(item.document.locations + previous.locations))
                    item.document = item.document.model_copy(update={"locations": locations})
                by_hash.pop(documents[source.doc_id].content_hash, None)
                replaced.add(source.doc_id)
                new_chunks = [c for c in new_chunks if c.document_id != source.doc_id]
            else:
                report.added += 1
            documents[source.doc_id] = item.document
            texts[source.doc_id] = item.text
            produced_by[source.doc_id] = current
            by_hash[item.content_hash] = source.doc_id
            if item.content_hash in withdrawn:  # read with include_withdrawn: no longer withdrawn
                report.restored.append(withdrawn.pop(item.content_hash).document)
            new_chunks.extend(item.chunks)
            embedding.add(item.chunks)
            report.pages += item.document.pages or 0
            report.seconds["parse"] += item.seconds.get("parse", 0.0)
            report.seconds["chunk"] += item.seconds.get("chunk", 0.0)
            report.boilerplate_lines += item.seconds.get("boilerplate", 0)
            bar.set_postfix(pages=report.pages, passages=len(new_chunks))
            changed = True
    except BaseException:
        stopping.set()
        while producer.is_alive():  # unblock its put; it stops at the next file
            try:
                work.get(timeout=0.1)
            except queue.Empty:
                pass
        raise
    bar.close()
    producer.join()
    report.seconds["lookup"] = stored.seconds
    report.vectors_read = stored.read
    if not changed and (index_dir / "CURRENT").exists():
        report.passages_total = old.passages
        return report
    if not changed and not documents and not failures:
        return report  # nothing found, nothing indexed before: no index to write

    dim = old.dim if old.passages else 384
    new_vectors = embedding.vectors(new_chunks, dim)
    t1 = time.perf_counter()
    passages = sum(n for doc_id, n in old.passages_of.items() if doc_id not in replaced) + len(new_chunks)
    # The new generation's catalogue, and what changed in the live one: the writer adds a delta
    # segment (index/segments.py), or reads the live passages to write the whole generation.
    catalogue = IndexData(documents, texts, [], None, sorted(failures.values(), key=lambda f: f.path), settings.model_path(),
                          {doc_id: produced_by[doc_id] for doc_id in documents if doc_id in produced_by}, withdrawn, model)
    change = Change(old.generation.name if old.generation is not None else "", set(replaced), new_chunks, new_vectors)
    _, read = write_change(index_dir, catalogue, change, passages, settings, loaded=whole)
    report.vectors_read += read
    report.seconds["index"] = time.perf_counter() - t1
    report.passages_new = len(new_chunks)
    report.passages_total = passages
    report.index_written = True
    return report


def _drop_location(path: str, documents: dict, texts: dict, by_hash: dict, replaced: set[str]) -> bool:
    """A path that an earlier ingest read and that no longer gives its document (a link out of the
    folder, indexed before links were checked; a file that now holds withdrawn bytes) is no longer
    a location of it; a document left with no location is removed with its passages (replaced:
    their rows are dropped when the index is written). Returns whether a document was removed."""
    for doc_id, doc in list(documents.items()):
        if path not in doc.locations:
            continue
        rest = [location for location in doc.locations if location != path]
        if rest:
            documents[doc_id] = doc.model_copy(update={"locations": rest})
            return False
        del documents[doc_id]
        texts.pop(doc_id, None)
        by_hash.pop(doc.content_hash, None)
        replaced.add(doc_id)
        return True
    return False
