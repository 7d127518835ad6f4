"""Rule "a header cut off above its table" (ingest/pdf_table_cells.py `_header_over`,
ingest/pdf_page.py): a table's line of column names printed a gap above the rest of it (its
year labels, "Year 1", and units, "£000s", below) heads the table's own columns, so every value
keeps its column's name and year. On a made-up capital programme, read by the real parser."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from test_kent_structure import flat, parse

NAMES = [(34, "ROW REF"), (147, "Project"), (328, "Description of Project"), (482, "Total Cost of Scheme"),
         (561, "Prior Years Spend"), (632, "2025-26"), (673, "2026-27"), (714, "2027-28")]
ROWS = [("1", "Country Parks Access and Development", "Improvements and adaptations to country parks",
         "10,756", "1,530", "1,126", "1,070", "1,070"),
        ("2", "Public Rights of Way Improvement Plan", "Structural improvements of rights of way",
         "10,804", "2,902", "2,221", "1,383", "1,900"),
        ("3", "Village Halls and Community Centres", "Grants for improvements to village halls",
         "17,793", "3,225", "1,118", "1,075", "1,075"),
        ("4", "Mobile Library Fleet Replacement Scheme", "Replacement of mobile library vehicles",
         "11,600", "1,191", "2,629", "2,520", "2,260")]


def capital_programme(path: Path, gap_below_names: float) -> Path:
    """Column names centred over their columns, figures set flush right (as a spreadsheet
    prints them), a unit over each figure column, and `gap_below_names` points between the
    line of names and the year labels under it."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica", 12)
    c.drawString(34, 540, "CAPITAL INVESTMENT SUMMARY 2025-26 to 2027-28")
    c.setFont("Helvetica", 7)
    for x, name in NAMES:
        c.drawString(x, 488, name)
    years_y = 488 - gap_below_names
    for x, label in [(634, "Year 1"), (675, "Year 2"), (716, "Year 3")]:
        c.drawString(x, years_y, label)
    for x in (498, 580, 635, 676, 717):
        c.drawString(x, years_y - 8, "£000s")
    c.drawString(68, years_y - 16, "Community Services")
    y = years_y - 25
    for row in ROWS:
        c.drawString(47, y, row[0])
        c.drawString(68, y, row[1])
        c.drawString(249, y, row[2])
        for right, value in zip((553, 627, 662, 704, 745), row[3:]):
            c.drawRightString(right, y, value)
        y -= 9
    c.showPage()
    c.save()
    return path


def readings(path: Path) -> list[str]:
    return [flat(c.reading) for c in parse(path, path.name).chunks if c.kind == "table_row" and c.row and c.row.cells]


def test_a_line_of_names_set_apart_heads_its_own_columns(tmp_path):
    read = readings(capital_programme(tmp_path / "capital.pdf", gap_below_names=15))
    (bridge,) = [text for text in read if "Public Rights of Way" in text]
    # Read by position, the names stood one column to the left of their own: the total under
    # "Prior Years Spend", the prior spend under "2026-27".
    assert "Total Cost of Scheme: 10,804" in bridge
    assert "Prior Years Spend: 2,902" in bridge
    assert "2025-26 / Year 1 / £000s: 2,221" in bridge
    assert "2026-27 / Year 2 / £000s: 1,383" in bridge
    assert "2027-28 / Year 3 / £000s: 1,900" in bridge
    assert "Project: Public Rights of Way Improvement Plan" in bridge
    assert len(read) == len(ROWS)
    assert all("Total Cost of Scheme: " in text and "2027-28 / Year 3 / £000s: " in text for text in read)

