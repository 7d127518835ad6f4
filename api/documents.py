"""Routes for what is indexed: the documents list, one document, one passage, a PDF page as an
image with the quote highlighted, and the original file. Read-only; each calls a plain
function in index/catalog.py or api/pages.py.

Each knows its caller (api/callers.py): a restricted document is, to the public, not there (the
same 404 and message as an unknown id, left out of the list), and each response that carries
one to a member or officer is recorded in the access log (api/audit.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse

from ..index import catalog
from ..index.search import Searcher
from ..index.store import IndexNotFound
from ..ingest.access import folder_marking, sidecar_access
from ..ingest.metadata import read_sidecar, sidecar_name
from ..qa.service import QAService
from ..schema import Catalog, DocumentDetail, PassageView
from ..settings import Settings
from .audit import AuditLog
from .callers import Caller, Callers
from .pages import PageNotFound, RenderBusy, page_image


def offset(what: str):
    # A fresh Query per parameter: FastAPI merges parameters that share one Query object.
    return Query(default=None, ge=0, le=10**9, description=f"{what} offset of the quote in the document's text")


def check_span(start: int | None, end: int | None) -> None:
    """A quote's offsets come as a pair, in order (a citation's `start` and `end`)."""
    if (start is None) != (end is None):
        raise HTTPException(422, "start and end are a pair: give both (a citation's offsets) or neither")
    if start is not None and end is not None and start > end:
        raise HTTPException(422, f"start ({start}) is after end ({end})")


def hidden_failure(path: str) -> bool:
    """A failed file the public is not told of: one in a folder for exempt papers, or whose
    sidecar says restricted (or cannot be read). Its name alone may say what the paper is."""
    if folder_marking(path):
        return True
    try:
        return sidecar_access(read_sidecar(Path(path)), sidecar_name(Path(path))) == "restricted"
    except (OSError, ValueError):
        return True


def documents_router(service: QAService, settings: Settings, callers: Callers, audit: AuditLog) -> APIRouter:
    router = APIRouter(tags=["documents"])
    who = Depends(callers.dependency())

    def restricted(s: Searcher, doc_ids) -> list[str]:
        return [d for d in doc_ids if s.index.documents[d].access == "restricted"]

    def searcher() -> Searcher:
        try:
            return service.searcher
        except IndexNotFound as exc:
            raise HTTPException(503, str(exc)) from exc

    def known(doc_id: str, caller: Caller, request: Request) -> Searcher:
        """The index, if `doc_id` is a document this caller may see (else 404, whether it is
        missing or restricted); a restricted one is recorded as shown."""
        s = searcher()
        if not catalog.visible(s, doc_id, caller.sees_restricted):
            raise HTTPException(404, "no such document in the index")
        audit.record(caller, request, restricted(s, [doc_id]))
        return s

    @router.get("/api/documents", response_model=Catalog)
    def list_documents(request: Request, caller: Caller = who) -> Catalog:
        """Every indexed document the caller may see (newest meeting first) and the files that
        failed to ingest."""
        s = searcher()
        listed = catalog.catalog(s, include_restricted=caller.sees_restricted)
        if not caller.sees_restricted:
            listed.failures = [f for f in listed.failures if not hidden_failure(f.path)]
        audit.record(caller, request, restricted(s, [d.id for d in listed.documents]))
        return listed

    # The routes with a suffix come before the bare one: a document id is a path and may hold "/".
    @router.get("/api/documents/{doc_id:path}/pages/{page:int}.png", response_class=Response,
                responses={200: {"content": {"image/png": {}}}})
    def page_png(request: Request, doc_id: str, page: int, passage: str | None = Query(default=None, max_length=100),
                 start: int | None = offset("start"), end: int | None = offset("end"), caller: Caller = who) -> Response:
        """Page `page` of a PDF as a PNG; with `passage` (and a quote's `start`/`end`), the quoted
        words are highlighted. Header X-Highlight-Boxes says how many boxes were drawn."""
        check_span(start, end)
        if passage is None and start is not None:
            raise HTTPException(422, "start and end are offsets of a quote in a passage: give the passage too")
        s = known(doc_id, caller, request)
        if s.index.documents[doc_id].format != "pdf":
            raise HTTPException(404, "this document is not a PDF, so it has no page images")
        quote = None
        if passage is not None:
            chunk = s.index.chunk_by_id(passage)
            if chunk is None or chunk.document_id != doc_id:
                raise HTTPException(404, "no such passage in this document")
            quote = catalog.quote(s, passage, start, end)
        path = catalog.original_file(s, doc_id)
        if path is None:
            raise HTTPException(404, "the original file is no longer where it was ingested from, or has changed")
        try:
            image = page_image(path, page, quote, settings.page_image_scale)
        except PageNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except RenderBusy as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
        return Response(image.png, media_type="image/png",
                        headers={"X-Highlight-Boxes": str(image.boxes), "Cache-Control": "private, max-age=300"})

    @router.get("/api/documents/{doc_id:path}/file", response_class=FileResponse)
    def original(request: Request, doc_id: str, caller: Caller = who) -> FileResponse:
        """The file the document was ingested from (only a path recorded at ingest, and only while
        it holds the indexed bytes). PDFs open in the browser; link with #page=N."""
        s = known(doc_id, caller, request)
        path = catalog.original_file(s, doc_id)
        if path is None:
            raise HTTPException(404, "the original file is no longer where it was ingested from, or has changed")
        # Served only from inside the folders the index was built from, checked on the resolved
        # path: a link out of them (recorded by an older ingest, or made since) is not followed.
        real = path.resolve()
        if not any(real == root or real.is_relative_to(root) for root in (r.resolve() for r in catalog.ingested_roots(s))):
            raise HTTPException(404, "the original file is not inside the folders this index was built from")
        if s.index.documents[doc_id].format == "pdf":
            # The browser's PDF viewer is an embedded plugin, which the site-wide policy forbids.
            return FileResponse(real, media_type="application/pdf", filename=path.name, content_disposition_type="inline",
                                headers={"Content-Security-Policy": "default-src 'none'; object-src 'self'; frame-ancestors 'none'"})
        # HTML or text papers are shown as text, never run as a page of this site.
        return FileResponse(real, media_type="text/plain; charset=utf-8", filename=path.name, content_disposition_type="inline",
                            headers={"Content-Security-Policy": "default-src 'none'; sandbox"})

    @router.get("/api/documents/{doc_id:path}", response_model=DocumentDetail)
    def document(request: Request, doc_id: str, caller: Caller = who) -> DocumentDetail:
        """One document's metadata and all its passages, in order."""
        detail = catalog.document(known(doc_id, caller, request), doc_id)
        assert detail is not None
        return detail

    @router.get("/api/passages/{passage_id}", response_model=PassageView)
    def passage(request: Request, passage_id: str, start: int | None = offset("start"), end: int | None = offset("end"),
                caller: Caller = who) -> PassageView:
        """One passage with its document; `start`/`end` (a citation's offsets) give the span to
        highlight, returned as offsets into the passage text."""
        check_span(start, end)
        s = searcher()
        chunk = s.index.chunk_by_id(passage_id)
        if chunk is None or not catalog.visible(s, chunk.document_id, caller.sees_restricted):
            raise HTTPException(404, "no such passage in the index")
        view = catalog.passage(s, passage_id, start, end)
        assert view is not None
        audit.record(caller, request, restricted(s, [chunk.document_id]))
        return view

    return router
