"""Rule "answer each part": a question that asks two things ("How many carers were approved, and
what is the target?", "how did the panel respond to the plan, and what did cabinet finally decide?")
is often answered by two passages, in two papers, neither of which says enough of the whole
question to be chosen. When the answer to the whole question misses a part, each part is asked
as a question of its own, through the same answerer and its same checks, and the answers are
joined in the order the question asks them.

The first part stands alone as it was typed. The second ("and what did cabinet finally decide?",
"and which month was the busiest?") leans on the first for what "it" or "finally" is about, so it is
asked with its subject after it: the topic typed before the first question ("the parking
strategy - how did the panel respond, and ..."), or else the first question without its asking
words ("how long did", "what is"), which would ask the second part for the first's kind of answer
as well. Not the
first question when a topic was typed: its own words ("how did the panel respond") would make the
second part another way of asking the first.

When the whole question has an answer, a part's own answer is added to it only when it says
something the whole's does not (other sentences; other figures, if it gives figures) and: for
the first part, it says enough of that part to be answered with alone and the whole's answer
does not; for the second, the whole's answer never says what the second part alone asks about,
or the second part asks what a body decided and the whole's answer quotes only another body's
papers. When the whole question has none, each part is asked on its own; rule "say which part
the papers do not answer": when one part has an answer and the other has none, the answer given
is the one part's, followed by a sentence saying the papers searched do not answer the other
(quoting its words when they hold no figure, so the answer states no figure that no passage
says). A councillor asking two things learns what the papers say and which of the two they do
not, instead of being told they answer neither."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Answer
from .figures import figures
from .parts import SECOND, Part

MARKER = re.compile(r"\[(\d+)\]")
# "the parking strategy - what did ...", "Library opening hours: how many ...": a topic typed
# before the question about it.
TOPIC = re.compile(r"^\s*(.{3,}?)\s*(?:\s[-–—]|:)\s+(?=(?:what|how|which|who|whom|whose|when|where|why|did|does|do|"
                   r"is|are|was|were|has|have|will|can)\b)", re.I)
# What a question asks, before what it is about: "how long did", "what is", "who". The second part
# carries the first's subject, not its asking words: "how many parties responded - how long did
# the consultation run?" would ask for a length of time as well as a count.
ASKING = re.compile(r"^\s*(?:how(?:\s+(?:long|many|much|quickly|soon|often|far))?|what|which|who|whom|whose|when|where|why)\b"
                    r"\s*(?:(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\b\s*)?", re.I)
# A first part shorter than this many words ("And what, and when?") is no question of its own.
FIRST_PART_WORDS = 3


@dataclass(frozen=True)
class QuestionParts:
    first: str  # the first question, standing alone
    second: str  # the second, with its subject after it for what its "it" and "finally" refer to
    part: Part  # the second part's own words, to check whether an answer says it


def parts_of(question: str) -> QuestionParts | None:
    """The two questions inside a two-part question (qa/parts.py reads where the second starts);
    None for a question asking one thing."""
    match = SECOND.search(question)
    if not match:
        return None
    first = question[: match.start()].strip(" ,;:-–")
    if len(first.split()) < FIRST_PART_WORDS:
        return None
    second = match.group(1).strip(" ,;:-–?")
    topic = TOPIC.match(first)
    subject = topic.group(1) if topic else ASKING.sub("", first, count=1)
    return QuestionParts(first=f"{first}?", second=f"{second} - {subject}?", part=Part(question))


def quotes(answer: Answer) -> set[tuple[str, str]]:
    return {(c.document, " ".join(c.quote.split())) for c in answer.citations}


def figures_of(answer: Answer) -> set[str]:
    return set(figures(answer.answer))


def adds_to(extra: Answer, given: list[Answer]) -> bool:
    """Whether an answer to one part says something the answers already given do not: when it
    answers with figures, a figure they do not give (from the same table row as well: a row's
    statement gives the values asked, so asked for another of its columns, it gives another);
    without figures, other sentences."""
    if extra.abstained:
        return False
    extra_figures = figures_of(extra)
    given_figures = set().union(*(figures_of(a) for a in given))
    if extra_figures:
        return not extra_figures <= given_figures
    said = set().union(*(quotes(a) for a in given))
    return not quotes(extra) <= said


def unanswered_part(answer: Answer, missing: str, which: str) -> Answer:
    """`answer`, to one part of a two-part question, followed by a sentence saying the papers
    searched do not answer the other part (`missing`, its words as typed; `which`, "first" or
    "second"). The part's words are quoted only when they hold no figure: a figure in an answer
    must be one its citations say."""
    words = missing.strip(" ,;:-–?")
    said = f'"{words}"' if words and not figures(words) else f"the {which} part of the question"
    return answer.model_copy(update={"answer": f"{answer.answer} The papers searched do not say {said}."})


def joined(answers: list[Answer], whole: Answer) -> Answer:
    """Answers to the parts as one answer: their statements one after another, the citations
    numbered through, the passages shown those searched for the whole question, and as sure as
    the least sure part. An answer quoting what another quotes and giving no figure it does not
    (the same table row, read for one column and then for two) is said once."""
    answers = [a for i, a in enumerate(answers) if not any(
        j != i and quotes(b) == quotes(a) and (figures_of(a) < figures_of(b) or figures_of(a) == figures_of(b) and j < i)
        for j, b in enumerate(answers))]
    statements, citations = [], []
    for answer in answers:
        offset = len(citations)
        statements.append(MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", answer.answer))
        for c in answer.citations:
            citations.append(c.model_copy(update={"n": c.n + offset}))
    sure = [a.confidence for a in answers if a.confidence is not None]
    return Answer(answer=" ".join(statements), abstained=False, citations=citations, passages=whole.passages,
                  confidence=min(sure) if sure else None)
