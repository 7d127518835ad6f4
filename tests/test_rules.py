"""The answerer's general rules about the kind of answer asked for, on made-up text."""

from __future__ import annotations

from councilqa.qa.figures import gives_duration, quantities


def answerer_over(tmp_path, settings, papers: dict[str, str]):
    """An answerer over an index of made-up papers ({path under the papers folder: text}), built
    by the real ingest; a meeting's folder in a path names its body."""
    from councilqa.index.search import Searcher
    from councilqa.ingest.pipeline import ingest
    from councilqa.qa.answerer import Answerer

    for name, text in papers.items():
        (tmp_path / "papers" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "papers" / name).write_text(text)
    ingest([tmp_path / "papers"], tmp_path / "index", settings, progress=False)
    return Answerer(Searcher(tmp_path / "index", settings))


def cabinet_report(day: str, text: str) -> str:
    """A made-up report to Cabinet of a meeting `day` ("2 May 2024"): its header, then `text`."""
    return f"Report to:\tCABINET\nDate of Meeting:\t{day}\n\n{text}"


def test_a_length_of_time_is_read_beside_its_figure_or_in_the_header_over_it():
    assert gives_duration("The average wait was 26 weeks.")
    assert gives_duration("families waited six months for a first visit")
    assert gives_duration("Hearing tests. Referrals waiting: 90; Longest wait (weeks): 31; Average wait (weeks): 9")
    assert gives_duration("Adaptations. Average time to complete in days: 84")
    assert not gives_duration("Hearing tests. Referrals waiting: 90; Referrals this month: 41")
    assert not gives_duration("Long waits were one of the four areas of concern.")
    assert not gives_duration("Weeks of action are planned in every ward.")
    # minutes, and half an hour, are lengths of time too; a rate per hour is not one
    assert gives_duration("Questions not reached in the 20-minutes allowed get a written answer.")
    assert gives_duration("Each speaker has up to five minutes.")
    assert gives_duration("The hearing lasted half an hour.")
    assert not gives_duration("The minimum rate is £12.60 an hour.")


def test_a_rows_length_of_time_is_in_its_cells_or_the_names_over_its_figures():
    from councilqa.qa.figures import row_gives_duration
    from councilqa.schema import RowCell, TableRow

    def row(label: str, cells: dict[str, str], caption: str = "") -> TableRow:
        return TableRow(label=label, caption=caption, cells=[RowCell(header=h, value=v) for h, v in cells.items()])

    assert row_gives_duration(row("Speech therapy", {"Referrals": "120", "Longest wait": "40 weeks"}))
    assert row_gives_duration(row("Speech therapy", {"Referrals": "120", "Longest wait (weeks)": "40"}))
    assert row_gives_duration(row("Average wait in days", {"Q1": "84", "Q2": "77"}))
    assert row_gives_duration(row("Hearing tests", {"Mar 25": "12"}, caption="Average waits (weeks)"))
    # the period a count covers is no length of time, nor is a date range over a share
    assert not row_gives_duration(row("Renew a parking permit", {"Online Jan 31 - Mar 31": "84%",
                                                                 "Transactions last 12 months": "21,663"}))
    assert not row_gives_duration(row("Hearing tests", {"Referrals this month": "41"}))


def test_numbers_written_as_words_count_as_figures_and_lengths_of_time():
    asked = "How many replies did the survey get?"
    assert quantities("Ninety-two responses were received to the survey.", asked)
    assert quantities("Fifteen parents replied by the closing date.", asked)
    assert not quantities("The survey was open from 3 March 2025 to 14 April 2025.", asked)
    assert gives_duration("Pupils waited fourteen weeks for a place.")
    assert gives_duration("the longest wait was twenty-six weeks")
    assert not gives_duration("The scheme costs £5m a year.")


def test_how_much_asks_for_an_amount_not_a_count():
    asked = "how much of the parks budget was spent on play areas?"
    assert quantities("Four parks were surveyed and three play areas were closed.", asked) == []
    assert quantities("About forty per cent of the budget went on play areas.", asked)
    assert quantities("The play areas took £1.2m of the budget.", asked) == ["1.2"]
    assert quantities("Four parks were surveyed.", "how many parks were surveyed?") == ["four"]
    assert quantities("The meeting allowed thirty minutes.", "how much time was allowed for questions?") == ["thirty"]


def test_a_title_before_a_name_does_not_end_the_sentence():
    from councilqa.qa.units import units_of

    from councilqa.schema import Passage

    text = ("The conference opened at nine. The keynote speaker was Dr. Amira Stone, an expert in "
            "early years. Cllr. Brown thanked her. The vote was No.")
    passage = Passage(id="p", document="d", title="t", text=text, start=0, end=len(text), score=1.0)
    units = [u.text for u in units_of(passage, 0)]
    assert "The keynote speaker was Dr. Amira Stone, an expert in early years." in units
    assert "Cllr. Brown thanked her." in units
    assert units[0] == "The conference opened at nine."


def test_a_question_asks_for_a_date_wherever_it_says_when():
    from councilqa.qa.question import analyse

    assert analyse("When did the library reopen?").wants_date
    assert analyse("Since when has the swimming pool been shut?").wants_date
    assert analyse("Can you tell me when the parking review was agreed?").wants_date
    assert not analyse("What happens when a child misses school?").wants_date


def test_a_question_typed_as_a_request_asks_the_same_thing():
    from councilqa.qa.question import analyse

    plain = analyse("How many children are waiting for speech therapy?").terms
    assert analyse("Can you tell me how many children are waiting for speech therapy?").terms == plain
    assert analyse("I'd like to know how many children are waiting for speech therapy").terms == plain


def test_how_typical_or_exact_an_answer_is_asked_is_not_what_it_is_about():
    from councilqa.qa.question import analyse

    plain = analyse("How long do families wait for a first appointment?").terms
    assert analyse("How long do families usually wait for a first appointment?").terms == plain
    assert analyse("How long exactly do families typically wait for a first appointment?").terms == plain
    # The adjectives the adverbs come from are what a question is about.
    assert "general" in analyse("Who is the General Counsel?").terms
    assert "actual" in analyse("What was the actual spend against the budget?").terms
    assert "normal" in analyse("What are the normal opening hours of the library?").terms
    # "meant to" and "supposed to" ask what is planned; "meant by" asks what a word means
    assert analyse("When is the swimming pool meant to reopen?").terms == analyse("When is the swimming pool to reopen?").terms
    assert analyse("When is the swimming pool supposed to reopen?").terms == analyse("When is the swimming pool to reopen?").terms
    assert "meant" in analyse("What is meant by early help?").terms


def test_asking_for_the_last_step_of_a_matter_names_nothing():
    from councilqa.qa.question import analyse

    plain = analyse("What did the board decide about the cycle lanes?").terms
    assert analyse("What did the board finally decide about the cycle lanes?").terms == plain
    assert analyse("What did the board eventually decide about the cycle lanes?").terms == plain
    assert analyse("What did the board ultimately decide about the cycle lanes?").terms == plain
    assert analyse("In the end, what did the board decide about the cycle lanes?").terms == plain
    # "final" the adjective, and "the end of" a period, are what a question is about
    assert "final" in analyse("When were the final accounts published?").terms
    assert "end" in analyse("What were reserves at the end of the year?").terms


def test_a_second_part_asking_what_something_should_be_asks_for_a_target():
    from councilqa.qa.parts import Part

    part = Part("How many potholes were repaired last month, and what should the figure be?")
    assert part.target
    assert part.said_by("This is below the target of at least 900 a month.")
    assert part.said_by("The aim is 1,000 repairs a month by March 2026.")
    assert not part.said_by("Repairs slowed over the winter.")
    assert not Part("How many carers were assessed, and what did they say?").target


def test_asked_when_a_date_a_year_or_a_length_of_time_answers():
    from councilqa.qa.figures import gives_time
    from councilqa.qa.parts import asks_only_when
    from councilqa.qa.question import analyse

    assert asks_only_when(analyse("When does a new tenancy get its first inspection?"))
    assert asks_only_when(analyse("Since when has the council opposed the incinerator?"))
    # the other part of a two-part question may be answered without a date
    assert not asks_only_when(analyse("How much did the library grant come to, and when will it open?"))
    assert not asks_only_when(analyse("What did the committee agree about the library?"))
    assert gives_time("A new tenancy is inspected within six weeks of the keys being handed over.")
    assert gives_time("The council's position was adopted in November 2016.")
    assert gives_time("Tenancies are then inspected annually.")
    assert not gives_time("The policy says that we oppose the incinerator.")
    # the years a question names itself ("the Waste Plan 2021-2036") are not the answer
    assert not gives_time("The Waste Plan 2021-2036 was examined by an inspector.", ["2021", "2036"])


def test_a_sentence_is_read_with_the_one_before_it_in_its_paragraph():
    from councilqa.qa.units import units_of
    from councilqa.schema import Passage

    text = ("The Department issued the Cycling Fund allocation on 3rd May. The council's share is £2.1m, "
            "most of it capital.\n\nA new paragraph starts here.")
    passage = Passage(id="p", document="d", title="t", text=text, start=0, end=len(text), score=1.0)
    units = units_of(passage, 0)
    assert [u.text for u in units][1] == "The council's share is £2.1m, most of it capital."
    assert units[1].before == "The Department issued the Cycling Fund allocation on 3rd May."
    assert units[0].before == "" and units[2].before == ""  # nothing before; another paragraph


