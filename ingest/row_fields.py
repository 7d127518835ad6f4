"""What a table's column says about each value under it: the period it is for and the unit it is
in. Read once at ingest from the column header (or, failing that, the table's caption) and the
value itself, and kept as fields of the row's record (schema.TableRow), so a question naming a
month or asking for a number of weeks can pick the cell without parsing the row again.

Two named rules, each tested on made-up tables in tests/test_row_fields.py:

- **column period**: a header naming a period ("Dec-23", "31 March 2024", "Q3 2024/25",
  "2024-25") dates the values under it; a header with none takes the caption's ("Data as at
  the end of December 2023"). A bare year counts only when nothing more precise is named.
- **value unit**: the unit a value is written with ("73.2%", "£1.2m", "40 weeks") wins; else
  the header's ("Average wait (weeks)", "Spend £000s"), else the caption's. A unit word after a
  number is a condition on what is counted, not the unit: "Waiting over 18 weeks" counts
  people, so it gives no unit.
"""

from __future__ import annotations

import re

MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
# Most precise first: a quarter of a financial year, a financial year, a day or month of a year.
PERIODS = [
    re.compile(r"\bQ[1-4]\s*(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d\b", re.I),
    re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{MONTH})\.?[\s'’-]*(?:19|20)?\d\d\b(?![/\-]\d)", re.I),
    re.compile(r"\b(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d\b"),
    re.compile(r"\bQ[1-4]\b"),
    re.compile(r"\b(?:19|20)\d\d\b"),
]

# Units, by the form they are written in; each maps to the name kept in the record.
UNIT_WORDS = [
    (re.compile(r"£\s?['’]?\s?(?:000s?|k|m|bn|millions?)\b", re.I), None),  # the match itself, tidied ("£’m" -> "£m")
    (re.compile(r"%|\bper ?cent\b|\bpercentage\b", re.I), "%"),
    (re.compile(r"\bweeks?\b|\bwks?\b", re.I), "weeks"),
    (re.compile(r"\bdays?\b", re.I), "days"),
    (re.compile(r"\bmonths?\b", re.I), "months"),
    (re.compile(r"\bhours?\b|\bhrs?\b", re.I), "hours"),
    (re.compile(r"\bminutes?\b|\bmins?\b", re.I), "minutes"),
    (re.compile(r"\byears?\b|\byrs?\b", re.I), "years"),
    (re.compile(r"\bper\s+(?:1,?000|10,?000|100,?000)\b|/\s?(?:1,?000|10,?000|100,?000)\b", re.I), None),
]
CONDITION = re.compile(r"\d[\d,.]*\s*(?:\+|plus)?\s*$")  # "over 18 " before "weeks": a condition
POUNDS_VALUE = re.compile(r"^\s*[(\-–]?£")
FIGURE_START = re.compile(r"^[\s(£$€~<>≤≥+\-–]*\d[\d,.]*")
SHORT_UNIT_WORDS = 2  # "40 weeks", "3 working days"
SHORT_HEADER_WORDS = 8  # "Average wait from referral to treatment (weeks)"
SHORT_CAPTION_WORDS = 14


def column_period(header: str, caption: str = "") -> str:
    """The period a column is for, from its header, else from the table's caption ("" if none)."""
    for text in (header, caption):
        for pattern in PERIODS:
            found = pattern.search(text or "")
            if found:
                return " ".join(found.group(0).split())
    return ""


def _unit_in(text: str) -> str:
    for pattern, name in UNIT_WORDS:
        for found in pattern.finditer(text or ""):
            if CONDITION.search(text[: found.start()]) and name not in (None, "%"):
                continue  # "over 18 weeks": what is counted, not what it is counted in
            return name or _tidy(found.group(0))
    return ""


def _tidy(written: str) -> str:
    """"£ 000", "£'000s", "£000S" -> "£000s"; "£M" -> "£m"; "per 10,000" -> "per 10000"."""
    unit = re.sub(r"[\s'’,]+", "", written).lower().replace("per", "per ").replace("/", "per ")
    if unit.startswith("£000"):
        return "£000s"
    return "£m" if unit.startswith("£million") else unit


def value_unit(value: str, header: str = "", caption: str = "") -> str:
    """The unit a value is in: as written with the value, else its header's, else the caption's.
    Only a figure has a unit, and only a short header or caption (a column name, a title) says
    one: a sentence that happens to say "years" says nothing about the figures under it."""
    value = value.strip()
    figure = FIGURE_START.match(value)
    if not figure:
        return ""
    if value.endswith("%"):
        return "%"
    written = value[figure.end():].strip()
    unit = _unit_in(written) if 0 < len(written.split()) <= SHORT_UNIT_WORDS else ""
    if unit:
        return unit
    if POUNDS_VALUE.match(value):
        return "£"
    for text, most in ((header, SHORT_HEADER_WORDS), (caption, SHORT_CAPTION_WORDS)):
        if text and len(text.split()) <= most:
            unit = _unit_in(text)
            if unit:
                return unit
    return ""
