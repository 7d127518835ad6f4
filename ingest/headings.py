"""Recognise section headings in cleaned lines: agenda items ("7 BLACKPOOL BETTER START ANNUAL
UPDATE"), numbered report sections ("1.0 Purpose of the report", "7.1 Speech and Language
Services (SLT)"), Markdown headings, all-capitals titles, and the start of a new paper inside a
pack ("MINUTES OF ... MEETING - THURSDAY, 9 NOVEMBER 2023", "Report to:")."""

from __future__ import annotations

import re

from .clean import Line

PART_START = re.compile(r"^(MINUTES OF|MINUTES of a meeting|Minutes of the meeting|AGENDA\b)", re.I)
REPORT_TO = re.compile(r"^(Report to|To):?\t", re.I)
AGENDA_ITEM = re.compile(r"^(?:Item\s+)?(\d{1,3})\.?\s+(\S.*)$")
SECTION = re.compile(r"^(\d{1,2})\.0\.?\s+(\S.{1,90})$")
SUBSECTION = re.compile(r"^(?:- )?(\d{1,2})\.(\d{1,2})\.?\s+([A-Z(].{1,75})$")
NUMBERED_TITLE = re.compile(r"^(\d{1,2})\.\s+([A-Z].{1,90})$")
# A minute's item heading: "300. Review of Decision 24/00093 - Commissioned Family Hubs", perhaps
# wrapped over a second or third line, closed by the agenda reference "(Item 9)".
MINUTE_NUMBER = re.compile(r"^\d{1,4}\.\s+\S")
ITEM_REFERENCE = re.compile(r"^\(Item\s+\d{1,3}[a-z]?\)$", re.I)
MINUTE_HEADING_MAX_LINES = 4
HEADING_END_OK = re.compile(r"[.;,!]$")
RUN_ON_WORDS = set("a an the to of and or in for with by as is are be its their that which on at from was were "
                   "has have will this these".split())


def _continues_into(text: str, next_text: str) -> bool:
    """Does the sentence run on into the next line (it starts in lower case, or this line
    ends on a word no title ends on)?"""
    last = text.rsplit(None, 1)[-1].lower()
    return next_text[:1].islower() or last in RUN_ON_WORDS


def _caps_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


def heading_level(line: Line, next_text: str | None) -> int | None:
    """0 = a new paper inside a pack, 1 = agenda item / title, 2 = section, 3 = subsection."""
    text = line.text.strip()
    if line.heading_level is not None:
        return {1: 1, 2: 1, 3: 2}.get(line.heading_level, 3)
    if "\t" in text or len(text) > 160:
        return None
    if PART_START.match(text) and _caps_ratio(text) > 0.6:
        return 0
    if HEADING_END_OK.search(text):
        return None
    match = AGENDA_ITEM.match(text)
    if match and _caps_ratio(match.group(2)) >= 0.8:
        return 1
    if SECTION.match(text):
        return 2
    if _opens_numbered_section(text, next_text):
        return 2
    match = SUBSECTION.match(text)
    if match and len(text) <= 80 and next_text is not None and (len(next_text) >= 80 or "\t" in next_text):
        # "4.3 Work has taken place between ... across the" wrapped onto "council directorates
        # to ...": the first line of a numbered paragraph, not a heading. Taken as one, its
        # words left the passage's text.
        if not _continues_into(text, next_text):
            return 3
    if capitals_title(text):
        return 1
    return None


def capitals_title(text: str) -> bool:
    """A title in capitals ("BUDGET MONITORING REPORT"), not numbered: a heading by that alone."""
    return _caps_ratio(text) >= 0.9 and not text[0].isdigit() and len(text) <= 120


def _opens_numbered_section(text: str, next_text: str | None) -> bool:
    """"3. Local government reorganisation" followed by "3.1 The invitation to councils ...":
    a report's numbered section title, whose first paragraph is numbered under it. Kept as
    text, the title's words were lost to every paragraph of the section but the first."""
    match = NUMBERED_TITLE.match(text)
    if not match or next_text is None:
        return False
    return re.match(rf"{match.group(1)}\.1\.?\s", next_text) is not None


def minute_item_headings(lines: list[tuple[int, int, Line]], text: str) -> dict[int, str]:
    """Minute headings that run over several lines and end with "(Item N)": {index of the
    first line: heading text}. Minutes number their items in mixed case ("300. Review of
    Decision 24/00093 - Commissioned Family Hubs / (Item 9)"), so the title tests above miss
    them, and the resolution a page later did not carry its item's name."""
    headings: dict[int, str] = {}
    for last, (_, _, line) in enumerate(lines):
        if not ITEM_REFERENCE.match(line.text.strip()):
            continue
        for first in range(last - 1, max(-1, last - MINUTE_HEADING_MAX_LINES), -1):
            if "\n\n" in text[lines[first][1] : lines[first + 1][0]] or "\t" in lines[first][2].text:
                break  # the heading is one paragraph
            if MINUTE_NUMBER.match(lines[first][2].text):
                title = " ".join(lines[i][2].text.strip() for i in range(first, last + 1))
                headings[first] = title
                break
    return headings


def starts_new_paper(line: Line) -> bool:
    return bool(REPORT_TO.match(line.text))


class SectionTracker:
    """Keeps the stack of open headings; `current` reads like a breadcrumb."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        self.stack = [(lv, t) for lv, t in self.stack if lv < level]
        self.stack.append((level, " ".join(text.split())[:120]))

    def reset(self) -> None:
        self.stack = []

    @property
    def current(self) -> str | None:
        return " › ".join(t for _, t in self.stack) or None

    @property
    def innermost(self) -> str | None:
        return self.stack[-1][1] if self.stack else None
