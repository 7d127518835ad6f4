"""A catalogue of malformed requests, sent to every public route of the real app over real
indexes (the demo papers; a small index with a PDF for page images; a copy of it with the admin
routes on). Each must be refused with a 4xx, never a 5xx, and with a message that says what is
wrong: JSON that is not strict (NaN, Infinity, 1e999), bytes that are not UTF-8, strings that are
not Unicode (lone surrogates), dates that are not in the calendar, wrong types, out-of-range and
oversize fields, odd content types, methods and paths. The last test checks that the catalogue
reaches every route the app publishes.

Below it: other request faults of the same issues (a hostile Host header on the trailing-slash
redirect, health telling loading from ready, upload file names and rejected uploads)."""

from __future__ import annotations

import json
import shutil
import threading
import time
from dataclasses import dataclass, field

import pytest
from councilqa.api import app as app_module
from councilqa.api.app import create_app
from fastapi.testclient import TestClient

from councilqa.settings import Settings

PDF_ID = "2024-05-01-cabinet/budget-report.pdf"
NOTE_ID = "2024-05-01-cabinet/security-note.txt"
DEMO_ID = "2024-03-27-cyp-scrutiny-minutes.txt"
TOKEN = "s3cret-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
MULTIPART = {**ADMIN, "content-type": "multipart/form-data; boundary=x"}  # a hand-made multipart body follows
JSON = {"content-type": "application/json"}


@dataclass
class Case:
    name: str
    target: str  # "demo" (demo index), "pdf" (an index with a PDF), "admin" (the same, admin routes on)
    method: str
    path: str
    status: int  # what the service must answer
    says: str  # words the message must hold (case-insensitive)
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    files: dict | None = None
    params: dict | None = None


def ask(name: str, body: bytes | str, status: int, says: str, headers: dict | None = None) -> Case:
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return Case(name, "demo", "POST", "/api/ask", status, says, raw, headers if headers is not None else JSON)


def ask_json(name: str, fields: dict, status: int, says: str) -> Case:
    return ask(name, json.dumps({"question": "What was agreed about foster care?", **fields}), status, says)


def get(name: str, target: str, path: str, status: int, says: str, params: dict | None = None) -> Case:
    return Case(name, target, "GET", path, status, says, params=params)


