"""Rule "vote of the motion" (qa/answerer.py `_vote_on`) and which of several votes on one
paragraph a question asks about (`_which_vote`), on made-up minutes: a motion whose long preamble
shares few words with the question, voted on and lost; and an amendment carried, then a part of
the motion put separately."""

from __future__ import annotations

import shutil
import time

import pytest
from fastapi.testclient import TestClient

from councilqa.api.app import create_app
from councilqa.index.search import Searcher
from councilqa.ingest.pipeline import ingest
from councilqa.qa.answerer import Answerer
from councilqa.qa.question import analyse
from councilqa.qa.vote_answer import asks_mover, names_what_is_put, tally_parts
from councilqa.qa.votes import VoteBlock

PREAMBLE = " ".join([
    "a. Public trust in national and local institutions has fallen in every survey since 2019, and",
    "residents tell their councillors that decisions feel distant from their daily lives.",
    "b. Turnout at the last county election was the lowest recorded, at 27 per cent, and fewer",
    "young residents registered to vote than in any year since records began.",
    "c. Neighbouring authorities have trialled new ways of involving residents in budget",
    "choices, including citizens' panels, participatory grants and open ward surgeries.",
    "d. The Local Government Association has published guidance on engagement which this",
    "authority has not yet considered in full, and the Governance Working Party has asked for it.",
])
MINUTES = f"""Northmoor County Council

Minutes of the meeting of the County Council held on Thursday, 11 June 2026

12. Motion for Time Limited Debate - Branch Libraries
(Item 7)

(1) Ms Alder proposed, and Mr Birch seconded the motion that

"This Council notes:

{PREAMBLE}

This Council resolves to:

1. Open every branch library on Sunday afternoons from September 2026.
2. Meet the cost of the extra hours from the community services reserve."

(2) Following the debate the Chairman put the motion set out in paragraph 1 to the vote and the
voting was as follows:

For (19)

Ms Alder, Mr Birch, Mrs Cole, Mr Dunn

Against (40)

Mr Evans, Ms Ford, Mr Grant

Abstain (2)

Mrs Hall, Mr Irwin

Motion lost.

13. Highways Asset Plan
(Item 8)

(1) Mr Jones proposed and Ms King seconded the following amendment:

"Council is asked to:

1. Note the Highways Asset Plan 2026-31.
2. Resurface the twelve rural bus routes first, ahead of the town centre schemes."

(2) Following the debate the Chairman put the amendment set out in paragraph 1 to the vote
and the voting was as follows:

For (33)

Mr Jones, Ms King

Against (25)

Mr Lane

Abstain (0)

Amendment carried.

(3) The Chairman put part 2 of the substantive motion at paragraph 1 to the vote and the voting
was as follows:

For (51)

Mr Jones

Against (7)

Mr Lane

Abstain (0)

Substantive Motion carried.
"""


@pytest.fixture(scope="module")
def minutes_index(tmp_path_factory, settings):
    papers = tmp_path_factory.mktemp("minutes")
    (papers / "2026-06-11-county-council-minutes.txt").write_text(MINUTES, encoding="utf-8")
    index = tmp_path_factory.mktemp("vote-index") / "index"
    ingest([papers], index, settings, progress=False)
    return index


@pytest.fixture(scope="module")
def answerer(minutes_index, settings):
    return Answerer(Searcher(minutes_index, settings))


def test_a_vote_question_that_finds_the_motions_words_gets_its_vote(answerer):
    answer = answerer.answer("Did the council back opening branch libraries on Sundays?")
    assert not answer.abstained
    # The counts and the outcome of the vote on that motion, not the motion's words alone.
    assert "For 19" in answer.answer and "Against 40" in answer.answer and "Motion lost" in answer.answer
    # What was voted on is quoted from its operative words, not from the preamble.
    assert "Open every branch library on Sunday afternoons" in answer.citations[0].quote
    assert "Public trust" not in answer.answer
    assert "For (19)" in answer.citations[-1].quote


def test_asked_about_the_amendment_the_amendments_vote_answers(answerer):
    answer = answerer.answer("Who moved the amendment about resurfacing rural bus routes first, and was it carried?")
    assert "Mr Jones proposed and Ms King seconded" in answer.answer
    assert "For 33" in answer.answer and "Amendment carried" in answer.answer
    assert "For 51" not in answer.answer


def _block(lead: str, outcome: str) -> VoteBlock:
    from councilqa.qa.votes import Span

    span = Span(0, 0, 1)
    return VoteBlock("minutes", span, span, [], outcome, "", lead, "", "")


def test_the_vote_put_on_what_the_question_names():
    amendment = _block("the Chairman put the amendment set out in paragraph 2 to the vote", "Amendment carried")
    motion = _block("the Chairman put the substantive motion to the vote", "Substantive Motion carried")
    asked = analyse("Was the amendment to the motion on library hours carried?")  # "amendment" first
    assert names_what_is_put(asked, amendment) and not names_what_is_put(asked, motion)
    asked = analyse("How did the motion on the amendments to the parking rules fare?")
    assert names_what_is_put(asked, motion) and not names_what_is_put(asked, amendment)
    assert not names_what_is_put(analyse("Did the council back free parking?"), amendment)


def test_asked_which_member_took_a_side_the_answer_names_them():
    block = _block("the Chairman put the motion to the vote", "Motion carried")
    block.tally = [("For", 48, "", 1), ("Against", 2, "Mr Lane, Ms Pryce", 1), ("Abstain", 0, "", 1)]
    for asked in ["Which member opposed the pay policy?", "which cllrs voted against the pay policy?",
                  "Who was against the pay policy?"]:
        assert tally_parts(analyse(asked), block) == [(1, "For 48, Against 2 (Mr Lane, Ms Pryce), Abstain 0")], asked
    # Asked only how it went, the counts.
    assert tally_parts(analyse("How did the vote on the pay policy go?"), block) == [(1, "For 48, Against 2, Abstain 0")]


def test_asking_who_moved_it():
    assert asks_mover(analyse("Who moved the amendment on allotments?"))
    assert asks_mover(analyse("Who proposed the motion on bus lanes and who seconded it?"))
    assert not asks_mover(analyse("Did the council back free parking?"))


def test_the_service_finds_the_votes_before_the_first_question_about_one(minutes_index, settings, tmp_path):
    """Finding every recorded vote is a pass over the papers (seconds at a million passages):
    the service does it while it warms up, and again in the background when an ingest switches
    the index to a new generation, not on a councillor's first question about a vote."""
    index = tmp_path / "index"
    shutil.copytree(minutes_index, index)
    app = create_app(index, settings)
    with TestClient(app) as client:  # runs the startup's warm-up
        deadline = time.monotonic() + 120
        while client.get("/api/health").json()["state"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
        service = app.state.service
        assert service.answerer._votes is not None and len(service.answerer._votes) >= 2
        # A new generation: the minutes of a later meeting added.
        papers = tmp_path / "papers"
        papers.mkdir()
        (papers / "2026-07-09-county-council-minutes.txt").write_text(
            MINUTES.replace("11 June 2026", "9 July 2026").replace("Branch Libraries", "Library Hours"), encoding="utf-8")
        ingest([papers], index, settings, progress=False)
        reloaded = service.answerer
        deadline = time.monotonic() + 60  # found in a background thread, no question asked
        while reloaded._votes is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reloaded._votes is not None
        assert {b.document for b in reloaded._votes} >= {"2026-07-09-county-council-minutes.txt"}
        answer = client.post("/api/ask", json={"question": "Did the council back opening branch libraries on Sundays?"}).json()
        assert "Motion lost" in answer["answer"]
