"""An ingest killed part-way leaves the vectors it computed to the next run, which embeds only
the rest (ingest/journal.py); the journal never mixes models and a damaged one is started again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
from conftest import kill_at_marker

from councilqa.index.store import load_index
from councilqa.ingest.journal import JOURNAL, EmbeddingJournal
from councilqa.ingest.pipeline import ingest

WINDOW = 10  # texts embedded together: small, so a run journals several batches before the kill
# The child ingests for real; after two batches are embedded (and journalled) it drops a marker
# and waits in the third, where it is killed.
CHILD = textwrap.dedent("""
    import sys, time, pathlib
    from councilqa.ingest import embedding, pipeline
    marker, papers, index_dir = sys.argv[1:4]
    original, calls = embedding.EmbeddingQueue.flush, []

    def flush(self):
        calls.append(1)
        if len(calls) > 2 and self.pending:
            pathlib.Path(marker).write_text("ready")
            time.sleep(600)
        original(self)

    embedding.EmbeddingQueue.flush = flush
    pipeline.ingest([pathlib.Path(papers)], pathlib.Path(index_dir), progress=False)
""")


def _vectors_by_id(index_dir):
    data, *_ = load_index(index_dir)
    return {chunk.id: vector for chunk, vector in zip(data.chunks, data.vectors)}


def test_a_killed_run_leaves_its_vectors_to_the_next(copy_demo, tmp_path, settings):
    small = settings.model_copy(update={"embedding_window": WINDOW})
    index_dir, marker = tmp_path / "index", tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), str(copy_demo), str(index_dir)],
                             env={**os.environ, "COUNCILQA_EMBEDDING_WINDOW": str(WINDOW)})
    kill_at_marker(child, marker)
    assert not (index_dir / "CURRENT").exists()  # nothing was written...
    journal = EmbeddingJournal(index_dir, small.embedding_identity())
    kept = dict(journal.items())  # ...but two batches of vectors were kept
    journal.close()
    assert len(kept) >= 2 * WINDOW

    clean = ingest([copy_demo], tmp_path / "clean", small, progress=False)
    resumed = ingest([copy_demo], index_dir, small, progress=False)
    assert resumed.embedded == clean.embedded - len(kept)  # only what the killed run had not done
    assert resumed.resumed_vectors >= len(kept) and "resumed:" in resumed.summary()
    assert not (index_dir / JOURNAL).exists()  # the vectors are in the index now
    ours, theirs = _vectors_by_id(index_dir), _vectors_by_id(tmp_path / "clean")
    assert ours.keys() == theirs.keys()
    # The same vectors as a run never interrupted (batched differently: bfloat16 rounds a little).
    assert min(float(ours[i] @ theirs[i]) for i in ours) > 0.999


def test_another_models_journal_is_neither_used_nor_wiped_by_a_refused_run(tmp_path):
    minilm, bge = {"model": "all-MiniLM-L6-v2"}, {"model": "bge-small-en-v1.5"}
    first = EmbeddingJournal(tmp_path, minilm)
    first.add(["Foster carers' allowance rises 5% from April."], np.ones((1, 4), dtype=np.float32))
    first.close()
    other = EmbeddingJournal(tmp_path, bge)
    assert list(other.items()) == []  # not comparable: never read
    other.close()
    again = EmbeddingJournal(tmp_path, minilm)
    assert [text for text, _ in again.items()] == ["Foster carers' allowance rises 5% from April."]
    again.close()
    other = EmbeddingJournal(tmp_path, bge)
    other.add(["The library opens on Sundays."], np.zeros((1, 4), dtype=np.float32))  # bge's own run writes
    other.close()
    assert list(EmbeddingJournal(tmp_path, minilm).items()) == []


def test_a_damaged_journal_is_started_again(tmp_path, caplog):
    (tmp_path / JOURNAL).write_bytes(b"not a database, half written " * 100)
    journal = EmbeddingJournal(tmp_path, {"model": "all-MiniLM-L6-v2"})
    assert list(journal.items()) == [] and "cannot be read" in caplog.text
    journal.add(["Bus lane hours change in June."], np.ones((1, 4), dtype=np.float32))
    assert len(list(journal.items())) == 1
    journal.discard()
    assert not (tmp_path / JOURNAL).exists()
