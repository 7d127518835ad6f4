"""Folder sync and removal as a user meets them: a file deleted from a folder leaves the index when
that folder is ingested again (and comes back with its file), papers from other folders and
uploads are never touched, `councilqa remove` removes by id or nothing at all, and
`councilqa documents --json` lists what is indexed. Every paper is made up in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from councilqa.api.app import create_app
from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest.pipeline import ingest
from councilqa.qa.answerer import Answerer
from fastapi.testclient import TestClient

from councilqa.cli import main
from councilqa.settings import Settings

HARBOUR = "The Cabinet agreed to spend 310,000 pounds repairing the north harbour wall at Westcliff."
PAPERS = {
    "harbour.txt": f"Report to:\tCABINET\nDate of Meeting:\t12 June 2024\n\nHARBOUR WALL\n\n{HARBOUR}\n",
    "parks.txt": "Report to:\tCABINET\nDate of Meeting:\t12 June 2024\n\nPARKS\n\n"
                 "The Cabinet agreed that the Elm Park bandstand be repainted green by August 2024.\n",
    "buses.txt": "Report to:\tCABINET\nDate of Meeting:\t12 June 2024\n\nBUS SHELTERS\n\n"
                 "The Cabinet approved eleven new bus shelters along Mill Lane and Quarry Road.\n",
}
LIGHTHOUSE = ("Report to:\tCABINET\nDate of Meeting:\t3 July 2024\n\nLIGHTHOUSE\n\n"
              "The Cabinet agreed to lease the old lighthouse keeper's cottage to the sailing club for ten years.\n")
ALLOTMENTS = b"Report to:\tCABINET\n\nThe Cabinet agreed new allotment plots at Church Field.\n"
HARBOUR_QUESTION = "How much did the Cabinet agree to spend repairing the north harbour wall?"


@pytest.fixture()
def papers(tmp_path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name, text in PAPERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ids(index_dir: Path) -> set[str]:
    data, *_ = load_index(index_dir)
    return set(data.documents)


def found(index_dir: Path, settings, query: str) -> set[str]:
    return {p.document for p in Searcher(index_dir, settings).search(query, k=10)}


def test_a_deleted_file_leaves_the_index_on_the_next_ingest_and_its_return_brings_it_back(papers, tmp_path, settings):
    index_dir = tmp_path / "index"
    assert ingest([papers], index_dir, settings, progress=False).added == 3
    before = Answerer(Searcher(index_dir, settings)).answer(HARBOUR_QUESTION)
    assert "harbour.txt" in {c.document for c in before.citations}, before.answer  # so "after" means something

    kept = (papers / "harbour.txt").read_bytes()
    (papers / "harbour.txt").unlink()
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.removed == [("harbour.txt", str(papers.resolve()))] and report.unchanged == 2
    assert f"REMOVED harbour.txt: its file is gone from {papers.resolve()}" in report.summary()
    assert "1 document removed" in report.summary()
    assert ids(index_dir) == {"parks.txt", "buses.txt"}
    assert "harbour.txt" not in found(index_dir, settings, HARBOUR)
    after = Answerer(Searcher(index_dir, settings)).answer(HARBOUR_QUESTION)
    assert "harbour.txt" not in {c.document for c in after.citations}
    assert "310,000" not in after.answer

    # Nothing brings it back on its own: ingesting again changes nothing.
    again = ingest([papers], index_dir, settings, progress=False)
    assert not again.removed and not again.index_written and "harbour.txt" not in ids(index_dir)

    (papers / "harbour.txt").write_bytes(kept)
    back = ingest([papers], index_dir, settings, progress=False)
    assert back.added == 1 and not back.removed
    assert "harbour.txt" in found(index_dir, settings, HARBOUR)
    cited = Answerer(Searcher(index_dir, settings)).answer(HARBOUR_QUESTION)
    assert "harbour.txt" in {c.document for c in cited.citations}


def test_the_cli_ingest_lists_the_removed_document(papers, tmp_path, capsys):
    index_dir = tmp_path / "index"
    assert main(["ingest", str(papers), "--index", str(index_dir), "--quiet"]) == 0
    (papers / "parks.txt").unlink()
    capsys.readouterr()
    assert main(["ingest", str(papers), "--index", str(index_dir), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "REMOVED parks.txt" in out and "1 document removed" in out
    assert ids(index_dir) == {"harbour.txt", "buses.txt"}


def test_only_the_folder_ingested_loses_documents(papers, tmp_path, settings):
    """Papers from another folder, an upload, and a copy elsewhere of a deleted file all stay."""
    index_dir = tmp_path / "index"
    other = tmp_path / "other"
    other.mkdir()
    (other / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (other / "copy-of-buses.txt").write_text(PAPERS["buses.txt"], encoding="utf-8")
    ingest([papers], index_dir, settings, progress=False)
    assert ingest([other], index_dir, settings, progress=False).duplicates == 1
    admin = Settings(**{**settings.model_dump(), "admin_token": "sync-test-token"})
    client = TestClient(create_app(index_dir, admin))
    uploaded = client.post("/api/documents", headers={"Authorization": "Bearer sync-test-token"},
                           files={"file": ("allotments.txt", ALLOTMENTS, "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    everything = {"harbour.txt", "parks.txt", "buses.txt", "lighthouse.txt", "allotments.txt"}
    assert ids(index_dir) == everything

    # Deleted from the first folder: the harbour paper (its only copy) and the buses paper (a copy
    # stays in the other folder); deleted from the other folder too: the lighthouse paper.
    (papers / "harbour.txt").unlink()
    (papers / "buses.txt").unlink()
    (other / "lighthouse.txt").unlink()
    report = ingest([papers], index_dir, settings, progress=False)
    assert [doc_id for doc_id, _ in report.removed] == ["harbour.txt"]
    assert ids(index_dir) == everything - {"harbour.txt"}
    assert "buses.txt" in found(index_dir, settings, "bus shelters along Mill Lane and Quarry Road")
    assert "lighthouse.txt" in found(index_dir, settings, "lighthouse keeper's cottage sailing club lease")
    assert "allotments.txt" in found(index_dir, settings, "allotment plots at Church Field")
    data, *_ = load_index(index_dir)
    assert data.documents["buses.txt"].locations == [str(other.resolve() / "copy-of-buses.txt")]

    # The other folder's own ingest is what takes its deleted paper out.
    report = ingest([other], index_dir, settings, progress=False)
    assert [doc_id for doc_id, _ in report.removed] == ["lighthouse.txt"]
    assert ids(index_dir) == {"parks.txt", "buses.txt", "allotments.txt"}


def test_cli_remove_removes_by_id_and_an_unknown_id_removes_nothing(papers, tmp_path, settings, capsys):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    assert main(["remove", "parks.txt", "--index", str(index_dir), "--no-wait"]) == 0
    assert "removed parks.txt" in capsys.readouterr().out
    assert ids(index_dir) == {"harbour.txt", "buses.txt"}
    assert "parks.txt" not in found(index_dir, settings, "Elm Park bandstand repainted green")

    generation = (index_dir / "CURRENT").read_text()
    status = main(["remove", "buses.txt", "no-such-paper.txt", "--index", str(index_dir)])
    err = capsys.readouterr().err
    assert status != 0 and "no-such-paper.txt" in err and "nothing was removed" in err
    assert ids(index_dir) == {"harbour.txt", "buses.txt"}
    assert (index_dir / "CURRENT").read_text() == generation  # not even a new generation

    # A removed document stays out until its folder is ingested again (its file is still there).
    assert ingest([papers], index_dir, settings, progress=False).added == 1
    assert ids(index_dir) == set(PAPERS)


def test_cli_documents_json_lists_every_document_with_its_file(papers, tmp_path, settings, capsys):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    capsys.readouterr()
    assert main(["documents", "--json", "--index", str(index_dir)]) == 0
    listing = json.loads(capsys.readouterr().out)
    documents = {d["id"]: d for d in listing["documents"]}
    assert set(documents) == set(PAPERS) and listing["failures"] == []
    for doc_id, d in documents.items():
        assert {"id", "title", "committee", "meeting_date", "doc_type", "access", "file"} <= set(d)
        assert d["file"] == str(papers.resolve() / doc_id)
        assert d["meeting_date"] == "2024-06-12" and d["access"] == "public"


def test_an_emptied_folder_removes_nothing(papers, tmp_path, settings):
    # A share that is not mounted is an empty folder: its papers must not silently go.
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    before = ids(index_dir)
    for path in papers.iterdir():
        path.unlink()
    report = ingest([papers], index_dir, settings, progress=False)
    assert not report.removed and ids(index_dir) == before
