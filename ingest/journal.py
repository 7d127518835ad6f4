"""Vectors a run has computed, kept on disk as they are computed, so that a run killed or failed
part-way leaves them to the next one, which embeds only what the first did not (issue 13: an
interrupted ingest resumes). Embedding is most of an ingest's time; before this, a `kill -9`
two minutes into a 40-file run threw every computed vector away.

The journal is `embedding-journal.sqlite` in the index folder: one row per search text with its
vector as raw float32 bytes (read back with numpy.frombuffer, never unpickled), written one
transaction per batch, so a kill leaves whole batches. It records the embedding model it was
written with; a journal of another model, or one that cannot be read, is started afresh. A run
that writes its generation removes it: the vectors are then in the index. Only the writer that
holds the index's lock opens it."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np

JOURNAL = "embedding-journal.sqlite"
log = logging.getLogger(__name__)


class EmbeddingJournal:
    def __init__(self, index_dir: Path, model: dict[str, str]):
        self.path = index_dir / JOURNAL
        self.model = json.dumps(model, sort_keys=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:  # a damaged file is only a cache: start afresh
            log.warning("%s cannot be read (%s); starting a new one", self.path, exc)
            self._remove_files()
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False)
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (text TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        row = db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
        # Another model's vectors are not comparable: not read, and replaced on the first write
        # (not at once: a run refused for its model must not wipe the vectors of the right one).
        self.same_model = row is not None and row[0] == self.model
        return db

    def items(self) -> Iterator[tuple[str, np.ndarray]]:
        """(search text, vector) of every vector an earlier run with this model computed."""
        if not self.same_model:
            return
        for text, blob in self.db.execute("SELECT text, vector FROM vectors"):
            yield text, np.frombuffer(blob, dtype=np.float32)

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        """Record a batch, all of it or (killed meanwhile) none of it."""
        rows = [(text, np.ascontiguousarray(vector, dtype=np.float32).tobytes()) for text, vector in zip(texts, vectors)]
        with self.db:
            if not self.same_model:
                self.db.execute("DELETE FROM vectors")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (self.model,))
                self.same_model = True
            self.db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)

    def close(self) -> None:
        self.db.close()

    def discard(self) -> None:
        """The run has written its generation: its vectors are in the index now."""
        self.close()
        self._remove_files()

    def _remove_files(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
