"""Rule "the items a question lists" (qa/parts.py listed_items, qa/two_parts.py
_completing_items): asked for several named items, an answer giving some of them is completed by
the sentence right after it that gives the rest. Made-up papers, the real ingest and index."""

from __future__ import annotations

from test_rules import answerer_over, cabinet_report


def test_the_items_a_question_lists_are_three_or_more_one_word_items():
    from councilqa.qa.parts import listed_items

    assert listed_items("How many parks were rated good, fair and poor this year?") == ["good", "fair", "poor"]
    assert listed_items("what were the gold, silver, and bronze counts") == ["gold", "silver", "bronz"]
    assert listed_items("Is the scheme rated red, amber or green?") == ["red", "amber", "green"]
    # Two words joined by "and" are most often one name or one phrase; question words, and
    # phrases of several words, are no list of items.
    assert listed_items("When does the Wessex and Mercia parking review close?") == []
    assert listed_items("Who draws up the leases and legal agreements for the depot?") == []
    assert listed_items("Who proposed and who seconded the motion?") == []
    assert listed_items("What did the committee agree and when?") == []
    assert listed_items("What are the targets on staff sickness and on diversity declarations?") == []
    assert listed_items("How many libraries does the council run?") == []


LIBRARY_REPORT = cabinet_report("6 June 2024", (
    "LIBRARY PERFORMANCE REPORT\n\n"
    "Of the 24 library service indicators, 11 were rated Gold and 8 were rated Silver this year. "
    "Five indicators were rated Bronze, all of them about opening hours. "
    "Visits rose by 4% on the year before.\n\n"
    "MOBILE LIBRARIES\n\nThe two mobile libraries made 1,240 stops, and both were rated Gold by users.\n"))


def test_asked_for_three_listed_items_the_sentence_giving_the_last_completes_the_answer(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {"2024-06-06-cabinet-libraries.txt": LIBRARY_REPORT})
    answer = answerer.answer("How many library indicators were rated gold, silver and bronze?")
    assert "11" in answer.answer and "8" in answer.answer, answer.answer
    assert "Five" in answer.answer, answer.answer  # the third item, from the sentence after
    assert "4%" not in answer.answer  # no more than the list asked for


def test_asked_for_one_item_the_next_sentence_is_not_added(tmp_path, settings):
    answerer = answerer_over(tmp_path, settings, {"2024-06-06-cabinet-libraries.txt": LIBRARY_REPORT})
    answer = answerer.answer("How many library indicators were rated gold?")
    assert "11" in answer.answer, answer.answer
    assert "Five" not in answer.answer, answer.answer
