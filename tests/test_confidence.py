"""The answerer's confidence (qa/confidence.py): a probability that rises with what the chosen
unit says of the question and with the cross-encoder's reading of it."""

from __future__ import annotations

from councilqa.qa.confidence import confidence

MORE_LIKELY_THAN_NOT = 0.5


def test_confidence_is_a_probability_that_rises_with_coverage_and_relevance():
    low, high = confidence(0.2, -5.0), confidence(0.9, 8.0)
    assert 0.0 < low < MORE_LIKELY_THAN_NOT < high < 1.0
    assert confidence(0.8, 2.0) > confidence(0.4, 2.0)
    assert confidence(0.6, 6.0) > confidence(0.6, 0.0)


def test_a_unit_that_says_little_of_the_question_is_not_answered_with_on_a_middling_reading():
    # Sharing a fifth of the question's ideas, with a cross-encoder only mildly for it: a guess.
    assert confidence(0.2, 2.0) < MORE_LIKELY_THAN_NOT
    # Saying the whole question, with the cross-encoder sure of it: an answer.
    assert confidence(1.0, 7.0) >= MORE_LIKELY_THAN_NOT
