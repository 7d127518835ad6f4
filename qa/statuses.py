"""Rule "the status of a figure asked for": papers give one measure several times over, as a
provisional and a final figure, or as a target, a forecast and what was achieved. A question that
names one status is not answered by a figure of another.

- Asked for the final figure ("once the bus grant is confirmed as final"), a sentence giving
  only the provisional or draft one ("the provisional allocation is £4.2m") answers another
  question; and the other way round.
- Asked what was actually achieved ("the actual number of library visits in May"), a table row
  whose every figure sits under a target, forecast or budget heading ("Target May 2025: 420")
  gives none. Only rows are read so: a sentence gives what was achieved without saying "actual"
  ("85% were seen in time, against a target of 90%")."""

from __future__ import annotations

import re

from ..schema import TableRow

FINAL = re.compile(r"\bfinal(?:ised)?\b", re.I)
PROVISIONAL = re.compile(r"\b(?:provisional|draft|indicative)\b", re.I)
ACTUAL_ASKED = re.compile(r"\b(?:actual|achieved|outturn)\b", re.I)
ACTUAL_SAID = re.compile(r"\b(?:actuals?|achieved|outturn|performance|result|outcome)\b", re.I)
PLANNED = re.compile(r"\b(?:targets?|forecasts?|budget(?:ed)?|planned|plan|estimates?|estimated|projected|projections?|aims?)\b", re.I)


def names_another_status(question: str, text: str, row: TableRow | None = None) -> bool:
    """Whether `text` (with `row`, when it is a table row) gives the figure of another status
    than the one the question names, and not the one named."""
    if FINAL.search(question) and not PROVISIONAL.search(question):
        return bool(PROVISIONAL.search(text)) and not FINAL.search(text)
    if PROVISIONAL.search(question) and not FINAL.search(question):
        return bool(FINAL.search(text)) and not PROVISIONAL.search(text)
    if row is not None and ACTUAL_ASKED.search(question) and not PLANNED.search(question):
        headed = [c.header for c in row.cells if c.header and re.search(r"\d", c.value)]
        return bool(headed) and all(PLANNED.search(h) and not ACTUAL_SAID.search(h) for h in headed)
    return False
