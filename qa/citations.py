"""The one place a Citation is built, whatever chose the words it quotes."""

from __future__ import annotations

from ..schema import Citation, Passage


def cite(p: Passage, start: int, end: int, n: int) -> Citation:
    """A citation of [start, end) of the document's cleaned text, a span inside passage `p`.
    The quote is exactly that span, so the viewer can highlight it and an officer find it on the
    page; the passage is shown with a table row's caption and column headers, without which a
    row's figures cannot be read."""
    if not p.start <= start <= end <= p.end:
        raise ValueError(f"span {start}-{end} is not inside passage {p.id} ({p.start}-{p.end})")
    passage_text = f"{p.context}\n{p.text}" if p.kind == "table_row" and p.context else p.text
    return Citation(n=n, document=p.document, title=p.title, page=p.page, section=p.section,
                    meeting_date=p.meeting_date, committee=p.committee,
                    quote=p.text[start - p.start:end - p.start], passage=passage_text, passage_id=p.id,
                    start=start, end=end, access=p.access)
