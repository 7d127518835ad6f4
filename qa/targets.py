"""Rule "a target in other words": asked what the aim is, or where a measure started from, a
paper that plans a change from one level to another has said both, in its own words.

"What are we aiming for on pupil absence, and what's the baseline?" is answered by "Pupil
absence will have fallen from 7.9% in 2021/22 to below 5% by 2028": "from 7.9%" is the
baseline, "to below 5%" the aim, though the sentence says neither word. So a unit that states a
target (a level to reach or keep to, "at least", "no more than", a planned change "from ... to
...") says the question's words for a target; one that also says where the change starts from
("from 7.9%") says its words for a baseline. A unit that states neither has not answered what
the aim is, however many of the measure's words it shares."""

from __future__ import annotations

import re
from functools import lru_cache

from ..index.sparse import tokenize

# "and what should the figure be?", "what is the aim?": a target asked for.
TARGET_ASKED = re.compile(r"\b(?:supposed|meant|should|ought|expected|aim(?:ed|s)?|aiming|goal|ambition|target(?:ed|s)?)\b", re.I)
TARGET_TERMS = set(tokenize("supposed meant should ought expected aim aimed aims aiming goal ambition target targeted targets"))
# A level to reach or keep to, said as papers say it ("a target of at least 900 a month", "a floor of 60%").
TARGET_SAID = re.compile(r"\b(?:targets?|aim(?:s|ed)?|ambition|goal|floor|standard|no more than|no less than|at least|"
                         r"expected to|should be|by (?:the end of )?(?:March|April|December) \d{4})\b", re.I)
# A planned change from a level to another: "will have fallen from 7.9% to below 5%", "Reduce the
# rate from 20.9% in 2023 to 18.5%", "increase from 8% to above 10%". Not a change that happened
# ("rose from 5% to 7%", "increased from"): only the plain verb of a plan, or "will"/"to" before one.
PLANNED_CHANGE = re.compile(r"\b(?:(?:will|to)\s+(?:have\s+|be\s+)?[a-z]+|reduce|increase|improve|raise|lower|cut|halve|"
                            r"double|maintain|keep)\b[^.;]{0,120}?\bfrom\s+(?:the\s+)?(?:current\s+)?(?:level\s+of\s+)?"
                            r"£?\d[\d,.]*%?[^.;]{0,60}?\bto\b", re.I)
# "what's the baseline", "what was the starting point": where a measure started from.
BASELINE_ASKED = re.compile(r"\b(?:baseline|starting point|start(?:ing)? (?:level|figure|position))\b", re.I)
BASELINE_TERMS = set(tokenize("baseline starting start point level figure position"))


def states_target(text: str) -> bool:
    """Whether a text states a level to reach or keep to, in any of the ways papers do."""
    return bool(TARGET_SAID.search(text) or PLANNED_CHANGE.search(text))


@lru_cache(maxsize=256)
def _asked(question: str) -> tuple[bool, frozenset[str]]:
    """Whether a question asks for a target, and its words for a baseline: read once per
    question, not once for every unit weighed against it."""
    baseline = BASELINE_ASKED.search(question)
    return bool(TARGET_ASKED.search(question)), frozenset(BASELINE_TERMS & set(tokenize(baseline.group(0))) if baseline else ())


def target_words_said(question: str, text: str) -> set[str]:
    """The question's words for a target and a baseline (stemmed) that `text` says in other
    words, by rule "a target in other words"."""
    target, baseline = _asked(question)
    said: set[str] = set()
    if target and states_target(text):
        said |= TARGET_TERMS
    if baseline and PLANNED_CHANGE.search(text):
        said |= baseline
    return said
