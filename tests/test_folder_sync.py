"""Folder sync and removal as a user meets them: a file deleted from a folder leaves the index when
that folder is ingested again (and comes back with its file), papers from other folders and
uploads are never touched, `councilqa remove` removes by id or nothing at all and what it removed
stays out (withdrawn) until its file changes or `councilqa restore` brings it back, the admin
re-ingest says what it removed, and `councilqa documents --json` lists what is indexed. Every
paper is made up in the test."""

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

    # Its file is still there, but ingesting the folder again does not bring it back.
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.added == 0 and [w.document for _, w in report.withdrawn] == ["parks.txt"]
    assert ids(index_dir) == {"harbour.txt", "buses.txt"}


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


# --- withdrawn: removed stays removed -----------------------------------------------------------

def withdrawn(index_dir: Path) -> dict[str, str]:
    data, *_ = load_index(index_dir)
    return {w.document: w.content_hash for w in data.withdrawn.values()}


def test_a_removed_document_stays_out_of_search_and_answers_while_its_file_is_unchanged(papers, tmp_path, settings, capsys):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    assert main(["remove", "harbour.txt", "--index", str(index_dir)]) == 0
    assert "restore" in capsys.readouterr().out
    # Recorded in the live generation as JSON, by the file's content hash.
    generation = index_dir / (index_dir / "CURRENT").read_text()
    record = json.loads((generation / "withdrawn.json").read_text())["withdrawn"]
    assert [(w["document"], w["by"]) for w in record] == [("harbour.txt", "`councilqa remove`")]
    assert record[0]["locations"] == [str(papers.resolve() / "harbour.txt")]

    for _ in range(2):  # and again: nothing brings it back on its own
        assert main(["ingest", str(papers), "--index", str(index_dir), "--quiet"]) == 0
        out = capsys.readouterr().out
        assert "1 withdrawn" in out and "0 added" in out
        line = next(x for x in out.splitlines() if x.startswith("WITHDRAWN"))
        assert line.startswith(f"WITHDRAWN {papers.resolve() / 'harbour.txt'}: removed by `councilqa remove` on 20")
        assert "`councilqa restore harbour.txt` brings it back" in line
        assert ids(index_dir) == {"parks.txt", "buses.txt"}
        assert "harbour.txt" not in found(index_dir, settings, HARBOUR)
        answer = Answerer(Searcher(index_dir, settings)).answer(HARBOUR_QUESTION)
        assert "harbour.txt" not in {c.document for c in answer.citations} and "310,000" not in answer.answer

    # Other writes carry the record forward: another folder ingested, another document removed.
    other = tmp_path / "other"
    other.mkdir()
    (other / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (other / "harbour-copy.txt").write_bytes((papers / "harbour.txt").read_bytes())  # the same paper elsewhere
    report = ingest([other], index_dir, settings, progress=False)
    assert report.added == 1 and [w.document for _, w in report.withdrawn] == ["harbour.txt"]
    assert main(["remove", "buses.txt", "--index", str(index_dir)]) == 0
    assert set(withdrawn(index_dir)) == {"harbour.txt", "buses.txt"}

    # `councilqa documents` lists what is withdrawn.
    capsys.readouterr()
    assert main(["documents", "--json", "--index", str(index_dir)]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert sorted(w["document"] for w in listing["withdrawn"]) == ["buses.txt", "harbour.txt"]
    assert main(["documents", "--index", str(index_dir)]) == 0
    assert "WITHDRAWN harbour.txt: removed by `councilqa remove` on" in capsys.readouterr().out

    # A changed file is a new paper: it comes back.
    (papers / "harbour.txt").write_text(PAPERS["harbour.txt"] + "\nThe work will start in October 2024.\n", encoding="utf-8")
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.added == 1 and [w.document for _, w in report.withdrawn] == ["buses.txt"]
    assert "harbour.txt" in found(index_dir, settings, HARBOUR)
    # Put back as it was when removed, its file no longer gives the paper read since: out again.
    (papers / "harbour.txt").write_text(PAPERS["harbour.txt"], encoding="utf-8")
    report = ingest([papers], index_dir, settings, progress=False)
    assert "harbour.txt" not in ids(index_dir) and "harbour.txt" not in found(index_dir, settings, HARBOUR)


def test_restore_and_include_withdrawn_bring_a_removed_document_back(papers, tmp_path, settings, capsys):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    assert main(["remove", "harbour.txt", "parks.txt", "--index", str(index_dir)]) == 0
    generation = (index_dir / "CURRENT").read_text()
    capsys.readouterr()

    assert main(["restore", "harbour.txt", "no-such-paper.txt", "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert "no-such-paper.txt" in err and "nothing was restored" in err and "harbour.txt" in err
    assert (index_dir / "CURRENT").read_text() == generation

    assert main(["restore", "harbour.txt", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "RESTORED harbour.txt" in out
    assert ids(index_dir) == {"harbour.txt", "buses.txt"} and set(withdrawn(index_dir)) == {"parks.txt"}
    data, *_ = load_index(index_dir)
    assert data.documents["harbour.txt"].locations == [str(papers.resolve() / "harbour.txt")]
    cited = Answerer(Searcher(index_dir, settings)).answer(HARBOUR_QUESTION)
    assert "harbour.txt" in {c.document for c in cited.citations}

    # --include-withdrawn reads the rest and ends their withdrawal.
    assert main(["ingest", str(papers), "--index", str(index_dir), "--quiet", "--include-withdrawn"]) == 0
    assert "RESTORED parks.txt" in capsys.readouterr().out
    assert ids(index_dir) == set(PAPERS) and withdrawn(index_dir) == {}

    for command, says in (("ingest", "--include-withdrawn"), ("remove", "councilqa restore"), ("restore", "withdrawal")):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert says in " ".join(capsys.readouterr().out.split())


def test_restore_of_a_document_whose_file_is_gone_lifts_the_withdrawal(papers, tmp_path, settings, capsys):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    kept = (papers / "parks.txt").read_bytes()
    assert main(["remove", "parks.txt", "--index", str(index_dir)]) == 0
    (papers / "parks.txt").unlink()
    capsys.readouterr()
    assert main(["restore", "parks.txt", "--index", str(index_dir)]) == 0
    assert "not where it was read from" in capsys.readouterr().out
    assert withdrawn(index_dir) == {} and "parks.txt" not in ids(index_dir)
    (papers / "parks.txt").write_bytes(kept)  # the file is back: read as any new file
    assert ingest([papers], index_dir, settings, progress=False).added == 1


def test_admin_delete_withdraws_reingest_reports_what_it_removed_and_upload_restores(papers, tmp_path, settings):
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    admin = Settings(**{**settings.model_dump(), "admin_token": "sync-test-token"})
    client = TestClient(create_app(index_dir, admin))
    token = {"Authorization": "Bearer sync-test-token"}

    assert client.delete("/api/documents/harbour.txt", headers=token).json()["removed"] == ["harbour.txt"]
    (papers / "parks.txt").unlink()
    reingested = client.post("/api/admin/reingest", headers=token)
    assert reingested.status_code == 200, reingested.text
    body = reingested.json()
    assert body["removed"] == ["parks.txt"] and body["withdrawn"] == ["harbour.txt"] and body["added"] == 0
    assert "REMOVED parks.txt" in body["summary"] and "WITHDRAWN" in body["summary"]
    assert {d["id"] for d in client.get("/api/documents").json()["documents"]} == {"buses.txt"}
    answer = client.post("/api/ask", json={"question": HARBOUR_QUESTION}).json()
    assert "310,000" not in answer["answer"]
    assert [w.by for w in load_index(index_dir)[0].withdrawn.values()] == ["DELETE /api/documents"]

    # An administrator uploading the same paper means it: it is back, and no longer withdrawn.
    uploaded = client.post("/api/documents", headers=token,
                           files={"file": ("harbour.txt", (papers / "harbour.txt").read_bytes(), "text/plain")})
    assert uploaded.status_code == 201 and uploaded.json()["added"] == 1, uploaded.text
    assert withdrawn(index_dir) == {}
    answer = client.post("/api/ask", json={"question": HARBOUR_QUESTION}).json()
    assert "310,000" in answer["answer"]
