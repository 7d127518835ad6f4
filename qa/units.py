"""Answer units: the sentences and table rows an answer is made of.

A passage is cut into sentences (a table row is one unit). A lead-in ending with ":" ("The
Committee agreed:") is kept together with the list that follows it, because a decision is the
list. Every unit keeps its offsets in the document's cleaned text, so it can be quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Passage

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-Z0-9(£\"'‘“•])|\n\s*\n")
LEAD_IN_WORDS = re.compile(r"\b(the following|as follows|(two|three|four|five|six|seven|eight|nine|ten) (areas|priorities|recommendations|actions|points|things|key|main|themes|objectives|options|changes|reasons))\b", re.I)
LIST_ITEM = re.compile(r"^\s*(?:[-•*]\s+)?(?:\(?[0-9a-z]{1,3}[.)]\s+)")
EARLIER_SENTENCES = 2
# Rule "a definite noun names its last mention": a sentence opening "The inquiry will sit for 9
# days" is about the inquiry its paragraph last mentioned ("a public inquiry into the Westmarsh
# Quarry extension"), however many sentences back; that sentence says what it is about, as the
# two before it do.
DEFINITE_OPENING = re.compile(r"^(?:[-•*]\s*)?(?:The|This|That|These|Those)\s+([a-z][a-z-]{2,})\b")


@dataclass
class Unit:
    passage: Passage
    rank: int  # the passage's rank in retrieval
    start: int  # document offsets
    end: int
    text: str
    # The sentence before, when it is in the same paragraph: what "This" or "These homes" at
    # the start of this one refers to, and what a sentence often leaves unsaid.
    before: str = ""
    before_start: int | None = None  # the document offset where `before` starts
    # Up to EARLIER_SENTENCES sentences before, in the same paragraph: what the sentence is
    # about when it names it only as "the clinic" two sentences on.
    earlier: str = ""

    @property
    def is_row(self) -> bool:
        return self.passage.kind == "table_row"


LIST_MARKER_ONLY = re.compile(r"(?:^|\n)\s*(?:[-•*]\s*)?\(?[0-9a-zA-Z]{1,3}[.)]$")
# A title or a short form before a name or a number does not end a sentence: "The keynote
# speaker was Dr. Jane Smith", "Cllr. Brown", "see No. 4".
ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Cllr|Prof|Rev|Revd|Sir|St|No|Nos|Ref|approx|cf|e\.g|i\.e)\.$")


def _spans(text: str) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for match in SENTENCE_END.finditer(text):
        if LIST_MARKER_ONLY.search(text[cursor : match.start()]):
            continue  # "- 1. To note the report": a list number, not a sentence end
        if ABBREVIATION.search(text[cursor : match.start()]) and "\n" not in text[match.start() : match.end()]:
            continue
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    # Split remaining newlines too: in papers a line break inside a passage often ends a bullet.
    out = []
    for start, end in spans:
        piece_start = start
        for line in re.finditer(r"\n", text[start:end]):
            cut = start + line.start()
            if _looks_like_new_item(text[cut + 1 : end]) or text[piece_start:cut].rstrip().endswith((".", ":", ";")):
                out.append((piece_start, cut))
                piece_start = cut + 1
        out.append((piece_start, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _looks_like_new_item(rest: str) -> bool:
    return bool(LIST_ITEM.match(rest))


def _is_title(piece: str) -> bool:
    """A short line with no closing punctuation: a caption or a label for what follows
    ("Paediatric Speech and Language Therapy - Blackpool CCG")."""
    return len(piece) < 100 and not re.search(r"[.;:!?,]$", piece)


# "The reason given in the letter is as follows:" introduces the paragraph after it (often a
# quotation), which is what it says; a list lead-in ("the following:") may introduce prose too.
INTRODUCES_PARAGRAPH = re.compile(r"\b(?:as follows|the following)\s*:$", re.I)
# A bulleted or numbered list after the lead-in is its items, each a unit of its own.
BULLET_MARK = r"[-•*▪●]"  # the marks a bulleted line opens with
BULLET = re.compile(rf"^\s*(?:{BULLET_MARK}|\(?[0-9a-zA-Z]{{1,3}}[.)])\s")
# "RESOLVED that the Council makes comments ... . In particular, the Council urges ...": minutes
# print a resolution as one paragraph, and every sentence of it is what was resolved.
RESOLUTION_START = re.compile(r"^\s*(?:\(?[0-9a-z]{1,3}[.)]\s+)?RESOLVED\b")


# Rule "a list of labelled figures reads with the paragraph before it": a bulleted list whose every
# line is a label and a figure ("• North ward:  1,204") says what is counted only in the paragraph
# above it ("The survey counted the households in each ward that keep a dog."), which papers set apart
# by a blank line and end without a colon. That paragraph, when short, is read as the list's
# sentence before, as if the two were one paragraph.
LABELLED_FIGURE = re.compile(rf"^\s*{BULLET_MARK}\s*[A-Za-z][^:\t\n]{{0,60}}(?::\s*|\t\s*)[£$]?\d[\d,.]*\s*(?:%|[A-Za-z]{{1,5}})?\s*$")
LABELLED_LIST_LINES = 2  # fewer lines than this are a sentence, not a list
INTRODUCTION_UP_TO = 300  # characters: a longer paragraph is more than an introduction


def is_labelled_figure_list(text: str) -> bool:
    """Whether a unit is a bulleted list of labels with figures, and nothing else."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= LABELLED_LIST_LINES and all(LABELLED_FIGURE.match(line) for line in lines)


