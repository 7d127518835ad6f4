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

FIGURE = re.compile(
    r"^[\s(£$€~<>≤≥+\-–]*\d[\d,.]*\s*(%|k|m|bn|/\s*\d[\d,]*|weeks?|days?|months?|years?)?"
    r"(\s+(Actual|actual)\s+\S+)?\)?\s*$"
)


def is_figure(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and (bool(FIGURE.match(cell)) or cell.lower() in {"n/a", "nil", "none", "-", "–"} or bool(re.match(r"^[\d,.]+\s*(%|/)", cell)))


@dataclass
class Row:
    start: int
    end: int
    cells: list[str]


@dataclass
class TableRowChunk:
    start: int
    end: int
    reading: str
    context: str


def is_key_value_block(rows: list[Row]) -> bool:
    """'Report to:<tab>Cabinet' style lines: two cells, a short label first. Read as text."""
    return all(len([c for c in row.cells if c]) <= 2 and len(row.cells[0]) <= 70 for row in rows) and not any(
        sum(is_figure(c) for c in row.cells) >= 1 and len(row.cells) > 2 for row in rows
    )


def split_header(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    header: list[Row] = []
    for row in rows[:3]:
        if any(is_figure(c) for c in row.cells[1:]):
            break
        header.append(row)
    if len(header) == len(rows):  # a table of words only: first row is the header
        header = rows[:1]
    return header, rows[len(header):]


def merge_header(header: list[Row]) -> list[str]:
    width = max((len(r.cells) for r in header), default=0)
    merged = [""] * width
    for depth, row in enumerate(header):
        cells = row.cells + [""] * (width - len(row.cells))
        for i, cell in enumerate(cells):
            if not cell and depth == 0 and len(header) > 1 and i > 0:
                # Merged cell spanning columns: inherit the label to its left when a lower
                # header row names this column.
                lower = [r.cells[i] for r in header[1:] if i < len(r.cells) and r.cells[i]]
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


def _is_label_row(row: Row) -> bool:
    return not any(is_figure(c) for c in row.cells[1:])


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
    for row in rows:
        previous = groups[-1][-1] if groups else None
        starts_new = previous is not None and header_like(row) and (
            not _is_label_row(previous) or not header_like(previous))
        if not groups or starts_new:
            groups.append([])
        groups[-1].append(row)
    return groups


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
        return [TableRowChunk(r.start, r.end, _label_reading([c for c in r.cells if c]), caption) for r in rows]
    header_caption, header = caption_from_header(header)
    caption = " ".join(part for part in (caption, header_caption) if part)
    names = merge_header(header)
    chunks = []
    carried: dict[int, str] = {}
    header_line = " | ".join(n for n in names if n)
    for row in body:
        label_parts, pairs, inherited = [], [], []
        first_figure = next((i for i, c in enumerate(row.cells) if is_figure(c)), len(row.cells))
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
                pairs.append(f"{name}: {cell}" if name else cell)
        if not pairs and not label_parts:
            continue
        reading = _label_reading(label_parts)
        if pairs:
            reading = f"{reading}. " if reading else ""
            reading += "; ".join(pairs)
        # Everything the reading borrows from outside the row (caption, group label, column
        # names) is in the context, so a figure in the reading can always be found there.
        context_lines = [caption] + inherited + ([f"Columns: {header_line}"] if header_line else [])
        chunks.append(TableRowChunk(row.start, row.end, reading, "\n".join(line for line in context_lines if line)))
    return chunks


def _label_reading(parts: list[str]) -> str:
    """Label cells joined with dashes, except that a cell ending in a colon ("Proposer:")
    runs straight on into its value."""
    out = ""
    for part in parts:
        out += (" " if out.endswith(":") else " – ") + part if out else part
    return out
