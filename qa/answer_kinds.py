"""Rules about the kind of answer a question asks for. Sharing a question's words is not
answering it: asked for an amount, a unit must give one; asked what was decided, it must record a
decision; asked why, it must give a reason. Each rule is a named feature of a candidate unit
(weighed in qa/weights.py) or a gate on what may answer at all (`_answers_what_is_asked`).

The answerer (qa/answerer.py) takes these methods as a mixin and supplies what they read of the
index: `idf`, `_coverage` and `_shared_bigrams`."""

from __future__ import annotations

import re

from ..index.sparse import tokenize
from .figures import (MONEY_MENTION, counts, figures, gives_clock_time, gives_date, gives_duration, gives_frequency, gives_time,
                      quantities, row_gives_duration, sums_of_money, without_lengths_of_time)
from .parts import asks_only_when
from .periods import asks_current, asks_time_to_come, latest_time_said, names_another_day, names_another_period, only_times_past
from .question import MONEY_NOUNS, MONTH_NAMES, Question, names_code
from .rows import reports_month_asked
from .statuses import names_another_status
from .units import Scored, Unit, with_caption

# The minutes' own formulas for who presided: "(in the Chair)", "(Chairman)", "as Chair", "chaired
# by". The feature `chair_formula` and rule "who chaired a meeting is named in the chair"
# (qa/question.py CHAIR_OF_MEETING_ASKED) both read them.
IN_THE_CHAIR = re.compile(r"\((?:[^()]{0,30}\b)?(?:in the chair|chair(?:man|woman|person)?)\)|\bin the chair\b"
                          r"|\bas chair\b|\bchaired by\b|\bpresid(?:ed|ing)\b", re.I)

COMMON_IDF = 1.5  # rarer than this (in under about a fifth of passages), a word picks passages out
# What records a decision; rule "a decision in other words": "was given approval to proceed",
# "the application was refused", "consideration was deferred" (not a report "for approval").
DECISION_WORDS = re.compile(r"\b(agreed|resolved|RESOLVED|approved|decided|noted|agree|approve|endorsed|carried|lost"
                            r"|(?:given|gave|granted|received) (?:\w+ )?approval|refused|rejected|deferred|adopted)\b")
PROCEDURAL = re.compile(r"take (this|the) item|in conjunction with|true and correct record|signed by the chair"
                        r"|declarations? of interest|date and time of the next meeting", re.I)
COUNT_WORDS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|list)\b", re.I)
RESOLUTION = re.compile(r"\b(agreed|resolved|RESOLVED|decided)( that)?:")

# "What reason did the Minister give ...", "why was ...": the answer says why.
REASON_ASKED = re.compile(r"\b(?:what|which|the) (?:reasons?|grounds?|rationale|justification)\b|^\s*why\b", re.I)
GIVES_REASON = re.compile(r"\b(?:because|due to|owing to|as a result of|on the grounds|concerns? (?:about|over|that)"
                          r"|reasons? (?:for|was|is|were|are)|in order to|so that)\b", re.I)
TARGET_WORDS = re.compile(r"\b(target|aim|aims|aiming|intention|intend|ambition|goal|below|above|floor|by (?:the end of )?\w+ \d{4})\b", re.I)

# How a sentence reports that something ended one way or another.
OUTCOME_SAID = re.compile(r"\b(outcome|result(?:ed|s)?|ruled|ruling|judg(?:e)?ment|verdict|dismissed|upheld|rejected|won|lost"
                          r"|(?:un)?successful|succeeded|failed|concluded|found (?:that|in favour)|decided|agreed|approved"
                          r"|refused|granted|quashed|overturned|awarded|determined|confirmed|withdrawn"
                          r"|rated|judged|graded|identified|highlighted|findings?)\b", re.I)

# ... and that it has not happened yet.
STILL_TO_COME = re.compile(r"\b(upcoming|forthcoming|pending|awaited|awaiting|yet to|to be heard|due to be|"
                           r"will be (?:heard|decided|considered|determined|held)|(?:will|is to|are to) take place)\b", re.I)
# Rule "the whole country's figure is not the council's": asked how many fly-tipping incidents
# the county has, "1.1 million are recorded each year in England" answers for another place. A
# question that asks about the nation ("nationally", "in England") is answered by it; a sentence
# comparing ("against 7% nationally") gives the local figure beside it.
NATIONAL_SCOPE = re.compile(r"\b(?:in|across|throughout|for) (?:the )?(?:UK|United Kingdom|England|Great Britain|Britain|country)\b"
                            r"|\bnationally\b|\bnationwide\b|\bnational (?:average|total|figure|rate|level)\b", re.I)