def test_what_a_sentence_is_about_may_be_named_two_sentences_before_it():
    """A count given of "the hub", two sentences after the one naming the hub, is about the hub
    (the answerer counts the name as what the sentence is about); a sentence in another
    paragraph is not."""
    from councilqa.index.sparse import tokenize
    from councilqa.qa.answerer import Answerer
    from councilqa.qa.units import units_of
    from councilqa.schema import Passage

    text = ("The Riverside Youth Hub opened in March 2024 beside Hythe library. It offers drop-in sessions "
            "every weekday evening. From April to September 2024, the hub welcomed 480 young people, most of "
            "them aged 13 to 16.\n\nA separate sports project welcomed 95 young people.")
    units = units_of(Passage(id="p", document="d", title="t", text=text, start=0, end=len(text), score=1.0), 0)
    assert units[2].text.startswith("From April to September 2024, the hub welcomed 480")
    riverside, hythe = tokenize("Riverside Hythe")
    own, around = Answerer._said(units[2])
    assert {riverside, hythe} <= around and not {riverside, hythe} & own
    assert not {riverside, hythe} & Answerer._said(units[3])[1]


def test_a_meeting_day_no_paper_has_counts_against_the_answer_like_an_unknown_name():
    from councilqa.qa.answerer import Answerer
    from councilqa.qa.question import analyse
    from councilqa.schema import Passage

    text = "The board settled the library opening hours. It sits next on 4th June 2026."
    passage = Passage(id="p", document="d", title="Minutes", text=text, start=0, end=len(text), score=1.0,
                      meeting_date="2026-02-19")
    held = analyse("Which hours did the library board settle when it sat on 19 February 2026?")
    mentioned = analyse("Which hours will the library board settle when it sits on 4 June 2026?")
    missing = analyse("Which hours did the library board settle when it sat on 26 February 2026?")
    assert Answerer._name_factor(held, [passage]) == 1.0
    assert Answerer._name_factor(mentioned, [passage]) == 1.0
    assert Answerer._name_factor(missing, [passage]) < 1.0


def test_asking_how_a_motion_fared_asks_for_its_vote():
    from councilqa.qa.votes import is_vote_question

    assert is_vote_question("What happened to the motion on bus lanes in June?")
    assert is_vote_question("Did the council back scrapping the garden waste charge?")
    assert is_vote_question("Who moved the amendment on allotments, and did it get through?")
    assert is_vote_question("Was the amendment on street lighting passed?")
    assert not is_vote_question("What did the motion on bus lanes ask the Leader to do?")
    # Who took which side is read from the recorded vote.
    assert is_vote_question("which councillors opposed the new parking charges?")
    assert is_vote_question("Who was against closing the Eastside depot?")
    assert is_vote_question("what party backed ending the tram trial?")
    assert not is_vote_question("Which charities support carers in the borough?")
    assert not is_vote_question("Who supported the sports club's bid with a grant?")
    assert not is_vote_question("What was the result of the residents' survey?")
    # "Carried" is a vote's outcome; money carried over or forward, and work carried out, are not.
    assert is_vote_question("Was the motion on cycle lanes carried?")
    assert not is_vote_question("How much of the grant was carried over from last year?")
    assert not is_vote_question("what underspend is being carried forward into 26/27?")
    assert not is_vote_question("Who carried out the review of the library service?")


def test_words_the_papers_never_use_are_read_as_the_papers_write_them():
    from councilqa.qa.vocabulary import clipped_forms, initialisms, typed_initialisms

    vocabulary = {"rehabilit", "rehous", "human", "resourc", "staff", "dft"}
    # rule "clipped word": "rehab" is the beginning of a word the papers use
    assert clipped_forms("rehab", vocabulary) == {"rehabilit"}
    assert clipped_forms("staff", vocabulary) == set()  # a word the papers use stands for itself
    assert clipped_forms("reh", vocabulary) == set()  # too short to be sure of
    # rule "initialism": "HR" and "DfT" are typed in capitals, to be found spelled out as well
    # (whether or not the papers also write "DfT": the answering sentence may spell it out)
    assert typed_initialisms("How many staff are there in HR? And at the DfT?") == {"hr", "dft"}
    assert typed_initialisms("What did the DfE say?") == {"dfe"}
    assert typed_initialisms("What did the department say?") == set()
    assert "hr" in initialisms("Human Resources - Northshire: 41 posts are vacant")
    assert {"dft", "dt"} <= initialisms("a grant from the Department for Transport")
    assert "hr" not in initialisms("his role was vacant")


def test_an_initialism_the_paper_spells_out_says_its_words(tmp_path, settings):
    """Rule "an initialism the paper spells out" (qa/vocabulary.py): a sentence writing "the JTB"
    says "Joint Transport Board" where its paper spelled it out so, for a question typed in words."""
    from councilqa.qa.question import analyse
    from councilqa.qa.units import units_of
    from councilqa.qa.vocabulary import spelled_out_initialisms

    assert spelled_out_initialisms("Members of the Joint Transport Board (JTB) met twice. The JTB agreed.") == \
        {"jtb": {"joint", "transport", "board"}}
    assert spelled_out_initialisms("The Board (JTB) met.") == {}  # initials that do not spell it
    answerer = answerer_over(tmp_path, settings, {"2026-05-07-cabinet/buses.txt": cabinet_report(
        "7 May 2026", "BUS SERVICES\n\nThe Joint Transport Board (JTB) was set up in 2024 with the districts.\n\n"
        "Timetables were reviewed in the spring and the summer.\n\nThe JTB will next meet on 14 September 2026.")})
    question = answerer.question(analyse("when does the joint transport board meet next?").text)
    unit = next(u for p in answerer.searcher.search(question.text, k=5) for u in units_of(p, 0) if "14 September" in u.text)
    assert answerer._coverage(question, unit) > 0.9, unit.text  # "joint", "transport", "board" said


def test_at_the_moment_and_now_are_not_what_a_question_is_about():
    from councilqa.qa.question import analyse

    plain = analyse("How long is the average wait for hearing tests?").terms
    assert analyse("How long is the average wait for hearing tests at the moment?").terms == plain
    assert analyse("How long is the average wait for hearing tests now?").terms == plain


def test_a_light_verb_and_the_ones_are_not_what_a_question_is_about():
    from councilqa.qa.question import analyse

    assert analyse("who got the delegated power to settle the harbour lease?").terms == \
        analyse("who has the delegated power to settle the harbour lease?").terms
    assert analyse("how much grant do we get for the ferry service?").terms == \
        analyse("how much grant for the ferry service?").terms
    assert analyse("what happens to the ones not answered at the meeting?").terms == \
        analyse("what happens to those not answered at the meeting?").terms
    assert analyse("who gave the opening talk at the carers' fair?").terms == \
        analyse("who did the opening talk at the carers' fair?").terms


def test_asked_about_one_period_a_figure_for_another_is_not_the_answer():
    from councilqa.qa.periods import financial_years, months_of, names_another_period

    assert months_of("As at 30th June 2025 there were 41 on the list") == {"june 2025"}
    assert financial_years("the 2027-28 precept, 2027/28 again, and the 2026-36 programme") == {"2027-28"}
    asked = "How many people were on the allotment waiting list at the end of September 2025?"
    assert names_another_period(asked, "As at 30th June 2025 there were 41 people on the allotment waiting list.")
    assert not names_another_period(asked, "At 30 September 2025, 38 people were waiting for an allotment.")
    assert not names_another_period(asked, "38 people are waiting for an allotment.")  # no period: not judged
    assert names_another_period("What will the garden waste charge be in 2027-28?", "The charge for 2026/27 is £52.")
    assert not names_another_period("What will the garden waste charge be in 2027-28?", "For 2027/28 the charge is £55.")
    # the day of a meeting says which paper, not which period
    assert not names_another_period("What did the report to the board on 12 May 2026 say about the waiting list?",
                                    "At the end of March 2026, 44 people were waiting.")


def test_asked_about_one_school_term_or_quarter_a_figure_for_another_is_not_the_answer():
    from councilqa.qa.periods import names_another_period, quarters_of, terms_of

    assert terms_of("In the Autumn term and the spring 2025 term") == {"autumn", "spring"}
    assert quarters_of("Q3 2024/25, quarter 2 and the fourth quarter") == {"3", "2", "4"}
    asked = "How many free meal vouchers were issued in the summer term?"
    assert names_another_period(asked, "In the autumn term, 4,120 vouchers were issued to families.")
    assert not names_another_period(asked, "In the Summer Term, 3,870 vouchers were issued.")
    assert not names_another_period(asked, "3,870 vouchers were issued.")  # no term: not judged
    asked = "how many fly-tipping reports were cleared within 2 days at q3?"
    assert names_another_period(asked, "In Quarter 2, 1,204 reports were cleared within two days.")
    assert not names_another_period(asked, "In the third quarter, 1,310 reports were cleared within two days.")
    assert not names_another_period("How many reports were cleared last year?", "In Quarter 2, 1,204 were cleared.")