Q = '"question":"What was agreed?"'
NOT_STRICT = "not strict json"
CATALOGUE: list[Case] = [
    # --- /api/ask: JSON that Python's parser takes but JSON does not --------------------------
    ask("top_k NaN", f'{{{Q},"top_k":NaN}}', 400, NOT_STRICT),
    ask("top_k Infinity", f'{{{Q},"top_k":Infinity}}', 400, NOT_STRICT),
    ask("top_k -Infinity", f'{{{Q},"top_k":-Infinity}}', 400, NOT_STRICT),
    ask("committee -Infinity", f'{{{Q},"committee":-Infinity}}', 400, NOT_STRICT),
    ask("NaN in history", f'{{{Q},"history":[NaN]}}', 400, NOT_STRICT),
    ask("Infinity under an unknown key", f'{{{Q},"extra":{{"x":[Infinity]}}}}', 400, NOT_STRICT),
    ask("top_k 1e999 (infinite)", f'{{{Q},"top_k":1e999}}', 400, "too large"),
    ask("top_k of 5000 digits", f'{{{Q},"top_k":{"9" * 5000}}}', 400, "too long"),
    # --- /api/ask: not JSON at all --------------------------------------------------------------
    ask("truncated object", '{"question":"What was agreed?"', 400, "not valid json"),
    ask("trailing comma", f'{{{Q},}}', 400, "not valid json"),
    ask("single quotes", "{'question':'What was agreed?'}", 400, "not valid json"),
    ask("comment", f'{{{Q} /* why */}}', 400, "not valid json"),
    ask("bare word", "question", 400, "not valid json"),
    ask("two objects", f'{{{Q}}}{{{Q}}}', 400, "not valid json"),
    ask("whitespace only", "   \n ", 400, "not valid json"),
    ask("empty body", b"", 422, "json body"),
    # --- /api/ask: bytes that are not UTF-8 -----------------------------------------------------
    ask("byte 0xff in a string", b'{"question":"budget \xff"}', 400, "utf-8"),
    ask("overlong encoding of /", b'{"question":"a\xc0\xaf"}', 400, "utf-8"),
    ask("surrogate encoded as bytes (CESU-8)", b'{"question":"a\xed\xa0\x80"}', 400, "utf-8"),
    ask("latin-1 body", '{"question":"café budget"}'.encode("latin-1"), 400, "utf-8"),
    ask("UTF-16 body", '{"question":"budget"}'.encode("utf-16"), 400, "utf-8"),
    ask("UTF-8 with a byte order mark", b"\xef\xbb\xbf" + f"{{{Q}}}".encode(), 400, "byte order mark"),
    # --- /api/ask: escapes that are not Unicode characters --------------------------------------
    ask("lone high surrogate in question", '{"question":"a\\ud800"}', 400, "surrogate"),
    ask("lone low surrogate in question", '{"question":"a\\udfff b"}', 400, "surrogate"),
    ask("reversed surrogate pair", '{"question":"\\udc00\\ud800"}', 400, "surrogate"),
    ask("lone surrogate in history", f'{{{Q},"history":["a\\ud800"]}}', 400, "surrogate"),
    ask("lone surrogate in committee", f'{{{Q},"committee":"\\ud83d"}}', 400, "surrogate"),
    ask("lone surrogate in doc_type", f'{{{Q},"doc_type":"\\udead"}}', 400, "surrogate"),
    ask("lone surrogate in a key", f'{{{Q},"\\ud800":1}}', 400, "surrogate"),
    # --- /api/ask: nesting -------------------------------------------------------------------------
    ask("5000 nested arrays", "[" * 5000 + "]" * 5000, 400, "nests"),
    ask("deep history", f'{{{Q},"history":{"[" * 40}"a"{"]" * 40}}}', 400, "nests"),
    # --- /api/ask: dates ---------------------------------------------------------------------------
    ask_json("month 13, day 45", {"date_from": "2025-13-45"}, 422, "date_from: 2025-13-45 is not a date in the calendar"),
    ask_json("30 February", {"date_to": "2025-02-30"}, 422, "date_to: 2025-02-30 is not a date"),
    ask_json("29 February of a common year", {"date_from": "2023-02-29"}, 422, "not a date"),
    ask_json("month 0", {"date_from": "2024-00-10"}, 422, "not a date"),
    ask_json("year 0", {"date_from": "0000-01-01"}, 422, "not a date"),
    ask_json("31 April", {"date_to": "2024-04-31"}, 422, "not a date"),
    ask_json("month name", {"date_to": "May 2024"}, 422, "date_to"),
    ask_json("unpadded", {"date_from": "2024-1-1"}, 422, "date_from"),
    ask_json("with a time", {"date_from": "2024-01-01T00:00:00"}, 422, "date_from"),
    ask_json("full-width digits", {"date_from": "２０２４-01-01"}, 422, "date_from"),
    ask_json("leading space", {"date_from": " 2024-01-01"}, 422, "date_from"),
    ask_json("date as a number", {"date_from": 20240101}, 422, "date_from"),
    ask_json("from after to", {"date_from": "2024-06-01", "date_to": "2024-01-01"}, 422, "after date_to"),
    # --- /api/ask: wrong types -----------------------------------------------------------------
    ask("question a number", '{"question":42}', 422, "question: input should be a valid string"),
    ask("question null", '{"question":null}', 422, "question"),
    ask("question a list", '{"question":["a"]}', 422, "question"),
    ask("question an object", '{"question":{"text":"a"}}', 422, "question"),
    ask("question true", '{"question":true}', 422, "question"),
    ask("no question", "{}", 422, "question: field required"),
    ask("misspelt question", '{"qestion":"budget"}', 422, "question: field required"),
    ask_json("top_k a string", {"top_k": "5"}, 422, "top_k: input should be a valid integer"),
    ask_json("top_k a fraction", {"top_k": 5.5}, 422, "top_k"),
    ask_json("top_k a float", {"top_k": 5.0}, 422, "top_k"),
    ask_json("top_k true", {"top_k": True}, 422, "top_k"),
    ask_json("top_k null", {"top_k": None}, 422, "top_k"),
    ask_json("top_k a list", {"top_k": [5]}, 422, "top_k"),
    ask_json("committee a number", {"committee": 7}, 422, "committee"),
    ask_json("committee a list", {"committee": ["Cabinet"]}, 422, "committee"),
    ask_json("doc_type unknown", {"doc_type": "novel"}, 422, "doc_type"),
    ask_json("doc_type a number", {"doc_type": 3}, 422, "doc_type"),
    ask_json("history a string", {"history": "what about March?"}, 422, "history"),
    ask_json("history of numbers", {"history": [1, 2]}, 422, "history.0"),
    ask_json("history with null", {"history": [None]}, 422, "history.0"),
    ask_json("history nested", {"history": [["a"]]}, 422, "history.0"),
    ask_json("history an object", {"history": {"a": 1}}, 422, "history"),
    ask("body a list", "[1]", 422, "request body"),
    ask("body a string", '"What was agreed?"', 422, "request body"),
    ask("body null", "null", 422, "request body"),
    ask("body a number", "42", 422, "request body"),
    # --- /api/ask: ranges and sizes --------------------------------------------------------------
    ask_json("top_k 0", {"top_k": 0}, 422, "top_k"),
    ask_json("top_k negative", {"top_k": -1}, 422, "top_k"),
    ask_json("top_k 51", {"top_k": 51}, 422, "top_k: input should be less than or equal to 50"),
    ask_json("top_k 10**20", {"top_k": 10**20}, 422, "top_k"),
    ask("empty question", '{"question":""}', 422, "question"),
    ask("blank question", '{"question":"  \\n\\t "}', 422, "the question is empty"),
    ask("question over the limit", json.dumps({"question": "x" * 1001}), 413, "longer than 1000"),
    ask_json("history item over the limit", {"history": ["y" * 1001]}, 413, "longer than"),
    ask_json("six history items", {"history": ["a?"] * 6}, 422, "history"),
    ask_json("committee over 200 characters", {"committee": "C" * 201}, 422, "committee"),
    ask("body over 64 kB", json.dumps({"question": "z" * 70_000}), 413, "larger than"),
    # --- /api/ask: content types, methods, headers ------------------------------------------------
    ask("text/plain", f"{{{Q}}}", 415, "as json", {"content-type": "text/plain"}),
    ask("form-encoded", "question=budget", 415, "as json", {"content-type": "application/x-www-form-urlencoded"}),
    ask("multipart", b"--x\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nbudget\r\n--x--\r\n", 415,
        "as json", {"content-type": "multipart/form-data; boundary=x"}),
    ask("Content-Length not a number", f"{{{Q}}}", 400, "content-length", {**JSON, "content-length": "ten"}),
    Case("GET /api/ask", "demo", "GET", "/api/ask", 405, "method not allowed"),
    Case("PUT /api/ask", "demo", "PUT", "/api/ask", 405, "method not allowed", f"{{{Q}}}".encode(), JSON),
    Case("POST /api/health", "demo", "POST", "/api/health", 405, "method not allowed", b"{}", JSON),
    # --- documents and passages --------------------------------------------------------------------
    get("unknown document", "demo", "/api/documents/no/such/paper.txt", 404, "no such document"),
    get("document id of surrogate bytes", "demo", "/api/documents/a%ED%A0%80.txt", 404, "no such document"),
    get("document id of invalid UTF-8", "demo", "/api/documents/%FF%FE.txt", 404, "no such document"),
    get("document id with NUL", "demo", "/api/documents/a%00b.txt", 404, "no such document"),
    get("document id of 4000 characters", "demo", "/api/documents/" + "d" * 4000, 404, "no such document"),
    get("document id climbing out", "demo", "/api/documents/..%2F..%2Fetc%2Fpasswd", 404, "no such document"),
    get("unknown passage", "demo", "/api/passages/nope-00001", 404, "no such passage"),
    get("passage id of surrogate bytes", "demo", "/api/passages/%ED%A0%80", 404, "no such passage"),
    get("passage id of 5000 characters", "demo", "/api/passages/" + "p" * 5000, 404, "no such passage"),
    get("passage start NaN", "demo", "/api/passages/nope-00001", 422, "start", {"start": "NaN", "end": "5"}),
    get("passage start Infinity", "demo", "/api/passages/nope-00001", 422, "start", {"start": "Infinity", "end": "5"}),
    get("passage start negative", "demo", "/api/passages/nope-00001", 422, "start", {"start": "-1", "end": "5"}),
    get("passage start a float", "demo", "/api/passages/nope-00001", 422, "start", {"start": "1.5", "end": "5"}),
    get("passage start 10**30", "demo", "/api/passages/nope-00001", 422, "start", {"start": str(10**30), "end": "5"}),
    get("passage end a word", "demo", "/api/passages/nope-00001", 422, "end", {"start": "1", "end": "five"}),
    get("passage start without end", "demo", "/api/passages/nope-00001", 422, "pair", {"start": "5"}),
    get("passage start after end", "demo", "/api/passages/nope-00001", 422, "start (50) is after end (10)",
        {"start": "50", "end": "10"}),
    get("file of an unknown document", "demo", "/api/documents/no/such.pdf/file", 404, "no such document"),
    get("file climbing out", "demo", "/api/documents/%2e%2e/%2e%2e/etc/passwd/file", 404, "no such document"),
    get("file of surrogate bytes", "demo", "/api/documents/%ED%A0%80/file", 404, "no such document"),
    get("static file climbing out", "demo", "/static/%2e%2e/app.py", 404, "not found"),
    # --- page images ---------------------------------------------------------------------------
    get("page 0", "pdf", f"/api/documents/{PDF_ID}/pages/0.png", 404, "page 0 is not in this document"),
    get("page past the end", "pdf", f"/api/documents/{PDF_ID}/pages/3.png", 404, "not in this document (2 pages)"),
    get("page 10**25", "pdf", f"/api/documents/{PDF_ID}/pages/{10**25}.png", 404, "not in this document"),
    get("page of a text paper", "pdf", f"/api/documents/{NOTE_ID}/pages/1.png", 404, "not a pdf"),
    get("page of an unknown document", "pdf", "/api/documents/no/such.pdf/pages/1.png", 404, "no such document"),
    get("page 1.5", "pdf", f"/api/documents/{PDF_ID}/pages/1.5.png", 404, "no such document"),
    get("page with a long passage id", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 422, "passage",
        {"passage": "p" * 101}),
    get("page with an unknown passage", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 404, "no such passage",
        {"passage": "nope-00001"}),
    get("page with another document's passage", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 404,
        "no such passage in this document", {"passage": "{NOTE_PASSAGE}"}),
    get("page with a surrogate passage id", "pdf", f"/api/documents/{PDF_ID}/pages/1.png?passage=%ED%B3%BF", 404,
        "no such passage"),
    get("page start NaN", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 422, "start",
        {"passage": "nope-00001", "start": "NaN", "end": "3"}),
    get("page start without a passage", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 422, "give the passage",
        {"start": "0", "end": "3"}),
    get("page start after end", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 422, "after end",
        {"passage": "{PDF_PASSAGE}", "start": "9", "end": "3"}),
    get("page end without start", "pdf", f"/api/documents/{PDF_ID}/pages/1.png", 422, "pair",
        {"passage": "{PDF_PASSAGE}", "end": "3"}),
    # --- callers (api/callers.py): a bearer token no one holds is refused, not taken as the public
    Case("me with a token no one holds", "demo", "GET", "/api/me", 401, "not recognised",
         headers={"Authorization": "Bearer nobody-holds-this"}),
    Case("ask with a token no one holds", "demo", "POST", "/api/ask", 401, "not recognised",
         f'{{{Q}}}'.encode(), {"Authorization": "Bearer nobody-holds-this", **JSON}),
    Case("documents with a token no one holds", "pdf", "GET", f"/api/documents/{PDF_ID}", 401, "not recognised",
         headers={"Authorization": "Bearer nobody-holds-this"}),
    # --- admin routes ---------------------------------------------------------------------------
    Case("upload without a token", "admin", "POST", "/api/documents", 401, "admin token",
         files={"file": ("a.txt", b"hello", "text/plain")}),
    Case("upload with a non-ASCII token", "admin", "POST", "/api/documents", 401, "admin token",
         headers={"Authorization": "Bearer s3cret-tokén".encode()},
         files={"file": ("a.txt", b"hello", "text/plain")}),
    Case("upload with Basic auth", "admin", "POST", "/api/documents", 401, "admin token",
         headers={"Authorization": "Basic czNjcmV0LXRva2Vu"}, files={"file": ("a.txt", b"hello", "text/plain")}),
    Case("upload as JSON", "admin", "POST", "/api/documents", 422, "file: field required", b'{"file":"a.txt"}',
         {**ADMIN, **JSON}),
    Case("upload as NaN JSON", "admin", "POST", "/api/documents", 400, NOT_STRICT, b'{"file":NaN}', {**ADMIN, **JSON}),
    Case("upload of a JSON body over 64 kB", "admin", "POST", "/api/documents", 413, "json request body is larger",
         json.dumps({"file": "x" * 70_000}).encode(), JSON),
    Case("upload without a file field", "admin", "POST", "/api/documents", 422, "file: field required",
         b"--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--x--\r\n",
         MULTIPART),
    Case("upload with a text field for the file", "admin", "POST", "/api/documents", 422, "file",
         b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello\r\n--x--\r\n",
         MULTIPART),
    Case("upload multipart without a boundary", "admin", "POST", "/api/documents", 400, "boundary",
         b"hello", {**ADMIN, "content-type": "multipart/form-data"}),
    Case("upload multipart cut short", "admin", "POST", "/api/documents", 422, "file: field required",
         b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhel",
         MULTIPART),
    Case("upload a program", "admin", "POST", "/api/documents", 415, "files can be added",
         headers=ADMIN, files={"file": ("run.exe", b"MZ", "application/octet-stream")}),
    Case("upload with no file name", "admin", "POST", "/api/documents", 422, "file",
         headers=ADMIN, files={"file": ("", b"hello", "text/plain")}),
    Case("upload a dot file", "admin", "POST", "/api/documents", 415, "files can be added",
         headers=ADMIN, files={"file": (".txt", b"hello", "text/plain")}),
    Case("upload a name of invalid UTF-8", "admin", "POST", "/api/documents", 415, "files can be added",
         b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xff\xfe\"\r\n\r\nhello\r\n--x--\r\n",
         MULTIPART),
    Case("upload a corrupt PDF", "admin", "POST", "/api/documents", 422, "could not be ingested",
         headers=ADMIN, files={"file": ("corrupt.pdf", b"%PDF-1.7 not really", "application/pdf")}),
    Case("upload an empty paper", "admin", "POST", "/api/documents", 422, "could not be ingested",
         headers=ADMIN, files={"file": ("empty.txt", b"", "text/plain")}),
    Case("upload over the limit", "admin", "POST", "/api/documents", 413, "larger than",
         headers=ADMIN, files={"file": ("big.txt", b"x" * 140_000, "text/plain")}),
    Case("delete without a token", "admin", "DELETE", f"/api/documents/{NOTE_ID}", 401, "admin token"),
    Case("delete an unknown document", "admin", "DELETE", "/api/documents/no/such.txt", 404, "no such document",
         headers=ADMIN),
    Case("delete surrogate bytes", "admin", "DELETE", "/api/documents/%ED%A0%80", 404, "no such document",
         headers=ADMIN),
    Case("reingest without a token", "admin", "POST", "/api/admin/reingest", 401, "admin token"),
    Case("reingest with a NaN body", "admin", "POST", "/api/admin/reingest", 400, NOT_STRICT, b"[NaN]",
         {**ADMIN, **JSON}),
    Case("GET reingest", "admin", "GET", "/api/admin/reingest", 405, "method not allowed", headers=ADMIN),
    Case("index changes with the admin routes off", "demo", "DELETE", f"/api/documents/{DEMO_ID}", 403, "disabled"),
]


