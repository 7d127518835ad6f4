"""Scoring one response against one known-answer question, as ../shared/eval/README.md defines:
answer correct, cited (and cited page for PDFs), retrieval rank, abstention, ungrounded
numbers. Pure functions on plain dicts, so any system's responses can be scored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.clean import join_ordinals
from ..qa.figures import ungrounded

MARKUP = re.compile(r"\*\*|</?(?:i|b|p|em|strong)>", re.I)
BARE_FIGURE = re.compile(r"^[\d.,]+$")


def collapse(text: str) -> str:
    """Markup out, whitespace collapsed, and a superscript ordinal set apart joined as ingest
    cleans it ("14 th June" -> "14th June"): a quote copied from the source text compares with
    the index's cleaned passages, and an answer quoting a passage with the set's answers."""
    return join_ordinals(re.sub(r"\s+", " ", MARKUP.sub("", text or "")).strip())


def contains_answer(answer: str, alternative: str) -> bool:
    """Case-insensitive, whitespace collapsed; a bare figure must stand alone (26 not in 126)."""
    text, alt = collapse(answer).lower(), collapse(alternative).lower()
    if BARE_FIGURE.match(alt):
        return re.search(rf"(?<![\d.,]){re.escape(alt)}(?![\d]|[.,]\d)", text) is not None
    return alt in text


def answer_correct(question: dict, response: dict) -> bool:
    if response.get("abstained") or not question["answerable"]:
        return False
    return all(any(contains_answer(response["answer"], alt) for alt in group) for group in question["answers"])


def _longest_common_run(a: str, b: str) -> int:
    """Length of the longest common substring (dynamic programming over the shorter string)."""
    if not a or not b:
        return 0
    best, previous = 0, [0] * (len(b) + 1)
    for ch in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def supports(text: str, quote: str) -> bool:
    text, quote = collapse(text), collapse(quote)
    if not quote:
        return False
    if quote in text:
        return True
    return _longest_common_run(quote, text) >= 0.6 * len(quote)


@dataclass
class Score:
    correct: bool
    cited: bool
    cited_page: bool | None  # None when no evidence is on a PDF page
    rank: int | None  # 1-based rank of the first passage holding the evidence
    abstained: bool
    ungrounded: list[str]
    confidence: float | None = None  # the system's own, where it gives one


def same_document(evidence_doc: str, cited_doc: str, aliases: dict[str, set[str]]) -> bool:
    return evidence_doc == cited_doc or evidence_doc in aliases.get(cited_doc, set())


def score(question: dict, response: dict, aliases: dict[str, set[str]] | None = None) -> Score:
    aliases = aliases or {}
    evidence = question.get("evidence") or []
    citations = response.get("citations") or []
    cited = cited_page = False
    pdf_evidence = any(e.get("page") for e in evidence)
    for c in citations:
        for e in evidence:
            if supports(c.get("quote", ""), e["quote"]) or supports(c.get("passage", ""), e["quote"]):
                cited = True
                if e.get("page") and c.get("page") == e["page"] and same_document(e["document"], c.get("document", ""), aliases):
                    cited_page = True
    rank = None
    for i, p in enumerate(response.get("passages") or [], start=1):
        text = collapse(f"{p.get('context', '')} {p.get('text', '')}")
        if any(collapse(e["quote"]) in text for e in evidence):
            rank = i
            break
    cited_texts = [f"{c.get('quote', '')}\n{c.get('passage', '')}" for c in citations]
    loose = [] if response.get("abstained") else ungrounded(response.get("answer", ""), cited_texts)
    return Score(
        correct=answer_correct(question, response),
        cited=cited,
        cited_page=cited_page if pdf_evidence else None,
        rank=rank,
        abstained=bool(response.get("abstained")),
        ungrounded=loose,
        confidence=response.get("confidence"),
    )
