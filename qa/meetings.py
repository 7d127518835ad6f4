"""Rule "the meeting a question names": a question that names a meeting by its day or month and
a body ("at the 4 June council", "what did cabinet decide in October", "who chaired the May 2023
scrutiny meeting") is asked about the papers of that meeting, and the search prefers them.

Why: a councillor names a meeting the way the diary does, by body and date, and rarely in the
words the papers use for what was asked: the agenda's front sheet says "Ask for: ..." and a
date under the clerk's name, not "who to contact" or "when it was published". Those words find
nothing, and the date and the body are not in a passage's words at all but in its paper's
metadata (a meeting's date and committee, read from its folder or file name at ingest). So the
search adds a ranking of the named meeting's own passages to its fusion (index/search.py,
`prefer`): a preference, not a filter, since the same words may name a paper printed for
another meeting (minutes are approved at the next one).

What counts as naming a meeting:
- a month, with or without a day and a year ("9 January", "jan", "March 2024"), or a day written
  in full, in a question that also says a meeting word (a committee, council, cabinet, panel,
  board, scrutiny or meeting, or a body of the index by name or initials). A month alone is no
  meeting: "how many were waiting in November 2022" asks about a period, not a meeting;
- the meetings meant are those of the index on that day or in that month (and year, if given),
  of the bodies the question names if it names any of the index's bodies (with the papers of
  that day whose body was not read from them), else of every body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..index.sparse import tokenize
from ..schema import Document

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# A month as typed, short or whole ("sept", "Dec"), with the day before or after it and a year after
# it: "9 jan", "13th March 2025", "January 30", "march-2024". "May" is a month only after a day or a
# word that puts a time ("in May", "9 May"), not as a verb ("what may the council do").
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:(?<=\bin )|(?<=\d )|(?<=\dth )|(?<=\dst )|(?<=\dnd )|(?<=\drd ))may)")
MONTH_NAMED = re.compile(r"(?:\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?\b" + _MONTH + r"\b\.?"
                         r"(?:[\s-]+(\d{1,2})(?:st|nd|rd|th)?\b)?(?:[\s,-]+((?:19|20)\d\d))?", re.I)
MEETING_WORDS = {"meeting", "committee", "cttee", "council", "cabinet", "panel", "board", "scrutiny", "forum",
                 "executive", "assembly", "subcommittee", "sub-committee"}
# "Council tax" is a tax, not a meeting of the council.
NOT_A_BODY = re.compile(r"\bcouncil\s+tax\b", re.I)
# Words of a body's name that do not pick it out from other bodies.
COMMON_NAME_WORDS = {"and", "of", "the", "for", "committee", "sub", "s", "meeting"}


def _month_number(typed: str) -> int:
    return next(i for i, name in enumerate(MONTHS, start=1) if name.startswith(typed.lower()[:3]))


def named_dates(question: str) -> list[tuple[int | None, int, int | None]]:
    """(day, month, year) of each month the question names, day and year None where not said."""
    out = []
    for m in MONTH_NAMED.finditer(question):
        day = m.group(1) or m.group(3)
        out.append((int(day) if day and 1 <= int(day) <= 31 else None, _month_number(m.group(2)),
                    int(m.group(4)) if m.group(4) else None))
    return out


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word.lower() not in {"and", "of", "the", "for"})


_COMMON_TOKENS = set(tokenize(" ".join(COMMON_NAME_WORDS)))


def _ways_to_name(bodies: Iterable[str]) -> list[tuple[str, set[str], str]]:
    """Each body with the words of its name that set it apart, and its initials."""
    return [(body, set(tokenize(body)) - _COMMON_TOKENS, _initials(body).lower()) for body in sorted(bodies)]


class Meetings:
    """The index's meetings, read once from its documents' metadata: which papers each body's
    meeting on each day has, and how each body may be named. An answerer keeps one for its index
    generation, so a question costs a look at its dates, not a pass over every paper."""

    def __init__(self, documents: Mapping[str, Document]):
        self.papers: dict[tuple[int, int, int], list[tuple[str, str | None]]] = {}
        for doc_id, doc in documents.items():
            if doc.meeting_date:
                y, m, d = (int(part) for part in doc.meeting_date.split("-"))
                self.papers.setdefault((y, m, d), []).append((doc_id, doc.committee))
        self.ways_to_name = _ways_to_name({c for papers in self.papers.values() for _, c in papers if c})

    def bodies_named(self, question: str) -> set[str]:
        """The index's bodies a question names: by a word of the name that sets it apart from
        "committee" ("cabinet", "scrutiny", "council"), or by its initials ("CPP")."""
        question = NOT_A_BODY.sub(" ", question)
        said = set(tokenize(question))
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
        return {body for body, own, initials in self.ways_to_name if own & said or (len(initials) >= 2 and initials in words)}

    def named_in(self, question: str) -> set[str]:
        """The ids of the papers of the meetings a question names (see the module's rule);
        empty when it names none, or none the index holds."""
        dates = named_dates(question)
        if not dates:
            return set()
        named = self.bodies_named(question)
        if not named and not _says_meeting_word(question):
            return set()
        on_day = [(day, doc_id, committee) for day, papers in self.papers.items()
                  if any(day[1] == month and d in (None, day[2]) and year in (None, day[0]) for d, month, year in dates)
                  for doc_id, committee in papers]
        # A paper whose body was not read from it (minutes opening with "Present:") may be the
        # named body's, on a day that body met.
        days_met = {day for day, _, committee in on_day if committee in named}
        of_body = {doc_id for day, doc_id, committee in on_day if committee in named or (committee is None and day in days_met)}
        return of_body or {doc_id for _, doc_id, _ in on_day}


def _says_meeting_word(question: str) -> bool:
    words = {w.lower() for w in re.findall(r"[A-Za-z-]+", NOT_A_BODY.sub(" ", question))}
    return bool(words & MEETING_WORDS)
