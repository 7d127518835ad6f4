"""Rule "a meeting's own facts": what a question asks about a meeting itself (when it starts or
is due to end, where it is held, who chaired it, whom to ask about it, when its agenda was
issued, who sent apologies) is read from that meeting's agenda front sheet and minutes as typed
fields, each with the span of the paper that says it.

Why: these facts are printed once, laid out as a form rather than written as sentences ("Ask
for:  Jane Smith", a date alone under the clerk's name, "Cllr Brown (in the Chair)"), so the
sentence scorer neither finds them among a paper's many passages nor reads them as the kind of
answer asked for; and a councillor asks for them by the meeting, not in the papers' words.

Each field is found by what it looks like on any council's papers: a label ("Venue:", "Ask
for:", "Contact:", "Date of publication:"), a bracket after a name ("(Chairman)", "(in the
Chair)"), or a set phrase ("will be held in ... on", "scheduled to end by", "apologies were
received from"). An agenda's fields are read from its front sheet only; an agenda pack goes on
to print the last meeting's minutes, whose chair and apologies are another meeting's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .figures import CLOCK_TIME
from .question import CLOCK_ASKED, MONTH_NAMES, iso_days

FIELDS = ("starts", "ends", "venue", "chair", "contact", "issued", "apologies")
# How the answer names each field.
LABELS = {"starts": "The meeting starts at", "ends": "The meeting is due to end at", "venue": "It is held at",
          "chair": "In the chair:", "contact": "Contact for the meeting:", "issued": "The agenda was issued on",
          "apologies": "Apologies:"}
# Fields an agenda is the first record of (what was planned); the rest are read from the minutes
# first (what happened), then the agenda.
FROM_AGENDA = {"starts", "ends", "venue", "contact", "issued"}

# A front sheet with no pages to go by (a text file) ends where another paper of the pack starts.
FRONT_SHEET_CHARS = 4000
OTHER_PAPER = re.compile(r"^\s*(?:MINUTES OF\b|Public Document Pack\b|Agenda Item\b|This page is intentionally left blank)",
                         re.M)
# Minutes say who chaired and who sent apologies near their start (after a list of those present).
MINUTES_OPENING_CHARS = 8000

CLOCK = CLOCK_TIME
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATE = rf"(?:{WEEKDAY},?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{'|'.join(MONTH_NAMES)}),?\s+\d{{4}}"
NAME = r"[A-Z][A-Za-z'’.-]*(?:[ \t]+(?:[A-Z][A-Za-z'’.-]*|de|van|von)){0,4}"

STARTS = [
    re.compile(rf"\b(?:Start(?:ing)?\s+time|Time)\s*:\s*({CLOCK})", re.I),
    re.compile(rf"\b(?:meeting|proceedings)\s+(?:started|commenced|began|opened)\s+at\s+({CLOCK})", re.I),
    # the time after the meeting's day ("Thursday, 9th January, 2025 at 10.00 am"), a proviso kept
    re.compile(rf"(?<!end )(?<!finish )(?<!close )(?<!by )\b(?:at|commencing at|starting at)\s+({CLOCK})"
               r"(\s*\n?\s*\((?:or|if|unless)[^)]{0,120}\))?", re.I),
]
ENDS = [
    re.compile(rf"\b(?:scheduled|expected|due|planned|intended)\s+to\s+(?:end|finish|close|conclude)\s+(?:at|by)\s+"
               rf"({CLOCK})(\s*\([^)]{{0,60}}\))?", re.I),
    re.compile(rf"\bmeeting\s+(?:ended|closed|finished|concluded|rose|terminated)\s+at\s+({CLOCK})", re.I),
    re.compile(rf"\b(?:Finish(?:ing)?|End(?:ing)?)\s+time\s*:\s*({CLOCK})", re.I),
]
VENUE = [
    re.compile(r"\b(?:Venue|Location|Place of meeting)\s*:\s*([^\n]{3,120})", re.I),
    re.compile(rf"\b(?:held|take place|meet)\s+(?:in|at)\s+((?:(?!\n\s*\n).){{3,160}}?),?\s+on\s+(?:{WEEKDAY}|\d)", re.I | re.S),
    re.compile(rf"{CLOCK}[ \t]*\n\s*(?:in|at)\s+([A-Z][^\n]{{2,120}})"),
]
CHAIR = [
    re.compile(rf"({NAME})[ \t]*\((?:in the Chair|Chair(?:man|woman|person)?)\)"),
    # chosen for the day: "that Mr Smith be elected to Chair the meeting", "appoint Cllr Jones as Chair"
    re.compile(rf"({NAME})\s+(?:be|was)\s+(?:elected|appointed)\s+(?:to\s+(?:take\s+)?(?:the\s+)?|as\s+(?:the\s+)?)[Cc]hair\b"),
    re.compile(rf"\bappoint(?:ed)?\s+({NAME})\s+as\s+(?:the\s+)?Chair\b"),
    re.compile(rf"^\s*Chair(?:man|woman|person)?\s*:\s*({NAME})", re.M),
]
CONTACT = [
    re.compile(rf"\b(?:Ask for|Contact(?:[ \t]+officer)?|Enquiries(?:[ \t]+to)?|Democratic Services Officer|"
               rf"Committee (?:Clerk|Officer|Administrator)|Clerk)[ \t]*:[ \t]*({NAME})", re.I),
    re.compile(rf"\b(?:please|queries[^.\n]{{0,60}}?)\s+contact\s+({NAME})(,[ \t]*[A-Z][^,\n]{{2,60}})?"),
]
ISSUED_LABELLED = re.compile(rf"\b(?:Date of (?:publication|despatch|dispatch|issue)|Publication date|Published(?: on)?|"
                             rf"Issued(?: on)?|Despatched(?: on)?|Dispatched(?: on)?)\s*:?\s*(?P<date>{DATE})", re.I)
# A date alone on its line, before the meeting's day: the date the summons was sent.
ISSUED_WITHIN_DAYS = 60
DATE_ALONE = re.compile(rf"^[ \t]*(?P<date>{DATE})[ \t]*$", re.M | re.I)
APOLOGIES = [
    re.compile(r"\bApologies(?: for absence)?[ \t]*:[ \t]*([^\n]{3,400})"),
    re.compile(r"\bapologies(?: for absence)?(?:\s+(?:were|was|had been|have been))?(?:\s+(?:received|reported|"
               r"submitted|given|tendered|noted|made))?\s+(?:from|by|on behalf of)\s+((?:[^.]|\.(?!\s))+)", re.I),
    re.compile(r"\b(?:There were no|No) apologies(?: for absence)?(?: were| had been)?(?: received| reported)?", re.I),
]


@dataclass(frozen=True)
class MeetingFact:
    field: str  # one of FIELDS
    value: str  # as the paper says it, whitespace collapsed
    start: int  # the span of the document's cleaned text that says it: the quote
    end: int
    # The words matched alone, quoted instead when no one passage holds the whole line (a front
    # sheet laid out in columns).
    match_start: int = -1
    match_end: int = -1

    def spans(self) -> list[tuple[int, int]]:
        """The spans that may be quoted, fullest first."""
        return [(self.start, self.end)] + ([(self.match_start, self.match_end)] if self.match_start >= 0 else [])


def _collapse(text: str) -> str:
    """A value on one line, without the full stop of the sentence it ended ("8.15 pm." but
    "8.15 p.m.")."""
    return re.sub(r"(?<![ap]\.m)\.$", "", re.sub(r"\s+", " ", text).strip(" ,;"))


def front_sheet_end(text: str, first_pages_end: int | None) -> int:
    """Where an agenda's front sheet ends: with its first two pages that carry text (a cover and
    the summons; `first_pages_end`) when the paper has pages, where another paper of the pack
    starts, and never past FRONT_SHEET_CHARS."""
    end = min(len(text), FRONT_SHEET_CHARS)
    if first_pages_end is not None:
        end = min(end, first_pages_end)
    other = OTHER_PAPER.search(text, 1, end)
    return other.start() if other else end


Span = Callable[[str, int, int], tuple[int, int]]  # the quote's span around a match


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole line(s) a match is on: the quote an officer finds on the page."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


SENTENCE_END = re.compile(r"\.(?=\s|$)|\n\s*\n")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence a match is in (a full stop followed by a space ends one; "4.30pm" does not)."""
    before = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start), text.rfind(".\n", 0, start))
    # From the match's last character: a match may end with the sentence's full stop ("5.00 pm.").
    after = SENTENCE_END.search(text, max(start, end - 1))
    return (before + 2 if before >= 0 else 0), (after.start() + (text[after.start()] == ".") if after else len(text))