def test_asked_about_one_edition_of_a_recurring_thing_another_edition_is_not_the_answer():
    from councilqa.qa.periods import asks_current, editions_of, names_another_period

    assert editions_of("the 9th annual fair, its third meeting and the 2nd round") == {"9", "3", "2"}
    # a day of a month, a quarter and "first" are not editions
    assert editions_of("on 12th March, the 3rd of May, June 4th next, the third quarter, for the first time") == set()
    asked = "when is the 14th river festival?"
    assert names_another_period(asked, "Our 13th River Festival was held on 2 August and drew 9,000 visitors.")
    assert not names_another_period(asked, "The 14th river festival will be held on 1st August.")
    assert not names_another_period(asked, "The festival is held every August.")  # no edition: not judged
    asked = "What did the panel agree at its second meeting?"
    assert names_another_period(asked, "At its third meeting the panel agreed to publish its minutes.")
    assert not names_another_period(asked, "At its 2nd meeting the panel agreed to publish its minutes.")
    assert asks_current("What is the latest on the 3rd phase of the scheme?")  # an edition is not a time


def test_asked_when_something_is_due_dates_before_the_meeting_do_not_say():
    from councilqa.qa.periods import asks_time_to_come, only_times_past

    assert asks_time_to_come("When is the bus depot loan due to be repaid?")
    assert asks_time_to_come("when will the new library open")
    assert not asks_time_to_come("When was the library opened?")
    meeting = "2026-03-10"
    assert only_times_past("The loan was made in 2019-20 and its balance at 31.03.25 was £0.4m.", meeting)
    assert only_times_past("The depot opened in June 2024.", meeting)
    assert not only_times_past("Repayment is due in May 2027.", meeting)
    assert not only_times_past("The library is expected to open in March 2026.", meeting)  # the meeting's month may be to come
    assert not only_times_past("The works are planned for 2026.", meeting)  # the meeting's year: not past
    assert not only_times_past("Work started in 2024 and will finish within six weeks.", meeting)  # a length of time
    assert not only_times_past("It should reopen next year.", meeting)  # a time in words
    assert not only_times_past("The loan will be repaid in full.", meeting)  # no time: not judged
    assert not only_times_past("The loan was made in 2019-20.", None)  # no meeting date to measure from


def test_a_financial_year_typed_short_is_read_as_papers_write_it():
    from councilqa.qa.periods import names_another_period
    from councilqa.qa.question import spell_financial_years

    assert spell_financial_years("What is the library budget for 25/26?") == "What is the library budget for 2025-26?"
    assert spell_financial_years("the 24-25 outturn, and FY25/26") == "the 2024-25 outturn, and 2025-26"
    # not a year: an age band, a range of pages, a sum, a ratio of years apart
    for typed in ("How many 16-17 year olds are in care?", "children aged 18-19", "see pages 24-25",
                  "a £24-25m gap", "24/26 of the homes", "in 2024/25"):
        assert spell_financial_years(typed) == typed
    # so the rule "another period" reads the year asked
    asked = spell_financial_years("What will the garden waste charge be in 27/28?")
    assert names_another_period(asked, "The charge for 2026/27 is £52.")


def test_a_month_typed_with_a_two_digit_year_is_that_month_of_that_year():
    from councilqa.qa.question import analyse, as_papers_write

    assert as_papers_write("rent arrears at end of sept 24?") == "rent arrears at end of sept 2024?"
    assert as_papers_write("Dec '23 and march-25 figures") == "Dec 2023 and march 2025 figures"
    assert analyse(as_papers_write("How many were waiting in Oct 25?")).month_years == ["october 2025"]
    # a day of a month, a length of time, "may" as a verb: left as typed
    for typed in ("what happens on March 25", "the report of March 25th", "within June 12 weeks",
                  "the panel may 24 hours later", "in june 2024", "the board of march 25 2026",
                  "at the november 12, 2025 meeting"):
        assert as_papers_write(typed) == typed


def test_ordinary_words_typed_short_are_read_written_out():
    from councilqa.qa.question import as_papers_write

    # rule "common shorthand": ordinary words, not a council's own initialisms
    assert as_papers_write("what did the govt dept say to the chief exec?") == \
        "what did the government department say to the chief executive?"
    assert as_papers_write("the parks cttee's decision") == "the parks committee's decision"
    assert as_papers_write("What did NHS Northshire say?") == "What did NHS Northshire say?"
    assert as_papers_write("the execution of the contract") == "the execution of the contract"
    assert as_papers_write("is the 20 mins for questions or 2 hrs?") == "is the 20 minutes for questions or 2 hours?"
    assert as_papers_write("min 6 wks notice") == "min 6 weeks notice"  # "min" may be a minimum
    assert as_papers_write("HR staffing") == "HR staffing"  # "hr" is no hour


def test_councillors_are_members_in_the_papers(tmp_path, settings):
    """Rule "councillors are members": papers call councillors Members; a councillor asks about
    councillors."""
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-09-standards-committee/minutes.txt":
            "Minutes of the Standards Committee\nDate of Meeting:\t9 May 2024\n\n4. MEMBER TRAINING\n\n"
            "Members who have not completed the induction training within six months of election will be "
            "removed from the planning committee.\n",
        "2024-05-09-standards-committee/libraries-report.txt":
            cabinet_report("9 May 2024", "LIBRARIES\n\nThe council runs 12 libraries.\n")})
    answer = answerer.answer("What happens to councillors who skip their induction training?")
    assert not answer.abstained, answer.answer
    assert "removed from the planning committee" in answer.answer


def test_a_count_is_of_the_noun_after_how_many():
    from councilqa.qa.question import counted_word

    assert counted_word("how many new permanent places does the plan add?") == "places"
    assert counted_word("how many more homes will the scheme build?") == "homes"
    assert counted_word("how many households received a grant?") == "households"
    assert counted_word("how many fte staff work in libraries") == "fte"
    assert counted_word("how many of the bridges are weak") is None
    assert counted_word("how many") is None


def test_proportionality_asks_for_no_percentage():
    from councilqa.qa.question import analyse

    assert not analyse("What happened to the proportionality review?").wants_percent
    assert analyse("What proportion of bins were emptied on time?").wants_percent
    assert "happen" not in analyse("What happened to the proportionality review?").terms


def test_a_decision_is_asked_for_in_a_councillors_words_too():
    from councilqa.qa.question import analyse

    for asked in ("What did the licensing panel sign off in June?", "Did the board endorse the parking review?",
                  "what did the scrutiny committee do with the library proposals?",
                  "What did council adopt as its new litter strategy?"):
        q = analyse(asked)
        assert q.kind == "decision", asked
    assert analyse("What did the panel sign off in June?").asks_decision
    # "do with", said of something other than a body that decides, asks no decision
    assert analyse("What would the new strategy do with empty shops?").kind != "decision"
    assert not analyse("What did the consultants' report say it would do with empty shops?").asks_decision


def test_the_outcome_of_an_agenda_item_is_its_decision(tmp_path, settings):
    """Rule "the outcome of an item is its decision": asked what became of an item, the
    resolution answers, not the minute of who presented it."""
    from councilqa.qa.question import analyse

    for asked in ("june panel: outcome on the allotments update?", "what happened to the members' questions item?",
                  "What was the result of the parking petition item?", "what happened with the library review in may?"):
        assert analyse(asked).kind == "decision", asked
    for asked in ("What was the result of the residents' survey?", "What was the outcome of the appeal?",
                  "how many people signed the petition?"):
        assert analyse(asked).kind != "decision", asked
    answerer = answerer_over(tmp_path, settings, {
        "2024-06-04-environment-panel/minutes.txt":
            "Minutes of the Environment Panel\nDate of Meeting:\t4 June 2024\n\n"
            "5. ALLOTMENTS SIX-MONTHLY UPDATE\n\n1. Sam Hill, Head of Parks, presented the allotments six-monthly "
            "update to the panel and answered members' questions about the waiting list and plot rents.\n\n"
            "2. RESOLVED that the allotments update be noted and that a report on plot rents come back in December.\n\n"
            "6. TREE PLANTING\n\n1. Ann Lee presented the tree planting report.\n\n"
            "2. RESOLVED that the planting plan be approved.\n"})
    answer = answerer.answer("june environment panel: outcome on the allotments update?")
    assert "noted" in answer.answer, answer.answer


def test_a_gap_or_shortfall_asked_for_is_an_amount():
    from councilqa.qa.question import analyse

    assert analyse("What is the borough's funding gap for 2027-28?").asks_quantity
    assert analyse("What is the funding shortfall for 2026-27?").asks_quantity
    assert analyse("What is the backlog of highway repairs?").asks_quantity
    # the thing after a possessive is the head ("the council's net revenue budget")
    assert analyse("What is the council's net revenue budget for 2026-27?").asks_quantity
    assert not analyse("What is the gap between the two plans about?").asks_quantity


def test_asked_about_a_meeting_day_a_unit_about_another_meeting_is_not_the_answer():
    from councilqa.qa.periods import days_of, names_another_day

    assert days_of("approved on 15th May, 2025 and again on 02.06.2025") == {"2025-05-15", "2025-06-02"}
    asked = ["2026-05-14"]  # "Which grants did the board approve when it sat on 14 May 2026?"
    # a paper of another meeting, naming another meeting's day
    assert names_another_day(asked, "The grant scheme was approved by the board on 15 May 2025.", "2025-09-04")
    # the papers of the meeting asked about, whatever days they name
    assert not names_another_day(asked, "The board noted its decision of 15 May 2025.", "2026-05-14")
    # another paper that names the day asked about
    assert not names_another_day(asked, "On 14 May 2026 the board approved two grants.", "2026-06-30")
    # a unit naming no day is not judged by this rule
    assert not names_another_day(asked, "The board approved two grants.", "2026-06-30")
    # a question naming no day
    assert not names_another_day([], "approved by the board on 15 May 2025", "2025-09-04")


