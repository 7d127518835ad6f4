"""The core types, defined once and passed everywhere: Document, Chunk, Passage, Citation,
Answer, plus the per-file IngestError. Pydantic models, so the API and the CLI serialise them
the same way."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DocType = Literal["agenda", "minutes", "report", "appendix", "decision", "other"]
ChunkKind = Literal["text", "table_row"]
# Who may read a paper: anyone, or members and officers only (exempt under Schedule 12A of the
# Local Government Act 1972). Decided at ingest (ingest/access.py); enforced in retrieval.
Access = Literal["public", "restricted"]


class Document(BaseModel):
    """One distinct file (by content hash). `id` is its path relative to the folder ingested;
    the same bytes found elsewhere are recorded in `locations`, not ingested again."""

    id: str
    title: str
    committee: str | None = None
    meeting_date: str | None = None  # ISO yyyy-mm-dd
    doc_type: DocType = "other"
    format: Literal["pdf", "html", "text", "markdown"]
    content_hash: str
    locations: list[str] = Field(default_factory=list)  # absolute paths where this file was seen
    pages: int | None = None  # PDFs only
    # Offsets into the cleaned text where each PDF page starts (page n starts at page_starts[n-1]).
    page_starts: list[int] = Field(default_factory=list)
    access: Access = "public"
    access_reason: str = ""  # why: the marking, folder or sidecar that decided it
    # The exempt marking found on the raw first pages at parse time ("" for none, None when never
    # looked for: indexed before access existed). Kept because a banner repeated on every page is
    # cleaned away as page furniture, so it cannot be found again in the stored text when a
    # sidecar or folder changes and the file does not.
    access_marking: str | None = None

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


class RowCell(BaseModel):
    """One value of a table row with what its column says about it."""

    header: str = ""  # the column's name, header rows merged ("Longest wait / weeks")
    value: str
    period: str = ""  # the period the column or caption names ("December 2023", "2024/25")
    unit: str = ""  # what the value is in: "%", "£", "£000s", "weeks", ... ("" when unsaid)


class TableRow(BaseModel):
    """A table row as a record, kept from ingest on so that no later stage parses a flattened
    string back: its label, the cells with their headers, and what the table says around it."""

    label: str = ""  # the label cells ("Occupational therapy", "Proposer: Jane Doe")
    label_header: str = ""  # the header over the label column(s): what the label is one of
    group: str = ""  # a group label printed once above several rows ("Outcome 1: ...")
    caption: str = ""  # the table's caption, written above it or in its first header cell
    headers: list[str] = Field(default_factory=list)  # every column's name, label columns too
    cells: list[RowCell] = Field(default_factory=list)

    def reading(self) -> str:
        """The row as a sentence with its headers ("Occupational therapy. Longest wait: 40
        weeks; Average wait: 12 weeks"): what is embedded and searched."""
        pairs = "; ".join(f"{c.header}: {c.value}" if c.header else c.value for c in self.cells)
        if not pairs:
            return self.label
        return f"{self.label}. {pairs}" if self.label else pairs


class Chunk(BaseModel):
    """A retrievable unit. `text` is exactly cleaned_text[start:end] of its document, so a quote
    taken from it can always be located; `context` (section heading, table caption and column
    headers) is stored beside it and used for retrieval and display, never as quoted text."""

    id: str
    document_id: str
    text: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    kind: ChunkKind = "text"
    context: str = ""
    # For table rows: the row read with its headers ("Target March 2024: 180/10,000; ...").
    reading: str = ""
    row: TableRow | None = None  # for table rows: the row as a record

    def search_text(self) -> str:
        """What the embedder and BM25 see: section and table context first, so the heading and
        the column headers travel with the words and values they describe."""
        parts = [self.section or "", self.context, self.reading or self.text]
        return "\n".join(part for part in parts if part)


class Passage(BaseModel):
    """A chunk as returned by a search: its text with its document's metadata and a score."""

    id: str
    document: str
    title: str
    committee: str | None = None
    meeting_date: str | None = None
    doc_type: str = "other"
    page: int | None = None
    section: str | None = None
    kind: ChunkKind = "text"
    text: str
    context: str = ""
    reading: str = ""
    row: TableRow | None = None
    start: int
    end: int
    score: float
    # The cross-encoder's logit for (question, passage), when the search reordered it (index/rerank.py).
    relevance: float | None = None
    also_in: list[str] = Field(default_factory=list)  # same passage in other documents
    access: Access = "public"


class Citation(BaseModel):
    n: int
    document: str
    title: str
    page: int | None = None
    section: str | None = None
    meeting_date: str | None = None
    committee: str | None = None
    quote: str
    passage: str
    passage_id: str
    start: int
    end: int
    access: Access = "public"  # the chat page labels a restricted source


class DroppedSentence(BaseModel):
    """A sentence the language model wrote that failed a check, and which check."""

    sentence: str
    reason: str


class Generation(BaseModel):
    """What the language model was asked and what the checks made of its reply (set only when
    COUNCILQA_GENERATOR=llm), so a reader and the evaluation can see what was left out and why."""

    model: str
    # False when there was nothing to rephrase (the extractive answer abstained).
    asked: bool = True
    sentences: int = 0  # sentences the model wrote
    dropped: list[DroppedSentence] = Field(default_factory=list)
    # The extractive answer was returned instead: the model failed or no sentence passed.
    fell_back: bool = False
    seconds: float | None = None


class Answer(BaseModel):
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    # The question actually searched: a follow-up ("and for CAMHS?") rewritten to stand alone
    # from the questions before it, so the reader can see what the answer answers.
    searched_for: str | None = None
    # How likely the answer is right (0 to 1), from qa/confidence.py; on an abstention, how likely
    # the best candidate found would have been. None where nothing was scored.
    confidence: float | None = None
    # Who wrote the answer's words: the offline answerer, or a language model whose every
    # sentence was checked against its cited passages (qa/generate.py).
    generator: Literal["extractive", "llm"] = "extractive"
    # Said to the reader beside the answer: the model was unreachable and this is the
    # extractive answer, or sentences were left out. Never part of `answer`, whose figures are
    # all checked.
    note: str | None = None
    generation: Generation | None = None


class DocumentSummary(BaseModel):
    """A document as the documents page lists it. The absolute `locations` stay on the server;
    `has_original` says whether the file can still be opened from there."""

    id: str
    title: str
    committee: str | None = None
    meeting_date: str | None = None
    doc_type: DocType = "other"
    format: str
    pages: int | None = None
    passages: int = 0
    has_original: bool = False
    access: Access = "public"
    access_reason: str = ""


class DocumentDetail(BaseModel):
    document: DocumentSummary
    passages: list[Passage] = Field(default_factory=list)


class PassageView(BaseModel):
    """What the source viewer shows for one citation: the passage, its document, and where the
    quoted span lies inside the passage text (`highlight` = [start, end) offsets, or None)."""

    passage: Passage
    document: DocumentSummary
    highlight: tuple[int, int] | None = None


class IngestError(BaseModel):
    """A file that could not be ingested, and why, in words a person can act on."""

    path: str
    reason: str


class Catalog(BaseModel):
    """Everything indexed, and the files that could not be."""

    documents: list[DocumentSummary] = Field(default_factory=list)
    failures: list[IngestError] = Field(default_factory=list)
