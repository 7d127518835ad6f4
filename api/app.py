"""The FastAPI application. Routes are thin: they validate input and call plain functions."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from .. import __version__
from ..index.store import current_generation
from ..settings import Settings, get_settings


def create_app(index_dir: Path | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    index_dir = Path(index_dir or settings.index)
    app = FastAPI(title="councilqa", version=__version__,
                  description="Questions answered from council committee papers, with citations.")

    @app.get("/api/health")
    def health() -> dict:
        generation = current_generation(index_dir) if index_dir.exists() else None
        return {"status": "ok", "version": __version__, "index": str(index_dir),
                "index_ready": generation is not None}

    return app
