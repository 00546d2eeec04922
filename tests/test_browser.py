"""The web app in real headless Chromium (Playwright, sync API) against a live waitress server."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from web import create_app

from .web_fixtures import SCRIPT, XSS_HTML_ID, XSS_TEXT_ID, build_web_index, live_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


def require_chromium() -> None:
    """Skip without Chromium, except on CI, where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing; install Debian's chromium package to run browser tests"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app over the seeds plus the web test documents, served on a free loopback port."""
    app = create_app({"INDEX_DIR": str(build_web_index(tmp_path_factory))})
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def corpus_url(corpus_index):
    """The app over the bundled corpus, for the screenshots."""
    with live_server(create_app({"INDEX_DIR": str(corpus_index)})) as url:
        yield url


def test_missing_chromium_fails_on_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-chromium is missing"):
        require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        require_chromium()


class Watched:
    """A page plus what it reported: dialogs opened and console errors (e.g. CSP violations)."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport=VIEWPORT)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.dialogs == []
    assert watched.errors == []


def total(page) -> int:
    return int(page.locator("#results-heading").get_attribute("data-total"))


def facet_count(page, facet: str, value: str) -> int:
    link = page.locator(f'a.facet-value[data-facet="{facet}"][data-value="{value}"]')
    return int(link.locator(".facet-value__count").inner_text())


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;
    }""")


def test_typing_a_query_shows_highlighted_results(watched, base_url):
    page = watched.page
    page.goto(base_url + "/")
    page.get_by_label("Search paragraphs").fill("crematorium")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"\?q=crematorium"))
    assert total(page) == 5
    marks = page.locator("ol.hits mark")
    assert marks.count() >= 5
    assert {t.lower() for t in marks.all_inner_texts()} == {"crematorium"}
    background = marks.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")


def test_speaker_facet_narrows_results_and_chip_removes_it(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=Russia")
    broad = total(page)
    organisations_before = page.locator('a.facet-value[data-facet="organisation"]').count()
    expected = facet_count(page, "speaker", "William Courtney")
    page.locator('a.facet-value[data-facet="speaker"][data-value="William Courtney"]').click()
    page.wait_for_url(re.compile(r"speaker=William"))
    assert total(page) == expected < broad
    assert page.locator("ol.hits > li").count() == expected
    for hit in page.locator("ol.hits > li").all():
        assert "William Courtney" in hit.locator("a.speaker").all_inner_texts()
    assert page.locator('a.facet-value.is-selected[data-value="William Courtney"]').count() == 1
    assert page.locator('a.facet-value[data-facet="organisation"]').count() < organisations_before
    chip = page.locator('a.chip[data-param="speaker"]')
    assert "William Courtney" in chip.inner_text()
    chip.click()
    page.wait_for_url(re.compile(r"/\?q=Russia$"))
    assert total(page) == broad
    assert page.locator("a.chip").count() == 0


def test_opening_a_hit_shows_its_paragraph_highlighted_and_scrolled_to(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=%22probable+crematorium%22")
    link = page.locator("ol.hits a.hit__doc").first
    href = link.get_attribute("href")
    anchor = href.rsplit("#", 1)[1]
    assert anchor != "p0"  # far enough down that it must be scrolled to
    link.click()
    page.wait_for_url(re.compile(re.escape(href.split("?")[0])))
    paragraph = page.locator(f"#{anchor}")
    assert "is-highlighted" in paragraph.get_attribute("class")
    assert "probable crematorium" in paragraph.inner_text()
    assert page.locator(".paragraph.is-highlighted").count() == 1
    background = paragraph.evaluate("el => getComputedStyle(el).backgroundColor")
    plain = page.locator("#p0").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background != plain
    assert in_viewport(page, f"#{anchor}")


def test_did_you_mean_link_runs_the_corrected_query(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=crematorum")
    assert total(page) == 0
    suggestion = page.locator("a.did-you-mean__link")
    assert suggestion.inner_text() == "crematorium"
    suggestion.click()
    page.wait_for_url(re.compile(r"q=crematorium"))
    assert total(page) == 5
    assert page.locator("ol.hits mark").count() >= 5
    assert page.locator(".did-you-mean").count() == 0


def test_year_facet_drills_into_months(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ceasefire")
    page.locator('a.facet-value[data-facet="year"][data-value="2016"]').click()
    months = page.locator('a.facet-value[data-facet="month"]')
    months.first.wait_for()
    assert months.all_inner_texts()[0].startswith("August 2016")
    page.locator('a.facet-value[data-value="2016-03"]').click()
    page.wait_for_url(re.compile(r"month=2016-03"))
    assert page.locator("ol.hits time").all_inner_texts() == ["3 March 2016"] * total(page)


@pytest.mark.parametrize("doc_id", [XSS_TEXT_ID, XSS_HTML_ID])
def test_document_with_script_text_shows_it_and_runs_nothing(watched, base_url, doc_id):
    page = watched.page
    page.goto(f"{base_url}/documents/{doc_id}")
    page.wait_for_load_state("load")
    assert SCRIPT in page.locator("#p0 .paragraph__text").inner_text()
    assert page.locator("main script").count() == 0
    page.goto(f"{base_url}/?q=alert")
    page.wait_for_load_state("load")
    assert SCRIPT in " ".join(page.locator(".hit__snippet").all_inner_texts())
    page.goto(f"{base_url}/?q={SCRIPT}")
    page.wait_for_load_state("load")
    assert page.get_by_label("Search paragraphs").input_value() == SCRIPT
    page.goto(f"{base_url}/speakers/Heather%20Nauert")
    page.wait_for_load_state("load")
    assert watched.dialogs == []


def test_narrow_screen_stacks_results_above_facets(watched, base_url):
    page = watched.page
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(base_url + "/?q=ceasefire")
    results = page.locator("section.results").bounding_box()
    sidebar = page.locator("aside.sidebar").bounding_box()
    assert sidebar["y"] > results["y"]
    assert results["width"] > 350


def test_screenshots_of_search_and_document_pages(watched, corpus_url):
    page = watched.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(corpus_url + "/?q=said&year=2023&year=2019")
    assert page.locator("ol.hits mark").count() > 0
    assert page.locator("aside.sidebar .facet").count() == 4
    assert page.locator("a.chip[data-param=year]").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    links = page.locator("ol.hits a.hit__doc").evaluate_all("els => els.map(a => a.href)")
    href = next((h for h in links if re.search(r"#p[1-4]$", h)), links[0])
    page.goto(href)
    assert page.locator(".paragraph.is-highlighted").count() == 1
    assert in_viewport(page, ".paragraph.is-highlighted")
    page.screenshot(path=str(SCREENSHOTS / "document.png"))
    for name in ("search.png", "document.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
