"""Rule "a meeting's own facts" (qa/meeting_record.py, qa/meeting_fact_answer.py), on made-up
front sheets, minutes and questions."""

from __future__ import annotations

from councilqa.qa.meeting_record import agenda_record, fact_asked, minutes_record

from test_rules import answerer_over

SUMMONS = """Summons to and
Agenda for a Meeting on
Tuesday, 8th
July, 2031
at 2.30 pm

DEMOCRATIC SERVICES
TOWN HALL

Monday, 30 June 2031

To: All Members of the Borough Council

A meeting of the Borough Council will be held in the Assembly Room,
Town Hall, Eastwick on Tuesday, 8th July, 2031 at 2.30 pm to deal with the
following business. The meeting is scheduled to end by 6.00 pm (if not before).

A G E N D A

1. Apologies for Absence
"""

FORM_FRONT_SHEET = """PLANNING COMMITTEE

Date: Wednesday 3 September 2031
Time: 18:30
Venue: Council Chamber, Riverside House

Contact: Amara Osei, Committee Officer
Date of publication: 22 August 2031

AGENDA

1. Declarations of interest
"""

PACK = """Westmarsh Council

12 March 2032

To: Councillors Adams, Bell and Carter

HOUSING SCRUTINY COMMITTEE

Thursday, 18 March 2032 at 6.00 pm
in Committee Room B, Civic Centre, Westmarsh

A G E N D A

1 DECLARATIONS OF INTEREST

For queries regarding this agenda please contact Lena Novak, Scrutiny Officer, Tel: 01111 222333

MINUTES OF HOUSING SCRUTINY COMMITTEE MEETING - THURSDAY, 14 JANUARY 2032

Present:

Councillor Carter (in the Chair)

Apologies were received from Councillor Adams.
"""

MINUTES = """HOUSING SCRUTINY COMMITTEE

MINUTES of a meeting of the Housing Scrutiny Committee held in Committee Room B, Civic Centre,
Westmarsh on Thursday, 18 March 2032.

PRESENT: Mrs J Okonjo (Chairman), Mr P Reyes (Vice-Chairman), Mr T Lund and Ms A Varga

1. Apologies

Apologies were received from Mr K Doyle and Ms F Brandt.

2. Rent arrears

The committee noted the report.

The meeting closed at 8.15 pm.
"""


def test_a_summons_gives_the_meetings_time_place_end_and_the_day_it_was_sent():
    record = agenda_record(SUMMONS, "2031-07-08")
    assert record["starts"].value == "2.30 pm"
    assert record["venue"].value == "the Assembly Room, Town Hall, Eastwick"
    assert record["ends"].value == "6.00 pm (if not before)"
    assert record["issued"].value == "Monday, 30 June 2031"
    for fact in record.values():  # each fact quotes the words that say it
        assert fact.value.split(" (")[0].split(",")[0] in " ".join(SUMMONS[fact.start:fact.end].split())


def test_a_front_sheet_laid_out_as_a_form_is_read_by_its_labels():
    record = agenda_record(FORM_FRONT_SHEET, "2031-09-03")
    assert record["starts"].value == "18:30"
    assert record["venue"].value == "Council Chamber, Riverside House"
    assert record["contact"].value == "Amara Osei"
    assert record["issued"].value == "22 August 2031"


def test_an_agenda_pack_is_read_only_as_far_as_its_front_sheet():
    """The pack goes on to print the last meeting's minutes: their chair and apologies are
    another meeting's, and an agenda says neither."""
    record = agenda_record(PACK, "2032-03-18")
    assert record["starts"].value == "6.00 pm"
    assert record["venue"].value == "Committee Room B, Civic Centre, Westmarsh"
    assert record["contact"].value == "Lena Novak, Scrutiny Officer"
    assert record["issued"].value == "12 March 2032"
    assert "chair" not in record and "apologies" not in record


def test_a_date_alone_after_the_meeting_or_long_before_it_is_not_when_the_agenda_was_sent():
    sheet = "CABINET\n\nThursday, 9 October 2031, at 10.00 am\n\n1. Apologies\n\n{alone}\n"
    assert "issued" not in agenda_record(sheet.format(alone="Friday, 10 October 2031"), "2031-10-09")
    assert "issued" not in agenda_record(sheet.format(alone="1 January 2031"), "2031-10-09")
    assert agenda_record(sheet.format(alone="1 October 2031"), "2031-10-09")["issued"].value == "1 October 2031"


