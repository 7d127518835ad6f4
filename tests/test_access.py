"""Confidential papers stay confidential. A paper marked exempt (Schedule 12A: "NOT FOR
PUBLICATION") ingested beside the public papers reaches a caller with a member's token, and is
recorded in the access log when it does; to a caller without one it does not exist, by any
route. Papers that only mention exempt business stay public, and a sidecar decides over any
marking. The papers are made up here; the real model indexes them."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from councilqa.api.app import create_app
from councilqa.api.callers import UsersFileError, read_users, token_hash
from councilqa.cli import main as cli
from councilqa.index.search import Filters, Searcher
from councilqa.index.store import load_index
from councilqa.ingest.access import folder_marking, marking
from councilqa.ingest.pipeline import ingest
from councilqa.qa.service import QAService
from councilqa.settings import Settings
from pdfs import text_pdf
from test_browser import browser, page_for  # noqa: F401 - fixtures for the browser test below

PRICE = "4,732,150"  # the exempt paper's sale price: the public must never see it
MEETING = "2024-06-12-cabinet"
SALE = f"{MEETING}/depot-sale.pdf"
CLOSURE = f"{MEETING}/depot-closure.pdf"
AGENDA = f"{MEETING}/agenda.pdf"
LEASE = f"{MEETING}/lease-note.pdf"
ALLOTMENTS = f"{MEETING}/allotments.pdf"
MEMBER_TOKEN = "member-token-for-tests"
OFFICER_TOKEN = "officer-token-for-tests"
MEMBER = {"Authorization": f"Bearer {MEMBER_TOKEN}"}
SALE_QUESTION = "How much was the Riverside Road depot sold for?"


def write_papers(folder):
    meeting = folder / MEETING
    meeting.mkdir(parents=True)
    banner = ["NOT FOR PUBLICATION", "Exempt information under paragraph 3 of Part 1 of Schedule 12A", ""]
    # The banner heads every page, so cleaning drops it as page furniture: it must be found on
    # the raw pages.
    text_pdf(meeting / "depot-sale.pdf", [
        banner + ["Report to: CABINET", "Date of Meeting: 12 June 2024", "", "SALE OF RIVERSIDE ROAD DEPOT", "",
                  "1. This report is exempt under paragraph 3 of Part 1 of Schedule 12A of the",
                  "Local Government Act 1972: it concerns the council's financial affairs."],
        banner + ["2. DECISION", "",
                  f"The Cabinet agreed to sell the Riverside Road depot to Harbour Homes Ltd for £{PRICE}.",
                  "Completion of the sale is expected in September 2024."],
        banner + ["3. RISKS", "", "The buyer may withdraw if planning consent is refused."],
    ], title="Sale of Riverside Road depot")
    text_pdf(meeting / "depot-closure.pdf", [
        ["Report to: CABINET", "Date of Meeting: 12 June 2024", "", "RIVERSIDE ROAD DEPOT CLOSURE", "",
         "1. The Riverside Road depot will close in March 2025.",
         "2. Its 40 staff will move to the Eastgate depot, which has room for them."],
    ], title="Riverside Road depot closure")
    # A public agenda that lists the exempt item and moves to exclude the public for it.
    text_pdf(meeting / "agenda.pdf", [
        ["AGENDA", "CABINET", "Wednesday, 12 June 2024 at 10.00 am", "", "UNRESTRICTED ITEMS",
         "1. Apologies", "2. Riverside Road depot closure (Pages 3 - 6)", "",
         "Motion to exclude the press and public",
         "That under Section 100A of the Local Government Act 1972 the press and public be excluded",
         "for the following item on the grounds that it involves the likely disclosure of exempt",
         "information as defined in paragraph 3 of Part 1 of Schedule 12A of the Act.", "",
         "EXEMPT ITEMS", "3. Sale of Riverside Road depot (NOT FOR PUBLICATION)"],
    ], title="Cabinet agenda")
    # Marked at the top, but the council has since published it: its sidecar says public.
    text_pdf(meeting / "lease-note.pdf", [
        ["RESTRICTED", "", "Report to: CABINET", "Date of Meeting: 12 June 2024", "", "MARKET HALL LEASE", "",
         "1. The market hall lease was renewed for 15 years at a rent of 38,000 pounds a year."],
    ], title="Market hall lease")
    (meeting / "lease-note.pdf.meta.json").write_text(json.dumps({"access": "public"}), encoding="utf-8")
    # Unmarked, but its sidecar restricts it.
    text_pdf(meeting / "allotments.pdf", [
        ["Report to: CABINET", "Date of Meeting: 12 June 2024", "", "ALLOTMENT SITE PURCHASE", "",
         "1. The council offered 91,250 pounds for the Hilltop allotment site."],
    ], title="Allotment site purchase")
    (meeting / "allotments.pdf.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def papers(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("access")
    write_papers(root / "papers")
    report = ingest([root / "papers"], root / "index", settings, progress=False)
    assert report.added == 5 and not report.failed, report.summary()
    users = root / "users.toml"
    users.write_text(
        f'[[users]]\nname = "Cllr Ada Example"\nrole = "member"\ntoken_sha256 = "{token_hash(MEMBER_TOKEN)}"\n\n'
        f'[[users]]\nname = "Public Viewer"\nrole = "public"\ntoken_sha256 = "{token_hash("viewer-token")}"\n',
        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def app_settings(papers, settings):
    return Settings(**{**settings.model_dump(), "users_file": papers / "users.toml", "audit_log": papers / "audit.jsonl"})


@pytest.fixture(scope="module")
def client(papers, app_settings):
    return TestClient(create_app(papers / "index", app_settings))


def audit_lines(papers) -> list[dict]:
    path = papers / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def sale_passages(papers, settings) -> list[str]:
    data, *_ = load_index(papers / "index")
    return [c.id for c in data.chunks if c.document_id == SALE]


def test_each_document_gets_an_access_level_with_its_reason(papers):
    documents = load_index(papers / "index")[0].documents
    assert documents[SALE].access == "restricted" and "NOT FOR PUBLICATION" in documents[SALE].access_reason
    assert documents[CLOSURE].access == "public"
    assert documents[AGENDA].access == "public", documents[AGENDA].access_reason  # only mentions the exempt item
    assert documents[LEASE].access == "public" and "overriding" in documents[LEASE].access_reason
    assert documents[ALLOTMENTS].access == "restricted" and "meta.json" in documents[ALLOTMENTS].access_reason


def test_the_public_never_sees_a_restricted_paper(client, papers, settings):
    before = len(audit_lines(papers))
    bodies = []

    def get(path, **params):
        response = client.get(path, params=params)
        bodies.append(response.text)
        return response

    # Asked outright, after a follow-up, and with the paper's own sentence pasted in.
    for request in ({"question": SALE_QUESTION},
                    {"question": "and who bought it?", "history": ["What did Cabinet agree about the Riverside Road depot?"]},
                    {"question": "The Cabinet agreed to sell the Riverside Road depot to"},
                    {"question": "What did the council offer for the Hilltop allotment site?"}):
        answer = client.post("/api/ask", json=request)
        assert answer.status_code == 200
        bodies.append(answer.text)
        body = answer.json()
        assert {c["document"] for c in body["citations"]} | {p["document"] for p in body["passages"]} <= {CLOSURE, AGENDA, LEASE}
    listing = get("/api/documents").json()
    assert {d["id"] for d in listing["documents"]} == {CLOSURE, AGENDA, LEASE}
    missing = get("/api/documents/no-such-paper.pdf")
    for path in (f"/api/documents/{SALE}", f"/api/documents/{SALE}/file", f"/api/documents/{SALE}/pages/1.png",
                 f"/api/documents/{ALLOTMENTS}"):
        refused = get(path)
        assert (refused.status_code, refused.json()) == (404, missing.json())  # as if it were not there
    unknown_passage = get("/api/passages/nope-00001")
    for passage_id in sale_passages(papers, settings):
        refused = get(f"/api/passages/{passage_id}")
        assert (refused.status_code, refused.json()) == (404, unknown_passage.json())
    # A token whose role is public is the public too.
    viewer = client.get("/api/documents", headers={"Authorization": "Bearer viewer-token"}).json()
    assert {d["id"] for d in viewer["documents"]} == {CLOSURE, AGENDA, LEASE}
    for text in bodies:
        assert PRICE not in text, text
        assert PRICE not in text and "Harbour Homes" not in text and "91,250" not in text
        assert "depot-sale" not in text and "allotments" not in text
    assert len(audit_lines(papers)) == before  # nothing restricted went out, so nothing to record


def test_a_public_answer_is_the_one_the_public_papers_alone_give(client, papers, settings, tmp_path):
    public_only = tmp_path / "papers"
    shutil.copytree(papers / "papers", public_only)
    for name in ("depot-sale.pdf", "allotments.pdf", "allotments.pdf.meta.json"):
        (public_only / MEETING / name).unlink()
    ingest([public_only], tmp_path / "index", settings, progress=False)
    alone = QAService(tmp_path / "index", settings).ask(SALE_QUESTION)
    given = client.post("/api/ask", json={"question": SALE_QUESTION}).json()
    assert given["answer"] == alone.answer
    assert [c["passage_id"] for c in given["citations"]] == [c.passage_id for c in alone.citations]


def test_search_leaves_restricted_papers_out_unless_asked(papers, settings, capsys):
    searcher = Searcher(papers / "index", settings)
    public = searcher.search("Riverside Road depot sale price Harbour Homes", k=20, filters=Filters())
    assert public and SALE not in {p.document for p in public}
    everyone = searcher.search("Riverside Road depot sale price Harbour Homes", k=20, filters=Filters(include_restricted=True))
    assert SALE in {p.document for p in everyone}
    assert cli(["search", "Harbour Homes depot sale", "--public", "--index", str(papers / "index")]) == 0
    assert "depot-sale" not in capsys.readouterr().out
    assert cli(["documents", "--index", str(papers / "index")]) == 0
    listed = capsys.readouterr().out
    assert "RESTRICTED: marked exempt" in listed and "(2 restricted" in listed


def test_a_member_sees_restricted_papers_and_the_access_log_records_it(client, papers):
    assert client.get("/api/me", headers=MEMBER).json() == {
        "name": "Cllr Ada Example", "role": "member", "signed_in": True, "sees_restricted": True}
    assert client.get("/api/me").json()["signed_in"] is False
    before = len(audit_lines(papers))
    body = client.post("/api/ask", json={"question": SALE_QUESTION}, headers=MEMBER).json()
    assert PRICE in body["answer"], body["answer"]
    cited = [c for c in body["citations"] if c["document"] == SALE]
    assert cited and all(c["access"] == "restricted" for c in cited)
    listing = client.get("/api/documents", headers=MEMBER).json()
    sale = next(d for d in listing["documents"] if d["id"] == SALE)
    assert sale["access"] == "restricted" and "NOT FOR PUBLICATION" in sale["access_reason"]
    page = client.get(f"/api/documents/{SALE}/pages/2.png", headers=MEMBER,
                      params={"passage": cited[0]["passage_id"], "start": cited[0]["start"], "end": cited[0]["end"]})
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert client.get(f"/api/documents/{SALE}/file", headers=MEMBER).content.startswith(b"%PDF")
    assert client.get(f"/api/passages/{cited[0]['passage_id']}", headers=MEMBER).status_code == 200
    lines = audit_lines(papers)[before:]
    assert [line["route"] for line in lines] == [
        "POST /api/ask", "GET /api/documents", f"GET /api/documents/{SALE}/pages/2.png",
        f"GET /api/documents/{SALE}/file", f"GET /api/passages/{cited[0]['passage_id']}"]
    assert all(line["who"] == "Cllr Ada Example" and line["role"] == "member" and line["time"] for line in lines)
    assert SALE in lines[0]["documents"] and set(lines[1]["documents"]) == {SALE, ALLOTMENTS}


def test_tokens_are_checked(client, papers, app_settings):
    wrong = client.get("/api/documents", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert SALE not in wrong.text
    # Another scheme (a proxy's own login) is no token at all: the public.
    basic = client.get("/api/documents", headers={"Authorization": "Basic dXNlcjpwYXNz"}).json()
    assert {d["id"] for d in basic["documents"]} == {CLOSURE, AGENDA, LEASE}
    # A member may not change the index.
    assert client.post("/api/admin/reingest", headers=MEMBER).status_code == 403


def test_the_admin_token_still_works_and_sees_restricted_papers(papers, app_settings):
    admin = Settings(**{**app_settings.model_dump(), "admin_token": "s3cret-admin"})
    client = TestClient(create_app(papers / "index", admin))
    assert client.get("/api/health").json()["admin_enabled"] is True
    listing = client.get("/api/documents", headers={"Authorization": "Bearer s3cret-admin"}).json()
    assert SALE in {d["id"] for d in listing["documents"]}
    member_change = client.delete(f"/api/documents/{CLOSURE}", headers=MEMBER)
    assert member_change.status_code == 403 and "admin" in member_change.json()["detail"]


def test_restricted_content_is_not_given_out_unrecorded(papers, app_settings):
    (papers / "not-a-folder").write_text("", encoding="utf-8")
    broken = Settings(**{**app_settings.model_dump(), "audit_log": papers / "not-a-folder" / "audit.jsonl"})
    client = TestClient(create_app(papers / "index", broken))
    assert client.post("/api/ask", json={"question": SALE_QUESTION}, headers=MEMBER).status_code == 503
    public = client.post("/api/ask", json={"question": SALE_QUESTION})  # nothing to record: answered
    assert public.status_code == 200 and PRICE not in public.text


def test_a_changed_sidecar_takes_effect_without_the_file_changing(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    note = papers / "depot-note.txt"
    note.write_text("Report to: CABINET\n\nDEPOT\n\nThe depot roof will be replaced in 2025 for 310,000 pounds.\n",
                    encoding="utf-8")
    ingest([papers], tmp_path / "index", settings, progress=False)
    assert load_index(tmp_path / "index")[0].documents["depot-note.txt"].access == "public"
    (papers / "depot-note.txt.meta.json").write_text('{"access": "restricted"}', encoding="utf-8")
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.unchanged == 1
    doc = load_index(tmp_path / "index")[0].documents["depot-note.txt"]
    assert doc.access == "restricted" and "depot-note.txt.meta.json" in doc.access_reason
    (papers / "depot-note.txt.meta.json").write_text('{"access": "secret"}', encoding="utf-8")
    report = ingest([papers], tmp_path / "index", settings, progress=False)
    assert report.failed and "access must be" in report.failed[0].reason  # a typo never makes it public
    assert load_index(tmp_path / "index")[0].documents["depot-note.txt"].access == "restricted"


@pytest.mark.parametrize("pages,expected", [
    (["NOT FOR PUBLICATION\nReport to Cabinet"], True),
    (["Report to: Cabinet\nSubject: Depot\nClassification: Exempt - paragraph 3\nSummary"], True),
    (["PART 2\nReport of the Director"], True),
    (["Appendix 2 - NOT FOR PUBLICATION\nValuation"], True),
    (["Report to Cabinet\n" + "text\n" * 20 + "This report is exempt under paragraph 3 of Schedule 12A."], True),
    # Mentions, not markings: Kent's "Classification: Unrestricted", a decision form's template
    # line, a report exempt from call-in, a cover report's exempt appendix, minutes of an exclusion.
    (["By: Director\nSubject: Budget\nClassification: Unrestricted\nSummary"], False),
    (["RECORD OF DECISION\nFor publication [Do not include information which is exempt from publication under "
      "schedule 12a of the Local Government Act 1972]"], False),
    (["Report to Cabinet\n" + "text\n" * 20 + "This report is exempt from call-in because the decision is urgent."], False),
    (["Report to Cabinet\nClassification: Unrestricted\n" + "text\n" * 20 +
      "Appendix 2 is not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A."], False),
    (["MINUTES of a meeting of the Cabinet\nRESOLVED that the press and public be excluded as the item involves "
      "exempt information as defined in paragraph 3 of Part 1 of Schedule 12A."], False),
    (["Report to Cabinet\nPart 2: Seashells\nThe services on offer"], False),
    (["CONFIDENTIAL REPORTING CODE\nReport to Governance Committee"], False),
])
def test_markings_and_mentions(pages, expected):
    assert bool(marking(pages)) is expected, marking(pages)


def test_exempt_folders():
    assert folder_marking("2024-06-12-cabinet/Part 2 papers/x.pdf") == "Part 2 papers"
    assert folder_marking("exempt/x.pdf") == "exempt"
    assert folder_marking("cabinet/part-ii/x.pdf") == "part-ii"
    assert folder_marking("confidential/x.pdf") == "confidential"
    for public in ("unrestricted/x.pdf", "non-exempt/x.pdf", "private-sector-housing/x.pdf", "exempt-report.pdf",
                   "2025-03-13-full-council/originals/x.pdf"):
        assert folder_marking(public) == "", public


def test_users_file_in_json_and_its_mistakes(tmp_path):
    good = tmp_path / "users.json"
    good.write_text(json.dumps({"users": [{"name": "Officer O", "role": "officer", "token_sha256": token_hash(OFFICER_TOKEN)}]}))
    [(digest, caller)] = read_users(good).items()
    assert digest == token_hash(OFFICER_TOKEN) and caller.sees_restricted and caller.role == "officer"
    for users, says in (([{"name": "X", "role": "mayor", "token_sha256": "0" * 64}], "roles are"),
                        ([{"name": "X", "role": "member", "token_sha256": "plain-token"}], "token_sha256"),
                        ([{"name": "X", "role": "member", "token_sha256": "a" * 64},
                          {"name": "Y", "role": "member", "token_sha256": "a" * 64}], "same token")):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"users": users}))
        with pytest.raises(UsersFileError, match=says):
            read_users(bad)


@pytest.mark.browser
def test_the_chat_page_signs_in_and_labels_restricted_sources(page_for, client, papers, app_settings):
    from conftest import ARTIFACTS
    from live import LiveServer
    from test_browser import ask as ask_in_page

    with LiveServer(create_app(papers / "index", app_settings)) as server:
        page = page_for(server.url)
        assert "Harbour Homes" not in ask_in_page(page, SALE_QUESTION).inner_text()
        # (A wrong token is refused with 401, which the page's error check would count: see
        # test_tokens_are_checked.)
        page.locator("#sign-in summary").click()
        page.fill("#token", MEMBER_TOKEN)
        with page.expect_navigation():
            page.locator("#sign-in-form button").click()
        page.locator("#signed-in-as").filter(has_text="Signed in as Cllr Ada Example (member)").wait_for()
        answer = ask_in_page(page, SALE_QUESTION)
        assert PRICE in answer.locator(".answer-text").inner_text()
        assert answer.locator(".sources .restricted-label").count() >= 1
        answer.locator(".answer-text .chip-restricted").first.click()
        viewer = page.locator("#viewer")
        assert "Restricted" in viewer.locator(".meta").inner_text()
        image = viewer.locator("img.page-image")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0 && img.src.startsWith('data:')",
                               arg=image.element_handle())
        page.screenshot(path=str(ARTIFACTS / "restricted-source.png"))
        page.keyboard.press("Escape")
        page.goto(server.url + "/documents")
        page.locator("#documents tbody tr").first.wait_for()
        assert page.locator("#documents .restricted-label").count() == 2
        with page.expect_navigation():
            page.locator("#sign-out").click()
        page.locator("#documents tbody tr").first.wait_for()
        assert page.locator("#documents tbody tr").count() == 3 and "Harbour" not in page.content()


def test_an_upload_may_be_restricted(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "roads.txt").write_text("Report to: CABINET\n\nROADS\n\nThe Cabinet agreed to resurface 12 miles of road.\n",
                                      encoding="utf-8")
    ingest([papers], tmp_path / "index", settings, progress=False)
    client = TestClient(create_app(tmp_path / "index", Settings(**{**settings.model_dump(), "admin_token": "s3cret-admin",
                                                                   "audit_log": tmp_path / "audit.jsonl"})))
    admin = {"Authorization": "Bearer s3cret-admin"}
    paper = b"Report to: CABINET\n\nPOOL\n\nThe council will pay 77,400 pounds to settle the swimming pool claim.\n"
    wrong = client.post("/api/documents", headers=admin, data={"access": "secret"}, files={"file": ("pool.txt", paper, "text/plain")})
    assert wrong.status_code == 422 and not (tmp_path / "index" / "uploads" / "pool.txt").exists()
    added = client.post("/api/documents", headers=admin, data={"access": "restricted"}, files={"file": ("pool.txt", paper, "text/plain")})
    assert added.status_code == 201, added.text
    assert {d["id"] for d in client.get("/api/documents").json()["documents"]} == {"roads.txt"}
    assert client.get("/api/documents/pool.txt").status_code == 404
    assert "77,400" not in client.post("/api/ask", json={"question": "How much will the council pay for the pool claim?"}).text
    listed = client.get("/api/documents", headers=admin).json()["documents"]
    assert next(d for d in listed if d["id"] == "pool.txt")["access"] == "restricted"
