"""Two-part questions ("How many ..., and what is the target?"): the unit that completes the
chosen one, or two units that answer together when neither says enough of the question alone.

The answerer (qa/answerer.py) takes these methods as a mixin and supplies what they read:
`_said`, `_share_covered`, `_answers_what_is_asked`, `_key_figures`, `candidate_text` and its
cross-encoder."""

from __future__ import annotations

from ..index.sparse import tokenize
from ..schema import Passage
from .confidence import ABSTAIN_BELOW, confidence
from .figures import CHANGE_ASKED, only_changes, quantities
from .parts import FirstPart, Part, asks_two_amounts, listed_items
from .question import Question, asked_noun
from .units import Scored, Unit

COMPLETES_ABOVE = 0.45  # coverage a sentence answering only the second part of a question needs
COMPLETES_NEARBY = 0.35  # ... when it is in the same paper as the chosen one
PAIR_POOL = 25  # best units looked at for the two halves of a two-part answer
PAIR_SECONDS = 5  # units saying the second part, best first, tried with each first half
# Rule "the items a question lists": the sentence giving the items the chosen one leaves out
# follows it closely, in the same paper (at most this many characters after its end).
LIST_RESUMES_WITHIN = 200


class TwoPartAnswers:
    """The two-part answer rules, as methods of the answerer."""

    def _pair_confidence(self, q: Question, pair: tuple[Scored, Scored], factor: float) -> float:
        """How sure a two-unit answer is: the model read on what the two say together, and on
        the cross-encoder's reading of the two as one text (each half alone answers only half
        the question)."""
        own, around = (a | b for a, b in zip(self._said(pair[0].unit), self._said(pair[1].unit)))
        coverage = self._share_covered(q, q.terms, own, around) * factor
        both = " ".join(self.candidate_text(s.unit) for s in pair)
        return confidence(coverage, float(self.cross_encoder.logits(q.text, [both])[0]))

    @staticmethod
    def _text_of(s: Scored) -> str:
        return s.unit.passage.reading if s.unit.is_row else s.unit.text

    def _completing(self, q: Question, scored: list[Scored]) -> Scored | None:
        """For "..., and what is the target?" when the chosen unit does not say the target: the
        unit that does, gives what the part asks for, and is about the question."""
        part = Part(q.text)
        best = scored[0]
        if not part or part.said_by(self._text_of(best)):
            return None
        candidates = []
        for other in scored[1:40]:
            text = self._text_of(other)
            if other.unit.text == best.unit.text or not self._completes(best, other) or not part.said_by(text):
                continue
            if (part.amount or part.percent) and not quantities(text, q.text):
                continue
            candidates.append(other)
        if self._key_figures(q, best.unit):
            # Asked for two values ("the fee this year, and the number of permits"), the half
            # found gives a figure: the other half is the sentence giving one too, not the
            # nearer one saying what the term means.
            candidates = [c for c in candidates if self._key_figures(q, c.unit)] or candidates
        return self._nearest(best, candidates)

    def _completing_first(self, q: Question, scored: list[Scored]) -> Scored | None:
        """For "Which Cabinet Members did Council call on ..., and from what date ...?" when the
        chosen unit answers the date but names no Cabinet Member: the unit that names them."""
        first = FirstPart(q.text)
        best = scored[0]
        if not first or first.said_by(self._text_of(best)):
            return None
        candidates = [other for other in scored[1:40] if other.unit.text != best.unit.text
                      and self._completes(best, other) and first.said_by(self._text_of(other))]
        return self._nearest(best, candidates)

    def _completing_items(self, q: Question, scored: list[Scored]) -> Scored | None:
        """Rule "the items a question lists" (qa/parts.py, listed_items): asked for several
        named items ("how many parks were rated good, fair and poor?") when the chosen unit says some of
        them, the sentence right after it in the same paper that says all the rest ("Two were
        rated poor") completes the answer."""
        items = listed_items(q.text)
        best = scored[0]
        said = set(tokenize(self._text_of(best)))
        missing = [item for item in items if item not in said]
        if not missing or len(missing) == len(items) or best.unit.is_row:
            return None
        following = [other for other in scored[1:] if other.unit.passage.document == best.unit.passage.document
                     and not other.unit.is_row and 0 <= other.unit.start - best.unit.end <= LIST_RESUMES_WITHIN]
        for other in sorted(following, key=lambda s: s.unit.start):
            if set(missing) <= set(tokenize(other.unit.text)):
                return other
        return None

    def _completing_first_amount(self, q: Question, scored: list[Scored]) -> Scored | None:
        """Asked for two amounts (qa/parts.py, asks_two_amounts) when the chosen unit gives one
        and says what the second part asks about ("... below the floor standard of 75%"), the
        first part's amount is missing: add the unit about the first part (its own terms, read
        with the sentence before it and its heading) that gives an amount the chosen one does not."""
        if not asks_two_amounts(q.text):
            return None
        part, best = Part(q.text), scored[0]
        given = set(quantities(self._text_of(best), q.text))
        if len(given) >= 2 or not part.said_by(self._text_of(best)):
            return None
        first_terms = [t for t in q.terms if t not in part.terms]
        candidates = [other for other in scored[1:40] if other.unit.text != best.unit.text
                      and set(quantities(self._text_of(other), q.text)) - given
                      and self._share_covered(q, first_terms, *self._said(other.unit)) >= COMPLETES_ABOVE]
        # One saying the second part again is more likely another figure for that part.
        candidates = [c for c in candidates if not part.said_by(self._text_of(c))] or candidates
        return self._nearest(best, candidates)

    def _completing_amount(self, q: Question, scored: list[Scored]) -> Scored | None:
        """Asked what an amount is ("what is the grant allocation for 2025-26"), the best
        sentence may say only how it changed ("the allocation is increasing by £4,160.6k"); the
        same paper then usually gives the amount itself, often in a table row ("2025-26
        allocation ... 81,469.5"): add the unit that names the thing asked for with its amount."""
        best = scored[0]
        noun = asked_noun(q.text.lower())
        if not noun or best.unit.is_row or CHANGE_ASKED.search(q.text) or not only_changes(best.unit.text, q.text):
            return None
        for other in scored[1:40]:
            if other.unit.passage.document != best.unit.passage.document or other.coverage < COMPLETES_NEARBY:
                continue
            text = self._text_of(other)
            label = text.partition(". ")[0] if other.unit.is_row else text
            if noun not in tokenize(label) or not quantities(text, q.text):
                continue
            if CHANGE_ASKED.search(label) if other.unit.is_row else only_changes(text, q.text):
                continue  # another change ("Increase" row, "has increased by") is not the amount
            return other
        return None

    def _answering_pair(self, q: Question, scored: list[Scored], factor: float) -> tuple[Scored, Scored] | None:
        """A two-part question ("What minimum hourly rate ..., and what is KCC's pay multiple?")
        is often answered by two sentences, neither of which says enough of the question alone
        to pass the bar. Then the two together must: the best-scoring unit that answers what is
        asked and is about the first part, with a unit that says all the second part is about (and gives an amount if it
        asks one), when the pair covers the question as one unit would have to. Both from one
        paper: the two halves of one question are answered together (a pay policy's minimum
        rate and its pay multiple); halves from two papers are answers to two other questions."""
        part = Part(q.text)
        if not part or not part.terms:
            return None
        seconds = [s for s in scored[:PAIR_POOL] if self._share_covered(q, part.terms, *self._said(s.unit)) >= ABSTAIN_BELOW
                   and (not (part.amount or part.percent) or quantities(self._text_of(s), q.text))][:PAIR_SECONDS]
        first_terms = [t for t in q.terms if t not in part.terms]
        for first in scored[:PAIR_POOL]:
            if first in seconds or not self._answers_what_is_asked(q, first.unit):
                continue
            if not self._answers_first_part(q, first_terms, first.unit):
                continue
            for second in seconds:
                if second.unit.text == first.unit.text or not _same_paper(first.unit.passage, second.unit.passage):
                    continue
                own, around = (a | b for a, b in zip(self._said(first.unit), self._said(second.unit)))
                # Two sentences picked out of one paper are read with their paragraphs: "1.4 The
                # new minimum salary ..." is about the Kent Scheme pay scales of 1.3 before it.
                around |= set(tokenize(f"{first.unit.passage.text} {second.unit.passage.text}"))
                if self._share_covered(q, q.terms, own, around) * factor >= ABSTAIN_BELOW:
                    return first, second
        return None

    def _answers_first_part(self, q: Question, terms: list[str], unit: Unit) -> bool:
        """The first half of a two-part answer must be about the first part on its own, read
        with its paragraph, and name what that part names ("the Chief Executive"): an entry-level
        salary next to the pay multiple is not the Chief Executive's salary."""
        own, around = self._said(unit)
        around |= set(tokenize(unit.passage.text))
        if self._share_covered(q, terms, own, around) < COMPLETES_ABOVE:
            return False
        said = tokenize(" ".join(filter(None, [unit.passage.text, unit.passage.section, unit.passage.title])))
        pairs = set(zip(said, said[1:]))
        return all(name in pairs for name in q.names if set(name) <= set(terms))

    @staticmethod
    def _completes(best: Scored, other: Scored) -> bool:
        """About the question enough to complete the answer: a unit in the same paper as the
        chosen one needs less, since the paper is already the one that answers."""
        nearby = other.unit.passage.document == best.unit.passage.document
        return other.coverage >= (COMPLETES_NEARBY if nearby else COMPLETES_ABOVE)

    @staticmethod
    def _nearest(best: Scored, candidates: list[Scored]) -> Scored | None:
        """The other half of an answer is most often next to the half found (the next sentence,
        the rest of the motion): prefer the same paper, the nearest unit after the chosen one,
        then before it; elsewhere, the best-scoring one."""
        same = [c for c in candidates if c.unit.passage.document == best.unit.passage.document]
        if same:
            return min(same, key=lambda c: (c.unit.start < best.unit.start, abs(c.unit.start - best.unit.start)))
        return candidates[0] if candidates else None


def _same_paper(a: Passage, b: Passage) -> bool:
    return a.document == b.document or a.document in b.also_in or b.document in a.also_in
