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
    re.compile(WEEKDAY + r",?\s+" + DAY_MONTH_YEAR + r"(?:\s+at\s+\d)", re.I),
]
CONTENT_BODY_PATTERNS = [
    re.compile(r"Report to:?\s*\t?\s*([A-Z][^\n\t]{3,100})"),
    re.compile(r"MINUTES of (?:a|the) meeting of (?:the )?(.{3,100}?) held", re.I | re.S),
    re.compile(r"MINUTES OF (.{3,100}?) MEETING\s*[-–]", re.I | re.S),
    re.compile(r"requested to attend the:?\s*\n+\s*([^\n]{3,100})", re.I),
]
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NAME_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-\s]([A-Za-z]{3})[a-z]*[-\s](\d{4})")
DOC_TYPE_WORDS: list[tuple[DocType, re.Pattern]] = [
    ("decision", re.compile(r"record of decision|decision notice|decision sheet", re.I)),
    ("minutes", re.compile(r"minutes", re.I)),
    ("agenda", re.compile(r"agenda|frontsheet|public[- ]pack|supplement", re.I)),
    ("appendix", re.compile(r"\bappendix|\bannex|\bapp\s*\d", re.I)),
    ("report", re.compile(r"report|update|statement|plan|strategy|covenant|\beqia\b|budget", re.I)),
]
BODY_FROM_FOLDER = {"full-council": "County Council", "cabinet": "Cabinet"}


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
    return name


def body_from_content(text: str) -> str | None:
    head = text[:4000]
    for pattern in CONTENT_BODY_PATTERNS:
        match = pattern.search(head)
        if match:
            return _tidy_body(match.group(1))
    return None


def body_from_path(relpath: str) -> str | None:
    for part in reversed(Path(relpath).parts[:-1]):
        slug = ISO_DATE.sub("", part).strip("-_ ")
        if slug:
            return BODY_FROM_FOLDER.get(slug.lower(), slug.replace("-", " ").replace("_", " ").title())
    return None


def doc_type_of(relpath: str, text: str) -> DocType:
    name = Path(relpath).stem
    for doc_type, pattern in DOC_TYPE_WORDS:
        if pattern.search(name):
            return doc_type
    head = text[:1500]
    if re.search(r"^\s*MINUTES\b", head, re.M):
        return "minutes"
    if re.search(r"A G E N D A|\bAGENDA\b", head):
        return "agenda"
    if re.search(r"Report to:|Date of Meeting:", head, re.I):
        return "report"
    return "other"


def title_of(relpath: str, title_hint: str | None) -> str:
    if title_hint and len(title_hint) > 3 and not re.match(r"(microsoft|untitled|document\d*$)", title_hint, re.I):
        return " ".join(title_hint.split())
    stem = Path(relpath).stem
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem)
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else Path(relpath).name


def read_sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"sidecar {sidecar.name} is not valid JSON: {exc}") from exc
    allowed = {"title", "committee", "meeting_date", "doc_type"}
    return {k: v for k, v in data.items() if k in allowed and v}


def infer_metadata(relpath: str, text: str, title_hint: str | None, sidecar: dict) -> dict:
    meta = {
        "title": title_of(relpath, title_hint),
        "committee": body_from_content(text) or body_from_path(relpath),
        "meeting_date": date_from_content(text) or date_from_path(relpath),
        "doc_type": doc_type_of(relpath, text),
    }
    meta.update(sidecar)
    return meta
