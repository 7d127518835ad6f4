"""Shared fixtures: real indexes built with the real model from real files.

The demo index is built once per test session; the Kent index only when ../shared/corpus/kent
is present (tests that need it skip cleanly otherwise)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "blackpool"
SHARED = Path(os.environ.get("COUNCILQA_SHARED", ROOT.parent / "shared"))
KENT = SHARED / "corpus" / "kent"
DEV_SET = SHARED / "eval" / "blackpool-dev.jsonl"
ARTIFACTS = ROOT / "test-artifacts"


def kent_available() -> bool:
    return KENT.is_dir() and any(KENT.rglob("*.pdf"))


needs_kent = pytest.mark.skipif(not kent_available(), reason=f"Kent PDFs not found at {KENT}")


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
