"""Passages that carry what they are about, on real Kent papers: a minute's resolution names its
agenda item, a report's numbered paragraphs name their section, an agenda's date and time are
read as a sentence (not as a table header beside the clerk's contact details), a table headed by
periods over groups of columns names the period of each figure, and a table of contents is one
passage instead of a crowd of two-word ones. Then, on a small index of two of those papers,
the resolution is found by the name of its item."""

from __future__ import annotations

import pytest

from councilqa.ingest.tables import Row, is_contents_block, spread_periods

from conftest import needs_kent
from test_kent_structure import flat, holding, kent

MARCH_MINUTES = "2025-03-13-full-council/originals/Printed minutes 13th-Mar-2025 10.00 County Council.pdf"
DEVO_REPORT = "2025-03-13-full-council/originals/Devo and LGR - CC Report March 2025.pdf"
FRONTSHEET = "2025-03-13-cabinet/originals/Agenda frontsheet 13th-Mar-2025 15.00 Cabinet.pdf"
QPR = "2025-03-04-cabinet/originals/QPR Q3 Cabinet appendix 1.pdf"
BUDGET_REPORT = "2025-02-13-full-council/originals/February 2025 Kent County Council Budget Report.pdf"
START_TIME = "Thursday, 13th March, 2025, at 3.00 pm (or on the rising of Full Council, whichever is the later)"


@needs_kent
def test_a_resolution_a_page_after_its_minute_heading_names_the_item():
    parsed = kent(MARCH_MINUTES)
    [resolution] = holding(parsed, "RESOLVED that the County Council makes comments but does not require reconsideration")
    assert "Review of Decision 24/00093 - Commissioned Family Hubs" in resolution.section
    assert "Armed Forces Covenant" not in resolution.text  # the next item starts a new passage
    # The heading itself stays in the text of the item's first passage (the vote finder reads it).
    [opening] = holding(parsed, "300. Review of Decision 24/00093 - Commissioned Family Hubs (Item 9)")
    assert opening.section == resolution.section


@needs_kent
def test_numbered_report_paragraphs_name_their_section():
    parsed = kent(DEVO_REPORT)
    [deadline] = holding(parsed, "Councils are asked to submit proposals for reorganisation by 28 November 2025")
    assert deadline.section == "3. Local government reorganisation"
    [reason] = holding(parsed, "population disparity between the two proposed constituent members")
    assert reason.section.startswith("2. Devolution")


@needs_kent
def test_an_agendas_date_and_time_beside_the_contact_details_read_as_one_sentence():
    parsed = kent(FRONTSHEET)
    [passage] = holding(parsed, START_TIME)
    assert passage.kind == "text" and passage.page == 1
    assert "Ask for: Georgina Little" in flat(passage.text)  # the contact details, after it


@needs_kent
def test_a_front_sheet_line_read_as_a_tables_header_is_a_passage_too():
    # rule "a table's lines say something too": the day, time and clerk, printed as one line
    # beside the venue and telephone, head the lines below as column names, and are quoted
    parsed = kent("2025-01-30-cabinet/originals/Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf")
    [passage] = holding(parsed, "Thursday, 30th January, 2025, at 10.00 am Ask for: Georgina Little")
    assert passage.kind == "text" and passage.page == 1


@needs_kent
def test_figures_under_periods_over_groups_of_columns_name_their_period():
    parsed = kent(QPR)
    [row] = [c for c in parsed.chunks if c.kind == "table_row" and c.text.startswith("4\t215\t650\t869")]
    assert "2024/25 / Fatal: 4" in row.reading and "2024/25 / Tota l: 869" in row.reading
    assert "2019/20 / Fatal: 5" in row.reading


@needs_kent
def test_a_table_of_contents_is_one_passage_of_text():
    parsed = kent(BUDGET_REPORT)
    page_one_rows = [c for c in parsed.chunks if c.page == 1 and c.kind == "table_row"]
    assert not [c for c in page_one_rows if c.text.startswith(("Capital Strategy\t", "Reserves Policy\t"))]
    assert holding(parsed, "Capital Strategy O Annual Minimum Revenue Provision P")


def test_periods_spread_over_the_columns_of_their_groups():
    cells = ["", "2024/25", "", "", "", "2023/24", "", "", "", "2019/20"]
    assert spread_periods(cells, 12) == ["2024/25"] * 4 + ["2023/24"] * 4 + ["2019/20"] * 4
    # A label column before the groups keeps no period; figures are not periods.
    assert spread_periods([""] + cells, 13) == [""] + ["2024/25"] * 4 + ["2023/24"] * 4 + ["2019/20"] * 4
    assert spread_periods(["", "£150m", "", "£100m"], 4) is None


def test_contents_are_titles_with_pages_in_order_not_a_table_of_figures():
    def rows(*lines: str) -> list[Row]:
        return [Row(0, 0, line.split("\t")) for line in lines]

    contents = rows("Executive Summary\t1\t2", "Background and Context\t2\t5", "Council Tax\t6\t20",
                    "Reserves\t12\t41", "Capital Strategy\tO", "Annual Minimum Revenue Provision\tP")
    assert is_contents_block(contents)
    figures = rows("Swale\t50", "Seashells\t16", "Thanet\t62", "Millmead\t17", "Dover\t9")
    assert not is_contents_block(figures)


# --- Retrieval on a small index of those papers ---------------------------------------------


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, settings):
    from councilqa.index.search import Searcher

    from conftest import index_kent_papers

    return Searcher(index_kent_papers(tmp_path_factory, settings, MARCH_MINUTES, DEVO_REPORT), settings)


def _rank(searcher, question: str, words: str) -> int | None:
    for rank, passage in enumerate(searcher.search(question, k=10), start=1):
        if words in flat(f"{passage.context} {passage.text}"):
            return rank
    return None


@needs_kent
def test_the_resolution_on_a_reviewed_decision_is_found_by_the_items_name(searcher):
    rank = _rank(searcher, "When County Council looked at Decision 24/00093 on the Seashells and Millmead family "
                 "hubs on 13 March 2025, what did it resolve?",
                 "RESOLVED that the County Council makes comments but does not require reconsideration")
    assert rank is not None and rank <= 3

