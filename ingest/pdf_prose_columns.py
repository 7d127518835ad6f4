"""Rule "columns of prose are not a table": a page set as side-by-side columns of running text
(a strategy's "What we heard | Together we will | Indicators" page) lines up like a table, line
for line, and the table reader takes it for one. Read as rows, each "row" joins the fragments
of three unrelated sentences ("prevention | empower people to address key health and social
issues including loneliness, community safety and the | that are in paid employment (aged"), so
no passage holds any sentence whole, and a question about the indicator finds nothing.

A table's rows are self-contained: each cell ends where its row ends. In columns of prose a
sentence runs on from one "row" into the next, in every column, and the columns' sentences end
on different lines. A table read as rows is read column after column as text instead, each
column a paragraph (split where a column has an empty cell), when

- its rows run on in nearly half the places where a column's cell meets the next row's or more
  (a capital after a line break hides some: "by using | Complex Care Teams"), and in each column;
- at a third or more of the lines between rows, some columns run on and others do not (a table
  whose rows each wrap over several lines, read line by line, runs on in every column at once,
  or in none; its lines are rows of one record, which read column by column stay whole too);
- its cells hold three words or more, as lines of prose do (justified text cut at its wide
  word gaps, "The | SoS may | give", is one paragraph read across, not down).

Separate because it judges a table already read (pdf_table_cells.py) and needs nothing of how
it was found."""

from __future__ import annotations

import re

MIN_ROWS = 3
# Of the places where a column's cell meets the next row's, how many must run on: set by reading
# every table the rule turns to text across the 135 Kent PDFs (14 tables, all columns of prose).
RUN_ON_SHARE = 0.45
MIXED_SHARE = 1 / 3  # of the lines between rows, how many must run on in some columns and not in others
MIN_CELL_WORDS = 3  # the median non-empty cell's words
# Words a sentence does not end on: a cell ending with one continues in the next row.
OPEN_ENDING = re.compile(r"\b(?:the|a|an|of|to|from|and|or|in|on|at|for|with|by|as|that|which|who|is|are|was|were|will|be"
                         r"|has|have|their|its|our|than|into|including)$", re.I)
SENTENCE_END = re.compile(r"[.!?:;]['’”)]*$")


def runs_on(cell: str, following: str) -> bool:
    """Whether the text of `cell` continues in `following`, the same column's next cell: it does
    not end a sentence, and the next begins in lower case or it ends on a word no sentence ends on."""
    cell, following = cell.strip(), following.strip()
    if not cell or not following or SENTENCE_END.search(cell):
        return False
    return following[0].islower() or bool(OPEN_ENDING.search(cell))


def prose_columns(cells: list[list[str]]) -> bool:
    """Whether a table's rows (one list of cells per row) are columns of prose cut line by line
    (rule "columns of prose are not a table")."""
    if len(cells) < MIN_ROWS or min(len(row) for row in cells) < 2:
        return False
    width = len(cells[0])
    words = sorted(len(cell.split()) for row in cells for cell in row if cell.strip())
    if not words or words[len(words) // 2] < MIN_CELL_WORDS:
        return False
    meetings, running = 0, [0] * width
    boundaries = mixed = 0
    for row, following in zip(cells, cells[1:]):
        met = {col: runs_on(row[col], following[col]) for col in range(width) if row[col].strip() and following[col].strip()}
        for col, runs in met.items():
            running[col] += runs
        flags = list(met.values())
        meetings += len(flags)
        if len(flags) >= 2:
            boundaries += 1
            mixed += any(flags) and not all(flags)
    return (meetings > 0 and sum(running) >= RUN_ON_SHARE * meetings and all(running)
            and boundaries > 0 and mixed >= MIXED_SHARE * boundaries)


def column_paragraphs(cells: list[list[str]]) -> list[str]:
    """The columns read one after the other, top to bottom, each a paragraph; an empty cell
    ends a paragraph."""
    paragraphs: list[str] = []
    for col in range(len(cells[0])):
        words: list[str] = []
        for row in cells:
            text = row[col].strip()
            if text:
                words.append(text)
            elif words:
                paragraphs.append(" ".join(words))
                words = []
        if words:
            paragraphs.append(" ".join(words))
    return paragraphs
