"""Two-part questions: "What percentage of complaints were responded to in time, and what is the
target?". The best sentence often answers only one part; each part names what else the answer
must say, so a second sentence that says it can be added."""

from __future__ import annotations

import re

from ..index.sparse import tokenize
from .figures import quantities
from .question import QUESTION_WORDS, Question, asks_amount, without_hedges
from .targets import TARGET_ASKED, TARGET_SAID, TARGET_TERMS

# The second question: "..., and what is the target?", "and where will the money come from?", "and
# under the new policy what becomes of late claims?" (a short phrase may come before its question word). A
# source or time said after it, for both parts ("..., and how many were approved, per the
# October update?"), is not part of it. Rule "a comparison asks two things": "what is it worth now
# vs what we paid for it?" asks for two figures, as "and" would (only before a question word:
# "spend vs budget" asks one thing of a row).
SECOND = re.compile(r"(?:,?\s+and|\s+(?:vs\.?|versus))\s+((?:(?:under|in|for|at|by|on|with|after|since|over)\s+(?:[\w'’-]+\s+){0,3}?)?"
                    r"(?:what|how|which|when|who|where|why|whose|from what|by when|against what)\b[^?]*?)"
                    r"(?:,\s*(?:per|according to|as (?:of|at)|in|at|from|for)\b[^?]*)?\??\s*$", re.I)
# Words that say what form the second answer takes, not what it is about.
PART_WORDS = set(tokenize("share date be being against compare compared related relate previous"))
PERCENT = re.compile(r"percentage|per ?cent|proportion|share\b|%", re.I)
# "how does that compare with last year's": the answer sets one figure against another.
COMPARES = re.compile(r"\bcompar(?:e|ed|es|ison)\b|\bchange[ds]? (?:from|since)\b", re.I)
SAYS_COMPARISON = re.compile(r"\b(?:from|than|compared (?:with|to)|against|up on|down on)\s+£?(?!(?:19|20)\d\d\b)\d|"
                             r"\b(?:previous|last year'?s?|prior year|the year before)\b", re.I)
# "Which Cabinet Members did ...", "What reason did ...": the thing the first part asks for.
AUXILIARY = r"(?:did|does|do|was|were|is|are|has|have|had|will|would|can|could)\b"
FIRST_HEAD = re.compile(rf"^\s*(?:which|what)\s+(?!{AUXILIARY})((?:[\w'-]+\s+){{0,3}}?[\w'-]+)\s+{AUXILIARY}", re.I)


class Part:
    """The second question inside a question, with the words only it uses."""

    def __init__(self, question: str):
        match = SECOND.search(question)
        self.text = match.group(1) if match else ""
        first = set(tokenize(question[: match.start()])) if match else set()
        self.terms = [t for t in dict.fromkeys(tokenize(without_hedges(self.text)))
                      if t not in QUESTION_WORDS and t not in PART_WORDS and t not in first]
        self.amount = bool(self.text) and asks_amount(self.text.lower())
        self.percent = bool(PERCENT.search(self.text))
        self.compares = bool(COMPARES.search(self.text))
        self.target = bool(TARGET_ASKED.search(self.text))
        if self.target:
            self.terms = [t for t in self.terms if t not in TARGET_TERMS]  # said in other words

    def __bool__(self) -> bool:
        return bool(self.text)

    def said_by(self, text: str) -> bool:
        """Whether a sentence answers this part: it names what the part alone asks about (or,
        asked for a share with nothing else to go on, gives a percentage; asked how a figure
        compares, sets it against another; asked for a target, states one)."""
        if self.target and TARGET_SAID.search(text) and (not self.terms or set(self.terms) & set(tokenize(text))):
            return True
        if self.terms:
            return bool(set(self.terms) & set(tokenize(text)))
        if self.compares:
            return bool(SAYS_COMPARISON.search(text)) and len(quantities(text)) >= 2
        return self.percent and "%" in text


# "and what's the floor?", "what benchmark was it measured against?": a level a figure is held to.
BENCHMARK_ASKED = re.compile(r"\b(?:floor|standard|threshold|benchmark|baseline|limit|cap|ceiling)s?\b", re.I)


def asks_two_amounts(question: str) -> bool:
    """Rule "two amounts asked, two given": both parts of a two-part question ask for an amount
    ("How many carers were approved, and what is the target?", "How much does the government
    give, and how much does the council add?"), so an answer giving one figure has answered half.
    The second part asks for one as an amount, a share, a target, a level to meet, or a
    comparison; the first by "how many/how much" or a noun of amount."""
    part = Part(question)
    if not part:
        return False
    first = question[: SECOND.search(question).start()]
    second_asks = part.amount or part.percent or part.target or part.compares or bool(BENCHMARK_ASKED.search(part.text))
    return second_asks and (asks_amount(first.lower()) or bool(PERCENT.search(first)))


class FirstPart:
    """The first question of a two-part one, when it asks for a named kind of thing ("Which
    Cabinet Members did Council call on ..., and from what date ...?"): the sentence answering
    the second part may not name them at all."""

    def __init__(self, question: str):
        match = SECOND.search(question)
        head = FIRST_HEAD.search(question[: match.start()]) if match else None
        self.terms = [t for t in dict.fromkeys(tokenize(without_hedges(head.group(1))))
                      if t not in QUESTION_WORDS] if head else []

    def __bool__(self) -> bool:
        return bool(self.terms)

    def said_by(self, text: str) -> bool:
        return set(self.terms) <= set(tokenize(text))


def asks_only_when(q: Question) -> bool:
    """Rule "asked when": the question asks for a time and nothing else ("When does a new
    tenancy get its first inspection?", "Since when has the council opposed the incinerator?");
    a two-part question's other part may be answered by a sentence with no time in it."""
    return q.wants_date and not Part(q.text)


# Rule "the items a question lists": "how many parks were rated good, fair and poor?", "the gold,
# silver and bronze counts": three or more one-word items joined by commas and a last "and"/"or".
# Each must be answered; a sentence giving two of three has answered part of the question. Two
# items joined by "and" are most often one name ("Wessex and Mercia") or one phrase ("leases and
# legal agreements"), not a list.
LISTED = re.compile(r"\b[a-z][a-z'’-]*(?:\s*,\s*[a-z][a-z'’-]*)+,?\s+(?:and|or)\s+[a-z][a-z'’-]*\b", re.I)
LIST_JOINT = re.compile(r"\s*,\s*|,?\s+(?:and|or)\s+", re.I)
LISTED_AT_LEAST = 3


def listed_items(question: str) -> list[str]:
    """The words of the longest list of single-word items the question names, each a word that
    says what the answer is about (not "how", "the" or "what")."""
    best: list[str] = []
    for match in LISTED.finditer(question):
        items = [tokenize(w) for w in LIST_JOINT.split(match.group(0)) if w]
        if all(len(t) == 1 and t[0] not in QUESTION_WORDS for t in items) and len(items) > len(best):
            best = [t[0] for t in items]
    return list(dict.fromkeys(best)) if len(set(best)) >= LISTED_AT_LEAST else []
