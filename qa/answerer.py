"""The offline answerer: no language model. It retrieves passages, cuts them into sentences and
table rows, scores each against the question, and writes a short answer from the best ones,
each statement carrying its [n]. Every figure in the answer is checked against the cited
passages before the answer is returned; when the papers do not answer, it abstains and says
which documents it looked at."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..index.search import Filters, Searcher
from ..index.sparse import tokenize
from ..schema import Answer, Citation, Passage
from . import vote_answer
from .citations import cite
from .confidence import ANSWER_AT, confidence
from .cross_encoder import load_cross_encoder
from .figures import (
    CHANGE_ASKED,
    MONEY_MENTION,
    figures,
    gives_date,
    gives_duration,
    gives_time,
    only_changes,
    quantities,
    sums_of_money,
    ungrounded,
)
from .parts import FirstPart, Part, asks_only_when, asks_two_amounts
from .periods import names_another_period
from .rows import reports_month_asked, row_statement
from .question import MONTH_NAMES, Question, analyse, asked_noun, spell_dates, spoken_date
from .units import LIST_ITEM, Unit, pieces, units_of
from .vocabulary import clipped_forms, initialisms, typed_initialisms
from .votes import VoteBlock, find_blocks, is_vote_question
from .weights import RELEVANCE_WEIGHT, unit_score

RETRIEVE = 20  # passages considered for the answer
SHOWN = 10  # passages returned for inspection
# The share of the question's (rarity-weighted) terms a unit that says most of the question
# covers: enough to answer with whatever the learned confidence (measured on the tune split, the
# two together answered more questions right than either alone, in every set and in the
# paraphrases); and what a recorded vote's motion, two units answering together, or a second
# paper's different figure must cover.
ABSTAIN_BELOW = 0.55
COMPLETES_ABOVE = 0.45  # coverage a sentence answering only the second part of a question needs
COMPLETES_NEARBY = 0.35  # ... when it is in the same paper as the chosen one
NEAR_TOP = 0.1  # how far below the best score a unit that answers may be chosen instead
PAIR_POOL = 25  # best units looked at for the two halves of a two-part answer
PAIR_SECONDS = 5  # units saying the second part, best first, tried with each first half
COMMON_IDF = 1.5  # rarer than this (in under about a fifth of passages), a word picks passages out
DECISION_WORDS = re.compile(r"\b(agreed|resolved|RESOLVED|approved|decided|noted|agree|approve|endorsed|carried|lost)\b")
PROCEDURAL = re.compile(r"take (this|the) item|in conjunction with|true and correct record|signed by the chair"
                        r"|declarations? of interest|date and time of the next meeting", re.I)
COUNT_WORDS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|list)\b", re.I)
RESOLUTION = re.compile(r"\b(agreed|resolved|RESOLVED|decided)( that)?:")
# "What reason did the Minister give ...", "why was ...": the answer says why.
REASON_ASKED = re.compile(r"\b(?:what|which|the) (?:reasons?|grounds?|rationale|justification)\b|^\s*why\b", re.I)
GIVES_REASON = re.compile(r"\b(?:because|due to|owing to|as a result of|on the grounds|concerns? (?:about|over|that)"
                          r"|reasons? (?:for|was|is|were|are)|in order to|so that)\b", re.I)
TARGET_WORDS = re.compile(r"\b(target|aim|aims|aiming|intention|intend|ambition|goal|below|above|floor|by (?:the end of )?\w+ \d{4})\b", re.I)
# An answer is read in a chat box: a unit longer than this that is a lead-in and a list keeps only
# the items that answer.
TRIM_ABOVE = 300
LIST_ASKED = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\b(?!-)|\blist\b", re.I)  # not "ten-year"
KEEP_ITEM = 0.8  # an item is kept when it says nearly as much of the question as the best item
PRINTING_OPENING = 200  # units of one paper opening with this many characters in common are one text printed twice
# How a sentence reports that something ended one way or another.
OUTCOME_SAID = re.compile(r"\b(outcome|result(?:ed|s)?|ruled|ruling|judg(?:e)?ment|verdict|dismissed|upheld|rejected|won|lost"
                          r"|(?:un)?successful|succeeded|failed|concluded|found (?:that|in favour)|decided|agreed|approved"
                          r"|refused|granted|quashed|overturned|awarded|determined|confirmed|withdrawn)\b", re.I)
# ... and that it has not happened yet.
STILL_TO_COME = re.compile(r"\b(upcoming|forthcoming|pending|awaited|awaiting|yet to|to be heard|due to be|"
                           r"will be (?:heard|decided|considered|determined))\b", re.I)
PERSON = re.compile(r"\b(Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr|Chair|Chairman|Director|Manager|Officer)\b")


# The cross-encoder (qa/cross_encoder.py) reads the best-scoring units with the question and
# adds its learned relevance to their scores (weighted in qa/weights.py). A pool of 12 units found
# as much as one of 40, at about 25 ms a unit.
RERANK_POOL = 12


@dataclass
class Scored:
    unit: Unit
    score: float
    coverage: float
    relevance: float | None = None  # the cross-encoder's logit, for the units it read
    features: dict[str, float] | None = None  # what the score was made of (qa/weights.py)


class Answerer:
    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.cross_encoder = load_cross_encoder(searcher.settings.reranker_path())
        self._idf = self._document_frequencies()
        self._votes: list[VoteBlock] | None = None  # found on the first question about a vote
        self._bodies = sorted({d.committee for d in searcher.data.documents.values() if d.committee}, key=len, reverse=True)

    def _document_frequencies(self) -> tuple[dict[str, float], float]:
        retriever = self.searcher.sparse.retriever
        n = max(self.searcher.sparse.size, 1)
        indptr = np.asarray(retriever.scores["indptr"])
        df = np.diff(indptr)
        idf = {token: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for token, i in retriever.vocab_dict.items() if i < len(df)}
        return idf, math.log(1 + (n + 0.5) / 0.5)

    def idf(self, term: str) -> float:
        table, unseen = self._idf
        return table.get(term, unseen)

    # -- scoring -------------------------------------------------------------------------

    def _coverage(self, q: Question, unit: Unit) -> float:
        if not q.terms:
            return 0.0
        own, around = self._said(unit)
        if q.initialisms:
            p = unit.passage
            own |= q.initialisms & initialisms(unit.passage.reading if unit.is_row else unit.text)
            around |= q.initialisms & initialisms(" ".join(filter(None, [unit.before, p.section, p.context, p.title])))
        return self._share_covered(q, q.terms, own, around)

    def question(self, text: str) -> Question:
        """A question analysed, with the words it uses that the papers never do read as the
        papers write them (qa/vocabulary.py)."""
        q = analyse(text)
        vocabulary = self.searcher.sparse.retriever.vocab_dict
        q.alternatives += [{t} | forms for t in q.terms if (forms := clipped_forms(t, vocabulary))]
        q.initialisms = typed_initialisms(text, vocabulary) & set(q.terms)
        return q

    @staticmethod
    def _said(unit: Unit) -> tuple[set[str], set[str]]:
        """The words a unit says, and the words of what it is about."""
        p = unit.passage
        # A row's caption and column headers are part of what the row says; the section, the
        # paper's title, body and meeting date are what it is about.
        own = set(tokenize(spell_dates(" ".join([unit.text, p.reading, _label_headers(p)] if unit.is_row else [unit.text]))))
        if RESOLUTION.search(unit.text):
            own |= set(tokenize(p.section or ""))  # a resolution is about its agenda item
        around = set(tokenize(" ".join(filter(None, [p.section, p.context, p.title, p.committee, spoken_date(p.meeting_date)]))))
        # The sentence before says what "This" or "These homes" refers to, and names what a
        # sentence after it leaves unsaid ("The council's share is £2.1m" after one naming the
        # Cycling Fund).
        around |= set(tokenize(spell_dates(unit.before)))
        return own, around

    def _share_covered(self, q: Question, terms: list[str], own: set[str], around: set[str]) -> float:
        """The rarity-weighted share of the question's ideas a unit says (`own`) or is about
        (`around`, worth less)."""
        if not terms:
            return 0.0
        # Each idea in the question weighs as much as its rarest word; a spelled-out name and
        # its acronym are one idea, found if either is.
        # An idea weighs by the words the question used, and is found by any of its forms
        # ("hold" asked, "held" said).
        ideas = [(group & set(terms), group) for group in q.alternatives if group & set(terms)]
        grouped = set().union(*(asked for asked, _ in ideas)) if ideas else set()
        ideas += [({t}, {t}) for t in terms if t not in grouped]
        total = got = 0.0
        for asked, forms in ideas:
            weight = max(self.idf(t) for t in asked)
            total += weight
            if forms & own:
                got += weight
            elif forms & around:
                got += 0.6 * weight
        return got / total if total else 0.0

    @staticmethod
    def _shared_bigrams(q: Question, unit: Unit) -> int:
        """Question word pairs that the unit repeats in order ("children in care")."""
        said = tokenize(unit.passage.reading if unit.is_row else unit.text)
        return len(q.pairs & set(zip(said, said[1:])))  # q.pairs: tokenised once per question

    def acting_body(self, q: Question) -> str | None:
        """The body a decision question is about: "What did Cabinet agree ... about the County
        Council elections" asks what Cabinet agreed, whatever else the question names."""
        for body in self._bodies:
            if re.search(rf"\b(?:did|has|have|had|does|do)\s+(?:the\s+)?{re.escape(body)}\s+(?:\w+\s+)?"
                         r"(?:agree|decide|resolve|approve|endorse|recommend|note|confirm)\b", q.text, re.I):
                return body
        return None

    def _score(self, q: Question, unit: Unit, body: str | None = None) -> Scored:
        features = self.unit_features(q, unit, body)
        return Scored(unit, unit_score(features), features["coverage"], features=features)

    def unit_features(self, q: Question, unit: Unit, body: str | None = None) -> dict[str, float]:
        """What the scorer knows about a unit as a candidate answer: named features, each one
        general rule about the kind of answer asked for (qa/weights.py weighs them; only the
        features that apply are present)."""
        text = unit.passage.reading if unit.is_row else unit.text
        whole = f"{unit.passage.context} {text}".lower()
        f: dict[str, float] = {"coverage": self._coverage(q, unit), "retrieval_rank": 1 / (1 + unit.rank)}
        # Asked for a budget or a rate, a sentence whose only figures are dates ("agreed on 13th
        # February 2025") has not given it; asked when, a date is the figure.
        has_number = bool(figures(text) if q.wants_date else quantities(text, q.text))
        if q.wants_number:
            f["number_given" if has_number else "number_missing"] = 1.0
        if q.asks_duration:
            # "How long are children waiting?" is answered by "Average wait: 26 weeks", not by
            # "one of the four areas of concern was long waits" however many words it shares.
            f["duration_given" if gives_duration(_with_caption(unit, text)) else "duration_missing"] = 1.0
        if q.wants_percent and "%" in text:
            f["percent_given"] = 1.0
        f["word_pairs_shared"] = min(self._shared_bigrams(q, unit), 4)
        if q.kind == "decision":
            if not DECISION_WORDS.search(unit.text):
                f["decision_missing"] = 1.0  # asked what was decided: discussion is not the answer
            else:
                f["decision_said"] = 1.0
                if RESOLUTION.search(unit.text):
                    f["resolution"] = 1.0  # the resolution itself, not the discussion before it
                if PROCEDURAL.search(unit.text):
                    f["procedural"] = 1.0  # "agreed to take this item with item 6" decides nothing asked about
        if body and unit.passage.committee:
            # Another body's resolution on the same subject is not what this body agreed. What the
            # body itself resolved is in its minutes; the other papers of its meeting (a report's
            # recommendations, an appended Cabinet Member's record of decision) were put to it.
            if unit.passage.committee != body:
                f["other_body"] = 1.0
            elif unit.passage.doc_type == "minutes":
                f["body_minutes"] = 1.0
        if q.wants_date and gives_date(unit.text, q.years):
            f["date_given"] = 1.0
        if REASON_ASKED.search(q.text) and GIVES_REASON.search(text):
            f["reason_given"] = 1.0  # asked why, the sentence that gives a reason ("due to concerns about ...")
        if COUNT_WORDS.search(q.text) and len(re.findall(r"(?m)^\s*(?:[-•*]\s*)?\(?\d{1,2}[.)]\s", unit.text)) >= 2:
            f["list_given"] = 1.0  # "what were the four areas ...": the answer is a list
        if q.kind == "target" and TARGET_WORDS.search(text):
            f["target_said"] = 1.0
        f.update(self._names_what_is_asked(q, text))
        if q.wants_person and PERSON.search(unit.text):
            f["person_named"] = 1.0
            if "chair" in q.terms and re.search(r"\(in the chair\)|as chair", unit.text, re.I):
                f["chair_formula"] = 1.0  # the minutes' own formula for who chaired
        if unit.passage.meeting_date in q.days and unit.passage.doc_type != "agenda":
            # "the report to Cabinet on 3 June 2024": the paper of the meeting named,
            # not a later report repeating the same sentence. (An agenda lists that meeting's
            # item titles, which name everything and answer nothing.)
            f["meeting_named"] = 1.0
        months = sum(1 for my in q.month_years if my in whole or my in (unit.passage.section or "").lower())
        if months:
            f["month_named"] = months
        if unit.passage.row is not None and q.month_years and q.kind != "target":
            # Two printings of one table, the later with the period's outcome filled in: the
            # row reporting what happened in the month asked about answers, its target does not.
            if reports_month_asked(q, unit.passage.row):
                f["month_outcome_row"] = 1.0
        # Long units (a work-plan cell, a whole list of items) share words with every question;
        # an answer is a sentence or a row a person can read at a glance.
        if len(text) > 500:
            f["length_over_500"] = min(3.0, (len(text) - 500) / 500)
        if not unit.is_row and (len(unit.text) < 25 or (len(unit.text) < 150 and not re.search(r"[.;:!?)]$", unit.text))):
            f["fragment"] = 1.0  # fragments, captions and headings say nothing alone
        return f

    @staticmethod
    def _names_what_is_asked(q: Question, text: str) -> dict[str, float]:
        """Some questions name the word the answer turns on. "Was it approved, deferred or
        withdrawn?" is answered by the sentence that says one of the options (one that says
        none only reports the meeting; one that lists them all restates the question). "How
        many were rated Red?" is answered by the sentence that names Red, not the one counting
        the Green and Amber ones."""
        said = set(tokenize(text))
        f: dict[str, float] = {}
        for options in q.choices:
            named = len(options & said)
            key = "one_option_named" if named == 1 else "no_option_named" if named == 0 else ""
            if key:
                f[key] = f.get(key, 0.0) + 1.0
        if q.category:
            f["category_named" if said & set(q.category) else "category_missing"] = 1.0
        return f

    # -- writing -----------------------------------------------------------------------

    @staticmethod
    def _row_sentence(q: Question, unit: Unit) -> str:
        """A table row as a sentence with its headers, led by the values asked for (qa/rows.py).
        A passage from an index written before rows were records has only its reading."""
        row = unit.passage.row
        return row_statement(q, row) if row is not None else unit.passage.reading or unit.text

    @staticmethod
    def _text_sentence(text: str) -> str:
        lines = [LIST_ITEM.sub(lambda m: m.group(0).lstrip("-•* "), line.strip()) for line in text.split("\n")]
        return " ".join(" ".join(line.split()) for line in lines if line)

    def _focused_text(self, q: Question, unit: Unit) -> str:
        """A long resolution or motion quoted whole buries its answer: "Cabinet resolved the
        following:" with only the item that says what was asked ("b. CONFIRM the decision ...
        unchanged") answers at a glance. The lead-in stays, since it says who decided what."""
        if len(unit.text) <= TRIM_ABOVE or LIST_ASKED.search(q.text):
            return unit.text  # "what were the four areas ...": the whole list is the answer
        lead, items = pieces(unit.text)
        if not items:
            return unit.text
        first = FirstPart(q.text)
        if first and first.said_by(lead) and not any(first.said_by(item) for item in items):
            # "Which Cabinet Members did Council call on?": the lead-in names them; the list
            # after it is what they were asked to do, which was not asked.
            return f"{lead} …"
        if len(items) < 2:
            return unit.text
        shares = [self._share_covered(q, q.terms, set(tokenize(spell_dates(item))), set()) for item in items]
        best = max(shares)
        if best == 0:
            return unit.text
        return "\n".join([lead] + [item for item, share in zip(items, shares) if share >= KEEP_ITEM * best])

    def _statement(self, q: Question, unit: Unit, n: int) -> str:
        sentence = self._row_sentence(q, unit) if unit.is_row else self._text_sentence(self._focused_text(q, unit))
        sentence = sentence.rstrip()
        if sentence.endswith((".", ";", ":")):
            sentence = sentence[:-1]
        return f"{sentence} [{n}]."

    @staticmethod
    def _citation(unit: Unit, n: int) -> Citation:
        return cite(unit.passage, unit.start, unit.end, n)

    # -- the whole thing ---------------------------------------------------------------

    def answer(self, question: str, top_k: int = SHOWN, filters: Filters | None = None) -> Answer:
        q = self.question(question)
        passages = self.searcher.search(question, k=max(RETRIEVE, top_k), filters=filters)
        shown = passages[: max(top_k, SHOWN)]
        if is_vote_question(question):
            answered = self._vote(q, shown, filters)
            if answered:
                return answered
        scored = self._rerank(q, self.word_scored(q, passages))
        # The answer is the best unit, by its words and the cross-encoder's reading, that gives
        # the kind of answer asked for and either says most of what the question asks about or
        # is more likely right than not (qa/confidence.py), which admits an answer in other words
        # than the question's. One scoring nearly as well as the best of those but covering the
        # question ("the net revenue budget requirement of £1,530.9m") beats one that only shares
        # its frame ("the budget was agreed on 13th February"). Units that do not give the kind
        # asked for set no bar: asked when, the sentence sharing most words but giving no date
        # does not shut out the one that gives it.
        factor = self._name_factor(q, passages)
        giving = [s for s in scored if s.relevance is not None and self._answers_what_is_asked(q, s.unit)]
        candidates = [s for s in giving if s.score >= giving[0].score - NEAR_TOP]
        sure = [confidence(s.coverage * factor, s.relevance) for s in candidates]
        answering = [s for s, p in zip(candidates, sure) if p >= ANSWER_AT or s.coverage * factor >= ABSTAIN_BELOW]
        # How sure: of the unit answered with, or, abstaining, of the best candidate there was.
        certainty = sure[candidates.index(answering[0])] if answering else max(sure, default=0.0)
        if answering:
            scored = answering + [s for s in scored if s not in answering]
            chosen = [(scored[0], "")]
            conflict = self._conflicting(q, scored)
            if conflict:
                other = conflict.unit.passage
                chosen.append((conflict, f"Another paper, {_plain_name(other)}, gives a different figure: "))
            completing = self._completing(q, scored)
            if completing and not conflict:
                chosen.append((completing, ""))
            first = self._completing_first(q, scored)
            if first and not conflict and not completing:
                chosen.insert(0, (first, ""))  # the parts in the order the question asks them
            amount = self._completing_amount(q, scored)
            if amount and not conflict and not completing and not first:
                chosen.append((amount, ""))
            other_amount = self._completing_first_amount(q, scored)
            if other_amount and not conflict and not completing and not first and not amount:
                chosen.insert(0, (other_amount, ""))
        else:
            pair = self._answering_pair(q, scored, factor)
            if not pair:
                return self._abstain(question, passages, certainty)
            chosen = [(pair[0], ""), (pair[1], "")]
            certainty = self._pair_confidence(q, pair, factor)
        statements, citations = [], []
        for n, (item, lead) in enumerate(chosen, start=1):
            statement = self._statement(q, item.unit, n)
            citation = self._citation(item.unit, n)
            if ungrounded(statement, [citation.passage, citation.quote]):
                continue  # never return a figure the cited passage does not carry
            statements.append(lead + statement)
            citations.append(citation)
        if not statements:
            return self._abstain(question, passages, certainty)
        for i, c in enumerate(citations, start=1):
            c.n = i
            statements[i - 1] = re.sub(r"\[\d+\]\.$", f"[{i}].", statements[i - 1])
        text = " ".join(statements)
        if ungrounded(text, [c.passage + "\n" + c.quote for c in citations]):
            return self._abstain(question, passages, certainty)  # the last word: no unchecked figure leaves here
        return Answer(answer=text, abstained=False, citations=citations, passages=shown, confidence=round(certainty, 3))

    def _pair_confidence(self, q: Question, pair: tuple[Scored, Scored], factor: float) -> float:
        """How sure a two-unit answer is: the model read on what the two say together, and on
        the cross-encoder's reading of the two as one text (each half alone answers only half
        the question)."""
        own, around = (a | b for a, b in zip(self._said(pair[0].unit), self._said(pair[1].unit)))
        coverage = self._share_covered(q, q.terms, own, around) * factor
        both = " ".join(self.candidate_text(s.unit) for s in pair)
        return confidence(coverage, float(self.cross_encoder.logits(q.text, [both])[0]))

    def word_scored(self, q: Question, passages: list[Passage]) -> list[Scored]:
        """Every unit of the passages, scored by the words and kinds of answer it shares with the
        question, best first, a text printed several times in one paper kept once."""
        body = self.acting_body(q) if q.asks_decision else None
        return self._last_printings(sorted((self._score(q, u, body) for rank, p in enumerate(passages)
                                            for u in units_of(p, rank)), key=lambda s: -s.score))

    @staticmethod
    def candidate_text(unit: Unit) -> str:
        """What the cross-encoder reads of a unit: a row with its caption and headers, a
        sentence with the heading of its section (which often names what the sentence leaves
        unsaid)."""
        p = unit.passage
        if unit.is_row:
            caption = _caption(p)
            return f"{caption}. {p.reading or unit.text}" if caption else (p.reading or unit.text)
        heading = (p.section or "").split(" › ")[-1]
        return f"{heading}. {unit.text}" if heading else unit.text

    def _rerank(self, q: Question, scored: list[Scored]) -> list[Scored]:
        """The best units, read by the cross-encoder with the question, rescored and re-sorted."""
        if not scored:
            return scored
        pool = scored[:RERANK_POOL]
        logits = self.cross_encoder.logits(q.text, [self.candidate_text(s.unit) for s in pool])
        for s, logit in zip(pool, logits):
            s.relevance = float(logit)
            s.score += RELEVANCE_WEIGHT * s.relevance
        return sorted(pool, key=lambda s: -s.score) + scored[RERANK_POOL:]

    def _vote(self, q: Question, shown: list[Passage], filters: Filters | None) -> Answer | None:
        """A question about a vote answered from the recorded vote it best matches, when the
        motion voted on covers the question as well as any passage would have to."""
        if self._votes is None:
            self._votes = find_blocks(self.searcher.data.chunks, self.searcher.rows_by_doc)
        docs = self.searcher.data.documents
        candidates = [b for b in self._votes if not filters or filters.accepts(docs[b.document])]
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda b: (-vote_answer.block_coverage(self, q, b, docs[b.document]),
                                                   self.searcher._original_first(b.document)))
        best = ranked[0]
        coverage = vote_answer.block_coverage(self, q, best, docs[best.document])
        if coverage < ABSTAIN_BELOW:
            return None
        texts, spans = vote_answer.write(self, q, best)
        statements, citations = [], []
        for n, (text, (span, _)) in enumerate(zip(texts, spans), start=1):
            statements.append(f"{text} [{n}].")
            citations.append(vote_answer.citation(self, span, n))
        answer = " ".join(statements)
        if ungrounded(answer, [c.passage for c in citations]):
            return None
        # The passages the answer rests on lead the list shown with it.
        used = [self.searcher.passage(self.searcher.data.chunks[r]) for r in dict.fromkeys(s.row for s, _ in spans)]
        ids = {p.id for p in used}
        shown = (used + [p for p in shown if p.id not in ids])[: len(shown)]
        motion = f"{best.heading}. {best.subject[:vote_answer.OPENING]}"
        sure = confidence(coverage, float(self.cross_encoder.logits(q.text, [motion])[0]))
        return Answer(answer=answer, abstained=False, citations=citations, passages=shown, confidence=round(sure, 3))

    def _answers_what_is_asked(self, q: Question, unit: Unit) -> bool:
        """Sharing the question's words is not answering it. Asked for an amount, the unit must
        give one (a date is not one); asked "how many X", its passage must name the X; asked
        what was decided, it must record a decision, not be the agenda heading for the item;
        asked the outcome of something, it must report one, not mention it as still to come;
        asked the price of one thing, it must state a sum of money, not be a budget-sheet row."""
        text = unit.passage.reading if unit.is_row else unit.text
        if q.asks_quantity and not quantities(text, q.text):
            return False
        if q.asks_duration and not gives_duration(_with_caption(unit, text)):
            return False  # "one of the four areas of concern was long waits" says no wait
        if q.asks_money and not MONEY_MENTION.search(_with_caption(unit, text)):
            return False  # a row's money may be in its headers ("2025-26 £000s") or caption ("in £millions")
        if q.focus and self.idf(q.focus) >= COMMON_IDF:
            # A word most passages carry ("children" in a children's services pack) is what the
            # whole paper is about and often left unsaid. A rarer one is often named once for a
            # paragraph or table, so the passage and its headings may name it for the unit.
            p = unit.passage
            said = set(tokenize(" ".join(filter(None, [p.text, p.reading, p.context, p.section, p.title]))))
            if q.focus not in said:
                return False
        if q.asks_decision and not unit.is_row and not re.search(DECISION_WORDS.pattern, unit.text, re.I):
            return False
        if q.asks_outcome and (not OUTCOME_SAID.search(text) or STILL_TO_COME.search(text)):
            return False  # "the upcoming High Court case" names the case, not how it ended
        if q.asks_unit_price and not sums_of_money(text):
            return False  # a row of a £000s budget sheet for a scheme is not what one pass costs
        if names_another_period(q.text, _with_caption(unit, text)):
            return False  # asked about June 2026, the March 2026 figure answers another question
        if asks_only_when(q) and not gives_time(_with_caption(unit, text), q.years):
            return False  # asked when, a sentence with no date or length of time has not said
        return True

    @staticmethod
    def _name_factor(q: Question, passages: list[Passage]) -> float:
        """A question about a named thing ("the Blackpool Central development") that no
        retrieved passage names is a question the papers do not answer, however many of its
        other words they share."""
        if not q.names and not q.days:
            return 1.0
        seen: set[tuple[str, str]] = set()
        for p in passages:
            for field in (p.text, p.section or "", p.title, p.context):
                tokens = tokenize(field)
                seen.update(zip(tokens, tokens[1:]))
        spelled_out = set().union(*q.alternatives) if q.alternatives else set()
        seen_tokens = {t for pair in seen for t in pair}
        missing = sum(1 for pair in q.names if pair not in seen and not (
            set(pair) <= spelled_out and any(g & seen_tokens for g in q.alternatives if set(pair) <= g)))
        # A meeting day the question names is a name too: "when the board sat on 26 February
        # 2026", with no paper of that meeting or mentioning that day, is a meeting the papers miss.
        missing += sum(1 for day in q.days if not any(_names_day(p, day) for p in passages))
        return 0.7 ** missing

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

    @staticmethod
    def _last_printings(scored: list[Scored]) -> list[Scored]:
        """Minutes print a motion as moved, as amended and as resolved, word for word the same:
        the last printing is what was resolved, so it stands for all of them, with the best
        score any of them got."""
        # A printing may be cut short where a passage ends: a long opening in common is enough.
        key = lambda s: (s.unit.passage.document, " ".join(s.unit.text.split())[:PRINTING_OPENING])
        groups: dict[tuple[str, str], list[Scored]] = {}
        for s in scored:
            groups.setdefault(key(s), []).append(s)
        kept = []
        for s in scored:  # best first, so each group is met at its best score
            group = groups.pop(key(s), None)
            if group:
                # the latest printing not cut shorter than the best-scoring one
                last = max(group, key=lambda g: (len(g.unit.text) >= len(s.unit.text), g.unit.start))
                kept.append(Scored(last.unit, s.score, max(g.coverage for g in group), features=s.features))
        return kept

    @staticmethod
    def _key_figures(q: Question, unit: Unit) -> set[str]:
        """The figures a unit answers with: not years, not figures the question itself names."""
        asked = set(figures(q.text))
        text = unit.passage.reading if unit.is_row else unit.text
        return {f for f in figures(text) if f not in asked and not re.fullmatch(r"(19|20)\d\d", f)}

    def _conflicting(self, q: Question, scored: list[Scored]) -> Scored | None:
        """Two papers answering the same question with different figures: report both."""
        if not q.wants_number:
            return None
        best = scored[0]
        best_figures = self._key_figures(q, best.unit)
        if not best_figures:
            return None
        for other in scored[1:6]:
            p, b = other.unit.passage, best.unit.passage
            if p.document == b.document or b.document in p.also_in or p.document in b.also_in:
                continue
            if other.score < 0.92 * best.score or other.coverage < max(ABSTAIN_BELOW, 0.9 * best.coverage):
                continue
            other_figures = self._key_figures(q, other.unit)
            # Another printing of the same figures (a table and its summary box, fewer columns
            # read) does not disagree: only a figure the chosen unit lacks is a different one.
            if other_figures and not other_figures <= best_figures:
                return other
        return None

    def _abstain(self, question: str, searched: list[Passage], certainty: float | None = None) -> Answer:
        """Say so, and show everything searched: with no answer to check, the reader needs the
        whole candidate list (often one long pack fills the top ten) to judge where else to look."""
        looked = list(dict.fromkeys(_plain_name(p) for p in searched))[:3]
        where = "; ".join(looked) if looked else "no documents matched"
        text = ("The papers in the index do not answer this question. "
                f"The closest documents searched were: {where}.")
        return Answer(answer=text, abstained=True, citations=[], passages=searched,
                      confidence=None if certainty is None else round(certainty, 3))