def test_two_parts_asking_amounts_ask_for_two_amounts():
    from councilqa.qa.parts import asks_two_amounts

    assert asks_two_amounts("How many foster carers were approved this year, and what is the target?")
    assert asks_two_amounts("How much does the government give towards the scheme, and how much does the council add?")
    assert asks_two_amounts("What percentage of calls were answered within a minute, and what's the floor?")
    assert not asks_two_amounts("How many libraries are there, and which one is the busiest?")
    assert not asks_two_amounts("What did the committee agree, and how much will it cost?")
    assert not asks_two_amounts("How many libraries are there?")


def test_asked_for_two_amounts_the_answer_gives_both(tmp_path, settings):
    """The sentence naming the level to meet gives one figure; the measure's own figure is the
    sentence before it."""
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-02-cabinet-performance.txt":
            cabinet_report("2 May 2024", "QUARTERLY PERFORMANCE REPORT\n\n"
                           "Household waste recycling. In the year to March 2024, 38% of household waste was recycled, "
                           "compared to 36% a year earlier. The share of household waste sent for recycling remains below "
                           "the floor standard of 45% set for the council.\n\n"
                           "Street lighting. 97% of faulty street lights were repaired within five working days.\n"),
        "2024-05-02-cabinet-parks.txt":
            cabinet_report("2 May 2024", "PARKS\n\nThe council maintains 42 parks and 3 lidos.\n")})
    answer = answerer.answer("What share of household waste is sent for recycling, and what's the floor standard?")
    assert "45%" in answer.answer and "38%" in answer.answer, answer.answer
    assert "38%" in answer.citations[0].quote  # the parts in the order asked


def test_a_month_typed_short_is_the_month():
    """Rule "short month": "Oct 2023" and "9 Nov 2023" name a month and a day as the words in
    full do, and a paper saying either matches the question's month."""
    from councilqa.qa.question import analyse
    from councilqa.qa.rows import reports_month_asked
    from councilqa.schema import RowCell, TableRow

    assert analyse("How many households were in B&B in Oct 2023?").month_years == ["october 2023"]
    assert analyse("Who chaired planning on 9 Nov 2023?").days == ["2023-11-09"]
    assert analyse("What was the figure for Sept. 2024?").month_years == ["september 2024"]
    assert {"oct", "octob"} in analyse("repairs done on time Oct 2023").alternatives
    # "may" stays a word; a short month needs a year after it.
    assert analyse("Which homes may 2024 rents rise for?").month_years == ["may 2024"]
    assert analyse("Did the dec report say why?").month_years == []
    # Of two printings of a table, the one with the month's outcome filled in reports the month.
    printed = [RowCell(header="Target Oct 2023", value="60%", period="Oct 2023", unit="%")]
    later = printed + [RowCell(header="Outcome Oct 2023", value="42%", period="Oct 2023", unit="%")]
    q = analyse("% of repairs done on time in Oct 2023")
    assert reports_month_asked(q, TableRow(label="Repairs", cells=later))
    assert not reports_month_asked(q, TableRow(label="Repairs", cells=printed))


def test_asking_for_a_comparison_is_not_what_the_question_is_about():
    from councilqa.qa.question import analyse

    plain = analyse("library visits this year and the regional average").terms
    assert analyse("library visits this year vs the regional average").terms == plain
    assert analyse("library visits this year versus the regional average").terms == plain


def test_a_count_is_a_whole_number():
    """Rule "a count is a whole number": asked how many of a thing, a sum of money, a percentage
    or a figure with a fraction (a balance in £m whose unit the table left unsaid) is no count."""
    from councilqa.qa.figures import counts

    assert counts("There were 19 cases of rough sleeping in the town") == ["19"]
    assert counts("Ninety-two responses were received") == ["ninety", "two"]
    assert "1.2 million" in counts("about 1.2 million residents")
    assert "2,421" in counts("34% of plans (813 out of 2,421) were on time")
    assert counts("a surplus of £57.7m and a cost of £ 12") == []
    assert counts("Closing balance. Maintained schools: 57.7; Central reserve: -96.6") == []
    assert counts("Latest: 84% Target: 85 per cent") == []
    assert counts("3g | School budgets") == []  # a paragraph's number


def test_asked_how_many_of_a_thing_a_sum_of_money_does_not_answer(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-02-cabinet-schools.txt":
            cabinet_report("2 May 2024", "SCHOOL BALANCES\n\n"
                           "Maintained school balances are forecast to end the year in surplus by £14.2m, with a deficit "
                           "of £3.1m on the central schools reserve.\n")})
    assert answerer.answer("How many maintained schools will end the year in deficit?").abstained
    assert not answerer.answer("How much is the deficit on the central schools reserve?").abstained


def test_asked_about_a_calendar_year_a_figure_for_another_year_is_not_the_answer():
    """Rule "another year"."""
    from councilqa.qa.periods import names_another_period, years_of

    asked = "How many pedestrians were hurt on the town's roads in 2023?"
    assert names_another_period(asked, "In 2024, 41 pedestrians were hurt on the town's roads.")
    assert names_another_period(asked, "On 3 March 2024 the count stood at 41.")
    assert not names_another_period(asked, "In 2023, 38 pedestrians were hurt.")
    assert not names_another_period(asked, "In 2023-24, 38 pedestrians were hurt.")  # a year that ends in 2024 names it
    assert not names_another_period(asked, "38 pedestrians were hurt last year.")  # no year: not judged
    assert not names_another_period(asked, "Under the Highways Act 1980, 38 crossings were built.")  # a law, not a period
    assert years_of("from 2012 to 2022-23") == {"2012", "2022", "2023"}
    # a month or financial year asked is judged by rule "another period", not as a calendar year
    assert not names_another_period("How many were hurt in March 2023?", "In 2023, 38 were hurt.")


def test_a_question_asking_two_things_is_split_into_two_that_stand_alone():
    from councilqa.qa.decompose import parts_of

    parts = parts_of("How did the transport panel respond to the parking plan, and what did cabinet finally decide?")
    assert parts.first == "How did the transport panel respond to the parking plan?"
    # the second part is asked with the first after it, for what "then" and "it" refer to
    assert parts.second == "what did cabinet finally decide - the transport panel respond to the parking plan?"
    # the second part carries the first's subject, not its asking words ("how long")
    assert parts_of("how long did the survey of tenants run, and how many replied?").second == \
        "how many replied - the survey of tenants run?"
    assert parts_of("How many libraries are there?") is None
    assert parts_of("Who, and why?") is None  # no question of its own before the second


def test_a_year_in_a_name_is_no_date():
    """Rule "a year in a name is no date": the year ending the name of a law or plan says which
    one it is; asked since when, a sentence naming the Act answers nothing."""
    from councilqa.qa.figures import gives_date, gives_time

    assert not gives_date("The Licensing Act 2003 gave the council this duty.")
    assert not gives_time("The duty is set out in the Local Transport Plan 2024-2037.")
    assert not gives_date("Under the Flood Risk Regulations (2009) the council must publish a register.")
    assert gives_date("From 1 April 2025 the council took on the licensing duty.")
    assert gives_date("In 2019 the council adopted its first transport plan.")
    assert gives_date("The Transport Plan 2024-2037 was adopted in March 2024.")  # the adoption has a date


def test_a_comparison_asks_two_things():
    """Rule "a comparison asks two things": "vs" or "versus" before a question word starts a
    second question, as "and" does; set against a bare noun, it asks one thing."""
    from councilqa.qa.decompose import parts_of

    parts = parts_of("the pension fund's property holding - what is it worth now vs what did we pay for it?")
    assert parts.first == "the pension fund's property holding - what is it worth now?"
    assert parts.second == "what did we pay for it - the pension fund's property holding?"
    assert parts_of("How much is it worth versus how much was paid for it?").first == "How much is it worth?"
    assert parts_of("library visits this year vs the regional average") is None
    assert parts_of("what is the spend vs budget on libraries?") is None


def test_asked_for_two_columns_of_one_row_the_answer_gives_both_once(tmp_path, settings):
    """Each part, asked alone, reads another column of the same row; the row is said once, with
    both values."""
    answerer = answerer_over(tmp_path, settings, {
        "2024-11-20-pensions-committee/investments.txt":
            "Report to:\tPENSIONS COMMITTEE\nDate of Meeting:\t20 November 2024\n\nEXTERNALLY MANAGED INVESTMENTS\n\n"
            "Fund\tBook Cost £\tMarket Value at 30 September 2024 £\tIncome Return %\n"
            "Riverside Property Unit Trust\t40,000,000\t36,512,220\t3.1%\n"
            "Northern Equity Income Fund\t25,000,000\t27,940,118\t4.4%\n"
            "Municipal Bond Fund\t15,000,000\t14,220,950\t2.7%\n\n"
            "The committee noted the report.\n"})
    answer = answerer.answer(
        "riverside property unit trust - what was its value in september 2024 vs what did we pay for it?")
    assert not answer.abstained, answer.answer
    assert "36,512,220" in answer.answer and "40,000,000" in answer.answer, answer.answer
    assert len(answer.citations) == 1 and answer.answer.count("36,512,220") == 1, answer.answer


