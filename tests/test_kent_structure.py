"""Passages as a reader of council papers needs them: a performance indicator with its figures,
a recorded vote with the motion and the names, a numbered paragraph with its first line, and
documents filed under the body that met. Parse -> clean -> chunk only (no embedding), on real
Kent PDFs where they are present (skipped cleanly otherwise) and on papers made here."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from councilqa.ingest.chunking import chunk_document
from councilqa.ingest.clean import Line, clean_pages
from councilqa.ingest.headings import heading_level
from councilqa.ingest.metadata import infer_metadata
from councilqa.ingest.pipeline import SourceFile, parse_file
from councilqa.settings import Settings

from conftest import KENT, needs_kent
from pdfs import budget_sheet_pdf

QPR = "2025-03-04-cabinet/originals/QPR Q3 Cabinet appendix 1.pdf"
MARCH_MINUTES = "2025-03-13-full-council/originals/Printed minutes 13th-Mar-2025 10.00 County Council.pdf"
FEB_MINUTES = "2025-02-13-full-council/originals/Printed minutes 13th-Feb-2025 09.30 County Council.pdf"
AMENDMENT = "2025-02-13-full-council/originals/8 - Amendment - Greens and Independents - CTRS_1.pdf"
LABOUR_SAVINGS = "2025-02-13-full-council/originals/1 - Annex 3 - Labour Group Alternative Budget 2025-28 - Appendix F.pdf"
BUDGET_TEMPLATES = "2025-01-30-cabinet/originals/Appendix F List of Budget Templates.pdf"


def parse(path: Path, doc_id: str):
    data = path.read_bytes()
    parsed = parse_file(SourceFile(path, doc_id), data, hashlib.sha256(data).hexdigest(), Settings())
    assert parsed.error is None, parsed.error
    return parsed


@lru_cache(maxsize=None)
def kent(doc_id: str):
    return parse(KENT / doc_id, doc_id)


def flat(text: str) -> str:
    return " ".join(text.split())


def holding(parsed, words: str) -> list:
    return [c for c in parsed.chunks if words in flat(c.text)]


# --- Performance dashboards: the indicator's name and its figures in one passage -----------


@needs_kent
def test_kpi_name_rating_and_figures_are_one_passage_on_their_page():
    parsed = kent(QPR)
    for name, figures, page in [
        ("Number of foster households RED", "Latest: 613 Target: 700 Floor: 650 Previous: 612 (Red)", 48),
        ("issued within 20 weeks – rolling 12 months RED", "Latest: 34% Target: 60%, Floor: 55%", 39),
        ("Percentage of complaints responded to within timescale RED", "Latest: 71% Target: 85%", 9),
    ]:
        hits = holding(parsed, f"{name} {figures}")
        assert hits, f"{name!r} and its figures are not in one passage"
        assert hits[0].page == page and hits[0].kind == "text"


def test_dashboard_panel_made_here_keeps_caption_with_figures(tmp_path):
    """Boxes as a performance report draws them: the name (wrapped) with the rating to its
    right, a chart's height of empty space, then three labelled figures side by side."""
    path = tmp_path / "dashboard.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(60, 800, "Key Performance Indicators")
    y = 760
    for name, wrap, rating, figures in [
        ("Percentage of repairs completed within the agreed", "timescale – rolling 12 months", "RED",
         ["Latest: 61%", "Target: 80%, Floor: 70%", "Previous: 64% (Red)"]),
        ("Number of households in temporary accommodation", None, "GREEN",
         ["Latest: 412", "Target: 450", "Previous: 430 (Amber)"]),
    ]:
        c.drawString(60, y, name)
        if wrap:
            c.drawString(60, y - 14, wrap)
        c.drawString(480, y - 6, rating)
        y -= 150  # the chart (an image, no text) sits here
        for x, cell in zip((70, 230, 400), figures):
            c.drawString(x, y, cell)
        y -= 60
    c.showPage()
    c.save()
    parsed = parse(path, "dashboard.pdf")
    assert holding(parsed, "within the agreed timescale – rolling 12 months RED Latest: 61% Target: 80%, Floor: 70%")
    assert holding(parsed, "temporary accommodation GREEN Latest: 412 Target: 450 Previous: 430 (Amber)")
    assert not any(c.kind == "table_row" for c in parsed.chunks)


