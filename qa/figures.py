"""Figures in text, and the check that every figure in an answer stands in a cited passage.

A figure is a run of digits as people write them in council papers: "£1.99 million", "33%",
"184/10,000", "2024/25", "9 November 2023", "1,472". Figures are compared by their digits with
thousands separators removed, so "1,472" in an answer is grounded by "1,472" or "1472" in a
passage, but "1.99" is not grounded by "199"."""

from __future__ import annotations

import re

from ..schema import TableRow

# Numbers with optional thousands separators, decimals, a per-N ratio ("184/10,000") or a
# financial year ("2024/25"). Citation markers like "[1]" are not figures.
NUMBER = re.compile(r"(?<![\w.])(?<!\[)\d[\d,]*(?:\.\d+)?(?:/\d[\d,]*)?(?!\])(?![\d])")


def figures(text: str) -> list[str]:
    """Normalised figures in `text` (commas dropped, trailing separators trimmed)."""
    found = []
    for match in NUMBER.finditer(text):
        value = match.group(0).rstrip(",.")
        found.append(value.replace(",", ""))
    return found


def _parts(value: str) -> list[str]:
    return [p for p in value.split("/") if p]


def ungrounded(answer_text: str, passages: list[str]) -> list[str]:
    """Figures in the answer that appear in none of the passages."""
    available = set()
    for passage in passages:
        for value in figures(passage):
            available.add(value)
            available.update(_parts(value))
    return [value for value in figures(answer_text) if value not in available and not all(
        part in available for part in _parts(value))]


# Dates, years and financial years are figures too, but never the quantity a "how many" or
# "what cost" question asks for: "launched on 16th January ... until 12th March" answers no
# "how many responses".
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH = rf"(?:{_FULL_MONTH}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
DATE_LIKE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b(?:\s+\d{{4}})?|\b{_MONTH}\s+\d{{4}}\b"
                       r"|\b(?:19|20)\d\d(?:\s*[-/–]\s*(?:19|20)?\d\d)?\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b", re.I)
# Numbers as words ("Ninety-two responses", "fourteen weeks"). "one" is left out: "one-off",
# "one of" say no amount.
SMALL_NUMBER_WORDS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                      "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
NUMBER_WORD = re.compile(rf"\b({SMALL_NUMBER_WORDS}|hundred|thousand|million|billion)\b"
                         r"(?!-(?:year|month|week|day|hour|tier|stage|way|storey))", re.I)  # a "ten-year programme", "two-tier areas": names
# "attached at Appendix 1", "see paragraph 3.4", "as set out in paragraph 2", "Table 7": where to
# look, not amounts.
REFERENCE = re.compile(r"\b(?:Appendix|Appendices|Annex|Annexe|Table|Figure|Chart|Paragraph|Para|Section|Item|Page|"
                       r"Recommendation|Minute|Clause|Option)s?\s+"
                       r"\(?[0-9][0-9.]*[a-z]?\)?(?:\s*(?:and|to|-|–)\s*[0-9][0-9.]*)?", re.I)
# "7. RESOLVED that Cabinet: 1. Agree to ...", "1.1 The 2025-26 budget ...": item and paragraph
# numbers, not amounts.
ITEM_NUMBER = re.compile(r"(?:^|(?<=[\s:;(]))\(?\d{1,2}[.)](?=\s*[A-Z])|^\s*\d{1,2}(?:\.\d{1,2})+\.?(?=\s*[A-Z])", re.M)
# A length of time: "26 weeks", "over 52 weeks", "six months", "twenty-six weeks", "18-week",
# "the 20-minutes allowed", "half an hour", "10 working days", "five school days". ("a year" and
# "an hour" are left out: "£5m a year" and "£12.21 an hour" are rates, not lengths of time.)
DURATION = re.compile(rf"\b(?:\d[\d,.]*|(?:(?:{SMALL_NUMBER_WORDS})-)?(?:{SMALL_NUMBER_WORDS}|one))"
                      r"[\s-]*(?:(?:working|school|calendar|business|clear|consecutive)\s+)?"
                      r"(?:weeks?|days?|months?|years?|hours?|wks?|minutes?|mins?|hrs?)\b"
                      r"|\b(?:half an|quarter of an) hour\b", re.I)  # not "an hour": "£12.21 an hour" is a rate
