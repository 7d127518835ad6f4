"""Rule "a sentence cut by a page break is read whole" (ingest/page_breaks.py): the passages
either side of a page break inside a sentence each get the other half of the sentence in their
context, never in their text. On a PDF made here, read by the real parser, and on made-up
passages."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from councilqa.ingest.page_breaks import read_cut_sentences_whole
from councilqa.schema import Chunk
from test_kent_structure import flat, parse


def _two_pages(path: Path, second_page: list[str]) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Youth service")
    y = 770
    for n in range(44):
        c.drawString(50, y, f"The youth team ran session {n} in the town centre this term." if n < 43 else
                     "As of January")
        y -= 16
    c.drawString(280, 40, "Page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 10)
    y = 800
    for line in second_page:
        c.drawString(50, y, line)
        y -= 16
    c.drawString(280, 40, "Page 2 of 2")
    c.showPage()
    c.save()
    return path


def _passage(parsed, page: int, first: bool):
    on_page = [c for c in parsed.chunks if c.page == page and c.kind == "text"]
    return on_page[0] if first else on_page[-1]


def test_each_half_of_a_sentence_cut_by_a_page_break_has_the_other_in_its_context(tmp_path):
    parsed = parse(_two_pages(tmp_path / "youth.pdf", [
        "2025, the 18-25 section was working with 312 young people.",
        "The service will report again in the autumn."]), "youth.pdf")
    ending, opening = _passage(parsed, 1, first=False), _passage(parsed, 2, first=True)
    assert flat(ending.text).endswith("As of January") and flat(opening.text).startswith("2025, the 18-25")
    assert "2025, the 18-25 section was working with 312 young people." in ending.context
    assert "As of January" in opening.context
    assert "312" not in ending.text and "January" not in opening.text  # quoted text stays on its page
    assert "The service will report again" not in ending.context  # only the rest of the sentence


def test_a_page_that_opens_with_a_new_sentence_borrows_nothing(tmp_path):
    parsed = parse(_two_pages(tmp_path / "youth.pdf", [
        "Funding for the service is agreed each year.",
        "The service will report again in the autumn."]), "youth.pdf")
    assert not _passage(parsed, 1, first=False).context and not _passage(parsed, 2, first=True).context


def _chunk(n: int, text: str, page: int, section: str = "Housing", kind: str = "text") -> Chunk:
    return Chunk(id=f"d-{n}", document_id="d", text=text, start=0, end=len(text), page=page, section=section, kind=kind)


def test_a_heading_or_a_table_at_the_top_of_the_next_page_is_not_the_rest_of_the_sentence():
    cut = "Households in temporary accommodation at the end of March"
    for after in (_chunk(1, "numbered 412, the highest on record.", 2, section="Homelessness"),
                  _chunk(1, "numbered 412, the highest on record.", 3),
                  _chunk(1, "numbered\t412", 2, kind="table_row")):
        before = _chunk(0, cut, 1)
        read_cut_sentences_whole([before, after])
        assert not before.context and not after.context


def test_only_the_cut_sentence_is_carried_over():
    before = _chunk(0, "Rents rose by 4% last year. Households in temporary accommodation at the end of March", 1)
    after = _chunk(1, "numbered 412, the highest on record. A new hostel opens in May.", 2)
    read_cut_sentences_whole([before, after])
    assert before.context == "numbered 412, the highest on record."
    assert after.context == "Households in temporary accommodation at the end of March"
