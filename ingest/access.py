"""Who may read a paper: `public` (the default) or `restricted` (members and officers only).

Councils publish exempt papers (Schedule 12A of the Local Government Act 1972: "NOT FOR
PUBLICATION", "Part 2", "exempt information under paragraph 3") in the same folders as the
public pack, so each document's access is decided at ingest, with the reason, in this order:

1. its sidecar `<file>.meta.json` (`"access": "public"` or `"restricted"`), which overrides all;
2. a folder on its path named for exempt papers ("exempt", "part 2", "restricted", ...);
3. a marking on its first pages that the paper itself is exempt (`marking`).

Public papers *mention* exempt business all the time, and none of that may hide them: an agenda
lists "EXEMPT ITEMS" and moves "to exclude the press and public ... under paragraph 3 of Part 1
of Schedule 12A", minutes record that resolution, a decision form says "Do not include
information which is exempt from publication under schedule 12a", a cover report says its
Appendix 2 is exempt, and Kent's templates print "Classification: Unrestricted". So a marking
counts only where a paper marks itself: a banner line at the top (or foot) of page 1 or 2, a
"Classification:" field, or a sentence saying "this report is exempt"; a paragraph reference
counts only outside agendas and minutes and away from words about excluding the public or about
another paper (an appendix, an item)."""

from __future__ import annotations

import re
from pathlib import Path
from ..schema import Access, Document
from .metadata import read_sidecar, sidecar_name

ACCESS_VALUES = ("public", "restricted")

PAGES_READ = 2  # a marking is on the cover or the first page of the report
HEAD_LINES = 12  # lines at the top of a page where a banner stands
FOOT_LINES = 3  # and at its foot (a running footer)
AGENDA_HEAD_LINES = 6  # an agenda or minutes marks itself in its first lines, or not at all
CONTEXT_CHARS = 400  # how far before a paragraph reference to look for words about other papers
TEXT_PAGE_CHARS = 4000  # a text or HTML paper has one "page": only its opening counts

_EXEMPT_NOUN = r"(?:report|paper|information|appendix|annex|document|minutes|agenda|record)"
_MARK = r"(?:exempt|restricted|confidential|strictly\s+confidential|private\s+and\s+confidential)"
_PART_2 = r"part\s*(?:2|ii|two)"
# A whole line that is a marking: "NOT FOR PUBLICATION", "RESTRICTED", "Exempt report - para 3",
# "PART 2", "Part II - exempt", "Classification: Restricted", "Status: Exempt (paragraph 3)". Not
# "EXEMPT ITEMS" (an agenda heading), "Part 2: Seashells" (a section) or "Confidential Reporting
# Code" (a public policy's title).
BANNER = re.compile(
    rf"^(?:not\s+for\s+publication\b.*"
    rf"|{_MARK}(?:\s+{_EXEMPT_NOUN})?\s*(?:[-–—:(,].*)?"
    rf"|{_PART_2}(?:\s*[-–—:(]?\s*(?:report|paper|agenda|item|exempt|private|confidential|not\s+for\s+publication)\b.*)?"
    rf"|(?:security\s+)?(?:classification|status|protective\s+marking|access)\s*[:\-–]?\s*"
    rf"(?:{_MARK}|not\s+for\s+publication|{_PART_2})\b.*)$", re.I)
# "NOT FOR PUBLICATION" inside a top line ("Appendix 2 - NOT FOR PUBLICATION" heading the appendix).
NOT_FOR_PUBLICATION = re.compile(r"\bnot\s+for\s+publication\b", re.I)
OTHER_PAPER = re.compile(r"\b(?:appendi(?:x|ces)|annex(?:es)?|item\s+\d|items)\b", re.I)
# The paper speaking of itself: "This report is exempt", "This appendix is not for publication",
# "This report contains exempt information" (but not "... in Appendix 2", and not "exempt from
# call-in", which is about urgency, not secrecy).
SELF_STATEMENT = re.compile(
    r"\bthis\s+(?:report|paper|appendix|annex|document)(?:\s+and\s+its\s+appendi(?:x|ces))?\s+"
    r"(?:(?:is|are)\s+(?:(?:therefore|also|considered)\s+)?(?:exempt(?!\s+from\s+call)|not\s+for\s+publication|"
    r"confidential|restricted)"
    r"|contains\s+(?:exempt|confidential)\s+information(?!\s+(?:in|at|within)\s+(?:the\s+)?(?:appendi|annex)))",
    re.I)
# A reference to the exemption paragraphs: "NOT FOR PUBLICATION by virtue of paragraph 3",
# "exempt information as defined in paragraph 3 of Part 1 of Schedule 12A".
PARAGRAPH_REFERENCE = re.compile(
    r"(?:not\s+for\s+publication|exempt(?:\s+information)?)\s*,?\s*(?:under|as\s+defined\s+in|within\s+the\s+meaning\s+of|"
    r"by\s+virtue\s+of|in\s+accordance\s+with|pursuant\s+to)\s+paragraphs?\s+\d", re.I)
# Words near such a reference that make it a mention of exempt business, not a marking.
MENTION_CONTEXT = re.compile(
    r"exclu(?:de|ded|sion)|press\s+and\s+public|public\s+and\s+press|\bmotion\b|\bresolved\b|"
    r"\bappendi(?:x|ces)\b|\bannex(?:es)?\b|\bitems?\s+\d", re.I)
