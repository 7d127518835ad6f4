"""The HTTP service, endpoint by endpoint, against real indexes: what it returns, what it refuses
and how (oversized questions and bodies, unknown ids, path tricks, missing admin token), and
that document text is only ever data. The browser tests drive the same routes from the page."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from conftest import SCRIPT_LINE, write_papers
from councilqa.api.app import create_app
from councilqa.api.security import CSP
from councilqa.ingest.pipeline import ingest
from councilqa.settings import Settings

PDF_ID = "2024-05-01-cabinet/budget-report.pdf"
NOTE_ID = "2024-05-01-cabinet/security-note.txt"


@pytest.fixture(scope="module")
def client(papers_index, settings):
    return TestClient(create_app(papers_index, settings))


def cite(client, question: str) -> dict:
    body = client.post("/api/ask", json={"question": question}).json()
    assert not body["abstained"], body["answer"]
    return body["citations"][0]


def test_health_reports_index_state(demo_index, tmp_path, settings):
    client = TestClient(create_app(demo_index, settings))
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["index_ready"] is True and body["admin_enabled"] is False
    empty = TestClient(create_app(tmp_path / "nothing", settings))
    assert empty.get("/api/health").json()["index_ready"] is False
    assert empty.get("/api/documents").status_code == 503  # said plainly, not a crash


def test_pages_are_static_files_with_a_strict_content_security_policy(client):
    for path in ("/", "/documents"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
        # No inline code at all: every <script> has a src, no on...= handlers, no style attributes.
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page.text))
        assert not re.search(r"\son\w+=|\sstyle=", page.text)
    assert "javascript" in client.get("/static/app.js").headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404


def test_openapi_docs_work_offline(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static-offline-docs/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    # Swagger UI boots with an inline script: /docs alone may run one.
    assert "'unsafe-inline'" in docs.headers["content-security-policy"]
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/ask", "/api/health", "/api/documents", "/api/documents/{doc_id}", "/api/passages/{passage_id}",
                  "/api/documents/{doc_id}/pages/{page}.png", "/api/documents/{doc_id}/file", "/api/admin/reingest"):
        assert route in paths, route


def test_documents_lists_what_is_indexed_and_what_failed(client):
    catalog = client.get("/api/documents").json()
    docs = {d["id"]: d for d in catalog["documents"]}
    assert set(docs) == {PDF_ID, NOTE_ID}
    pdf = docs[PDF_ID]
    assert pdf["format"] == "pdf" and pdf["pages"] == 2 and pdf["passages"] >= 2 and pdf["has_original"]
    assert pdf["meeting_date"] == "2024-05-01" and pdf["committee"]
    assert "locations" not in pdf  # server paths stay on the server
    [failure] = catalog["failures"]
    assert failure["path"].endswith("broken.pdf") and failure["reason"]


def test_document_detail_by_id_with_slashes(client):
    detail = client.get(f"/api/documents/{PDF_ID}").json()
    assert detail["document"]["id"] == PDF_ID
    assert [p["page"] for p in detail["passages"]] == sorted(p["page"] for p in detail["passages"])
    assert any("2.5 million" in p["text"] for p in detail["passages"])
    assert client.get("/api/documents/2024-05-01-cabinet%2Fbudget-report.pdf").status_code == 200  # encoded "/" too
    missing = client.get("/api/documents/no/such/paper.pdf")
    assert missing.status_code == 404 and missing.json()["detail"] == "no such document in the index"


def test_passage_view_highlights_the_quoted_span(client):
    citation = cite(client, "What budget did the Cabinet approve for new family hubs?")
    assert citation["document"] == PDF_ID and citation["page"] == 2
    view = client.get(f"/api/passages/{citation['passage_id']}",
                      params={"start": citation["start"], "end": citation["end"]}).json()
    start, end = view["highlight"]
    assert view["passage"]["text"][start:end] == citation["quote"]
    assert view["document"]["id"] == PDF_ID and view["passage"]["page"] == 2
    # Offsets outside the passage are clipped to it, never used to read other text.
    wide = client.get(f"/api/passages/{citation['passage_id']}", params={"start": 0, "end": 10**8}).json()
    assert wide["highlight"] == [0, len(wide["passage"]["text"])]
    assert client.get("/api/passages/nope-00001").status_code == 404
    assert client.get(f"/api/passages/{citation['passage_id']}", params={"start": -1}).status_code == 422


def _yellow_rows(png: bytes) -> list[int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    rows = set()
    for y in range(0, height, 2):
        for x in range(0, width, 3):
            r, g, b = pixels[x, y]
            if r > 230 and 190 < g < 235 and b < 150:  # the highlight over white paper
                rows.add(y)
                break
    return sorted(rows)


def test_pdf_page_image_highlights_the_quote_on_the_page(client):
    citation = cite(client, "What budget did the Cabinet approve for new family hubs?")
    url = f"/api/documents/{PDF_ID}/pages/{citation['page']}.png"
    lit = client.get(url, params={"passage": citation["passage_id"], "start": citation["start"], "end": citation["end"]})
    assert lit.status_code == 200 and lit.headers["content-type"] == "image/png"
    assert int(lit.headers["x-highlight-boxes"]) >= 1
    rows = _yellow_rows(lit.content)
    height = Image.open(io.BytesIO(lit.content)).size[1]
    # The quote is the third line from the top of page 2 (drawn at y = 768pt of 842pt).
    assert rows and all(abs(y / height - (842 - 768) / 842) < 0.03 for y in rows)
    plain = client.get(url)
    assert plain.status_code == 200 and plain.headers["x-highlight-boxes"] == "0" and not _yellow_rows(plain.content)
    assert client.get(f"/api/documents/{PDF_ID}/pages/3.png").status_code == 404
    assert client.get(f"/api/documents/{NOTE_ID}/pages/1.png").status_code == 404  # not a PDF
    other = client.get(f"/api/documents/{NOTE_ID}").json()["passages"][0]["id"]
    assert client.get(url, params={"passage": other}).status_code == 404  # a passage of another document


def test_original_file_is_served_only_from_its_recorded_location(client, papers_index):
    pdf = client.get(f"/api/documents/{PDF_ID}/file")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "inline" in pdf.headers["content-disposition"]
    note = client.get(f"/api/documents/{NOTE_ID}/file")
    # A paper that is text (or HTML) is shown as text, in a sandbox: its markup never runs here.
    assert note.headers["content-type"].startswith("text/plain") and "sandbox" in note.headers["content-security-policy"]
    for trick in ("/api/documents/..%2F..%2F..%2Fetc%2Fpasswd/file", "/api/documents/%2Fetc%2Fpasswd/file",
                  "/api/documents/2024-05-01-cabinet/%2e%2e/%2e%2e/%2e%2e/etc/passwd/file",
                  "/api/documents/%2e%2e/index/CURRENT/file", "/api/documents/etc/passwd/pages/1.png"):
        response = client.get(trick)
        assert response.status_code == 404, trick
        assert b"root:" not in response.content


def test_changed_original_is_not_served(tmp_path, settings):
    papers = write_papers(tmp_path / "papers")
    ingest([papers], tmp_path / "index", settings, progress=False)
    client = TestClient(create_app(tmp_path / "index", settings))
    assert client.get(f"/api/documents/{NOTE_ID}/file").status_code == 200
    (papers / NOTE_ID).write_text("something else entirely", encoding="utf-8")
    # The page an officer opens must be the one that was indexed: a changed file is refused.
    assert client.get(f"/api/documents/{NOTE_ID}/file").status_code == 404
    assert client.get("/api/documents").json()["documents"][1]["has_original"] is False


def test_markup_in_a_paper_is_returned_as_plain_text(client):
    detail = client.get(f"/api/documents/{NOTE_ID}").json()
    text = " ".join(p["text"] for p in detail["passages"])
    # Exactly what the paper says, as data; the page inserts it with textContent (see test_browser).
    assert "<script>window.pwned = 1</script>" in text and SCRIPT_LINE.split(" and ")[1][:20] in text
    assert client.get(f"/api/documents/{NOTE_ID}").headers["content-type"] == "application/json"


def test_ask_refuses_oversized_and_malformed_requests(client, settings):
    too_long = client.post("/api/ask", json={"question": "x" * (settings.max_question_chars + 1)})
    assert too_long.status_code == 413 and "longer than" in too_long.json()["detail"]
    history_item = client.post("/api/ask", json={"question": "and for CAMHS?", "history": ["y" * 5000]})
    assert history_item.status_code == 413
    assert client.post("/api/ask", json={"question": "budget", "history": ["a?"] * 6}).status_code == 422
    huge = client.post("/api/ask", content=b'{"question": "' + b"z" * (settings.max_request_bytes + 10) + b'"}',
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]

    def stream():  # no Content-Length: the cap still holds
        for _ in range(100):
            yield b" " * 1024

    assert client.post("/api/ask", content=stream(), headers={"content-type": "application/json"}).status_code == 413
    assert client.post("/api/ask", json={"question": "budget", "doc_type": "novel"}).status_code == 422
    assert client.post("/api/ask", json={"question": "budget", "date_to": "May 2024"}).status_code == 422


def test_ask_filters_and_says_what_it_searched(client):
    body = client.post("/api/ask", json={"question": "What budget did the Cabinet approve for new family hubs?",
                                         "doc_type": "report", "date_from": "2024-05-01", "date_to": "2024-05-01"}).json()
    assert body["searched_for"] == "What budget did the Cabinet approve for new family hubs?"
    assert body["passages"] and all(p["doc_type"] == "report" for p in body["passages"])
    none = client.post("/api/ask", json={"question": "family hubs budget", "date_from": "2030-01-01"}).json()
    assert none["abstained"] and none["passages"] == []


@pytest.mark.parametrize("method,path", [("post", "/api/admin/reingest"), ("delete", f"/api/documents/{NOTE_ID}")])
def test_index_changes_are_off_without_an_admin_token(client, method, path):
    response = getattr(client, method)(path, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert response.json()["detail"] == "index changes are disabled: set COUNCILQA_ADMIN_TOKEN"
    upload = client.post("/api/documents", files={"file": ("new.txt", b"hello", "text/plain")})
    assert upload.status_code == 403
    assert NOTE_ID in {d["id"] for d in client.get("/api/documents").json()["documents"]}


def test_admin_token_guards_upload_reingest_and_delete(tmp_path, settings):
    papers = write_papers(tmp_path / "papers")
    (papers / "broken.pdf").unlink()
    ingest([papers], tmp_path / "index", settings, progress=False)
    admin = Settings(**{**settings.model_dump(), "admin_token": "s3cret-token", "max_upload_bytes": 4096})
    client = TestClient(create_app(tmp_path / "index", admin))
    good = {"Authorization": "Bearer s3cret-token"}
    assert client.delete(f"/api/documents/{NOTE_ID}").status_code == 401
    wrong = client.delete(f"/api/documents/{NOTE_ID}", headers={"Authorization": "Bearer s3cret-tokeN"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"

    # Delete: the document, its passages and its answers are gone at once.
    deleted = client.delete(f"/api/documents/{NOTE_ID}", headers=good)
    assert deleted.status_code == 200 and deleted.json()["removed"] == [NOTE_ID]
    assert {d["id"] for d in client.get("/api/documents").json()["documents"]} == {PDF_ID}
    assert client.delete(f"/api/documents/{NOTE_ID}", headers=good).status_code == 404

    # Upload: kept in the uploads folder, indexed, answerable.
    paper = b"Report to:\tCABINET\nDate of Meeting:\t8 May 2024\n\nLIBRARIES\n\nThe Cabinet agreed to open 4 new libraries in 2025.\n"
    uploaded = client.post("/api/documents", headers=good, files={"file": ("../../libraries.txt", paper, "text/plain")})
    assert uploaded.status_code == 201 and uploaded.json()["added"] == 1
    assert (tmp_path / "index" / "uploads" / "libraries.txt").read_bytes() == paper
    answer = client.post("/api/ask", json={"question": "How many new libraries did the Cabinet agree to open?"}).json()
    assert "4 new libraries" in answer["answer"] and answer["citations"][0]["document"] == "libraries.txt"
    assert client.post("/api/documents", headers=good, files={"file": ("run.exe", b"MZ", "application/octet-stream")}).status_code == 415
    assert client.post("/api/documents", headers=good, files={"file": ("big.txt", b"x" * 5000, "text/plain")}).status_code == 413

    # Re-ingest: a changed paper in a folder the index came from is read again.
    (papers / NOTE_ID).write_text("Report to:\tCABINET\nDate of Meeting:\t1 May 2024\n\nPARKS\n\n"
                                  "The council now maintains 47 parks.\n", encoding="utf-8")
    reingested = client.post("/api/admin/reingest", headers=good)
    assert reingested.status_code == 200 and reingested.json()["added"] == 1, reingested.json()
    answer = client.post("/api/ask", json={"question": "How many parks does the council maintain?"}).json()
    assert "47 parks" in answer["answer"]

