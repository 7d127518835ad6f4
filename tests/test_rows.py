"""Rule "asked column" (qa/rows.py): a row in an answer leads with the value asked for, read
from the row's record. Made-up rows and questions."""

from councilqa.qa.question import analyse
from councilqa.qa.rows import asked_cells, reports_month_asked, row_statement
from councilqa.schema import RowCell, TableRow

WAITS = TableRow(
    label="Podiatry", label_header="Service", caption="Therapy waiting lists",
    headers=["Service", "Number waiting", "Longest wait (weeks)", "Average wait (weeks)"],
    cells=[RowCell(header="Number waiting", value="212"), RowCell(header="Longest wait (weeks)", value="33", unit="weeks"),
           RowCell(header="Average wait (weeks)", value="9", unit="weeks")])

MONTHS = TableRow(
    label="Households in temporary accommodation",
    cells=[RowCell(header="Baseline Apr-24", value="410", period="Apr-24"),
           RowCell(header="Target Mar-25", value="380", period="Mar-25"),
           RowCell(header="Actual Sep-24", value="436", period="Sep-24"),
           RowCell(header="Actual Dec-24", value="452", period="Dec-24")])


def headers(question: str, row: TableRow) -> list[str]:
    return [c.header for c in asked_cells(analyse(question), row)]


def test_the_column_the_question_names_leads_the_answer():
    q = analyse("what's the longest wait for podiatry?")
    assert headers(q.text, WAITS) == ["Longest wait (weeks)"]
    assert row_statement(q, WAITS) == "Podiatry (Therapy waiting lists): Longest wait (weeks): 33"


def test_the_month_asked_picks_its_column_whatever_way_the_header_writes_it():
    assert headers("how many households were in temporary accommodation in December 2024", MONTHS) == ["Actual Dec-24"]


def test_asked_how_it_compares_the_target_and_baseline_stay_beside_the_value():
    # The months of the baseline and target are not the one asked, but they are what it is
    # measured against: they follow the value asked for.
    assert headers("were we on track with temporary accommodation in Sept 2024?", MONTHS) == [
        "Actual Sep-24", "Baseline Apr-24", "Target Mar-25"]


def test_a_question_that_picks_out_no_column_gets_the_whole_row():
    q = analyse("tell me about podiatry")
    assert asked_cells(q, WAITS) == []
    assert row_statement(q, WAITS).endswith("Number waiting: 212; Longest wait (weeks): 33; Average wait (weeks): 9")


def test_words_every_cell_shares_through_the_label_pick_nothing():
    # Every header says "wait": it tells no column from another, so "number" decides.
    assert headers("number on the podiatry waiting list", WAITS) == ["Number waiting"]


def test_a_row_reports_the_month_asked_only_with_an_outcome_not_a_target():
    assert reports_month_asked(analyse("temporary accommodation in December 2024"), MONTHS)
    assert not reports_month_asked(analyse("temporary accommodation in March 2025"), MONTHS)


def test_how_long_picks_the_cells_that_are_lengths_of_time():
    assert headers("how long is the wait for podiatry", WAITS) == ["Longest wait (weeks)", "Average wait (weeks)"]


def test_a_question_asking_two_things_gets_a_column_for_each():
    row = TableRow(label="Band C", cells=[
        RowCell(header="2025-26 charge", value="£1,400.50", period="2025-26", unit="£"),
        RowCell(header="2026-27 charge (incl. increase)", value="£1,470.20", period="2026-27", unit="£"),
        RowCell(header="Increase", value="£69.70", unit="£")])
    assert headers("band C charge for 2026-27 and the increase", row) == [
        "2026-27 charge (incl. increase)", "Increase"]


def test_how_much_more_picks_the_column_of_changes():
    row = TableRow(label="Band C", cells=[
        RowCell(header="2025-26", value="£1,400.50", period="2025-26", unit="£"),
        RowCell(header="2026-27", value="£1,470.20", period="2026-27", unit="£"),
        RowCell(header="Change", value="£69.70", unit="£")])
    assert headers("what will band C pay in 2026-27 and how much more is it", row) == ["2026-27", "Change"]


