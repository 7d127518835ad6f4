"""A table set inside a numbered paragraph, as reports print their indicators: rules "a numbered
paragraph is not a table's first row" (ingest/pdf_table_spans.py), "a hyphen that ends a cell is
not a broken word" (ingest/pdf_rows.py), the lines of one cell read top to bottom and a word
that starts in a gutter belonging to the column it mostly lies in (right-aligned headers of two
lines). On a page made here; on a real Kent PDF where present (skipped cleanly otherwise)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from conftest import needs_kent
from test_kent_structure import flat, holding, kent, parse


def _paragraph(c, y: float, number: str, lines: list[str]) -> float:
    c.drawString(60, y, number)
    for line in lines:
        c.drawString(90, y, line)
        y -= 12
    return y


def _table(c, top: float, header: list[tuple[str, float]], rows: list[list[str]]) -> float:
    """A ruled table inside the paragraphs' text column (x 150-520), every cell right-aligned;
    header cells given with their own drop below the top rule."""
    c.line(150, top, 520, top)
    for (text, drop), x in zip(header, [340, 420, 420, 510]):
        c.drawRightString(x, top - drop, text)
    y = top - 21
    c.line(150, y, 520, y)
    for row in rows:
        y -= 9
        for text, x in zip(row, [340, 420, 510]):
            c.drawRightString(x, y, text)
        y -= 3
    c.line(150, y - 1, 520, y - 1)
    return y


def indicators_page(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica", 10)
    y = _paragraph(c, 540, "4.1", [
        "Borrowing: The council keeps its borrowing within a limit it sets each year, and reports",
        "how close it came to that limit. The limit covers loans from the Public Works Loan Board",
        "and from other councils. Leases are counted in full."])
    # right under the paragraph; "Actual" over a wider "31/03/2025", close enough to be one line
    y = _table(c, y + 9, [("Borrowing indicator", 14), ("Actual", 10), ("31/03/2025", 17), ("Limit", 16)],
               [["Loans outstanding at year end", "£512.4m", "£600m"],
                ["Minimum credit rating of lenders", "A+", "A-"]])
    y = _paragraph(c, y - 40, "4.2", [
        "Liquidity: The council keeps enough cash to meet three months of payments without",
        "borrowing more."])
    # after a gap; the header's two lines far enough apart to be read as two
    _table(c, y - 10, [("Liquidity indicator", 14), ("Actual", 9), ("31/03/2025", 20), ("Minimum", 15)],
           [["Cash available within three months", "£145.8m", "£100m"]])
    c.showPage()
    c.save()
    return path


def _row(parsed, label: str):
    rows = [c for c in parsed.chunks if c.kind == "table_row" and c.row and c.row.label == label]
    assert len(rows) == 1, [(c.kind, flat(c.text)) for c in parsed.chunks]
    return rows[0]


def test_a_table_under_a_numbered_paragraph_keeps_its_own_header(tmp_path):
    parsed = parse(indicators_page(tmp_path / "indicators.pdf"), "indicators.pdf")
    row = _row(parsed, "Loans outstanding at year end")
    assert [(c.header, c.value) for c in row.row.cells] == [("Actual 31/03/2025", "£512.4m"), ("Limit", "£600m")]
    # the paragraph is text, whole, and not a header or row of the table
    assert [c.kind for c in holding(parsed, "Borrowing: The council keeps its borrowing")] == ["text"]
    assert holding(parsed, "The limit covers loans from the Public Works Loan Board and from other councils.")


def test_a_hyphen_ending_a_cell_stays_in_its_cell(tmp_path):
    parsed = parse(indicators_page(tmp_path / "indicators.pdf"), "indicators.pdf")
    row = _row(parsed, "Minimum credit rating of lenders")
    assert flat(row.text) == "Minimum credit rating of lenders A+ A-"  # not "A-4.2"
    # and, as ratings under column names (tables.py, "codes under a column name are its values"):
    assert [(c.header, c.value) for c in row.row.cells] == [("Actual 31/03/2025", "A+"), ("Limit", "A-")]
    # and the next paragraph keeps its number
    assert holding(parsed, "4.2 Liquidity: The council keeps enough cash")


def test_a_header_of_two_lines_in_a_right_aligned_column_names_that_column(tmp_path):
    parsed = parse(indicators_page(tmp_path / "indicators.pdf"), "indicators.pdf")
    row = _row(parsed, "Cash available within three months")
    assert [(c.header, c.value) for c in row.row.cells] == [("Actual 31/03/2025", "£145.8m"), ("Minimum", "£100m")]


@needs_kent
def test_kent_treasury_indicators_are_rows_under_their_headers():
    parsed = kent("2025-01-30-cabinet/originals/24-00108 - Finance Monitoring Report - Q3 - November 2024-25.pdf")
    row = _row(parsed, "Portfolio average credit rating")
    assert (row.page, flat(row.text)) == (51, "Portfolio average credit rating AA+ AA-")
    assert [(c.header, c.value) for c in row.row.cells] == [("Actual 30/11/2024", "AA+"), ("Target", "AA-")]
    # the paragraph above it is text that keeps its number
    assert [c.kind for c in holding(parsed, "8.8 Security: The Council has adopted")] == ["text"]
    rate = _row(parsed, "One-year revenue impact of a 1% rise in interest rates")
    assert [c.header for c in rate.row.cells] == ["Actual 30/11/2024", "Limit"]
