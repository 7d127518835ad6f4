"""An ingest that adds, changes or removes a few papers reads the index's catalogue and only the
stored vectors it reuses (index/writer_reads.py), not every passage and vector of the index; what
it writes answers as a whole rebuild of the same papers does, and unchanged passages keep their
stored vectors instead of being embedded again."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import contextmanager

import numpy as np
import pytest

from councilqa.index.search import Searcher
from councilqa.index.store import current_generation, load_index
from councilqa.ingest.maintenance import remove_documents
from councilqa.ingest.pipeline import ingest

# Made-up papers with no meeting date (so no printed-words match reads a meeting's passages).
HARBOUR = "\n\n".join([
    "REPORT TO THE HARBOUR BOARD",
    "The Harbour Board approved the dredging of the inner basin at a cost of 310,000 pounds, to be finished before "
    "the summer ferry timetable begins. The spoil is to be taken to the licensed site offshore by the contractor's "
    "own barge, and not through the town by lorry, after residents of the quay wrote to the Board about the noise "
    "of the last dredging. The harbour master will publish the dates of the work a month ahead, and the inner "
    "basin will stay open to fishing boats on every tide except the two lowest of each week while it goes on.",
    "The visitor pontoons on the north quay will be replaced over the winter. Berth holders will be moved to the "
    "south quay while the work is done and their fees held at this year's rate, and any who would rather leave "
    "their boats ashore will be lifted out by the harbour's crane without charge. The new pontoons are to be of "
    "recycled plastic decking on galvanised frames, which the engineer's report expects to last thirty years "
    "with one repainting, against the twelve the present timber ones have lasted.",
    "New lamps along the breakwater walk were agreed after complaints from anglers that the path was unlit after "
    "dusk. The lamps are to be shielded so that they do not dazzle the crews of boats coming in, and are to be "
    "switched off between midnight and five in the morning to save power, except in the weeks of the autumn "
    "sea angling festival, when the walk is busy all night. The Board asked for a report next year on whether "
    "the lamps had cut the number of falls on the breakwater steps reported to the harbour office.",
]) + "\n"
ALLOTMENTS = ("MINUTES OF THE ALLOTMENTS PANEL\n\nThe Panel agreed that the waiting list for the Marton allotments "
              "would be reopened in spring, and that plot rents would rise by four pounds.\n")
QUERIES = ("dredging of the inner basin", "visitor pontoons on the north quay", "Marton allotments waiting list",
           "Blackpool Families Rock", "children's services improvement")


@pytest.fixture()
def segmented(settings):
    """A share that keeps every change of these small indexes in a delta (the default is for
    indexes of thousands of passages)."""
    return settings.model_copy(update={"delta_share": 1.0})


@contextmanager
def whole_reads_refused():
    """Fail if anything reads the live index whole (store.load_index, wherever it was imported
    from), as every ingest and removal did before they read on demand."""
    from councilqa.index import store

    original = store.load_index

    def refused(*args, **kwargs):
        raise AssertionError("the whole index was read")

    patched = [m for m in list(sys.modules.values())
               if getattr(m, "__name__", "").startswith("councilqa") and getattr(m, "load_index", None) is original]
    for module in patched:
        module.load_index = refused
    try:
        yield
    finally:
        for module in patched:
            module.load_index = original


def _top(index_dir, settings, query, k=5, mode="dense"):
    """The passages found. Dense by default: its scores are the vectors' own, so an index whose
    vectors are right ranks exactly as a rebuild does (hybrid ranking also mixes in BM25, whose
    statistics a delta segment approximates until compaction: index/segments.py)."""
    return [(p.document, p.id) for p in Searcher(index_dir, settings).search(query, k=k, mode=mode)]


def _same_search(index_dir, whole, settings, queries):
    for query in queries:
        assert _top(index_dir, settings, query) == _top(whole, settings, query)
        assert _top(index_dir, settings, query, 1, "hybrid") == _top(whole, settings, query, 1, "hybrid")


def _whole_rebuild(folder, tmp_path, settings):
    whole = tmp_path / "whole"
    ingest([folder], whole, settings.model_copy(update={"delta_share": 0.0}), progress=False)
    return whole


def _vectors_by_chunk(index_dir) -> dict[str, np.ndarray]:
    data, *_ = load_index(index_dir)
    return {c.id: v for c, v in zip(data.chunks, data.vectors)}


def test_adding_a_paper_reads_none_of_the_others_and_searches_as_a_rebuild(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    first = ingest([copy_demo], index_dir, segmented, progress=False)
    assert first.passages_total > 50
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")

    with whole_reads_refused():
        report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.added == 1 and report.unchanged == len(list(copy_demo.iterdir())) - 1
    assert report.passages_total == first.passages_total + report.passages_new
    # New words: no stored vector to reuse, and none of the other papers' vectors was read.
    assert report.vectors_read == 0 and report.embedded == report.passages_new
    assert "0 stored vectors read" in report.summary()
    assert (current_generation(index_dir) / "delta").is_dir()

    whole = _whole_rebuild(copy_demo, tmp_path, segmented)
    _same_search(index_dir, whole, segmented, QUERIES)
    assert _top(index_dir, segmented, QUERIES[0], mode="hybrid")[0][0] == "harbour-board.txt"


def test_a_changed_paper_reuses_its_unchanged_passages_vectors_reading_only_those(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    (copy_demo / "allotments-panel.txt").write_text(ALLOTMENTS, encoding="utf-8")
    first = ingest([copy_demo], index_dir, segmented, progress=False)
    before = Searcher(index_dir, segmented).index
    old_passages = len(before.rows_of("harbour-board.txt"))
    assert old_passages >= 3

    (copy_demo / "harbour-board.txt").write_text(HARBOUR.replace("310,000", "475,000"), encoding="utf-8")
    report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.updated == 1 and report.passages_new == old_passages
    # Only the dredging paragraph's words changed: the others keep their stored vectors.
    assert report.embedded == 1 and report.reused_vectors == old_passages - 1
    assert report.vectors_read == report.reused_vectors  # those, and no other paper's
    assert report.vectors_read < first.passages_total / 10

    whole = _whole_rebuild(copy_demo, tmp_path, segmented)
    _same_search(index_dir, whole, segmented, QUERIES + ("at a cost of 475,000 pounds",))
    # The reused vectors are the ones a rebuild computes for the same passages.
    incremental, rebuilt = _vectors_by_chunk(index_dir), _vectors_by_chunk(whole)
    assert incremental.keys() == rebuilt.keys()
    for chunk_id, vector in incremental.items():
        np.testing.assert_allclose(vector, rebuilt[chunk_id], atol=1e-4)


def test_removing_a_paper_reads_no_passage(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, segmented, progress=False)
    gone = "cabinet-member-report-childrens-services.txt"
    with whole_reads_refused():
        assert remove_documents(index_dir, [gone], settings=segmented) == [gone]
    assert (current_generation(index_dir) / "delta").is_dir()
    (copy_demo / gone).unlink()
    whole = _whole_rebuild(copy_demo, tmp_path, segmented)
    _same_search(index_dir, whole, segmented, QUERIES)


def test_an_index_written_before_the_search_text_table_is_read_whole_and_still_reuses(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    first = ingest([copy_demo], index_dir, segmented, progress=False)
    store = current_generation(index_dir) / "store.sqlite"
    db = sqlite3.connect(store)  # as an older version wrote it
    db.execute("DROP TABLE search_texts")
    db.commit()
    db.close()

    (copy_demo / "harbour-board.txt").write_text(HARBOUR.replace("310,000", "475,000"), encoding="utf-8")
    report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.vectors_read == first.passages_total  # every passage, as before
    assert report.updated == 1 and report.embedded == 1 and report.reused_vectors == report.passages_new - 1
    assert _top(index_dir, segmented, "at a cost of 475,000 pounds", mode="hybrid")[0][0] == "harbour-board.txt"
