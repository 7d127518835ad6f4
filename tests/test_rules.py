"""The answerer's general rules about the kind of answer asked for, on made-up text."""

from __future__ import annotations

from councilqa.qa.figures import gives_duration, quantities


def test_a_length_of_time_is_read_beside_its_figure_or_in_the_header_over_it():
    assert gives_duration("The average wait was 26 weeks.")
    assert gives_duration("families waited six months for a first visit")
    assert gives_duration("Hearing tests. Referrals waiting: 90; Longest wait (weeks): 31; Average wait (weeks): 9")
    assert gives_duration("Adaptations. Average time to complete in days: 84")
    assert not gives_duration("Hearing tests. Referrals waiting: 90; Referrals this month: 41")
    assert not gives_duration("Long waits were one of the four areas of concern.")
    assert not gives_duration("Weeks of action are planned in every ward.")


def test_numbers_written_as_words_count_as_figures_and_lengths_of_time():
    asked = "How many replies did the survey get?"
    assert quantities("Ninety-two responses were received to the survey.", asked)
    assert quantities("Fifteen parents replied by the closing date.", asked)
    assert not quantities("The survey was open from 3 March 2025 to 14 April 2025.", asked)
    assert gives_duration("Pupils waited fourteen weeks for a place.")
    assert gives_duration("the longest wait was twenty-six weeks")
    assert not gives_duration("The scheme costs £5m a year.")
