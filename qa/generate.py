"""The language-model generator (COUNCILQA_GENERATOR=llm): a chat model rewrites the extractive
answer in plain English from the passages that answer found, and only what passes the checks
of qa/llm_check.py is shown.

The model is untrusted. It is given the question and the top passages of the extractive
answer's retrieval, numbered, each with its document, page and meeting date, and asked for a
short answer with [n] after each sentence. Every sentence must cite a passage it was given and
carry no figure, date or name its cited passages lack; a sentence that fails is dropped, and
when none is left, or the model cannot be reached, the extractive answer is returned with a
note saying so. Each kept sentence is cited by the span of its passage that supports it.

This module does not import LangChain: the chat model is any callable (messages) -> reply,
made by qa/llm_client.py (LangChain's ChatOpenAI) only when the generator is first used."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..schema import Answer, Citation, DroppedSentence, Generation, Passage
from ..settings import Settings
from .citations import cite
from .figures import figures, ungrounded
from .llm_check import Verdict, check_reply, left_out, without_citations
from .units import units_of

log = logging.getLogger(__name__)

# A conversation as (role, text) pairs, roles "system", "user", "assistant"; the reply's text.
Chat = Callable[[list[tuple[str, str]]], str]

SYSTEM = ("You answer questions about council committee papers. Use only the numbered passages you are given. "
          "Answer in one to three short sentences of plain English. End every sentence with the number of the "
          "passage it comes from in square brackets, like [1]. Copy every figure, date and name exactly as the "
          "passage writes it. Never add anything the passages do not say.")
# One worked exchange before the real question: small models follow the [n] format from an
# example far more often than from the instruction alone. Made up, about no council's papers.
EXAMPLE_QUESTION = ("Passages:\n\n[1] (Library services report, page 2)\nThe library service opened 4 new branches "
                    "in 2022 and closed one.\n\nQuestion: How many library branches opened in 2022?")
EXAMPLE_ANSWER = "The library service opened 4 new branches in 2022 [1]."


class ModelUnavailable(Exception):
    """The chat model could not give a reply: not configured, not installed, unreachable, too
    slow, or a reply that cannot be read. The message says which, for the reader's note."""


@dataclass
class Numbered:
    """A passage as the model is shown it under its number."""
    passage: Passage
    header: str  # document, page and meeting date
    body: str  # the words the model reads, cut to the configured length


def spoken_date(iso: str | None) -> str | None:
    try:
        day = date.fromisoformat(iso or "")
    except ValueError:
        return None
    return f"{day.day} {day:%B %Y}"


def numbered_passages(extractive: Answer, passage_of: Callable[[str], Passage | None], limit: int,
                      chars: int) -> list[Numbered]:
    """The passages the model is given: those the extractive answer cites first (the best
    evidence found), then the rest of its retrieval in rank order, each once."""
    chosen: list[Passage] = []
    for c in extractive.citations:
        p = passage_of(c.passage_id)
        if p is not None and p.id not in {q.id for q in chosen}:
            chosen.append(p)
    chosen += [p for p in extractive.passages if p.id not in {q.id for q in chosen}]
    out = []
    for p in chosen[:limit]:
        where = ", ".join(x for x in (p.title, f"page {p.page}" if p.page else None, p.committee,
                                      f"meeting of {spoken_date(p.meeting_date)}" if spoken_date(p.meeting_date) else None) if x)
        # A table row is read with its caption and column headers: its figures mean nothing alone.
        body = f"{p.context}\n{p.reading or p.text}" if p.kind == "table_row" and p.context else p.text
        out.append(Numbered(p, where, _cut(" ".join(body.split()), chars)))
    return out


def _cut(text: str, chars: int) -> str:
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return cut[:cut.rfind(" ")] if " " in cut else cut


def prompt(question: str, given: list[Numbered]) -> str:
    blocks = [f"[{n}] ({g.header})\n{g.body}" for n, g in enumerate(given, start=1)]
    return "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"


def conversation(question: str, given: list[Numbered]) -> list[tuple[str, str]]:
    return [("system", SYSTEM), ("user", EXAMPLE_QUESTION), ("assistant", EXAMPLE_ANSWER),
            ("user", prompt(question, given))]


def supporting_span(p: Passage, claim: str) -> tuple[int, int]:
    """The span of passage `p` that supports `claim`: the sentence or row (qa/units.py) sharing
    most of its figures, then most of its words; the whole passage when none shares any."""
    wanted_figures = set(figures(claim))
    wanted_words = {w for w in re.findall(r"[a-z0-9]+", claim.lower()) if len(w) > 3}
    best, best_key = (p.start, p.end), (0, 0)
    for unit in units_of(p, 0):
        key = (len(wanted_figures & set(figures(unit.text))),
               len(wanted_words & set(re.findall(r"[a-z0-9]+", unit.text.lower()))))
        if key > best_key:
            best, best_key = (unit.start, unit.end), key
    return best


