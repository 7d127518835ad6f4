"""The FastAPI application. Routes are thin: they validate input and call plain functions in
qa/ and index/, which the CLI calls too. The chat page and the documents page are plain
HTML, CSS and JavaScript files in api/static, served as they are (no build step)."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field, field_validator, model_validator

from .. import __version__
from ..index.embedder import embedder_for
from ..index.search import Filters
from ..index.store import IndexNotFound, current_generation
from ..index.cross_encoder import load_cross_encoder
from ..qa.followup import MAX_HISTORY
from ..qa.service import QAService
from ..schema import Answer, DocType
from ..settings import Settings, get_settings
from .admin import admin_router
from .audit import AuditLog
from .callers import PUBLIC, Caller, Callers
from .documents import documents_router
from .security import BodyLimit, SecurityHeaders, StrictJSON
from .web import STATIC, page_html

log = logging.getLogger(__name__)
# A question that arrives while the models are still loading waits this long for them (the load
# takes seconds) rather than loading them a second time beside the startup thread.
WARM_UP_WAIT = 120.0
# Asked once at startup, so the models' first (slower) runs happen before a councillor's question.
WARM_UP_QUESTION = "warm up: what did the committee agree?"


class AskRequest(BaseModel):
    question: str = Field(min_length=1)
    # Strict: 5.0, "5" and true are not numbers of passages (NaN and Infinity never get here: the
    # body is refused as JSON first, see security.StrictJSON).
    top_k: int = Field(default=10, ge=1, le=50, strict=True)
    committee: str | None = Field(default=None, max_length=200)
    doc_type: DocType | None = None
    date_from: str | None = Field(default=None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    date_to: str | None = Field(default=None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    # Earlier questions of the conversation, oldest first (their `searched_for`, ideally), so a
    # follow-up such as "and for CAMHS?" is answered in their context.
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY)

    @field_validator("date_from", "date_to")
    @classmethod
    def real_date(cls, value: str | None) -> str | None:
        # "2025-13-45" has the shape of a date but is none, and would silently match nothing.
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value} is not a date in the calendar (yyyy-mm-dd)") from None
        return value

    @model_validator(mode="after")
    def dates_in_order(self) -> AskRequest:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from ({self.date_from}) is after date_to ({self.date_to})")
        return self


def _validation_errors(exc: RequestValidationError) -> list[dict]:
    """FastAPI's validation errors, each message naming its field, and without the `input` they
    echo (which may be large, and need not be writable as JSON)."""
    out = []
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        field = ".".join(str(part) for part in loc[1:]) if loc[:1] and loc[0] in ("body", "query", "path", "header") else \
            ".".join(str(part) for part in loc)
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if loc == ["body"] and error.get("type") == "missing":
            message = "the request needs a JSON body"
        elif loc[:1] == ["body"] and len(loc) == 1:
            message = f"the request body: {message}"
        elif field:
            message = f"{field}: {message}"
        out.append({"loc": [part if isinstance(part, (str, int)) else str(part) for part in loc],
                    "msg": message, "type": str(error.get("type", ""))})
    return out


class Readiness:
    """Whether a question can be answered quickly: the models are loaded (and have run once) and
    an index is there. The app's startup loads them in a thread, so health can say "loading"."""

    def __init__(self):
        self.state = "starting"  # starting -> loading -> loaded | failed
        self.error: str | None = None
        self.seconds: float | None = None
        self.done = threading.Event()

    def warm_up(self, service: QAService, settings: Settings) -> None:
        self.state = "loading"
        started = time.perf_counter()
        try:
            try:
                has_index = service.searcher is not None  # the index and, with it, the cross-encoder
            except IndexNotFound:
                has_index = False
            load_cross_encoder(settings.reranker_path())
            embedder_for(settings)
            if has_index:  # the first run of each model costs more than the rest
                # The answerer alone: a language model (COUNCILQA_GENERATOR=llm) that is down
                # would hold readiness back by its whole timeout.
                service.answerer.answer(WARM_UP_QUESTION, top_k=1)
                service.answerer.recorded_votes()  # not on the first question about a vote
            self.state = "loaded"
        except Exception as exc:  # noqa: BLE001 - said by health; a question then loads them itself
            self.state, self.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            self.seconds = round(time.perf_counter() - started, 2)
            self.done.set()

    def wait(self) -> None:
        if self.state == "loading":
            self.done.wait(WARM_UP_WAIT)


def app_from_settings() -> FastAPIOffline:
    """The application as the settings alone describe it (COUNCILQA_INDEX and the rest, read
    from the environment). `councilqa serve --workers N` has uvicorn call this by name in each
    worker process (factory=True), so every worker builds its own app, models and index; each
    reads the index folder's CURRENT generation on every request, as one process does, so a
    generation written by an ingest (or by another worker's admin route) is picked up by all."""
    return create_app(None, get_settings())