# A table row read with its headers gives the unit once, in the header: "Longest wait (weeks): 47",
# "Average wait in days: 12" (not "Referrals this month: 41", a count in a period).
HEADED_DURATION = re.compile(r"(?:\(\s*(?:weeks?|days?|months?|years?|hours?|wks?|minutes?|mins?)\s*\)|\bin (?:weeks|days|months|years|hours|minutes))"
                             r"\s*:\s*\d", re.I)


def gives_duration(text: str) -> bool:
    """Rule "a length of time": the text states one, with its unit beside the figure ("26
    weeks", "six months") or, in a row read with its headers, in the header over it."""
    return bool(DURATION.search(text) or HEADED_DURATION.search(text))


# A name that gives the unit of time its figures count in: "Longest wait (weeks)", "Average wait
# in days", "Weeks".
TIME_UNIT_NAMED = re.compile(r"\(\s*(?:weeks?|days?|months?|years?|hours?|wks?|minutes?|mins?)\s*\)"
                             r"|\bin (?:weeks|days|months|years|hours|minutes)\b"
                             r"|^\s*(?:weeks|days|months|years|hours|minutes)\s*$", re.I)
HAS_DIGIT = re.compile(r"\d")


def row_gives_duration(row: TableRow) -> bool:
    """Rule "a row's length of time is in its cells": a table row gives a length of time when a
    cell, its label or its caption says one ("40 weeks"), or a name over its figures gives their
    unit of time (the column's "Longest wait (weeks)", the row's own "Average wait in days", the
    caption's). A column named
    for the period its figures cover ("Total transactions last 12 months: 21,663") counts
    something in that period; it says no length of time."""
    if any(DURATION.search(text) for text in [c.value for c in row.cells] + [row.label, row.caption]):
        return True
    # (Not RowCell.unit: ingest reads "month" as the unit of "Referrals this month: 41".)
    over_figures = [c.header for c in row.cells if HAS_DIGIT.search(c.value)]
    return any(TIME_UNIT_NAMED.search(name) for name in over_figures + [row.label, row.label_header, row.caption] if name)


# Rule "how often asks for a frequency": "how often does the board meet?" is answered by "meets
# quarterly", "twice a year", "every six weeks", "on a monthly basis", "each financial year" (a
# kind of year or month may stand between), not by the sentence that shares most of its words
# but says no frequency ("the helpline replies within 10 days"). Asked as qa/question.py
# FREQUENCY_ASKED.
_PERIOD = r"(?:day|week|fortnight|month|quarter|year|term|session|meeting|cycle)s?"
FREQUENCY_SAID = re.compile(
    r"\b(?:annually|yearly|monthly|weekly|daily|fortnightly|quarterly|termly|hourly|bi-?annually|bi-?monthly"
    r"|six-monthly|three-monthly|half-yearly|regularly|periodically)\b"
    rf"|\b(?:every|each|per|a|an)\s+(?:(?:other|\d+|two|three|four|five|six|eight|ten|twelve)\s+)?"
    rf"(?:(?:financial|calendar|academic|school|municipal|council|working)\s+)?{_PERIOD}\b"
    r"|\b(?:once|twice|\d+ times|(?:two|three|four|five|six|ten|twelve) times)\b"
    r"|\bon an? (?:daily|weekly|fortnightly|monthly|quarterly|annual|yearly|regular|termly|rolling) basis\b"
    r"|\bper (?:annum|year|month|week|day)\b", re.I)


def gives_frequency(text: str) -> bool:
    """Whether a text says how often something happens (rule "how often asks for a frequency")."""
    return bool(FREQUENCY_SAID.search(text))


