"""Rule "codes under a column name are its values" (ingest/tables.py, `_coded`): a row whose cells
past its label are ratings, RAG statuses, marks or figures with their unit in words keeps its
column names, as figures do; rows of words that only look like a table do not get a header
they would be mislabelled by. And "a header heads rows below it": a table's last row starts no
new table. Made-up tables."""

from conftest import table_readings as readings


def test_ratings_and_rag_statuses_keep_their_column_names():
    assert readings("Risk indicator\tActual 31/03/2025\tTarget",
                    "Average credit rating of deposits\tA+\tA-") == [
        "Average credit rating of deposits. Actual 31/03/2025: A+; Target: A-"]
    assert readings("Indicator\tRAG Latest\tPrevious",
                    "Library visits per 1,000 residents\tAMBER\tGREEN",
                    "Complaints answered within 20 days\tRED\tAMBER") == [
        "Library visits per 1,000 residents. RAG Latest: AMBER; Previous: GREEN",
        "Complaints answered within 20 days. RAG Latest: RED; Previous: AMBER"]


def test_marks_and_figures_with_their_unit_in_words_keep_their_column_names():
    assert readings("Power\tCombined authority\tMayoral\tUnitary", "Bus franchising\t\tx\tx",
                    "Adult skills budget\tx\tx\t") == [
        "Bus franchising. Mayoral: x; Unitary: x", "Adult skills budget. Combined authority: x; Mayoral: x"]
    assert readings("Places\t2026-27\t2027-28", "New special school places\t120 places\t60 places") == [
        "New special school places. 2026-27: 120 places; 2027-28: 60 places"]


def test_a_row_of_ratings_under_rows_of_figures_is_one_more_row():
    assert readings("Indicator\tActual\tLimit", "Loans outstanding\t£512.4m\t£600m",
                    "Lowest credit rating of a lender\tAA\tA-") == [
        "Loans outstanding. Actual: £512.4m; Limit: £600m", "Lowest credit rating of a lender. Actual: AA; Limit: A-"]


def test_rows_of_words_are_not_given_a_header_that_would_mislabel_them():
    # a wrapped sentence's end, a person's name, an answer repeating the "header": left as read
    assert readings("Impact on income and\texpenditure", "Impact on\tmanagement", "Risk to\treputation") == [
        "Impact on – management", "Risk to – reputation"]
    assert readings("Corporate Director\tJane Smith", "Head of Service\tJohn Jones", "Finance lead\tAmy Brown") == [
        "Head of Service – John Jones", "Finance lead – Amy Brown"]
    # a "header" that is itself a code is a row of answers, the first of them
    assert readings("Have you consulted?\tyes", "Is there local evidence?\tyes", "Is it needed?\tno") == [
        "Is there local evidence? – yes", "Is it needed? – no"]


def test_rows_of_ticks_are_data_under_a_header_whose_label_cell_wrapped():
    # the header's label cell runs onto a second line; the rows of ticks below it are data
    assert readings("Power\tFoundation\tMayoral\tEstablished", "strategic planning powers\t\t\t",
                    "Spatial strategy\t\tx\tX", "Growth hubs funding\t\t\tX") == [
        "Spatial strategy. Mayoral: x; Established: X", "Growth hubs funding. Established: X"]
    # a column named on two lines of the header names no code
    assert readings("Power\tFoundation\tMayoral", "\tauthority\tauthority", "Bus franchising\t\tx")[-1] == (
        "Bus franchising – x")
