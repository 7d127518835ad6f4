"""The answerer reads its best candidates with a cross-encoder: a councillor's own words find the
row or sentence that answers, and the row of the service asked about is chosen over its
neighbours. Made-up papers, indexed with the real models."""

from __future__ import annotations

import pytest

DASHBOARD = """Report to:\tHEALTH SCRUTINY COMMITTEE
Date of Meeting:\t12 March 2024

COMMUNITY THERAPY WAITING TIMES

1.1 The table below sets out waiting times for community therapies at the end of January 2024.

Waiting lists for community therapies
Data as of the end of January 2024

\tReferrals waiting\tLongest wait (weeks)\tAverage wait (weeks)
Physiotherapy\t212\t35\t12
Occupational Therapy\t148\t47\t19
Dietetics\t64\t22\t8

1.2 The clinic at Northgate Health Centre reopened in February 2024 after refurbishment, adding two treatment rooms.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory, settings):
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest
    from councilqa.qa.answerer import Answerer

    root = tmp_path_factory.mktemp("therapies")
    (root / "papers").mkdir()
    (root / "papers" / "therapy-waiting-times.txt").write_text(DASHBOARD, encoding="utf-8")
    report = ingest([root / "papers"], root / "index", settings, progress=False)
    assert report.added == 1, report.summary()
    return Answerer(Searcher(root / "index", settings))


def test_the_row_of_the_service_asked_about_answers(answerer):
    answer = answerer.answer("How long are people waiting for occupational therapy?")
    assert not answer.abstained, answer.answer
    assert "Occupational Therapy" in answer.answer and "47" in answer.answer
    assert "Physiotherapy" not in answer.answer and "Dietetics" not in answer.answer
    assert answer.citations[0].quote.startswith("Occupational Therapy")


def test_a_question_in_other_words_than_the_papers_is_answered(answerer):
    answer = answerer.answer("When did the Northgate clinic open its doors again?")
    assert not answer.abstained, answer.answer
    assert "February 2024" in answer.answer and "reopened" in answer.citations[0].quote