def test_a_question_asking_two_things_of_two_papers_is_answered_part_by_part(tmp_path, settings):
    """Each part is answered by another body's paper: the answer to the whole, which must find
    one passage saying enough of both, misses one; each part asked alone finds its own."""
    answerer = answerer_over(tmp_path, settings, {  # a meeting's folder names its body
        "2024-03-04-transport-panel/minutes.txt":
            "Minutes of the Transport Panel\nDate of Meeting:\t4 March 2024\n\n5. PARKING STRATEGY\n\n"
            "The panel discussed the draft Parking Strategy 2024-2029 with the Head of Highways. "
            "RESOLVED that the Transport Panel endorse the draft Parking Strategy and recommend it to Cabinet.\n",
        "2024-04-10-cabinet/minutes.txt":
            "Minutes of Cabinet\nDate of Meeting:\t10 April 2024\n\n7. PARKING STRATEGY 2024-2029\n\n"
            "RESOLVED that Cabinet adopt the Parking Strategy 2024-2029 with effect from 1 June 2024, "
            "subject to the removal of the proposed Sunday charges.\n",
        "2024-04-10-cabinet/libraries-report.txt":
            cabinet_report("10 April 2024", "LIBRARIES\n\nThe council runs 12 libraries.\n")})
    answer = answerer.answer(
        "the parking strategy: how did the transport panel respond, and what did cabinet finally decide?")
    assert not answer.abstained, answer.answer
    assert "endorse" in answer.answer and "adopt" in answer.answer, answer.answer
    assert [c.committee for c in answer.citations] == ["Transport Panel", "Cabinet"], answer.citations
    assert [c.n for c in answer.citations] == [1, 2] and answer.answer.endswith("[2].")


def test_when_the_papers_answer_one_part_of_a_question_the_answer_says_which_they_do_not(tmp_path, settings):
    """Rule "say which part the papers do not answer": one part is in the papers, the other in
    none; the answer gives the one and says the papers searched do not say the other, instead
    of declining the whole question."""
    answerer = answerer_over(tmp_path, settings, {
        "2024-04-10-cabinet/minutes.txt":
            "Minutes of Cabinet\nDate of Meeting:\t10 April 2024\n\n7. PARKING STRATEGY 2024-2029\n\n"
            "RESOLVED that Cabinet adopt the Parking Strategy 2024-2029 with effect from 1 June 2024.\n",
        "2024-04-10-cabinet/libraries-report.txt":
            cabinet_report("10 April 2024", "LIBRARIES\n\nThe council runs 12 libraries.\n")})
    answer = answerer.answer("What did cabinet decide about the parking strategy, and how many tennis courts does the "
                             "leisure centre have?")
    assert not answer.abstained, answer.answer
    assert "adopt the Parking Strategy" in answer.answer, answer.answer
    assert answer.answer.endswith('The papers searched do not say "how many tennis courts does the leisure centre '
                                  'have".'), answer.answer
    assert [c.committee for c in answer.citations] == ["Cabinet"], answer.citations
    # A part whose own words hold a figure is named, not quoted: no figure is said that no paper says.
    answer = answerer.answer("What did cabinet decide about the parking strategy, and how many tennis courts were "
                             "there in 1987?")
    assert answer.answer.endswith("The papers searched do not say the second part of the question."), answer.answer
    assert "1987" not in answer.answer
    # Neither part answered: the whole question is declined.
    assert answerer.answer("How many tennis courts does the leisure centre have, and who runs the cafe?").abstained


def test_a_target_and_its_baseline_are_said_in_other_words():
    """Rule "a target in other words": a planned change from one level to another states the
    baseline and the aim, though it says neither word; a change that happened states neither."""
    from councilqa.qa.targets import BASELINE_TERMS, TARGET_TERMS, target_words_said
    from councilqa.index.sparse import tokenize

    plan = "Library visits will have risen from 41% of residents in 2022 to at least 50% by 2029."
    said = target_words_said("What's the baseline for library visits, and what are we aiming for?", plan)
    assert TARGET_TERMS <= said and set(tokenize("baseline")) <= said
    assert TARGET_TERMS <= target_words_said("What is the goal for bus use?", "Increase bus use from 8% to above 10%.")
    assert not target_words_said("What is the goal for bus use?", "Bus use increased from 8% to 9% last year.")
    assert not target_words_said("What is the goal for bus use?", "Bus use rose from 8% to 9%.")
    assert not target_words_said("How many people used buses?", plan)  # no target asked
    assert not BASELINE_TERMS & target_words_said("What is the aim?", plan)  # no baseline asked


def test_asked_for_an_aim_a_plan_from_one_level_to_another_answers(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-02-cabinet-health-plan.txt":
            cabinet_report("2 May 2024", "HEALTH AND WELLBEING PLAN\n\n"
                           "Physical activity. The share of adults who are physically inactive will have fallen from 24% "
                           "in 2022 to no more than 20% by 2028.\n\nParks. The council maintains 42 parks.\n")})
    answer = answerer.answer(
        "what's our aim for adults who are physically inactive, and what's the baseline?")
    assert not answer.abstained and "20%" in answer.answer and "24%" in answer.answer, answer.answer


def test_how_a_vote_went_is_said_by_how_it_ended():
    """Rule "a vote's outcome in other words": minutes saying how a vote ended have said what
    "how did the vote go" asks, though not its words; what was voted on is still to be found."""
    from councilqa.index.sparse import tokenize
    from councilqa.qa.votes import vote_words_said

    asked = "the library charges report at full council - how did the vote go?"
    assert set(tokenize("vote go")) <= vote_words_said(asked, "The Chairman put the motion to the vote and it was agreed unanimously.")
    assert vote_words_said(asked, "The amendment was lost.")
    assert vote_words_said(asked, "For (41)\nAgainst (12)")
    assert not vote_words_said(asked, "The report set out the library charges for 2025-26.")
    assert not set(tokenize("library charges")) & vote_words_said(asked, "It was agreed unanimously.")
    assert not vote_words_said("What are the library charges?", "It was agreed unanimously.")  # no vote asked


def test_full_council_and_a_half_year_are_said_as_papers_say_them():
    from councilqa.index.sparse import tokenize
    from councilqa.qa.question import analyse

    q = analyse("What did full council say about the half-year treasury report?")
    assert "full" not in q.terms and "council" not in q.terms
    assert any(set(tokenize("half mid")) <= group for group in q.alternatives)  # "the mid-year report"
    assert "full" in analyse("What is the full cost of the scheme?").terms


def test_contractions_are_read_written_out():
    """Rule "contractions written out": "what's the overall cost" asks for a sum of money as "what is
    the overall cost" does; a possessive stays."""
    from councilqa.qa.question import analyse, as_papers_write

    assert as_papers_write("what's the bill for re-roofing the depot?") == "what is the bill for re-roofing the depot?"
    assert as_papers_write("Who’s paying for the county's roads?") == "Who is paying for the county's roads?"
    assert as_papers_write("why didn't the bid succeed, and won't they bid again?") == \
        "why did not the bid succeed, and will not they bid again?"
    assert analyse(as_papers_write("what's the overall cost of re-roofing the depot?")).asks_money
    assert analyse(as_papers_write("when's the library reopening?")).wants_date


def test_a_source_named_is_found_where_the_answer_is_written(tmp_path, settings):
    """Rule "a source named": "according to the X" names the paper an answer is in; its words are
    found in the paper's title and headings as fully as in the answering sentence."""
    from councilqa.qa.question import analyse

    assert analyse("how many visits were there, according to the library service annual review?").source_terms >= {"annual", "review"}
    assert analyse("What is the per capita cost of the scheme?").source_terms == set()
    answerer = answerer_over(tmp_path, settings, {
        "2025-03-04-cabinet/library-service-annual-review.txt":
            cabinet_report("4 March 2025", "LIBRARY SERVICE ANNUAL REVIEW AND FORWARD PLAN 2025-2030\n\nBRANCHES\n\n"
                           "Branch libraries welcomed 1.9 million visitors during the year.\n\n"
                           "OPENING HOURS\n\nSandwich library will open on Saturday mornings from June 2025.\n")})
    answer = answerer.answer("how many visitors, according to the library service annual review and forward plan?")
    assert not answer.abstained and "1.9 million" in answer.answer


def test_a_timescale_in_working_or_school_days_is_a_length_of_time():
    """Rule "a length of time": "within 10 working days", "five school days" state one; "how
    quickly" and "how soon" ask for one, as "how long" does."""
    from councilqa.qa.question import analyse

    assert gives_duration("Complaints are answered within 10 working days.")
    assert gives_duration("The team visits within five school days of a referral.")
    assert gives_duration("Notice is given seven clear days before the meeting.")
    assert not gives_duration("A working group of ten officers met.")
    assert analyse("how quickly are complaints answered?").asks_duration
    assert analyse("how soon will the team visit after a referral?").asks_duration
    assert not analyse("how fast is broadband in rural areas?").asks_duration


