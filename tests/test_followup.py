"""Follow-up questions: "and for CAMHS?" after a question about speech and language therapy is
answered about CAMHS, at the same date, from the real demo index."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from councilqa.api.app import create_app
from councilqa.qa.followup import is_follow_up, standalone
from councilqa.qa.service import QAService

SLT = "How many children were still waiting for speech and language therapy by the end of December 2023?"
TARGET = "What is the October 2024 target for children in care per 10,000?"


@pytest.mark.parametrize("follow_up,expected", [
    ("and for CAMHS?", "How many children were still waiting for CAMHS by the end of December 2023?"),
    ("And CAMHS?", "How many children were still waiting for CAMHS by the end of December 2023?"),
    ("what about February 2023?", SLT.replace("December 2023", "February 2023")),
    ("what about March?", SLT.replace("December 2023", "March 2023")),
])
def test_follow_up_takes_the_place_of_what_it_stands_for(follow_up, expected):
    assert standalone(follow_up, [SLT]) == expected


def test_follow_up_rewrites():
    assert standalone("what about March 2024?", [TARGET]) == TARGET.replace("October 2024", "March 2024")
    assert standalone("and in foster care?", [TARGET]) == "What is the October 2024 target for children in foster care per 10,000?"
    # Nothing to stand in for: the new words are added to the earlier question.
    assert standalone("and for the libraries?", ["Who chaired the meeting?"]) == "Who chaired the meeting for the libraries?"
    # Only the last question counts (the page sends what each answer actually searched for).
    assert standalone("and for CAMHS?", ["Who chaired the meeting?", SLT]).endswith("CAMHS by the end of December 2023?")


def test_standalone_questions_are_left_alone():
    assert standalone("How many foster carers are there?", [SLT]) == "How many foster carers are there?"
    assert standalone("and for CAMHS?", []) == "and for CAMHS?"
    assert not is_follow_up("Who chaired the scrutiny committee meeting on 9 November 2023?")
    assert is_follow_up("what about March?") and is_follow_up("CAMHS?")


def test_follow_up_is_answered_in_the_context_of_the_previous_question(demo_index, settings):
    service = QAService(demo_index, settings)
    first = service.ask(SLT)
    assert "331" in first.answer and first.searched_for == SLT
    second = service.ask("and for CAMHS?", history=[first.searched_for])
    assert second.searched_for == "How many children were still waiting for CAMHS by the end of December 2023?"
    assert not second.abstained and "285" in second.answer  # the CAMHS row of the same December 2023 table
    assert second.citations[0].quote.startswith("CAMHS")
    alone = service.ask("and for CAMHS?")  # without the context it is not the same question
    assert alone.searched_for == "and for CAMHS?" and "285" not in alone.answer


def test_follow_up_through_the_api_and_the_cli(demo_index, settings):
    client = TestClient(create_app(demo_index, settings))
    body = client.post("/api/ask", json={"question": "what about March 2024?", "history": [SLT, TARGET]}).json()
    assert body["searched_for"] == TARGET.replace("October 2024", "March 2024")
    assert "180/10,000" in body["answer"]
    out = subprocess.run([sys.executable, "-m", "councilqa.cli", "ask", "what about March 2024?", "--after", TARGET,
                          "--json", "--index", str(demo_index)], capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["answer"] == body["answer"]
