"""Rule "a sentence introducing a table is its caption" (ingest/chunking.py `_table_introduction`):
the last sentence of the paragraph before a table, when it points at the table ("The table below
shows ...", "... as follows:"), is the caption every row carries. On pages made here."""

from __future__ import annotations

from councilqa.ingest.chunking import _table_introduction
from test_kent_structure import parse
from test_survey_captions import rows, survey_page


def test_a_sentence_pointing_at_the_table_below_captions_its_rows(tmp_path):
    parsed = parse(survey_page(tmp_path / "consultation.pdf", [
        "Leaflets were delivered to every household in the ward in March. The table below shows",
        "where the respondents to the library consultation heard about it.",
    ]), "consultation.pdf")
    row = rows(parsed)["Council website"]
    assert row.row.caption == "The table below shows where the respondents to the library consultation heard about it."
    assert row.row.caption in row.context
    assert "Leaflets were delivered" not in row.context  # the paragraph's other sentences stay text


def test_a_long_paragraph_ending_as_follows_gives_its_last_sentence(tmp_path):
    parsed = parse(survey_page(tmp_path / "consultation.pdf", [
        "The consultation ran for eight weeks from 3 March and was promoted by leaflets, the",
        "council's website, posters in libraries and the local press. Paper copies of the",
        "questionnaire were available at every library and on request by telephone. In all 412",
        "people answered the question about how they had heard of it, and some named more than",
        "one source. Of the 412 people who answered, the sources they named were as follows:",
    ]), "consultation.pdf")
    assert rows(parsed)["Local newspaper"].row.caption == (
        "Of the 412 people who answered, the sources they named were as follows:")


def test_only_sentences_that_point_at_what_follows_are_captions():
    assert _table_introduction("Budgets were set in February. The council holds the following investments:")
    assert _table_introduction("Risks are scored each quarter. Those in the red band are listed overleaf.")
    # A sentence about a time that follows, or one that points nowhere, is no caption.
    assert _table_introduction("The contract ends in March. A new one starts the following year.") == ""
    assert _table_introduction("The table shows where respondents heard about it.") == ""
    # Too long to be a caption: a whole argument, not a title for the rows.
    assert _table_introduction("The figures below " + "were revised after audit and " * 10 + "approved.") == ""
