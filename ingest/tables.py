"""Tables to passages: one passage per row, with the column headers attached.

A table arrives as a run of tab-separated lines. Leading rows with no figure in them are the
header (several header rows are merged column by column, an empty upper cell taking the label
of the merged cell to its left). Each data row becomes a chunk whose text is the row exactly as
it stands in the cleaned text (so it can be quoted) and whose `reading` is the row as a
sentence with its headers, e.g. "Rate of children in care in line with statistical neighbours.
Baseline April 2023: 184/10,000; ... Target October 2024: 175/10,000"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import RowCell, TableRow
from .row_fields import column_period, value_unit

FIGURE = re.compile(
    r"^[\s(£$€~<>≤≥+\-–]*\d[\d,.]*\s*(%|k|m|bn|/\s*\d[\d,]*|weeks?|days?|months?|years?)?"
    r"(\s+(Actual|actual)\s+\S+)?\)?\s*$"
)


def is_figure(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and (bool(FIGURE.match(cell)) or cell.lower() in {"n/a", "nil", "none", "-", "–"} or bool(re.match(r"^[\d,.]+\s*(%|/)", cell)))


# A period used as a column label: "2024/25", "2019/20", "Q3 2024/25". Written with a slash
# it reads as a ratio (is_figure), so a header row of periods was taken for data and cut its
# table in two: "2024/25 ... 2023/24 ... 2019/20" above "Fatal | Serious | Slight | Total".
# Rule "a period with a word or two names a column": "2023/24 actual | 2024/25 forecast |
# 2025/26 budget" is a header as much as "2023/24 | 2024/25" is; read as figures, the header
# was taken for data and every value of the table lost its year.
PERIOD = re.compile(r"^(?:Q[1-4]\s+)?(?:19|20)\d\d\s*/\s*(?:19|20)?\d\d(?:\s+[a-z][a-z.]*){0,3}$", re.I)


def is_period(cell: str) -> bool:
    return PERIOD.match(cell.strip()) is not None


def is_value(cell: str) -> bool:
    """A figure that is not a period label: what makes a row data rather than header."""
    return is_figure(cell) and not is_period(cell)


@dataclass
class Row:
    start: int
    end: int
    cells: list[str]


@dataclass
class TableRowChunk:
    start: int
    end: int
    row: TableRow
    context: str

    @property
    def reading(self) -> str:
        return self.row.reading()


def is_key_value_block(rows: list[Row]) -> bool:
    """'Report to:<tab>Cabinet' style lines: two cells, a short label first. Read as text."""
    return all(len([c for c in row.cells if c]) <= 2 and len(row.cells[0]) <= 70 for row in rows) and not any(
        sum(is_figure(c) for c in row.cells) >= 1 and len(row.cells) > 2 for row in rows
    )


# A contents entry's reference: a page or section number ("12", "3-5") or an appendix letter.
CONTENTS_REF = re.compile(r"^(?:\d{1,3}(?:\s*[-–]\s*\d{1,3})?|[A-Z])$")
MIN_CONTENTS_ROWS = 4


def is_contents_block(rows: list[Row]) -> bool:
    """A table of contents ("Capital Strategy | O", "Council Tax | 6 | 20"): titles, each with
    one or two references, pages in order or appendix letters in sequence. Row by row, each
    entry became a passage of two or three words that outranked the sections it points to;
    read as text, the list is one passage."""
    entries = [_contents_entry(row) for row in rows]
    refs = [entry for entry in entries if entry is not None]
    if len(refs) < MIN_CONTENTS_ROWS or len(refs) < 0.8 * len(rows):
        return False
    numbers = [int(re.split(r"\s*[-–]\s*", ref)[0]) for ref in refs if ref[0].isdigit()]
    letters = [ord(ref) for ref in refs if not ref[0].isdigit()]
    # Pages run in order and letters in sequence, but a contents page may hold two lists
    # (sections, then tables) and a footer: a few steps back are allowed.
    steps_back = sum(b < a for a, b in zip(numbers, numbers[1:])) + sum(b != a + 1 for a, b in zip(letters, letters[1:]))
    return steps_back <= min(2, len(refs) // 6)


def _contents_entry(row: Row) -> str | None:
    """The last reference of a row that is a title with one or two references, else None."""
    cells = [c.strip() for c in row.cells if c.strip()]
    if not 2 <= len(cells) <= 3 or CONTENTS_REF.match(cells[0]) or not re.search(r"[A-Za-z]{3}", cells[0]):
        return None
    return cells[-1] if all(CONTENTS_REF.match(c) for c in cells[1:]) else None


# A tick or a cross in a cell: a table's data, never its header ("Partnership working | x | x | X"
# under "Detail | Foundation | Mayoral | Established").
TICK = re.compile(r"^(?:x|✓|✔|✗|✘)$", re.I)


# Rule "a sentence in a cell is data": a header names its columns in a few words; a cell of a
# sentence or more ("Consultation on proposed changes to the plan's vision and policies") is what
# the table tells. A table of words and dates ("Stage | Dates | Summary") has no figure to end
# its header, so its first data rows were read as more header lines, in no passage of their own.
# A line naming a column's unit ("Ref | £000s | Key Service | £000s") is header, though the
# first row's text may be printed into its last cell.
SENTENCE_WORDS = 10


def says_a_sentence(row: Row) -> bool:
    cells = [c.strip() for c in row.cells]
    return any(len(c.split()) >= SENTENCE_WORDS for c in cells[1:]) and not any(UNIT_CELL.match(c) for c in cells if c)


# Rule "a numbered row is data": a table whose rows are numbered items ("3.1 | Establish a
# board | Head of Service", "4. | Minutes of the meeting held on ...") has its first item on its
# first line; read as the header, that item was in no passage, and its words named every column.
ITEM_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def numbered_items(rows: list[Row]) -> bool:
    numbered = [bool(row.cells) and ITEM_NUMBER.match(row.cells[0].strip()) is not None for row in rows]
    return len(rows) >= 2 and numbered[0] and sum(numbered) >= 2


def sentences_from_the_first_line(rows: list[Row]) -> bool:
    """Rule "a table of sentences has no header line": when its first two lines each say a
    sentence (a consultation's comments and the council's responses, a glossary), the first is
    data like the second. Read as the header, it was in no passage of its own, and its words
    named the columns of every row below it, on that page and the pages the table ran on to."""
    return len(rows) >= 2 and says_a_sentence(rows[0]) and says_a_sentence(rows[1])


def split_header(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    if numbered_items(rows) or sentences_from_the_first_line(rows):
        return [], rows
    header: list[Row] = []
    for row in rows[:3]:
        if any(is_value(c) or TICK.match(c.strip()) for c in row.cells[1:]) or (header and says_a_sentence(row)):
            break
        header.append(row)
    if len(header) == len(rows):  # a table of words only: first row is the header
        header = rows[:1]
    return header, rows[len(header):]


def spread_periods(cells: list[str], width: int) -> list[str] | None:
    """A row of periods over equal groups of columns that end at the table's right edge, each
    label set somewhere over its group ("| 2024/25 | | | | 2023/24 | ..." above "Fatal |
    Serious | Slight | Total | Fatal ..."): every column of a group takes its period. None
    when the labels are not periods at even steps, or do not fall in their groups."""
    at = [i for i, c in enumerate(cells) if c]
    steps = {b - a for a, b in zip(at, at[1:])}
    if len(at) < 2 or len(steps) != 1 or min(steps) < 2 or not all(is_period(cells[i]) for i in at):
        return None
    step = steps.pop()
    start = width - len(at) * step  # columns before the groups are row labels
    if start < 0 or not all(start + k * step <= i < start + (k + 1) * step for k, i in enumerate(at)):
        return None
    return ["" if i < start else cells[at[(i - start) // step]] for i in range(width)]


def merge_header(header: list[Row]) -> list[str]:
    width = max((len(r.cells) for r in header), default=0)
    merged = [""] * width
    for depth, row in enumerate(header):
        cells = row.cells + [""] * (width - len(row.cells))
        if depth == 0 and len(header) > 1:
            cells = spread_periods(cells, width) or cells
        for i, cell in enumerate(cells):
            if not cell and depth == 0 and len(header) > 1 and i > 0:
                # Merged cell spanning columns: inherit the label to its left when a lower
                # header row names this column (a unit alone, "£000s", names no sub-column: a
                # label printed out of line above the table leaves such a column unnamed).
                lower = [r.cells[i] for r in header[1:] if i < len(r.cells) and r.cells[i]
                         and not UNIT_CELL.match(r.cells[i].strip())]
                if lower:
                    cell = merged[i - 1].split(" / ")[0] if merged[i - 1] else ""
            if not cell:
                continue
            if not merged[i]:
                merged[i] = cell
            elif merged[i].endswith(cell):
                continue  # "... over 18 weeks" above "weeks": the same words wrapped twice
            elif cell[0].islower():
                merged[i] = f"{merged[i]} {cell}"  # a header wrapped onto a second line
            else:
                merged[i] = f"{merged[i]} / {cell}"  # a sub-column ("Target", "Outcome")
    return merged


def names_beside_figures(names: list[str], body: list[Row]) -> list[str]:
    """Rule "a name over an empty column heads the figures beside it": a column name centred
    over figures set flush right ("2029-30" over "0") can end before the figures start, and
    the reader cut them into two columns, the name's empty in every row and the figures' with
    no name (or only a unit, "£000s"), so every value of the column lost its year. Such a
    name moves onto the column of figures to its right: only when its own column is empty in
    every row, and the one to its right holds figures alone, under no name but a unit."""
    names = list(names)

    def column(i: int) -> list[str]:
        return [row.cells[i].strip() if i < len(row.cells) else "" for row in body]

    for i in range(len(names) - 1):
        right = names[i + 1]
        if not names[i] or UNIT_CELL.match(names[i].strip()) or (right and not UNIT_CELL.match(right.strip())):
            continue
        own, beside = column(i), [cell for cell in column(i + 1) if cell]
        if any(own) or not beside or not all(is_figure(cell) for cell in beside):
            continue
        names[i + 1] = names[i] if not right or names[i].endswith(right) else f"{names[i]} / {right}"
        names[i] = ""
    return names


def caption_from_header(header: list[Row]) -> tuple[str, list[Row]]:
    """A long first header cell that is really the table's caption ("Waiting lists ... Data as of
    the end of December 2023") is moved out of the column names."""
    if not header or not header[0].cells[0]:
        return "", header
    first = header[0].cells[0]
    if len(first) > 40 or re.search(r"data as (of|at)|as at|table", first, re.I):
        row = header[0]
        return first, [Row(row.start, row.end, [""] + row.cells[1:])] + header[1:]
    return "", header


# A header cell naming only the unit its column is counted in: "£000s", "£m", "(£000's)", "%", "No.".
UNIT_CELL = re.compile(r"^\(?(?:[£$€]\s*(?:000'?s?|k|m|ms|bn|millions?|thousands?)?|%|no\.?|number)\)?$", re.I)


def ends_header(row: Row, above: list[Row]) -> bool:
    """Rule "a row of units ends its header": a row naming only units ("£000s | £000s | ..."),
    under year labels and "Year 1 | Year 2", is the last line of the header above it, however
    many columns it fills; read as the header of a new table, it left every value of the table
    under "£000s" alone, its years lost. Only when the lines above are all header (no data yet)
    and were read into as many columns as it: lines of one header read into different numbers
    of columns were printed out of line, and joined they would put a year over another
    column's values (no year is better than a wrong one)."""
    cells = [c.strip() for c in row.cells if c.strip()]
    return (bool(cells) and all(UNIT_CELL.match(c) for c in cells) and bool(above)
            and all(_is_label_row(r) and len(r.cells) == len(row.cells) for r in above))


def _is_label_row(row: Row) -> bool:
    return not any(is_value(c) for c in row.cells[1:])


def _is_period_row(row: Row) -> bool:
    """Periods alone, each over a group of columns: the upper row of a two-row header."""
    cells = [c for c in row.cells if c]
    return bool(cells) and all(is_period(c) for c in cells)


def segments(rows: list[Row]) -> list[list[Row]]:
    """A run of rows can hold several tables printed one after another, each with its own
    header ("Data as of the end of February 2022", then "... February 2023"): a header row
    that follows data rows starts a new table."""
    if not any(not _is_label_row(r) for r in rows):
        return [rows]  # a table of words only
    width = max(len(r.cells) for r in rows)

    def header_like(row: Row) -> bool:
        # A group label inside a table ("Outcome 2: ...") fills a cell or two; a header fills
        # most, with short names ("DATE OF REC", "TARGET DATE").
        full = sum(1 for c in row.cells if c) >= max(2, 0.6 * width)
        return full and _is_label_row(row) and all(len(c) <= 60 for c in row.cells[1:])

    groups: list[list[Row]] = []
    for k, row in enumerate(rows):
        previous = groups[-1][-1] if groups else None
        # A header heads rows below it: the run's last row starts no table (a row of ratings,
        # "A+ | A-", under rows of figures is one more row of them).
        starts_new = previous is not None and k + 1 < len(rows) and header_like(row) and not ends_header(
            row, groups[-1]) and not _is_period_row(previous) and (not _is_label_row(previous) or not header_like(previous))
        if not groups or starts_new:
            groups.append([])
        groups[-1].append(row)
    return groups


@dataclass
class CarriedHeader:
    """The header lines and caption of a table that ended its page, for the rows that continue
    it on the next (rule "a table continued over a page keeps its header")."""

    rows: list[Row]
    caption: str


def header_to_carry(rows: list[Row], caption: str) -> CarriedHeader | None:
    """The header of the last table in a run of rows, or None when it has none."""
    groups = segments(rows)
    header, body = split_header(groups[-1])
    if not header or not body:
        return None
    return CarriedHeader(header, caption if len(groups) == 1 else "")


def continued_header(rows: list[Row], carried: CarriedHeader) -> list[Row] | None:
    """Rule "a table continued over a page keeps its header": rows that open a page, right after
    a table that closed the page before (only page furniture between), continue it when they
    start with data, not a header of their own, in as many columns as its header. Read alone,
    a budget table's rows on its second page had values under no column name at all.

    A first line that says a sentence (rule "a sentence in a cell is data") is data, though a
    table of words has no figure to show it: read as the header of a new table, each page's
    first question and answer ("Issue raised | Response") was in no passage of its own, and its
    words named the columns of the rows below it. Rows cut into more cells than the header
    continue it when their figures line up under its columns (`figures_under`). Returns the header
    lines to read the rows under (laid over them when they are cut into more cells), or None."""
    if not (says_a_sentence(rows[0]) or not split_header(rows)[0]):
        return None  # the rows open with a header of their own
    if len(rows[0].cells) == max(len(line.cells) for line in carried.rows):
        return carried.rows
    layout = figures_under(rows[0], carried.rows)
    return None if layout is None else _laid_over(carried.rows, *layout)


# A cell that begins with a figure: "48,767.6", or "48,767.6 Collection of waste" where the last
# figure column was read together with a column of words to its right.
LEADING_FIGURE = re.compile(r"^[(£$€+\-–]*\d[\d,.]*(?:%|k|m|bn)?\)?(?:\s|$)")


def _begins_with_figure(cell: str) -> bool:
    return is_figure(cell) or LEADING_FIGURE.match(cell.strip()) is not None


def _named(header: list[Row]) -> list[list[str]]:
    """The header's columns (each a list of its lines' cells): its first, and each later one
    that some line names. Columns left empty are gaps a wider reading of the table left."""
    width = max(len(line.cells) for line in header)
    columns = [[line.cells[j] if j < len(line.cells) else "" for line in header] for j in range(width)]
    return columns[:1] + [column for column in columns[1:] if any(cell.strip() for cell in column)]


def figures_under(row: Row, header: list[Row]) -> tuple[int, int] | None:
    """Rule "figures keep their columns when the label is cut": a row with another number of
    cells than the header it continues (usually more) keeps that header when, read from the
    right, it holds one figure for each named column after the header's first (perhaps followed by one cell of words: a
    description column the header's last name ran into). Figures are set right in their
    columns, so they keep the header's columns; what the tighter header did not cut is the
    label at the left ("12 | 4,210.5 | Day services" under one "Ref Budget Service" column,
    whose name it keeps). Needs a named first column and three columns or more: with fewer, one
    figure says nothing of the layout. Returns (label cells, trailing cells), or None."""
    columns = _named(header)
    figures = len(columns) - 1
    if figures < 2 or not any(cell.strip() for cell in columns[0]):
        return None
    cells = row.cells
    for trailing in (0, 1):
        labels = len(cells) - trailing - figures
        if labels >= 1 and all(_begins_with_figure(c) for c in cells[labels:len(cells) - trailing]) and (
                not trailing or not _begins_with_figure(cells[-1])):
            return labels, trailing
    return None


def _laid_over(header: list[Row], labels: int, trailing: int) -> list[Row]:
    """A carried header's lines laid over rows that figures_under (`labels` label cells, then a
    figure for each named column, then `trailing` cells of words): the first column's name over
    the label cells, the named columns over the figures, the trailing cell under no name."""
    columns = _named(header)
    return [Row(line.start, line.end, [columns[0][k]] + [""] * (labels - 1) + [column[k] for column in columns[1:]]
                + [""] * trailing) for k, line in enumerate(header)]


def row_chunks(rows: list[Row], caption: str) -> list[TableRowChunk]:
    chunks: list[TableRowChunk] = []
    for number, group in enumerate(segments(rows)):
        # The caption written above the run belongs to its first table only.
        chunks.extend(_segment_chunks(group, caption if number == 0 else ""))
    return chunks


def _segment_chunks(rows: list[Row], caption: str) -> list[TableRowChunk]:
    header, body = split_header(rows)
    if not body:
        # A lone row of words ("Proposer: | Rich Lehmann | Seconder: | Mark Hood") heads
        # nothing: as a header it was in no passage at all. Each row is read as it stands.
        return [TableRowChunk(r.start, r.end, TableRow(label=_label_reading([c for c in r.cells if c]), caption=caption),
                              caption) for r in rows]
    header_caption, header = caption_from_header(header)
    caption = " ".join(part for part in (caption, header_caption) if part)
    names = names_beside_figures(merge_header(header), body)
    chunks = []
    carried: dict[int, str] = {}
    header_line = " | ".join(n for n in names if n)
    firsts = [_first_figure(row) for row in body]
    label_columns = max(1, min((i for i in firsts if i is not None), default=1))
    for row, first_figure in zip(body, firsts):
        label_parts, cells, inherited = [], [], []
        if first_figure is None:
            first_figure = label_columns if _coded(row, names, label_columns, header) else len(row.cells)
        for i, cell in enumerate(row.cells):
            name = names[i] if i < len(names) else ""
            if i < first_figure:
                # Label columns; a group label ("Outcome 1: ...") spans the rows below it.
                if cell:
                    carried[i] = cell
                    label_parts.append(cell)
                elif i in carried and i == 0:
                    label_parts.append(carried[i])
                    inherited.append(carried[i])
                continue
            if cell:
                cells.append(RowCell(header=name, value=cell, period=column_period(name, caption),
                                     unit=value_unit(cell, name, caption)))
        if not cells and not label_parts:
            continue
        record = TableRow(label=_label_reading(label_parts), caption=caption, group=" ".join(inherited),
                          label_header=" ".join(n for n in names[:first_figure] if n), headers=names, cells=cells)
        # Everything the reading borrows from outside the row (caption, group label, column
        # names) is in the context, so a figure in the reading can always be found there.
        context_lines = [caption] + inherited + ([f"Columns: {header_line}"] if header_line else [])
        chunks.append(TableRowChunk(row.start, row.end, record, "\n".join(line for line in context_lines if line)))
    return chunks


def _first_figure(row: Row) -> int | None:
    """The column of a row's first figure. The columns before the first figure of any row of a
    table (at least one; in a table of words only, the first) hold its rows' labels."""
    return next((i for i, c in enumerate(row.cells) if is_figure(c)), None)


# A value written as a short code rather than a figure: a credit rating ("AA+", "Baa1"), a RAG
# status ("Amber"), a mark ("x", "✓"), an answer ("Yes"), or a figure with its unit in words
# ("440 places", "£25m per fund").
MARK = re.compile(r"^(?:[A-D]{1,3}[+-]?|[A-D]a{0,2}[1-3]|x|✓|✔|yes|no|y|n|n/a|red|amber|green)$", re.I)
FIGURE_IN_WORDS = re.compile(r"^[(£$€+\-–]*\d[\d,.]*\S*(?:\s+\w+){0,2}$")


def _coded(row: Row, names: list[str], label_columns: int, header: list[Row]) -> bool:
    """Rule "codes under a column name are its values": a row without figures whose cells past
    the label are all codes (MARK or FIGURE_IN_WORDS: "AA+ | AA-" under "Actual | Target", "x" under
    "Established", "RED | AMBER" under "Latest | Previous") keeps those column names, as
    figures do; read as one label ("Portfolio average credit rating – AA+ – AA-") no value had
    its column. Only where one line of the header names each of their columns and that name is
    no code itself (MARK): in a table of words the reader takes the first line (or three) for the
    header, and a column named on two lines, words in other cells (a wrapped sentence's end, a
    name) or a "header" of codes ("Have you consulted? | yes", the first of a form's answers)
    are rows that such a header would only mislabel."""
    values = [(i, cell) for i, cell in enumerate(row.cells) if i >= label_columns and cell]

    def named_once(i: int) -> bool:
        return sum(1 for line in header if i < len(line.cells) and line.cells[i].strip()) == 1

    return bool(values) and all(
        i < len(names) and names[i] and named_once(i) and not MARK.match(names[i].strip())
        and (MARK.match(cell.strip()) or FIGURE_IN_WORDS.match(cell.strip())) for i, cell in values)


def _label_reading(parts: list[str]) -> str:
    """Label cells joined with dashes, except that a cell ending in a colon ("Proposer:")
    runs straight on into its value."""
    out = ""
    for part in parts:
        out += (" " if out.endswith(":") else " – ") + part if out else part
    return out
