"""End to end: Debian's headless Chromium, driven by Playwright, against a real uvicorn server on
loopback serving a real index. A councillor asks, follows up, filters, copies; an officer opens
a citation and, for a Kent PDF, sees the page with the quote highlighted. Screenshots go to
test-artifacts/ (chat-answer.png, source-viewer-pdf.png)."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import ARTIFACTS, KENT_SAMPLE
from councilqa.api.app import create_app
from live import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("COUNCILQA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SLT = "How many children were still waiting for speech and language therapy by the end of December 2023?"
KENT_QUESTION = "When were KCC and Medway told they would not be part of the Devolution Priority Programme?"
ANSWER_WAIT = 90_000  # ms; the machine may be busy with other work


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page_for(browser):
    """page_for(url, width, height): a fresh page with the clipboard allowed, failing the test
    on any script error (a broken script or a CSP violation shows up here)."""
    contexts, errors = [], []

    def open_page(url: str, width: int = 1366, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(url + "/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def demo_server(demo_index, settings):
    with LiveServer(create_app(demo_index, settings)) as server:
        yield server


def ask(page, question: str):
    """Type a question and press Enter, as a person would; returns the new answer box. Checks
    that "Searching…" was on screen before the answer came."""
    page.evaluate("""() => {
        window.sawSearching = false;
        new MutationObserver(() => { if (document.querySelector('.searching')) window.sawSearching = true; })
            .observe(document.getElementById('conversation'), {childList: true, subtree: true});
    }""")
    turns = page.locator(".turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    answer = page.locator(".turn").nth(turns).locator(".answer")
    answer.locator(".answer-actions").wait_for(timeout=ANSWER_WAIT)
    assert page.evaluate("window.sawSearching")
    return answer


def test_councillor_asks_follows_up_and_checks_a_source(page_for, demo_server):
    page = page_for(demo_server.url)
    first = ask(page, SLT)
    assert "331" in first.locator(".answer-text").inner_text()
    assert first.locator(".answer-text .chip").count() >= 1

    second = ask(page, "and for CAMHS?")
    assert "285" in second.locator(".answer-text").inner_text()  # the CAMHS row, same date
    assert "CAMHS by the end of December 2023" in second.locator(".searched-for").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

    chip = first.locator(".answer-text .chip").first
    chip.click()
    viewer = page.locator("#viewer")
    viewer.locator("mark").wait_for()
    assert " ".join(viewer.locator("mark").inner_text().split()) == "Speech and Language Therapy 331 198 60% 69 26"
    assert "25 January 2024" in viewer.locator(".meta").inner_text()
    assert "Children and Young People's Scrutiny Committee" in viewer.locator(".meta").inner_text()
    assert "HEALTH WAITING TIMES" in viewer.locator(".meta").inner_text()  # the section
    page.keyboard.press("Escape")
    assert viewer.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('chip')")  # focus back where it was

    first.get_by_role("button", name="Copy answer with references").click()
    first.locator(".copy-status").filter(has_text="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "331" in copied and "[1] " in copied
    assert "2024-01-25-cyp-scrutiny-agenda-pack.txt" in copied and "meeting of 25 January 2024" in copied


def test_filters_narrow_the_search(page_for, demo_server):
    page = page_for(demo_server.url)
    page.locator("#filters summary").click()
    page.get_by_label("Document type").select_option("minutes")
    page.get_by_label("Meetings from").fill("2024-03-01")
    assert "Minutes" in page.locator("#filter-summary").inner_text()
    with page.expect_response("**/api/ask") as response:
        answer = ask(page, "What did the committee decide on the Young Inspectors' Programme?")
    body = response.value.json()
    assert response.value.request.post_data_json["doc_type"] == "minutes"
    assert body["passages"] and {p["document"] for p in body["passages"]} == {"2024-03-27-cyp-scrutiny-minutes.txt"}
    assert not body["abstained"] and "meeting of 27 March 2024" in answer.locator(".sources").inner_text()


def test_abstention_says_so_and_lists_what_was_searched(page_for, demo_server):
    page = page_for(demo_server.url)
    answer = ask(page, "What council tax increase did Cabinet agree for next year?")
    assert answer.locator(".abstain-flag").inner_text() == "Not answered by the papers"
    assert answer.locator(".closest li").count() >= 2
    answer.locator(".closest li button").first.click()
    page.locator("#viewer .passage").wait_for()  # a searched document opens in the panel too


def test_the_reader_is_told_when_the_language_model_did_not_write_the_answer(page_for, demo_index, settings):
    """COUNCILQA_GENERATOR=llm with the model server down (nothing listens on the port): the
    extractive answer is shown, with the note saying why beside it, not in it."""
    down = settings.model_copy(update={"generator": "llm", "llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "any",
                                       "llm_timeout": 1.0, "llm_max_retries": 0})
    with LiveServer(create_app(demo_index, down)) as server:
        page = page_for(server.url)
        answer = ask(page, SLT)
        note = answer.locator(".answer-note").inner_text()
        assert "extractive answer" in note, note
        assert note not in answer.locator(".answer-text").inner_text()
        assert answer.locator(".sources li").count() >= 1


def test_keyboard_labels_and_tablet_layout(page_for, demo_server):
    page = page_for(demo_server.url, width=768, height=1024)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())
        .map(c => c.id || c.outerHTML)""")
    assert unlabelled == []
    assert page.evaluate("document.activeElement.id") == "question"  # ready to type
    page.keyboard.type("What did the committee decide on the Young Inspectors' Programme at its 27 March 2024 meeting?")
    page.keyboard.press("Enter")
    page.locator(".answer .chip").first.wait_for(timeout=ANSWER_WAIT)
    page.locator(".answer-text .chip").first.focus()
    page.keyboard.press("Enter")
    page.locator("#viewer mark").wait_for()
    assert page.evaluate("document.activeElement.id") == "viewer-heading"
    box = page.locator("#viewer").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 768
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "close-viewer"
    page.keyboard.press("Enter")
    assert page.locator("#viewer").is_hidden()


