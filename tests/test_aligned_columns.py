"""Rule "cells that start in line make a column" (ingest/pdf_table_spans.py `_gutters`):
a cell whose text runs almost up to the next column, leaving a gap narrower than a cell gap,
still ends there when every row of the table starts a cell right after that gap. Read without
the column, its line and the next column's were one run of text ("... to the adult social care
base £250k reduction in the grant to the museum budget gallery."), so neither sentence was
whole anywhere. On pages made here, and on a Kent PDF where present (skipped cleanly otherwise)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import needs_kent
from test_kent_structure import flat, holding, kent, parse

RIGHT = 362  # where the second column starts
LEFT_LINE = "£180k to be added to the Adult Social Care & Health base budget for"  # up to 9 points short of it


def form_page(path: Path, right: float = RIGHT) -> Path:
    """A budget amendment form's last block, ruled: two column names, then a proposal and its
    funding, each wrapped onto a second line, the proposal's first line running almost up to
    the second column (which starts at `right`)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(49, 800, "This amendment moves money from the museum grant to adult social care.")
    c.setLineWidth(0.5)
    for y in (782, 766, 735):  # the form's ruled lines, above, under the column names, below
        c.line(45, y, 560, y)
    # Each column is written whole, then the next, as a form's table cells are: PDFium keeps
    # the cells of a line apart, as it does in the papers.
    for x, lines in [(49, ["Proposed Amount", LEFT_LINE, "older people"]),
                     (right, ["Proposed Funding Source:", "£180k reduction in the grant to the Town", "Museum."])]:
        for y, line in zip([770, 755, 740], lines):
            c.drawString(x, y, line)
    c.showPage()
    c.save()
    return path


def texts(parsed) -> list[str]:
    return [flat(c.text) for c in parsed.chunks]


def test_a_cell_running_up_to_the_next_column_ends_there(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    gap = RIGHT - 49 - stringWidth(LEFT_LINE, "Helvetica", 10)
    assert 7.5 < gap < 10  # narrower than a cell gap (0.9 of a line), wider than 0.6 of one
    found = texts(parse(form_page(tmp_path / "amendment.pdf"), "amendment.pdf"))
    assert any("£180k to be added to the Adult Social Care & Health base budget for older people" in t for t in found), found
    assert any("£180k reduction in the grant to the Town Museum." in t for t in found), found


@needs_kent
def test_a_risk_registers_cause_and_effect_are_each_whole():
    parsed = kent("2025-02-13-full-council/originals/Appendix J - Budget Risk Register.pdf")
    assert holding(parsed, "Capital project costs are subject to higher than budgeted inflation.")
    assert holding(parsed, "Increase in building inflation above that built into business cases.")
