"""Rule "a cell centred on two lines is one table row" (ingest/pdf_rows.py `_one_band`): a
header cell set on two lines, centred against header cells of one line, names its column in
full; the lines of its band are one row. On pages made here, and on a Kent PDF where present
(skipped cleanly otherwise)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import needs_kent
from pdfs import draw_rows
from test_kent_structure import flat, kent, parse

LIMITS = [["Housing associations", "5 years", "£8m", "£40m"], ["Other councils", "2 years", "£12m", "unlimited"],
          ["Building societies", "9 months", "£6m", "£25m"]]


def limits_page(path: Path, centred: bool) -> Path:
    """A sentence, then a table of lending limits whose third header ("Borrower limit") is set
    on two lines centred against the one-line headers beside it (or, `centred` False, on one
    line above them, as a note would be)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "The council may lend its surplus cash to the borrowers below, within these limits.")
    y = 760
    if centred:
        c.drawString(330, y + 8, "Borrower")  # the band: 8 points above and below the line, 10-point text
        c.drawString(337, y - 8, "limit")
    else:
        c.drawString(330, y + 14, "Borrower")
    c.drawString(230, y, "Time limit")
    c.drawString(430, y, "Sector limit")
    y -= 24
    draw_rows(c, LIMITS, [50, 230, 335, 430], y, pitch=16)
    c.showPage()
    c.save()
    return path


def rows(parsed) -> dict[str, object]:
    return {flat(c.row.label): c.row for c in parsed.chunks if c.kind == "table_row"}


def test_a_header_centred_on_two_lines_names_its_column(tmp_path):
    found = rows(parse(limits_page(tmp_path / "lending.pdf", centred=True), "lending.pdf"))
    assert set(found) == {label for label, *_ in LIMITS}
    row = found["Other councils"]
    assert [(cell.header, cell.value) for cell in row.cells] == [
        ("Time limit", "2 years"), ("Borrower limit", "£12m"), ("Sector limit", "unlimited")]
    assert "Borrower limit: £12m" in row.reading()


def test_a_line_above_the_header_is_not_pulled_into_it(tmp_path):
    # Set a full line above the header, "Borrower" is a note over the table, not half a column name.
    found = rows(parse(limits_page(tmp_path / "lending.pdf", centred=False), "lending.pdf"))
    headers = {cell.header for cell in found["Other councils"].cells}
    assert "Time limit" in headers and "Sector limit" in headers
    assert not any("Borrower" in header for header in headers)


@needs_kent
def test_a_treasury_strategy_names_every_limit_column():
    # The counterparty limit's name is set on two lines around "Time limit" and "Sector limit":
    # its second line alone had named the column ("limit: unlimited").
    parsed = kent("2025-02-13-full-council/originals/Appendix M - Treasury Management Strategy 2025-26.pdf")
    government = [c.row for c in parsed.chunks if c.kind == "table_row" and flat(c.row.label) == "The UK Government"]
    assert [[cell.header for cell in row.cells] for row in government] == [["Time limit", "Counterparty limit"]]
