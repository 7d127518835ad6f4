"""Page furniture: running headers, footers and page numbers are removed; table rows that repeat
on every page with different figures, and a table's repeated rows, never are (ingest/clean.py,
"furniture repeats; figures do not"); nor is a line that repeats on thin pages, where every line
is at an edge. The rule on made-up pages, a made-up budget book ingested with the real model,
and every Kent PDF where present (skipped cleanly otherwise)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from councilqa.ingest.clean import clean_pages, furniture_key, furniture_lines, page_number_lines

from conftest import KENT, needs_kent
from pdfs import BUDGET_BOOK_SERVICES, budget_book_pdf, budget_book_rows


def removed(pages: list[list[str]]) -> set[str]:
    """The lines removed from made-up pages as furniture (running headers or page numbers)."""
    found = furniture_lines(pages) | page_number_lines(pages)
    return {pages[p][i] for p, i in found}


def prose(page: int) -> str:
    """A line of text that differs from page to page."""
    return f"Paragraph {page} sets out the budget."


def body(page: int) -> list[str]:
    """Lines of a page's body, away from its top and bottom three lines, different on each page.
    A page needs some for its edges to count as evidence of a running header (ingest/clean.py:
    on a thin page every line is at an edge)."""
    return [f"Clause {page}.{k} records what the committee resolved on item {10 * page + k}." for k in range(1, 5)]


def budget_pages(n: int = 12) -> list[list[str]]:
    return [
        ["Budget Book 2025/26", f"Service {chr(64 + page)}", prose(page),
         f"Staffing\t{100 + page}\t{120 + 2 * page}",
         f"Gross expenditure\t{2000 + 17 * page}\t{2100 + 19 * page}",
         f"Income\t-{300 + page}\t-{310 + page}",
         f"Page {page} of {n}"]
        for page in range(1, n + 1)
    ]


# --- The rule on made-up pages ------------------------------------------------------------


def test_rows_with_different_figures_on_each_page_are_not_furniture():
    pages = budget_pages()
    gone = removed(pages)
    assert "Budget Book 2025/26" in gone
    assert all(f"Page {n} of 12" in gone for n in range(1, 13))
    assert not [line for line in gone if line.startswith(("Staffing", "Gross expenditure", "Income"))]


def test_rows_without_tabs_with_different_figures_are_not_furniture():
    pages = [["Budget Book 2025/26", prose(n), *body(n), f"Gross expenditure £{2000 + 17 * n}m"] for n in range(1, 13)]
    assert removed(pages) == {"Budget Book 2025/26"}


def test_a_table_row_repeated_with_the_same_figures_is_kept():
    """The Budget Risk Register prints its total row and column headers atop every page."""
    pages = [["Appendix I: Budget Risks Register 2025-26", "TOTAL £m\t334.7\t290.0",
              "Directorate\tRisk Title\tEstimated Annual Financial Exposure", f"ALL\tRisk number {n}\t{n}.5",
              prose(n), f"Risk {n} is rated amber.", "DRAFT"] for n in range(1, 12)]
    assert removed(pages) == {"Appendix I: Budget Risks Register 2025-26", "DRAFT"}


def test_footers_that_differ_only_by_page_number_or_date_are_furniture():
    footers = [
        [f"Kent County Council – 12 March 2025 – Page {n}" for n in range(1, 9)],
        [f"Kent County Council – {day} March 2025 – Page {n}" for n, day in zip(range(1, 9), range(3, 11))],
        [f"Numbers rounded for clarity, tables may appear not\tPage {n} of 8" for n in range(1, 9)],
        [f"Non-Technical Summary 2024-2039 | SR1 | {'09/10/2024' if n == 1 else '21/02/2025'}\t{n}" for n in range(1, 9)],
        [f"01/decision/glossaries/FormC\t{n + 1}" for n in range(1, 9)],  # numbered from the cover
    ]
    for footer in footers:
        pages = [[f"Section {n}", prose(n), f"Risk {n} is rated amber.", *body(n), line]
                 for n, line in enumerate(footer, start=1)]
        assert removed(pages) == set(footer), footer[0]


def test_a_number_that_does_not_run_with_the_pages_is_kept():
    # "Question 2" heads page 3, "Question 3" page 4...: a number, but not set apart as a page's.
    pages = [[f"Question {n - 1}", "COUNTY COUNCIL", prose(n), *body(n), f"Risk {n} is rated amber."] for n in range(1, 13)]
    assert removed(pages) == {"COUNTY COUNCIL"}
    # A figure in a cell of its own that does not follow the page numbers.
    pages = [["Report", prose(n), *body(n), f"Risk {n} is rated amber.", f"Total\t{n * n}"] for n in range(1, 13)]
    assert removed(pages) == {"Report"}


def test_page_numbers_say_so_or_run_with_the_pages():
    pages = [["Title", "Words.", "held between 10-12 September and 17 September", "2024"]] + [
        ["Title", "Words.", "More words.", str(n - 1)] for n in range(2, 9)]  # numbered from page 2
    numbers = {(p, i) for p, i in page_number_lines(pages)}
    assert (0, 3) not in numbers  # a year wrapped onto the last line of page 1
    assert {(p, 3) for p in range(1, 8)} <= numbers
    assert page_number_lines([["Words.", "Page 7"]]) == {(0, 1)}  # says it is one
    assert page_number_lines([["Words.", "- 7 -"], ["Words.", "9"]]) == {(0, 1)}  # a lone 9 on page 2: kept


def test_a_line_found_among_the_text_is_not_furniture():
    """'Not Applicable' answers most questions of a form and so starts and ends some pages."""
    pages = [["Not Applicable", f"Impact on group {n}a", "Not Applicable", f"Impact on group {n}b",
              "Not Applicable", f"Impact on group {n}c", "Not Applicable", "Official"] for n in range(6)]
    assert removed(pages) == {"Official"}


DECISION = "Decision: approved on appeal by the committee."


def test_thin_pages_keep_a_line_that_repeats():
    """Two lines a page: every line is at an edge, so nothing tells a header from the text. The
    decision repeated on each page of a register is its text, and stays; page numbers still go."""
    pages = [[f"Planning application {1000 + n}", DECISION] for n in range(2000)]
    assert removed(pages) == set()
    doc = clean_pages(["\n".join(lines) for lines in pages], paged=True)
    assert doc.text.count(DECISION) == 2000 and not doc.removed
    numbered = [[f"Planning application {1000 + n}", DECISION, f"Page {n} of 20"] for n in range(1, 21)]
    assert removed(numbered) == {f"Page {n} of 20" for n in range(1, 21)}
    # Six lines a page are still all edges (the top three and the bottom three).
    six = [[f"Application {n}", "Ward: Dover", f"Site {n}", "Officer: J. Smith", DECISION, f"Ref {n}"] for n in range(50)]
    assert removed(six) == set()


def test_a_few_pages_with_a_body_do_not_decide_for_many_thin_ones():
    """The decision also ends the register's few full pages: not 30% of the pages, so kept."""
    pages = [[f"Planning application {1000 + n}", DECISION] for n in range(200)]
    pages += [[f"Planning application {2000 + n}", *body(n), DECISION] for n in range(10)]
    assert removed(pages) == set()