# Rule "what time asks for a time of day" (asked as qa/question.py CLOCK_ASKED): "at 6.30 pm",
# "10:00", "2pm", "noon". A figure like "4.30" with no am or pm counts too: papers write "the
# meeting will close at 4.30", and a gate that lets a decimal through costs less than one that
# shuts out the answer.
# A time of day written as one ("6.30 pm", "10am", "18:00", "noon"), also read by the meeting
# record (qa/meeting_record.py) for when a meeting starts and ends.
CLOCK_TIME = (r"\b(?:\d{1,2}(?:[.:][0-5]\d)?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\d{1,2}[.:][0-5]\d\b(?!\s*%)"
              r"|noon\b|midday\b|midnight\b)")
CLOCK_SAID = re.compile(rf"{CLOCK_TIME}|\bo'clock\b", re.I)


def gives_clock_time(text: str) -> bool:
    """Whether a text says a time of day (rule "what time asks for a time of day")."""
    return bool(CLOCK_SAID.search(text))


# A time said in words rather than as a date: "reviewed annually", "by the end of next year",
# "from the spring".
TIME_SAID = re.compile(r"\b(?:annual(?:ly)?|monthly|weekly|daily|quarterly|every (?:year|month|week|day|quarter)|"
                       r"(?:this|next|last) (?:year|month|week|quarter|spring|summer|autumn|winter)|"
                       r"(?:in|by|from|until|since|during) (?:the )?(?:spring|summer|autumn|winter|early|late|mid)\b)", re.I)
# A date: a month and year ("1st April 2025", "April 2025"), a year, or (rule "a day and month is a
# date") a day and month without the year, which papers leave to the reader ("will go live on
# 1st April", "by March 31st").
DATE_WORDS = re.compile(rf"\b(\d{{1,2}}(st|nd|rd|th)? )?{_FULL_MONTH} \d{{4}}\b|\b\d{{4}}\b"
                        rf"|\b\d{{1,2}}(?:st|nd|rd|th)? {_FULL_MONTH}\b|\b{_FULL_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b(?![\d,])")


# Rule "a year in a name is no date": the year that ends the name of a law or a plan ("the
# Health and Care Act 2022", "the Minerals and Waste Local Plan 2024-2039") says which one, not
# when anything in the sentence happened.
TITLE_YEAR = re.compile(r"\b(?:Acts?|Regulations|Order|Bill|Rules|Directive|Plan|Strategy|Framework|Programme|Scheme"
                        r"|Policy|Code|Vision) \(?(?:(?:19|20)\d\d ?[-–/] ?)?$")


def gives_date(text: str, years_asked: list[str] | tuple[str, ...] = ()) -> bool:
    """A date or a year, other than the years the question names itself ("the Waste Plan
    2021-2036" is not when anything happened) or that end a name (TITLE_YEAR)."""
    return any(m.group(0) not in years_asked and not (m.group(0).isdigit() and TITLE_YEAR.search(text[: m.start()]))
               for m in DATE_WORDS.finditer(text))


def gives_time(text: str, years_asked: list[str] | tuple[str, ...] = ()) -> bool:
    """Rule "a time": asked when, the answer gives a date or a year (gives_date), a length of
    time ("within six weeks" answers "when is a new tenancy first inspected") or a time in words
    ("annually")."""
    return bool(gives_date(text, years_asked) or gives_duration(text) or TIME_SAID.search(text))


# Money mentioned at all: "£1.99 million", "£426k", "£000s" in a table header, "1.5 million pounds".
MONEY_MENTION = re.compile(r"£|\bpounds?\b|\bGBP\b", re.I)


# "COVID-19", "KS-2": a number joined to a word in capitals is part of a name, not an amount.
NAMED_NUMBER = re.compile(r"\b[A-Z]{2,}-\d+\b")


