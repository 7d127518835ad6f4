"""Recorded votes in minutes: "the Chairman put the amendment set out in paragraph 7 to the vote
and the voting was as follows: For (12) ... Against (42) ... Abstain (7) ... Amendment lost."

A vote block names neither what was voted on nor who moved it: that is in the paragraph it
refers to ("paragraph 7": "Mr Brady proposed, and Ms Meade seconded the following amendment"),
often on an earlier page. Retrieval by the question's words therefore finds the motion and
never the counts. So the blocks are found once per index, each joined to the paragraph it
refers to, and a question about a vote is matched against motion and vote together."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..index.sparse import tokenize
from ..index.view import IndexView
from ..schema import Chunk
from .question import PERSON_NOUN

if TYPE_CHECKING:
    from .vote_answer import BlockWords  # vote_answer imports this module

COUNT = re.compile(r"^[ \t]*(For|Against|Abstain|Abstained|Abstentions?)[ \t]*\((\d+)\)", re.M | re.I)
COUNT_GLOB = "*([0-9]*"  # what every COUNT holds, "(12", looked for by SQLite in every passage
LEAD_IN = re.compile(r"to\s+the\s+vote|voting\s+was\s+as\s+follows|put\s+to\s+the\s+vote", re.I)
OUTCOME = re.compile(r"^[ \t]*((?:Substantive\s+)?(?:Motion|Amendment|Recommendations?|Resolution)s?\s+"
                     r"(?:as\s+amended\s+)?(?:carried|lost|agreed|fell|defeated|approved)[^\n]*)", re.I | re.M)
ITEM_HEADING = re.compile(r"^[ \t]*\d{1,4}\.[ \t]+[A-Z][^\n]{2,150}\n(?:[^\n]*\n)?[ \t]*\(Item\b", re.M)
PARAGRAPH_REF = re.compile(r"paragraph\s+(\d{1,3})", re.I)
PARAGRAPH_START = re.compile(r"^[ \t]*\(?(\d{1,3})\)[ \t]", re.M)
MOVED = re.compile(r"\b(?:proposed|seconded|moved)\b", re.I)
SENTENCE_END = re.compile(r"[.!?][\"'’”]?(?=\s+[A-Z(“\"]|\s*$)")
FARED = r"(?:happen(?:ed)?|outcome|result|pass(?:ed)?|get through|got through|succeed(?:ed)?|fail(?:ed)?|defeated|lost)"
# The people a question asks for are those of rule "a person asked for is named" (qa/question.py),
# or the parties they sit for.
SIDE_TAKEN = (rf"\b(?:which|what) (?:{PERSON_NOUN}|parties|party|political groups?)\b(?:\s+[\w'’-]+){{0,2}}?\s+"
              r"(?:opposed|oppose|against|supported|support|backed|rejected)\b|\bwho (?:opposed|(?:was|were) against)\b")
QUESTION = re.compile(r"\bvot(?:e|ed|es|ing)\b|\babstain|\bfor and against\b|\bpropos(?:ed|er)\b|\bsecond(?:ed|er)\b"
                      # "carried", not money "carried over" or "carried forward", nor work "carried out"
                      r"|\bcarried\b(?!\s+(?:over|forward|out)\b)|\bhow many (?:members|councillors)\b"
                      # how a motion or an amendment fared is its vote: "was the amendment
                      # passed", "how did the motion fare", "did members support ..."
                      rf"|\b(?:motion|amendment)\b.*\b{FARED}\b|\b{FARED}\b.*\b(?:motion|amendment)\b"
                      r"|\bdid (?:the )?(?:full |county )*(?:council|members|councillors|chamber) (?:back|support|pass|reject"
                      r"|accept|agree to|go for)\b"
                      # who took which side is read from the recorded vote: "which councillors
                      # opposed the budget", "who was against the library closures"
                      rf"|{SIDE_TAKEN}", re.I)


@dataclass
class Span:
    row: int  # chunk row in the index
    start: int  # offsets within that chunk's text
    end: int


@dataclass
class VoteBlock:
    document: str
    lead_in: Span  # "The Chairman put ... to the vote"
    counts: Span  # "For (12) ... Abstain (7) ... Amendment lost."
    tally: list[tuple[str, int, str, int]]  # (side, count, names, chunk row) as the minutes give them
    outcome: str
    subject: str  # the lead-in plus the paragraph it refers to: what was voted on
    lead: str  # the lead-in alone: it often names the question put ("part 4 ... whether ...")
    heading: str  # the agenda item's heading ("290. Section 25 Report (Item 5)")
    item: str  # the item's minutes up to the vote: what it is about
    moved: Span | None = None  # "Mr Brady proposed, and Ms Meade seconded ..."
    rows: list[int] = field(default_factory=list)
    # Where the paragraph voted on ("the motion set out in paragraph 3") lies in the document,
    # as document offsets (start, end), whole however long; None when the lead-in names none.
    body: tuple[int, int] | None = None
    # The words a question is matched against (qa/vote_answer.py's BlockWords): the same for
    # every question, so tokenized on the first question that weighs this block, not on each.
    words: BlockWords | None = field(default=None, compare=False, repr=False)

    def holds(self, document: str, start: int) -> bool:
        """Whether a sentence starting at `start` (a document offset) is part of the text voted
        on. Its start, not its end: a motion's last sentence may run on into the lead-in of the
        vote when its closing quote leaves no sentence end the splitter knows."""
        return self.body is not None and document == self.document and self.body[0] <= start < self.body[1]


def _joined(chunks: Mapping[int, Chunk], rows: list[int]) -> tuple[str, list[tuple[int, int]]]:
    """A document's text passages in order as one string, with where each chunk starts in it."""
    parts, starts, at = [], [], 0
    for row in rows:
        parts.append(chunks[row].text)
        starts.append((at, row))
        at += len(chunks[row].text) + 1
    return "\n".join(parts), starts