NATION_ASKED = re.compile(r"\b(?:uk|united kingdom|england|english|britain|british|national|nationally|nationwide|country"
                          r"|government|whitehall)\b", re.I)
COMPARES = re.compile(r"\b(?:compared?|comparison|against|than|whereas|while|versus|vs)\b", re.I)


def another_place(text: str, question: str) -> bool:
    """Whether `text` gives its figure for the whole country, asked by a question that is not
    about the nation (rule "the whole country's figure is not the council's")."""
    return bool(NATIONAL_SCOPE.search(text)) and not NATION_ASKED.search(question) and not COMPARES.search(text)


# A dot leader ("Fees and charges ........ 11", "Signed .............."): the line of a contents list or
# of a form to fill in. Eight dots or more: an ellipsis is three, and a quotation cut short
# ("agreed in May 2019.....") is seldom longer than five.
DOT_LEADER = re.compile(r"(?:\.\s?){8,}|…{3,}")


def is_leader_line(text: str) -> bool:
    """Rule "a contents entry answers nothing": a unit with a dot leader is a contents list's
    entry (a title and its page number) or a form's blank, never what a paper says: asked when
    the river festival is, "River Festival 2025 ........ 14" gives a title and a page, and its
    page number would pass for a figure."""
    return DOT_LEADER.search(text) is not None


PERSON = re.compile(r"\b(Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr|Chair|Chairman|Director|Manager|Officer)\b")

# A name: capitalised words ("Kier Construction", "BAM Nuttall Ltd"); a sentence's first word and
# words of the calendar are not names.
CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w&'’-]*")
CALENDAR = set(tokenize(" ".join(MONTH_NAMES) + " monday tuesday wednesday thursday friday saturday sunday"))


def names_someone_new(text: str, question: str) -> bool:
    """Rule "a name asked for": does the text name someone the question does not, in a
    capitalised word that does not start a sentence and is no month or day? Asked which
    firm is building a road, "the contract is signed and the contractor has started the
    design" names none. (A one-word name that opens a sentence, "Kier won the contract",
    is not seen: a sentence's first word is capitalised whatever it is.)"""
    asked = set(tokenize(question)) | CALENDAR
    for match in CAPITALISED.finditer(text.strip()):
        words = set(tokenize(match.group(0)))
        if words and not words <= asked:
            return True
    return False


# A person by title and name: "Mr Hood", "Mrs C Bell", "Councillor Ann Lee", "Dr. J. Patel".
PERSON_NAMED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Sir|Dame|Lord|Lady|Baroness|Professor|Prof)\.?"
                          r"\s+(?:[A-Z]\.?\s+){0,2}[A-Z][A-Za-z'’-]+")


def names_a_person(text: str) -> bool:
    """Rule "a person asked for is named": does the text name someone by title and name? Asked
    which councillor seconded a motion, "the motion was seconded and carried" names no one, and
    neither does the agenda's line for the item."""
    return PERSON_NAMED.search(text) is not None


def says_duration(unit: Unit, text: str) -> bool:
    """Rule "a length of time" for a unit: a sentence says one in its words (or its table's
    caption), a table row in its cells or the names over its figures (rule "a row's length of
    time is in its cells")."""
    row = unit.passage.row
    if unit.is_row and row is not None:
        return row_gives_duration(row)
    return gives_duration(with_caption(unit, text))


