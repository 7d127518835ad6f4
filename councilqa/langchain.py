"""councilqa for LangChain users: `CouncilRetriever`, a LangChain retriever over a councilqa
index, and `council_search_tool`, the same as a tool an agent can call.

    from councilqa.langchain import CouncilRetriever
    retriever = CouncilRetriever.from_index("var/index", committee="Cabinet", k=4)
    docs = retriever.invoke("What did Cabinet agree about family hubs?")

Each Document is one passage: its text, and in `metadata` the document id, title, committee,
meeting date, document type, page, section, the passage id and its span (`start`, `end`:
offsets in the document's cleaned text, the same a councilqa citation gives), and its access.

Public by default: restricted (exempt) papers are left out inside retrieval, as for a caller
of the API without a token, unless the retriever is built with include_restricted=True.
Needs the `llm` extra (langchain-core); councilqa itself never imports this module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from .index.filters import Filters
from .index.search import Searcher
from .schema import Passage
from .settings import Settings, get_settings

FILTER_FIELDS = ("committee", "doc_type", "date_from", "date_to", "document")


def passage_document(p: Passage) -> Document:
    """A passage as a LangChain Document. A table row's text comes with its caption and column
    headers, without which its figures cannot be read."""
    text = f"{p.context}\n{p.text}" if p.kind == "table_row" and p.context else p.text
    return Document(page_content=text, id=p.id, metadata={
        "document": p.document, "title": p.title, "committee": p.committee, "meeting_date": p.meeting_date,
        "doc_type": p.doc_type, "page": p.page, "section": p.section, "passage_id": p.id, "start": p.start,
        "end": p.end, "access": p.access, "score": p.score, "also_in": list(p.also_in)})


class CouncilRetriever(BaseRetriever):
    """Hybrid search (dense and BM25, as councilqa answers with) over a councilqa index.
    Filters set here apply to every query; `committee`, `doc_type`, `date_from`, `date_to`,
    `document` and `k` may also be given per call (`retriever.invoke(q, committee="Cabinet")`).
    Whether restricted papers count is fixed when the retriever is built, never per call."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = Field(default=4, ge=1, le=50)
    committee: str | None = None
    doc_type: str | None = None
    date_from: str | None = None  # yyyy-mm-dd, inclusive
    date_to: str | None = None
    document: str | None = None
    include_restricted: bool = False

    @classmethod
    def from_index(cls, index_dir: str | Path, settings: Settings | None = None, **fields: Any) -> CouncilRetriever:
        return cls(searcher=Searcher(Path(index_dir), settings or get_settings()), **fields)

    def filters(self, **overrides: Any) -> Filters:
        unknown = set(overrides) - set(FILTER_FIELDS)
        if unknown:
            raise ValueError(f"unknown filter {', '.join(sorted(unknown))}: use {', '.join(FILTER_FIELDS)}")
        chosen = {name: overrides.get(name, getattr(self, name)) for name in FILTER_FIELDS}
        # Always a Filters, never None: the searcher reads None as "search everything".
        return Filters(**chosen, include_restricted=self.include_restricted)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        k = kwargs.pop("k", self.k)
        return [passage_document(p) for p in self.searcher.search(query, k=k, filters=self.filters(**kwargs))]


def council_search_tool(retriever: CouncilRetriever, name: str = "search_council_papers"):
    """The retriever as a tool for an agent: it returns the passages found, each headed by its
    document, meeting date and page, so the agent can cite them."""
    from langchain_core.tools import tool

    @tool(name)
    def search(query: str) -> str:
        """Search the council's committee papers (agendas, minutes, reports) for passages about
        the query, and return them with their document, meeting date and page."""
        docs = retriever.invoke(query)
        return "\n\n".join(
            f"[{d.metadata['document']}, {d.metadata['meeting_date'] or 'undated'}, page {d.metadata['page'] or '-'}]\n"
            f"{d.page_content}" for d in docs) or "No passage found."

    return search
