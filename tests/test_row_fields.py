"""A table row is a record from ingest on (ingest/row_fields.py, schema.TableRow): each value
keeps its column's header, the period the column is for and the unit it is in. Made-up tables."""

from councilqa.index.search import Searcher
from councilqa.ingest.pipeline import ingest
from councilqa.ingest.row_fields import column_period, value_unit

from pdfs import table_pdf


def test_a_column_header_dates_its_values():
    assert column_period("Dec-23") == "Dec-23"
    assert column_period("Outturn Q3 2024/25") == "Q3 2024/25"
    assert column_period("Position at 31 March 2024") == "31 March 2024"
    assert column_period("2025-26 £000s") == "2025-26"


def test_a_header_without_a_period_takes_the_caption_s():
    assert column_period("Number waiting", "Waiting lists: data as at the end of June 2024") == "June 2024"
    assert column_period("Number waiting", "Waiting lists") == ""


def test_the_unit_written_with_a_value_comes_first():
    assert value_unit("64.5%", "Average wait (weeks)") == "%"
    assert value_unit("14 days", "Time taken") == "days"
    assert value_unit("£2.5m") == "£"


def test_a_short_header_or_caption_gives_the_unit_of_a_bare_figure():
    assert value_unit("21", "Average wait (weeks)") == "weeks"
    assert value_unit("3,456.7", "Net spend £000s") == "£000s"
    assert value_unit("310", "Net budget", "Table 4: Spend by service, £ millions") == "£m"
    assert value_unit("52", "Rate per 10,000 children") == "per 10000"
    # However the apostrophe is typed
    assert value_unit("10.1", "2025-26 Final / Kent £’m") == "£m"
    assert value_unit("10.1", "2025-26 Final / Kent £'m") == "£m"
    assert value_unit("1,200", "Budget £’000s") == "£000s"


def test_a_unit_word_after_a_number_is_what_is_counted_not_the_unit():
    assert value_unit("87", "Number waiting more than 52 weeks") == ""


def test_words_are_not_figures_and_a_long_sentence_says_no_unit():
    assert value_unit("Deferred to a later year", "Status") == ""
    assert value_unit("12", "Schemes that have been delayed for a number of years while funding was found") == ""


def test_a_pdf_table_row_arrives_as_a_record(tmp_path, settings):
    papers = tmp_path / "papers"
    papers.mkdir()
    table_pdf(papers / "waits.pdf", "Therapy waiting lists, data as at the end of October 2025",
              ["Service", "Waiting", "Max (wks)", "Mean (wks)"],
              [["Podiatry", "212", "33", "9"], ["Dietetics", "64", "27", "6"]])
    ingest([papers], tmp_path / "index", settings, progress=False)
    chunk = next(c for c in Searcher(tmp_path / "index", settings).index.chunks()
                 if c.kind == "table_row" and "Dietetics" in c.text)
    row = chunk.row
    assert row is not None and row.label == "Dietetics" and row.label_header == "Service"
    assert "October 2025" in row.caption
    longest = next(c for c in row.cells if c.header == "Max (wks)")
    assert (longest.value, longest.unit, longest.period) == ("27", "weeks", "October 2025")
    assert next(c for c in row.cells if c.header == "Waiting").unit == ""
    # The reading searched and embedded is the record read as a sentence.
    assert chunk.reading == row.reading() and "Max (wks): 27" in chunk.reading