class AnswerKinds:
    """The kind-of-answer rules, as methods of the answerer."""

    def unit_features(self, q: Question, unit: Unit, body: str | None = None) -> dict[str, float]:
        """What the scorer knows about a unit as a candidate answer: named features, each one
        general rule about the kind of answer asked for (qa/weights.py weighs them; only the
        features that apply are present)."""
        text = unit.passage.reading if unit.is_row else unit.text
        whole = f"{unit.passage.context} {text}".lower()
        f: dict[str, float] = {"coverage": self._coverage(q, unit), "retrieval_rank": 1 / (1 + unit.rank)}
        # Asked for a budget or a rate, a sentence whose only figures are dates ("agreed on 13th
        # February 2025") has not given it; asked when, a date is the figure.
        has_number = bool(figures(text) if q.wants_date else quantities(text, q.text))
        if q.wants_number:
            f["number_given" if has_number else "number_missing"] = 1.0
        if q.asks_duration:
            # "How long are children waiting?" is answered by "Average wait: 26 weeks", not by
            # "one of the four areas of concern was long waits" however many words it shares.
            f["duration_given" if says_duration(unit, text) else "duration_missing"] = 1.0
        if q.wants_percent and "%" in text:
            f["percent_given"] = 1.0
        f["word_pairs_shared"] = min(self._shared_bigrams(q, unit), 4)
        if q.kind == "decision":
            if not DECISION_WORDS.search(unit.text):
                f["decision_missing"] = 1.0  # asked what was decided: discussion is not the answer
            else:
                f["decision_said"] = 1.0
                if RESOLUTION.search(unit.text):
                    f["resolution"] = 1.0  # the resolution itself, not the discussion before it
                if PROCEDURAL.search(unit.text):
                    f["procedural"] = 1.0  # "agreed to take this item with item 6" decides nothing asked about
        if body and unit.passage.committee:
            # Another body's resolution on the same subject is not what this body agreed. What the
            # body itself resolved is in its minutes; the other papers of its meeting (a report's
            # recommendations, an appended Cabinet Member's record of decision) were put to it.
            if unit.passage.committee != body:
                f["other_body"] = 1.0
            elif unit.passage.doc_type == "minutes":
                f["body_minutes"] = 1.0
        if q.wants_date and gives_date(unit.text, q.years):
            f["date_given"] = 1.0
        if REASON_ASKED.search(q.text) and GIVES_REASON.search(text):
            f["reason_given"] = 1.0  # asked why, the sentence that gives a reason ("due to concerns about ...")
        if COUNT_WORDS.search(q.text) and len(re.findall(r"(?m)^\s*(?:[-•*]\s*)?\(?\d{1,2}[.)]\s", unit.text)) >= 2:
            f["list_given"] = 1.0  # "what were the four areas ...": the answer is a list
        if q.kind == "target" and TARGET_WORDS.search(text):
            f["target_said"] = 1.0
        f.update(self._names_what_is_asked(q, text))
        if q.wants_person and PERSON.search(unit.text):
            f["person_named"] = 1.0
            if "chair" in q.terms and IN_THE_CHAIR.search(unit.text):
                f["chair_formula"] = 1.0  # the minutes' own formula for who chaired
        if unit.passage.meeting_date in q.days and unit.passage.doc_type != "agenda":
            # "the report to Cabinet on 3 June 2024": the paper of the meeting named,
            # not a later report repeating the same sentence. (An agenda lists that meeting's
            # item titles, which name everything and answer nothing.)
            f["meeting_named"] = 1.0
        months = sum(1 for my in q.month_years if my in whole or my in (unit.passage.section or "").lower())
        if months:
            f["month_named"] = months
        if unit.passage.row is not None and q.month_years and q.kind != "target":
            # Two printings of one table, the later with the period's outcome filled in: the
            # row reporting what happened in the month asked about answers, its target does not.
            if reports_month_asked(q, unit.passage.row):
                f["month_outcome_row"] = 1.0
        # Long units (a work-plan cell, a whole list of items) share words with every question;
        # an answer is a sentence or a row a person can read at a glance.
        if len(text) > 500:
            f["length_over_500"] = min(3.0, (len(text) - 500) / 500)
        if not unit.is_row and (len(unit.text) < 25 or (len(unit.text) < 150 and not re.search(r"[.;:!?)]$", unit.text))):
            f["fragment"] = 1.0  # fragments, captions and headings say nothing alone
        return f

    @staticmethod
    def _names_what_is_asked(q: Question, text: str) -> dict[str, float]:
        """Some questions name the word the answer turns on. "Was it approved, deferred or
        withdrawn?" is answered by the sentence that says one of the options (one that says
        none only reports the meeting; one that lists them all restates the question). "How
        many were rated Red?" is answered by the sentence that names Red, not the one counting
        the Green and Amber ones."""
        said = set(tokenize(text))
        f: dict[str, float] = {}
        for options in q.choices:
            named = len(options & said)
            key = "one_option_named" if named == 1 else "no_option_named" if named == 0 else ""
            if key:
                f[key] = f.get(key, 0.0) + 1.0
        if q.category:
            f["category_named" if said & set(q.category) else "category_missing"] = 1.0
        return f

    def _answers_what_is_asked(self, q: Question, unit: Unit) -> bool:
        """Sharing the question's words is not answering it. Asked for an amount, the unit must
        give one (a date is not one); asked "how many X", its passage must name the X; asked
        what was decided, it must record a decision, not be the agenda heading for the item;
        asked the outcome of something, it must report one, not mention it as still to come;
        asked the price of one thing, it must state a sum of money, not be a budget-sheet row."""
        text = unit.passage.reading if unit.is_row else unit.text
        if is_leader_line(unit.text):
            return False  # rule "a contents entry answers nothing"
        if q.asks_quantity and not quantities(text if q.asks_duration else without_lengths_of_time(text, q.text), q.text):
            return False  # "this 10 year average" is no amount (rule "a length of time is no amount")
        if q.focus and q.focus not in MONEY_NOUNS and not counts(text, q.text):
            return False  # "how many schools": £57.7m, 57.7 or 57% is not a number of schools (rule "a count is a whole number")
        if q.asks_duration and not says_duration(unit, text):
            return False  # "one of the four areas of concern was long waits" says no wait
        if q.asks_money and not MONEY_MENTION.search(with_caption(unit, text)):
            return False  # a row's money may be in its headers ("2025-26 £000s") or caption ("in £millions")
        if q.focus and self.idf(q.focus) >= COMMON_IDF:
            # A word most passages carry ("children" in a children's services pack) is what the
            # whole paper is about and often left unsaid. A rarer one is often named once for a
            # paragraph or table, so the passage and its headings may name it for the unit.
            p = unit.passage
            said = set(tokenize(" ".join(filter(None, [p.text, p.reading, p.context, p.section, p.title]))))
            if q.focus not in said and not self.word_senses.names(q.focus_word, with_caption(unit, text)):
                return False  # nor named in other words (qa/word_senses.py: "births" for "babies")
        if q.asks_decision and not unit.is_row and not re.search(DECISION_WORDS.pattern, unit.text, re.I):
            return False
        if q.asks_outcome and (not OUTCOME_SAID.search(text) or STILL_TO_COME.search(text)):
            return False  # "the upcoming High Court case" names the case, not how it ended
        if q.asks_name and not names_someone_new(with_caption(unit, text), q.text):
            return False  # "the contractor is progressing with the design" names no contractor (rule "a name asked for")
        if q.codes:
            p = unit.passage
            # the unit, the sentences before it in its paragraph, and its headings
            where = " ".join(filter(None, [text, unit.text, unit.earlier or unit.before, p.context, p.section, p.title]))
            if not all(names_code(code, where) for code in q.codes):
                return False  # rule "a code named is the code answered"
        if q.asks_chair and not IN_THE_CHAIR.search(text):
            return False  # "Councillor B Jones, Chair, Scrutiny Board" is someone's title, not who presided
        if q.asks_frequency and not gives_frequency(with_caption(unit, text)):
            return False  # "the helpline replies within 10 days" says no frequency (rule "how often asks for a frequency")
        if q.asks_clock_time and not gives_clock_time(with_caption(unit, text)):
            return False  # "the meeting is held in the Council Chamber" says no time of day
        if q.asks_person and not names_a_person(with_caption(unit, text)):
            return False  # "the motion was seconded and carried" names no seconder (rule "a person asked for is named")
        if (q.wants_number or q.asks_quantity) and another_place(text, q.text):
            return False  # "1.1 million incidents a year in England" is not the county's figure
        if q.asks_unit_price and not sums_of_money(text):
            return False  # a row of a £000s budget sheet for a scheme is not what one pass costs
        if names_another_status(q.text, with_caption(unit, text), unit.passage.row if unit.is_row else None):
            return False  # asked for the final allocation, the provisional one's figure (qa/statuses.py)
        if names_another_period(q.text, with_caption(unit, text)):
            return False  # asked about June 2026, the March 2026 figure answers another question
        if names_another_day(q.days, with_caption(unit, text), unit.passage.meeting_date):
            return False  # asked about the meeting of 14 May 2026, one of 15 May 2025 is another meeting
        if asks_only_when(q) and not gives_time(with_caption(unit, text), q.years):
            return False  # asked when, a sentence with no date or length of time has not said
        if asks_only_when(q) and asks_time_to_come(q.text) and only_times_past(with_caption(unit, text), unit.passage.meeting_date):
            return False  # asked when a loan is due to be repaid, "it was made in 2020-21" is not when (rule "a time still to come")
        return True

    @staticmethod
    def latest_first(q: Question, answering: list[Scored]) -> list[Scored]:
        """The units that answer (`Scored`, best first), the one saying the latest time its
        figures were true put first when the question asks how things stand now and the best
        names an earlier time (rule "the latest figure, asked what is current", qa/periods.py)."""
        if len(answering) < 2 or not asks_current(q.text):
            return answering
        def when(scored: Scored) -> tuple[int, int, int] | None:
            unit = scored.unit
            return latest_time_said(with_caption(unit, unit.passage.reading if unit.is_row else unit.text),
                                    unit.passage.meeting_date)
        first = when(answering[0])
        if first is None:
            return answering
        later = [(t, s) for s in answering[1:] if (t := when(s)) is not None and t > first]
        if not later:
            return answering
        latest = max(later, key=lambda pair: pair[0])[1]  # the best-scoring of equally late ones
        return [latest] + [s for s in answering if s is not latest]
