"""HTML pages saved from council websites (modern.gov agenda-item and decision pages) to plain
text in the same shape as the text corpus: blocks separated by blank lines, table rows one per
line with cells separated by tabs, so one chunker serves every format."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "dl", "dt", "dd", "table", "form", "fieldset", "address",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "button"}
# Page furniture on modern.gov and similar sites, recognised by class or id.
SKIP_ATTR = re.compile(r"breadcrumb|cookie|skip|menu|navigation|site-?header|site-?footer|search", re.I)
VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "wbr", "source"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.title: str | None = None
        self._in_title = False
        self._cell_open = False
        self.h1: str | None = None
        self._h1_buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID_TAGS:
            if tag == "br" and not self.skip_depth:
                self.out.append("\n")
            return
        skipping = tag in SKIP_TAGS or bool(SKIP_ATTR.search(f"{attrs.get('class', '')} {attrs.get('id', '')}"))
        self.stack.append((tag, skipping))
        if skipping:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "title":
            self._in_title = True
        elif tag == "h1" and self.h1 is None:
            self._h1_buf = []
        if tag == "tr":
            self.out.append("\n")
            self._cell_open = False
        elif tag in ("td", "th"):
            if self._cell_open:
                self.out.append("\t")
            self._cell_open = True
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        # Pop to the matching tag; tolerate the unclosed tags real pages are full of.
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip_depth -= 1
            if open_tag == tag:
                break
        if self.skip_depth:
            return
        if tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1_buf is not None:
            self.h1 = " ".join("".join(self._h1_buf).split()) or None
            self._h1_buf = None
        if tag == "tr":
            self.out.append("\n")
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = ((self.title or "") + data).strip()
            return
        if self.skip_depth:
            return
        if self._h1_buf is not None:
            self._h1_buf.append(data)
        # Whitespace inside HTML text is not meaningful: collapse it, keep cell tabs intact.
        self.out.append(re.sub(r"[ \t\r\n\f\v]+", " ", data))


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return (text, title). Title is the first <h1>, else <title>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.out)).replace("\xa0", " ")
    lines = [line.strip(" ") for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, parser.h1 or parser.title
