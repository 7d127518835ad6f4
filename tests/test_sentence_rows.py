"""Rules "a sentence in a cell is data" (ingest/tables.py, says_a_sentence) and "a numbered row
is data" (numbered_items): a table of words and dates, or of numbered items, has no figure to
end its header, and its first data rows were read as header lines, in no passage of their own.
Made-up tables."""

from conftest import table_chunks as chunks, table_readings as readings


def test_rows_of_words_and_dates_under_a_short_header_are_each_a_row():
    rows = chunks(
        "Stage\tDates\tSummary",
        "Early talks with partners\t3 May 2021 - 17 May 2021 (14 days)\tA first look at which parts of the strategy needed a fresh start",
        "First public consultation\t6 January 2022 - 3 March 2022 (8 weeks)\tConsultation on the draft vision, aims and policies of the new strategy",
        "Second public consultation\t10 October 2022 - 21 November 2022 (6 weeks)\tConsultation on further changes to the draft strategy")
    assert len(rows) == 3
    assert rows[1].reading.startswith("First public consultation – 6 January 2022 - 3 March 2022 (8 weeks)")
    assert all(row.context.endswith("Columns: Stage | Dates | Summary") for row in rows)


def test_a_line_of_units_stays_header_though_a_sentence_is_printed_into_it():
    rows = readings(
        "Row\tBudget\tKey service",
        "Ref\t£000s\tService\t£000s\tWhat the service does, printed into the header line by the layout of its page",
        "1\t3,800.7\tLibraries\t3,799.7\tLending, archives and registration")
    assert len(rows) == 1
    assert "Budget / £000s: 3,800.7" in rows[0]


def test_a_table_of_numbered_items_keeps_its_first_item_as_a_row():
    # rule "a numbered row is data": the first line is item 3.1, not the names of the columns
    rows = readings("3.1\tSet up a board to oversee the new model\tHead of Service",
                    "3.2\tTrain every team in the new model\tPractice Lead",
                    "3.3\tReview the model after a year\tHead of Service")
    assert len(rows) == 3
    assert rows[0].startswith("3.1; Set up a board")
    assert not any("Set up a board" in row for row in rows[1:])


def test_a_table_of_sentences_keeps_its_first_line_as_a_row():
    # rule "a table of sentences has no header line": the first comment is a row, and its
    # words name no column of the rows below it
    rows = chunks(
        "The hall is used by every group in the village\tThe hall will stay open while the lease is reviewed next spring",
        "Parking near the new site is already hard to find\tThe new site has twenty spaces and a bus stop at its gate",
        "The opening hours should include a late evening\tWe will ask users which evening suits them best before we decide")
    assert len(rows) == 3
    assert rows[0].reading.startswith("The hall is used by every group")
    assert not any("hall" in row.context for row in rows[1:])


def test_a_short_header_over_rows_of_sentences_stays_the_header():
    rows = chunks(
        "Comment\tResponse",
        "The hall is used by every group in the village\tThe hall will stay open while the lease is reviewed next spring",
        "Parking near the new site is already hard to find\tThe new site has twenty spaces and a bus stop at its gate")
    assert len(rows) == 2
    assert all(row.context.endswith("Columns: Comment | Response") for row in rows)
