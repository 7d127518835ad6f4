"""Routes that change the index: upload a paper, re-ingest, delete a document. Off unless
settings.admin_token is set or the users file names an admin; then each needs "Authorization:
Bearer <token>" with that token or an admin's (api/callers.py). One change runs at
a time: each holds the index's writer lock (index/lock.py), the same one `councilqa ingest`
takes, so a change made here and an ingest run from the command line never overwrite each
other's work; while another holds it a change is refused (409) rather than kept waiting. Each
writes a new index generation, which the service picks up on its next request."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Header, HTTPException, UploadFile
from pydantic import BaseModel, Field

from ..index import catalog
from ..index.lock import IndexBusy, writer_lock
from ..index.store import IndexNotFound
from ..ingest.maintenance import remove_documents, save_upload, upload_name, write_atomically
from ..ingest.metadata import sidecar_name
from ..ingest.pipeline import ingest
from ..qa.service import QAService
from ..schema import Access, IngestError
from ..settings import Settings
from .callers import Callers
from .pages import PDFIUM_LOCK

MAX_NAME = 120  # characters of an upload's file name (and so its id); disks allow 255 bytes


def short_name(name: str) -> str:
    """`name` (already safe: ASCII, see upload_name) cut to MAX_NAME characters, keeping its
    suffix and ending the stem with a hash of the whole name, so two long names that differ only
    past the cut stay two files."""
    if len(name) <= MAX_NAME:
        return name
    suffix = Path(name).suffix
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return f"{name[:MAX_NAME - len(suffix) - 11].rstrip(' .')}-{digest}{suffix}"


def write_access(sidecar: Path, access: str) -> None:
    """Set `access` in an upload's sidecar, keeping whatever else it says."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    except ValueError:
        data = {}
    data = {**(data if isinstance(data, dict) else {}), "access": access}
    write_atomically(sidecar, json.dumps(data).encode("utf-8"))


class ChangeReport(BaseModel):
    """What an index change did."""

    summary: str
    added: int = 0
    updated: int = 0
    # Documents taken out: deleted, or (re-ingest) whose files are gone from their folders.
    removed: list[str] = Field(default_factory=list)
    # Withdrawn documents (deleted earlier) whose unchanged files were found and not read again.
    withdrawn: list[str] = Field(default_factory=list)
    failed: list[IngestError] = Field(default_factory=list)


def admin_router(service: QAService, settings: Settings, index_dir: Path, callers: Callers) -> APIRouter:
    router = APIRouter(tags=["admin"])
    uploads = Path(settings.uploads or index_dir / "uploads")

    def admin(authorization: str | None = Header(default=None, description="Bearer <admin token>")) -> None:
        if not callers.admin_enabled():
            raise HTTPException(403, "index changes are disabled: set COUNCILQA_ADMIN_TOKEN")
        scheme, _, token = (authorization or "").partition(" ")
        caller = callers.identify(token.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            raise HTTPException(401, "a valid admin token is needed (Authorization: Bearer <token>)",
                                headers={"WWW-Authenticate": "Bearer"})
        if caller.role != "admin":
            raise HTTPException(403, f"{caller.name} ({caller.role}) may not change the index: an admin token is needed")

    @contextmanager
    def one_at_a_time():
        # Entered in the route's own thread (a dependency may be entered in another), so ingest and
        # write_index, called from the route, find the lock already held by their thread.
        try:
            with writer_lock(index_dir, wait=0), PDFIUM_LOCK:  # page images wait while ingest parses PDFs
                yield
        except IndexBusy as exc:
            raise HTTPException(409, f"another index change is running ({exc}); try again when it has finished") from exc

    guarded = [Depends(admin)]

    def index_settings():
        """The settings, with the embedding model the live index was built with: the server adds
        papers with the model it searches with, whatever its environment says."""
        try:
            recorded = service.searcher.index.embedding
        except IndexNotFound:
            recorded = None
        return settings.with_embedding(recorded) if recorded else settings

    def report(r) -> ChangeReport:
        return ChangeReport(summary=r.summary(), added=r.added, updated=r.updated,
                            removed=[doc_id for doc_id, _ in r.removed],
                            withdrawn=list(dict.fromkeys(w.document for _, w in r.withdrawn)), failed=r.failed)

    @router.post("/api/admin/reingest", response_model=ChangeReport, dependencies=guarded)
    def reingest() -> ChangeReport:
        """Read again every folder the index was built from: changed files are re-parsed, new
        files added, unchanged ones skipped by content hash, documents whose files are gone from
        their folder removed (`removed`), and the files of deleted documents skipped while
        unchanged (`withdrawn`)."""
        with one_at_a_time():
            try:
                roots = catalog.ingested_roots(service.searcher)
            except IndexNotFound as exc:
                raise HTTPException(503, str(exc)) from exc
            if not roots:
                raise HTTPException(409, "none of the folders this index was built from can be found")
            return report(ingest(roots, index_dir, index_settings(), progress=False))

    @router.delete("/api/documents/{doc_id:path}", response_model=ChangeReport, dependencies=guarded)
    def delete(doc_id: str) -> ChangeReport:
        """Remove a document and its passages from the index. The file itself is left alone and
        recorded as withdrawn: a re-ingest of its folder skips it while it is unchanged (`councilqa
        restore`, or uploading the same file, brings it back)."""
        with one_at_a_time():  # held from before remove_documents reads the index
            try:
                removed = remove_documents(index_dir, [doc_id], by="DELETE /api/documents")
            except IndexNotFound as exc:
                raise HTTPException(503, str(exc)) from exc
        if not removed:
            raise HTTPException(404, "no such document in the index")
        return ChangeReport(summary=f"removed {doc_id}", removed=removed)

    @router.post("/api/documents", response_model=ChangeReport, status_code=201, dependencies=guarded)
    def upload(file: UploadFile, access: Access | None = Form(
            default=None, description="restricted: members and officers only; public: anyone, whatever the "
                                      "paper's markings; left out: decided from its markings (or as before)")) -> ChangeReport:
        """Add one paper (PDF, HTML, text or Markdown) to the index. It is kept in the uploads
        folder and its id is its file name; `access`, when given, is kept in its sidecar there.
        A paper deleted earlier is added again: uploading it ends its withdrawal."""
        try:
            name = short_name(upload_name(file.filename or ""))
        except ValueError as exc:
            raise HTTPException(415, str(exc)) from exc
        with one_at_a_time():
            try:
                existing = service.searcher.index.document(name)
            except IndexNotFound:
                existing = None
            if existing is not None and str(uploads / name) not in existing.locations:
                raise HTTPException(409, f"a document called {name!r} is already in the index from elsewhere")
            target = uploads / name
            sidecar = uploads / sidecar_name(target)
            # A replaced upload, and its sidecar, come back if this one fails.
            before = target.read_bytes() if target.is_file() else None
            sidecar_before = sidecar.read_bytes() if sidecar.is_file() else None
            path = save_upload(uploads, name, file.file.read())
            result = None
            try:
                if access is not None:
                    write_access(sidecar, access)
                result = ingest([path], index_dir, index_settings(), progress=False, include_withdrawn=True)
            finally:
                if result is None or result.failed:  # refused: not left behind in uploads/
                    if before is None:
                        path.unlink(missing_ok=True)
                    else:
                        save_upload(uploads, name, before)
                    if sidecar_before is None:
                        sidecar.unlink(missing_ok=True)
                    else:
                        write_atomically(sidecar, sidecar_before)
        if result.failed:
            raise HTTPException(422, f"{name} could not be ingested: {result.failed[0].reason}")
        return report(result)

    return router
