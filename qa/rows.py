"""A table row in an answer: the row's record (schema.TableRow), led by the value asked for.

Rule "asked column": of a row's cells, the ones the question asks about are those that match
something it asks: the period it names ("in December 2023" picks the "Dec-23" column and drops
"Sep-23"), the words of their header ("what is the longest wait" picks "Longest wait (weeks)")
or the kind of figure asked for, by the cell's unit ("how long" picks the cells in weeks or
days, "how many" a header that counts, "how much more" a column of changes). The answer gives those, the cells matching most of the
question first, with the row's baseline and target beside them when the question asks how it
compares (a baseline, and a target for the period asked, if there is one); cells in words, which say which row
it is, stay, and so do figures under no header (nothing can pick them, and nothing must drop
them). When no cell matches, the whole row; and when the only cells that match answer the
second part of a two-part question ("how much did it cost, and what was the cap?" picks "Cap"),
the whole row too, since the first part's value is in another column. Tested on made-up
rows in tests/test_rows.py."""

from __future__ import annotations

import re

from ..index.sparse import tokenize
from ..schema import RowCell, TableRow
from .figures import CHANGE_ASKED
from .parts import Part
from .periods import financial_years
from .question import MONTH_NAMES, Question

MONTH_YEAR = re.compile(rf"\b({'|'.join(m[:3] for m in MONTH_NAMES)})[a-z]*\.?[\s'’-]*((?:19|20)?\d\d)\b", re.I)
# Columns that say what a figure is measured against: kept beside the value asked for when the
# question asks how something compares ("against target", "on track", "better or worse").
REFERENCE_HEADER = re.compile(r"\b(target|baseline|floor|benchmark|ambition|standard|national|england)\b", re.I)
BASELINE_HEADER = re.compile(r"\bbaseline\b", re.I)
COMPARISON_ASKED = re.compile(r"\b(target|against|on track|compare[sd]?|comparison|baseline|better|worse|"
                              r"improv\w*|performing|performance|meet(?:ing)?|met|hit|miss(?:ed|ing)?)\b", re.I)


TIME_UNITS = {"weeks", "days", "months", "years", "hours", "minutes"}
COUNT_ASKED = re.compile(r"\bhow many\b|\bnumbers?\b", re.I)
# A column of differences ("Increase", "Change", "Variance"): what "how much more" asks for.
CHANGE_HEADER = re.compile(r"^\W*(?:increase|decrease|change|difference|variance|movement|rise|fall|growth|reduction)\b", re.I)
COUNT_HEADER = re.compile(r"\b(?:number|no\.?|count|total|how many)\b", re.I)


def _months(text: str) -> set[tuple[str, str]]:
    """("dec", "23") for "December 2023", "Dec-23", "Dec 2023"."""
    return {(m.lower()[:3], y[-2:]) for m, y in MONTH_YEAR.findall(text)}


def _periods(text: str) -> set:
    return _months(text) | financial_years(text)


def _gives_kind_asked(q: Question, cell: RowCell) -> bool:
    """Whether a cell is the kind of figure asked for, by its unit or its header: a length of
    time for "how long", a percentage, a sum of money, a count for "how many", a column of
    differences for "how much more"."""
    if q.asks_duration:
        return cell.unit in TIME_UNITS
    if q.wants_percent:
        return cell.unit == "%"
    if q.asks_money:
        return cell.unit.startswith("£")
    if COUNT_ASKED.search(q.text) and COUNT_HEADER.search(cell.header):
        return True
    return bool(CHANGE_ASKED.search(q.text) and CHANGE_HEADER.search(cell.header))


