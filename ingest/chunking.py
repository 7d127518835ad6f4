"""Structure-aware chunking of a cleaned document.

Passages follow the paper's structure: a heading closes the passage before it and names the
ones after it; paragraphs are packed up to a target size and split only at sentence ends; a
paragraph ending in ":" ("The Committee agreed:") always travels with the next one, and with
every item of the list it leads in to while they fit (rule "a resolution keeps its items"); table rows
become one passage each with their headers (see tables.py). Every chunk's text is an exact
slice of the cleaned text and lies on a single page.

A heading's words go into the section name of the passages under it, not into a passage of
their own; so a document whose every line reads as a heading (thin pages: "DECISION 14" alone
on each of 2,000 pages, a register of capitalised names) would have no passage at all and be
dropped as having no text. Such a document is chunked again with its headings read as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..schema import Chunk
from .clean import CleanedDocument, Line, ends_sentence
from .headings import SectionTracker, heading_level, minute_item_headings, starts_new_paper
from .tables import Row, TableRowChunk, continued_header, header_to_carry, is_contents_block, is_key_value_block, row_chunks

# A recorded vote: its opening, the tallies, the names under them and the outcome.
VOTE_OPENING = re.compile(r"\bvot(?:e|ing) (?:was|were) (?:as follows|recorded)", re.I)
VOTE_TALLY = re.compile(r"^\s*(?:For|Against|Abstain(?:ed|ing|ing)?|Abstentions?)\s*[:\-–]?\s*\(?\d+\)?(?:\s|$)", re.M)
VOTE_OUTCOME = re.compile(r"^\s*(?:Substantive\s+)?(?:Motion|Amendment|Recommendations?)\s+(?:was\s+)?(?:carried|lost|fell|agreed|defeated)", re.I)
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Cllr|Councillor)\.? [A-Z]")
VOTE_MAX_CHARS = 3000  # a vote of 80 members with their names; beyond this it is split

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-Z0-9(£\"'‘“•-])")


@dataclass
class Paragraph:
    start: int
    end: int
    lines: list[tuple[int, int]] = field(default_factory=list)


def _paragraphs(spans: list[tuple[int, int, Line]], text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for start, end, _ in spans:
        gap = text[paragraphs[-1].end : start] if paragraphs else ""
        if paragraphs and "\n\n" not in gap:
            paragraphs[-1].end = end
            paragraphs[-1].lines.append((start, end))
        else:
            paragraphs.append(Paragraph(start, end, [(start, end)]))
    return paragraphs


def _split_long(start: int, end: int, text: str, max_chars: int, target: int) -> list[tuple[int, int]]:
    """Cut a too-long paragraph at sentence ends (line ends first, for PDFs that wrap lines)."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    while end - cursor > max_chars:
        window = text[cursor : cursor + max_chars]
        cuts = [m.start() for m in SENTENCE_END.finditer(window) if m.start() >= target // 2]
        cut = cuts[-1] if cuts else (window.rfind("\n", target // 2) if "\n" in window[target // 2 :] else -1)
        if cut <= 0:
            cut = window.rfind(" ", target // 2)
        if cut <= 0:
            cut = max_chars
        piece_end = cursor + cut
        pieces.append((cursor, piece_end))
        cursor = piece_end
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


# The marker of an item of a lettered, numbered or bulleted list: "(a) Adopt ...", "b) Delegate
# ...", "(ii)", "3. Note ...", "• Agree ...". (qa/units.py reads list items in answer units its own way.)
LIST_MARKER = re.compile(r"\s*(\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)|\d{1,2}\.(?!\d)|[•▪●◦\-–*])\s")


def _marker_style(unit: str) -> str | None:
    """How a list item is marked, its letters and figures aside: "(a)" and "(iv)" are "(a)",
    "2)" is "9)", "3." is "9.", a bullet itself; None for a paragraph that is no list item. The
    items of one list share it, so "2) Following the debate" after a resolution's "(ii)" is the
    minutes' next paragraph, not a third item."""
    match = LIST_MARKER.match(unit)
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "9", match.group(1))) if match else None


def _leads_in(piece: str) -> bool:
    """A paragraph ending in ":" ("The Committee agreed:") introduces what follows it."""
    return piece.rstrip().endswith(":")


def _keep_lists_whole(units: list[tuple[int, int, bool]], text: str, most: int) -> list[tuple[int, int, bool]]:
    """Rule "a resolution keeps its items": a paragraph leading in to a list ("RESOLVED that
    Cabinet agree to:", "The Committee is asked to:") and the list's items, each a paragraph of
    its own, become one unit while together they are at most `most` characters, so that a
    passage never holds the lead-in with item (a) and leaves (b) and (c) to the next one. A
    decision is quoted whole, and a sentence pasted from it finds it in one passage. `units` are
    (start, end, starts a paragraph); an item cut from a long paragraph ends the list. Returns
    (start, end, a list gathered)."""
    merged: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(units):
        start, end, _ = units[i]
        if _leads_in(text[start:end]) and i + 1 < len(units):
            style = _marker_style(text[units[i + 1][0]:units[i + 1][1]])
            j = i + 1
            while (style and j < len(units) and units[j][2] and units[j][1] - start <= most
                   and (j + 1 >= len(units) or units[j + 1][2]) and _marker_style(text[units[j][0]:units[j][1]]) == style):
                j += 1
            if j > i + 1:
                merged.append((start, units[j - 1][1], True))
                i = j
                continue
        merged.append((start, end, False))
        i += 1
    return merged


def _pack(paragraphs: list[Paragraph], text: str, target: int, max_chars: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int, bool]] = []
    for para in paragraphs:
        split = _split_long(para.start, para.end, text, max_chars, target)
        pieces.extend((s, e, k == 0) for k, (s, e) in enumerate(split))
    units = _keep_lists_whole(pieces, text, max_chars)  # no longer than the embedder reads
    spans: list[list[tuple[int, int]]] = []  # each passage as the units it packs
    for start, end, gathered in units:
        if spans:
            prev_start, prev_end = spans[-1][0][0], spans[-1][-1][1]
            leads_in = _leads_in(text[prev_start:prev_end])
            fits = end - prev_start <= target
            within_longest = end - prev_start <= max_chars * 1.5  # what a lead-in or a title may join
            vote = end - prev_start <= VOTE_MAX_CHARS and _continues_vote(text[prev_start:prev_end], text[start:end])
            # A title ("12. Libraries Plan (Item 8)") or a fragment ("And;") that a gathered list
            # would leave alone in a passage goes with the list.
            titled = gathered and _only_a_title(text[prev_start:prev_end]) and within_longest
            if leads_in and within_longest or fits or vote or titled:
                spans[-1].append((start, end))
                continue
            # Rule "a heading stays with what it heads": a passage that would end on a label
            # (a service's or a table's name on its own line, its figures in the next
            # paragraph) gives the label to the next passage, so the figures keep their name;
            # a passage that is only a label takes the next paragraph in.
            label = spans[-1][-1]
            if is_label(text[label[0]:label[1]]) and end - label[0] <= max_chars * 1.5:
                if len(spans[-1]) == 1 or (gathered and within_longest and _only_a_title(text[prev_start:spans[-1][-2][1]])):
                    spans[-1].append((start, end))
                else:
                    spans.append([spans[-1].pop(), (start, end)])
                continue
        spans.append([(start, end)])
    return [(span[0][0], span[-1][1]) for span in spans]


LABEL_MAX_CHARS = 80


def _only_a_title(passage: str) -> bool:
    """A passage of a title or two, or a fragment ("And;"), and nothing else: short, and no
    sentence ending it."""
    passage = passage.strip()
    return 0 < len(passage) <= 2 * LABEL_MAX_CHARS and passage[-1] not in ".!?"


def is_label(unit: str) -> bool:
    """A short single line that names what follows rather than saying something: no line break,
    at most LABEL_MAX_CHARS characters, starting with a capital or a figure, and not ending as a
    sentence or clause does (. ! ? ; , or a colon, which `_pack` joins anyway)."""
    unit = unit.strip()
    return (0 < len(unit) <= LABEL_MAX_CHARS and "\n" not in unit and (unit[0].isupper() or unit[0].isdigit())
            and unit[-1] not in ".!?;,:")


def _continues_vote(before: str, unit: str) -> bool:
    """Is the unit the next part of a recorded vote ("For (41)", the names under it, "Against
    (10) ...", "Motion carried.") that the passage before it has begun? A vote cut after
    "For (41)" cites a count without its names, or names without the motion they voted on."""
    if not (VOTE_TALLY.search(before) or VOTE_OPENING.search(before)):
        return False
    return bool(VOTE_TALLY.match(unit) or VOTE_OUTCOME.match(unit) or _is_name_list(unit))


def _is_name_list(unit: str) -> bool:
    """Mostly titled names between commas: "Mr Baker, Mr Baldock, Mrs Bell, ...", or the
    last few of them, perhaps with the outcome ("Mr Stepto, Ms Wright / Motion carried.")."""
    titles = len(TITLED_NAME.findall(unit))
    if titles >= 3 and titles >= 0.6 * (unit.count(",") + 1):
        return True
    return titles >= 1 and TITLED_NAME.match(unit) is not None and len(unit.split()) <= 5 * titles + 3


@dataclass
class _Builder:
    doc: CleanedDocument
    document_id: str
    id_prefix: str
    target: int
    max_chars: int
    chunks: list[Chunk] = field(default_factory=list)

    def add(self, start: int, end: int, page: int | None, section: str | None, **extra) -> None:
        raw = self.doc.text[start:end]
        # Trim whitespace so the chunk is exactly its words.
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        if end <= start:
            return
        self.chunks.append(
            Chunk(
                id=f"{self.id_prefix}-{len(self.chunks):05d}",
                document_id=self.document_id,
                text=self.doc.text[start:end],
                start=start,
                end=end,
                page=page,
                section=section,
                **extra,
            )
        )


def chunk_document(
    doc: CleanedDocument, document_id: str, id_prefix: str, target_chars: int = 700, max_chars: int = 1200,
    headings: bool = True,
) -> list[Chunk]:
    """The document's passages. headings=False reads every line as text (see the module docstring);
    it is used only when reading headings as headings leaves no passage."""
    builder = _Builder(doc, document_id, id_prefix, target_chars, max_chars)
    sections = SectionTracker()
    text_block: list[tuple[int, int, Line]] = []
    table_block: list[tuple[int, int, Line]] = []
    # "ended": the header of the table the page ends with so far; "carried": that of the last
    # page's, while the new page has had nothing but a table (rule "a table continued over a
    # page keeps its header", tables.py).
    # "interrupted": that of the last table on this page, while only text has followed it (rule
    # "a table interrupted by wrapped text keeps its header").
    state = {"page": None, "ended": None, "carried": None, "interrupted": None}

    def flush_text() -> None:
        if not text_block:
            return
        for start, end in _pack(_paragraphs(text_block, doc.text), doc.text, target_chars, max_chars):
            builder.add(start, end, state["page"], sections.current)
        text_block.clear()

    def flush_table() -> None:
        if not table_block:
            return
        rows = [Row(s, e, line.text.split("\t")) for s, e, line in table_block]
        if starts_new_paper(table_block[0][2]) and is_key_value_block(rows):
            # "Report to: / Relevant Officer: / Date of Meeting:" is the paper's letterhead: it
            # is in the document metadata, and as a passage it only crowds out real answers.
            table_block.clear()
            return
        carried, state["carried"] = state["carried"] or state["interrupted"], None
        state["interrupted"] = None
        continued = continued_header(rows, carried) if carried is not None else None
        if continued is not None:
            header, caption = continued, carried.caption
        elif len(rows) < 2 or is_key_value_block(rows) or is_contents_block(rows):
            text_block.extend(table_block)
            table_block.clear()
            return
        else:
            header, caption = [], _caption_before(text_block, doc.text)
        flush_text()
        made = row_chunks(header + rows, caption)
        heading_rows = _lines_heading_no_row(rows, made, doc.text)
        for start, end, row in sorted([(r.start, r.end, r) for r in made] + [(s, e, None) for s, e in heading_rows],
                                      key=lambda item: item[0]):
            if row is None:
                builder.add(start, end, state["page"], sections.current)
            else:
                builder.add(row.start, row.end, state["page"], sections.current, kind="table_row",
                            context=row.context, reading=row.reading, row=row.row)
        state["ended"] = header_to_carry(header + rows, caption)
        table_block.clear()

    lines = doc.lines
    minute_headings = minute_item_headings(lines, doc.text) if headings else {}
    for index, (start, end, line) in enumerate(lines):
        if line.page != state["page"]:
            flush_table()
            flush_text()
            state["page"], state["carried"], state["ended"], state["interrupted"] = line.page, state["ended"], None, None
        next_text = _next_text(lines, index)
        if starts_new_paper(line):
            flush_table()
            flush_text()
            sections.reset()
            state["carried"] = state["ended"] = state["interrupted"] = None
        if "\t" in line.text:
            table_block.append((start, end, line))
            continue
        flush_table()
        # Text after the table: it did not end the page, but rows below the text may still be
        # its rows (a wrapped description column printed between them).
        state["interrupted"] = state["ended"] or state["interrupted"]
        state["carried"] = state["ended"] = None
        if index in minute_headings:
            # The item's heading opens a passage and names every passage of the item; its lines
            # stay in the passage, where readers of the minutes (the vote finder) look for them.
            state["interrupted"] = None
            flush_text()
            sections.push(1, minute_headings[index])
            text_block.append((start, end, line))
            continue
        level = heading_level(line, next_text) if headings else None
        if level is not None:
            state["interrupted"] = None  # a heading starts something new
            flush_text()
            sections.push(level, line.text)
            continue
        text_block.append((start, end, line))
    flush_table()
    flush_text()
    if not builder.chunks and headings and lines:
        return chunk_document(doc, document_id, id_prefix, target_chars, max_chars, headings=False)
    return builder.chunks


# Rule "a table's lines say something too": the lines of a table that head no row of it (its
# header, a group label above its first row, a row of prose read as the header) are in every
# row's context, but a context is never quoted: what they say could be found but not cited ("Thursday,
# 9 March, at 10.00 am | Ask for: | Jane Smith", read as a front sheet's column names; "B | The
# panel may respond with representations ...", an option of a table of options). So a run of such
# lines saying something, this many words or more, is a passage of its own as well; column names
# ("Service | Target | Actual", "What we have committed to | Led by | Timescale | Measure": one
# line of short names, no figure) are not.
HEADING_LINES_WORDS = 8
NAME_WORDS = 6  # a column's name is this many words or fewer
WORD = re.compile(r"[A-Za-z]{2,}")


def _names_only(run: list[Row]) -> bool:
    cells = [c for c in run[0].cells if c.strip()]
    return len(run) == 1 and all(len(c.split()) <= NAME_WORDS and not re.search(r"\d", c) for c in cells)


def _lines_heading_no_row(rows: list[Row], made: list[TableRowChunk], text: str) -> list[tuple[int, int]]:
    """The spans of runs of a table's lines that no row passage holds, of HEADING_LINES_WORDS
    words or more."""
    held = {r.start for r in made}  # a row passage is one line's span
    runs: list[list[Row]] = []
    for row in rows:
        if row.start in held:
            runs.append([])
        elif runs and runs[-1]:
            runs[-1].append(row)
        else:
            runs.append([row])
    return [(run[0].start, run[-1].end) for run in runs
            if run and not _names_only(run) and len(WORD.findall(text[run[0].start:run[-1].end])) >= HEADING_LINES_WORDS]


def _next_text(lines, index: int) -> str | None:
    return lines[index + 1][2].text if index + 1 < len(lines) else None


def _caption_before(text_block: list[tuple[int, int, Line]], text: str) -> str:
    """The short unpunctuated lines right before a table ("Waiting lists for therapies (% waiting
    more than 18 weeks) / Data as of the end of December 2023") are its caption; so is a question
    that opens the paragraph before it (`_survey_question`), and a sentence that closes it by
    pointing at the table (`_table_introduction`)."""
    if not text_block:
        return ""
    last = _paragraphs(text_block, text)[-1]
    body = text[last.start : last.end]
    if len(body) <= 300 and len(last.lines) <= 4 and not ends_sentence(body.rstrip(")")):
        return " ".join(body.split())
    return _survey_question(body) or _table_introduction(body)


# "... in the table below", "... is as follows:", "the Council had the following investments:";
# not "the following year", which points at a time.
POINTS_AT_TABLE = re.compile(
    r"\b(?:below|overleaf|as follows|the following(?!\s+(?:day|week|month|quarter|year|meeting|morning|session)s?\b))\b|:$",
    re.I)
INTRODUCTION_CHARS = 250


def _table_introduction(paragraph: str) -> str:
    """Rule "a sentence introducing a table is its caption": a report's paragraph often ends by
    saying what the table after it shows ("The table below shows the number of risks at each
    level in May, compared with February.", "As at 31 March the council held the following
    investments:"). That sentence says what every row's figures are, so it is the table's
    caption: without it a row ("High | 12 | 9") names neither the thing counted nor the month.
    Only the paragraph's last sentence, in at most INTRODUCTION_CHARS characters, when it points
    at what follows (POINTS_AT_TABLE); the paragraph stays in the text as well."""
    sentences = SENTENCE_END.split(" ".join(paragraph.split()))
    last = sentences[-1] if sentences else ""
    return last if len(last) <= INTRODUCTION_CHARS and POINTS_AT_TABLE.search(last) else ""


QUESTION_LINES = 3  # lines a question heading a table may wrap over
QUESTION_CHARS = 250
SENTENCE_END_INSIDE = re.compile(r"[.!?;:]\s")


def _survey_question(paragraph: str) -> str:
    """Rule "a survey question captions its answers": a consultation report prints the question
    asked, perhaps a note of who answered, then a table of the answers and their shares ("How
    did you hear about the consultation? / Base: all answering (412) / Leaflet | 35%"). The
    question is what every row's figure is a share of, so it is the table's caption: without it,
    "Leaflet: 35%" answers nothing. The question must open the paragraph, in at most
    QUESTION_LINES lines and be its only sentence; the note after it stays in the text."""
    lines = paragraph.splitlines()[:QUESTION_LINES]
    for k, line in enumerate(lines):
        if line.rstrip().endswith("?"):
            question = " ".join(" ".join(lines[: k + 1]).split())
            one_question = not SENTENCE_END_INSIDE.search(question[:-1])
            return question if one_question and len(question) <= QUESTION_CHARS else ""
        if ends_sentence(line):
            return ""
    return ""
