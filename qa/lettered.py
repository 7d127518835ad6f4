"""Rule "a lettered name": "band D", "category B", "grade 2" name one thing by a letter or digit.

Councillors ask for "the band D council tax"; budget papers print a table of bands whose rows are
labelled "A" to "H" under the header "Band". A single letter is no word to the search index, so
every band's row said as much of such a question as the others, and the one asked for was found
only by luck. Here the name is one idea, written "band:d": a question names it, and a unit says it
where its text has the words together ("a band D property") or where it is a row labelled "D"
under a header naming the band.
"""

from __future__ import annotations

import re

from ..index.sparse import tokenize
from ..schema import TableRow

# The kinds of thing papers name by a letter or a small number.
NAMED_BY_LETTER = ("band", "category", "grade", "tier", "zone", "level", "phase", "priority", "option", "scenario",
                   "group", "class", "type", "stage", "key stage")
LETTERED = re.compile(r"\b(" + "|".join(sorted(NAMED_BY_LETTER, key=len, reverse=True)) + r")\s+([A-Z]|[b-hB-H]|[1-9])\b"
                      r"(?![-/.,]?\d)", re.I)
# A label column's header naming the kind ("Band", "Council tax bands"), read once per row.
KIND_HEADER = re.compile(r"\b(" + "|".join(sorted(NAMED_BY_LETTER, key=len, reverse=True)) + r")s?\b", re.I)
SEPARATOR = ":"


def _name(kind: str, mark: str) -> str:
    return f"{'_'.join(kind.lower().split())}{SEPARATOR}{mark.lower()}"


def lettered_names(text: str) -> set[str]:
    """The lettered names a text says: "band D council tax" -> {"band:d"}. "A" is read as a
    letter only in capitals ("category a" is "category" and an article)."""
    return {_name(kind, mark) for kind, mark in LETTERED.findall(text) if mark != "a"}


def row_lettered_names(row: TableRow | None) -> set[str]:
    """The name of a row labelled by one letter or digit under a header naming its kind: the
    row "D" of a table whose label column is headed "Band" is "band:d"."""
    if row is None or not re.fullmatch(r"[A-Za-z]|[1-9]", row.label.strip()):
        return set()
    return {_name(kind, row.label.strip()) for kind in KIND_HEADER.findall(row.label_header)}


def kind_of(name: str) -> str | None:
    """The index word a lettered name is weighed by ("category:b" -> "categori", as the search
    index stems it); None for a plain word."""
    return tokenize(name.split(SEPARATOR)[0].split("_")[-1])[-1] if SEPARATOR in name else None