def test_a_target_for_another_period_is_not_what_the_value_is_measured_against():
    row = TableRow(label="Repairs done on time", cells=[
        RowCell(header="Baseline Apr-24", value="71%", period="Apr-24", unit="%"),
        RowCell(header="Target Sep-24", value="80%", period="Sep-24", unit="%"),
        RowCell(header="Actual Sep-24", value="76%", period="Sep-24", unit="%"),
        RowCell(header="Target Mar-25", value="85%", period="Mar-25", unit="%")])
    assert headers("did repairs on time hit the target in Sept 2024", row) == [
        "Target Sep-24", "Actual Sep-24", "Baseline Apr-24"]


def test_cells_in_words_say_which_row_it_is_and_stay():
    row = TableRow(label="", cells=[
        RowCell(header="Ref", value="2"), RowCell(header="Priority", value="Quicker planning decisions"),
        RowCell(header="Baseline", value="52%", unit="%"), RowCell(header="Target Oct-25", value="70%", unit="%")])
    statement = row_statement(analyse("what's the target for Oct 2025 on quicker planning decisions"), row)
    assert statement.startswith("Priority: Quicker planning decisions; Target Oct-25: 70%")


LIMITS = TableRow(
    label="Effect of a 1% fall in the pension fund's returns", caption="Prudential indicators at 31 March 2026",
    cells=[RowCell(header="Actual", value="£2.4m", unit="£m"), RowCell(header="Upper limit", value="£8m", unit="£m")])


def test_when_only_the_second_part_of_a_question_matches_a_column_the_whole_row_answers():
    # "Upper limit" answers the second part; what it would cost is the other column.
    question = "How much would a 1% fall in the pension fund's returns cost, and what is the upper limit?"
    assert headers(question, LIMITS) == []
    assert "£2.4m" in row_statement(analyse(question), LIMITS) and "£8m" in row_statement(analyse(question), LIMITS)
    # asked for the limit alone, the limit leads
    assert headers("what is the upper limit on the effect of a 1% fall in the pension fund's returns?", LIMITS) == ["Upper limit"]


def test_a_figure_under_no_header_is_kept_beside_the_values_asked():
    # The reader lost the header of a total column: nothing in the question can pick it, and
    # leaving it out would drop the one figure asked for.
    row = TableRow(label="New depot", caption="Capital programme", cells=[
        RowCell(header="", value="10,302"), RowCell(header="2025-26 £000s", value="644", unit="£000s"),
        RowCell(header="2026-27 £000s", value="5,100", unit="£000s")])
    statement = row_statement(analyse("what is the cost of the new depot in 2026-27?"), row)
    assert "10,302" in statement and "2026-27 £000s: 5,100" in statement and "644" not in statement


GRANTS = TableRow(
    label="Social Care Grant", caption="Table 3.1 Grants",
    cells=[RowCell(header="2025-26 Final / Kent £'m", value="137.1", unit="£m"),
           RowCell(header="Change / Kent £’m", value="-2.5", unit="£m"),
           RowCell(header="Share of England %", value="2.3", unit="%"),
           RowCell(header="Schools", value="12", unit="£m")])


def test_a_figure_is_written_with_the_unit_its_header_gives():
    statement = row_statement(analyse("how much social care grant do we get?"), GRANTS)
    assert "2025-26 Final / Kent £'m: £137.1m" in statement
    assert "Change / Kent £’m: -£2.5m" in statement
    share = row_statement(analyse("what share of england's social care grant does kent get?"), GRANTS)
    assert "Share of England %: 2.3%" in share


def test_a_unit_the_header_does_not_say_is_not_written():
    # A unit taken from the caption may not hold for every column: a count stays a count.
    statement = row_statement(analyse("how many schools get the social care grant?"), GRANTS)
    assert "Schools: 12" in statement and "£12m" not in statement
