"""A run killed half-way leaves the previous index intact and loadable."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import kill_at_marker

from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest.pipeline import ingest

# The child ingests, and at the chosen moment drops a marker file and waits to be killed, so
# the kill lands exactly where we want it: half-way through writing, or during embedding.
CHILD = textwrap.dedent("""
    import sys, time, pathlib
    from councilqa.index import store
    from councilqa.ingest import embedding, pipeline
    marker, stage, papers, index_dir = sys.argv[1:5]

    def stall(*args, **kwargs):
        pathlib.Path(marker).write_text("ready")
        time.sleep(600)

    if stage == "write":           # the whole generation (COUNCILQA_DELTA_SHARE=0)
        original = store._write_sqlite
        def half_written(path, data):
            original(path, data)   # the new generation's database is on disk...
            stall()                # ...and we die before the switch
        store._write_sqlite = half_written
    elif stage == "write-delta":   # a delta segment beside the base, linked in already
        original_delta = store.write_delta
        def half_written_delta(staging, *args):
            original_delta(staging, *args)
            stall()
        store.write_delta = half_written_delta
    else:
        embedding.EmbeddingQueue.flush = lambda self: stall()
    pipeline.ingest([pathlib.Path(papers)], pathlib.Path(index_dir), progress=False)
""")


def _kill_during(stage: str, papers, index_dir, tmp_path) -> None:
    marker = tmp_path / f"{stage}.ready"
    env = {**os.environ, "COUNCILQA_DELTA_SHARE": "0"} if stage == "write" else None
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), stage, str(papers), str(index_dir)], env=env)
    kill_at_marker(child, marker)


def test_kill_during_ingest_leaves_old_index_loadable(copy_demo, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, settings, progress=False)
    before = (index_dir / "CURRENT").read_text()
    data_before, *_ = load_index(index_dir)

    extra = copy_demo / "2024-04-10-new-paper.txt"
    extra.write_text("MINUTES OF A SPECIAL MEETING\n\nThe Committee agreed to review the allotments waiting list.\n")
    for stage in ("embed", "write", "write-delta"):
        _kill_during(stage, copy_demo, index_dir, tmp_path)
        assert (index_dir / "CURRENT").read_text() == before
        data_after, *_ = load_index(index_dir)
        assert len(data_after.chunks) == len(data_before.chunks)
        assert Searcher(index_dir, settings).search("Young Inspectors programme", k=3)

    # The next run cleans up the killed run's leftovers and completes (as a delta segment).
    report = ingest([copy_demo], index_dir, settings, progress=False)
    assert report.added == 1
    assert (index_dir / (index_dir / "CURRENT").read_text() / "delta").is_dir()
    assert not [p for p in index_dir.iterdir() if p.name.endswith(".partial")]
    assert Searcher(index_dir, settings).search("allotments waiting list", k=1)[0].document == extra.name
