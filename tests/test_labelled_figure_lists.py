"""Rule "a list of labelled figures reads with the paragraph before it" (qa/units.py): a bulleted
list of "label: figure" lines says what it counts only in the short paragraph above it."""

from councilqa.qa.units import is_labelled_figure_list, units_of
from councilqa.schema import Passage
from tests.test_rules import answerer_over

INTRODUCTION = "The 2021 survey counted, district by district, the households that keep a dog licence."
LIST = "• Northby:\t612\n• Eastwick:\t1,045\n• Lowmoor:\t388"
OTHER = ("Dog wardens answered 1,310 calls about strays last year, and 402 dogs were returned "
         "to their owners within a day.")


def passage(text: str) -> Passage:
    return Passage(id="p", document="d", title="t", text=text, start=0, end=len(text), score=1.0)


def test_a_bulleted_list_of_labels_and_figures_is_recognised():
    assert is_labelled_figure_list(LIST)
    assert is_labelled_figure_list("- Ward A: 12%\n- Ward B: 9%")
    assert is_labelled_figure_list("• Capital: £1.2m\n• Revenue: £0.4m")
    assert not is_labelled_figure_list("• Northby:\t612")  # one line is a sentence, not a list
    assert not is_labelled_figure_list("• Review the dog licence fee\n• Report back in March")
    assert not is_labelled_figure_list("Northby 612\nEastwick 1,045")  # no bullets: a table's business


def test_the_list_is_read_with_the_paragraph_that_introduces_it():
    units = units_of(passage(f"{INTRODUCTION}\n\n{LIST}\n\n{OTHER}"), 0)
    listed = next(u for u in units if u.text == LIST)
    assert listed.before == INTRODUCTION
    assert "dog licence" in listed.earlier
    # Only a list of labelled figures reaches back across the blank line.
    other = next(u for u in units if u.text == OTHER)
    assert other.before == "" and other.earlier == ""


def test_a_long_paragraph_is_not_read_as_the_lists_introduction():
    long_paragraph = INTRODUCTION + " " + " ".join(["The licence scheme was reviewed in detail."] * 7)
    units = units_of(passage(f"{long_paragraph}\n\n{LIST}"), 0)
    assert next(u for u in units if u.text == LIST).before == ""


def test_a_figure_in_a_list_is_answered_with_what_the_paragraph_above_says_it_counts(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {
        "2024-05-01-licensing-committee/report.txt":
            "Report to:\tLICENSING COMMITTEE\nDate of Meeting:\t1 May 2024\n\nDOG LICENCES\n\n"
            f"{INTRODUCTION}\n\n{LIST}\n\n{OTHER}\n"})
    answer = answerer.answer("How many households in Eastwick keep a dog licence, according to the survey?")
    assert not answer.abstained, answer.answer
    assert "1,045" in answer.answer
    # The list is its own unit: a short list is not a title over the paragraph after it.
    assert "strays" not in answer.answer, answer.answer
