"""The offline answerer: no language model. It retrieves passages, cuts them into sentences and
table rows, scores each against the question, and writes a short answer from the best ones,
each statement carrying its [n]. Every figure in the answer is checked against the cited
passages before the answer is returned; when the papers do not answer, it abstains and says
which documents it looked at."""

from __future__ import annotations

import re
import threading

from ..index.cross_encoder import load_cross_encoder
from ..index.search import Filters, Searcher
from ..index.sparse import tokenize
from ..schema import Answer, Citation, Passage
from .answer_kinds import RESOLUTION, AnswerKinds
from .citations import cite
from .decompose import adds_to, joined, parts_of, unanswered_part
from .confidence import ABSTAIN_BELOW
from .figures import figures, ungrounded
from .meetings import Meetings
from .meeting_fact_answer import MeetingFactAnswers
from .meeting_record import MeetingFact
from .learned_confidence import (COVERS_QUESTION, LearnedConfidence, candidate_record, feature_matrix,
                                 load_learned_confidence, question_record)
from .lettered import kind_of, lettered_names, row_lettered_names
from .parts import FirstPart, Part
from .rows import row_statement
from .question import MONTH_NAMES, Question, analyse, as_papers_write, spell_dates, spoken_date
from .targets import target_words_said
from .two_parts import TwoPartAnswers
from .vote_answer import VoteAnswers
from .units import LIST_ITEM, Scored, Unit, caption, label_headers, pieces, units_of, with_what_it_points_to
from .vocabulary import clipped_forms, initialisms, spelled_out_initialisms, typed_initialisms
from .votes import VoteBlock, is_vote_question, vote_words_said
from .weights import RELEVANCE_WEIGHT, unit_score
from .word_senses import WordSenses

RETRIEVE = 20  # passages considered for the answer
SHOWN = 10  # passages returned for inspection
NEAR_TOP = 0.1  # how far below the best score a unit that answers may be chosen instead
# An answer is read in a chat box: a unit longer than this that is a lead-in and a list keeps only
# the items that answer.
TRIM_ABOVE = 300
LIST_ASKED = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\b(?!-)|\blist\b", re.I)  # not "ten-year"
KEEP_ITEM = 0.8  # an item is kept when it says nearly as much of the question as the best item
PRINTING_OPENING = 200  # units of one paper opening with this many characters in common are one text printed twice


# The cross-encoder (index/cross_encoder.py) reads the best-scoring units with the question and
# adds its learned relevance to their scores (weighted in qa/weights.py); the learned confidence
# (qa/learned_confidence.py) reads its logits with the units' features. A pool of 12 units found
# as much as one of 40, at about 25 ms a unit.
RERANK_POOL = 12