# --- Recorded votes ----------------------------------------------------------------------


@needs_kent
def test_vote_keeps_motion_counts_and_names_together_on_each_page():
    parsed = kent(MARCH_MINUTES)
    opening = holding(parsed, "put the motion set out in paragraph 1 to the vote and the voting was as follows: For (52)")
    assert any("Mr Baker, Mr Baldock" in flat(c.text) and "Mrs Wright" in flat(c.text) for c in opening)
    # The vote runs onto the next page: there Against and Abstain stay with the abstainers.
    rest = holding(parsed, "Against (0) Abstain (11) Mr Chittenden")
    assert rest and rest[0].page == 8 and "Motion carried." in rest[0].text


def test_vote_in_plain_text_is_one_passage():
    names = ", ".join(f"Mr Member{i}" for i in range(40))
    text = (
        "5) Following the debate, the Chairman put the motion set out in paragraph 4 to the vote and "
        "the voting was as follows:\n\nFor (40)\n\n" + names + "\n\nAgainst (2)\n\nMrs Smith, Ms Jones\n\n"
        "Abstain (1)\n\nDr Brown\n\nMotion carried.\n\n"
        "6) RESOLVED that the budget be approved. " + "The Council noted the report in full. " * 20
    )
    doc = clean_pages([text], paged=False)
    chunks = chunk_document(doc, "minutes.txt", "m", target_chars=700, max_chars=1200)
    vote = [c for c in chunks if "For (40)" in c.text]
    assert len(vote) == 1
    assert all(part in vote[0].text for part in ("voting was as follows", "Mr Member39", "Against (2)", "Dr Brown", "Motion carried."))
    assert "RESOLVED" not in vote[0].text  # the next item is not swallowed by the vote


@needs_kent
def test_members_present_list_is_text_not_a_table():
    parsed = kent(FEB_MINUTES)
    page_one = [c for c in parsed.chunks if c.page == 1]
    assert not any(c.kind == "table_row" and "Mr" in c.text for c in page_one)
    assert holding(parsed, "Mrs S Chandler")


# --- Words that were left out of every passage --------------------------------------------


@needs_kent
def test_proposer_and_seconder_row_is_a_passage():
    parsed = kent(AMENDMENT)
    hits = holding(parsed, "Proposer: Rich Lehmann Seconder: Mark Hood")
    assert hits and "Proposer: Rich Lehmann" in hits[0].reading


def test_first_line_of_a_numbered_paragraph_is_not_a_heading():
    first = Line(text="4.3 Work has taken place between public health officers and officers across the", page=3)
    wrapped = "council directorates to better understand the contributions made by each directorate to"
    assert heading_level(first, wrapped) is None
    heading = Line(text="7.1 Speech and Language Services (SLT)", page=3)
    assert heading_level(heading, "The service has seen waiting times rise across the year, " * 3) == 3


@needs_kent
def test_numbered_paragraph_keeps_its_first_line():
    parsed = kent("2025-03-13-full-council/originals/Council Report Mid Year 24-25.pdf")
    assert holding(parsed, "2.13 The FTSE 100 reached a peak of 8,380 in the third quarter of 2024, but its")


# --- Budget sheets: each page's header names the columns, not its first row -----------------


@needs_kent
def test_continuation_page_header_is_not_joined_to_its_first_row():
    # Page 20 of the Labour Group savings list repeats the column header with no rule found
    # under it. Joined to row 95, "Row ref 95" and "Headline Description Kent 16+ Travel
    # Saver" became the column names, and every row on the page was read against them.
    row = next(c for c in kent(LABOUR_SAVINGS).chunks if c.page == 20 and c.text.startswith("95\t"))
    assert row.kind == "table_row"
    assert "Row ref: 95; MTFP Category: Policy" in row.reading
    assert "Headline Description: Kent 16+ Travel Saver" in row.reading
    assert "2025-26 £000's: 0.0" in row.reading
    below = next(c for c in kent(LABOUR_SAVINGS).chunks if c.page == 20 and c.text.startswith("97\t"))
    assert "Headline Description: Family Support - Disabled Children" in below.reading
    assert "Travel Saver" not in below.reading


