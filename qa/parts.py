"""Two-part questions: "What percentage of complaints were responded to in time, and what is the
target?". The best sentence often answers only the first part; the second part names what else
the answer must say, so a second sentence that says it can be added."""

from __future__ import annotations

import re

from ..index.sparse import tokenize
from .question import QUESTION_WORDS, asks_amount

SECOND = re.compile(r",?\s+and\s+((?:what|how|which|when|who|from what|by when|against what)\b[^?]*)\??\s*$", re.I)
# Words that say what form the second answer takes, not what it is about.
PART_WORDS = set(tokenize("share date be being against compare compared related relate previous"))
PERCENT = re.compile(r"percentage|per ?cent|proportion|share\b|%", re.I)


class Part:
    """The second question inside a question, with the words only it uses."""

    def __init__(self, question: str):
        match = SECOND.search(question)
        self.text = match.group(1) if match else ""
        first = set(tokenize(question[: match.start()])) if match else set()
        self.terms = [t for t in dict.fromkeys(tokenize(self.text))
                      if t not in QUESTION_WORDS and t not in PART_WORDS and t not in first]
        self.amount = bool(self.text) and asks_amount(self.text.lower())
        self.percent = bool(PERCENT.search(self.text))

    def __bool__(self) -> bool:
        return bool(self.text)

    def said_by(self, text: str) -> bool:
        """Whether a sentence answers this part: it names what the part alone asks about (or,
        asked for a share with nothing else to go on, gives a percentage)."""
        if self.terms:
            return bool(set(self.terms) & set(tokenize(text)))
        return self.percent and "%" in text