def _first(patterns: list[re.Pattern], text: str, end: int, field: str, span: Span = _line_span) -> MeetingFact | None:
    """The fact the first of `patterns` to match before `end` says; its value is the pattern's
    groups (the whole match when it has none)."""
    for pattern in patterns:
        m = pattern.search(text, 0, end)
        if m:
            groups = [g for g in m.groups() if g] if m.groups() else []
            value = _collapse("".join(groups)) if groups else _collapse(m.group(0))
            quote_start, quote_end = span(text, m.start(), m.end())
            return MeetingFact(field, value, quote_start, quote_end, m.start(), m.end())
    return None


def _read(text: str, end: int, fields: dict[str, tuple[list[re.Pattern], Span]]) -> dict[str, MeetingFact]:
    """Each field ({field: (its patterns, how much of the text its quote takes)}) found before `end`."""
    found = {field: _first(patterns, text, end, field, span) for field, (patterns, span) in fields.items()}
    return {field: fact for field, fact in found.items() if fact}


def _issued(text: str, end: int, meeting_date: str | None) -> MeetingFact | None:
    """The date the agenda was issued: labelled as such, or a date alone on its line (under the
    clerk's name, or above the summons) in the two months before the meeting's day."""
    m = ISSUED_LABELLED.search(text, 0, end)
    if m:
        return MeetingFact("issued", _collapse(m.group("date")), *_line_span(text, m.start(), m.end()), m.start(), m.end())
    if not meeting_date:
        return None
    held = date.fromisoformat(meeting_date)
    for m in DATE_ALONE.finditer(text, 0, end):
        said = iso_days(m.group("date"))
        if said and 0 < (held - date.fromisoformat(said[0])).days <= ISSUED_WITHIN_DAYS:
            return MeetingFact("issued", _collapse(m.group("date")), m.start("date"), m.end("date"))
    return None


