"""Rule "another period": asked about one period, a figure for another is not the answer.

"How many people were on the allotment waiting list at the end of September 2025?" is not
answered by "As at 30th June 2025 there were 41", nor "What will the garden waste charge be in
2027-28?" by the 2026-27 charge, however many words they share: an officer repeating that figure
would quote the wrong period. A unit that names periods of the kind the question names (a month of a year, a financial
year) but not the one asked has answered another question. A unit that names no period is not
judged by this rule; nor is a question whose only date is the day of a meeting ("the report to
the board on 12 May 2026"), which says which paper, not which period. So with school terms ("How
many codes were issued in the summer term?" is not answered by "In the autumn term, 10,718 codes
were issued") and quarters of a year ("at Q3" is not answered by a figure "in Quarter 2"); and
with the numbered editions of a thing that recurs ("When is the 14th river festival?" is not
answered by "Our 13th River Festival was held on 2 August"): an ordinal before a word that is
not a month, written in figures ("9th") or in words from "second" on ("first" says "at first"
and "for the first time" too often to name an edition).

Rule "another year": a question that asks about a calendar year ("How many road deaths were
there in 2023?") is not answered by a unit that gives its figures for other years ("there were
19 in 2024") and never names that one. The years a unit names include those inside its financial
years and dates ("2023-24" names 2023); a year after "Act" or "Regulations" names a law, not a
period.

Rule "another day": a question that names a day ("Which grants did the board approve when it
sat on 14 May 2026?") is about that meeting or that day. A unit from a paper of another meeting
that names other days but not that one ("the grant scheme was approved by the board on 15 May
2025") reports another meeting: it is not the answer, however many words it shares. A unit from
the papers of the meeting named, or that names the day itself, is judged as any other; one that
names no day is not judged by this rule.

Rule "a time still to come": asked when something is due, expected or will happen ("When is the
loan due to be repaid?", "When will the new depot open?"), a unit whose every date and year is
before the meeting its paper was written for ("the loan was made in 2020-21; its balance at
31.03.24 was £0.15m") says when things happened, not when this one is to. A unit that names a time
from the meeting's month on, a length of time ("within six weeks") or a time in words ("next
year") is judged as any other; so is one that names no time, or a paper with no meeting date.

Rule "the latest figure, asked what is current": asked how things stand now ("How many
households are on the housing register at the moment?", "What is the latest forecast?"), with no
period named, two units that both answer and differ by when they were true ("In March 2024 there
were 1,210 households on the register"; "As at 31 January 2025 there are 1,342") are ranked by the
latest time each says it was true, the later first. Only a time up to the meeting its paper was
written for counts (a figure "for 2027-28" in a paper of 2025 is a forecast, not how things
stand); a unit that names no such time is not moved by this rule."""

from __future__ import annotations

import re
from functools import lru_cache

from .figures import TIME_SAID, gives_duration
from .question import MONTH_NAMES, iso_days, spell_dates

MONTHS = "|".join(MONTH_NAMES)
SHORT_MONTHS = "|".join(m[:3] for m in MONTH_NAMES)
# "June 2025", "Jun 2025", "30th June 2025" (whose month and year are read, the day left)
MONTH_OF_YEAR = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({MONTHS}|{SHORT_MONTHS})\.?,?\s+((?:19|20)\d\d)\b", re.I)
# "2027-28", "2027/28", "2027-2028": a financial year, its start and the next year
FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[-/–]\s*((?:19|20)?\d\d)\b")


def _month_name(typed: str) -> str:
    """A month's full name, however typed ("Jun", "june", "Sept")."""
    return next(m for m in MONTH_NAMES if m.startswith(typed.lower()[:3]))


def months_of(text: str, *, with_days: bool = True) -> set[str]:
    """The months of a year a text names, as "june 2025"; a full date ("30 June 2025") counts
    only when `with_days`."""
    out = set()
    for day, month, year in MONTH_OF_YEAR.findall(spell_dates(text)):
        if day and not with_days:
            continue
        name = _month_name(month)
        out.add(f"{name} {year}")
    return out