def create_app(index_dir: Path | None = None, settings: Settings | None = None) -> FastAPIOffline:
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    service = QAService(index_dir, settings)
    readiness = Readiness()
    callers = Callers(settings.users_file, settings.admin_token)  # a broken users file stops us here
    audit = AuditLog(settings.audit_log or index_dir / "access-audit.jsonl")
    who = Depends(callers.dependency())

    @asynccontextmanager
    async def lifespan(_app):
        # Load the models now, not on the first question (13 s), in a thread so /api/health can
        # say "loading" meanwhile.
        readiness.state = "loading"  # before the thread starts, so no health check sees "starting"
        threading.Thread(target=readiness.warm_up, args=(service, settings), name="councilqa-warm-up", daemon=True).start()
        yield

    # fastapi-offline serves Swagger UI's files itself: /docs works without the internet.
    app = FastAPIOffline(title="councilqa", version=__version__, redoc_url=None, lifespan=lifespan,
                         description="Questions answered from council committee papers, with citations.")
    app.state.readiness = readiness
    app.state.service = service
    # Outermost last: headers on every answer, then the body cap, then strict JSON.
    app.add_middleware(StrictJSON, limit=settings.max_request_bytes)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, upload_limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.url.path == "/api/ask" and media and not (media == "application/json" or media.endswith("+json")):
            return JSONResponse({"detail": f"send the question as JSON (Content-Type: application/json), not {media[:60]}"},
                                status_code=415)
        return JSONResponse({"detail": _validation_errors(exc)}, status_code=422)

    @app.get("/api/health")
    def health() -> dict:
        """`ready` is true only when a question can be answered now without waiting for a model
        or an index to load: `state` says which (starting, loading, loaded, failed)."""
        try:
            generation = current_generation(index_dir) if index_dir.exists() else None
        except IndexNotFound:
            generation = None
        body = {"status": "ok", "version": __version__, "index": str(index_dir),
                "index_ready": generation is not None, "ready": readiness.state == "loaded" and generation is not None,
                "state": readiness.state, "admin_enabled": callers.admin_enabled(),
                "max_question_chars": settings.max_question_chars}
        if readiness.seconds is not None:
            body["load_seconds"] = readiness.seconds
        if readiness.error:
            body["error"] = readiness.error
        return body

    @app.get("/api/me")
    def me(caller: Caller = who) -> dict:
        """Who the token sent is (no token: the public), and whether restricted papers are shown."""
        return {"name": caller.name, "role": caller.role, "signed_in": caller is not PUBLIC,
                "sees_restricted": caller.sees_restricted}

    @app.post("/api/ask", response_model=Answer)
    def ask(request: AskRequest, http: Request, caller: Caller = who) -> Answer:
        """Answered from the papers the caller may see: for the public, restricted papers are
        left out inside retrieval, so the answer is the one the public papers alone give."""
        question = request.question.strip()
        if not question:
            raise HTTPException(422, "the question is empty")
        limit = settings.max_question_chars
        if len(question) > limit or any(len(h) > limit for h in request.history):
            raise HTTPException(413, f"the question is longer than {limit} characters")
        readiness.wait()
        filters = Filters(committee=request.committee or None, doc_type=request.doc_type,
                          date_from=request.date_from, date_to=request.date_to,
                          include_restricted=caller.sees_restricted)
        try:
            answer = service.ask(question, top_k=request.top_k, filters=filters, history=request.history)
        except IndexNotFound as exc:
            raise HTTPException(503, str(exc)) from exc
        # Looked up in the index, not taken from the answer's own labels.
        documents = service.searcher.index.documents
        given = [c.document for c in answer.citations] + [d for p in answer.passages for d in [p.document, *p.also_in]]
        shown = [d for d in given if d not in documents or documents[d].access != "public"]
        if shown and not caller.sees_restricted:
            # Retrieval leaves restricted papers out for the public; should any code path ever
            # bring one back regardless, nothing of it leaves here.
            log.error("an answer for a public caller cited restricted documents %s: refused", sorted(set(shown)))
            raise HTTPException(500, "the question could not be answered")
        audit.record(caller, http, shown)
        return answer

    app.include_router(documents_router(service, settings, callers, audit))
    app.include_router(admin_router(service, settings, index_dir, callers))

    @app.get("/", include_in_schema=False)
    def chat_page() -> HTMLResponse:
        return HTMLResponse(page_html("chat"))

    @app.get("/documents", include_in_schema=False)
    def documents_page() -> HTMLResponse:
        return HTMLResponse(page_html("documents"))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
