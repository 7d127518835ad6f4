"""What ingest does with the files a folder really holds: links out of the folder are refused and
never served, a run where every file fails says why and exits 1 without a traceback, thin pages
do not lose a document, Word files and spreadsheets are listed as not supported, UTF-16 and
UTF-8-with-BOM text is read, and removing documents (the last one included) keeps a valid index.
Every file is made in the test."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from councilqa.api.app import create_app
from councilqa.index.lock import writer_lock
from councilqa.index.search import Searcher
from councilqa.index.store import load_index
from councilqa.ingest.maintenance import remove_documents
from councilqa.ingest.parsing import SourceFile, parse_file
from councilqa.ingest.pipeline import discover, discover_files, ingest
from councilqa.ingest.readers import decode_text, read_file, text_encoding
from fastapi.testclient import TestClient
from pdfs import corrupt_pdf, text_pdf

COUNCILQA = Path(sys.executable).with_name("councilqa")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}
NOTE = ("Report to: CABINET\nDate of Meeting: 1 May 2024\n\nLIBRARY HOURS\n\n"
        "The Cabinet agreed that Sandwich library opens on Saturday mornings from June 2024.\n")
SECRET = "The entry code for the plant room is 4417 and the alarm is set at 22:00 each night.\n"


def _papers(tmp_path: Path) -> Path:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "library-note.txt").write_text(NOTE, encoding="utf-8")
    return papers


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(COUNCILQA), *args], capture_output=True, text=True, env=ENV, timeout=600, check=False)


# --- links ------------------------------------------------------------------------------------

def test_link_out_of_the_folder_is_refused_with_a_reason_and_never_indexed(tmp_path, settings):
    papers = _papers(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "plant-room.txt").write_text(SECRET, encoding="utf-8")
    (papers / "plant-room.txt").symlink_to(outside / "plant-room.txt")
    (papers / "system.txt").symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/etc/passwd")
    (papers / "more").symlink_to(outside, target_is_directory=True)
    (papers / "dangling.txt").symlink_to(tmp_path / "no-such-file.txt")
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    reasons = {Path(f.path).name: f.reason for f in report.failed}
    assert set(reasons) == {"plant-room.txt", "system.txt", "more", "dangling.txt"}
    assert "outside" in reasons["plant-room.txt"] and "not followed" in reasons["plant-room.txt"]
    assert "outside" in reasons["more"]
    assert "broken link" in reasons["dangling.txt"]
    assert report.added == 1
    data, *_ = load_index(tmp_path / "index")
    assert list(data.documents) == ["library-note.txt"]
    assert not any("4417" in c.text for c in data.chunks)
    assert {Path(f.path).name for f in data.failures} == set(reasons)  # listed on the documents page
    assert "FAILED" in report.summary() and "plant-room.txt" in report.summary()


def test_link_that_stays_inside_the_folder_is_read(tmp_path, settings):
    papers = _papers(tmp_path)
    (papers / "2024").mkdir()
    (papers / "2024" / "hours.txt").symlink_to(papers / "library-note.txt")
    (papers / "also-2024").symlink_to(papers / "2024", target_is_directory=True)  # inside: not walked twice
    found = discover_files([papers])
    assert [s.doc_id for s in found.sources] == ["2024/hours.txt", "library-note.txt"] and not found.refused
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert not report.failed and report.added == 1 and report.duplicates == 1


def test_link_out_of_the_folder_is_not_served(tmp_path, settings):
    """An index may record a path that is (or has since become) a link out of its folders: an
    index from before links were checked, or a file swapped for a link. The resolved path is
    checked (index/catalog.py, original_file) and refused, while a file inside is served
    (tests/test_original_files.py: page images and the documents list too)."""
    papers = _papers(tmp_path)
    (papers / "plant-room.txt").write_text(SECRET, encoding="utf-8")
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    client = TestClient(create_app(index_dir, settings))
    assert client.get("/api/documents/plant-room.txt/file").status_code == 200
    # The same bytes moved out of the folder and linked back: still the indexed bytes, so only
    # the folder check stops it.
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (papers / "plant-room.txt").rename(outside / "plant-room.txt")
    (papers / "plant-room.txt").symlink_to(outside / "plant-room.txt")
    response = client.get("/api/documents/plant-room.txt/file")
    assert response.status_code == 404 and "4417" not in response.text
    # Refused by catalog.original_file, so the documents list no longer claims an original either.
    listed = {d["id"]: d["has_original"] for d in client.get("/api/documents").json()["documents"]}
    assert listed == {"library-note.txt": True, "plant-room.txt": False}
    assert client.get("/api/documents/library-note.txt/file").status_code == 200
    # A second ingest refuses the link and takes the document it was read from out of the index.
    report = ingest([papers], index_dir, settings, progress=False)
    assert [Path(f.path).name for f in report.failed] == ["plant-room.txt"]
    data, *_ = load_index(index_dir)
    assert list(data.documents) == ["library-note.txt"] and not any("4417" in c.text for c in data.chunks)


# --- every file fails; exit status ------------------------------------------------------------

def test_ingest_where_every_file_fails_says_why_and_exits_1(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    corrupt_pdf(papers / "broken.pdf")
    (papers / "empty.txt").write_bytes(b"")
    (papers / "system.txt").symlink_to("/etc/passwd")
    result = _cli("ingest", str(papers), "--index", str(tmp_path / "index"), "--quiet")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "FAILED" in result.stdout and "broken.pdf" in result.stdout and "corrupt" in result.stdout
    assert "empty.txt: the file is empty" in result.stdout
    assert "system.txt: a link to a file outside" in result.stdout
    assert "3 of 3 files failed" in result.stdout
    assert "could not be ingested" in result.stderr
    # What failed is recorded in a valid, empty index, so the documents list says why.
    listing = _cli("documents", "--index", str(tmp_path / "index"))
    assert listing.returncode == 0 and "0 documents" in listing.stdout and "broken.pdf" in listing.stdout


def test_exit_status_is_1_when_any_file_failed_and_0_when_none(tmp_path):
    papers = _papers(tmp_path)
    index_dir = tmp_path / "index"
    ok = _cli("ingest", str(papers), "--index", str(index_dir), "--quiet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    corrupt_pdf(papers / "broken.pdf")
    some_failed = _cli("ingest", str(papers), "--index", str(index_dir), "--quiet")
    assert some_failed.returncode == 1
    assert "FAILED" in some_failed.stdout and "1 of 2 files failed" in some_failed.stdout
    help_text = _cli("ingest", "--help").stdout
    assert "exit status" in help_text and "1 one or more files failed" in " ".join(help_text.split())


def test_quiet_ingest_writes_nothing_to_stderr(tmp_path):
    # No model-loading bars, no library DEBUG lines: a cron job's mail stays empty.
    papers = _papers(tmp_path)
    text_pdf(papers / "minutes.pdf", [["MINUTES", "", "The Committee noted the report on bus shelters."]])
    result = _cli("ingest", str(papers), "--index", str(tmp_path / "index"), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "" and "2 added" in result.stdout


# --- thin pages -------------------------------------------------------------------------------

def _parse(path: Path, settings):
    data = path.read_bytes()
    return parse_file(SourceFile(path, path.name), data, hashlib.sha256(data).hexdigest(), settings)


def test_two_thousand_thin_pages_are_a_document(tmp_path, settings):
    """Two lines a page: every line is at a page's edge, where running headers are looked for,
    and capitalised lines read as headings. Neither may leave the document with no text."""
    register = text_pdf(tmp_path / "register.pdf",
                        [[f"Planning application {1000 + i}", f"Decision notice issued for site {i + 1}."]
                         for i in range(2000)])
    parsed = _parse(register, settings)
    assert parsed.error is None
    assert parsed.document.pages == 2000
    assert {c.page for c in parsed.chunks} == set(range(1, 2001))
    assert "Planning application 2999" in parsed.text and "site 2000." in parsed.text
    titles = text_pdf(tmp_path / "decisions.pdf", [[f"DECISION {i + 1}", "APPROVED BY CABINET"] for i in range(2000)])
    parsed = _parse(titles, settings)
    assert parsed.error is None, parsed.error
    # The line repeated on every thin page is the text, not a running header (ingest/clean.py).
    assert any(c.text == "DECISION 1999\nAPPROVED BY CABINET" and c.page == 1999 for c in parsed.chunks)


def test_thin_pages_are_searchable_after_ingest(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    text_pdf(papers / "street-works.pdf", [[f"STREET WORKS PERMIT {100 + i}", f"WARD {i % 7 + 1}"] for i in range(60)])
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert not report.failed and report.added == 1, report.summary()
    hit = Searcher(tmp_path / "index", settings).search("street works permit 142", k=3)[0]
    assert "STREET WORKS PERMIT 142" in hit.text and hit.page == 43


# --- formats ----------------------------------------------------------------------------------

def test_word_documents_and_spreadsheets_are_listed_as_not_supported(tmp_path, settings):
    papers = _papers(tmp_path)
    for name in ("minutes.docx", "old-minutes.doc", "agenda.odt", "budget.xlsx"):
        (papers / name).write_bytes(b"PK\x03\x04 not read")
    (papers / "library-note.txt.meta.json").write_text('{"committee": "Cabinet"}')  # a sidecar: not mentioned
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.added == 1 and not report.failed
    reasons = {Path(f.path).name: f.reason for f in report.unsupported}
    assert set(reasons) == {"minutes.docx", "old-minutes.doc", "agenda.odt", "budget.xlsx"}
    assert "Word document" in reasons["minutes.docx"] and "Save it as PDF" in reasons["minutes.docx"]
    assert "spreadsheet" in reasons["budget.xlsx"]
    assert "NOT SUPPORTED" in report.summary() and "4 not supported" in report.summary()
    data, *_ = load_index(tmp_path / "index")
    assert not data.failures  # not failures: the documents page lists none
    result = _cli("ingest", str(papers), "--index", str(tmp_path / "index2"), "--quiet")
    assert result.returncode == 0 and "NOT SUPPORTED" in result.stdout


def test_utf16_and_utf8_bom_text_is_read(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "utf16-le-bom.txt").write_bytes(NOTE.replace("\n", "\r\n").encode("utf-16"))  # BOM, as Notepad writes
    (papers / "utf16-be-bom.txt").write_bytes(b"\xfe\xff" + SECRET.encode("utf-16-be"))
    (papers / "utf16-no-bom.md").write_bytes("# Parking\n\nResidents asked for 12 more blue badge bays in Deal.\n"
                                             .encode("utf-16-le"))
    (papers / "utf8-bom.txt").write_bytes(b"\xef\xbb\xbf" + "Café licences: 14 granted in Margate.\n".encode())
    (papers / "binary.txt").write_bytes(bytes(range(256)) * 4)
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.added == 4, report.summary()
    assert [(Path(f.path).name, f.reason) for f in report.failed] == [("binary.txt", "the file looks binary, not text")]
    text = Searcher(tmp_path / "index", settings).index.document_text
    assert "Sandwich library opens on Saturday mornings" in text("utf16-le-bom.txt")
    assert "entry code for the plant room is 4417" in text("utf16-be-bom.txt")
    assert "12 more blue badge bays" in text("utf16-no-bom.md")
    assert text("utf8-bom.txt").startswith("Café licences")


def test_text_encodings_are_told_apart():
    assert text_encoding("Hello".encode("utf-16")) == ("utf-16-le", 2)
    assert text_encoding("Hello".encode("utf-32")) == ("utf-32-le", 4)
    assert text_encoding(b"\xef\xbb\xbfHello") == ("utf-8", 3)
    assert text_encoding("Minutes of the meeting".encode("utf-16-be")) == ("utf-16-be", 0)
    assert text_encoding("Caf\xe9".encode("cp1252")) == (None, 0)
    assert decode_text("Caf\xe9 au lait".encode("cp1252")) == "Caf\xe9 au lait"
    with pytest.raises(Exception, match="empty"):
        read_file(Path("blank.txt"), "  \n".encode("utf-16"))


# --- removing documents -----------------------------------------------------------------------

def test_removing_the_last_document_leaves_a_valid_empty_index(tmp_path, settings):
    papers = _papers(tmp_path)
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    assert remove_documents(index_dir, ["library-note.txt"]) == ["library-note.txt"]
    data, _, dense, manifest = load_index(index_dir)
    assert not data.documents and not data.chunks and len(dense) == 0 and manifest["chunks"] == 0
    searcher = Searcher(index_dir, settings)
    assert searcher.search("Sandwich library", k=5) == []
    admin = settings.model_copy(update={"admin_token": "t0ken"})
    client = TestClient(create_app(index_dir, admin))
    assert client.get("/api/documents").json()["documents"] == []
    answer = client.post("/api/ask", json={"question": "When does Sandwich library open?"})
    assert answer.status_code == 200 and answer.json()["abstained"]
    # And the papers can be added again (the removed one is withdrawn until asked for).
    report = ingest([papers], index_dir, settings, progress=False, include_withdrawn=True)
    assert report.added == 1 and Searcher(index_dir, settings).search("Sandwich library", k=1)


def test_last_document_deleted_through_the_admin_route(tmp_path, settings):
    papers = _papers(tmp_path)
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    admin = settings.model_copy(update={"admin_token": "t0ken"})
    client = TestClient(create_app(index_dir, admin))
    response = client.delete("/api/documents/library-note.txt", headers={"Authorization": "Bearer t0ken"})
    assert response.status_code == 200, response.text
    assert client.get("/api/documents").json()["documents"] == []


def test_remove_documents_holds_the_writer_lock(tmp_path, settings, monkeypatch):
    """The read is under the lock too: with another thread holding it, remove_documents waits
    before reading, and a caller that holds it (the admin route) goes straight on."""
    papers = _papers(tmp_path)
    (papers / "plant-room.txt").write_text(SECRET, encoding="utf-8")
    index_dir = tmp_path / "index"
    ingest([papers], index_dir, settings, progress=False)
    from councilqa.ingest import maintenance

    reads: list[bool] = []
    real_load = maintenance.load_catalogue  # what a removal reads of the index (index/writer_reads.py)

    def load_catalogue_spy(folder, *args, **kwargs):
        from councilqa.index.lock import _held_for

        reads.append(_held_for(folder).depth > 0)
        return real_load(folder, *args, **kwargs)

    monkeypatch.setattr(maintenance, "load_catalogue", load_catalogue_spy)
    assert remove_documents(index_dir, ["plant-room.txt"]) == ["plant-room.txt"]
    with writer_lock(index_dir, wait=0):
        assert remove_documents(index_dir, ["library-note.txt"]) == ["library-note.txt"]
    assert reads == [True, True]


def test_discover_keeps_its_old_shape(tmp_path):
    papers = _papers(tmp_path)
    assert [s.doc_id for s in discover([papers])] == ["library-note.txt"]
