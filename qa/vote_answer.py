"""Answering a question about a recorded vote: which motion, who moved it, and the For /
Against / Abstain counts with the outcome, each statement cited to the page that says it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..index.sparse import tokenize
from ..index.search import Filters
from ..schema import Answer, Citation, Passage
from .citations import cite
from .confidence import ABSTAIN_BELOW, confidence
from .figures import ungrounded
from .question import MONTH_NAMES, Question, spoken_date
from .units import Unit
from .votes import Span, VoteBlock, find_blocks, span_text

# Words every vote shares: they tell that a vote is asked about, not which one.
VOTE_TERMS = set(tokenize("vote voted voting votes against abstain abstained abstaining abstention "
                          "members member councillors councillor many number propose proposed "
                          "proposer second seconded seconder outcome result"))
OPENING = 800  # characters of a motion that say what it is about
SIDES = {"for": "For", "against": "Against", "abstain": "Abstain"}
FULL_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? (January|February|March|April|May|June|July|August|"
                       r"September|October|November|December) (\d{4})\b")


def _iso_dates(text: str) -> set[str]:
    return {f"{y}-{MONTH_NAMES.index(m.lower()) + 1:02d}-{int(d):02d}" for d, m, y in FULL_DATE.findall(text)}


@dataclass(frozen=True)
class BlockWords:
    """The tokens of a recorded vote that `coverage` matches a question against."""
    own: frozenset[str]  # what the vote says: its heading, the motion's opening, lead-in, outcome and date
    around: frozenset[str]  # what it is about: the rest of the motion, its item, the paper and body
    lead: frozenset[str]  # the lead-in alone


def block_words(block: VoteBlock, doc) -> BlockWords:
    """A block's words, tokenized once and kept on the block. Every question about a vote weighs
    every recorded vote in the index, and tokenizing a motion, its item (up to 4,000
    characters) and its lead-in again each time cost about 0.6 ms a vote: 0.25 s a question at
    100,000 passages (405 votes), seconds at a million."""
    if block.words is None:
        # The opening of a long motion says what it is; its schedule of figures and clauses
        # shares words with any question, so counts only as context.
        head, rest = block.subject[:OPENING], block.subject[OPENING:]
        # A vote happens on its meeting's date as surely as it is on its motion.
        own = f"{block.heading}\n{head}\n{block.lead}\n{block.outcome}\n{spoken_date(doc.meeting_date)}"
        around = " ".join(filter(None, [rest, block.item, doc.title, doc.committee]))
        block.words = BlockWords(frozenset(tokenize(own)), frozenset(tokenize(around)), frozenset(tokenize(block.lead)))
    return block.words


def coverage(answerer, q: Question) -> Callable[[VoteBlock, object], float]:
    """How much of what the question says about a vote a recorded vote's motion, lead-in and
    meeting say, as a function of (block, its document); a question naming a meeting date
    another meeting's vote cannot answer. The question's words are weighed once, here: a
    question about a vote is matched against every vote in the index, and looking up the rarity
    of its words again for each vote cost more than the matching (30 ms a question at 405 votes)."""
    ideas = answerer.weighed_ideas(q, [t for t in q.terms if t not in VOTE_TERMS])
    asked = _iso_dates(q.text)

    def covered(block: VoteBlock, doc) -> float:
        words = block_words(block, doc)
        share = answerer.share_of_ideas(q, ideas, words.own, words.around)
        # Two votes on one motion (an amendment, then a part of it): the one whose own lead-in
        # names what the question asks about.
        share += 0.1 * answerer.share_of_ideas(q, ideas, words.lead, frozenset())
        if asked and doc.meeting_date not in asked:
            share *= 0.5
        return share
    return covered


def _plain(text: str) -> str:
    text = re.sub(r"^\s*\(?\d{1,3}\)\s*", "", text)  # the minutes' paragraph number
    return " ".join(text.split()).rstrip(" :;,.")


def _sides_named(q: Question) -> list[str]:
    lower = q.text.lower()
    wanted = []
    if re.search(r"\bvoted for\b|\bin favour\b|\bsupported\b", lower):
        wanted.append("For")
    if "against" in lower or "opposed" in lower:
        wanted.append("Against")
    if "abstain" in lower:
        wanted.append("Abstain")
    return wanted


def tally_parts(q: Question, block: VoteBlock) -> list[tuple[int, str]]:
    """"For 12, Against 42, Abstain 7": every count, always (a vote is all three numbers);
    the names on a side when the question asks who."""
    asks_who = q.asks_person or bool(re.search(r"\bwho\b|\bname", q.text, re.I))  # "which member", "which cllrs"
    named = _sides_named(q) or [side for side, count, _, _ in block.tally if count <= 5]
    named = named if asks_who else []
    parts: dict[int, list[str]] = {}  # by the chunk (page) each count stands on
    for side, count, names, row in block.tally:
        side_word = "Abstain" if side.lower().startswith("abst") else side
        part = f"{side_word} {count}"
        if side_word in named and names:
            part += f" ({names.rstrip(' ,.')})"
        parts.setdefault(row, []).append(part)
    return [(row, ", ".join(p)) for row, p in parts.items()]


MOVER = re.compile(r"\b(?:moved|mover|propos(?:ed|er|ing)|second(?:ed|er)|tabled|put forward)\b", re.I)


def asks_mover(q: Question) -> bool:
    """Whether the question asks who moved, proposed or seconded what was voted on."""
    return bool(MOVER.search(q.text))


PUT_NAMED = re.compile(r"\b(amendment|motion)s?\b", re.I)


def names_what_is_put(q: Question, block: VoteBlock) -> bool:
    """Whether the vote was put on what the question asks about: asked about "the amendment",
    the vote whose lead-in or outcome says amendment, not the later vote on the motion. The
    first of the two words the question uses is what it asks about ("was the amendment to the
    motion on bus lanes carried" asks about an amendment)."""
    asked = PUT_NAMED.search(q.text)
    return bool(asked) and re.search(rf"\b{asked.group(1).lower()}s?\b", f"{block.lead} {block.outcome}", re.I) is not None


def write(answerer, q: Question, block: VoteBlock, with_mover: bool = True) -> tuple[list[str], list[tuple[Span, str]]]:
    """Statements and the span each one quotes; the mover's sentence first when `with_mover`."""
    index = answerer.index
    out: list[tuple[str, Span]] = []
    if block.moved and with_mover:
        out.append((_plain(span_text(index, block.moved)), block.moved))
    lead = _plain(span_text(index, block.lead_in))
    parts = tally_parts(q, block)
    outcome = f"; {block.outcome.rstrip('.')}" if block.outcome else ""
    # A vote can run over a page break: each statement is cited to the page it stands on.
    for i, (row, tally) in enumerate(parts):
        last = i == len(parts) - 1
        start = block.lead_in.start if row == block.lead_in.row else 0
        end = block.counts.end if row == block.counts.row else len(index.chunk(row).text)
        text = tally + (outcome if last else "")
        if i == 0 and row == block.lead_in.row:
            text = f"{lead}: {text}"
        elif i == 0:
            out.append((lead, block.lead_in))  # the counts start on the next page
            text = f"The voting was: {text}"
        out.append((text, Span(row, start, end)))
    return [text for text, _ in out], [(span, text) for text, span in out]


def citation(answerer, span: Span, n: int) -> Citation:
    chunk = answerer.index.chunk(span.row)
    return cite(answerer.index.passage(chunk), chunk.start + span.start, chunk.start + span.end, n)


class VoteAnswers:
    """Questions about a recorded vote, as methods of the answerer (qa/answerer.py), which
    supplies the index, the cross-encoder and the writing of statements and citations."""

    def recorded_votes(self) -> list[VoteBlock]:
        """Every recorded vote in the index, found on first use (a pass over the papers that
        print a count: about 0.5 s at 100,000 passages, seconds at a million), which the service
        makes while it warms up, not on a councillor's first question about a vote."""
        with self._votes_lock:  # a question arriving while the warm-up finds them waits for it
            if self._votes is None:
                self._votes = find_blocks(self.index)
            return self._votes

    def _vote(self, q: Question, shown: list[Passage], filters: Filters | None) -> Answer | None:
        """A question about a vote answered from the recorded vote it best matches, when the
        motion voted on covers the question as well as any passage would have to."""
        docs = self.index.documents
        candidates = [b for b in self.recorded_votes() if not filters or filters.accepts(docs[b.document])]
        if not candidates:
            return None
        covered = coverage(self, q)  # the question weighed once, against every vote
        ranked = sorted(candidates, key=lambda b: (-covered(b, docs[b.document]), self.index.publication_order(b.document)))
        best = ranked[0]
        if best.body:
            best = self._which_vote(q, [b for b in ranked if b.document == best.document and b.body == best.body])
        share = covered(best, docs[best.document])
        if share < ABSTAIN_BELOW:
            return None
        motion = f"{best.heading}. {best.subject[:OPENING]}"
        sure = confidence(share, float(self.cross_encoder.logits(q.text, [motion])[0]))
        return self._vote_answer(q, best, shown, sure)

    def _vote_on(self, q: Question, unit: Unit) -> VoteBlock | None:
        """Rule "vote of the motion": the recorded vote on the paragraph a unit is part of.
        Asked how a motion fared, the answerer may find its words ("resolves to: 1. Open every
        branch library on Sundays ...") where the motion's opening ("This Council notes: ...")
        shares too little with the question for the vote to be found by it; the minutes' vote on
        that paragraph answers (the one `_which_vote` picks, when several were)."""
        if unit.is_row:
            return None
        document = unit.passage.document
        on = [b for b in self.recorded_votes() if b.holds(document, unit.start)]
        return self._which_vote(q, on) if on else None

    def _which_vote(self, q: Question, votes: list[VoteBlock]) -> VoteBlock:
        """Of several votes on one paragraph (an amendment, then the motion, or its parts), the
        one put on what the question asks about ("the amendment"), then the one whose lead-in
        and motion say most of the question."""
        docs = self.index.documents
        covered = coverage(self, q)
        return max(votes, key=lambda b: (names_what_is_put(q, b), covered(b, docs[b.document])))

    def _vote_answer(self, q: Question, best: VoteBlock, shown: list[Passage], sure: float,
                     found: Unit | None = None) -> Answer | None:
        """The answer from a recorded vote (which motion, who moved it, the counts and the
        outcome), each statement cited, with `sure` as its confidence. `found`: the motion's
        words the answerer found, quoted for what was voted on in place of the mover's sentence
        (which opens a long motion with its preamble) unless the question asks who moved it."""
        quote_found = found is not None and not asks_mover(q)
        texts, spans = write(self, q, best, with_mover=not quote_found)
        statements = [self._statement(q, found, 1)] if quote_found else []
        citations = [self._citation(found, 1)] if quote_found else []
        for text, (span, _) in zip(texts, spans):
            statements.append(f"{text} [{len(citations) + 1}].")
            citations.append(citation(self, span, len(citations) + 1))
        answer = " ".join(statements)
        if ungrounded(answer, [c.passage for c in citations]):
            return None
        # The passages the answer rests on lead the list shown with it.
        used = ([found.passage] if quote_found else []) + [
            self.index.passage(self.index.chunk(r)) for r in dict.fromkeys(s.row for s, _ in spans)]
        ids = {p.id for p in used}
        shown = (list({p.id: p for p in used}.values()) + [p for p in shown if p.id not in ids])[: len(shown)]
        return Answer(answer=answer, abstained=False, citations=citations, passages=shown, confidence=round(sure, 3))
