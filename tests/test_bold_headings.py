"""Rule "a bold line standing alone is a heading" (ingest/pdf_text.py `_bold_title`): a short
line in bold, a paragraph of its own, that reads as a title names the section of the text and
tables under it. On pages made here."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pdfs import draw_rows
from test_kent_structure import flat, parse


def report_page(path: Path, title: str, bold: bool = True) -> Path:
    """A paragraph, then `title` on a line of its own (in bold, or not), then a paragraph and
    a table under it."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(57, 800, "12. The council keeps enough cash to meet its spending needs.")
    c.setFont("Helvetica-Bold" if bold else "Helvetica", 11)
    c.drawString(57, 770, title)
    c.setFont("Helvetica", 11)
    c.drawString(57, 740, "13. The council may lend its spare cash to the borrowers below, within these limits.")
    draw_rows(c, [("Borrower", "Time limit", "Limit"), ("Other councils", "2 years", "£12m"),
                  ("Housing associations", "5 years", "£8m"), ("Building societies", "9 months", "£6m")],
              [57, 260, 400], 710)
    c.showPage()
    c.save()
    return path


def sections(parsed) -> dict[str, str | None]:
    return {flat(c.text)[:40]: c.section for c in parsed.chunks}


def test_a_bold_line_standing_alone_names_the_section_under_it(tmp_path):
    parsed = parse(report_page(tmp_path / "strategy.pdf", "Approved borrowers"), "strategy.pdf")
    rows = [c for c in parsed.chunks if c.kind == "table_row"]
    assert rows and all(c.section == "Approved borrowers" for c in rows), sections(parsed)
    assert any(c.section == "Approved borrowers" and "may lend its spare cash" in flat(c.text) for c in parsed.chunks)
    # The heading is not quoted as text of the paragraph above it.
    assert not any("Approved borrowers" in flat(c.text) and "spending needs" in flat(c.text) for c in parsed.chunks)


def test_a_line_in_a_regular_face_or_a_bold_sentence_is_no_heading(tmp_path):
    regular = parse(report_page(tmp_path / "regular.pdf", "Approved borrowers", bold=False), "regular.pdf")
    sentence = parse(report_page(tmp_path / "sentence.pdf", "Lending is kept within limits."), "sentence.pdf")
    for parsed in (regular, sentence):
        assert not any(c.section for c in parsed.chunks if c.kind == "table_row"), sections(parsed)


def test_a_large_bold_title_wrapped_onto_two_lines_is_one_heading(tmp_path):
    # Set large with wide line spacing, its two lines are a paragraph gap apart, each standing alone.
    path = tmp_path / "annual.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(57, 780, "Kent Valley Armed Forces Partnership")
    c.drawString(57, 742, "Board")
    c.setFont("Helvetica", 11)
    c.drawString(57, 700, "Since May the board has been chaired by Cllr Ann Lee, with Cllr Raj Patel as vice-chair.")
    c.showPage()
    c.save()
    chaired = [c for c in parse(path, "annual.pdf").chunks if "chaired by Cllr Ann Lee" in flat(c.text)]
    assert [c.section for c in chaired] == ["Kent Valley Armed Forces Partnership Board"]


def test_a_bold_statement_on_a_line_of_its_own_stays_text(tmp_path):
    # A cover's bold line that says something is quoted as text, not taken for a section's name.
    parsed = parse(report_page(tmp_path / "cover.pdf", "The plan was adopted on 4 March 2025"), "cover.pdf")
    assert any("The plan was adopted on 4 March 2025" in flat(c.text) for c in parsed.chunks)
    assert not any(c.section for c in parsed.chunks if c.kind == "table_row")


def test_a_signature_at_the_foot_of_a_page_stays_text(tmp_path):
    path = tmp_path / "foreword.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(57, 800, "We will keep supporting families across the county through the year ahead.")
    c.setFont("Helvetica-Bold", 11)
    c.drawString(57, 760, "Jane Smith")
    c.drawString(57, 730, "Corporate Director of Finance")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(57, 800, "1. The directorate's budget for next year is set out below.")
    c.showPage()
    c.save()
    parsed = parse(path, "foreword.pdf")
    assert any("Jane Smith" in flat(c.text) and "Corporate Director of Finance" in flat(c.text) for c in parsed.chunks)
    assert not any(c.section for c in parsed.chunks)
