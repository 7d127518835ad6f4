"""Rule "a survey question captions its answers" (ingest/chunking.py `_survey_question`): the
rows of a table of answers to a consultation question carry the question. On a page made here."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from test_kent_structure import flat, parse

ANSWERS = [["Leaflet through the door", "144", "35%"], ["Council website", "91", "22%"],
           ["From a friend or neighbour", "58", "14%"], ["Local newspaper", "37", "9%"]]


def survey_page(path: Path, heading: list[str]) -> Path:
    """A paragraph of findings, the lines given (a question and a note of who answered, or
    prose), then a table of the answers, how many gave each and their share, without a header."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Most people heard about the consultation through a leaflet (35%).")
    y = 770
    for line in heading:
        c.drawString(50, y, line)
        y -= 14
    y -= 20
    for label, count, share in ANSWERS:
        c.drawString(50, y, label)
        c.drawString(300, y, count)
        c.drawString(400, y, share)
        y -= 16
    c.drawString(50, y - 40, "Respondents could give more than one answer, so the shares add up to more than 100%.")
    c.showPage()
    c.save()
    return path


def rows(parsed) -> dict[str, object]:
    return {flat(c.row.label): c for c in parsed.chunks if c.kind == "table_row"}


def test_each_answer_row_carries_the_question_it_answers(tmp_path):
    parsed = parse(survey_page(tmp_path / "consultation.pdf", [
        "How did you hear about this consultation?",
        "Base: all answering (412), respondents could select more than one answer.",
    ]), "consultation.pdf")
    answers = rows(parsed)
    assert set(answers) == {label for label, _, _ in ANSWERS}
    row = answers["Council website"]
    assert row.row.caption == "How did you hear about this consultation?"
    assert "How did you hear about this consultation?" in row.context and row.reading.endswith("91; 22%")
    # The note of who answered stays in the text passage, where its count can be cited.
    assert any("Base: all answering (412)" in flat(c.text) for c in parsed.chunks if c.kind == "text")


def test_a_question_wrapped_over_two_lines_is_read_whole(tmp_path):
    parsed = parse(survey_page(tmp_path / "consultation.pdf", [
        "To what extent do you agree or disagree with the proposal to",
        "close the library on Mondays?",
        "Base: all answering (298).",
    ]), "consultation.pdf")
    assert rows(parsed)["Local newspaper"].row.caption == (
        "To what extent do you agree or disagree with the proposal to close the library on Mondays?")


def test_prose_before_a_table_is_no_caption(tmp_path):
    parsed = parse(survey_page(tmp_path / "consultation.pdf", [
        "Leaflets were delivered to every household. Did they work?",
        "The table shows where respondents heard about it.",
    ]), "consultation.pdf")
    assert rows(parsed)["Leaflet through the door"].row.caption == ""