def asked_cells(q: Question, row: TableRow) -> list[RowCell]:
    """The cells that say something the question asks, those matching most of it first: the
    period it names, the words it uses (not those of the row's label, nor a word every header
    says, which tell no cell from another), the kind of figure it wants. A cell for another period than the one asked is
    not asked for. [] when no cell is."""
    asked_periods = _periods(q.text)
    headers = [set(tokenize(cell.header)) for cell in row.cells]
    everywhere = set.intersection(*headers) if len(headers) > 1 else set()
    terms = set(q.terms) - set(tokenize(f"{row.label} {row.group}")) - everywhere
    scored = []
    words_named = {t for t in terms if t.isalpha()}  # a year or month names a period, not what is measured
    named = [bool(words_named & said) for said in headers]
    for cell, said, word_named in zip(row.cells, headers, named):
        words = bool(terms & said)
        periods = _periods(f"{cell.period} {cell.header}")
        if asked_periods and periods and not periods & asked_periods:
            continue
        # The kind of figure asked for picks a cell when no header names the question's words:
        # asked "the longest wait", "Average wait (weeks)" is a length of time but not the one asked.
        kind = _gives_kind_asked(q, cell) and (word_named or not any(named))
        matches = bool(periods & asked_periods) + words + kind
        if matches:
            scored.append((matches, cell))
    chosen = [cell for _, cell in sorted(scored, key=lambda pair: -pair[0])]
    part = Part(q.text)
    if chosen and part.terms and all(set(part.terms) & set(tokenize(cell.header)) for cell in chosen):
        return []  # only the second part's column matched: the first part's value is another
    if chosen and COMPARISON_ASKED.search(q.text):
        chosen += [c for c in _measured_against(row, asked_periods) if c not in chosen]
    return chosen


def _measured_against(row: TableRow, asked_periods: set) -> list[RowCell]:
    """What a value is compared with: the row's baseline, and its target (benchmark, ...) for
    the period asked, or, when it has none for that period, its targets for any."""
    references = [c for c in row.cells if REFERENCE_HEADER.search(c.header) and not BASELINE_HEADER.search(c.header)]
    for_asked = [c for c in references if _periods(f"{c.period} {c.header}") & asked_periods]
    return [c for c in row.cells if BASELINE_HEADER.search(c.header) or c in (for_asked or references)]


# Rule "a figure with its unit": a value its column header counts in millions of pounds or as a
# percentage ("Kent £'m" over "10.1", "% on time" over "84") is written so ("£10.1m", "84%"):
# read alone, "Kent £'m: 10.1" leaves the reader to work out what the figure is. Only where the
# header itself says the unit (a caption's unit may not hold for every column), and only a bare
# figure, whose digits stay as the paper prints them.
BARE_FIGURE = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
MILLIONS_HEADER = re.compile(r"£\s*['’]?\s*(?:m\b|ms\b|million)", re.I)
PERCENT_HEADER = re.compile(r"%|\bper ?cent(?:age)?\b", re.I)


def with_unit(c: RowCell) -> str:
    value = c.value.strip()
    if not BARE_FIGURE.match(value):
        return c.value
    if c.unit == "£m" and MILLIONS_HEADER.search(c.header):
        return f"-£{value[1:]}m" if value.startswith("-") else f"£{value}m"
    if c.unit == "%" and PERCENT_HEADER.search(c.header):
        return f"{value}%"
    return c.value


def _cell(c: RowCell) -> str:
    return f"{c.header}: {with_unit(c)}" if c.header else with_unit(c)


def row_statement(q: Question, row: TableRow) -> str:
    """The row as a sentence: its label (with the caption, or the label column's header, saying
    what it is one of) and any cells in words, then the values asked for with their headers,
    else every value."""
    asked = asked_cells(q, row)
    # Cells in words ("Effective management oversight") say which row this is: they stay; so do
    # figures under no header, which no question can be matched with (a total column whose header
    # the reader lost): left out, the answer would lose them.
    cells = [c for c in row.cells if c not in asked and (not re.search(r"\d", c.value) or not c.header)] + asked if asked else row.cells
    body = "; ".join(_cell(c) for c in cells)
    header = row.label_header
    caption = row.caption or (header if 0 < len(header.split()) <= 6 else "")  # a merged header block is noise
    label = f"{row.label} ({caption})" if caption and row.label else row.label or caption
    return f"{label}: {body}" if label and body else label or body


def reports_month_asked(q: Question, row: TableRow) -> bool:
    """Whether the row gives a figure for the month the question names that is not a target:
    of two printings of one table, the later has the month's outcome filled in."""
    asked = _months(" ".join(q.month_years))
    return any(_months(f"{c.period} {c.header}") & asked and "target" not in c.header.lower()
               and re.search(r"\d", c.value) for c in row.cells)