@needs_kent
def test_figures_of_a_budget_sheets_later_bands_sit_under_their_own_years():
    # Page 10 of the Cabinet's budget templates: the reader cut the lower bands of the sheet
    # into 9 cells and the header into 7; read by position, 27.3 (2025-26) was "2027-28".
    row = next(c for c in kent(BUDGET_TEMPLATES).chunks
               if c.page == 10 and "Increased Demand for Sexual Health Services" in c.text)
    assert "2025-26 £000's: 27.3; 2026-27 £000's: 0.0; 2027-28 £000's: 0.0" in row.reading
    assert "Service Area: Public Health" in row.reading


def test_a_band_cut_into_more_columns_keeps_the_headers_over_its_figures(tmp_path):
    path = budget_sheet_pdf(tmp_path / "budget.pdf")
    readings = [c.reading for c in parse(path, "budget.pdf").chunks if c.kind == "table_row"]
    upper = next(reading for reading in readings if "provider contracts" in reading)
    assert "2025-26 £000's: 1,746.5; 2026-27 £000's: 0.0; Service Area: Public Health" in upper
    lower = next(reading for reading in readings if "sexual health" in reading)
    assert lower.startswith("Demand Dan Watkins – Increased demand for sexual health services.")
    assert "2025-26 £000's: 27.3; 2026-27 £000's: 0.0; Service Area: Public Health" in lower


# --- Metadata ----------------------------------------------------------------------------


def test_committee_comes_from_the_meeting_folder_not_the_download_folder():
    meta = infer_metadata("2025-02-13-full-council/originals/Appendix G - Key Service Statement.pdf",
                          "APPENDIX G - DIRECTORATE & FUNDING", "Appendix G", {})
    assert meta["committee"] == "County Council" and meta["meeting_date"] == "2025-02-13"
    meta = infer_metadata("2025-03-12-childrens-young-people-and-education-cabinet-committee/public-packs/pack.pdf",
                          "", None, {})
    assert meta["committee"] == "Childrens Young People and Education Cabinet Committee"


def test_report_letterhead_gives_body_date_title_and_type():
    text = ("From:\tRoger Gough – Leader of the Council\nTo:\tCabinet – 4 March 2025\nDecision No:\tn/a\n"
            "Subject:\tQuarterly Performance Report, Quarter 3, 2024/25\nClassification:\tUnrestricted\n")
    meta = infer_metadata("papers/Cabinet QPR Q3 Cover.pdf", text, "THE REPORT", {})
    assert meta == {"title": "Quarterly Performance Report, Quarter 3, 2024/25", "committee": "Cabinet",
                    "meeting_date": "2025-03-04", "doc_type": "report"}


def test_minutes_heading_names_a_panel_and_its_date():
    text = ("CORPORATE PARENTING PANEL– 29 October 2024\n\nMINUTES of the meeting held in the Darent Room, "
            "Sessions House, County Hall, Maidstone.\n")
    meta = infer_metadata("2025-03-13-full-council/originals/CPP Minutes 29.10.24.pdf", text, None, {})
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == ("Corporate Parenting Panel", "2024-10-29", "minutes")


def test_agenda_frontsheet_and_supplement_letter_name_the_body():
    frontsheet = "AGENDA\n\nCABINET\n\nThursday, 13th March, 2025, at 3.00 pm (or on the rising of Full Council)\n"
    meta = infer_metadata("x/Agenda frontsheet.pdf", frontsheet, "Agenda Template", {})
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == ("Cabinet", "2025-03-13", "agenda")
    assert meta["title"] == "Agenda frontsheet"
    letter = "Date:\t27 January 2025\n\nDear Member\n\nCABINET - THURSDAY, 30 JANUARY 2025\n\nI am now able to enclose"
    meta = infer_metadata("x/24-00096 - PROD 30th-Jan-2025 10.00 Cabinet.pdf", letter, None, {})
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == ("Cabinet", "2025-01-30", "decision")
