"""The answerer's general rules about the kind of answer asked for, on made-up text."""

from __future__ import annotations

from councilqa.qa.figures import gives_duration


def test_a_length_of_time_is_read_beside_its_figure_or_in_the_header_over_it():
    assert gives_duration("The average wait was 26 weeks.")
    assert gives_duration("families waited six months for a first visit")
    assert gives_duration("Hearing tests. Referrals waiting: 90; Longest wait (weeks): 31; Average wait (weeks): 9")
    assert gives_duration("Adaptations. Average time to complete in days: 84")
    assert not gives_duration("Hearing tests. Referrals waiting: 90; Referrals this month: 41")
    assert not gives_duration("Long waits were one of the four areas of concern.")
    assert not gives_duration("Weeks of action are planned in every ward.")
