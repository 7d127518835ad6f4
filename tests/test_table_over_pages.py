"""Rule "a table continued over a page keeps its header" (ingest/tables.py `continued_header`,
ingest/chunking.py): rows that open a page right after a table that closed the page before are
read under that table's header and caption; a table that starts a page with its own header, or
rows after text, are not. On PDFs made here, read by the real parser."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from councilqa.ingest.tables import CarriedHeader, Row, continued_header, row_chunks
from test_kent_structure import flat, parse

XS = [50, 260, 340, 420]


def _rows(c, y: float, rows, xs: list[float] = XS) -> float:
    for row in rows:
        for x, cell in zip(xs, row):
            c.drawString(x, y, cell)
        y -= 16
    return y


def two_page_table(path: Path, second_page_opens_with: list[str] | None = None) -> Path:
    """Page 1: a paragraph, a captioned table of placement costs that runs to the foot of the
    page; page 2: the rest of its rows (after a line of text, when given), then a paragraph."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "The cost of placements has risen in every setting since 2022.")
    c.drawString(50, 770, "Table 2: Average cost per pupil, £s")
    y = _rows(c, 750, [["Setting", "2022-23", "2023-24", "2024-25"]]
              + [[f"Day nursery {n}", f"£{9000 + n * 10:,}", f"£{9500 + n * 10:,}", f"£{9900 + n * 10:,}"] for n in range(1, 40)])
    assert y < 120
    c.drawString(280, 40, "Page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 10)
    y = 800
    if second_page_opens_with:
        c.drawString(50, y, second_page_opens_with[0])
        y -= 30
    y = _rows(c, y, [["Independent special schools", "£43,734", "£46,894", "£50,018"],
                     ["Post-16 colleges", "£13,309", "£14,565", "£14,183"]])
    c.drawString(50, y - 20, "Costs in independent schools rose fastest.")
    c.drawString(280, 40, "Page 2 of 2")
    c.showPage()
    c.save()
    return path


def _row(parsed, label: str):
    (row,) = [c for c in parsed.chunks if c.kind == "table_row" and flat(c.text).startswith(label)]
    return row


def test_rows_continued_on_the_next_page_keep_the_header_and_caption(tmp_path):
    parsed = parse(two_page_table(tmp_path / "costs.pdf"), "costs.pdf")
    row = _row(parsed, "Independent special schools")
    assert row.page == 2
    assert [(c.header, c.value) for c in row.row.cells] == [("2022-23", "£43,734"), ("2023-24", "£46,894"),
                                                           ("2024-25", "£50,018")]
    assert "Table 2: Average cost per pupil" in row.context


def test_rows_after_text_on_the_next_page_are_not_given_the_header(tmp_path):
    parsed = parse(two_page_table(tmp_path / "costs.pdf", ["Other settings are shown below for comparison."]),
                   "costs.pdf")
    row = _row(parsed, "Independent special schools")
    assert not any(c.header for c in row.row.cells) and "Table 2" not in row.context


def interrupted_table(path: Path) -> Path:
    """One page: a table of grants by year whose rows are split into groups by a line of text
    naming the group, printed across the columns."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Grants to voluntary groups are set out below.")
    y = _rows(c, 770, [["Group", "2023-24", "2024-25", "2025-26"],
                       ["Food banks", "£12,000", "£12,500", "£13,000"],
                       ["Credit unions", "£8,000", "£8,200", "£8,400"]])
    c.drawString(50, y - 4, "Young people and families: groups funded jointly with the health service since April 2023")
    y = _rows(c, y - 24, [["Youth clubs", "£21,000", "£21,500", "£22,000"],
                          ["Parent support groups", "£6,000", "£6,100", "£6,300"]])
    c.drawString(50, y - 20, "Every grant is reviewed each year by the grants panel.")
    c.showPage()
    c.save()
    return path


def test_rows_below_a_line_of_text_inside_the_table_keep_its_header(tmp_path):
    """Rule "a table interrupted by wrapped text keeps its header" (ingest/chunking.py): rows
    after a line of text on the same page, starting with data in as many columns as the header,
    are the table's rows."""
    parsed = parse(interrupted_table(tmp_path / "grants.pdf"), "grants.pdf")
    row = _row(parsed, "Youth clubs")
    assert [(c.header, c.value) for c in row.row.cells] == [("2023-24", "£21,000"), ("2024-25", "£21,500"),
                                                           ("2025-26", "£22,000")]


def two_page_table_of_words(path: Path) -> Path:
    """A table of questions raised, the council's responses and who leads on each, in words
    only, running from the foot of page 1 onto page 2, where it has no header line of its own."""
    c = canvas.Canvas(str(path), pagesize=A4)
    xs = [40, 190, 500]  # a long response column, set in a small font to fit
    c.setFont("Helvetica", 7)
    c.drawString(40, 800, "The questions raised at the drop-in sessions, with our responses.")
    y = _rows(c, 770, [("Question raised", "Response", "Lead")] + [
        (f"Will the library in ward {n} stay open?",
         f"The library in ward {n} will keep its opening hours until the review ends next year.", "Libraries")
        for n in range(1, 42)], xs)
    assert y < 120
    c.drawString(280, 40, "Page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 7)
    y = _rows(c, 800, [("How long will the hall grant last?",
                     "Grants are agreed every year and the current grant for the hall runs until March 2026.", "Grants"),
                    ("Who pays for the minibus?",
                     "The transport budget pays for the minibus and its driver for the next three years.", "Transport")], xs)
    c.drawString(40, y - 20, "We will publish the answers to further questions on the website.")
    c.drawString(280, 40, "Page 2 of 2")
    c.showPage()
    c.save()
    return path


def test_a_table_of_words_continued_over_a_page_keeps_its_first_row_there(tmp_path):
    """A continued table of words has no figure to show that its first line on the new page is
    data; the sentence in it does. That line is a row under the table's header, and its words
    do not name the columns of the rows below it."""
    parsed = parse(two_page_table_of_words(tmp_path / "questions.pdf"), "questions.pdf")
    first = _row(parsed, "How long will the hall grant last?")
    assert first.page == 2 and first.row.headers == ["Question raised", "Response", "Lead"]
    assert "Columns: Question raised | Response | Lead" in first.context
    second = _row(parsed, "Who pays for the minibus?")
    assert second.row.headers == ["Question raised", "Response", "Lead"] and "hall grant" not in second.context


# Rule "figures keep their columns when the label is cut" (ingest/tables.py `figures_under`): a
# made-up service budget whose header, read with tighter gutters, holds the reference, last
# year's budget and the service name in one column, over rows that a later reading cut apart.
BUDGET_HEADER = [Row(0, 0, ["Ref Budget Service", "Staffing", "Running costs", "Gross", "Income", "Net cost"])]


def _continued(cells: list[str], header: list[Row] = BUDGET_HEADER):
    row = Row(0, 0, cells)
    continued = continued_header([row], CarriedHeader(header, "Table 4: Budget by service, £000s"))
    if continued is None:
        return None
    (chunk,) = row_chunks(continued + [row], "")
    return {c.header: c.value for c in chunk.row.cells if c.header}


def test_rows_with_their_label_cut_apart_keep_the_figure_columns_of_the_header():
    named = _continued(["12", "4,210.5", "Day services", "1,200.0", "3,300.0", "4,500.0", "-250.0", "4,250.0"])
    figures = {"Staffing": "1,200.0", "Running costs": "3,300.0", "Gross": "4,500.0", "Income": "-250.0", "Net cost": "4,250.0"}
    assert figures.items() <= named.items()
    # A description column that the header's last name ran into is under no name of its own.
    named = _continued(["13", "880.0", "Meals", "100.0", "800.0", "900.0", "-20.0", "880.0", "Hot meals at home"])
    assert named["Net cost"] == "880.0" and "Hot meals at home" not in named.values()


def test_rows_whose_cells_do_not_line_up_with_the_figure_columns_are_not_continued():
    # Words where a figure column is: the extra cell is not a cut label.
    assert _continued(["12", "Day services", "1,200.0", "to be confirmed", "4,500.0", "-250.0", "4,250.0"]) is None
    # No name over the label column: nothing says the extra cells are the label.
    unnamed = [Row(0, 0, ["", "Staffing", "Running costs", "Gross", "Income", "Net cost"])]
    assert _continued(["Day services", "4,210.5", "1,200.0", "3,300.0", "4,500.0", "-250.0", "4,250.0"], unnamed) is None
