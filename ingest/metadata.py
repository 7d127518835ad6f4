"""Document metadata: title, committee or body, meeting date and document type.

Read from the content first (the papers say "Date of Meeting: 25 January 2024", "MINUTES of a
meeting of the Cabinet held ... on Thursday, 30 January 2025"), then from the folder and file
names ("2025-03-04-cabinet/", "Printed minutes 13th-Mar-2025"), and an optional sidecar file
`<file>.meta.json` overrides both."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from ..schema import DocType

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTH_ABBR = {name[:3]: num for name, num in MONTHS.items()}
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY_MONTH_YEAR = r"(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s*,?\s+(\d{4})"

CONTENT_DATE_PATTERNS = [
    re.compile(r"Date of (?:the )?meeting:?\s*(?:" + WEEKDAY + r",?\s*)?" + DAY_MONTH_YEAR, re.I),
    re.compile(r"MINUTES of (?:a|the) meeting of .{0,200}? held .{0,200}?on\s+(?:" + WEEKDAY + r",?\s*)?" + DAY_MONTH_YEAR, re.I | re.S),
    re.compile(r"MINUTES OF .{0,120}? MEETING\s*[-–]\s*" + WEEKDAY + r",?\s*" + DAY_MONTH_YEAR, re.I | re.S),
    re.compile(WEEKDAY + r",?\s+" + DAY_MONTH_YEAR + r"(?:,?\s+at\s+\d)", re.I),
    # The body a report goes to, with the meeting's date: "To:<tab>Cabinet – 4 March 2025",
    # "To: County Council<tab>Date: 13 March 2025".
    re.compile(r"^To:?[ \t]+[A-Z][^\n]{2,80}?[ \t,:–-]+(?:Date:?\s*)?" + DAY_MONTH_YEAR, re.M),
    # A minutes heading ("CORPORATE PARENTING PANEL– 29 October 2024 / MINUTES of the meeting")
    # and a supplement's covering letter ("Dear Member / CABINET - THURSDAY, 30 JANUARY 2025").
    re.compile(r"[–-]\s*" + DAY_MONTH_YEAR + r"\s*\n+\s*MINUTES\b"),
    re.compile(r"Dear (?:Member|Councillor)s?\s*\n+[^\n]{3,80}?[-–]\s*" + WEEKDAY + r",?\s*" + DAY_MONTH_YEAR, re.I),
]
CONTENT_BODY_PATTERNS = [
    # A colon: "Report to Kent County Council by J Burston, Inspector" is a title, not a body.
    re.compile(r"Report to:\s*\t?\s*([A-Z][^\n\t]{3,100})"),
    re.compile(r"MINUTES of (?:a|the) meeting of (?:the )?(.{3,100}?) held", re.I | re.S),
    re.compile(r"MINUTES OF (.{3,100}?) MEETING\s*[-–]", re.I | re.S),
    re.compile(r"^([A-Z][A-Z ,'’&]{3,80}?)\s*[–-]\s*" + DAY_MONTH_YEAR + r"\s*\n+\s*MINUTES\b", re.M),
    re.compile(r"requested to attend the:?\s*\n+\s*([^\n]{3,100})", re.I),
    re.compile(r"^To:?[ \t]+([A-Z][^\n\t]{2,60}?)[ \t,:–-]+(?:Date:?\s*)?" + DAY_MONTH_YEAR, re.M),
    re.compile(r"Dear (?:Member|Councillor)s?\s*\n+\s*([A-Z][A-Z ,'’&]{3,80}?)\s*[-–]\s*" + WEEKDAY, re.I),
    # A ModernGov agenda frontsheet: "AGENDA / CABINET / Thursday, 13th March, 2025".
    re.compile(r"^\s*AGENDA\s*\n+\s*([A-Z][A-Z ,'’&]{3,80})\s*\n", re.M),
]
SUBJECT = re.compile(r"^Subject:[ \t]+([^\n\t]{6,200})", re.M)
# Words that say what a paper is about (not "Appendix", "Final", "v2", a number or a date).
DESCRIPTIVE_WORD = re.compile(
    r"\b(?!(?:appendix|annex|app|item|final|draft|version|document|doc|report|pdf|enc|jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|oct|nov|dec)\b)[A-Za-z]{3,}\b", re.I)
GENERIC_TITLE = re.compile(
    r"(microsoft|untitled|document\d*$|agenda template|the report$|powerpoint presentation|minutes$|"
    r"executive decision$|record of decision$|item \d+$|appendix \w+$)", re.I)
# Rule "a paper's title is its opening heading": what may open a paper without being its title.
# An organisation's name alone ("Kent County Council", "London Borough of Camden") heads a
# letterhead, not a subject; "Public Document Pack" heads every pack a ModernGov site prints.
# Its words are capitalised ("KENT COUNTY COUNCIL" too); a heading that ends in "Council" but
# has a lower-case word ("Report to Full Council") is a subject, not a letterhead.
ORGANISATION_NAME = re.compile(
    r"^(?:[Tt]he\s+)?(?:[A-Z][\w'’&.-]*\s+){0,4}(?i:council|authority)$"
    r"|^(?:London\s+|Royal\s+)?(?i:borough)\s+of\s+[A-Z][\w' -]+$")
NOT_A_TITLE = re.compile(r"^public document pack$|^(?:open|exempt|restricted|confidential)$", re.I)
# A letter opens with addresses ("2 Marsham Street London SW1P 4DF", "By email: x@y.gov.uk"), and
# its subject is no heading over them: a paper that opens so gets no title from its opening.
LETTER_OPENING = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\S@\S")
OPENING_BLOCKS = 3  # how many blocks of lines at a paper's start may hold its heading
TITLE_WORDS = 20  # an opening block longer than this is a paragraph, not a heading
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NAME_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-\s]([A-Za-z]{3})[a-z]*[-\s](\d{4})")
DOC_TYPE_WORDS: list[tuple[DocType, re.Pattern]] = [
    # "PRoD": a proposed record of decision.
    ("decision", re.compile(r"record of decision|decision notice|decision sheet|\bp?rod\b", re.I)),
    ("minutes", re.compile(r"minutes", re.I)),
    ("agenda", re.compile(r"agenda|frontsheet|public[- ]pack|reports? pack|\bsummons\b", re.I)),
    ("appendix", re.compile(r"\bappendix|\bannex|\bapp\s*\d", re.I)),
    # Motions, amendments and members' questions are none of the kinds the schema has.
    ("other", re.compile(r"\bamendment|\bmotion|\bmtld\b|questions put", re.I)),
    ("report", re.compile(r"report|update|statement|plan|strategy|covenant|\beqia\b|budget", re.I)),
]
# Meeting folders named by body ("2025-02-13-full-council"); other slugs are title-cased.
BODY_FROM_FOLDER = {"full-council": "County Council", "council": "Council", "cabinet": "Cabinet"}
# Folders that say how papers were fetched or grouped, not which body met.
GENERIC_FOLDERS = {
    "originals", "original", "public-packs", "public packs", "packs", "pack", "papers", "documents", "docs",
    "attachments", "files", "downloads", "pdf", "pdfs", "reports", "agendas", "agenda", "minutes",
    "supplements", "appendices", "enclosures", "raw", "data",
}
SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to"}


def _iso(day: str, month: str, year: str) -> str | None:
    month_no = MONTHS.get(month.lower()) or MONTH_ABBR.get(month.lower()[:3])
    try:
        return date(int(year), month_no, int(day)).isoformat() if month_no else None
    except ValueError:
        return None


def date_from_content(text: str) -> str | None:
    # The earliest statement wins: an agenda pack opens with its own meeting's date and quotes
    # the previous meeting's minutes further on.
    head = text[:4000]
    found = []
    for pattern in CONTENT_DATE_PATTERNS:
        match = pattern.search(head)
        if match and _iso(*match.groups()[-3:]):
            found.append((match.start(), _iso(*match.groups()[-3:])))
    return min(found)[1] if found else None


def date_from_path(relpath: str) -> str | None:
    for part in reversed(Path(relpath).parts):
        match = ISO_DATE.search(part)
        if match:
            try:
                return date(*map(int, match.groups())).isoformat()
            except ValueError:
                pass
        match = NAME_DATE.search(part)
        if match:
            found = _iso(*match.groups())
            if found:
                return found
    return None


def _tidy_body(name: str) -> str:
    name = " ".join(name.replace("**", "").split()).strip(" -–:")
    if name.isupper():
        name = name.title().replace("'S ", "'s ").replace("’S ", "’s ")
        name = " ".join(w.lower() if i and w.lower() in SMALL_WORDS else w for i, w in enumerate(name.split()))
    return name


def body_from_content(text: str) -> str | None:
    head = text[:4000]
    for pattern in CONTENT_BODY_PATTERNS:
        match = pattern.search(head)
        if match:
            return _tidy_body(match.group(1))
    return None


def body_from_path(relpath: str) -> str | None:
    """The nearest folder that names a body: "2025-02-13-full-council/originals/x.pdf" is a
    County Council paper, whatever the folder it was downloaded into."""
    for part in reversed(Path(relpath).parts[:-1]):
        slug = ISO_DATE.sub("", part).strip("-_ ")
        if not slug or slug.lower() in GENERIC_FOLDERS:
            continue
        if slug.lower() in BODY_FROM_FOLDER:
            return BODY_FROM_FOLDER[slug.lower()]
        words = slug.replace("-", " ").replace("_", " ").split()
        return " ".join(w if i and w.lower() in SMALL_WORDS else w.capitalize() for i, w in enumerate(words))
    return None


def doc_type_of(relpath: str, text: str) -> DocType:
    name = Path(relpath).stem
    for doc_type, pattern in DOC_TYPE_WORDS:
        if pattern.search(name):
            return doc_type
    head = text[:1500]
    if re.search(r"RECORD OF DECISION", head):
        return "decision"
    if re.search(r"^\s*MINUTES\b", head, re.M):
        return "minutes"
    if re.search(r"A G E N D A|\bAGENDA\b", head):
        return "agenda"
    if re.search(r"Report to:|Date of Meeting:", head, re.I) or (
            re.search(r"^To:", head, re.M) and re.search(r"^Subject:", head, re.M)):
        return "report"  # a covering report: "From: ... / To: Cabinet – 4 March 2025 / Subject: ..."
    return "other"


def title_of(relpath: str, title_hint: str | None, text: str = "") -> str:
    """The paper's own "Subject:" line; else its file name when that says what it is (council
    sites name files well, while the PDF's title is often its template's: "Agenda Template",
    "THE REPORT", "PowerPoint Presentation"); else the PDF title; else its opening heading
    (opening_heading); else the file name."""
    subject = SUBJECT.search(text[:1500])
    if subject:
        return " ".join(subject.group(1).split()).rstrip(".")
    name = _name_words(relpath)
    if len(DESCRIPTIVE_WORD.findall(name)) >= 2:
        return name
    if title_hint and len(title_hint) > 3 and not GENERIC_TITLE.match(title_hint.strip()):
        return " ".join(title_hint.split())
    return opening_heading(text) or name or Path(relpath).name


def opening_heading(text: str) -> str | None:
    """Rule "a paper's title is its opening heading". A paper downloaded under a name that says
    nothing ("s12345.pdf", "Item 5.pdf") and without a useful PDF title is named by the first
    block of lines it opens with (up to a blank line), joined: "Budget Amendment Form",
    "Appendix A: Proposed Updated Terms of Reference". A block that is an organisation's name or
    a pack's stamp is passed over for the next (up to OPENING_BLOCKS); one that is an address (a
    letter's opening), a table's row (tabs), a paragraph (over TITLE_WORDS words) or says
    nothing (fewer than two descriptive words) is no title. Why: the title is what a citation
    shows and what search and the answerer read as what a passage is about; "S12345" says
    neither."""
    for raw in re.split(r"\n\s*\n", text[:2000].strip())[:OPENING_BLOCKS]:
        block = " ".join(raw.split())
        if not block or ORGANISATION_NAME.match(block) or NOT_A_TITLE.match(block):
            continue
        says_little = len(DESCRIPTIVE_WORD.findall(block)) < 2
        if LETTER_OPENING.search(block) or "\t" in raw or len(block.split()) > TITLE_WORDS or says_little:
            return None
        return block.rstrip(".:")
    return None


def _name_words(relpath: str) -> str:
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", Path(relpath).stem).replace("_", " ")
    # A hyphen joining words is a space ("cyp-scrutiny-minutes"); " - " and "24-00096" stay.
    stem = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])|(?<=[A-Za-z])-(?=\d)|(?<=\d)-(?=[A-Za-z])", " ", stem)
    words = " ".join(stem.split())
    return words[:1].upper() + words[1:]


def sidecar_name(path: Path) -> str:
    return path.name + ".meta.json"


def read_sidecar(path: Path) -> dict:
    """The fields a sidecar sets: title, committee, meeting_date, doc_type and access ("public" or
    "restricted", see access.py)."""
    sidecar = path.with_name(sidecar_name(path))
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"sidecar {sidecar.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"sidecar {sidecar.name} is not a JSON object")
    allowed = {"title", "committee", "meeting_date", "doc_type", "access"}
    return {k: v for k, v in data.items() if k in allowed and v}


def infer_metadata(relpath: str, text: str, title_hint: str | None, sidecar: dict) -> dict:
    meta = {
        "title": title_of(relpath, title_hint, text),
        "committee": body_from_content(text) or body_from_path(relpath),
        "meeting_date": date_from_content(text) or date_from_path(relpath),
        "doc_type": doc_type_of(relpath, text),
    }
    meta.update((k, v) for k, v in sidecar.items() if k in meta)  # access is decided in access.py
    return meta
