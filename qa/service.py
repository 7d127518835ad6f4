"""The plain functions the CLI and the API share: open an index (and notice when a new
generation replaces it), ask a question, list documents."""

from __future__ import annotations

import threading
from pathlib import Path

from ..index.search import Filters, Searcher
from ..index.store import CURRENT
from ..schema import Answer
from ..settings import Settings, get_settings
from .answerer import Answerer
from .followup import standalone


class QAService:
    """One loaded index and its answerer. Reloads itself when `councilqa ingest` has switched the
    index to a new generation, so a running service picks up new papers without a restart."""

    def __init__(self, index_dir: Path | None = None, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.index_dir = Path(index_dir or self.settings.index)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._answerer: Answerer | None = None
        self._generator = None  # qa/generate.LLMGenerator, made on the first question with generator=llm

    def _current(self) -> str | None:
        pointer = self.index_dir / CURRENT
        return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None

    @property
    def answerer(self) -> Answerer:
        generation = self._current()
        with self._lock:
            if self._answerer is None or generation != self._generation:
                reloading = self._answerer is not None
                self._answerer = Answerer(Searcher(self.index_dir, self.settings))
                # The generation loaded, which is newer than the one read above if a writer
                # switched CURRENT in between: it is not loaded twice.
                self._generation = self._answerer.index.generation
                if reloading:  # at start, the app's warm-up finds them (api/app.py)
                    self.find_votes_in_background(self._answerer)
            return self._answerer

    @staticmethod
    def find_votes_in_background(answerer: Answerer) -> None:
        """Find a newly loaded index's recorded votes now, so that its first question about a
        vote does not wait seconds for them (Answerer.recorded_votes)."""
        threading.Thread(target=answerer.recorded_votes, name="councilqa-votes", daemon=True).start()

    @property
    def searcher(self) -> Searcher:
        return self.answerer.searcher

    def ask(self, question: str, top_k: int = 10, filters: Filters | None = None,
            history: list[str] | None = None) -> Answer:
        """Answer `question`; with `history` (earlier questions, oldest first) a follow-up such as
        "and for CAMHS?" is first rewritten to stand alone. `searched_for` says what was asked."""
        searched = standalone(question, history)
        answer = self.answerer.answer(searched, top_k=top_k, filters=filters)
        answer.searched_for = searched
        if self.settings.generator == "llm":
            answer = self.generator.rephrase(searched, answer)
        return answer

    @property
    def generator(self):
        """The language-model generator, imported only when the settings ask for it: an
        extractive service never loads it (nor LangChain)."""
        if self._generator is None:
            from .generate import LLMGenerator

            def passage_of(passage_id: str):
                return self.searcher.index.passage_by_id(passage_id)

            self._generator = LLMGenerator(self.settings, passage_of)
        return self._generator


def ask(question: str, index_dir: Path | None = None, top_k: int = 10, filters: Filters | None = None,
        settings: Settings | None = None, history: list[str] | None = None) -> Answer:
    """One-off question, for scripts: `ask("How long is the wait for CAMHS?", Path("var/index"))`."""
    return QAService(index_dir, settings).ask(question, top_k, filters, history)
