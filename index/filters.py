"""What a search may return: committee, document type, meeting dates, one document, and whether
restricted (exempt) papers count. One definition read two ways: `accepts` judges a document here
(the rows FAISS and BM25 may return), and index/milvus_vectors.py turns the same fields into a
Milvus filter expression, so both vector stores narrow a search alike."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Document


@dataclass
class Filters:
    committee: str | None = None
    doc_type: str | None = None
    date_from: str | None = None  # ISO yyyy-mm-dd, inclusive
    date_to: str | None = None
    document: str | None = None
    # Restricted (exempt) papers are searched only for a caller who may see them. Off unless
    # asked for, so a Filters made without a thought for access leaves them out; no Filters at
    # all (the evaluation, scripts) searches everything.
    include_restricted: bool = False

    def active(self) -> bool:
        """Whether the search is narrowed by committee, type, date or document (access aside:
        see Searcher._allowed_rows)."""
        return any(value for name, value in vars(self).items() if name != "include_restricted")

    def committee_matches(self, committee: str | None) -> bool:
        """A committee filter matches any body whose name holds it, case aside ("cabinet" finds
        "Cabinet" and "Cabinet Committee")."""
        return not self.committee or (bool(committee) and self.committee.lower() in committee.lower())

    def accepts(self, doc: Document) -> bool:
        if doc.access != "public" and not self.include_restricted:
            return False
        if not self.committee_matches(doc.committee):
            return False
        if self.doc_type and doc.doc_type != self.doc_type:
            return False
        if self.date_from and (not doc.meeting_date or doc.meeting_date < self.date_from):
            return False
        if self.date_to and (not doc.meeting_date or doc.meeting_date > self.date_to):
            return False
        if self.document and doc.id != self.document:
            return False
        return True