@pytest.fixture(scope="module")
def clients(demo_index, papers_index, settings, tmp_path_factory):
    copy = tmp_path_factory.mktemp("malformed-admin") / "index"
    shutil.copytree(papers_index, copy)
    admin = Settings(**{**settings.model_dump(), "admin_token": TOKEN, "max_upload_bytes": 128 * 1024})
    pdf = TestClient(create_app(papers_index, settings))
    passages = {doc: pdf.get(f"/api/documents/{doc}").json()["passages"][0]["id"] for doc in (PDF_ID, NOTE_ID)}
    return {"demo": TestClient(create_app(demo_index, settings)), "pdf": pdf,
            "admin": TestClient(create_app(copy, admin)),
            "tokens": {"{PDF_PASSAGE}": passages[PDF_ID], "{NOTE_PASSAGE}": passages[NOTE_ID]}}


def message(response) -> str:
    body = response.json()  # every refusal is JSON
    detail = body["detail"]
    if isinstance(detail, list):
        assert detail and all(isinstance(d.get("msg"), str) and d["msg"] for d in detail), body
        return "; ".join(d["msg"] for d in detail)
    assert isinstance(detail, str) and detail, body
    return detail


def send(clients, case: Case):
    client = clients[case.target]
    params = {k: clients["tokens"].get(v, v) for k, v in (case.params or {}).items()} or None
    return client.request(case.method, case.path, content=case.body, headers=case.headers, files=case.files,
                          params=params, follow_redirects=False)


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_malformed_request_is_refused_clearly(clients, case):
    response = send(clients, case)
    assert response.status_code < 500, (case.name, response.status_code, response.text[:300])
    assert response.status_code == case.status, (case.name, response.status_code, response.text[:300])
    said = message(response)
    assert case.says.lower() in said.lower(), (case.name, said)
    # The refusal says what is wrong; it does not echo a large input back.
    assert len(response.content) < 2000, (case.name, len(response.content))