def _document_offset(starts: list[tuple[int, int]], chunks: Mapping[int, Chunk], at: int) -> int:
    """A position in the joined text as an offset in the document."""
    offset, row = max((s for s in starts if s[0] <= at), key=lambda s: s[0])
    return chunks[row].start + min(at - offset, len(chunks[row].text))


def _locate(starts: list[tuple[int, int]], chunks: Mapping[int, Chunk], start: int, end: int) -> Span:
    """The chunk holding `start`, and the span clipped to that chunk."""
    offset, row = max((s for s in starts if s[0] <= start), key=lambda s: s[0])
    return Span(row, start - offset, min(end, offset + len(chunks[row].text)) - offset)


def find_blocks(index: IndexView) -> list[VoteBlock]:
    blocks = []
    # Only papers with a count in a text passage can hold a vote: asked of the index in one
    # pass, so that only those papers' passages are read.
    counted = index.documents_with_text_matching(COUNT, COUNT_GLOB)
    for doc in (d for d in index.documents if d in counted):
        chunks = index.document_chunks(doc)  # by row: a block's spans name the rows they are in
        rows = sorted((r for r, c in chunks.items() if c.kind == "text"), key=lambda r: chunks[r].start)
        text, starts = _joined(chunks, rows)
        counts = list(COUNT.finditer(text))
        i = 0
        while i < len(counts):
            first = counts[i]
            group = [first]
            # One vote is the run of For/Against/Abstain lines with no lead-in between them.
            while i + 1 < len(counts) and counts[i + 1].group(1).lower() != "for" and \
                    not LEAD_IN.search(text[group[-1].end():counts[i + 1].start()]):
                i += 1
                group.append(counts[i])
            i += 1
            block = _block(doc, text, starts, chunks, group, counts[i].start() if i < len(counts) else len(text))
            if block:
                blocks.append(block)
    return blocks