def compose(kept: list[Verdict], given: list[Numbered]) -> tuple[str, list[Citation]]:
    """The kept sentences with their markers renumbered to citations, one citation per passage
    span: two sentences citing different sentences of one passage get a citation each."""
    citations: list[Citation] = []
    spans: dict[tuple[int, int, int], int] = {}
    statements = []
    for verdict in kept:
        numbers = []
        for n in verdict.cited:
            p = given[n - 1].passage
            start, end = supporting_span(p, verdict.text)
            key = (n, start, end)
            if key not in spans:
                spans[key] = len(citations) + 1
                citations.append(cite(p, start, end, spans[key]))
            numbers.append(spans[key])
        text = without_citations(verdict.sentence).rstrip(" .;:!?")
        statements.append(f"{text} {''.join(f'[{m}]' for m in numbers)}.")
    return " ".join(statements), citations


class LLMGenerator:
    """Rephrases extractive answers with a chat model, checked sentence by sentence.
    `passage_of` finds a passage by id (the extractive answer's cited passages may lie below the
    ones it lists); `chat` defaults to the LangChain client the settings describe, made on first
    use so that an extractive service never imports LangChain."""

    def __init__(self, settings: Settings, passage_of: Callable[[str], Passage | None], chat: Chat | None = None):
        self.settings = settings
        self.passage_of = passage_of
        self._chat = chat

    @property
    def model(self) -> str:
        return self.settings.llm_model or "(no model set)"

    def chat(self, messages: list[tuple[str, str]]) -> str:
        if self._chat is None:
            from .llm_client import langchain_chat  # LangChain only from here on

            self._chat = langchain_chat(self.settings)
        return self._chat(messages)

    def rephrase(self, question: str, extractive: Answer) -> Answer:
        """The checked answer, or `extractive` with a note saying why it is given instead.
        Never raises: a reader gets an answer whatever the model does."""
        if extractive.abstained:
            # Nothing to rephrase: the papers do not answer, and the model may only rephrase.
            return extractive.model_copy(update={"generation": Generation(model=self.model, asked=False)})
        started = time.perf_counter()
        generation = Generation(model=self.model)
        try:
            given = numbered_passages(extractive, self.passage_of, self.settings.llm_passages,
                                      self.settings.llm_passage_chars)
            reply = self.chat(conversation(question, given))
            verdicts = check_reply(reply, {n: g.body for n, g in enumerate(given, start=1)},
                                   {n: f"{g.passage.title}\n{g.passage.committee or ''}" for n, g in enumerate(given, start=1)})
        except ModelUnavailable as exc:
            return self._fall_back(extractive, generation, started, f"The language model could not be used ({exc})")
        except Exception as exc:  # noqa: BLE001 - a reader gets the extractive answer, never an error
            log.exception("the language-model generator failed")
            return self._fall_back(extractive, generation, started,
                                   f"The language model's reply could not be used ({type(exc).__name__})")
        generation.sentences = len(verdicts)
        generation.dropped = [DroppedSentence(sentence=v.sentence, reason=v.problem) for v in verdicts if not v.ok]
        kept = [v for v in verdicts if v.ok]
        if not kept:
            why = generation.dropped[0].reason if generation.dropped else "it was empty"
            return self._fall_back(extractive, generation, started,
                                   f"No sentence of the language model's answer passed the checks (first: {why})")
        text, citations = compose(kept, given)
        if ungrounded(text, [f"{c.passage}\n{c.quote}" for c in citations]):
            # The checks above passed sentence by sentence; this is the same last word the
            # extractive answer has, on the answer as it leaves.
            return self._fall_back(extractive, generation, started,
                                   "The language model's answer carried a figure its citations lack")
        dropped_figures = left_out(extractive.answer, text, question)
        if dropped_figures:
            return self._fall_back(extractive, generation, started,
                                   f"The language model's answer left out {', '.join(dropped_figures[:3])}, which the papers give")
        generation.seconds = round(time.perf_counter() - started, 3)
        dropped = len(generation.dropped)
        note = f"Written by the language model {self.model} from the cited passages; every sentence was checked against them."
        if dropped:
            note += f" {dropped} sentence{'s' if dropped > 1 else ''} that failed the checks {'were' if dropped > 1 else 'was'} left out."
        return extractive.model_copy(update={"answer": text, "citations": citations, "generator": "llm", "note": note,
                                             "generation": generation})

    @staticmethod
    def _fall_back(extractive: Answer, generation: Generation, started: float, why: str) -> Answer:
        generation.fell_back = True
        generation.seconds = round(time.perf_counter() - started, 3)
        return extractive.model_copy(update={"note": f"{why}, so this is the extractive answer.",
                                             "generation": generation})