def test_the_catalogue_reaches_every_public_route(clients):
    app = clients["demo"].app
    routes = {(method, route.path) for route in app.routes if getattr(route, "include_in_schema", False)
              for method in getattr(route, "methods", ()) if method != "HEAD"}
    reached = set()
    for case in CATALOGUE:
        for route in clients[case.target].app.routes:
            if not getattr(route, "include_in_schema", False) or case.method not in getattr(route, "methods", ()):
                continue
            match, _ = route.matches({"type": "http", "path": case.path, "method": case.method})
            if match.name == "FULL":
                reached.add((case.method, route.path))
                break
    # Health takes no input: a wrong method is all that can be malformed about it.
    missing = routes - reached - {("GET", "/api/health"), ("GET", "/api/documents")}
    assert not missing, f"routes no malformed request is sent to: {sorted(missing)}"
    assert len(CATALOGUE) >= 100


# --- the redirect, health, uploads ------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:443", "127.0.0.1@evil.example", "[::1]"])
def test_trailing_slash_redirect_is_relative_whatever_the_host_header(clients, host):
    for method, path in (("GET", "/documents/"), ("GET", "/docs/"), ("POST", "/api/ask/"), ("GET", "/documents/?x=1")):
        response = clients["demo"].request(method, path, headers={"host": host}, follow_redirects=False)
        assert response.status_code in (307, 308), (path, response.status_code)
        location = response.headers["location"]
        assert location.startswith("/") and not location.startswith("//") and "evil" not in location, location
        assert location.rstrip("?x=1").rstrip("/") == path.split("?")[0].rstrip("/")


