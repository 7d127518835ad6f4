"""A generation's store.sqlite, read on demand: passages by row, by id, by document, and the rows
whose words hold a pasted sentence. Only what every search needs stays in memory: the document
each row belongs to, as numpy arrays (a few bytes a row). A million passages' text and metadata
are several GB as Python objects; read from SQLite they cost a primary-key look-up each.

Connections opened with the generation: SQLite keeps the file open, so the passages stay
readable after a later ingest has removed this generation's folder (the service finishes
questions begun on it), and nothing ever reads another generation's rows by mistake. They are
opened `immutable` (a generation never changes once written, so SQLite skips its locks and
journal checks) and shared by the service's threads, each behind a lock."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ..schema import Chunk

# Parsed passages kept for the questions that read the same rows several times over (the
# fused candidates, each folded with its repeats, then cited): a question reads a few hundred.
CACHED_PASSAGES = 4096
SCAN_BATCH = 2000  # rows read per lock, so a scan of every passage never holds up a question

# The pasted-sentence index (see Searcher.verbatim_runs): each passage's words (words()),
# lower-case and space-separated, in an FTS5 table whose rowid is the passage's row. Contentless:
# it holds the positions a phrase query needs, not the words again. Its tokenizer takes every
# character words() keeps (letters, digits, "_") as part of a token, so each of our words is one
# FTS token and the query's words are tokenised alike: a phrase query finds every row whose words
# hold the phrase (and, should the tokenizer's case folding make two words one, a few more), and
# every row it finds is checked against the passage's own words.
WORDS_TABLE = "chunk_words"
WORDS_SCHEMA = (f"CREATE VIRTUAL TABLE {WORDS_TABLE} USING fts5(words, content='', "
                "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")")
# A generation's store.sqlite (index/store.py), and a delta segment's (index/segments.py), which
# adds its tombstones.
STORE_TABLES = """
CREATE TABLE documents (id TEXT PRIMARY KEY, meta TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
                     document_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX chunks_document ON chunks(document_id);
CREATE TABLE failures (path TEXT PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE pipeline (document_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
"""
# Each passage's search text (Chunk.search_text(), what the embedder saw) by a 64-bit hash, with
# its row: lets an ingest find the stored vector of a passage whose words it is about to embed,
# without reading every passage (index/writer_reads.py). A hash may in principle be shared by two
# texts: a reader compares the passage's own search text before it takes a row's vector. A store
# written before it had none (a writer then reads the generation whole).
SEARCH_TEXTS_TABLE = "search_texts"
SEARCH_TEXTS_SCHEMA = (f"CREATE TABLE {SEARCH_TEXTS_TABLE} (key INTEGER NOT NULL, row INTEGER NOT NULL, "
                       "PRIMARY KEY (key, row)) WITHOUT ROWID")
WORD = re.compile(r"\w+")
MARKUP = re.compile(r"\*\*|</?(?:i|b|p|em|strong)>", re.I)


def words(text: str) -> list[str]:
    """Lowercase words, markup and punctuation dropped: how a pasted sentence is compared."""
    return WORD.findall(MARKUP.sub(" ", text).lower())


def write_words(db: sqlite3.Connection, texts: Iterable[tuple[int, str]]) -> None:
    """The pasted-sentence index of (row, passage text) pairs, in a store being written."""
    db.execute(WORDS_SCHEMA)
    db.executemany(f"INSERT INTO {WORDS_TABLE}(rowid, words) VALUES (?, ?)",
                   ((row, " ".join(words(text))) for row, text in texts))


def search_text_key(text: str) -> int:
    """A search text's key in SEARCH_TEXTS_TABLE: the first 8 bytes of its SHA-256, signed (an SQLite integer)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def write_search_texts(db: sqlite3.Connection, texts: Iterable[tuple[int, str]]) -> None:
    """The search-text table of (row, search text) pairs, in a store being written."""
    db.execute(SEARCH_TEXTS_SCHEMA)
    db.executemany(f"INSERT OR IGNORE INTO {SEARCH_TEXTS_TABLE} VALUES (?, ?)",
                   ((search_text_key(text), row) for row, text in texts))


def has_table(db: sqlite3.Connection, name: str, schema: str = "main") -> bool:
    return db.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def open_read_only(path: Path, delta: Path | None) -> sqlite3.Connection:
    """A store.sqlite read-only, its delta segment's store attached under views when given."""
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    if delta is not None:
        from .segments import attach_delta

        attach_delta(db, delta)
    return db


class PassageStore:
    """The passages of one generation's store.sqlite, read when asked for. A generation with a
    delta segment (segments.py) is read through views of both stores, whose queries see its
    live rows only; its row numbers run over both segments, the dead rows of the base
    (tombstoned documents) included, as its BM25 and FAISS rows do."""

    def __init__(self, path: Path, delta: Path | None = None):
        self._segmented = delta is not None
        self._db, self._lock = open_read_only(path, delta), threading.Lock()
        # A second connection for reads of the whole table, so that one (seconds at a million
        # passages) never holds up the passages other questions are reading meanwhile.
        self._scanner, self._scan_lock = open_read_only(path, delta), threading.Lock()
        self._cache: OrderedDict[int, Chunk] = OrderedDict()
        self._words: sqlite3.Connection | None = None  # the pasted-sentence index, once looked for
        # A document's rows, in reading order, are rows_by_document[starts[d]:starts[d + 1]],
        # d its number. Read as ranges (a document's passages are written together, so a million
        # rows come as some thousands of ranges, in under a second); a document whose rows are
        # not one range is asked for its rows.
        ranges = self._db.execute("SELECT document_id, min(row), max(row), count(*) FROM chunks GROUP BY document_id").fetchall()
        parts = [np.arange(first, last + 1, dtype=np.int64) if last - first + 1 == count else
                 np.asarray([row for (row,) in self._db.execute(
                     "SELECT row FROM chunks WHERE document_id = ? ORDER BY row", (doc_id,))], dtype=np.int64)
                 for doc_id, first, last, count in ranges]
        self._document_number = {doc_id: number for number, (doc_id, *_) in enumerate(ranges)}
        self._rows_by_document = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        self._starts = np.cumsum([0, *(len(part) for part in parts)], dtype=np.int64)
        # Row r belongs to document number _row_document[r]; a dead row (segments.py) to the
        # number one past the last document, which no look-up of documents selects.
        from .segments import row_space

        self._dead = len(parts)
        self._row_document = np.full(row_space(self._db, self._segmented), self._dead, dtype=np.int32)
        self._row_document[self._rows_by_document] = np.repeat(np.arange(len(parts), dtype=np.int32), np.diff(self._starts))
        self._live_rows: np.ndarray | None = None

    def __len__(self) -> int:
        """Rows numbered, dead ones included: the size of the generation's BM25 and vectors."""
        return len(self._row_document)

    def passages(self) -> int:
        """How many rows hold a passage (all of them, without tombstones)."""
        return len(self._rows_by_document)

    def live_rows(self) -> np.ndarray | None:
        """Every row that holds a passage, ascending; None when every row does (no tombstones)."""
        if self._live_rows is None and len(self._rows_by_document) != len(self._row_document):
            self._live_rows = np.flatnonzero(self._row_document != self._dead).astype(np.int64)
        return self._live_rows

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- documents -----------------------------------------------------------------------

    def document_rows(self) -> list[tuple[str, str]]:
        """(id, metadata JSON) of every document, without its text."""
        return self._query("SELECT id, meta FROM documents")

    def document_text(self, doc_id: str) -> str | None:
        found = self._query("SELECT text FROM documents WHERE id = ?", (doc_id,))
        return found[0][0] if found else None

    def failure_rows(self) -> list[tuple[str, str]]:
        return self._query("SELECT path, reason FROM failures")

    def rows_of(self, doc_id: str) -> np.ndarray:
        """A document's rows in reading (row) order; empty for a document with none."""
        number = self._document_number.get(doc_id)
        if number is None:
            return self._rows_by_document[:0]
        return self._rows_by_document[self._starts[number]:self._starts[number + 1]]

    def rows_of_documents(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Every row of these documents, ascending."""
        wanted = np.zeros(len(self._starts), dtype=bool)  # the last: dead rows, never wanted
        wanted[[self._document_number[d] for d in doc_ids if d in self._document_number]] = True
        return np.flatnonzero(wanted[self._row_document]).astype(np.int64)

    # -- passages ------------------------------------------------------------------------

    def chunk(self, row: int) -> Chunk:
        row = int(row)
        with self._lock:
            chunk = self._cache.get(row)
            if chunk is not None:
                self._cache.move_to_end(row)
                return chunk
            found = self._db.execute("SELECT data FROM chunks WHERE row = ?", (row,)).fetchone()
        if found is None:
            raise IndexError(f"no passage at row {row}")
        chunk = Chunk.model_validate_json(found[0])
        with self._lock:
            chunk = self._cache.setdefault(row, chunk)  # a thread that parsed it first wins: one object a row
            while len(self._cache) > CACHED_PASSAGES:
                self._cache.popitem(last=False)
        return chunk

    def row_of(self, chunk_id: str) -> int | None:
        found = self._query("SELECT row FROM chunks WHERE id = ?", (chunk_id,))
        return int(found[0][0]) if found else None

    def document_chunks(self, doc_id: str) -> dict[int, Chunk]:
        """A document's passages by row, in reading order, in one query."""
        found = self._query("SELECT row, data FROM chunks WHERE document_id = ? ORDER BY row", (doc_id,))
        return {int(row): Chunk.model_validate_json(data) for row, data in found}

    def scan(self) -> Iterator[Chunk]:
        """Every passage in row order, read a batch at a time."""
        for first in range(0, len(self), SCAN_BATCH):
            batch = self._query("SELECT data FROM chunks WHERE row >= ? AND row < ? ORDER BY row",
                                (first, first + SCAN_BATCH))
            yield from (Chunk.model_validate_json(data) for (data,) in batch)

    def documents_with_text_matching(self, pattern: re.Pattern, kind: str, glob: str) -> set[str]:
        """The documents one of whose passages of `kind` has text `pattern` finds. `glob`, a
        SQLite GLOB that every passage the pattern finds matches too, is tried first on every
        stored passage inside SQLite (about 3 microseconds a passage); the pattern only on the
        passages it lets through, no passage parsed into a Chunk."""
        with self._scan_lock:
            found = self._scanner.execute(
                "SELECT document_id, json_extract(data, '$.text') FROM chunks "
                "WHERE data GLOB ? AND json_extract(data, '$.kind') = ?", (glob, kind)).fetchall()
        return {doc_id for doc_id, text in found if pattern.search(text)}

    # -- pasted sentences ----------------------------------------------------------------

    def rows_holding(self, phrase: list[str]) -> set[int]:
        """The rows whose words may hold `phrase` (words() of a pasted sentence) in a row: every
        row that does, perhaps a few more (the caller checks each one's own words)."""
        if not phrase:
            return set()
        index = self._words_index()
        # A delta segment has its own words (its rows numbered after the base's).
        schemas = ["main"] + ["delta"] * self._segmented
        found = []
        with self._lock:
            for schema in schemas:
                found += index.execute(f"SELECT rowid FROM {schema}.{WORDS_TABLE} WHERE {WORDS_TABLE} MATCH ?",
                                       ('"' + " ".join(phrase) + '"',)).fetchall()
        rows = {int(row) for (row,) in found}
        if self._segmented:  # a tombstoned document's rows are still in the base's words
            rows = {row for row in rows if row < len(self) and self._row_document[row] != self._dead}
        return rows

    def _words_index(self) -> sqlite3.Connection:
        """The store's own pasted-sentence index; for a generation written before stores had
        one, the same index built in memory from its passages (once, on first use)."""
        if self._words is None:
            held = self._query("SELECT 1 FROM sqlite_master WHERE name = ?", (WORDS_TABLE,))
            if held:
                self._words = self._db
            else:
                memory = sqlite3.connect(":memory:", check_same_thread=False)
                write_words(memory, ((row, chunk.text) for row, chunk in enumerate(self.scan())))
                with self._lock:
                    self._words = self._words or memory
        return self._words
