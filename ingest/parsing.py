"""One file in, its document and passages out, and the process that does it for large runs.

Parsing is pure Python for the most part (PDF layout, cleaning, chunking). In a thread beside
the embedder it takes turns at the GIL with the model's import and the embedder's own Python:
over the Kent corpus on 2 cores, loading the model took 14-21 s beside a parsing thread, 6-9 s
beside a parsing process. In a child process it has a core of its own from the first second.

The child dies with the ingest: if the ingest is killed (kill -9 included) while it parses, the
kernel kills the child too (PR_SET_PDEATHSIG), and a thread in the child that sees it has been
orphaned ends it where that is not available. With the child gone, multiprocessing's resource
tracker, which spawn starts beside it, reads end-of-file from both and exits as well."""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import Chunk, Document
from ..settings import Settings
from .chunking import chunk_document
from .clean import clean_pages
from .errors import UnreadableFile
from .access import assess
from .metadata import infer_metadata, read_sidecar, sidecar_name
from .readers import read_file

log = logging.getLogger(__name__)
# Starting the child costs about a second (a fresh interpreter imports the parser): worth it
# for a folder of papers, not for the handful of files a test or an upload brings.
CHILD_PROCESS_MIN_FILES = 20
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ORPHAN_CHECK_SECONDS = 0.5


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
    withdrawn: bool = False  # not read: these bytes were removed on purpose (index/store.py, Withdrawal)


def parse_file(source: SourceFile, data: bytes, content_hash: str, settings: Settings) -> Parsed:
    parsed = Parsed(source, content_hash)
    t0 = time.perf_counter()
    try:
        raw = read_file(source.path, data)
        cleaned = clean_pages(raw.pages, raw.paged)
        t1 = time.perf_counter()
        sidecar = read_sidecar(source.path)
        meta = infer_metadata(source.doc_id, cleaned.text, raw.title_hint, sidecar)
        access = assess(source.doc_id, raw.pages, raw.paged, sidecar, sidecar_name(source.path))
        document = Document(
            id=source.doc_id, format=raw.format, content_hash=content_hash, locations=[str(source.path)],
            pages=len(raw.pages) if raw.paged else None, page_starts=cleaned.page_starts, **meta, **access,
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


def _die_with_parent(parent: int) -> None:
    """Initializer of the parser process: end it when the ingest process that started it ends.
    Never raises (a failing initializer would break the pool and lose the child)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            # Sent when the thread that started us ends; Parser.close waits for us to exit first,
            # so on a normal run we are gone before that, and it only fires when the ingest dies.
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        except (OSError, AttributeError) as exc:
            log.warning("cannot ask to die with the ingest process: %s", exc)
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)

    def watch() -> None:  # where PR_SET_PDEATHSIG is not to be had, or failed
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="councilqa-orphan-check", daemon=True).start()


class Parser:
    """parse_file in one child process, files in order; or in this process, for small runs or
    where a child cannot be started. A file that kills the child (a crash in PDFium) is
    reported as unreadable and a new child takes the next file."""

    def __init__(self, settings: Settings, files: int):
        self.settings = settings
        self.use_child = files >= CHILD_PROCESS_MIN_FILES
        self.pool: ProcessPoolExecutor | None = None
        self.child_worked = False

    def parse(self, source: SourceFile, data: bytes, content_hash: str) -> Parsed:
        if self.use_child:
            try:
                if self.pool is None:
                    # "spawn": a fork would copy the embedder's threads and locks mid-use.
                    self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                    initializer=_die_with_parent, initargs=(os.getpid(),))
                # The result comes back pickled over a pipe from our own child; nothing read from
                # disk is ever unpickled (the index is JSON, SQLite and FAISS's own format).
                parsed = self.pool.submit(parse_file, source, data, content_hash, self.settings).result()
                self.child_worked = True
                return parsed
            except BrokenProcessPool:
                self.close()
                if self.child_worked:
                    return Parsed(source, content_hash, error="the PDF reader crashed on this file")
                log.warning("could not start a parser process; parsing in this one")
                self.use_child = False
        return parse_file(source, data, content_hash, self.settings)

    def close(self) -> None:
        """Stop the child and wait for it to exit. It is idle here (parse waits for each result),
        so this is quick; and the child is gone before the thread that started it ends, which
        would otherwise kill it (see _die_with_parent)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