def _names_day(p: Passage, day: str) -> bool:
    """Whether a passage is of the meeting held on an ISO day, or says that day ("26th February
    2026", "26.02.2026")."""
    if p.meeting_date == day:
        return True
    year, month, d = day.split("-")
    spoken = rf"\b{int(d)}(?:st|nd|rd|th)?\s+{MONTH_NAMES[int(month) - 1]}\s*,?\s+{year}\b"
    return bool(re.search(spoken, spell_dates(f"{p.text} {p.section or ''} {p.title}"), re.I))


def _same_paper(a: Passage, b: Passage) -> bool:
    return a.document == b.document or a.document in b.also_in or b.document in a.also_in


def _plain_name(p: Passage) -> str:
    """A document's name for the abstention sentence. That sentence cites nothing, so it carries
    no figures: a title with digits in it is named by its kind and body instead; the full
    references (dates, pages) are in the passages returned with it."""
    if not re.search(r"\d", p.title):
        return f"“{p.title}”"
    kind = {"minutes": "minutes", "agenda": "agenda", "report": "a report", "appendix": "an appendix",
            "decision": "a decision record"}.get(p.doc_type, "a paper")
    body = p.committee if p.committee and not re.search(r"\d", p.committee) else ""
    return f"{kind} ({body})" if body else kind


def _with_caption(unit: Unit, text: str) -> str:
    """What a unit says with its table's caption: a row's unit ("weeks", "£000s") is often only there."""
    return f"{text} {_caption(unit.passage)}" if unit.is_row else text


def _caption(p: Passage) -> str:
    """A table row's caption."""
    return p.row.caption if p.row is not None else ""


def _label_headers(p: Passage) -> str:
    """The header over a row's label columns ("Service"): what the row's label is one of."""
    return p.row.label_header if p.row is not None else ""