def _block(doc, text, starts, chunks, group, limit) -> VoteBlock | None:
    before = text[max(0, group[0].start() - 700):group[0].start()]
    lead = None
    for lead in LEAD_IN.finditer(before):
        pass
    if lead is None:
        return None
    base = group[0].start() - len(before)
    paragraphs = list(PARAGRAPH_START.finditer(before[:lead.start()]))
    lead_start = base + (paragraphs[-1].start() if paragraphs else before.rfind("\n\n", 0, lead.start()) + 1)
    lead_end = group[0].start()
    tally, end = [], group[-1].end()
    for n, m in enumerate(group):
        stop = group[n + 1].start() if n + 1 < len(group) else min(limit, m.end() + 2500)
        names = text[m.end():stop]
        outcome = OUTCOME.search(names)
        if outcome:
            names = names[:outcome.start()]
        # The names are the first run of lines after the count, up to a blank line; a numbered
        # paragraph there means nobody was on that side.
        names = names.lstrip("\n \t")
        names = "" if PARAGRAPH_START.match(names) else re.split(r"\n[ \t]*\n", names)[0]
        tally.append((m.group(1).title(), int(m.group(2)), " ".join(names.split()), _locate(starts, chunks, m.start(), m.end()).row))
        end = m.end() + len(names)
    outcome = OUTCOME.search(text, group[-1].end(), min(limit, end + 200))
    outcome_text = ""
    if outcome:
        outcome_text = " ".join(outcome.group(1).split())
        end = outcome.end()
    lead_in = _locate(starts, chunks, lead_start, lead_end)
    counts = _locate(starts, chunks, group[0].start(), end)
    lead_text = text[lead_start:lead_end]
    subject, moved, body = lead_text, None, None
    ref = PARAGRAPH_REF.search(lead_text)
    if ref:
        # The nearest earlier paragraph with that number: minutes number paragraphs per item.
        marks = [m for m in PARAGRAPH_START.finditer(text, 0, lead_start) if m.group(1) == ref.group(1)]
        if marks:
            p_start = marks[-1].start()
            # The paragraph ends where the next one in sequence starts: the motion's own points
            # are numbered "(1)", "(2)" too, so any numbered line is not an end.
            following = str(int(ref.group(1)) + 1)
            nxt = next((m for m in PARAGRAPH_START.finditer(text, marks[-1].end(), lead_start)
                        if m.group(1) == following), None)
            whole_end = nxt.start() if nxt else lead_start
            body = (_document_offset(starts, chunks, p_start), _document_offset(starts, chunks, whole_end))
            p_end = min(whole_end, p_start + 3000)
            subject = text[p_start:p_end] + "\n" + lead_text
            if MOVED.search(text[p_start:p_end][:300]):
                moved = _locate(starts, chunks, p_start, _sentence_end(text, p_start, p_end))
    rows = list(dict.fromkeys([lead_in.row, counts.row] + ([moved.row] if moved else [])))
    headings = list(ITEM_HEADING.finditer(text, 0, lead_start))
    item = text[headings[-1].start():lead_start][:4000] if headings else ""
    heading = headings[-1].group(0) if headings else ""
    return VoteBlock(doc, lead_in, counts, tally, outcome_text, subject, lead_text, heading, item, moved, rows, body)


def _sentence_end(text: str, start: int, end: int, most: int = 450) -> int:
    """Where the paragraph's opening sentences stop: a motion is quoted whole when short, and
    cut at a sentence end (never inside a figure such as "£1.75m") when long."""
    cut = start
    for m in SENTENCE_END.finditer(text, start, end):
        if m.end() - start > most:
            break
        cut = m.end()
    if cut == start:  # one long sentence: stop at its first colon or semicolon
        clause = re.search(r"[:;]", text[start:min(end, start + most)])
        cut = start + clause.end() if clause else min(end, start + most)
    return cut


@lru_cache(maxsize=256)
def is_vote_question(text: str) -> bool:
    return bool(QUESTION.search(text))  # cached: asked again for every unit weighed (vote_words_said)


# Rule "a vote's outcome in other words": asked how a vote went, minutes that say how it ended
# ("it was agreed unanimously", "the amendment was lost", "carried", the counts "For (37)") have
# said what "vote", "go" and "pass" ask, though often not those words. Only those words: what
# was voted on must still be found in the unit or its item.
OUTCOME_SAID = re.compile(r"\b(?:agreed unanimously|unanimously agreed|(?:was|were) carried|carried unanimously|"
                          r"(?:was|were) (?:lost|defeated|not carried)|nem\.? con|put (?:\w+ ){0,8}?to the vote)\b|"
                          r"\bFor\s*\(\d+\)", re.I)
VOTE_WORDS = set(tokenize("vote voted votes voting go went fare fared pass passed result outcome carried"))


def vote_words_said(question: str, text: str) -> set[str]:
    """The question's words for a vote's outcome (stemmed) that `text` says in other words."""
    return VOTE_WORDS if is_vote_question(question) and OUTCOME_SAID.search(text) else set()


def span_text(index: IndexView, span: Span) -> str:
    return index.chunk(span.row).text[span.start:span.end]
