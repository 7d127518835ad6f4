"""Follow-up questions in a conversation. "And for CAMHS?" or "what about March?" mean nothing to
a search on their own; they are rewritten into a standalone question from the one before:
the part of the earlier question they stand in for is replaced (the phrase after the same
preposition, or the date), or, failing that, the new words are added to it."""

from __future__ import annotations

import re

from .question import MONTH_NAMES

MAX_HISTORY = 5  # questions of context kept; only the last is needed to rewrite the next
MAX_FOLLOW_UP_WORDS = 7

LEAD = re.compile(r"^\s*(?:(?:and|but|also|so|ok|okay)\s*,?\s*)?(?:(?:what|how)\s+about|what\s+of|same\s+for|and)?\s*,?\s*", re.I)
PREPOSITIONS = ("for", "in", "at", "on", "by", "about", "during", "from", "of", "with")
# Where the phrase after a preposition ends: the next preposition, a comma or the question mark.
BOUNDARY = re.compile(r"\s+(?:at|in|on|by|for|from|to|during|between|according|after|before|since|of|with|per|and what)\b|[,?;]|$", re.I)
MONTH = r"(?:" + "|".join(MONTH_NAMES) + r")"
MONTH_YEAR = re.compile(rf"\b{MONTH}\s+(?:19|20)\d\d\b", re.I)
MONTH_ONLY = re.compile(rf"\b{MONTH}\b", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d(?:/\d\d)?\b")
QUARTER = re.compile(r"\bQ[1-4]\b", re.I)
DATE_FRAGMENT = re.compile(rf"^(?:the end of\s+)?(?:{MONTH}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d(?:/\d\d)?|Q[1-4](?:\s+(?:19|20)\d\d(?:/\d\d)?)?)$", re.I)
# A question that can stand alone has a verb of its own; a follow-up is a phrase.
STANDALONE = re.compile(r"\b(is|are|was|were|did|does|do|has|have|had|will|would|can|could|should|many|much|who|when|which|why)\b", re.I)


def is_follow_up(question: str) -> bool:
    words = question.split()
    if not words or len(words) > MAX_FOLLOW_UP_WORDS:
        return False
    lead = LEAD.match(question)
    led = bool(lead and lead.group(0).strip())
    return led or not STANDALONE.search(question)


def _fragment(question: str) -> str:
    return LEAD.sub("", question, count=1).strip().rstrip("?.!").strip()


def _replace_date(previous: str, date: str) -> str | None:
    """"what about March?" after "... the October 2024 target ...": the month changes, the
    year stays; a full "March 2023" or a year replaces its like."""
    has_year = YEAR.search(date)
    has_month = MONTH_ONLY.search(date)
    if QUARTER.search(date) and QUARTER.search(previous):
        return QUARTER.sub(date, previous, count=1)
    if has_month and has_year:
        for pattern in (MONTH_YEAR, MONTH_ONLY):
            if pattern.search(previous):
                return pattern.sub(date, previous, count=1)
        return None
    if has_month:
        return MONTH_ONLY.sub(has_month.group(0), previous, count=1) if MONTH_ONLY.search(previous) else None
    if has_year:
        return YEAR.sub(has_year.group(0), previous, count=1) if YEAR.search(previous) else None
    return None


def _replace_after_preposition(previous: str, preposition: str, phrase: str) -> str | None:
    """"and for physiotherapy?" after "... still waiting for an autism assessment at the end of ...":
    the phrase after the last "for" that is not a date gives way to the new one."""
    candidates = []
    for match in re.finditer(rf"\b{preposition}\s+", previous, re.I):
        rest = previous[match.end():]
        end = BOUNDARY.search(rest)
        old = rest[: end.start()] if end else rest
        if old.strip() and not DATE_FRAGMENT.match(old.strip()):
            candidates.append((match.end(), match.end() + len(old)))
    if not candidates:
        return None
    start, end = candidates[-1]
    return previous[:start] + phrase + previous[end:]


def standalone(question: str, history: list[str] | None = None) -> str:
    """The question to search for: `question` itself, or, when it is a follow-up to the last of
    `history`, that earlier question with the follow-up's words put in."""
    question = question.strip()
    previous = next((h.strip() for h in reversed(history or []) if h and h.strip()), "")
    if not previous or not is_follow_up(question):
        return question
    fragment = _fragment(question)
    if not fragment:
        return previous
    words = fragment.split(maxsplit=1)
    preposition = words[0].lower() if words[0].lower() in PREPOSITIONS and len(words) > 1 else None
    phrase = words[1] if preposition else fragment
    if DATE_FRAGMENT.match(phrase):
        return _replace_date(previous, phrase) or f"{previous.rstrip(' ?.')} {preposition or 'in'} {phrase}?"
    for candidate in dict.fromkeys(([preposition] if preposition else []) + ["for", "about"]):
        rewritten = _replace_after_preposition(previous, candidate, phrase)
        if rewritten:
            return rewritten
    # Nothing to stand in for: search the earlier question with the new words added.
    return f"{previous.rstrip(' ?.')} {preposition or 'for'} {phrase}?"