def test_a_row_labelled_by_a_letter_is_named_by_it():
    from councilqa.qa.answerer import Answerer
    from councilqa.qa.lettered import kind_of, lettered_names, row_lettered_names
    from councilqa.qa.question import analyse
    from councilqa.qa.units import Unit
    from councilqa.schema import Passage, RowCell, TableRow

    # rule "a lettered name": the question names band C, one idea the search index has no word for
    assert "band:c" in analyse("what's the band C charge in Northshire this year?").terms
    assert lettered_names("a band C home pays £1,402") == {"band:c"}
    assert lettered_names("Category B roads and key stage 2 results") == {"category:b", "key_stage:2"}
    assert lettered_names("a band of volunteers; category a or b; the band 2024 concert") == set()

    def row(label: str, label_header: str = "Band") -> Unit:
        record = TableRow(label=label, label_header=label_header, headers=[label_header, "Share of band C rate", "2026-27 £"],
                          cells=[RowCell(header="Share of band C rate", value="7/9"), RowCell(header="2026-27 £", value="1,090.40")])
        text = f"{label}\t7/9\t1,090.40"
        passage = Passage(id=label, document="d", title="Budget", kind="table_row", text=text, reading=record.reading(),
                          row=record, start=0, end=len(text), score=1.0)
        return Unit(passage, 0, 0, len(text), text)

    assert row_lettered_names(row("C").passage.row) == {"band:c"}
    assert row_lettered_names(row("C", "Council tax band").passage.row) == {"band:c"}
    assert row_lettered_names(row("C", "Area").passage.row) == set()
    assert kind_of("category:b") == "categori" and kind_of("band") is None
    # a row says its own label's name, not one its headers mention ("Share of band C rate")
    own_c, _ = Answerer._said(row("C"))
    own_b, _ = Answerer._said(row("B"))
    assert "band:c" in own_c and "band:c" not in own_b and "band:b" in own_b


def test_a_wait_asked_for_is_a_length_of_time():
    from councilqa.qa.question import analyse

    # rule "a wait is a length of time"
    for asked in ("what's the median wait for a blue badge assessment?", "what are the waiting times for hearing aids",
                  "What is the longest wait at the moment?"):
        assert analyse(asked).asks_duration, asked
    # how many are waiting is a count, not a length of time
    for asked in ("how many people are on the waiting list?", "what is the number waiting for a hearing aid?",
                  "what is the waiting list for hearing aids?", "what did the change have to wait for?",
                  "what did the panel ask for on waiting times?"):
        assert not analyse(asked).asks_duration, asked


def test_a_timeframe_asked_for_is_a_length_of_time():
    from councilqa.qa.question import analyse

    asked = analyse("what timeframe does the library improvement plan cover?")
    assert asked.asks_duration and asked.terms == analyse("how long does the library improvement plan cover?").terms
    assert analyse("over what time period will the bridge be closed?").asks_duration
    assert analyse("which timescale applies to the bus review?").asks_duration
    assert "timescal" in analyse("was the timescale for the bus review agreed?").terms


def test_a_length_of_time_is_no_count_nor_amount():
    from councilqa.qa.figures import counts, quantities, without_lengths_of_time

    # rule "a count is a whole number": "the 12-week limit", "within 10 working days" are lengths
    assert counts("Only half of the plans met the 12-week limit last year.", "how many plans are late?") == []
    assert counts("Within 10 working days, 412 bins were replaced.", "how many bins were replaced?") == ["412"]
    # staff counted in full-time equivalents come in fractions
    assert counts("Library staff (FTE): 412.6", "how many FTE staff work in libraries?") == ["412.6"]
    assert counts("Library staff (FTE): 412.6", "how many staff work in libraries?") == []
    # unless days or weeks are what is counted
    assert counts("The road was closed for 12 days.", "how many days was the road closed?") == ["12"]
    # nor an amount: "the 10 year average" is how long the average ran over
    assert without_lengths_of_time("Based on the 10 year average of 1.2 Mt a year", "how much sand is needed?") == \
        "Based on the   average of 1.2 Mt a year"
    assert without_lengths_of_time("closed for 12 days", "how long was it closed?") == "closed for 12 days"
    # rule "a difference in time": "how much longer / later / shorter" is answered by a length of time
    gap = "The coast buses now run 20 minutes shorter than the winter timetable."
    assert without_lengths_of_time(gap, "how much shorter is the coast bus run now?") == gap
    assert without_lengths_of_time("opening 3 months later than planned", "how much later will the pool open?") == \
        "opening 3 months later than planned"
    assert without_lengths_of_time(gap, "how much is spent on the coast buses?") != gap
    # rule "a length of time in words": a "ten-year plan" names the plan, unless years are asked for
    plan = "The council is consulting on a ten-year plan for the harbour."
    assert counts(plan, "how many years does the harbour plan cover?") == ["ten"]
    assert quantities(plan, "how long will the harbour plan run?") == ["ten"]
    assert counts(plan, "how many plans are there for the harbour?") == []
    # nor is a number in a name
    assert quantities("as during the COVID-19 lockdowns", "how much gravel is needed?") == []


def test_how_quickly_and_once_name_nothing_to_find():
    from councilqa.qa.question import analyse

    assert analyse("once the appeal was lodged, how quickly did the panel have to hear it?").terms == \
        ["appeal", "lodg", "panel", "hear"]
    assert "quick" not in analyse("how quickly are potholes filled?").terms
    assert "soon" not in analyse("how soon will the bridge reopen?").terms
    assert "long" not in analyse("how long will the bridge be shut?").terms
    assert "long" in analyse("how many long-term empty homes are there?").terms
    assert "onc" not in analyse("once the plan was approved, what happened?").terms
    # "once a month" says how often: kept
    assert "onc" in analyse("is the verge cut once a month?").terms


def test_the_verb_of_how_long_it_will_last_names_nothing_to_find():
    from councilqa.index.sparse import tokenize
    from councilqa.qa.question import analyse

    last, take, run, expect = (tokenize(w)[0] for w in ("last", "take", "run", "expected"))
    assert analyse("how long is the bridge repair expected to last?").terms == tokenize("bridge repair")
    assert take not in analyse("how long does it take to answer a complaint?").terms
    assert run not in analyse("how long did the library consultation run, and who replied?").terms
    # "last" as an adjective, and a verb outside "how long", are words to find
    assert last in analyse("how long did the last library consultation run?").terms
    assert expect in analyse("what is the bridge repair expected to cost?").terms


def test_a_definite_noun_is_about_its_last_mention_in_the_paragraph():
    """"The inquiry is scheduled for 9 days" is about the inquiry its paragraph last mentioned,
    four sentences back (the answerer counts what that sentence names as what it is about); a
    sentence opening with a noun its paragraph never named earlier gets no more than the two
    sentences before it."""
    from councilqa.index.sparse import tokenize
    from councilqa.qa.answerer import Answerer
    from councilqa.qa.units import units_of
    from councilqa.schema import Passage

    text = ("Officers will give evidence at a public inquiry into the Westmarsh Quarry extension. The site was "
            "first worked in 1962. Two applications are now under consideration. Both were called in by the "
            "minister. The inquiry is scheduled for 9 days in June. The report is due in the autumn.")
    units = units_of(Passage(id="p", document="d", title="t", text=text, start=0, end=len(text), score=1.0), 0)
    westmarsh = tokenize("Westmarsh")[0]
    assert units[4].text.startswith("The inquiry is scheduled")
    assert westmarsh in Answerer._said(units[4])[1]
    assert westmarsh not in Answerer._said(units[5])[1]  # "the report" was not named before


def test_a_sentence_that_points_back_is_quoted_with_the_sentence_it_points_to():
    from councilqa.qa.citations import cite
    from councilqa.qa.units import units_of, with_what_it_points_to
    from councilqa.schema import Passage

    text = ("Northby is a market town on the estuary. It has about 52,300 residents. Health visitors saw 300 "
            "families. History was made.\n\n"
            "The Chair opened the meeting. It was agreed that the item be deferred. This Council notes the report. "
            "The Panel met twice in June. The latter meeting approved the plan.")
    passage = Passage(id="p", document="d", title="t", text=text, start=500, end=500 + len(text), score=1.0)
    units = {u.text: u for u in units_of(passage, 0)}
    pointing = with_what_it_points_to(units["It has about 52,300 residents."])
    assert pointing.text == "Northby is a market town on the estuary. It has about 52,300 residents."
    assert cite(passage, pointing.start, pointing.end, 1).quote == pointing.text  # one exact span of the paper
    latter = with_what_it_points_to(units["The latter meeting approved the plan."])
    assert latter.text.startswith("The Panel met twice in June.")
    # "it was agreed that" points at what follows, "this Council" is the council itself, and a
    # sentence opening a paragraph has nothing before it to carry
    for alone in ("It was agreed that the item be deferred.", "This Council notes the report.",
                  "Northby is a market town on the estuary.", "The Chair opened the meeting.",
                  "Health visitors saw 300 families.", "History was made."):  # "he", "his" are whole words
        assert with_what_it_points_to(units[alone]) is units[alone]


def test_an_answer_that_points_back_names_what_it_is_about(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {"2024-05-02-cabinet/hearing.txt": cabinet_report("2 May 2024", (
        "Hearing support\n\n"
        "Hearing support in Northby is provided by the Orchard Trust under a council contract. "
        "It reported a waiting list of 240 children for hearing support in March.\n\n"
        "Other services reported shorter lists this quarter."))})
    answer = answerer.answer("how many children are waiting for hearing support?")
    assert not answer.abstained
    # who "it" is, not only the figure
    assert "240" in answer.answer and "Orchard Trust" in answer.answer
    assert "Orchard Trust" in answer.citations[0].quote


