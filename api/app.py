"""The FastAPI application. Routes are thin: they validate input and call plain functions in
qa/ and index/, which the CLI calls too."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from .. import __version__
from ..index.search import Filters
from ..index.store import IndexNotFound, current_generation
from ..qa.service import QAService
from ..schema import Answer, DocType
from ..settings import Settings, get_settings


class AskRequest(BaseModel):
    question: str = Field(min_length=1)
    top_k: int = Field(default=10, ge=1, le=50)
    committee: str | None = None
    doc_type: DocType | None = None
    date_from: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    date_to: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


def create_app(index_dir: Path | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    service = QAService(index_dir, settings)
    app = FastAPI(title="councilqa", version=__version__,
                  description="Questions answered from council committee papers, with citations.")

    @app.get("/api/health")
    def health() -> dict:
        generation = current_generation(index_dir) if index_dir.exists() else None
        return {"status": "ok", "version": __version__, "index": str(index_dir),
                "index_ready": generation is not None}

    @app.post("/api/ask", response_model=Answer)
    def ask(request: AskRequest) -> Answer:
        question = request.question.strip()
        if not question:
            raise HTTPException(422, "the question is empty")
        if len(question) > settings.max_question_chars:
            raise HTTPException(413, f"the question is longer than {settings.max_question_chars} characters")
        filters = Filters(committee=request.committee, doc_type=request.doc_type,
                          date_from=request.date_from, date_to=request.date_to)
        try:
            return service.ask(question, top_k=request.top_k, filters=filters)
        except IndexNotFound as exc:
            raise HTTPException(503, str(exc)) from exc

    return app