# An agenda or minutes: these list and minute exempt business without being exempt themselves.
AGENDA_LIKE = re.compile(
    r"\bagenda\b|\bminutes\b|\bexempt\s+items\b|\bunrestricted\s+items\b|record\s+of\s+decision|"
    r"exclu(?:de|sion\s+of)\s+the\s+(?:press|public)|press\s+and\s+public\s+be\s+excluded", re.I)
# Folder names: "exempt", "part-2", "Part II papers", "restricted", "confidential",
# "not-for-publication" (word by word: not "unrestricted" or "non-exempt"; and not "private",
# which names as many public folders, "private-sector-housing", as exempt ones).
FOLDER_WORDS = {"exempt", "restricted", "confidential"}
FOLDER_PHRASES = (("part", "2"), ("part", "ii"), ("part", "two"), ("part2",), ("not", "for", "publication"))
NEGATIONS = {"non", "not", "un"}


def _lines(page: str) -> list[str]:
    return [" ".join(line.replace("*", " ").replace("#", " ").split()) for line in page.splitlines() if line.strip()]


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def marking(pages: list[str], paged: bool = True) -> str:
    """Where the paper marks itself exempt, in words ("'NOT FOR PUBLICATION' at the top of page
    1"), or "" when its first pages carry no such marking."""
    pages = pages[:PAGES_READ] if paged else [pages[0][:TEXT_PAGE_CHARS] if pages else ""]
    if not pages:
        return ""
    first = _lines(pages[0])
    agenda_like = bool(AGENDA_LIKE.search("\n".join(first[:40])))
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)
        if agenda_like:
            edges = list(enumerate(lines[:AGENDA_HEAD_LINES])) if number == 1 else []
        else:
            foot = range(max(HEAD_LINES, len(lines) - FOOT_LINES), len(lines))
            edges = list(enumerate(lines[:HEAD_LINES])) + [(i, lines[i]) for i in foot]
        for i, line in edges:
            where = "at the top" if i < HEAD_LINES else "at the foot"
            if BANNER.match(line):
                return f"'{_quote(line)}' {where} of page {number}"
            # A heading such as "Appendix 2 - NOT FOR PUBLICATION" is the appendix's own banner
            # only as its first lines; further down, the words name another paper.
            if NOT_FOR_PUBLICATION.search(line) and (i < 3 or not OTHER_PAPER.search(line)):
                return f"'{_quote(line)}' {where} of page {number}"
        text = " ".join(lines)
        if match := SELF_STATEMENT.search(text):
            return f"'{_quote(text[match.start():match.end() + 60])}' on page {number}"
        if agenda_like:
            continue
        for match in PARAGRAPH_REFERENCE.finditer(text):
            before = text[max(0, match.start() - CONTEXT_CHARS):match.end()]
            if not MENTION_CONTEXT.search(before):
                return f"'{_quote(text[match.start():match.end() + 60])}' on page {number}"
    return ""


def folder_marking(relpath: str) -> str:
    """The folder on `relpath` (a document id: its path inside the folder ingested) whose name
    says its papers are exempt, or ""."""
    for folder in Path(relpath).parts[:-1]:
        words = [w for w in re.split(r"[^a-z0-9]+", folder.lower()) if w]
        for i, word in enumerate(words):
            negated = i > 0 and words[i - 1] in NEGATIONS
            if word in FOLDER_WORDS and not negated:
                return folder
            if any(tuple(words[i:i + len(p)]) == p for p in FOLDER_PHRASES) and not negated:
                return folder
    return ""


def sidecar_access(sidecar: dict, name: str) -> Access | None:
    """The access a sidecar gives, if any; a value other than public or restricted is refused
    (a typo must not leave an exempt paper public)."""
    value = sidecar.get("access")
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in ACCESS_VALUES:
        raise ValueError(f"sidecar {name}: access must be \"public\" or \"restricted\", not {value!r}")
    return value.strip().lower()  # type: ignore[return-value]


def decide(relpath: str, found: str, sidecar: dict, sidecar_name: str = "sidecar") -> tuple[Access, str]:
    """A document's access and the reason, from its id, the marking found on its pages (see
    `marking`) and its sidecar."""
    folder = folder_marking(relpath)
    detected = (f"folder '{folder}' is for exempt papers" if folder else "") or (f"marked exempt: {found}" if found else "")
    chosen = sidecar_access(sidecar, sidecar_name)
    if chosen is not None:
        overrides = f", overriding: {detected}" if detected and chosen == "public" else ""
        return chosen, f"set in {sidecar_name}{overrides}"
    if detected:
        return "restricted", detected
    return "public", "no exempt marking on its first pages"


def assess(relpath: str, pages: list[str], paged: bool, sidecar: dict, sidecar_name: str) -> dict:
    """The access fields of a Document parsed from `pages` (raw text: a banner repeated on every
    page is furniture that cleaning removes)."""
    found = marking(pages, paged)
    access, reason = decide(relpath, found, sidecar, sidecar_name)
    return {"access": access, "access_reason": reason, "access_marking": found}


def reassess(doc: Document, path: Path, text: str) -> Document:
    """`doc` with its access decided again for a file that has not changed, whose sidecar or
    folder may have: from the marking found when it was parsed, or, for a document indexed before
    access existed, from its stored cleaned text page by page. Raises ValueError for a sidecar
    that cannot be read."""
    found = doc.access_marking
    if found is None:
        starts = doc.page_starts or [0]
        pages = [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]
        found = marking(pages, bool(doc.page_starts))
    access, reason = decide(doc.id, found, read_sidecar(path), sidecar_name(path))
    update = {"access": access, "access_reason": reason, "access_marking": found}
    return doc if all(getattr(doc, k) == v for k, v in update.items()) else doc.model_copy(update=update)