class Answerer(AnswerKinds, TwoPartAnswers, VoteAnswers, MeetingFactAnswers):
    """Chooses the answer: the rules about the kind of answer asked for are in
    qa/answer_kinds.py, those about two-part questions in qa/two_parts.py, questions about a
    recorded vote in qa/vote_answer.py, about a meeting itself in qa/meeting_fact_answer.py."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.index = searcher.index
        self.cross_encoder = load_cross_encoder(searcher.settings.reranker_path())
        self.word_senses = WordSenses(lambda words: searcher.embedder.encode(words))
        self._votes: list[VoteBlock] | None = None
        self._votes_lock = threading.Lock()
        self._initialisms: dict[str, dict[str, set[str]]] = {}  # per paper (rule "an initialism the paper spells out")
        self._bodies = sorted({d.committee for d in self.index.documents.values() if d.committee}, key=len, reverse=True)
        self.meetings = Meetings(self.index.documents)  # rule "the meeting a question names"
        self._meeting_records: dict[str, dict[str, MeetingFact]] = {}  # per paper (rule "a meeting's own facts")

    @property
    def learned_confidence(self) -> LearnedConfidence:
        """Loaded on first use, so that benchmarks/answer_candidates.py can gather the features
        a new model is fitted on while the one on disk was fitted on others."""
        return load_learned_confidence()

    def idf(self, term: str) -> float:
        return self.index.terms.idf(kind_of(term) or term)  # "band:d" weighs as "band" (qa/lettered.py)

    # -- scoring -------------------------------------------------------------------------

    def _coverage(self, q: Question, unit: Unit) -> float:
        if not q.terms:
            return 0.0
        own, around = self._said(unit)
        text = unit.passage.reading if unit.is_row else unit.text
        own |= target_words_said(q.text, text) | vote_words_said(q.text, text)  # rules "a target/a vote's outcome in other words"
        own |= self._spelled_out(unit.passage.document, own)  # rule "an initialism the paper spells out"
        if q.initialisms:
            p = unit.passage
            own |= q.initialisms & initialisms(text)
            around |= q.initialisms & initialisms(" ".join(filter(None, [unit.before, p.section, p.context, p.title])))
        return self._share_covered(q, q.terms, own, around)

    def _spelled_out(self, document: str, said: set[str]) -> set[str]:
        """The words of the initialisms in `said` that their paper spells out ("the MSA" says
        "Mayoral Strategic Authority" where the paper wrote it so)."""
        if document not in self._initialisms:
            self._initialisms[document] = spelled_out_initialisms(self.index.document_text(document) or "")
        spelled = self._initialisms[document]
        return set().union(*(spelled[t] for t in said & spelled.keys())) if spelled else set()

    def question(self, text: str) -> Question:
        """A question analysed, with the words it uses that the papers never do read as the
        papers write them (qa/vocabulary.py)."""
        q = analyse(text)
        vocabulary = self.index.terms.vocabulary
        q.alternatives += [{t} | forms for t in q.terms if (forms := clipped_forms(t, vocabulary))]
        q.initialisms = typed_initialisms(text) & set(q.terms)
        return q

    @staticmethod
    def _said(unit: Unit) -> tuple[set[str], set[str]]:
        """The words a unit says, and the words of what it is about."""
        p = unit.passage
        # A row's caption and column headers are part of what the row says; the section, the
        # paper's title, body and meeting date are what it is about.
        said = " ".join([unit.text, p.reading, label_headers(p)] if unit.is_row else [unit.text])
        # A row's lettered name is its label's, not one its headers mention ("Proportion of Band D")
        own = set(tokenize(spell_dates(said))) | (row_lettered_names(p.row) if unit.is_row else lettered_names(said))
        if RESOLUTION.search(unit.text):
            own |= set(tokenize(p.section or ""))  # a resolution is about its agenda item
        around = set(tokenize(" ".join(filter(None, [p.section, p.context, p.title, p.committee, spoken_date(p.meeting_date)]))))
        # The sentences before (up to two, in its paragraph) say what "This" or "These homes"
        # refers to, and name what a sentence after them leaves unsaid ("The council's share is
        # £2.1m" after one naming the Cycling Fund; "the clinic saw 1,601 patients" two sentences
        # after the clinic's name).
        around |= set(tokenize(spell_dates(unit.earlier or unit.before)))
        return own, around

    def _share_covered(self, q: Question, terms: list[str], own: set[str], around: set[str]) -> float:
        """The rarity-weighted share of the question's ideas a unit says (`own`) or is about
        (`around`, worth less)."""
        return self.share_of_ideas(q, self.weighed_ideas(q, terms), own, around)

    def weighed_ideas(self, q: Question, terms: list[str]) -> list[tuple[set[str], set[str], float]]:
        """The ideas of `terms` as (the words asked, the forms that say it, its weight). Worked
        out apart from any unit, so that a caller weighing many units against the same terms
        (every recorded vote, qa/vote_answer.py) looks up the words' rarity once."""
        if not terms:
            return []
        # Each idea in the question weighs as much as its rarest word; a spelled-out name and
        # its acronym are one idea, found if either is.
        # An idea weighs by the words the question used, and is found by any of its forms
        # ("hold" asked, "held" said).
        ideas = [(group & set(terms), group) for group in q.alternatives if group & set(terms)]
        grouped = set().union(*(asked for asked, _ in ideas)) if ideas else set()
        ideas += [({t}, {t}) for t in terms if t not in grouped]
        return [(asked, forms, max(self.idf(t) for t in asked)) for asked, forms in ideas]

    @staticmethod
    def share_of_ideas(q: Question, ideas: list[tuple[set[str], set[str], float]], own: set[str], around: set[str]) -> float:
        """_share_covered for ideas already weighed (weighed_ideas)."""
        total = got = 0.0
        for asked, forms, weight in ideas:
            total += weight
            if forms & own:
                got += weight
            elif forms & around:
                # A source the question names is found in full where the passage is written
                # (its title, section, body or meeting): rule "a source named" (qa/question.py).
                got += weight if asked <= q.source_terms else 0.6 * weight
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
        if Part(q.text) and len(unit.text) <= 2 * TRIM_ABOVE:
            # Rule "two things asked, a short list kept whole": "what did the committee agree, and
            # who may change the plan?" is answered by two items, and the item that says the most
            # of the whole question (the second) would push out the one the first part asks for.
            return unit.text
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
        """The answer to a question; a question asking two things, when the answer to the whole
        misses one, with each part answered on its own (qa/decompose.py)."""
        question = as_papers_write(question)  # "25/26", "sept 24" searched and read as "2025-26", "sept 2024"
        whole = self._answer_whole(question, top_k, filters)
        parts = parts_of(question)
        if parts is None or (not whole.abstained and is_vote_question(question)):
            return whole  # a recorded vote answers its parts together: who moved it, the counts, the outcome
        if whole.abstained:  # each part answered on its own; one part's answer says the other is not
            first = self._answer_whole(parts.first, top_k, filters, part=True)
            second = self._answer_whole(parts.second, top_k, filters, part=True)
            if first.abstained and second.abstained:
                return whole
            if first.abstained:
                return unanswered_part(second, parts.first, "first")
            if second.abstained:
                return unanswered_part(first, parts.part.text, "second")
            return joined([first, second], whole) if adds_to(second, [first]) else whole
        # A part is asked on its own only when the whole's answer may have missed it: each extra
        # answer costs a search and a reading of its passages.
        answers = [whole]
        if self._part_share(parts.first, whole) < ABSTAIN_BELOW:
            first = self._answer_whole(parts.first, top_k, filters, part=True)
            if adds_to(first, answers) and self._part_share(parts.first, first) >= ABSTAIN_BELOW:
                answers.insert(0, first)  # the parts in the order asked
        if not parts.part.said_by(whole.answer) or self._another_body(parts.second, whole):
            second = self._answer_whole(parts.second, top_k, filters, part=True)
            if adds_to(second, answers):
                answers.append(second)
        return joined(answers, whole) if len(answers) > 1 else whole

    def _another_body(self, question: str, answer: Answer) -> bool:
        """Whether a part asks what one body decided ("and what did cabinet finally decide?") and
        the answer quotes only another body's papers (a panel's recommendation to cabinet names
        cabinet, but is not its decision)."""
        body = self.acting_body(self.question(question))
        return bool(body) and all(c.committee and c.committee != body for c in answer.citations)

    def _part_share(self, question: str, answer: Answer) -> float:
        """The share of a part's ideas an answer says: the first part's own answer is added only
        when it says enough of the part to be answered with alone (ABSTAIN_BELOW) and the
        whole's answer does not. Each is read as the answerer reads a unit: its statements as
        what it says, the sections and papers it cites as what it is about. (The cross-encoder
        is no judge of this: it reads a sentence giving a forecast as answering what the target is.)"""
        q = self.question(question)
        around = " ".join(f"{c.section or ''} {c.title} {c.committee or ''}" for c in answer.citations)
        return self._share_covered(q, q.terms, set(tokenize(spell_dates(answer.answer))), set(tokenize(around)))

    def _answer_whole(self, question: str, top_k: int, filters: Filters | None, part: bool = False) -> Answer:
        """The answer to a question read as one. Asked for one `part` of a question, declining
        shows nothing: only the whole question's abstention is shown, and gathering what was
        searched reads every passage again with the cross-encoder, seconds a time."""
        q = self.question(question)
        # The answer is chosen from the retrievers' order, not the cross-encoder's (index/rerank.py):
        # the unit scores and the confidence were fitted on it, and given the reordered passages
        # the answerer chose no better on the tune splits (README, Evaluation). Refit them on
        # those before switching; declining, the reordered passages are shown (_abstain).
        passages = self.passages_for(question, max(RETRIEVE, top_k), filters, rerank=False)
        shown = passages[: max(top_k, SHOWN)]
        fact = self._meeting_fact(question, q, filters, shown)  # rule "a meeting's own facts"
        if fact:
            return fact
        asks_vote = is_vote_question(question)
        if asks_vote:
            answered = self._vote(q, shown, filters)
            if answered:
                return answered
        factor = self._name_factor(q, passages)
        scored = self._rerank(q, self.word_scored(q, passages), factor)
        # The answer is the best unit, by its words and the cross-encoder's reading, that gives
        # the kind of answer asked for and either is likely enough to hold the answer (the learned
        # confidence, qa/learned_confidence.py) or says nearly all the question asks about. One
        # scoring nearly as well as the best of those but covering the question ("the net revenue
        # budget requirement of £1,530.9m") beats one that only shares its frame ("the budget was
        # agreed on 13th February"). Units that do not give the kind asked for set no bar: asked
        # when, the sentence sharing most words but giving no date does not shut out the one that
        # gives it.
        giving = [s for s in scored if s.gives_kind]
        candidates = [s for s in giving if s.score >= giving[0].score - NEAR_TOP]
        answer_at = self.learned_confidence.answer_at
        answering = [s for s in candidates if s.chance >= answer_at or s.coverage * factor >= COVERS_QUESTION]
        answering = self.latest_first(q, answering)  # rule "the latest figure, asked what is current"
        # How sure: of the unit answered with, or, abstaining, of the best candidate there was.
        certainty = answering[0].chance if answering else max((s.chance for s in candidates), default=0.0)
        if answering:
            scored = answering + [s for s in scored if s not in answering]
            voted_on = self._vote_on(q, scored[0].unit) if asks_vote else None
            # rule "vote of the motion": asked about a vote, found the words of a motion voted on
            answered = self._vote_answer(q, voted_on, shown, certainty, scored[0].unit) if voted_on else None
            if answered:
                return answered
            chosen = [(scored[0], "")]
            conflict = self._conflicting(q, scored)
            if conflict:
                other = conflict.unit.passage
                chosen.append((conflict, f"Another paper, {_plain_name(other)}, gives a different figure: "))
            completing = self._completing(q, scored) or self._completing_items(q, scored)
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
                return self._abstain(question, filters, 0 if part else len(passages), certainty)
            chosen = [(pair[0], ""), (pair[1], "")]
            certainty = self._pair_confidence(q, pair, factor)
        statements, citations = [], []
        for n, (item, lead) in enumerate(chosen, start=1):
            # the sentence pointed to, unless the answer already quotes it
            said = any(other.unit.start == item.unit.before_start for other, _ in chosen)
            unit = item.unit if said else with_what_it_points_to(item.unit)
            statement = self._statement(q, unit, n)
            citation = self._citation(unit, n)
            if ungrounded(statement, [citation.passage, citation.quote]):
                continue  # never return a figure the cited passage does not carry
            statements.append(lead + statement)
            citations.append(citation)
        if not statements:
            return self._abstain(question, filters, 0 if part else len(passages), certainty)
        for i, c in enumerate(citations, start=1):
            c.n = i
            statements[i - 1] = re.sub(r"\[\d+\]\.$", f"[{i}].", statements[i - 1])
        text = " ".join(statements)
        if ungrounded(text, [c.passage + "\n" + c.quote for c in citations]):
            return self._abstain(question, filters, 0 if part else len(passages), certainty)  # the last word: no unchecked figure leaves here
        return Answer(answer=text, abstained=False, citations=citations, passages=shown, confidence=round(certainty, 3))

    def passages_for(self, question: str, k: int, filters: Filters | None = None, rerank: bool = True) -> list[Passage]:
        """The hybrid search's passages for a question, those of a meeting it names preferred
        (rule "the meeting a question names", qa/meetings.py)."""
        return self.searcher.search(question, k=k, filters=filters, rerank=rerank,
                                    prefer=self.meetings.named_in(question))

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
            said_over = caption(p)
            return f"{said_over}. {p.reading or unit.text}" if said_over else (p.reading or unit.text)
        heading = (p.section or "").split(" › ")[-1]
        return f"{heading}. {unit.text}" if heading else unit.text

    def _rerank(self, q: Question, scored: list[Scored], factor: float = 1.0) -> list[Scored]:
        """The best units by their words, read by the cross-encoder with the question, rescored
        and re-sorted, each with the learned confidence that it holds the answer. `factor` lowers
        their coverage when the question names a thing no passage names."""
        if not scored:
            return scored
        pool = scored[:RERANK_POOL]
        texts = [self.candidate_text(s.unit) for s in pool]
        logits = self.cross_encoder.logits(q.text, texts)
        for s in pool:
            s.gives_kind = self._answers_what_is_asked(q, s.unit)
        records = [candidate_record(s.features, s.score, s.coverage * factor, float(logit), s.gives_kind, text)
                   for s, logit, text in zip(pool, logits, texts)]
        chances = self.learned_confidence.probabilities(feature_matrix(question_record(q), records))
        for s, logit, chance in zip(pool, logits, chances):
            s.relevance = float(logit)
            s.chance = float(chance)
            s.score += RELEVANCE_WEIGHT * s.relevance
        return sorted(pool, key=lambda s: -s.score) + scored[RERANK_POOL:]

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

    def _abstain(self, question: str, filters: Filters | None, count: int, certainty: float | None = None) -> Answer:
        """Say so, and show everything searched: with no answer to check, the reader needs the
        whole candidate list (often one long pack fills the top ten) to judge where else to look.
        Those passages are in the order `councilqa search` gives, reordered by the cross-encoder
        (index/rerank.py), which puts the passage holding the evidence first more often than the
        retrievers' order the answer is chosen from (README, Evaluation): the reader looks there first."""
        searched = self.passages_for(question, count, filters) if count else []
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
