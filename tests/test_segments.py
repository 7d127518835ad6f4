"""Adding, replacing and removing a few papers writes a delta segment beside the index's base
(index/segments.py), which is searched as one index with it: what a user finds is what a whole
index of the same papers gives, and a paper removed or replaced is never found again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from councilqa.index.filters import Filters
from councilqa.index.search import Searcher
from councilqa.index.store import current_generation, load_index
from councilqa.ingest.maintenance import compact, remove_documents
from councilqa.ingest.pipeline import ingest

ALLOTMENTS = ("MINUTES OF THE ALLOTMENTS PANEL\n\nThe Panel agreed that the waiting list for the Marton allotments "
              "would be reopened in spring, and that plot rents would rise by four pounds.\n")
HARBOUR = ("REPORT TO THE HARBOUR BOARD\n\nThe Harbour Board approved the dredging of the inner basin at a cost "
           "of 310,000 pounds, to be finished before the summer ferry timetable begins.\n")


@pytest.fixture()
def segmented(settings):
    """Settings that keep every change of these small indexes in a delta (the default share,
    a tenth of the base, is for indexes of thousands of passages)."""
    return settings.model_copy(update={"delta_share": 1.0})


def _generation(index_dir: Path) -> Path:
    return current_generation(index_dir)


def _top_documents(index_dir: Path, settings, query: str, k: int = 3) -> list[str]:
    return [p.document for p in Searcher(index_dir, settings).search(query, k=k)]


def test_adding_papers_writes_a_delta_and_finds_them_as_a_whole_index_does(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, segmented, progress=False)
    base = _generation(index_dir)
    (copy_demo / "allotments-panel.txt").write_text(ALLOTMENTS, encoding="utf-8")
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.added == 2

    generation = _generation(index_dir)
    assert (generation / "delta" / "store.sqlite").is_file()
    # The base is not written again: its files are the previous generation's, by hard link.
    for name in ("store.sqlite", "dense.faiss", "sparse/data.csc.index.npy"):
        assert (generation / name).stat().st_ino == (base / name).stat().st_ino

    whole = tmp_path / "whole"
    ingest([copy_demo], whole, segmented.model_copy(update={"delta_share": 0.0}), progress=False)
    assert not (_generation(whole) / "delta").exists()
    delta_data, *_ = load_index(index_dir)
    whole_data, *_ = load_index(whole)
    assert sorted(c.id for c in delta_data.chunks) == sorted(c.id for c in whole_data.chunks)
    assert delta_data.documents == whole_data.documents
    for query, paper in (("Marton allotments waiting list", "allotments-panel.txt"),
                         ("dredging the inner basin", "harbour-board.txt")):
        assert _top_documents(index_dir, segmented, query)[0] == paper
        assert _top_documents(index_dir, segmented, query) == _top_documents(whole, segmented, query)
    # Word statistics count both segments' passages, as the whole index's do.
    delta_terms = Searcher(index_dir, segmented).index.terms
    whole_terms = Searcher(whole, segmented).index.terms
    for word in ("allot", "committe", "dredg", "harbour"):
        assert delta_terms.document_frequency(word) == whole_terms.document_frequency(word)
        assert delta_terms.idf(word) == pytest.approx(whole_terms.idf(word))


def test_a_removed_paper_is_never_found_again_and_compaction_drops_it(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, segmented, progress=False)
    gone = "cabinet-member-report-childrens-services.txt"
    searcher = Searcher(index_dir, segmented)
    passages_before = len(searcher.index)
    quote = searcher.index.chunk(searcher.index.rows_of(gone)[2]).text
    assert gone in _top_documents(index_dir, segmented, quote, k=10)

    assert remove_documents(index_dir, [gone], settings=segmented) == [gone]
    generation = _generation(index_dir)
    assert (generation / "delta").is_dir()  # a tombstone, the base untouched
    after = Searcher(index_dir, segmented)
    assert after.index.document(gone) is None and list(after.index.rows_of(gone)) == []
    assert len(after.index) == passages_before - len(searcher.index.rows_of(gone))
    for query in (quote, "Cabinet Member report on children's services"):
        assert gone not in [p.document for p in after.search(query, k=20)]
        assert gone not in [p.document for p in after.search(query, k=20, mode="dense")]
        assert gone not in [p.document for p in after.search(query, k=20, mode="sparse")]

    assert compact(index_dir, segmented) is True
    assert not (_generation(index_dir) / "delta").exists()
    assert compact(index_dir, segmented) is False  # one segment already: nothing written
    compacted = Searcher(index_dir, segmented)
    assert sorted(compacted.index.documents) == sorted(after.index.documents)
    assert len(compacted.index) == len(after.index)
    assert gone not in [p.document for p in compacted.search(quote, k=20)]


def test_a_changed_paper_is_found_as_it_is_now_only(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    (copy_demo / "harbour-board.txt").write_text(HARBOUR.replace("310,000", "475,000"), encoding="utf-8")
    report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.updated == 1
    assert (_generation(index_dir) / "delta").is_dir()
    searcher = Searcher(index_dir, segmented)
    texts = [searcher.index.chunk(row).text for row in searcher.index.rows_of("harbour-board.txt")]
    assert any("475,000" in t for t in texts) and not any("310,000" in t for t in texts)
    found = searcher.search("dredging of the inner basin cost", k=5)
    assert [p.document for p in found].count("harbour-board.txt") == 1
    assert "475,000" in found[0].text
    # A figure pasted from the old text is no longer found where it was written.
    assert all("310,000" not in p.text for p in searcher.search("at a cost of 310,000 pounds", k=10))


def test_past_the_share_the_whole_index_is_written_again(copy_demo, tmp_path, settings):
    index_dir = tmp_path / "index"
    small_share = settings.model_copy(update={"delta_share": 0.01})
    ingest([copy_demo], index_dir, small_share, progress=False)
    (copy_demo / "allotments-panel.txt").write_text(ALLOTMENTS, encoding="utf-8")
    ingest([copy_demo], index_dir, small_share, progress=False)
    assert not (_generation(index_dir) / "delta").exists()  # 1 passage in a base of fewer than 100
    assert _top_documents(index_dir, small_share, "Marton allotments waiting list")[0] == "allotments-panel.txt"


def test_councilqa_compact_writes_one_segment(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, segmented, progress=False)
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    before = Searcher(index_dir, segmented)
    run = subprocess.run([sys.executable, "-m", "councilqa.cli", "compact", "--index", str(index_dir)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "one segment" in run.stdout
    assert not (_generation(index_dir) / "delta").exists()
    after = Searcher(index_dir, segmented)
    assert sorted(after.index.documents) == sorted(before.index.documents)
    assert _top_documents(index_dir, segmented, "dredging the inner basin")[0] == "harbour-board.txt"
    shutil.rmtree(index_dir)
    run = subprocess.run([sys.executable, "-m", "councilqa.cli", "compact", "--index", str(index_dir)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no index" in run.stderr


def test_access_changed_or_added_in_a_delta_keeps_restricted_papers_from_the_public(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    public, members = Filters(), Filters(include_restricted=True)
    assert "harbour-board.txt" in [p.document for p in Searcher(index_dir, segmented).search(
        "dredging the inner basin", k=3, filters=public)]

    # Marked restricted afterwards: only its record changes, in the delta; its passages stay in the base.
    (copy_demo / "harbour-board.txt.meta.json").write_text('{"access": "restricted"}', encoding="utf-8")
    # And a restricted paper added.
    (copy_demo / "allotments-panel.txt").write_text(ALLOTMENTS, encoding="utf-8")
    (copy_demo / "allotments-panel.txt.meta.json").write_text('{"access": "restricted"}', encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    assert (_generation(index_dir) / "delta").is_dir()
    searcher = Searcher(index_dir, segmented)
    assert searcher.index.document("harbour-board.txt").access == "restricted"
    for query, paper in (("dredging the inner basin", "harbour-board.txt"),
                         ("Marton allotments waiting list", "allotments-panel.txt")):
        for mode in ("hybrid", "dense", "sparse"):
            assert paper not in [p.document for p in searcher.search(query, k=20, filters=public, mode=mode)]
        assert searcher.search(query, k=3, filters=members)[0].document == paper


def test_successive_changes_carry_the_delta_forward(copy_demo, tmp_path, segmented):
    index_dir = tmp_path / "index"
    ingest([copy_demo], index_dir, segmented, progress=False)
    base_store = (_generation(index_dir) / "store.sqlite").stat().st_ino
    (copy_demo / "allotments-panel.txt").write_text(ALLOTMENTS, encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    (copy_demo / "harbour-board.txt").write_text(HARBOUR, encoding="utf-8")
    ingest([copy_demo], index_dir, segmented, progress=False)
    # The second delta holds the first one's paper too, with the vector it was given.
    searcher = Searcher(index_dir, segmented)
    assert searcher.search("Marton allotments waiting list", k=1, mode="dense")[0].document == "allotments-panel.txt"
    assert searcher.search("dredging the inner basin", k=1, mode="dense")[0].document == "harbour-board.txt"
    assert (_generation(index_dir) / "store.sqlite").stat().st_ino == base_store  # never written again

    # A paper removed from the delta leaves it; one read again there is replaced in it.
    (copy_demo / "allotments-panel.txt").unlink()
    (copy_demo / "harbour-board.txt").write_text(HARBOUR.replace("310,000", "475,000"), encoding="utf-8")
    report = ingest([copy_demo], index_dir, segmented, progress=False)
    assert report.removed == [("allotments-panel.txt", str(copy_demo.resolve()))] and report.updated == 1
    assert (_generation(index_dir) / "delta").is_dir()
    searcher = Searcher(index_dir, segmented)
    assert searcher.index.document("allotments-panel.txt") is None
    assert all(p.document != "allotments-panel.txt" for p in searcher.search("Marton allotments waiting list", k=20))
    harbour = [searcher.index.chunk(row).text for row in searcher.index.rows_of("harbour-board.txt")]
    assert len(harbour) == 1 and "475,000" in harbour[0]

    whole = tmp_path / "whole"
    ingest([copy_demo], whole, segmented.model_copy(update={"delta_share": 0.0}), progress=False)
    delta_data, *_ = load_index(index_dir)
    whole_data, *_ = load_index(whole)
    assert sorted(c.id for c in delta_data.chunks) == sorted(c.id for c in whole_data.chunks)
    assert [c.text for c in delta_data.chunks] == [c.text for c in whole_data.chunks]
