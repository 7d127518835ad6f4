"""Rule "the meeting a question names" (qa/meetings.py), on made-up papers and questions."""

from __future__ import annotations

from councilqa.qa.meetings import Meetings, named_dates
from councilqa.schema import Document

from test_rules import answerer_over


def paper(doc_id: str, committee: str | None, day: str | None) -> Document:
    return Document(id=doc_id, title=doc_id, committee=committee, meeting_date=day, format="pdf", content_hash=doc_id)


PAPERS = {d.id: d for d in (
    paper("cabinet-march", "Cabinet", "2025-03-06"),
    paper("cabinet-june", "Cabinet", "2025-06-12"),
    paper("council-march", "County Council", "2025-03-20"),
    paper("panel-march", "Corporate Parenting Panel", "2024-03-14"),
    paper("strategy", None, None),
)}


def test_a_month_is_read_with_its_day_and_year_however_typed():
    assert named_dates("what did cabinet agree on 6th March 2025?") == [(6, 3, 2025)]
    assert named_dates("at the jan 9 council") == [(9, 1, None)]
    assert named_dates("the sept 2024 committee") == [(None, 9, 2024)]
    assert named_dates("what may the board decide?") == []  # "may" the verb
    assert named_dates("the board meeting in May") == [(None, 5, None)]


def named_meeting_documents(question: str, papers: dict[str, Document]) -> set[str]:
    return Meetings(papers).named_in(question)


def test_a_body_is_named_by_a_word_of_its_own_or_its_initials():
    meetings = Meetings(PAPERS)  # of Cabinet, County Council and Corporate Parenting Panel
    assert meetings.bodies_named("what did the cpp hear in march?") == {"Corporate Parenting Panel"}
    assert meetings.bodies_named("at full council in march") == {"County Council"}
    assert meetings.bodies_named("which committee met in march?") == set()


def test_the_papers_of_the_named_meeting_are_the_ones_preferred():
    assert named_meeting_documents("Who attended the March cabinet?", PAPERS) == {"cabinet-march"}
    assert named_meeting_documents("what was agreed at the 12 june meeting?", PAPERS) == {"cabinet-june"}
    # no body of the index named: every meeting of that month
    assert named_meeting_documents("what did the committee resolve in March on parking permits?", PAPERS) == {
        "cabinet-march", "council-march", "panel-march"}
    assert named_meeting_documents("what did the panel agree in March 2024?", PAPERS) == {"panel-march"}


def test_a_month_without_a_meeting_word_is_a_period_not_a_meeting():
    assert named_meeting_documents("How many children were waiting in March 2025?", PAPERS) == set()
    assert named_meeting_documents("What did cabinet decide about libraries?", PAPERS) == set()  # no date
    assert named_meeting_documents("What did cabinet decide in August?", PAPERS) == set()  # no such meeting
    assert named_meeting_documents("how much will council tax go up in June?", PAPERS) == set()  # a tax, not a body


def test_a_paper_of_no_known_body_counts_as_the_named_body_on_a_day_it_met():
    papers = {d.id: d for d in (paper("report", "Housing Scrutiny Committee", "2032-03-18"),
                                paper("minutes", None, "2032-03-18"), paper("other", None, "2032-03-25"))}
    assert named_meeting_documents("who chaired the march housing scrutiny meeting?", papers) == {"report", "minutes"}


FRONT_SHEET = ("AGENDA\n\nCABINET\n\nThursday, {day} 2025, at 10.00 am\nCouncil Chamber, Civic Centre\n\n"
               "Ask for:\t{officer}\nTelephone:\t01234 567890\n\n1. Apologies\n\n2. Minutes of the last meeting\n")


def test_the_named_meetings_front_sheet_is_searched_first(tmp_path, settings):
    """Two front sheets in the same words but the officer's name and the day, and in a later
    meeting's papers a short note that speaks of the March meeting in the question's own words:
    asked about the March meeting, its own front sheet comes first, not the later meeting's note
    (which the words alone put first)."""
    note = ("Report to:\tCABINET\n\nFORWARD PLAN\n\nMembers with questions on the March cabinet agenda "
            "should ask Democratic Services.")
    answerer = answerer_over(tmp_path, settings, {
        "2025-03-06-cabinet/agenda-frontsheet.txt": FRONT_SHEET.format(day="6 March", officer="Priya Shah"),
        "2025-06-12-cabinet/agenda-frontsheet.txt": FRONT_SHEET.format(day="12 June", officer="Tom Okafor"),
        "2025-09-18-cabinet/forward-plan.txt": note,
    })
    for month, officer in (("March", "Priya Shah"), ("June", "Tom Okafor")):
        first = answerer.passages_for(f"Who should I ask about the {month} cabinet agenda?", 5, rerank=False)[0]
        assert officer in first.text, (month, first.text)
