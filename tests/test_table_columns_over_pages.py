"""Rule "a continued table keeps its columns" (ingest/pdf_table_cells.py `columns_carried_over`):
a table continued on the next page, whose few rows there set a column of figures too tight
against the words beside it for the reader to find the gap alone, is cut where the page
before cut it, and its rows keep their column names. On PDFs made here, read by the real
parser."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from test_kent_structure import flat, parse

HEADER = ["Ref", "Budget £000s", "Service", "Staff"]


def _row(c, y: float, cells: list[str]) -> None:
    ref, budget, service, staff = cells
    c.drawString(50, y, ref)
    c.drawRightString(140, y, budget)  # figures set flush right, 4 points before the service
    c.drawString(144, y, service)
    c.drawRightString(400, y, staff)


def budget_over_two_pages(path: Path, second_page: list[list[str]]) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Revenue budget by key service")
    y = 770
    _row(c, y, HEADER)
    for n in range(1, 40):
        y -= 16
        _row(c, y, [str(n), f"{1000 + n * 37:,}.5", f"Community service {n}", f"{n * 11}"])
    c.drawString(280, 40, "Page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 10)
    y = 800
    for cells in second_page:
        _row(c, y, cells)
        y -= 16
    c.drawString(50, y - 20, "All figures are net of income.")
    c.drawString(280, 40, "Page 2 of 2")
    c.showPage()
    c.save()
    return path


def _reading(parsed, ref: str) -> str:
    (row,) = [c for c in parsed.chunks if c.kind == "table_row" and c.page == 2 and flat(c.text).startswith(ref + " ")]
    return row.reading


def test_a_continued_table_is_cut_where_the_page_before_cut_it(tmp_path):
    parsed = parse(budget_over_two_pages(tmp_path / "budget.pdf", [
        ["40", "12,480.5", "Day Services for Adults", "61"],
        ["41", "8,215.0", "Shared Lives Placements", "62"]]), "budget.pdf")
    # Read alone, the page's two rows glued each budget to its service ("12,480.5 Day
    # Services ..."), in one cell under no column name.
    assert "Budget £000s: 12,480.5" in _reading(parsed, "40")
    assert "Service: Day Services for Adults" in _reading(parsed, "40")
    assert "Budget £000s: 8,215.0" in _reading(parsed, "41")


def test_a_table_whose_words_lie_across_the_old_gap_keeps_its_own_columns(tmp_path):
    # Rows whose words run across where the page before had a gap are not that table's rows.
    path = budget_over_two_pages(tmp_path / "budget.pdf", [])
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    y = 770
    _row(c, y, HEADER)
    for n in range(1, 40):
        y -= 16
        _row(c, y, [str(n), f"{1000 + n * 37:,}.5", f"Community service {n}", f"{n * 11}"])
    c.showPage()
    c.setFont("Helvetica", 10)
    for y, (ref, words, staff) in zip((800, 784, 768), [("40", "Carers support and short breaks at home", "61"),
                                                       ("41", "Respite care and shared lives placements", "62"),
                                                       ("42", "Day opportunities and community outreach", "63")]):
        c.drawString(50, y, ref)
        c.drawString(100, y, words)  # across the gap at 140-144 of the page before
        c.drawRightString(400, y, staff)
    c.showPage()
    c.save()
    readings = [r.reading for r in parse(path, "budget.pdf").chunks if r.kind == "table_row" and r.page == 2]
    # Cut at the page before's columns, each description was read as a budget.
    assert readings and not any("Budget £000s" in r for r in readings), readings
    assert any("Carers support and short breaks at home" in r for r in readings), readings
