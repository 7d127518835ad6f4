"""A column name that starts in the gap before its column ("Total Cost of" / "Scheme", printed
over figures set flush right) in a long table: the gap is still a column's edge, so each total
keeps its own cell and its name, not glued to the end of the description beside it
(ingest/pdf_table_spans.py `_gutters`, which counted the rows on both sides of such a gap only
to three and so never found it in a table of twelve rows or more; ingest/pdf_table_cells.py
`_runs`, which placed the name by its short first word). A made-up table, read by the real parser."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from test_kent_structure import flat, parse


def potential_projects(path: Path, rows: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica", 8)
    c.drawString(42, 541, "POTENTIAL CAPITAL PROJECTS BY YEAR")
    c.drawString(445, 519, "Total Cost of")
    for x, name in [(509, "2025-26"), (564, "2026-27")]:
        c.drawString(x, 519, name)
    for x, name in [(50, "Area"), (126, "Potential Projects"), (314, "Description of Project"), (453, "Scheme")]:
        c.drawString(x, 514, name)
    for x, name in [(511, "Year 1"), (567, "Year 2")]:
        c.drawString(x, 505, name)
    for x in (457, 513, 568):
        c.drawString(x, 497, "£000s")
    y = 479
    for k in range(rows):
        c.drawString(58, y, "GET")
        c.drawString(98, y, f"Scheme number {k + 1}")
        # Some descriptions end a few points before the gap where "Total Cost of" starts.
        c.drawString(263, y, "Improvements to roads and footways" + (" and bridges" if k % 3 == 0 else ""))
        c.drawRightString(493, y, f"{(k + 1) * 1000 + 375:,}")
        c.drawRightString(548, y, f"{(k + 1) * 100 + 5:,}")
        c.drawRightString(604, y, f"{(k + 1) * 200 + 7:,}")
        y -= 17
    c.showPage()
    c.save()
    return path


def test_totals_keep_their_column_in_a_long_table(tmp_path):
    parsed = parse(potential_projects(tmp_path / "projects.pdf", rows=14), "projects.pdf")
    readings = [flat(c.reading) for c in parsed.chunks if c.kind == "table_row" and c.row and c.row.cells]
    assert len(readings) == 14
    first = next(text for text in readings if "Scheme number 1 " in text)
    assert "Total Cost of Scheme / £000s: 1,375" in first
    assert "and bridges." in first  # the description ends where it ends, no total glued to it
    assert all("Total Cost of Scheme / £000s: " in text for text in readings)