def test_minutes_give_who_chaired_who_sent_apologies_and_when_the_meeting_closed():
    record = minutes_record(MINUTES)
    assert record["chair"].value == "Mrs J Okonjo"  # not the vice-chairman
    assert record["apologies"].value == "Mr K Doyle and Ms F Brandt"
    assert record["ends"].value == "8.15 pm"
    assert record["venue"].value == "Committee Room B, Civic Centre, Westmarsh"
    elected = "1. Mr Lund proposed and Ms Varga seconded that Mr P Reyes be elected to Chair the meeting.\n"
    assert minutes_record(elected)["chair"].value == "Mr P Reyes"
    assert minutes_record("No apologies for absence were received.\n")["apologies"].value == \
        "No apologies for absence were received"


def test_what_a_question_asks_about_a_meeting():
    asked = {
        "what time does the june planning committee start?": "starts",
        "what time did the cabinet meeting in May finish?": "ends",
        "when is the council meeting on 4 march due to end": "ends",
        "when does the 4 march cabinet kick off?": "starts",
        "when did the planning committee meeting close in june?": "ends",
        "where was the october licensing committee held?": "venue",
        "who chaired the audit committee in april?": "chair",
        "who should I contact about the 3 june cabinet?": "contact",
        "who's the contact officer for the march board?": "contact",
        "when did the agenda for the july council go out?": "issued",
        "who sent apologies to the september panel?": "apologies",
    }
    for question, field in asked.items():
        assert fact_asked(question) == field, question
    # the same words about something else: no fact of the meeting is asked
    for question in ("when did the consultation close, according to the march cabinet report?",
                     "when does the new library open?", "who did the council contact about the road closure in june?",
                     "what time period does the forecast cover?"):
        assert fact_asked(question) is None, question


def test_the_answer_quotes_the_named_meetings_own_paper(tmp_path, settings):
    """Two meetings' agendas and minutes in the same words but the names, times and rooms: asked
    about one meeting, the answer gives that meeting's fact, quoting and citing the line of its
    own paper that says it."""
    def sheet(day: str, time: str, room: str, officer: str) -> str:
        return (f"AGENDA\n\nHOUSING SCRUTINY COMMITTEE\n\n{day}, at {time}\n\n"
                f"The meeting will be held in {room}, Civic Centre on {day}.\n\n"
                f"Contact: {officer}, Scrutiny Officer\n\n1. Apologies\n\n2. Rent arrears report\n")

    def minutes(day: str, chair: str, absent: str) -> str:
        return (f"MINUTES of a meeting of the Housing Scrutiny Committee held on {day}.\n\n"
                f"PRESENT: {chair} (Chairman), Mr T Lund\n\n1. Apologies\n\nApologies were received from {absent}.\n\n"
                "2. Rent arrears\n\nThe committee noted the report on rent arrears.\n")

    answerer = answerer_over(tmp_path, settings, {
        "2032-03-18-housing-scrutiny/agenda-frontsheet.txt": sheet("Thursday, 18 March 2032", "6.00 pm", "Room B", "Lena Novak"),
        "2032-03-18-housing-scrutiny/minutes.txt": minutes("18 March 2032", "Mrs J Okonjo", "Mr K Doyle"),
        "2032-06-10-housing-scrutiny/agenda-frontsheet.txt": sheet("Thursday, 10 June 2032", "7.30 pm", "Room D", "Omar Haddad"),
        "2032-06-10-housing-scrutiny/minutes.txt": minutes("10 June 2032", "Mr R Singh", "Ms F Brandt"),
    })
    expected = {
        "What time does the March housing scrutiny committee start?": ("6.00 pm", "7.30 pm"),
        "what time did the june 2032 housing scrutiny meeting begin": ("7.30 pm", "6.00 pm"),
        "Where is the June housing scrutiny committee held?": ("Room D", "Room B"),
        "who should I contact about the march housing scrutiny agenda?": ("Lena Novak", "Omar Haddad"),
        "Who chaired the housing scrutiny committee in June?": ("Mr R Singh", "Mrs J Okonjo"),
        "who sent apologies to the march 18 2032 housing scrutiny meeting?": ("Mr K Doyle", "Ms F Brandt"),
    }
    for question, (right, other) in expected.items():
        answer = answerer.answer(question)
        assert not answer.abstained and right in answer.answer and other not in answer.answer, (question, answer.answer)
        citation = answer.citations[0]
        assert right in citation.quote and citation.passage.find(citation.quote) >= 0, (question, citation)
