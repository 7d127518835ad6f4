"""Rule "columns of prose are not a table" (ingest/pdf_prose_columns.py): side-by-side columns of
running text are read column after column, each sentence whole in one passage, while a real
table, a table whose rows wrap and justified text keep being read as they were. On a page made
here, on made-up cells, and on a real Kent PDF where present (skipped cleanly otherwise)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from conftest import needs_kent
from test_kent_structure import flat, holding, kent, parse

from councilqa.ingest.pdf_prose_columns import column_paragraphs, prose_columns

# Three columns of a made-up strategy page, each line as printed (its sentences end on other
# lines than the other columns').
HEARD = ["What residents told us:", "• More youth clubs open in", "the evenings and at weekends",
         "• Safer walking routes to", "school in the winter months", "• Cheaper bus fares for", "young people in rural areas"]
PLAN = ["Together we will open three", "youth centres in the towns with", "the fewest places for young",
        "people to meet. We will work with", "schools and the police on safer", "routes to school. We will review",
        "bus fares for young people with", "the operators before the summer."]
MEASURES = ["How we will know:", "By 2029 the number of young", "people using a youth centre",
            "each week will rise from 1,200", "to at least 2,000 across the", "county. Reported crime near",
            "schools will fall by a tenth", "from the 2024 level."]


def strategy_page(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica", 10)
    c.drawString(40, 560, "Outcome 3: Young people feel safe and have places to go")
    for x, lines in [(40, HEARD), (300, PLAN), (560, MEASURES)]:
        y = 520
        for line in lines:
            c.drawString(x, y, line)
            y -= 14
    c.showPage()
    c.save()
    return path


def test_columns_of_prose_are_read_one_after_another_with_each_sentence_whole(tmp_path):
    parsed = parse(strategy_page(tmp_path / "strategy.pdf"), "strategy.pdf")
    assert not [c for c in parsed.chunks if c.kind == "table_row"]
    measure = ("By 2029 the number of young people using a youth centre each week will rise from 1,200 "
               "to at least 2,000 across the county.")
    assert holding(parsed, measure), [flat(c.text) for c in parsed.chunks]
    assert holding(parsed, "We will review bus fares for young people with the operators before the summer.")


def test_a_table_a_table_of_wrapped_rows_and_justified_text_are_not_columns_of_prose():
    table = [["Service", "Referrals", "Longest wait"], ["Speech and language", "204", "59 weeks"],
             ["Occupational therapy", "88", "40 weeks"], ["Physiotherapy", "61", "22 weeks"]]
    assert not prose_columns(table)
    # each row wraps over two lines, and every column runs on at the same lines, or none does
    wrapped = [["A failure to plan and", "The council has planned and delivered"],
               ["deliver savings in time", "savings every year since 2011."],
               ["Reserves fall below the", "General reserves stand at 5% of the"],
               ["level the policy sets", "net revenue budget."]]
    assert not prose_columns(wrapped)
    # a paragraph of justified text cut at its wide word gaps reads across, not down
    justified = [["The", "Minister may", "give"], ["greater", "weight", "to"],
                 ["requests coming from the", "committee which", "had"], ["carried", "out", "the review"]]
    assert not prose_columns(justified)


def test_columns_read_down_split_where_a_column_is_empty():
    cells = [["What we heard: more", "We will open three youth", "By 2029 the number of"],
             ["clubs open in the", "centres in the towns.", "young people using them"],
             ["evenings and at", "We will work with schools on safer", "will rise to 2,000. Crime"],
             ["", "routes to school.", "near schools will fall."]]
    assert prose_columns(cells)
    assert column_paragraphs(cells) == [
        "What we heard: more clubs open in the evenings and at",
        "We will open three youth centres in the towns. We will work with schools on safer routes to school.",
        "By 2029 the number of young people using them will rise to 2,000. Crime near schools will fall."]


@needs_kent
def test_an_indicator_beside_two_columns_of_priorities_is_one_sentence():
    parsed = kent("2025-01-30-cabinet/originals/24-00115 - Appendix A - Current Health wellbeing activity within KCC.pdf")
    sentence = ("that are in paid employment (aged 18 to 69) will increase from 8% to above 10% in Kent and Medway.")
    assert [c.page for c in holding(parsed, sentence)] == [19]


@needs_kent
def test_columns_of_prose_on_other_baselines_are_not_joined_into_one_row():
    # The columns' lines overlap by a third of a line or so, as the lines of a cell centred on
    # two lines do (rule "a cell centred on two lines is one table row", ingest/pdf_rows.py);
    # they fill the same columns, so they stay lines, and the page is read column by column.
    parsed = kent("2025-01-30-cabinet/originals/24-00115 - Appendix A - Current Health wellbeing activity within KCC.pdf")
    sentence = "We will seek to improve the accessibility of all our services."
    assert [c.page for c in holding(parsed, sentence) if c.kind == "text"] == [66]