def test_a_running_header_found_on_full_pages_goes_from_thin_ones_too():
    """A cover and section dividers (thin pages) carry the header the report's pages carry."""
    pages = [["Budget Book 2025/26", f"Section {chr(65 + n)}"] for n in range(4)]  # dividers
    pages += [["Budget Book 2025/26", f"Service {n}", prose(n), *body(n), f"Page {n} of 16"] for n in range(5, 17)]
    gone = furniture_lines(pages)
    assert {(p, 0) for p in range(16)} <= gone  # the header, on every page
    assert removed(pages) == {"Budget Book 2025/26"} | {f"Page {n} of 16" for n in range(5, 17)}


def test_furniture_key_sets_aside_page_numbers_and_dates_only():
    assert furniture_key("Kent County Council – 12 March 2025 – Page 7", 7) == "kent county council – <date> – page <page>"
    assert furniture_key("**Budget Book**  2025/26", 1) == "budget book 2025/26"
    assert furniture_key("FormC\t4", 3) == furniture_key("FormC\t5", 4) != furniture_key("FormC\t5", 3)
    assert furniture_key("Gross expenditure\t2,017\t2,119", 1) != furniture_key("Gross expenditure\t2,034\t2,138", 2)


def test_clean_pages_lists_what_it_removed():
    doc = clean_pages(["\n".join(lines) for lines in budget_pages()], paged=True)
    assert (3, "page number", "Page 3 of 12") in doc.removed_lines
    assert (3, "running header", "Budget Book 2025/26") in doc.removed_lines
    assert doc.removed == {"running header": 12, "page number": 12}
    assert "Gross expenditure\t2051\t2157" in doc.text


# --- A budget book ingested with the real model ---------------------------------------------