def test_health_says_loading_until_a_question_can_be_answered_quickly(demo_index, settings, monkeypatch):
    release = threading.Event()
    real = app_module.embedder_for

    def slow_embedder(s):  # the startup load, held until the test lets it finish
        release.wait(60)
        return real(s)

    monkeypatch.setattr(app_module, "embedder_for", slow_embedder)
    # Without the app's startup (lifespan) nothing has been loaded for it: not ready.
    assert TestClient(create_app(demo_index, settings)).get("/api/health").json()["ready"] is False
    with TestClient(create_app(demo_index, settings)) as client:  # runs the startup
        loading = client.get("/api/health").json()
        assert loading["status"] == "ok" and loading["index_ready"] is True
        assert loading["state"] == "loading" and loading["ready"] is False
        release.set()
        deadline = time.monotonic() + 120
        while (body := client.get("/api/health").json())["state"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert body["state"] == "loaded" and body["ready"] is True and body["load_seconds"] >= 0, body
        # Ready means it: the next question is answered without loading anything.
        started = time.perf_counter()
        answer = client.post("/api/ask", json={"question": "What did the committee agree about foster care?"})
        assert answer.status_code == 200 and time.perf_counter() - started < 5


def test_health_is_not_ready_without_an_index(tmp_path, settings):
    with TestClient(create_app(tmp_path / "nothing", settings)) as client:
        deadline = time.monotonic() + 120
        while (body := client.get("/api/health").json())["state"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert body["state"] == "loaded" and body["index_ready"] is False and body["ready"] is False


@pytest.fixture()
def admin_client(papers_index, settings, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(papers_index, copy)
    admin = Settings(**{**settings.model_dump(), "admin_token": TOKEN})
    return TestClient(create_app(copy, admin)), copy / "uploads"


def test_a_300_character_file_name_is_shortened_safely(admin_client):
    client, uploads = admin_client
    paper = b"Report to:\tCABINET\nDate of Meeting:\t8 May 2024\n\nPARKS\n\nThe Cabinet agreed to plant 90 trees.\n"
    long_a, long_b = "a" * 296 + ".txt", "a" * 295 + "b.txt"
    first = client.post("/api/documents", headers=ADMIN, files={"file": (long_a, paper, "text/plain")})
    assert first.status_code == 201, first.text
    second = client.post("/api/documents", headers=ADMIN, files={"file": (long_b, paper + b"Also 4 benches.\n", "text/plain")})
    assert second.status_code == 201, second.text
    names = sorted(p.name for p in uploads.iterdir())
    # Two long names that differ only past the cut stay two files, each short enough for any disk.
    assert len(names) == 2 and all(len(n.encode()) <= 150 and n.endswith(".txt") for n in names), names
    documents = {d["id"] for d in client.get("/api/documents").json()["documents"]}
    assert set(names) <= documents


def test_a_rejected_upload_is_not_left_in_the_uploads_folder(admin_client):
    client, uploads = admin_client
    rejected = client.post("/api/documents", headers=ADMIN, files={"file": ("corrupt.pdf", b"%PDF-1.7 junk", "application/pdf")})
    assert rejected.status_code == 422 and "could not be ingested" in rejected.json()["detail"]
    assert not (uploads / "corrupt.pdf").exists()
    assert not [p for p in uploads.iterdir()] if uploads.exists() else True
    # A failed replacement of an earlier upload leaves the earlier file as it was.
    good = b"Report to:\tCABINET\n\nLIBRARIES\n\nThe Cabinet agreed to open 4 new libraries.\n"
    assert client.post("/api/documents", headers=ADMIN, files={"file": ("libraries.txt", good, "text/plain")}).status_code == 201
    again = client.post("/api/documents", headers=ADMIN, files={"file": ("libraries.txt", b"", "text/plain")})
    assert again.status_code == 422
    assert (uploads / "libraries.txt").read_bytes() == good
    assert client.get("/api/documents/libraries.txt").json()["document"]["has_original"] is True


def test_deleting_the_last_document_leaves_a_valid_empty_index(admin_client):
    client, _ = admin_client
    for doc in (PDF_ID, NOTE_ID):
        deleted = client.delete(f"/api/documents/{doc}", headers=ADMIN)
        assert deleted.status_code == 200 and deleted.json()["removed"] == [doc], deleted.text
    assert client.get("/api/documents").json()["documents"] == []
    assert client.get("/api/health").json()["index_ready"] is True
    empty = client.post("/api/ask", json={"question": "What budget did the Cabinet approve?"})
    assert empty.status_code == 200 and empty.json()["abstained"] and empty.json()["passages"] == []
    assert client.delete(f"/api/documents/{NOTE_ID}", headers=ADMIN).status_code == 404
    # And the empty index takes a new paper.
    paper = b"Report to:\tCABINET\n\nLIBRARIES\n\nThe Cabinet agreed to open 4 new libraries.\n"
    assert client.post("/api/documents", headers=ADMIN, files={"file": ("libraries.txt", paper, "text/plain")}).status_code == 201
    answer = client.post("/api/ask", json={"question": "How many new libraries did the Cabinet agree to open?"}).json()
    assert "4 new libraries" in answer["answer"]
