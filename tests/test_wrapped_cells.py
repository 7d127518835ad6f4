"""Table cells whose text wraps over several lines: every line of a cell stays in its row,
with the column headers, and text after the table stays out of it. On real Kent PDFs where
they are present (skipped cleanly otherwise) and on a page made here."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import needs_kent
from test_kent_structure import kent, parse

LOGFRAME = "2025-01-30-cabinet/originals/24-00115 - Appendix B - KCC ICS priorities measures.pdf"
QPR = "2025-03-04-cabinet/originals/QPR Q3 Cabinet appendix 1.pdf"
FINANCE_MONITORING = "2025-01-30-cabinet/originals/24-00108 - Finance Monitoring Report - Q3 - November 2024-25.pdf"


def the_row(parsed, words: str, page: int = 1):
    """The one table row on the page whose label starts with the words."""
    [row] = [c for c in parsed.chunks if c.kind == "table_row" and c.page == page and c.row.label.startswith(words)]
    return row


def cell(chunk, header: str) -> str | None:
    return next((c.value for c in chunk.row.cells if c.header == header), None)


@needs_kent
def test_a_logframe_indicator_keeps_its_whole_wrapped_text_and_its_timescale():
    parsed = kent(LOGFRAME)
    row = the_row(parsed, "Reduce the % of economically inactive people", page=30)
    assert row.row.label.endswith("from 20.9% in 2023 to the pre-pandemic level of 18.5% in 2019")
    assert row.row.label_header == "Objectively Verifiable Indicators"
    assert cell(row, "Timescale") == "2028"
    # The rows below it, whose Timescale and Progress are empty, are rows too, with headers.
    for start, end in [("By 2028, the proportion of children", "from 18% in 2022 to 17%."),
                       ("For the emissions we can influence", "reduction by 2036 to 2039.")]:
        below = the_row(parsed, start, page=30)
        assert below.row.label.endswith(end)
        assert below.row.headers == ["Objectively Verifiable Indicators", "Timescale", "Progress"]


@needs_kent
def test_a_wrapped_row_name_in_a_dashboard_table_keeps_its_figures():
    row = the_row(kent(QPR), "Apply for a HWRC", page=14)
    assert row.row.label == "Apply for a HWRC recycling voucher"
    assert row.row.label_header == "Transaction type"
    assert cell(row, "Total Transactions Last 12 Months") == "6,159"


@needs_kent
def test_a_budget_line_wrapped_under_its_figures_is_one_row():
    parsed = kent(FINANCE_MONITORING)
    row = the_row(parsed, "Provision for Demographic Growth - Community", page=10)
    assert row.row.label == "Provision for Demographic Growth - Community Based Services"
    assert row.row.label_header == "Key Service"
    assert [c.value for c in row.row.cells][:3] == ["15.8", "1.2", "-14.5"]
    # The page number under the last row of a page is not part of that row.
    assert not [c for c in parsed.chunks if c.kind == "table_row" and "Page 8 of 54" in c.text]


def wrapped_table_pdf(path: Path) -> Path:
    """A caption, a table without rules whose first column wraps (a row with values beside
    its first line, a row with empty value cells), cells written one after another as a word
    processor writes them, rows apart by their padding; then a paragraph across the page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Measures of the recycling plan")
    xs = [50, 380, 460]
    rows = [
        [["Indicator"], ["Target year"], ["Status"]],
        [["Raise the share of household waste that is recycled", "from 41% in 2023 to at least 50%"], ["2027"],
         ["On track"]],
        [["Cut the tonnes of waste sent to landfill each year", "by a fifth against the 2022 baseline"], [], []],
    ]
    y = 770
    for row in rows:
        for x, lines in zip(xs, row):
            for k, text in enumerate(lines):
                c.drawString(x, y - 12 * k, text)
        y -= 12 * max(len(lines) for lines in row) + 8
    y -= 12
    for text in ["The measures above are reviewed each quarter by the waste partnership board, and the",
                 "figures are published with the quarterly performance report for the county."]:
        c.drawString(50, y, text)
        y -= 12
    c.showPage()
    c.save()
    return path


def test_wrapped_cells_stay_in_their_rows_and_the_paragraph_after_stays_text(tmp_path):
    path = wrapped_table_pdf(tmp_path / "wrapped.pdf")
    parsed = parse(path, "wrapped.pdf")
    first = the_row(parsed, "Raise the share")
    assert first.row.label == "Raise the share of household waste that is recycled from 41% in 2023 to at least 50%"
    assert cell(first, "Target year") == "2027" and cell(first, "Status") == "On track"
    second = the_row(parsed, "Cut the tonnes")
    assert second.row.label.endswith("by a fifth against the 2022 baseline")
    assert second.row.headers == ["Indicator", "Target year", "Status"]
    [after] = [c for c in parsed.chunks if "reviewed each quarter" in c.text]
    assert after.kind == "text" and "county." in after.text