def _figures_text(text: str) -> str:
    """A text without its dates, references ("Table 3"), item numbers and names with a number
    ("COVID-19"), whose figures are no amounts."""
    return ITEM_NUMBER.sub(" ", REFERENCE.sub(" ", DATE_LIKE.sub(" ", NAMED_NUMBER.sub(" ", text))))


# Rule "how much asks for an amount, not a count": "how much of the parks budget went on play
# areas" is answered by "£1.2m" or "40%", not by "four parks were surveyed and three closed". Papers write
# amounts in figures; a small number in words ("two", "three") counts things, so it answers
# "how much" only as part of an amount ("fifty per cent", "two million"). Asked how much time or
# longer, "thirty minutes" is one.
HOW_MUCH_AMOUNT = re.compile(r"\bhow much\b(?!\s+(?:longer|later|sooner|earlier|shorter|older|younger|time|more time)\b)", re.I)
HOW_MANY = re.compile(r"\bhow many\b", re.I)
SMALL_NUMBER_WORD = re.compile(SMALL_NUMBER_WORDS, re.I)
AMOUNT_IN_WORDS = re.compile(rf"\b(?:{SMALL_NUMBER_WORDS})(?:[\s-]+(?:{SMALL_NUMBER_WORDS}|one))?[\s-]+"
                             r"(?:per ?cent|pounds|hundred|thousand|million|billion)\b", re.I)


# Rule "a length of time in words": a "ten-year plan" or a "six-week course" names the plan, not
# an amount (NUMBER_WORD leaves such words out), but asked how many years or how long, its number
# is the answer.
TIME_IN_WORDS = re.compile(rf"\b({SMALL_NUMBER_WORDS})-(?:year|month|week|day|hour)s?\b", re.I)


def _time_words(text: str, asked: str) -> list[str]:
    """The numbers of lengths of time written as words, when lengths of time are asked for."""
    return [w.lower() for w in TIME_IN_WORDS.findall(text)] if COUNTING_TIME.search(asked) else []


def _counting_words(text: str, asked: str) -> list[str]:
    """Numbers written as words that could answer the question (rule "how much asks for an
    amount, not a count")."""
    words = [w.lower() for w in NUMBER_WORD.findall(text)] + _time_words(text, asked)
    if not words or not HOW_MUCH_AMOUNT.search(asked) or HOW_MANY.search(asked):
        return words  # (quantities runs for every unit weighed: the cheap test first)
    in_amounts = set(re.split(r"[\s-]+", " ".join(AMOUNT_IN_WORDS.findall(text)).lower()))
    return [w for w in words if not SMALL_NUMBER_WORD.fullmatch(w) or w in in_amounts]


def quantities(text: str, asked: str = "") -> list[str]:
    """Figures in `text` that could answer "how many / how much": not dates or years, not the
    figures the question itself names ("Of the 38 KPIs ..."), plus numbers written as words."""
    named = set(figures(DATE_LIKE.sub(" ", asked)))
    found = [f for f in figures(_figures_text(text)) if f not in named]
    return found + _counting_words(text, asked)


# Rule "a count is a whole number": asked how many of a thing, a figure answers only if it could
# be a number of things: a whole number ("57"), or a fraction of a million or thousand ("1.2
# million residents"), not a sum of money ("£57.7m", "£57"), a percentage ("57%"), or a figure with
# a fraction ("57.7", a balance in £m whose unit the table left unsaid).
COUNT = re.compile(r"(?<![£\w.,])(?<!£ )(\d{1,3}(?:,\d{3})+|\d+)(?:(\.\d+)\s?(million|thousand|m\b|k\b))?"
                   r"(?![\d.,]*\d)(?!\w)(?!\s?(?:%|per ?cent))", re.I)


