"""Rule "a cell's first lines set above its row" (ingest/pdf_table_cells.py `_opens_row_below`):
in a table without borders whose cells are centred vertically, a description of several lines
starts above the line holding its row's name and figures; its first line belongs to that row,
not to the row above. On pages made here, and on Kent PDFs where present (skipped cleanly
otherwise)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import needs_kent
from test_kent_structure import flat, kent, parse

PITCH = 11  # points between the lines of one cell


def programme_page(path: Path) -> Path:
    """A capital programme: ref, scheme, description, cost, as a word processor writes a table,
    cell by cell. Row 2's description has three lines centred on its row's line; row 3's has
    two, set from the row's line down (top-aligned), as other tables do."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 8)
    c.drawString(50, 800, "Capital schemes in the programme for the coming year.")
    y = 770
    for x, name in [(50, "Ref"), (80, "Scheme"), (230, "Description")]:
        c.drawString(x, y, name)
    c.drawRightString(540, y, "Cost £000s")
    rows = [
        ("1", "Library roof renewal", ["Replacing the roof of the central library"], "1,250", 0),
        ("2", "Harbour wall repairs", ["Repairs to the harbour wall after winter storms, with",
                                       "new drainage behind the wall and resurfacing of the",
                                       "promenade above it"], "4,800", 1),
        ("3", "Park lighting", ["New lighting along the main paths of three parks, and",
                                "timers to dim it after midnight"], "320", 0),
        ("4", "Depot vehicles", ["Electric vans for the highways depot"], "610", 0),
    ]
    y -= 20
    for ref, scheme, description, cost, above in rows:
        y -= above * PITCH  # a centred cell's first lines stand above its row's line
        c.drawString(50, y, ref)
        c.drawString(80, y, scheme)
        for k, line in enumerate(description):
            c.drawString(230, y + (above - k) * PITCH, line)
        c.drawRightString(540, y, cost)
        y -= (len(description) - above) * PITCH + 4
    c.showPage()
    c.save()
    return path


def descriptions(parsed) -> dict[str, str]:
    """Each table row's scheme mapped to its description cell."""
    found = {}
    for chunk in parsed.chunks:
        if chunk.kind == "table_row":
            cells = {cell.header: flat(cell.value) for cell in chunk.row.cells}
            found[cells.get("Scheme", "")] = cells.get("Description", "")
    return found


def test_a_centred_cells_first_line_belongs_to_its_own_row(tmp_path):
    found = descriptions(parse(programme_page(tmp_path / "programme.pdf"), "programme.pdf"))
    assert found["Library roof renewal"] == "Replacing the roof of the central library"
    assert found["Harbour wall repairs"] == ("Repairs to the harbour wall after winter storms, with new drainage "
                                             "behind the wall and resurfacing of the promenade above it")


def test_a_top_aligned_cell_keeps_its_wrapped_line(tmp_path):
    # Row 3's second line comes after its first, below its row's line: it stays with row 3 and is
    # not taken as the first line of row 4's cell.
    found = descriptions(parse(programme_page(tmp_path / "programme.pdf"), "programme.pdf"))
    assert found["Park lighting"] == "New lighting along the main paths of three parks, and timers to dim it after midnight"
    assert found["Depot vehicles"] == "Electric vans for the highways depot"


@needs_kent
def test_a_capital_programme_row_keeps_its_whole_description():
    # A scheme's description of four lines, centred on its row, had its first line read as the
    # end of the row above's description.
    parsed = kent("2025-02-13-full-council/originals/Appendix B - Capital Investment by Directorate.pdf")
    rows = [flat(c.text) for c in parsed.chunks if c.kind == "table_row" and c.page == 6]
    transfer = [r for r in rows if "New Transfer Station" in r]
    flooding = [r for r in rows if "Surface Water Flood Risk Management" in r]
    assert transfer and flooding
    assert not any("flood risk management and climate adaptation" in r for r in transfer)
    assert all("To provide flood risk management and climate adaptation investment in capital infrastructure" in r
               for r in flooding)


@needs_kent
def test_a_key_service_description_is_not_read_into_the_header():
    # Descriptions centred on their rows had their first line appended to the column names above.
    parsed = kent("2025-02-13-full-council/originals/Appendix G - Key Service Statement.pdf")
    headers = {flat(cell.header) for c in parsed.chunks if c.kind == "table_row" for cell in c.row.cells}
    assert any(h.endswith("Key Service Description") for h in headers)
    assert all(len(h) < 80 for h in headers), [h for h in headers if len(h) >= 80]