def _same_paragraph(text: str, end: int, start: int) -> bool:
    return "\n\n" not in re.sub(r"[ \t]+", "", text[end:start])


def _merge_lead_ins(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    in_list = after_title = False
    open_paragraph = False  # the unit so far runs on to the end of its paragraph
    for start, end in spans:
        piece = text[start:end].strip()
        continues = open_paragraph and merged and _same_paragraph(text, merged[-1][1], start)
        if merged and ((in_list and LIST_ITEM.match(piece)) or after_title or continues):
            merged[-1] = (merged[-1][0], end)
            after_title = after_title and _is_title(piece)
            open_paragraph = bool(continues)
            continue
        if merged and INTRODUCES_PARAGRAPH.search(text[merged[-1][0]:merged[-1][1]]) and not BULLET.match(piece):
            merged[-1] = (merged[-1][0], end)  # the paragraph a lead-in introduces
            open_paragraph, in_list, after_title = True, False, False
            continue
        merged.append((start, end))
        # "The inspectors identified four areas of weakness ..." introduces the list below it
        # as surely as a colon does.
        in_list = piece.endswith(":") or bool(LEAD_IN_WORDS.search(piece))
        after_title = _is_title(piece) and not is_labelled_figure_list(piece)  # a short list is no title
        open_paragraph = bool(RESOLUTION_START.match(piece)) and not piece.endswith(":")
    return merged


def units_of(passage: Passage, rank: int) -> list[Unit]:
    if passage.kind == "table_row":
        return [Unit(passage, rank, passage.start, passage.end, passage.text)]
    text = passage.text
    units: list[Unit] = []
    previous_end = None
    paragraph: list[str] = []  # the units before this one in its paragraph
    for start, end in _merge_lead_ins(text, _spans(text)):
        raw = text[start:end]
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        if end > start:
            # (the list test first: it fails on a unit's first line, before any paragraph is joined)
            joined = bool(units) and (_same_paragraph(text, previous_end, start) or (
                is_labelled_figure_list(text[start:end])
                and len(" ".join(paragraph + [units[-1].text])) <= INTRODUCTION_UP_TO))
            paragraph = paragraph + [units[-1].text] if joined else []
            units.append(Unit(passage, rank, passage.start + start, passage.start + end, text[start:end],
                              units[-1].text if joined else "", units[-1].start if joined else None,
                              " ".join(_named_earlier(text[start:end], paragraph))))
            previous_end = end
    return units


def _named_earlier(sentence: str, paragraph: list[str]) -> list[str]:
    """The sentences before `sentence` in its paragraph that say what it is about: the last
    EARLIER_SENTENCES, and the last one further back naming the noun it opens with (rule "a
    definite noun names its last mention")."""
    recent, further = paragraph[-EARLIER_SENTENCES:], paragraph[:-EARLIER_SENTENCES]
    opening = DEFINITE_OPENING.match(sentence)
    if not opening or not further:
        return recent
    noun = re.compile(rf"\b{re.escape(opening.group(1))}\b", re.I)
    if any(noun.search(s) for s in recent):
        return recent
    mention = next((s for s in reversed(further) if noun.search(s)), None)
    return ([mention] if mention else []) + recent


# Rule "an answer that points back carries what it points to": a sentence opening with a word
# that stands for something said just before ("It has a population of 141,100", "She added that
# the pilot had ended", "The latter committee agreed") answers nothing on its own. Not the "it"
# of "it was agreed that", which points at what follows, nor "this Council" of a motion.
POINTS_BACK = re.compile(
    r"^(?:[-•*]\s*)?(?:(?:this|these|that|those|such)\b(?!\s+(?:council|report|paper|motion|committee|cabinet)\b)"
    r"|it(?!\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be)\s+\w+\s+(?:that|to|whether)\b)\b"
    r"|its|they|their|them|he|she|his|her|both|the\s+(?:latter|former|same))\b", re.I)  # whole words: not "Health", "History"
# The sentence before is quoted with it only when it is short enough to read in a chat box.
POINTED_AT_UP_TO = 300


def with_what_it_points_to(unit: Unit) -> Unit:
    """Rule "an answer that points back carries what it points to": a sentence that opens by
    pointing back, quoted with the sentence before it in its paragraph (one span of the paper,
    so the citation still quotes it exactly); any other unit as it is."""
    if unit.is_row or unit.before_start is None or len(unit.before) > POINTED_AT_UP_TO or not POINTS_BACK.match(unit.text):
        return unit
    p = unit.passage
    return Unit(p, unit.rank, unit.before_start, unit.end, p.text[unit.before_start - p.start:unit.end - p.start])


def pieces(text: str) -> tuple[str, list[str]]:
    """A unit as its lead-in and the items or blocks after it: "Cabinet resolved the following:"
    and "a. NOTE ...", "b. CONFIRM ...". Lines that continue an item stay with it; a unit with
    no list items and no blank lines is one piece (its line breaks are only the page's wrapping)."""
    blocks: list[list[str]] = [[]]
    blank = False
    for line in text.split("\n"):
        if not line.strip():
            blank = True
            continue
        if blocks[-1] and (LIST_ITEM.match(line) or blank):
            blocks.append([])
        blocks[-1].append(line.strip())
        blank = False
    joined = [" ".join(block) for block in blocks if block]
    if len(joined) < 2:
        return text, []
    return joined[0], joined[1:]


@dataclass
class Scored:
    """A unit as a candidate answer: its score, how much of the question it covers, and the
    cross-encoder's reading of it."""

    unit: Unit
    score: float
    coverage: float
    relevance: float | None = None  # the cross-encoder's logit, for the units it read
    chance: float | None = None  # how likely it holds the answer (qa/learned_confidence.py), for the units read
    gives_kind: bool = False  # it gives the kind of answer asked for (_answers_what_is_asked), for the units read
    features: dict[str, float] | None = None  # what the score was made of (qa/weights.py)


def with_caption(unit: Unit, text: str) -> str:
    """What a unit says with its table's caption: a row's unit ("weeks", "£000s") is often only there."""
    return f"{text} {caption(unit.passage)}" if unit.is_row else text


def caption(p: Passage) -> str:
    """A table row's caption."""
    return p.row.caption if p.row is not None else ""


def label_headers(p: Passage) -> str:
    """The header over a row's label columns ("Service"): what the row's label is one of."""
    return p.row.label_header if p.row is not None else ""
