"""Shared fixtures: real indexes built with the real model from real files.

The demo index is built once per test session; the Kent index only when ../shared/corpus/kent
is present (tests that need it skip cleanly otherwise)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from councilqa.eval.sets import DEMO, KENT, ROOT, SHARED  # noqa: E402 - after HF_HUB_OFFLINE is set

DEV_SET = SHARED / "eval" / "blackpool-dev.jsonl"
ARTIFACTS = ROOT / "test-artifacts"


def kent_available() -> bool:
    return KENT.is_dir() and any(KENT.rglob("*.pdf"))


needs_kent = pytest.mark.skipif(not kent_available(), reason=f"Kent PDFs not found at {KENT}")


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory):
    """A model cache of the test module's own: the ONNX builds of the bundled MiniLM are built
    into it for real, once per module."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def settings():
    from councilqa.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory, settings) -> Path:
    from councilqa.ingest.pipeline import ingest

    index_dir = tmp_path_factory.mktemp("demo") / "index"
    report = ingest([DEMO], index_dir, settings, progress=False)
    assert not report.failed, report.summary()
    return index_dir


@pytest.fixture(scope="session")
def demo_searcher(demo_index, settings):
    from councilqa.index.search import Searcher

    return Searcher(demo_index, settings)


@pytest.fixture(scope="session")
def kent_index(tmp_path_factory, settings) -> Path:
    if not kent_available():
        pytest.skip(f"Kent PDFs not found at {KENT}")
    from councilqa.ingest.pipeline import ingest

    index_dir = tmp_path_factory.mktemp("kent") / "index"
    ingest([KENT], index_dir, settings, progress=False)
    return index_dir


SMALL_DEMO = [
    "2024-03-27-cyp-scrutiny-minutes.txt",
    "2024-03-27-cyp-scrutiny-blackpool-families-rock-report.txt",
    "cabinet-member-report-childrens-services.txt",
    "cyp-scrutiny-childrens-services-update-agenda-item.txt",
]


@pytest.fixture()
def copy_demo(tmp_path) -> Path:
    """The four small demo papers (not the 134-page pack), for tests that ingest repeatedly."""
    target = tmp_path / "papers"
    target.mkdir()
    for name in SMALL_DEMO:
        shutil.copy(DEMO / name, target / name)
    return target


SCRIPT_LINE = ("The consultation page was found defaced with <script>window.pwned = 1</script> and "
               "<img src=x onerror=\"window.pwned = 2\"> code on 3 May 2024.")


def write_papers(folder: Path) -> Path:
    """A small, quick-to-index folder: a two-page Cabinet PDF, a note whose text carries markup
    (papers quote web pages), and a corrupt PDF that fails to ingest."""
    from pdfs import corrupt_pdf, text_pdf

    meeting = folder / "2024-05-01-cabinet"
    meeting.mkdir(parents=True)
    text_pdf(meeting / "budget-report.pdf", [
        ["Report to: CABINET", "Date of Meeting: 1 May 2024", "", "FAMILY HUBS BUDGET",
         "", "1. This report sets out the budget for family hubs in 2024/25."],
        ["2. DECISION", "", "The Cabinet approved a budget of 2.5 million pounds for new family hubs.",
         "Hubs will open in Talbot and Brunswick wards in September 2024."],
    ], title="Family hubs budget report")
    (meeting / "security-note.txt").write_text(
        f"Report to:\tCABINET\nDate of Meeting:\t1 May 2024\n\nWEBSITE SECURITY\n\n{SCRIPT_LINE}\n", encoding="utf-8")
    corrupt_pdf(folder / "broken.pdf")
    return folder


@pytest.fixture(scope="session")
def papers_index(tmp_path_factory, settings) -> Path:
    from councilqa.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("papers")
    write_papers(root / "papers")
    index_dir = root / "index"
    report = ingest([root / "papers"], index_dir, settings, progress=False)
    assert report.added == 2 and len(report.failed) == 1, report.summary()
    return index_dir


# One small Kent paper (7 pages) for the PDF page viewer, kept in its meeting folder so its
# metadata is read as in the full corpus.
KENT_SAMPLE = "2025-03-13-full-council/originals/Devo and LGR - CC Report March 2025.pdf"


def index_kent_papers(tmp_path_factory, settings, *relative: str) -> Path:
    """An index of a few Kent papers, each copied into its meeting folder so its metadata is read
    as in the full corpus. Skips the test when a paper is absent."""
    from councilqa.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("kent-papers")
    copy_kent_papers(root / "kent", relative)
    ingest([root / "kent"], root / "index", settings, progress=False)
    return root / "index"


def copy_kent_papers(folder: Path, relative) -> None:
    """Copy these Kent papers into `folder`, each in its meeting folder; skips the test when
    one is absent."""
    for name in relative:
        if not (KENT / name).is_file():
            pytest.skip(f"Kent PDF not found: {KENT / name}")
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(KENT / name, target)


def answerer_over_kent_papers(tmp_path_factory, settings, *relative: str):
    """The offline answerer over an index of a few Kent papers (see index_kent_papers)."""
    from councilqa.index.search import Searcher
    from councilqa.qa.answerer import Answerer

    return Answerer(Searcher(index_kent_papers(tmp_path_factory, settings, *relative), settings))


@pytest.fixture(scope="session")
def kent_sample_index(tmp_path_factory, settings) -> Path:
    return index_kent_papers(tmp_path_factory, settings, KENT_SAMPLE)


def kill_at_marker(child, marker: Path, deadline_seconds: float = 300) -> None:
    """Wait until a child process drops `marker` (it has reached the moment a test wants it
    killed at), then kill it with SIGKILL, as a power cut or the OOM killer would."""
    import os
    import signal
    import time

    deadline = time.time() + deadline_seconds
    while not marker.exists():
        assert child.poll() is None, "the child exited before reaching the kill point"
        assert time.time() < deadline, "the child never reached the kill point"
        time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def table_chunks(*lines: str) -> list:
    """The passages ingest makes of a made-up table, one tab-separated line a row, no caption."""
    from councilqa.ingest.tables import Row, row_chunks

    return row_chunks([Row(0, 0, line.split("\t")) for line in lines], "")


def table_readings(*lines: str) -> list[str]:
    """What each row of a made-up table reads as (table_chunks)."""
    return [chunk.reading for chunk in table_chunks(*lines)]
