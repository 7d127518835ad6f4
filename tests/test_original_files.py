"""The original file of a document (index/catalog.py, original_file) is given only from inside the
folders the index was built from, to every caller: the file route, page images and the
documents list's has_original agree. A PDF reached through a link out of the folder (recorded
by an older ingest, or a file swapped for a link since) is never rendered or served, though it
holds the indexed bytes. Every file is made in the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from councilqa.api.app import create_app
from councilqa.index import catalog
from councilqa.index.search import Searcher
from councilqa.ingest.pipeline import ingest
from fastapi.testclient import TestClient
from pdfs import text_pdf

PDF_ID = "2024-05-01-cabinet/plant-room.pdf"
NOTE_ID = "library-note.txt"
SECRET = "The entry code for the plant room is 4417 and the alarm is set at 22:00 each night."


@pytest.fixture()
def indexed(tmp_path, settings):
    """A folder with a PDF and a note, indexed; returns (papers, index folder)."""
    papers = tmp_path / "papers"
    (papers / "2024-05-01-cabinet").mkdir(parents=True)
    text_pdf(papers / PDF_ID, [["Report to: CABINET", "PLANT ROOM", SECRET]])
    (papers / NOTE_ID).write_text("Report to: CABINET\n\nThe Cabinet agreed that Sandwich library opens on "
                                  "Saturday mornings from June 2024.\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    report = ingest([papers], index_dir, settings, progress=False)
    assert report.added == 2 and not report.failed, report.summary()
    return papers, index_dir


def move_out_and_link_back(papers: Path, doc_id: str, outside: Path) -> None:
    """The same bytes, moved out of the folder and linked back from where they were."""
    outside.mkdir(exist_ok=True)
    target = outside / Path(doc_id).name
    (papers / doc_id).rename(target)
    (papers / doc_id).symlink_to(target)


def agree(client: TestClient, doc_id: str, served: bool) -> None:
    """The documents list, the file route and (for a PDF) the page image say the same thing."""
    listed = {d["id"]: d["has_original"] for d in client.get("/api/documents").json()["documents"]}
    assert listed[doc_id] is served
    file = client.get(f"/api/documents/{doc_id}/file")
    assert file.status_code == (200 if served else 404)
    if doc_id.endswith(".pdf"):
        page = client.get(f"/api/documents/{doc_id}/pages/1.png")
        assert page.status_code == (200 if served else 404)
        if served:
            assert page.content.startswith(b"\x89PNG")
    if not served:
        assert "4417" not in file.text


def test_originals_inside_the_folder_are_given(indexed, settings):
    papers, index_dir = indexed
    searcher = Searcher(index_dir, settings)
    assert catalog.original_file(searcher, PDF_ID) == papers / PDF_ID
    assert catalog.original_file(searcher, NOTE_ID) == papers / NOTE_ID
    client = TestClient(create_app(index_dir, settings))
    agree(client, PDF_ID, True)
    agree(client, NOTE_ID, True)


def test_a_pdf_linked_from_outside_the_folder_is_not_rendered(indexed, tmp_path, settings):
    papers, index_dir = indexed
    move_out_and_link_back(papers, PDF_ID, tmp_path / "elsewhere")
    searcher = Searcher(index_dir, settings)
    assert (papers / PDF_ID).is_file()  # the link works, and holds the indexed bytes...
    assert catalog.original_file(searcher, PDF_ID) is None  # ...but leads out of the folder
    assert catalog.original_file(searcher, NOTE_ID) == papers / NOTE_ID
    client = TestClient(create_app(index_dir, settings))
    agree(client, PDF_ID, False)
    agree(client, NOTE_ID, True)
    # A highlighted page, too: the passage is indexed, the file is not followed.
    passage = client.get(f"/api/documents/{PDF_ID}").json()["passages"][0]["id"]
    assert client.get(f"/api/documents/{PDF_ID}/pages/1.png", params={"passage": passage}).status_code == 404


def test_a_folder_swapped_for_a_link_out_is_not_followed(indexed, tmp_path, settings):
    """The meeting folder replaced by a link to a copy elsewhere: the recorded path still opens
    the indexed bytes, through a folder outside the corpus."""
    papers, index_dir = indexed
    meeting = papers / "2024-05-01-cabinet"
    elsewhere = tmp_path / "elsewhere-cabinet"
    meeting.rename(elsewhere)
    meeting.symlink_to(elsewhere, target_is_directory=True)
    searcher = Searcher(index_dir, settings)
    assert (papers / PDF_ID).is_file() and catalog.original_file(searcher, PDF_ID) is None
    agree(TestClient(create_app(index_dir, settings)), PDF_ID, False)


def test_a_link_that_stays_inside_the_folder_is_followed(indexed, settings):
    """Moved within the folder and linked back: still inside, still the indexed bytes."""
    papers, index_dir = indexed
    archive = papers / "archive"
    archive.mkdir()
    (papers / PDF_ID).rename(archive / "plant-room.pdf")
    (papers / PDF_ID).symlink_to(archive / "plant-room.pdf")
    searcher = Searcher(index_dir, settings)
    assert catalog.original_file(searcher, PDF_ID) == papers / PDF_ID
    agree(TestClient(create_app(index_dir, settings)), PDF_ID, True)


def test_a_link_loop_or_a_missing_file_is_no_original(indexed, settings):
    papers, index_dir = indexed
    (papers / PDF_ID).unlink()
    (papers / PDF_ID).symlink_to(papers / PDF_ID)  # a link to itself
    (papers / NOTE_ID).unlink()
    searcher = Searcher(index_dir, settings)
    assert catalog.original_file(searcher, PDF_ID) is None
    assert catalog.original_file(searcher, NOTE_ID) is None
    assert catalog.original_file(searcher, "no-such-document.pdf") is None
    client = TestClient(create_app(index_dir, settings))
    agree(client, PDF_ID, False)
    agree(client, NOTE_ID, False)


def test_the_folders_are_worked_out_once_per_loaded_index(indexed, settings, monkeypatch):
    """A catalogue asks for every document's original: the folders are not recomputed each time."""
    papers, index_dir = indexed
    searcher = Searcher(index_dir, settings)
    calls = []

    class Counting(dict):
        def values(self):
            calls.append(1)
            return super().values()

    monkeypatch.setattr(searcher.index, "documents", Counting(searcher.index.documents))
    listing = catalog.catalog(searcher)
    assert [d.has_original for d in listing.documents] == [True, True]
    assert catalog.ingested_roots(searcher) == [papers]
    assert len(calls) == 1
    # Another loaded index (a new generation) works out its own.
    assert catalog.ingested_roots(Searcher(index_dir, settings)) == [papers] and len(calls) == 1