def financial_years(text: str) -> set[str]:
    """The financial years a text names, as "2027-28" (a range of more than one year is not one)."""
    out = set()
    for start, end in FINANCIAL_YEAR.findall(text):
        if int(end[-2:]) == (int(start) + 1) % 100:
            out.add(f"{start}-{end[-2:]}")
    return out


# "in 2023", "during 2023", "for 2023": a calendar year asked about, not part of a financial year
# ("in 2023-24") or a month ("in March 2023").
ASKED_YEAR = re.compile(r"\b(?:in|during|throughout|for)\s+((?:19|20)\d\d)\b(?!\s*[-/–]\s*\d)", re.I)
YEAR_SAID = re.compile(r"(?<![\d£.,])((?:19|20)\d\d)(?!\d|[,.]\d)")
LAW_YEAR = re.compile(r"\b(?:Act|Regulations|Order)\s+((?:19|20)\d\d)\b")


def years_of(text: str) -> set[str]:
    """The years a text names as periods: on their own, in financial years or in dates, not in
    the name of a law."""
    laws = set(LAW_YEAR.findall(text))
    said = {year for year in YEAR_SAID.findall(text) if year not in laws}
    return said | {str(int(fy[:4]) + 1) for fy in financial_years(text)}  # "2023-24" names 2024 too


def days_of(text: str) -> set[str]:
    """The days a text names in full, as ISO dates ("2026-03-27"), "14.05.2026" among them."""
    return set(iso_days(spell_dates(text)))


def names_another_day(asked_days: list[str], text: str, meeting_date: str | None) -> bool:
    """Whether a unit of a paper of another meeting names days, none of them a day asked about
    (rule "another day")."""
    if not asked_days or meeting_date in asked_days:
        return False
    said = days_of(text)
    return bool(said) and not said & set(asked_days)


# A school term ("the summer term", "Autumn Term 2024") and a quarter of a year ("Q3", "quarter
# 2", "the third quarter"): the periods education and performance reports count by.
TERM = re.compile(r"\b(autumn|spring|summer)\s+(?:(?:19|20)\d\d\s+)?term\b", re.I)
QUARTER = re.compile(r"\b(?:q([1-4])|quarter\s+([1-4])|(first|second|third|fourth)\s+quarter)\b", re.I)
QUARTER_NUMBERS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}


def terms_of(text: str) -> set[str]:
    """The school terms a text names, as "summer"."""
    return {term.lower() for term in TERM.findall(text)}


def quarters_of(text: str) -> set[str]:
    """The quarters of a year a text names, as "3"."""
    return {short or number or QUARTER_NUMBERS[word.lower()] for short, number, word in QUARTER.findall(text)}


ORDINAL_WORDS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
                 "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
                 "nineteenth", "twentieth"]
ORDINAL_NUMBERS = {word: str(n) for n, word in enumerate(ORDINAL_WORDS, start=2)}
# An ordinal before a word ("the 14th river", "its third meeting"), not a date's day ("12th
# March", "the 12th of March", "March 12th") nor a quarter, which quarters_of reads.
EDITION = re.compile(rf"\b(?:(\d{{1,3}})(?:st|nd|rd|th)|({'|'.join(ORDINAL_WORDS)}))\s+"
                     rf"(?!(?:of\s+)?(?:{MONTHS}|{SHORT_MONTHS})\b|quarter\b)[A-Za-z]", re.I)
AFTER_MONTH = re.compile(rf"\b(?:{MONTHS}|{SHORT_MONTHS})\.?\s+$", re.I)
MONTH_BEFORE = 16  # characters before an ordinal where a month naming its day would be ("September  ")


def editions_of(text: str) -> set[str]:
    """The numbered editions a text names ("the 14th festival", "its third meeting"), as "14"."""
    found = set()
    for match in EDITION.finditer(text):
        if AFTER_MONTH.search(text, max(0, match.start() - MONTH_BEFORE), match.start()):
            continue  # "March 12th next" is a day
        digits, word = match.groups()
        found.add(digits or ORDINAL_NUMBERS[word.lower()])
    return found


