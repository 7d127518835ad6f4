"""The FastAPI application. Routes are thin: they validate input and call plain functions in
qa/ and index/, which the CLI calls too. The chat page and the documents page are plain
HTML, CSS and JavaScript files in api/static, served as they are (no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field

from .. import __version__
from ..index.search import Filters
from ..index.store import IndexNotFound, current_generation
from ..qa.followup import MAX_HISTORY
from ..qa.service import QAService
from ..schema import Answer, DocType
from ..settings import Settings, get_settings
from .admin import admin_router
from .documents import documents_router
from .security import BodyLimit, SecurityHeaders
from .web import STATIC, page_html


class AskRequest(BaseModel):
    question: str = Field(min_length=1)
    top_k: int = Field(default=10, ge=1, le=50)
    committee: str | None = Field(default=None, max_length=200)
    doc_type: DocType | None = None
    date_from: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    date_to: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    # Earlier questions of the conversation, oldest first (their `searched_for`, ideally), so a
    # follow-up such as "and for CAMHS?" is answered in their context.
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY)


def create_app(index_dir: Path | None = None, settings: Settings | None = None) -> FastAPIOffline:
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    service = QAService(index_dir, settings)
    # fastapi-offline serves Swagger UI's files itself: /docs works without the internet.
    app = FastAPIOffline(title="councilqa", version=__version__, redoc_url=None,
                         description="Questions answered from council committee papers, with citations.")
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, upload_limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)

    @app.get("/api/health")
    def health() -> dict:
        generation = current_generation(index_dir) if index_dir.exists() else None
        return {"status": "ok", "version": __version__, "index": str(index_dir),
                "index_ready": generation is not None,
                "admin_enabled": bool(settings.admin_token), "max_question_chars": settings.max_question_chars}

    @app.post("/api/ask", response_model=Answer)
    def ask(request: AskRequest) -> Answer:
        question = request.question.strip()
        if not question:
            raise HTTPException(422, "the question is empty")
        limit = settings.max_question_chars
        if len(question) > limit or any(len(h) > limit for h in request.history):
            raise HTTPException(413, f"the question is longer than {limit} characters")
        filters = Filters(committee=request.committee or None, doc_type=request.doc_type,
                          date_from=request.date_from, date_to=request.date_to)
        try:
            return service.ask(question, top_k=request.top_k, filters=filters, history=request.history)
        except IndexNotFound as exc:
            raise HTTPException(503, str(exc)) from exc

    app.include_router(documents_router(service, settings))
    app.include_router(admin_router(service, settings, index_dir))

    @app.get("/", include_in_schema=False)
    def chat_page() -> HTMLResponse:
        return HTMLResponse(page_html("chat"))

    @app.get("/documents", include_in_schema=False)
    def documents_page() -> HTMLResponse:
        return HTMLResponse(page_html("documents"))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
