"""Folder sync: re-ingesting a folder takes out what was read from it and is no longer there.

Where a document came from is recorded as its locations: the absolute paths it was read from
(a folder given to ingest is resolved first, so they are exact). A location inside a folder
given to this run whose path no longer exists is dropped; a document left with no location is
removed with its passages. Judging by location, not by id, keeps everything else: a document
read from another folder, or uploaded through the admin API (kept in the uploads folder), has
no location inside this one, and a copy of a removed file found elsewhere keeps its document.
A path that still exists is never judged gone, even where this run does not read it (a hidden
subfolder given to an earlier ingest on its own). A file given alone is never synced: only the
folders named are, and only when they hold something (see _has_entries)."""

from __future__ import annotations

import os
from pathlib import Path

from ..schema import IngestError


def _under(location: str, folders: list[Path]) -> Path | None:
    path = Path(location)
    if not path.is_absolute():
        return None
    return next((f for f in folders if path == f or path.is_relative_to(f)), None)


def _has_entries(folder: Path) -> bool:
    """An empty folder is not synced: a network share that is not mounted looks like one, and
    taking out every paper read from it would lose them all without a word. Papers are taken
    out of an emptied folder with `councilqa remove`."""
    try:
        return any(folder.iterdir())
    except OSError:
        return False


def _gone(location: str) -> bool:
    return not os.path.lexists(location)  # a broken link is still there: refused, not gone


def withdraw_gone(folders: list[Path], documents: dict, texts: dict, by_hash: dict, replaced: set[str],
                  failures: dict[str, IngestError]) -> tuple[list[tuple[str, str]], bool]:
    """Drop locations (and recorded failures) inside `folders` whose files are gone; remove the
    documents left with none (replaced: their rows are dropped when the index is written).
    Returns (removed document id, the folder it was removed from) pairs, and whether anything
    changed at all."""
    removed: list[tuple[str, str]] = []
    changed = False
    folders = [f for f in folders if _has_entries(f)]
    if not folders:
        return removed, changed
    for doc_id, doc in list(documents.items()):
        gone = [loc for loc in doc.locations if _under(loc, folders) and _gone(loc)]
        if not gone:
            continue
        changed = True
        rest = [loc for loc in doc.locations if loc not in gone]
        if rest:  # a copy elsewhere is still there: the document stays, read from there
            documents[doc_id] = doc.model_copy(update={"locations": rest})
            continue
        del documents[doc_id]
        texts.pop(doc_id, None)
        if by_hash.get(doc.content_hash) == doc_id:
            del by_hash[doc.content_hash]
        replaced.add(doc_id)
        removed.append((doc_id, str(_under(gone[0], folders))))
    for path in [p for p in failures if _under(p, folders) and _gone(p)]:
        del failures[path]  # a file that failed and has since been deleted is no longer a failure
        changed = True
    return removed, changed
