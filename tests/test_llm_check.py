"""The sentence checks of the language-model generator (qa/llm_check.py), on made-up sentences
and passages, and how checked sentences become an answer with exact spans (qa/generate.py)."""

from __future__ import annotations

from councilqa.qa.generate import compose, spoken_date, supporting_span
from councilqa.qa.llm_check import check_reply, check_sentence, cited_numbers, split_sentences, without_citations
from councilqa.schema import Passage

PASSAGES = {
    1: "Parks report. Visitor numbers at Stanley Park rose to 1,472 a day in 2023, up from 1,210.",
    2: "The Cabinet approved twelve new foster homes in Talbot ward on 3 March 2025. The cost is £2.5 million.",
}
HEADERS = {1: "Parks and leisure report\nEnvironment Scrutiny Committee", 2: "Foster care decision\nCabinet"}


def problem(sentence: str) -> str:
    return check_sentence(sentence, PASSAGES, HEADERS).problem


def test_a_faithful_rephrasing_passes():
    assert problem("About 1472 people a day visited Stanley Park in 2023 [1].") == ""
    assert problem("Cabinet approved 12 new foster homes in Talbot on 3 March 2025 [2].") == ""
    assert problem("Twelve foster homes will cost £2.5 million [2].") == ""
    # Names may come from the cited passage's document title and committee.
    assert problem("The Environment Scrutiny Committee heard that visits rose [1].") == ""


def test_a_sentence_must_cite_a_passage_it_was_given():
    assert problem("Visitor numbers rose in 2023.") == "cites no passage"
    assert problem("Visitor numbers rose in 2023 [3].") == "cites [3], which it was not given"
    assert problem("[1]") == "says nothing"


def test_an_uncited_sentence_also_says_what_it_made_up():
    assert problem("Visits rose to 2,000 a day.") == "cites no passage; figure 2000 in no passage given"


def test_a_figure_must_be_in_the_cited_passage_not_just_any_passage():
    assert problem("Stanley Park had 1,500 visitors a day [1].") == "figure 1500 not in the cited passage [1]"
    # 1,472 is in passage 1, not in passage 2, which the sentence cites.
    assert "figure 1472" in problem("The Cabinet approved 1,472 homes [2].")
    assert problem("The homes cost £2.5 billion [2].") == "figure 'billion' not in the cited passage [2]"
    assert problem("Cabinet approved fifteen homes [2].") == "figure 'fifteen' not in the cited passage [2]"


def test_a_date_must_be_in_the_cited_passage():
    assert problem("Cabinet approved the homes on 3 April 2025 [2].") == "date 'April' not in the cited passage [2]"
    assert "figure 2024" in problem("Cabinet approved the homes in March 2024 [2].")


def test_a_name_must_be_in_the_cited_passage():
    assert problem("Cabinet approved homes in Bispham ward [2].") == "name 'Bispham' not in the cited passage [2]"
    assert problem("Councillor Jones said visits rose [1].") == "name 'Councillor'; name 'Jones' not in the cited passage [1]"
    # A capitalised word opening the sentence is grammar, unless it starts a run of them or is an
    # acronym (a lone name opening a sentence is the known gap: no dictionary).
    assert problem("However, visits rose [1].") == ""
    assert problem("Visits rose [1].") == ""
    assert problem("Lancashire County Council saw visits rise [1].") == \
        "name 'Lancashire'; name 'County'; name 'Council' not in the cited passage [1]"
    assert problem("NHS visits rose [1].") == "name 'NHS' not in the cited passage [1]"


def test_sentences_and_their_markers():
    reply = "- Visits rose to 1,472 a day. [1] Dr. Smith noted it [1]. The cost is £2.5 million [2]\nNo marker here"
    assert split_sentences(reply) == ["Visits rose to 1,472 a day. [1]", "Dr. Smith noted it [1].",
                                      "The cost is £2.5 million [2]", "No marker here"]
    assert cited_numbers("Both say so [1, 2].") == [1, 2]
    assert cited_numbers("Both say so [2][1].") == [2, 1]
    assert without_citations("Both say so [1][2].") == "Both say so."
    verdicts = check_reply(reply, PASSAGES, HEADERS)
    assert [v.ok for v in verdicts] == [True, False, True, False]


def passage(text: str, start: int = 100) -> Passage:
    return Passage(id="p1", document="parks.txt", title="Parks report", committee="Environment", meeting_date="2024-02-01",
                   text=text, start=start, end=start + len(text), score=1.0)


def test_each_kept_sentence_is_cited_by_the_span_that_supports_it():
    from councilqa.qa.generate import Numbered

    text = "Stanley Park had 1,472 visitors a day in 2023. The boating lake reopened in May after repairs."
    given = [Numbered(passage(text), "Parks report", text)]
    assert supporting_span(given[0].passage, "The lake reopened in May") == (100 + text.index("The boating"), 100 + len(text))
    kept = check_reply("About 1,472 people a day visited [1]. The lake reopened in May [1].", {1: text})
    answer, citations = compose(kept, given)
    assert answer == "About 1,472 people a day visited [1]. The lake reopened in May [2]."
    assert [c.quote for c in citations] == ["Stanley Park had 1,472 visitors a day in 2023.",
                                            "The boating lake reopened in May after repairs."]
    assert all(c.passage_id == "p1" and text[c.start - 100:c.end - 100] == c.quote for c in citations)


def test_meeting_dates_are_spoken():
    assert spoken_date("2024-02-01") == "1 February 2024"
    assert spoken_date(None) is None and spoken_date("soon") is None


def test_a_rewrite_may_not_leave_out_the_figures_of_the_answer():
    from councilqa.qa.llm_check import left_out

    extractive = "The council monitors 4,798 pupils educated at home, 26% up on last year [1]."
    assert left_out(extractive, "Home education rose by 26% on last year [1].") == ["4798"]
    assert left_out(extractive, "4798 pupils are educated at home, a rise of 26% [1].") == []
    # Years, the [n] markers and figures the question gives are not the answer's own.
    assert left_out("In 2024 twelve homes were approved [2].", "Twelve homes were approved [1].") == []
    assert left_out("Waits over 18 weeks: 198 [1].", "198 children waited [1].", "how many wait over 18 weeks?") == []


def test_item_and_paragraph_numbers_are_not_figures_a_rewrite_must_keep():
    from councilqa.qa.llm_check import left_out

    # The quoted paragraph's own number ("1.", "2.") and a reference ("paragraph 4.2") are not
    # what the answer says, so a rewrite without them loses nothing ...
    extractive = ("1. The Leader introduced the plan, published on 9th May 2024 [1]. 2. The Treasurer said "
                  "the fund holds £3.4m, as set out in paragraph 4.2 [2].")
    assert left_out(extractive, "The plan was published on 9 May 2024 [1], and the fund holds £3.4m [2].") == []
    # ... but a figure that ends a sentence before its marker is still the answer's own.
    assert left_out("The committee approved 12 [1]. 3. Members agreed [2].", "Members agreed [1].") == ["12"]
    assert left_out(extractive, "The plan was published on 9 May 2024 [1].") == ["3.4"]