# Rule "a length of time is no amount": a number of days, weeks or years ("within the 20-week
# limit", "repaired within 28 days", "this 10 year average") says how long, not how many of the
# things asked about nor how much of anything, unless lengths of time are what is asked for
# ("how many weeks", "how long", and rule "a difference in time": "how much longer", "how much
# later will the pool open", answered by "3 months later than planned").
LENGTH_OF_TIME = re.compile(r"(?<![\w.,£/-])\d[\d,]*(?:\.\d+)?\s?-?\s?(?:working |school |calendar )?"
                            r"(?:minutes?|hours?|days?|weeks?|months?|years?)\b", re.I)
COUNTING_TIME = re.compile(r"\bhow many (?:\w+ )?(?:minutes|hours|days|weeks|months|years)\b|\bhow long\b"
                           r"|\bhow much (?:longer|shorter|later|earlier|sooner|older|younger)\b", re.I)
# Staff counted in full-time equivalents: a count with a fraction ("1,460.2 FTE").
FULL_TIME_EQUIVALENTS = re.compile(r"\bFTEs?\b|\bfull[- ]time equivalents?\b", re.I)


def without_lengths_of_time(text: str, asked: str = "") -> str:
    """`text` with its lengths of time taken out, unless `asked` asks for one."""
    return text if COUNTING_TIME.search(asked) else LENGTH_OF_TIME.sub(" ", text)


def counts(text: str, asked: str = "") -> list[str]:
    """Figures in `text` that could answer "how many": quantities (not dates, years, references
    or the question's own figures) that are a number of things, by rule "a count is a whole number"
    (and not a length of time)."""
    text = without_lengths_of_time(text, asked)
    allowed = set(quantities(text, asked))
    if FULL_TIME_EQUIVALENTS.search(asked):
        return sorted(allowed)  # staff counted in full-time equivalents come in fractions ("1,460.2 FTE")
    found = [m.group(0) for m in COUNT.finditer(_figures_text(text))
             if f"{m.group(1)}{m.group(2) or ''}".replace(",", "") in allowed]
    return found + [w.lower() for w in NUMBER_WORD.findall(text)] + _time_words(text, asked)


# "is increasing by £4,160.6k", "an increase of £3,111.7k": a figure given as a change.
CHANGE = re.compile(r"\b(?:increas|decreas|ris|rose|fall|fell|reduc|grow|grew|uplift|up\b|down\b)\w*\s+(?:by|of)\s+"
                    r"[£+\-−]?(\d[\d,]*(?:\.\d+)?)", re.I)
CHANGE_ASKED = re.compile(r"\b(?:increas|decreas|rise|rose|fall|fell|reduc|grow|grew|change|differ|more|less|uplift)\w*", re.I)


def only_changes(text: str, asked: str = "") -> bool:
    """Whether every amount in `text` is how something changed, not what it is: "the grant
    allocation is increasing by £4,160.6k" does not say what the allocation is."""
    amounts = [f for f in quantities(text, asked) if f[0].isdigit()]
    changes = {m.group(1).replace(",", "") for m in CHANGE.finditer(text)}
    return bool(amounts) and all(a in changes for a in amounts)


# A sum of money as written: "£12.71", "£24,513", "£1,530.9m", "£426k", "£2.5 million".
MONEY = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)", re.I)
SCALED_HEADER = re.compile(r"£\s?(?:0{3}|m\b|k\b|bn\b|million|thousand)|\(£?(?:0{3}|m|k)\)", re.I)


def sums_of_money(text: str) -> list[str]:
    """Sums of money a sentence or a row states ("£12.71 per hour", "a cost of £1.2m", a row's
    "Charge £: 450"). A figure under a "2025-26 £000's" column is not one: it is a line of a
    budget sheet, a change to what a service costs the council, not what anything costs to buy.
    "£000's" itself is a column header, not a sum."""
    found = [m.group(1) for m in MONEY.finditer(text) if not re.fullmatch(r"0+", m.group(1))]
    for pair in text.split("; "):
        name, _, value = pair.rpartition(": ")
        if "£" in name and not SCALED_HEADER.search(name) and figures(value):
            found.append(figures(value)[0])
    return found