@lru_cache(maxsize=256)
def asked_periods(question: str) -> tuple[frozenset[str], ...]:
    """The months, financial years, calendar years, school terms, quarters and editions a
    question asks about: read once per question, not once for every unit weighed against it."""
    months = months_of(question, with_days=False)
    years = {y for y in ASKED_YEAR.findall(question) if not any(m.endswith(y) for m in months)}
    return (frozenset(months), frozenset(financial_years(question)), frozenset(years),
            frozenset(terms_of(question)), frozenset(quarters_of(question)), frozenset(editions_of(question)))


# How a unit's periods are read, in the order asked_periods gives a question's (built once: the
# rule is weighed for every unit of every answer).
PERIOD_READERS = (months_of, financial_years, years_of, terms_of, quarters_of, editions_of)


def names_another_period(question: str, text: str) -> bool:
    """Whether a unit names periods of a kind the question asks about, but not the one asked."""
    for asked, periods_in in zip(asked_periods(question), PERIOD_READERS):
        said = periods_in(text) if asked else set()
        if said and not said & asked:
            return True
    return False


# "when will ...", "when is it due to / expected to / meant to ...": a time still to come asked for
TIME_TO_COME = re.compile(r"\b(?:will|won't|(?:due|expected|planned|scheduled|meant|supposed|intended|set|going|likely)\s+to)\b", re.I)


def asks_time_to_come(question: str) -> bool:
    """Whether a question asks when something is due, expected or will happen (rule "a time
    still to come"); the caller knows it asks when."""
    return bool(TIME_TO_COME.search(question))


def _month_of(meeting_date: str) -> tuple[int, int]:
    """An ISO meeting date's (year, month)."""
    return int(meeting_date[:4]), int(meeting_date[5:7])


def _times_said(text: str) -> set[tuple[int, int, int]]:
    """The times a text names, as (year, month, day) with 0 for what it leaves unsaid ("30 June
    2025", "Jun 2025", "22.06.2023", "2024-25"); a year counts alone only where no date or month
    of it is named (a year with its month is judged by the month)."""
    spelled = spell_dates(text)
    times = {(int(year), MONTH_NAMES.index(_month_name(month)) + 1, int(day) if day else 0)
             for day, month, year in MONTH_OF_YEAR.findall(spelled)}
    with_month = {year for year, _, _ in times}
    return times | {(int(y), 0, 0) for y in years_of(spelled) if int(y) not in with_month}


def only_times_past(text: str, meeting_date: str | None) -> bool:
    """Whether every date and year a unit names is before the month of its paper's meeting
    (rule "a time still to come"). False for a unit with no dates, with a length of time or a
    time in words, or with no meeting date to measure from."""
    if not meeting_date or gives_duration(text) or TIME_SAID.search(text):
        return False
    meeting = _month_of(meeting_date)
    times = _times_said(text)
    if not times:
        return False
    return all((year, month) < meeting if month else year < meeting[0] for year, month, _ in times)


# "currently", "at present", "now", "the latest", "most recent", "to date", "so far": how things stand
ASKS_CURRENT = re.compile(r"\b(?:currently|at present|presently|at the moment|right now|now|latest|"
                          r"most recent(?:ly)?|to date|so far|as things stand)\b", re.I)


def asks_current(question: str) -> bool:
    """Whether a question asks how things stand now and names no period of its own (rule "the
    latest figure, asked what is current")."""
    *times, _editions = asked_periods(question)  # an edition asked ("the 3rd phase") names no time
    return bool(ASKS_CURRENT.search(question)) and not any(times) and not days_of(question)


def latest_time_said(text: str, meeting_date: str | None) -> tuple[int, int, int] | None:
    """The latest time a unit says its figures were true, as (year, month, day) with 0 for what
    it leaves unsaid; times after its paper's meeting month are forecasts and do not count (rule
    "the latest figure, asked what is current"). None when it names no such time, or its paper
    has no meeting date."""
    if not meeting_date:
        return None
    meeting = _month_of(meeting_date)
    past = [t for t in _times_said(text) if t[:2] <= meeting]
    return max(past) if past else None
