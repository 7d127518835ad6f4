"""Every citation is built by one function: its quote is the exact span cited, and a table row
is shown with the caption and headers that say what its figures are."""

from __future__ import annotations

import pytest

from councilqa.qa.citations import cite
from councilqa.schema import Passage

ROW = Passage(id="p1", document="pack.pdf", title="Pack", page=4, kind="table_row", start=1000, end=1031,
              text="Occupational Therapy 120 40 14", context="Waiting lists, December 2023\nColumns: Service | Waiting | Longest | Average",
              reading="Occupational Therapy. Waiting: 120; Longest: 40; Average: 14", score=1.0)
SENTENCE = Passage(id="p2", document="minutes.pdf", title="Minutes", page=2, start=500, end=560,
                   text="RESOLVED that the report be noted. The Chair thanked officers.", score=1.0)


def test_the_quote_is_the_span_cited_and_a_row_keeps_its_headers():
    row = cite(ROW, 1000, 1031, 1)
    assert row.quote == ROW.text and (row.start, row.end, row.page) == (1000, 1031, 4)
    assert row.passage.startswith("Waiting lists, December 2023\nColumns:") and row.passage.endswith(ROW.text)
    sentence = cite(SENTENCE, 500, 534, 2)
    assert sentence.quote == "RESOLVED that the report be noted."
    assert sentence.passage == SENTENCE.text and sentence.n == 2


def test_a_span_outside_its_passage_is_refused():
    with pytest.raises(ValueError, match="not inside passage p2"):
        cite(SENTENCE, 490, 520, 1)
