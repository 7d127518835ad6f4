"""Page images are bounded whatever the PDF says: a page as big as PDF allows (14,400 pt square)
is drawn within the pixel budget, only a few renders run at once (the rest wait briefly, then
get 503 with Retry-After), and a page drawn once is served again from the cache. Timing and
memory are measured by benchmarks/page_render.py, not here."""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

import pytest
from councilqa.api import pages
from councilqa.api.app import create_app
from fastapi.testclient import TestClient
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from page_render import QUOTE, SIDE, make_pdf

PDF_ID = "2024-05-01-cabinet/budget-report.pdf"


@pytest.fixture(autouse=True)
def empty_cache():
    with pages._cache_lock:
        pages._cache.clear()
    yield
    with pages._cache_lock:
        pages._cache.clear()


def test_a_huge_page_is_drawn_within_the_pixel_budget(tmp_path):
    pdf = make_pdf(tmp_path / "huge.pdf")
    image = pages.page_image(pdf, 1, QUOTE, scale=1.5)
    assert image.width * image.height <= pages.MAX_PIXELS
    # Scaled down evenly (a square page stays square), not cropped, and still big enough to read.
    assert image.width == image.height and image.width >= 1500
    assert Image.open(io.BytesIO(image.png)).size == (image.width, image.height)
    assert image.boxes >= 1  # the highlight lands on the scaled page too
    # At 1.5 px/pt the page would have been 21,600 px square (466 M pixels).
    assert SIDE * 1.5 > 10 * image.width


def test_pixel_budget_leaves_ordinary_pages_alone():
    assert pages.budget_scale(595, 842, 1.5) == 1.5  # A4 at the service's scale
    lowered = pages.budget_scale(SIDE, SIDE, 1.5)
    assert (SIDE * lowered) ** 2 <= pages.MAX_PIXELS
    assert pages.budget_scale(0, 0, 1.5) == 1.5  # a degenerate page box is not a division by zero


def test_a_page_drawn_once_comes_from_the_cache(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "huge.pdf")
    drawn = []
    real = pages._render
    monkeypatch.setattr(pages, "_render", lambda *a: drawn.append(a) or real(*a))
    first = pages.page_image(pdf, 1, QUOTE)
    assert pages.page_image(pdf, 1, QUOTE) is first
    pages.page_image(pdf, 1, None)  # another highlight is another image
    assert len(drawn) == 2


def test_renders_beyond_the_limit_wait_then_are_told_to_retry(papers_index, settings, monkeypatch):
    client = TestClient(create_app(papers_index, settings))
    monkeypatch.setattr(pages, "RENDER_WAIT", 0.2)
    taken = [pages._slots.acquire(timeout=1) for _ in range(pages.MAX_RENDERS)]
    try:
        assert all(taken)
        busy = client.get(f"/api/documents/{PDF_ID}/pages/1.png")
        assert busy.status_code == 503 and busy.headers["retry-after"] == str(pages.RETRY_AFTER)
        assert "try again" in busy.json()["detail"]
    finally:
        for _ in taken:
            pages._slots.release()
    assert client.get(f"/api/documents/{PDF_ID}/pages/1.png").status_code == 200


def test_a_slot_freed_while_waiting_is_taken(papers_index, settings):
    client = TestClient(create_app(papers_index, settings))
    for _ in range(pages.MAX_RENDERS):
        assert pages._slots.acquire(timeout=1)
    release = threading.Timer(0.3, lambda: [pages._slots.release() for _ in range(pages.MAX_RENDERS)])
    release.start()
    try:
        assert client.get(f"/api/documents/{PDF_ID}/pages/2.png").status_code == 200
    finally:
        release.join()
