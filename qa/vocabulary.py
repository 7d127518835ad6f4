"""Question words typed otherwise than the papers write them, read as the papers write them.

People type "rehab" for rehabilitation and "HR" for human resources. A word the index
has never seen can be said by no passage, yet as the rarest idea of the question it would count
most against every candidate, so a question typed that way was abstained on however plainly the
papers answered it. Two named rules, the first checked against the index's own vocabulary:

- rule "clipped word": an unseen word of at least CLIPPED_MIN letters that begins a few words the
  papers use stands for them ("rehab" for "rehabilitation");
- rule "initialism": a word typed in capitals stands for capitalised words whose initials
  spell it ("HR" for "Human Resources", "DfT" for "Department for Transport"), where the text
  being read has them. Whether or not the papers also use the initialism: a paper that writes
  "DfT" on one page spells out "the Department for Transport" in the sentence that answers.

And the other way round, rule "an initialism the paper spells out": a sentence of a paper that
writes "the MSA" says the words the paper spelled it out as ("Mayoral Strategic Authority (MSA)"),
so a question typed in words ("a mayoral authority") finds them in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..index.sparse import tokenize
from .question import spelled_acronyms

CLIPPED_MIN = 5  # "rehab", "admin", "stats": shorter beginnings ("foot", "car") are words of their own
CLIPPED_MOST = 6  # a beginning shared by more words than this picks none of them out
TYPED_CAPITALS = re.compile(r"\b[A-Z](?:[A-Z&]|[a-z](?=[A-Z])){0,3}[A-Z]s?\b")  # "HR", "SEND", "DfT"
CAPITALISED_RUN = re.compile(r"\b[A-Z][A-Za-z]+(?:[ \t]+(?:(?:and|of|for|the|&)[ \t]+)?[A-Z][A-Za-z]+)+")
CONNECTORS = {"and", "of", "for", "the", "&"}


def clipped_forms(term: str, vocabulary: Collection[str]) -> set[str]:
    """The words of the papers an unseen question word is the beginning of (rule "clipped word")."""
    if term in vocabulary or len(term) < CLIPPED_MIN or not term.isalpha():
        return set()
    forms = {word for word in vocabulary if word.startswith(term)}
    return forms if len(forms) <= CLIPPED_MOST else set()


def typed_initialisms(question: str) -> set[str]:
    """Words typed in capitals: initialisms to look for as initials too."""
    found = set()
    for match in TYPED_CAPITALS.finditer(question):
        tokens = tokenize(match.group(0))
        if len(tokens) == 1:
            found.add(tokens[0])
    return found


def initialisms(text: str) -> set[str]:
    """The initials of every run of two to five capitalised words in a text, lower-cased, with the
    small joining words ("and", "of") read both as letters and as nothing: "Department for
    Transport" gives "dft" and "dt"."""
    out: set[str] = set()
    for match in CAPITALISED_RUN.finditer(text):
        words = match.group(0).split()
        for i in range(len(words)):
            if words[i].lower() in CONNECTORS:
                continue
            for j in range(i + 2, min(len(words), i + 7) + 1):
                if words[j - 1].lower() in CONNECTORS:
                    continue
                run = words[i:j]
                out.add("".join(w[0] for w in run).lower())
                out.add("".join(w[0] for w in run if w.lower() not in CONNECTORS).lower())
    return {a for a in out if 2 <= len(a) <= 5}


def spelled_out_initialisms(document_text: str) -> dict[str, set[str]]:
    """The initialisms a paper spells out ("Mayoral Strategic Authority (MSA)"), each as the words
    it stands for, tokenised: {"msa": {"mayor", "strateg", "author"}} (rule "an initialism the
    paper spells out")."""
    found: dict[str, set[str]] = {}
    for words, acronym in spelled_acronyms(document_text):
        tokens = tokenize(acronym)
        if len(tokens) == 1:
            found.setdefault(tokens[0], set()).update(tokenize(words))
    return found
