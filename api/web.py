"""The web pages: one shell (static/page.html: head, header, navigation) around each page's own
part (static/chat.html, static/documents.html), put together in memory; the files stay plain
HTML with no build step, and the shared parts are written once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"

# name: (title, script, id the skip link jumps to, skip link text)
PAGES = {
    "chat": ("Ask the committee papers", "app.js", "question", "Skip to the question box"),
    "documents": ("Documents in the index", "documents.js", "main", "Skip to the documents"),
}


@lru_cache(maxsize=None)
def page_html(name: str) -> str:
    title, script, skip, skip_text = PAGES[name]
    shell = (STATIC / "page.html").read_text(encoding="utf-8")
    main = (STATIC / f"{name}.html").read_text(encoding="utf-8")
    html = shell.format(title=title, script=script, name=name, skip=skip, skip_text=skip_text, main=main)
    return html.replace(f'data-page="{name}"', f'data-page="{name}" aria-current="page"')