def test_markup_in_a_paper_is_shown_as_text(page_for, papers_index, settings):
    with LiveServer(create_app(papers_index, settings)) as server:
        page = page_for(server.url)
        answer = ask(page, "When was the consultation page found defaced?")
        answer.locator(".answer-text .chip").first.click()
        passage = page.locator("#viewer .passage")
        passage.wait_for()
        assert "<script>window.pwned = 1</script>" in passage.inner_text()
        assert '<img src=x onerror="window.pwned = 2">' in passage.inner_text()
        assert page.locator("#viewer-body script, #viewer-body img:not(.page-image)").count() == 0
        assert page.evaluate("window.pwned") is None
        page.goto(server.url + "/documents")
        page.locator("#documents tbody tr").first.wait_for()
        assert page.locator("#documents tbody tr").count() == 2
        assert "broken.pdf" in page.locator("#failures").inner_text()


def test_officer_sees_the_quote_on_the_pdf_page(page_for, kent_sample_index, settings):
    with LiveServer(create_app(kent_sample_index, settings)) as server:
        page = page_for(server.url, width=1440, height=1700)  # tall enough for the panel to fit whole
        answer = ask(page, KENT_QUESTION)
        assert "5 February 2025" in answer.locator(".answer-text").inner_text()
        with page.expect_response("**/pages/*.png*") as image_response:
            answer.locator(".answer-text .chip").first.click()
        assert image_response.value.status == 200
        assert int(image_response.value.headers["x-highlight-boxes"]) >= 1  # the quote was found on the page
        viewer = page.locator("#viewer")
        image = viewer.locator("img.page-image")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert "Page 2 of 7" in viewer.locator("figcaption").inner_text()
        assert "5 February 2025" in viewer.locator("mark").inner_text()
        link = viewer.get_by_role("link", name="Open the original PDF at page 2")
        href = link.get_attribute("href")
        assert href.endswith("/file#page=2")
        original = page.request.get(server.url + href.split("#")[0])
        assert original.status == 200 and original.headers["content-type"] == "application/pdf"
        assert original.body() == (kent_sample_index.parent / "kent" / KENT_SAMPLE).read_bytes()
        page.screenshot(path=str(ARTIFACTS / "source-viewer-pdf.png"))

        page.keyboard.press("Escape")
        answer.get_by_role("button", name="Copy answer with references").click()
        answer.locator(".copy-status").filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert KENT_SAMPLE in copied and "meeting of 13 March 2025" in copied and "page 2" in copied
