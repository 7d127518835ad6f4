"""Rule "a repeated phrase is not columns" (ingest/pdf_table_cells.py `columns_carried_over`): a
table continued on the next page keeps the columns of the table before it, even where the same
phrase in a few of its rows lines its word spaces up like narrow gutters. On a made-up PDF."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from councilqa.ingest.pdf import read_pdf
from pdfs import draw_rows

COLUMNS = [50, 230, 330, 450]


def limits_pdf(path: Path) -> Path:
    """A table of lending limits over two pages; the rows on the second give only a limit per
    fund, the same phrase in each (set in Courier, whose word space is wide, as some fonts' are)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Courier", 10)
    c.drawString(50, 800, "The council may lend to the borrowers below, within these limits.")
    draw_rows(c, [["Borrower", "Time limit", "Lender limit", "Sector limit"],
                  ["Banks", "13 months", "£20m", "£80m"], ["Other councils", "3 years", "£10m", "unlimited"],
                  ["Housing bodies", "5 years", "£10m", "£50m"], ["Pooled funds", "n/a", "", "£200m"]], COLUMNS, 760)
    c.showPage()
    c.setFont("Courier", 10)
    draw_rows(c, [["- Bond funds", "", "£25m per fund", ""], ["- Equity funds", "", "£25m per fund", ""],
                  ["- Property funds", "", "£25m per fund", ""]], COLUMNS, 800)
    c.drawString(50, 700, "This table should be read with the notes below.")
    c.showPage()
    c.save()
    return path


def test_a_phrase_repeated_down_a_continued_table_stays_one_cell(tmp_path):
    second = read_pdf(limits_pdf(tmp_path / "limits.pdf").read_bytes()).pages[1]
    rows = [line.split("\t") for line in second.splitlines() if "funds" in line]
    assert len(rows) == 3
    for cells in rows:
        assert "£25m per fund" in cells, cells
        assert cells.index("£25m per fund") == 2  # under "Lender limit", as on the page before