def agenda_record(text: str, meeting_date: str | None, first_pages_end: int | None = None) -> dict[str, MeetingFact]:
    """The fields an agenda's front sheet gives (FROM_AGENDA)."""
    end = front_sheet_end(text, first_pages_end)
    found = _read(text, end, {"starts": (STARTS, _line_span), "ends": (ENDS, _sentence_span),
                              "venue": (VENUE, _sentence_span), "contact": (CONTACT, _line_span)})
    issued = _issued(text, end, meeting_date)
    return found | ({"issued": issued} if issued else {})


def minutes_record(text: str) -> dict[str, MeetingFact]:
    """The fields minutes give: when the meeting started, where it was held, who chaired and
    who sent apologies from their opening, when it closed from anywhere (minutes end with it)."""
    opening = min(len(text), MINUTES_OPENING_CHARS)
    return _read(text, opening, {"starts": (STARTS[:2], _sentence_span), "venue": (VENUE[:2], _sentence_span),
                                 "chair": (CHAIR, _line_span), "apologies": (APOLOGIES, _sentence_span)}) | \
        _read(text, len(text), {"ends": (ENDS[1:], _sentence_span)})


# -- what a question asks ------------------------------------------------------------------

_MEETING_SUBJECT = r"\b(?:meeting|council|cabinet|committee|panel|board|scrutiny|forum)\b\s+(?:\w+\s+){0,2}?"
# Asked in this order: "what time did it finish" asks when it ended, not when it started.
ASKED = [
    ("ends", re.compile(rf"(?:{CLOCK_ASKED.pattern}).*\b(?:finish|end|close|conclude)|\bwhen\b.*?{_MEETING_SUBJECT}"
                        r"(?:finish(?:es|ed)?|end(?:s|ed)?|close[sd]?|conclude[sd]?)\b|\b(?:finish(?:ing)?|end(?:ing)?)\s+time\b"
                        r"|\bmeeting\b.*\b(?:due|expected|scheduled|planned|set) to (?:end|finish|close|conclude)\b", re.I)),
    ("starts", re.compile(rf"{CLOCK_ASKED.pattern}|\bstart(?:ing)? time\b|\bwhen\b.*?{_MEETING_SUBJECT}"
                          r"(?:start(?:s|ed)?|begins?|began|commence[sd]?|kick(?:s|ed)? off)\b", re.I)),
    ("venue", re.compile(r"\bwhere\b.*\b(?:held|meet|met|meeting|take place|taking place|took place|sit|sat)\b"
                         r"|\bvenue\b|\b(?:which|what) room\b", re.I)),
    ("chair", re.compile(r"\bwho\b.*\b(?:chaired|chairs|chairing|in the chair|chairman|chairwoman|chairperson|"
                         r"presided|was (?:the )?chair)\b", re.I)),
    ("contact", re.compile(r"\bcontact (?:officer|person|details|for)\b|\bask for\b"
                           r"|\bwho(?:m)? (?:do|should|can|would) (?:i|we|you) (?:contact|call|ring|phone|email|ask|speak to|talk to)\b"
                           r"|\bwho(?:'s| is| was) the (?:contact|clerk|democratic services officer|committee officer)\b", re.I)),
    ("issued", re.compile(r"\b(?:when|what date|which date|what day)\b.*\b(?:agenda|papers|summons|pack)\b.*"
                          r"\b(?:published|issued|sent|go out|went out|gone out|despatched|dispatched|circulated|out)\b", re.I)),
    ("apologies", re.compile(r"\bapologies\b|\b(?:who|which|any)\b.*\b(?:absent|could(?:n'?t| not) attend|"
                             r"did(?:n'?t| not) attend)\b", re.I)),
]


def fact_asked(question: str) -> str | None:
    """The meeting's own fact a question asks for, if any (one of FIELDS)."""
    for field, pattern in ASKED:
        if pattern.search(question):
            return field
    return None