def test_money_asked_in_other_words_is_a_sum_of_money():
    from councilqa.qa.question import analyse

    for question in ["how much government money did we get for the fostering scheme?",
                     "how much funding has the council received for bus services?",
                     "what did the new speed cameras cost?", "what will the new school cost in total?"]:
        assert analyse(question).asks_money, question
    for question in ["what did cabinet decide about cost of living support?", "how many carers joined the scheme?",
                     "how much of the developer money sought did we secure, as a percentage?"]:
        assert not analyse(question).asks_money, question


def test_a_share_asked_for_is_no_sum_of_money():
    from councilqa.qa.question import analyse

    for question in ["parking income as a % of the transport budget - what's budgeted for 2026-27?",
                     "how much was spent on potholes as a proportion of the highways budget?",
                     "what share of the grant was spent by March?"]:
        assert not analyse(question).asks_money, question
    assert analyse("what is the highways budget for 2026-27?").asks_money


def test_a_name_asked_for_is_answered_only_by_a_name(tmp_path, settings):
    """Rule "a name asked for": asked which contractor or company, a sentence that names none
    ("the contractor is progressing") does not answer; one that names it does."""
    from councilqa.qa.answer_kinds import names_someone_new
    from councilqa.qa.question import analyse

    question = "which firm got the contract to build the eastbridge relief road?"
    assert analyse(question).asks_name and analyse("who was awarded the school meals contract?").asks_name
    assert not analyse("what did the contractor say about delays?").asks_name
    assert not names_someone_new("For the Eastbridge Relief Road, the design and build contract has been signed "
                                 "and the contractor is progressing with the detailed design in May.", question)
    assert names_someone_new("The contract was awarded to Marlow Civils Ltd.", question)
    unnamed = ("For the Eastbridge Relief Road, the design and build contract has been signed and the contractor "
               "is progressing with the detailed design. Works are due to start on site in spring 2025.")
    answer = answerer_over(tmp_path / "a", settings, {"2024-11-07-cabinet/roads.txt": cabinet_report(
        "7 November 2024", "MAJOR ROAD SCHEMES\n\n" + unnamed)}).answer(question)
    assert answer.abstained, answer.answer
    named = unnamed.replace("the design and build contract has been signed", "the design and build contract "
                            "has been signed with Marlow Civils Ltd")
    answer = answerer_over(tmp_path / "b", settings, {"2024-11-07-cabinet/roads.txt": cabinet_report(
        "7 November 2024", "MAJOR ROAD SCHEMES\n\n" + named)}).answer(question)
    assert not answer.abstained and "Marlow Civils Ltd" in answer.answer, answer.answer


def test_the_whole_country_figure_is_not_the_councils(tmp_path, settings):
    """Rule "the whole country's figure is not the council's": asked how many of something the
    county has, a sentence giving the figure for the UK does not answer; one comparing the two,
    or a question about the nation, is answered by it."""
    from councilqa.qa.answer_kinds import another_place

    question = "how many fly-tipping incidents are there in the county each year?"
    national = "Around 1.1 million fly-tipping incidents are recorded each year in England."
    assert another_place(national, question)
    assert not another_place(national, "how many fly-tipping incidents are there nationally?")
    assert not another_place("The county recorded 9,400 incidents, against 1.1 million nationally.", question)
    assert not another_place("The county recorded 9,400 fly-tipping incidents last year.", question)
    answer = answerer_over(tmp_path / "a", settings, {"2024-11-07-cabinet/waste.txt": cabinet_report(
        "7 November 2024", "FLY-TIPPING\n\n" + national + " Clearing it costs councils millions.")}).answer(question)
    assert answer.abstained, answer.answer
    local = national + " In the county 9,400 fly-tipping incidents were recorded in 2023-24."
    answer = answerer_over(tmp_path / "b", settings, {"2024-11-07-cabinet/waste.txt": cabinet_report(
        "7 November 2024", "FLY-TIPPING\n\n" + local)}).answer(question)
    assert not answer.abstained and "9,400" in answer.answer, answer.answer


def test_what_an_inspection_found_is_said_by_its_findings_not_its_date(tmp_path, settings):
    """Asked what an inspection found, a sentence saying the inspection will take place reports
    no finding; one saying what the inspectors found or how they rated the service does."""
    from councilqa.qa.question import analyse

    question = "what did the care inspectors find when they looked at the reablement service in March?"
    assert analyse(question).asks_outcome and analyse("what did the panel conclude?").asks_outcome
    assert not analyse("what did cabinet find out about the bridge costs?").asks_outcome
    coming = ("The reablement service has been selected for a care inspection by the regulator, which will take "
              "place in March 2025 and cover home visits.")
    answer = answerer_over(tmp_path / "a", settings, {"2025-01-09-cabinet/care.txt": cabinet_report(
        "9 January 2025", "REABLEMENT\n\n" + coming)}).answer(question)
    assert answer.abstained, answer.answer
    found = coming + " In March the inspectors rated the reablement service Good, praising its home visits."
    answer = answerer_over(tmp_path / "b", settings, {"2025-04-09-cabinet/care.txt": cabinet_report(
        "9 April 2025", "REABLEMENT\n\n" + found)}).answer(question)
    assert not answer.abstained and "rated the reablement service Good" in answer.answer, answer.answer


def test_a_day_and_month_without_the_year_is_a_date():
    from councilqa.qa.figures import gives_date, gives_time

    for said in ["The new school groupings will go live on 1st April.", "Bids close on April 30th.",
                 "The consultation runs until 31 March."]:
        assert gives_date(said) and gives_time(said), said
    for said in ["The new school groupings will go live in the spring.", "Items 3 and 4 were deferred."]:
        assert not gives_date(said), said


def test_a_decision_said_in_other_words_is_a_decision(tmp_path, settings):
    """Rule "a decision in other words": "was given approval to proceed" records what was decided."""
    minutes = ("Report to:\tCABINET\nDate of Meeting:\t6 February 2025\n\nMINUTES\n\n4. Call-in of decisions\n\n"
               "(c) At the meeting of the Scrutiny Committee held on 29th January 2025, Decision - 25/00011 - "
               "Library Opening Hours, which had been called in, was given approval to proceed to implementation.\n\n"
               "5. Any other business\n\nThere was no other business.")
    answerer = answerer_over(tmp_path, settings, {"2025-02-06-cabinet/minutes.txt": minutes})
    answer = answerer.answer("the library opening hours decision was called in; what did the scrutiny committee decide?")
    assert not answer.abstained and "approval to proceed" in answer.answer, answer.answer


def test_a_report_put_for_approval_records_no_decision():
    from councilqa.qa.answer_kinds import DECISION_WORDS

    assert DECISION_WORDS.search("The decision, which had been called in, was given approval to proceed.")
    assert DECISION_WORDS.search("The planning application was refused.")
    assert not DECISION_WORDS.search("This report provides the Cabinet with the Commissioning Plan for approval.")


def test_how_old_asks_for_a_length_of_time():
    """"how old is the boiler?" asks an age, which a paper states as a length of time ("it is over
    30 years old"), as "how long" asks one."""
    from councilqa.qa.question import analyse

    assert analyse("how old is the boiler the new heat pumps are replacing?").asks_duration
    assert analyse("how long has the boiler been in use?").asks_duration
    assert not analyse("how many old boilers are being replaced?").asks_duration


def test_asked_what_is_current_the_latest_time_a_unit_gives_counts():
    from councilqa.qa.periods import asks_current, latest_time_said

    assert asks_current("How many households are on the housing register at the moment?")
    assert asks_current("what's the latest forecast overspend")
    assert asks_current("How many families are waiting now?")
    assert not asks_current("How many families were waiting?")  # not asked how things stand now
    assert not asks_current("How many families are currently waiting, as at March 2025?")  # a period named: it decides
    meeting = "2025-02-06"
    assert latest_time_said("As at 31 January 2025 there were 1,342 households on the register.", meeting) == (2025, 1, 31)
    assert latest_time_said("In March 2024 there were 1,210, up from 1,150 in 2023.", meeting) == (2024, 3, 0)
    assert latest_time_said("In 2024-25 the register is forecast to reach 1,400.", meeting) == (2025, 0, 0)
    # a time after the paper's meeting is a forecast, not how things stand
    assert latest_time_said("By March 2027 it is expected to reach 1,600; in 2024 it was 1,210.", meeting) == (2024, 0, 0)
    assert latest_time_said("It is expected to reach 1,600 by 2027.", meeting) is None
    assert latest_time_said("There were 1,342 households on the register.", meeting) is None  # no time named
    assert latest_time_said("As at 31 January 2025 there were 1,342.", None) is None  # no meeting to measure from


def test_asked_what_is_current_the_latest_of_two_figures_that_answer_comes_first(tmp_path, settings):
    # The older paper's sentence says "at present" and scores a little better by its words
    answerer = answerer_over(tmp_path, settings, {
        "2024-04-11-cabinet/housing.txt": cabinet_report(
            "11 April 2024", "HOUSING REGISTER\n\nAt present, in March 2024, 1,210 households are on the housing register."),
        "2025-02-06-cabinet/housing-update.txt": cabinet_report(
            "6 February 2025", "HOUSING REGISTER UPDATE\n\n"
            "As at 31 January 2025, there were 1,342 households on the housing register.")})
    now = answerer.answer("How many households are on the housing register at the moment?")
    assert not now.abstained and "1,342" in now.answer.split("[1]")[0], now.answer
    # a period asked decides, not how recent a figure is
    then = answerer.answer("How many households were on the housing register in March 2024?")
    assert "1,210" in then.answer.split("[1]")[0], then.answer


