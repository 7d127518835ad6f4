"""Confidential papers stay confidential among real ones. Three exempt papers made here (one
marked NOT FOR PUBLICATION under Schedule 12A, one unmarked but restricted by its sidecar, one in
a meeting's `exempt` folder) are ingested with the demo papers and a handful of real Kent PDFs,
each in its meeting folder and each written about what the real papers beside it discuss. A
caller without a token is asked about them over every route the API has and is given none of
their words, figures, names or ids, while still getting the public papers' answers; a member's
token gets the same questions answered from them, cited by document and page. The evaluation,
run as the public and as a member, says the same."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import DEMO, KENT, copy_kent_papers, kent_available
from councilqa.api.app import create_app
from councilqa.api.callers import token_hash
from councilqa.cli import main as cli
from councilqa.eval.harness import evaluate, load_questions
from councilqa.index.store import load_index
from councilqa.ingest.pipeline import ingest
from councilqa.settings import Settings
from pdfs import text_pdf

# Real Kent papers, public, some about what the made-up exempt papers are about (the Seashells
# family hub, the council's treasury): an agenda with an "EXEMPT ITEMS" heading, an appendix
# headed "Part 2: Seashells" and a report marked "Status: Unrestricted" among them.
KENT_PAPERS = [
    "2025-03-04-cabinet/originals/Agenda frontsheet 04th-Mar-2025 10.00 Cabinet.pdf",
    "2025-03-04-cabinet/originals/Scrutiny Committee - call-in Family Hubs Report to Cabinet - FINAL.pdf",
    "2025-03-13-full-council/originals/Appendix 5 - Service Offer Comparison.pdf",
    "2025-03-13-full-council/originals/GAC TOR Update CC March 2025 Final.pdf",
    "2025-01-30-cabinet/originals/Appendix O - MRP.pdf",
]

MEMBER_TOKEN = "member-token-for-mixed-tests"
MEMBER = {"Authorization": f"Bearer {MEMBER_TOKEN}"}
VIEWER = {"Authorization": "Bearer viewer-token-for-mixed-tests"}  # a token whose role is public

# The exempt papers: where each is, what decides it is restricted, and the page its figure is on.
SALE = "kent/2025-03-04-cabinet/originals/Seashells building disposal.pdf"  # marked NOT FOR PUBLICATION
CLAIM = "blackpool/placement-fees-claim.pdf"  # unmarked; its sidecar restricts it
DEPOSIT = "kent/2025-01-30-cabinet/exempt/treasury-deposit.pdf"  # in an exempt folder
RESTRICTED = {SALE, CLAIM, DEPOSIT}

SALE_PRICE, SALE_BUYER = "3,186,420", "Marlowe Coastal Trust"
CLAIM_SUM, CLAIM_PARTY = "612,875", "Northgate Care Partnership"
DEPOSIT_SUM, DEPOSIT_BANK = "27,450,000", "Orwell Mutual Bank"
# Words, figures and names found in no public paper: none may reach the public.
SECRETS = [SALE_PRICE, "3186420", SALE_BUYER, "Marlowe", "14 rooms", "March 2031", "Sheerness Quay",
           CLAIM_SUM, "612875", CLAIM_PARTY, "Northgate Care", "23 placements",
           DEPOSIT_SUM, "27450000", DEPOSIT_BANK, "Orwell", "4.91 per cent", "364 days",
           "Seashells building disposal", "placement-fees-claim", "treasury-deposit", "Tamsin Roe"]

BANNER = ["NOT FOR PUBLICATION", "Exempt information under paragraph 3 of Part 1 of Schedule 12A", ""]


def write_restricted(papers: Path) -> None:
    sale = papers / SALE
    sale.parent.mkdir(parents=True, exist_ok=True)
    # The banner heads every page, as exempt reports print it.
    text_pdf(sale, [
        BANNER + ["By: Tamsin Roe, Director of Infrastructure", "To: Cabinet - 4 March 2025", "",
                  "Subject: Disposal of the Seashells Family Hub building", "",
                  "1. This report is exempt under paragraph 3 of Part 1 of Schedule 12A of the Local",
                  "Government Act 1972: it concerns the financial affairs of the council and of the buyer."],
        BANNER + ["2. Decision", "",
                  f"The Cabinet agreed to sell the freehold of the Seashells Family Hub building to {SALE_BUYER}",
                  f"for £{SALE_PRICE}. Completion is expected at Sheerness Quay offices in June 2025.",
                  "The buyer will keep 14 rooms for community use until March 2031."],
    ], title="Disposal of the Seashells Family Hub building")
    claim = papers / CLAIM
    claim.parent.mkdir(parents=True, exist_ok=True)
    text_pdf(claim, [
        ["Report to: CHILDREN AND YOUNG PEOPLE'S SCRUTINY COMMITTEE", "Date of Meeting: 27 March 2024", "",
         "RESIDENTIAL PLACEMENT FEES CLAIM", "",
         f"1. The council agreed to pay £{CLAIM_SUM} to settle the claim brought by {CLAIM_PARTY}",
         "over unpaid fees for children's residential placements.",
         "2. The settlement covers 23 placements made between 2021 and 2023."],
    ], title="Residential placement fees claim")
    (papers / f"{CLAIM}.meta.json").write_text(json.dumps({"access": "restricted"}), encoding="utf-8")
    deposit = papers / DEPOSIT
    deposit.parent.mkdir(parents=True, exist_ok=True)
    text_pdf(deposit, [
        ["By: Corporate Director Finance", "To: Cabinet - 30 January 2025", "",
         "Subject: Treasury deposit placed in December 2024", "",
         "1. This note reports one deposit made under the treasury management strategy."],
        ["2. The deposit", "",
         f"The council placed a deposit of £{DEPOSIT_SUM} with {DEPOSIT_BANK} for 364 days",
         "at 4.91 per cent, the best rate offered by the banks on the approved list."],
    ], title="Treasury deposit")


@dataclass
class Mixed:
    root: Path
    papers: Path
    index: Path
    settings: Settings
    public_ids: set[str]
    restricted_passages: list[str]
    restricted_bytes: list[str]  # SECRETS, the restricted papers' ids and passage ids, and their sentences

    def leaked(self, response, sent: str = "") -> list[str]:
        """The restricted bytes in a response (headers and body, and for JSON every string in it)
        that the caller did not send itself."""
        body = response.content.decode("utf-8", errors="replace")
        texts = [body, " ".join(f"{k}: {v}" for k, v in response.headers.items())]
        if response.headers.get("content-type", "").startswith("application/json"):
            texts += _strings(response.json())
        return self.leaked_text(" ".join(texts), sent)

    def leaked_text(self, text: str, sent: str = "") -> list[str]:
        seen, sent = _flat(text), _flat(sent)
        return [s for s in self.restricted_bytes if _flat(s) in seen and _flat(s) not in sent]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, settings) -> Mixed:
    if not kent_available():
        pytest.skip(f"Kent PDFs not found at {KENT}")
    root = tmp_path_factory.mktemp("mixed")
    papers = root / "papers"
    shutil.copytree(DEMO, papers / "blackpool")
    copy_kent_papers(papers / "kent", KENT_PAPERS)
    write_restricted(papers)
    report = ingest([papers], root / "index", settings, progress=False)
    assert not report.failed, report.summary()
    users = root / "users.toml"
    users.write_text(
        f'[[users]]\nname = "Cllr Mixed Example"\nrole = "member"\ntoken_sha256 = "{token_hash(MEMBER_TOKEN)}"\n\n'
        f'[[users]]\nname = "Public Viewer"\nrole = "public"\ntoken_sha256 = "{token_hash(VIEWER["Authorization"][7:])}"\n\n'
        f'[[users]]\nname = "Admin Example"\nrole = "admin"\ntoken_sha256 = "{token_hash("admin-token-never-sent")}"\n',
        encoding="utf-8")
    app_settings = Settings(**{**settings.model_dump(), "users_file": users, "audit_log": root / "audit.jsonl"})
    data = load_index(root / "index")[0]
    public_ids = {doc_id for doc_id, doc in data.documents.items() if doc.access == "public"}
    restricted_passages = [c.id for c in data.chunks if c.document_id in RESTRICTED]
    # Each secret is checked to be in the index (so a miss is not a typo) and in no public
    # passage (so finding one in a response means it came from a restricted paper); so is each
    # sentence of the restricted papers that is checked for.
    public_text = _flat(" ".join(c.text for c in data.chunks if c.document_id not in RESTRICTED))
    restricted_text = _flat(" ".join(c.text for c in data.chunks if c.document_id in RESTRICTED))
    for secret in SECRETS:
        assert _flat(secret) not in public_text, secret
    assert all(_flat(s) in restricted_text for s in [SALE_PRICE, SALE_BUYER, CLAIM_SUM, CLAIM_PARTY, DEPOSIT_SUM])
    sentences = [s for s in re.split(r"(?<=[.:])\s+", restricted_text) if len(s) >= 30 and s not in public_text]
    assert len(sentences) >= 8, sentences
    return Mixed(root, papers, root / "index", app_settings, public_ids, restricted_passages,
                 SECRETS + sorted(RESTRICTED) + restricted_passages + sentences)


@pytest.fixture(scope="module")
def client(mixed) -> TestClient:
    return TestClient(create_app(mixed.index, mixed.settings))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


# Questions aimed at the exempt papers: asked outright, narrowed to their meeting, as a
# follow-up, with a sentence of one pasted in, and naming what only they say.
PROBES = [
    {"question": "Who is buying the Seashells Family Hub building, and for how much?"},
    {"question": "What did the Cabinet agree to sell?", "committee": "Cabinet", "date_from": "2025-03-04",
     "date_to": "2025-03-04", "top_k": 50},
    {"question": "and what price was agreed?", "history": ["What did the Cabinet decide about the Seashells Family Hub building?"]},
    {"question": "The Cabinet agreed to sell the freehold of the Seashells Family Hub building to"},
    {"question": "Which rooms will be kept for community use at Seashells, and until when?"},
    {"question": "How much did the council pay to settle the claim over residential placement fees?", "top_k": 50},
    {"question": f"How many placements does the settlement with {CLAIM_PARTY} cover?"},
    {"question": "How much money did the council deposit with a bank for 364 days, and at what rate?"},
    {"question": f"Which bank holds the council's £{DEPOSIT_SUM} deposit?", "committee": "Cabinet",
     "date_from": "2025-01-30", "date_to": "2025-01-30"},
]

# Questions the public papers answer, with words the answer must hold and the papers it may cite.
# They are asked here to show that access control takes nothing public away, so each is one the
# answerer answers with a clear margin. A longer wording of the first ("... named on the ... terms
# of reference report?") sat on a near-tie: two passages of the report fuse within 0.0001 of each
# other, so a change of about 0.001 in a vector (bfloat16 vectors moved that much with the padding
# of their batch, before index/embedder.py embedded them unpadded) can decide which comes first
# and whether it is answered; one clean-clone CI run of several declined it.
KENT_GAC = "kent/2025-03-13-full-council/originals/GAC TOR Update CC March 2025 Final.pdf"
PUBLIC_QUESTIONS = [
    ("Who is the General Counsel?", "Ben Watts", {KENT_GAC}),
    ("Who is Blackpool's Head of Transformation and Principal Social Worker?", "Chadwick",
     {"blackpool/2024-03-27-cyp-scrutiny-minutes.txt", "blackpool/2024-03-27-cyp-scrutiny-blackpool-families-rock-report.txt"}),
]


def asked(probe: dict) -> str:
    return " ".join([probe["question"], *probe.get("history", [])])


def test_the_exempt_papers_are_restricted_and_the_real_ones_public(mixed):
    documents = load_index(mixed.index)[0].documents
    assert {d for d, doc in documents.items() if doc.access == "restricted"} == RESTRICTED
    assert "NOT FOR PUBLICATION" in documents[SALE].access_reason
    assert "meta.json" in documents[CLAIM].access_reason and "exempt" in documents[DEPOSIT].access_reason
    # The agenda's "EXEMPT ITEMS", the appendix's "Part 2: Seashells", every Kent and demo paper: public.
    assert {f"kent/{name}" for name in KENT_PAPERS} <= mixed.public_ids
    assert {f"blackpool/{p.name}" for p in DEMO.iterdir() if p.suffix == ".txt"} <= mixed.public_ids


def test_no_restricted_byte_reaches_the_public_by_any_route(mixed, client, capsys):
    audit = mixed.root / "audit.jsonl"
    before = audit.read_text(encoding="utf-8") if audit.exists() else ""
    checked = 0

    def check(response, sent: str = "", status: int | None = None):
        nonlocal checked
        assert status is None or response.status_code == status, (response.request.url, response.status_code, response.text[:300])
        assert not mixed.leaked(response, sent), (response.request.url, mixed.leaked(response, sent), response.text[:500])
        checked += 1
        return response

    for probe in PROBES:
        for headers in ({}, VIEWER):
            body = check(client.post("/api/ask", json=probe, headers=headers), asked(probe), 200).json()
            cited = {c["document"] for c in body["citations"]} | {d for p in body["passages"] for d in [p["document"], *p["also_in"]]}
            assert cited <= mixed.public_ids, (probe, cited - mixed.public_ids)

    listing = check(client.get("/api/documents"), status=200).json()
    assert {d["id"] for d in listing["documents"]} == mixed.public_ids
    assert {d["id"] for d in check(client.get("/api/documents", headers=VIEWER), status=200).json()["documents"]} == mixed.public_ids

    # A restricted document, its file, its pages and its passages are not there, exactly as a
    # missing one is not.
    missing = {suffix: client.get(f"/api/documents/kent/no-such-paper.pdf{suffix}") for suffix in ("", "/file", "/pages/1.png")}
    for doc_id in sorted(RESTRICTED):
        for suffix in ("", "/file", "/pages/1.png", "/pages/2.png"):
            for headers in ({}, VIEWER):
                refused = check(client.get(f"/api/documents/{doc_id}{suffix}", headers=headers), status=404)
                assert refused.json() == missing[suffix if suffix != "/pages/2.png" else "/pages/1.png"].json()
    unknown = client.get("/api/passages/nope-00001")
    in_public_pdf = client.get(f"/api/documents/{KENT_GAC}/pages/1.png", params={"passage": "nope-00001"})
    for passage_id in mixed.restricted_passages:
        refused = check(client.get(f"/api/passages/{passage_id}", params={"start": 0, "end": 10}), status=404)
        assert refused.json() == unknown.json()
        # Named as the passage to highlight on a public paper's page: no such passage there.
        page = check(client.get(f"/api/documents/{KENT_GAC}/pages/1.png", params={"passage": passage_id, "start": 0, "end": 40}),
                     status=404)
        assert page.json() == in_public_pdf.json()

    # The public papers are all there: every document, its passages, its pages and its file.
    for doc_id in sorted(mixed.public_ids):
        detail = check(client.get(f"/api/documents/{doc_id}"), status=200).json()
        first = detail["passages"][0]
        check(client.get(f"/api/passages/{first['id']}"), status=200)
        check(client.get(f"/api/documents/{doc_id}/file"), status=200)
        if doc_id.endswith(".pdf"):
            check(client.get(f"/api/documents/{doc_id}/pages/1.png", params={"passage": first["id"]}), status=200)

    # Everything else the service answers.
    for path in ("/api/health", "/api/me", "/", "/documents", "/openapi.json", "/docs", "/static/app.js"):
        check(client.get(path), status=200)
    # Changing the index (enabled: the users file has an admin) is refused, and refused alike for
    # a restricted id and a missing one.
    check(client.post("/api/admin/reingest"), status=401)
    gone = client.delete("/api/documents/kent/no-such-paper.pdf")
    for doc_id in sorted(RESTRICTED):
        for headers in ({}, VIEWER, MEMBER):
            refused = check(client.delete(f"/api/documents/{doc_id}", headers=headers))
            assert refused.status_code in (401, 403) and (headers or refused.json() == gone.json())
    check(client.post("/api/documents", files={"file": ("note.txt", b"Report to: CABINET\n\nA note.\n", "text/plain")}),
          status=401)
    assert RESTRICTED <= set(load_index(mixed.index)[0].documents)  # nothing was removed
    assert (audit.read_text(encoding="utf-8") if audit.exists() else "") == before  # nothing restricted went out
    assert checked > 100

    # The command line's search and ask, asked for what the public would be given.
    for probe in PROBES:
        for command in ("search", "ask"):
            assert cli([command, probe["question"], "--public", "--index", str(mixed.index)]) == 0
            printed = capsys.readouterr().out
            assert not mixed.leaked_text(printed, probe["question"]), (command, probe["question"], printed[:500])
    assert cli(["ask", PROBES[0]["question"], "--index", str(mixed.index)]) == 0  # without --public: everything
    assert SALE_PRICE in capsys.readouterr().out


@pytest.mark.parametrize("question,expected,documents", PUBLIC_QUESTIONS, ids=["kent", "blackpool"])
def test_the_public_still_gets_the_public_papers_answers(mixed, client, question, expected, documents):
    for headers in ({}, MEMBER):
        body = client.post("/api/ask", json={"question": question}, headers=headers).json()
        assert not body["abstained"] and expected in body["answer"], (headers, body["answer"])
        assert documents & {c["document"] for c in body["citations"]}, body["citations"]
        assert not mixed.leaked_text(json.dumps(body, ensure_ascii=False), question)


# What a member asks, the figure the answer gives and where it must be cited.
MEMBER_ANSWERS = [
    (PROBES[0], SALE_PRICE, SALE, 2),
    (PROBES[3], SALE_BUYER, SALE, 2),
    (PROBES[5], CLAIM_SUM, CLAIM, 1),
    (PROBES[7], DEPOSIT_SUM, DEPOSIT, 2),
]


@pytest.mark.parametrize("probe,figure,document,page", MEMBER_ANSWERS, ids=["sale-price", "sale-buyer", "claim", "deposit"])
def test_a_member_gets_the_restricted_answers_cited(mixed, client, probe, figure, document, page):
    response = client.post("/api/ask", json=probe, headers=MEMBER)
    body = response.json()
    assert not body["abstained"] and figure in body["answer"], body["answer"]
    # What the public is checked for is found here: the check would see a leak.
    assert figure in mixed.leaked(response, asked(probe)) and document in mixed.leaked(response)
    cited = [c for c in body["citations"] if c["document"] == document]
    assert cited and all(c["access"] == "restricted" for c in cited), body["citations"]
    assert page in {c["page"] for c in cited}
    assert any(figure in c["quote"] or figure in c["passage"] for c in cited)
    # And can open what is cited: the passage and the page it is on.
    citation = next(c for c in cited if c["page"] == page)
    assert client.get(f"/api/passages/{citation['passage_id']}", headers=MEMBER).status_code == 200
    image = client.get(f"/api/documents/{document}/pages/{page}.png", headers=MEMBER,
                       params={"passage": citation["passage_id"], "start": citation["start"], "end": citation["end"]})
    assert image.status_code == 200 and int(image.headers["x-highlight-boxes"]) >= 1
    listed = {d["id"] for d in client.get("/api/documents", headers=MEMBER).json()["documents"]}
    assert RESTRICTED <= listed


def write_question_set(path: Path) -> Path:
    """One question only an exempt paper answers, one a public Kent paper answers."""
    rows = [
        {"id": "restricted-sale", "type": "figure", "answerable": True,
         "question": "For how much is the Seashells Family Hub building being sold?", "answers": [[SALE_PRICE]],
         "evidence": [{"document": SALE, "page": 2, "quote": f"for £{SALE_PRICE}"}]},
        {"id": "public-gac", "type": "fact", "answerable": True, "question": PUBLIC_QUESTIONS[0][0],
         "answers": [["Ben Watts"]],
         "evidence": [{"document": KENT_GAC, "page": 2, "quote": "Ben Watts, General Counsel"}]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def responses(out: Path, system: str) -> dict[str, dict]:
    return {r["id"]: r for r in load_questions(out / f"questions.{system}.responses.jsonl")}


def test_the_eval_runs_as_the_public_and_as_a_member(mixed, tmp_path, capsys):
    questions = write_question_set(tmp_path / "questions.jsonl")
    # As the public, from the command line: the restricted question goes unanswered and no
    # system (councilqa, BM25, dense, search reordered by the cross-encoder) cites or returns a
    # restricted paper.
    assert cli(["eval", "--questions", str(questions), "--index", str(mixed.index), "--out", str(tmp_path / "public"),
                "--baselines", "bm25,dense,search", "--as", "public"]) == 0
    assert "asked as public" in capsys.readouterr().out
    assert json.loads((tmp_path / "public" / "questions.metrics.json").read_text())["access"] == "public"
    assert (tmp_path / "public" / "questions.report.md").read_text().startswith("# Evaluation: questions, asked as public")
    for system in ("councilqa", "bm25", "dense", "search"):
        for row in responses(tmp_path / "public", system).values():
            assert {c["document"] for c in row["citations"]} | {p["document"] for p in row["passages"]} <= mixed.public_ids
            assert not mixed.leaked_text(json.dumps(row, ensure_ascii=False), row["question"]), (system, row["id"])
    public = responses(tmp_path / "public", "councilqa")
    assert SALE_PRICE not in public["restricted-sale"]["answer"]
    assert "Ben Watts" in public["public-gac"]["answer"]

    # As a member (the default): both are answered, the restricted one cited on its page.
    result = evaluate(questions, mixed.index, out_dir=tmp_path / "member", baselines=["bm25"], settings=mixed.settings)
    assert result["access"] == "member" and result["overall"]["councilqa"]["answer_accuracy"] == 1.0
    member = responses(tmp_path / "member", "councilqa")
    assert SALE_PRICE in member["restricted-sale"]["answer"]
    assert (SALE, 2) in {(c["document"], c["page"]) for c in member["restricted-sale"]["citations"]}
    assert (tmp_path / "member" / "questions.report.md").read_text().startswith("# Evaluation: questions, asked as member")
    assert result["overall"]["councilqa"]["citation_support"] == 1.0


def test_the_naive_baseline_asked_as_the_public_reads_only_public_papers(tmp_path, settings):
    """The LangChain baseline builds its own index from the files: as the public it is given only
    the files of the documents the index lists as public. (Its own small corpus: the baseline
    embeds every file it reads.)"""
    papers = tmp_path / "papers"
    meeting = papers / "2025-03-04-cabinet"
    meeting.mkdir(parents=True)
    (meeting / "roads.txt").write_text("Report to: CABINET\n\nROADS\n\nThe Cabinet agreed to resurface 12 miles of "
                                       "road in Sheppey this summer.\n", encoding="utf-8")
    (meeting / "pool-claim.txt").write_text(f"Report to: CABINET\n\nPOOL\n\nThe council will pay {CLAIM_SUM} pounds to "
                                            "settle the Sheppey swimming pool claim.\n", encoding="utf-8")
    (meeting / "pool-claim.txt.meta.json").write_text('{"access": "restricted"}', encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text(json.dumps({
        "id": "pool-claim", "type": "figure", "answerable": True,
        "question": "How much will the council pay to settle the Sheppey swimming pool claim?", "answers": [[CLAIM_SUM]],
        "evidence": [{"document": "2025-03-04-cabinet/pool-claim.txt", "page": None, "quote": f"will pay {CLAIM_SUM} pounds"}],
    }) + "\n", encoding="utf-8")
    given = {}
    for access in ("public", "member"):
        out = tmp_path / access
        result = evaluate(questions, tmp_path / "index", corpus=papers, out_dir=out, baselines=["naive"], settings=settings,
                          access=access)
        given[access] = responses(out, "naive")["pool-claim"]
        assert result["overall"]["naive"]["hit@10"] == (1.0 if access == "member" else 0.0)
    assert {p["document"] for p in given["public"]["passages"]} == {"2025-03-04-cabinet/roads.txt"}
    assert CLAIM_SUM not in json.dumps(given["public"])
    assert "2025-03-04-cabinet/pool-claim.txt" in {p["document"] for p in given["member"]["passages"]}
