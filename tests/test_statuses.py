"""Rule "the status of a figure asked for" (qa/statuses.py), on made-up text and rows."""

from __future__ import annotations

from councilqa.qa.statuses import names_another_status
from councilqa.schema import RowCell, TableRow


def test_asked_for_the_final_figure_a_provisional_one_does_not_answer():
    asked = "How much bus grant will the council get once the allocation is final?"
    assert names_another_status(asked, "The provisional allocation gives the council £4.2m of bus grant.")
    assert not names_another_status(asked, "The final allocation confirms £4.4m of bus grant.")
    # Said to be both, it may be either: the sentence is kept.
    assert not names_another_status(asked, "The final allocation confirmed the provisional figure of £4.2m.")
    assert not names_another_status(asked, "The council gets £4.4m of bus grant.")


def test_asked_for_the_draft_figure_a_final_one_does_not_answer():
    asked = "What did the draft plan allow for road repairs?"
    assert names_another_status(asked, "The final plan allows £12m for road repairs.")
    assert not names_another_status(asked, "The draft plan allows £10m for road repairs.")


def test_asked_what_was_achieved_a_row_of_targets_gives_none():
    targets = TableRow(label="Library visits per 1,000 residents", cells=[
        RowCell(header="Target March 2025", value="420"), RowCell(header="Target March 2026", value="450")])
    results = TableRow(label="Library visits per 1,000 residents", cells=[
        RowCell(header="Baseline April 2024", value="390"), RowCell(header="Actual March 2025", value="401")])
    asked = "What was the actual rate of library visits in March 2025?"
    assert names_another_status(asked, "Library visits per 1,000 residents. Target March 2025: 420", targets)
    assert not names_another_status(asked, "Library visits per 1,000 residents. Actual March 2025: 401", results)
    # A sentence gives what was achieved without saying so: it is never read as a target alone.
    assert not names_another_status(asked, "Visits reached 401 per 1,000, against a target of 420.")
    # Asked for the target, the row of targets answers.
    assert not names_another_status("What is the target for library visits in March 2025?", "", targets)
