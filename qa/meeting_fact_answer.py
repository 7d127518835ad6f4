"""Answering what a question asks about a named meeting itself, from the typed fields of that
meeting's agenda front sheet and minutes (rule "a meeting's own facts", qa/meeting_record.py):
each fact is quoted from the span of the paper that says it, and cited there."""

from __future__ import annotations

from ..index.search import Filters
from ..schema import Answer, Citation, Passage
from .answer_kinds import names_a_person
from .citations import cite
from .figures import ungrounded
from .meeting_record import FROM_AGENDA, LABELS, MeetingFact, agenda_record, fact_asked, minutes_record
from .question import Question, spoken_date
from .units import Scored, units_of

MEETINGS_LISTED = 3  # a month with several meetings of the body named: each one's fact, up to this many


class MeetingFactAnswers:
    """The answerer's part for rule "a meeting's own facts"; mixed into qa/answerer.Answerer."""

    def meeting_record(self, doc_id: str) -> dict[str, MeetingFact]:
        """The fields an agenda or minutes give about their meeting, read once per paper."""
        records = self._meeting_records
        if doc_id not in records:
            doc = self.index.document(doc_id)
            text = self.index.document_text(doc_id) or ""
            if doc is None or doc.doc_type not in ("agenda", "minutes"):
                records[doc_id] = {}
            elif doc.doc_type == "minutes":
                records[doc_id] = minutes_record(text)
            else:
                chunks = self.index.document_chunks(doc_id).values()
                pages = sorted({c.page for c in chunks if c.page is not None})[:2]
                ends = [c.end for c in chunks if c.page in pages]
                records[doc_id] = agenda_record(text, doc.meeting_date, max(ends) if ends else None)
        return records[doc_id]

    def _fact_passage(self, doc_id: str, fact: MeetingFact) -> tuple[Passage, int, int] | None:
        """The passage holding a span that says a fact, and the span: none when the span is in
        no passage (a letterhead, kept as metadata), since what cannot be cited is not said."""
        chunks = self.index.document_chunks(doc_id).values()
        for start, end in fact.spans():
            for chunk in chunks:
                if chunk.start <= start and end <= chunk.end:
                    return self.index.passage(chunk), start, end
        return None

    def _meeting_fact(self, question: str, q: Question, filters: Filters | None, shown: list[Passage]) -> Answer | None:
        """The answer from the named meeting's own papers, or None when the question asks no
        such fact, names no meeting, or no paper of it gives the fact."""
        field = fact_asked(question)
        named = self.meetings.named_in(question) if field else set()
        papers = [d for d in map(self.index.document, named) if d and (filters is None or filters.accepts(d))]
        if not papers:
            return None
        # The agenda says what was planned, the minutes what happened: each field read first from
        # the paper that is its record.
        first = "agenda" if field in FROM_AGENDA else "minutes"
        papers.sort(key=lambda d: (d.meeting_date or "", d.committee or "", d.doc_type != first, d.id))
        found: dict[tuple[str, str], tuple[MeetingFact, tuple[Passage, int, int]]] = {}
        for doc in papers:
            meeting = (doc.meeting_date or "", doc.committee or "")
            fact = self.meeting_record(doc.id).get(field)
            if meeting in found or fact is None or (q.asks_person and not names_a_person(fact.value)):
                continue  # rule "a person asked for is named": "apologies from one member" names no one
            quoted = self._fact_passage(doc.id, fact)
            if quoted is not None:
                found[meeting] = (fact, quoted)
        if not found:
            return None
        statements: list[str] = []
        citations: list[Citation] = []
        for (day, body), (fact, (passage, start, end)) in list(found.items())[:MEETINGS_LISTED]:
            n = len(citations) + 1
            which = f"{body}, {spoken_date(day)}: " if len(found) > 1 else ""
            statement = f"{which}{LABELS[field]} {fact.value} [{n}]."
            citation = cite(passage, start, end, n)
            if ungrounded(statement, [citation.passage, citation.quote]):
                continue
            statements.append(statement)
            citations.append(citation)
        if not statements:
            return None
        # The passages quoted come first among those shown: the reader checks the answer there.
        cited = {c.passage_id for c in citations}
        quoted = [p for _, (p, _, _) in found.values() if p.id in cited]
        shown = (quoted + [p for p in shown if p.id not in cited])[:len(shown)]
        return Answer(answer=" ".join(statements), abstained=False, citations=citations, passages=shown,
                      confidence=self._fact_confidence(q, citations[0], quoted))

    def _fact_confidence(self, q: Question, citation: Citation, passages: list[Passage]) -> float | None:
        """The learned confidence (qa/learned_confidence.py) that the quoted unit answers the
        question, as for any answer. It is reported, not a gate: a typed field is the kind of
        answer asked for, which the learned model's features cannot see on a front sheet."""
        passage = next(p for p in passages if p.id == citation.passage_id)
        unit = next((u for u in units_of(passage, 0) if u.start <= citation.start < u.end), None)
        if unit is None:
            return None
        scored: list[Scored] = self._rerank(q, [self._score(q, unit)])
        return None if scored[0].chance is None else round(scored[0].chance, 3)