def test_a_contents_entry_or_a_form_s_blank_answers_nothing():
    from councilqa.qa.answer_kinds import is_leader_line

    assert is_leader_line("Annual Library Awards 2025 .................................... 14")
    assert is_leader_line("Appendix B: Fees and charges . . . . . . . . . 22")
    assert is_leader_line("Signed ……… Date ………")
    assert not is_leader_line("The awards were presented on 3 May... and 14 libraries took part.")  # an ellipsis
    assert not is_leader_line("‘The fees set in the 2019 schedule.....’ are replaced.")  # a quotation cut short
    assert not is_leader_line("Fees rose by 2.5% to £14.50 per visit.")


def test_a_person_asked_for_is_answered_only_by_someone_named(tmp_path, settings, monkeypatch):
    """Rule "a person asked for is named": asked which member or councillor did something, a
    sentence that names no one by title ("apologies for absence were received") does not
    answer; one that does ("Mrs D Marsh") does. A bare "who", or a post, may be answered
    without a name."""
    from councilqa.qa import answer_kinds
    from councilqa.qa.answer_kinds import names_a_person
    from councilqa.qa.question import analyse

    question = "which cabinet member sent apologies to the cabinet meeting on 4 june 2024?"
    assert analyse(question).asks_person and analyse("who seconded the motion on library hours?").asks_person
    assert not analyse("who signed off the draft budget?").asks_person
    assert not analyse("which director was given delegated authority?").asks_person
    assert names_a_person("Apologies were received from Mrs D Marsh and Cllr. Tom Reeve.")
    assert not names_a_person("Apologies for absence were received from two Cabinet Members.")
    unnamed = "1. Apologies and Substitutes\n\nApologies for absence were received from one Cabinet Member."
    papers = lambda text: {"2024-06-04-cabinet/minutes.txt": "CABINET\n\nMinutes of the meeting held on 4 June 2024\n\n"
                           + text + "\n\n2. Library opening hours\n\nCabinet agreed the new opening hours."}
    answer = answerer_over(tmp_path / "a", settings, papers(unnamed)).answer(question)
    assert answer.abstained, answer.answer
    named = unnamed.replace("one Cabinet Member", "Mrs D Marsh, Cabinet Member for Libraries")
    answer = answerer_over(tmp_path / "b", settings, papers(named)).answer(question)
    assert not answer.abstained and "Mrs D Marsh" in answer.answer, answer.answer
    # Without the rule, the sentence naming no one is given as the answer.
    monkeypatch.setattr(answer_kinds, "names_a_person", lambda text: True)
    answer = answerer_over(tmp_path / "c", settings, papers(unnamed)).answer(question)
    assert not answer.abstained, answer.answer


def test_how_often_asks_for_a_frequency():
    """Rule "how often asks for a frequency": only a sentence saying how often answers."""
    from councilqa.qa.figures import gives_frequency
    from councilqa.qa.question import analyse

    assert analyse("how often does the harbour board meet?").asks_frequency
    assert analyse("How frequently are the play areas inspected?").asks_frequency
    assert not analyse("how long does the harbour board meet for?").asks_frequency
    for said in ("The board meets quarterly.", "Play areas are inspected every two weeks.",
                 "Reviews take place twice a year.", "Bins are emptied on a fortnightly basis.",
                 "Plans are reviewed every five years.", "Academies file an accounts return each financial year.",
                 "Attendance is reported every school term."):
        assert gives_frequency(said), said
    for unsaid in ("The helpline replies to callers within 10 working days.", "The board met on 4 March 2024.",
                   "The inspection found 12 defects.", "The financial year 2024-25 closed with an underspend."):
        assert not gives_frequency(unsaid), unsaid


def test_who_chaired_a_meeting_is_named_in_the_chair(tmp_path, settings):
    """Rule "who chaired a meeting is named in the chair": the minutes' "(in the Chair)", not a
    guest whose title holds the word."""
    from councilqa.qa.question import analyse

    assert analyse("who chaired the audit committee in May?").asks_chair
    assert analyse("Who was in the chair on 9 May?").asks_chair
    assert not analyse("who chairs the harbour board?").asks_chair  # a standing role, said otherwise
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-09-audit-committee/minutes.txt":
            "Minutes of the Audit Committee\nDate of Meeting:\t9 May 2024\n\n"
            "Also present: Councillor Priya Patel, Chair, Harbour Scrutiny Board, and Councillor Tom Ward, "
            "Chair, Leisure Scrutiny Panel.\n\nPresent: Councillor R Evans (in the Chair), Councillors Hale, Moss "
            "and Quinn.\n\n1. DECLARATIONS OF INTEREST\n\nThere were no declarations of interest.\n"})
    answer = answerer.answer("Who chaired the audit committee meeting on 9 May 2024?")
    assert "Evans" in answer.answer and "Patel" not in answer.answer, answer.answer



def test_a_code_named_is_the_code_answered(tmp_path, settings):
    """Rule "a code named is the code answered": asked what policy CW7 sets, the next policy's
    figure is not the answer."""
    from councilqa.qa.question import analyse, names_code

    assert analyse("what target does policy CW7 set for recycling?").codes == ["cw7"]
    assert analyse("is risk CRR-0052 still red?").codes == ["crr0052"]
    assert analyse("covid-19 costs in q3 of fy24, item 6 on 16 dec").codes == []  # no codes
    assert names_code("cw7", "Policy CW 7: Recycling") and names_code("crr0052", "CRR0052 Climate")
    assert not names_code("cw7", "Policy CW 17: Landfill")
    answerer = answerer_over(tmp_path, settings, {
        "2024-07-10-county-council/waste-plan.txt":
            "Report to:\tCOUNTY COUNCIL\nDate of Meeting:\t10 July 2024\n\nWASTE PLAN POLICIES\n\n"
            "Policy CW6: Recycling of household waste. The plan sets a target of 65% recycling of household "
            "waste by 2035.\n\nPolicy CW8: Recycling of construction waste. The plan sets a target of 80% "
            "recycling of construction waste by 2035.\n"})
    answer = answerer.answer("what recycling target does policy CW7 set for 2035?")
    assert answer.abstained, answer.answer  # no paper names CW7
    answer = answerer.answer("what recycling target does policy CW8 set for 2035?")
    assert "80%" in answer.answer and "65%" not in answer.answer, answer.answer


def test_how_many_did_counts_people_by_what_they_did(tmp_path, settings):
    """Rule "how many did, not how many things": "how many came" names nothing counted that the
    answer must name; "how many registered voters" still counts voters."""
    from councilqa.qa.question import analyse

    assert analyse("how many came to the open day at the depot?").focus is None
    assert analyse("how many applied for a place?").focus is None
    assert analyse("how many responded to the survey?").focus is None
    assert analyse("how many responses did the survey get?").focus == "respons"
    answerer = answerer_over(tmp_path, settings, {
        "2024-09-18-cabinet/leader-report.txt": cabinet_report(
            "18 September 2024",
            "LEADER'S REPORT\n\nThe third Eastgate Depot open day was held on 6 July 2024 and drew a record attendance "
            "of 240 residents, with stalls from the recycling team and the parks service.\n\n"
            "The depot's new sorting line opened in August 2024.\n")})
    answer = answerer.answer("how many came to the third eastgate depot open day?")
    assert "240" in answer.answer, answer.answer


def test_a_time_of_day_is_read_in_the_forms_papers_write_it():
    from councilqa.qa.figures import gives_clock_time

    assert gives_clock_time("The meeting will start at 6.30 pm in the Civic Centre.")
    assert gives_clock_time("Doors open at 10:00.")
    assert gives_clock_time("The hearing resumed after lunch at 2pm.")
    assert gives_clock_time("Council agreed to continue beyond 4.30 to finish the business.")
    assert not gives_clock_time("The scheme costs £3.45m a year.")
    assert not gives_clock_time("Rents rose by 4.5% in the year.")
    assert not gives_clock_time("The meeting is held in the Council Chamber.")


def test_what_time_asks_for_a_time_of_day_not_a_timescale():
    from councilqa.qa.question import analyse

    assert analyse("What time does the licensing committee start?").asks_clock_time
    assert analyse("at what time was the hearing adjourned?").asks_clock_time
    assert not analyse("What timescale is there for the review?").asks_clock_time
    assert not analyse("what time period does the plan cover?").asks_clock_time
    assert not analyse("what time of year are the roads gritted?").asks_clock_time


def test_asked_what_time_the_answer_gives_a_time_of_day(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {
        "2025-05-14-licensing-committee/agenda.txt": (
            "LICENSING COMMITTEE\n\nAt the start of each licensing committee meeting, the licensing committee "
            "takes apologies and declarations of interest before the meeting starts on the business.\n\n"
            "Proceedings begin at 6.30 pm in the Council Chamber.\n"),
    })
    answer = answerer.answer("What time does the licensing committee meeting start?")
    assert not answer.abstained and "6.30 pm" in answer.answer, answer.answer