@pytest.fixture(scope="module")
def budget_book_searcher(tmp_path_factory, settings):
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("budget-book")
    (root / "papers").mkdir()
    budget_book_pdf(root / "papers" / "budget-book-2025-26.pdf")
    report = ingest([root / "papers"], root / "index", settings, progress=False)
    assert report.added == 1 and not report.failed, report.summary()
    return Searcher(root / "index", settings)


def test_budget_book_rows_are_indexed_on_every_page(budget_book_searcher):
    index = budget_book_searcher.index
    text = index.document_text("budget-book-2025-26.pdf")
    rows = [c for c in index.chunks() if c.kind == "table_row"]
    for page in range(1, len(BUDGET_BOOK_SERVICES) + 1):
        for label, before, after in budget_book_rows(page):
            line = f"{label}\t{before}\t{after}"
            assert line in text, f"page {page}: {line!r} is not in the indexed text"
            assert any(c.page == page and line in c.text for c in rows), f"page {page}: no passage for {line!r}"
    assert "Budget Book 2025/26" not in text
    assert not re.search(r"Page \d+ of 12", text)


def test_budget_book_row_of_one_page_is_found(budget_book_searcher):
    page = BUDGET_BOOK_SERVICES.index("Waste Management") + 1
    _, before, after = budget_book_rows(page)[1]
    hits = budget_book_searcher.search(f"Waste Management gross expenditure {after}", k=5)
    assert any(h.page == page and f"Gross expenditure\t{before}\t{after}" in h.text for h in hits), \
        [(h.page, h.text) for h in hits]


# --- Every Kent PDF -------------------------------------------------------------------------

DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4}\b")
PAGE_CELL = re.compile(r"\s*(?:(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?|-\s*\d{1,4}\s*-)\s*", re.I)
NUMBER = re.compile(r"\d[\d,.]*")
WORD = re.compile(r"[A-Za-z]{2,}")
RISK_REGISTER = "2025-01-30-cabinet/originals/Appendix I Budget Risk Register 22.01.25.pdf"


def figures(line: str) -> tuple[str, ...]:
    """The numbers of a line once dates and a page-number cell or "Page N of M" are set aside."""
    cells = [cell for cell in line.split("\t") if not PAGE_CELL.fullmatch(cell)]
    rest = re.sub(r"\bpage \d+( of \d+)?", " ", DATE.sub(" ", "\t".join(cells)), flags=re.I)
    return tuple(NUMBER.findall(rest))


@pytest.fixture(scope="module")
def kent_cleaned() -> dict:
    """Every Kent PDF read and cleaned as ingestion does (no chunking, no model): ~15 s."""
    from councilqa.ingest.pipeline import discover
    from councilqa.ingest.readers import read_file

    cleaned = {}
    for source in discover([KENT]):
        if source.path.suffix.lower() == ".pdf":
            raw = read_file(source.path, source.path.read_bytes())
            cleaned[source.doc_id] = clean_pages(raw.pages, raw.paged)
    return cleaned


@needs_kent
def test_kent_furniture_with_figures_is_the_same_on_every_page(kent_cleaned):
    """No line removed as furniture holds two figures or more and a word unless those figures
    are the same wherever the line is removed (page numbers and dates aside)."""
    assert len(kent_cleaned) >= 100
    bad = []
    for doc_id, doc in kent_cleaned.items():
        by_words = defaultdict(set)
        for _, reason, line in doc.removed_lines:
            if reason == "running header" and WORD.search(line) and len(figures(line)) >= 2:
                by_words[" ".join(WORD.findall(line)).lower()].add(figures(line))
        bad += [(doc_id, words, sorted(found)) for words, found in by_words.items() if len(found) > 1]
    assert not bad, bad[:5]


@needs_kent
def test_kent_table_rows_are_never_furniture(kent_cleaned):
    """A line of cells removed as furniture carries the page number in a cell of its own."""
    bad = [(doc_id, page, line) for doc_id, doc in kent_cleaned.items() for page, reason, line in doc.removed_lines
           if reason == "running header" and "\t" in line
           and not any(PAGE_CELL.fullmatch(cell) or re.search(r"\bpage \d", cell, re.I) for cell in line.split("\t"))]
    assert not bad, bad[:5]
    if RISK_REGISTER in kent_cleaned:
        doc = kent_cleaned[RISK_REGISTER]
        assert "TOTAL £m\t334.7\t290.0" in doc.text
        assert "Appendix I: Budget Risks Register 2025-26" not in doc.text  # its running header
