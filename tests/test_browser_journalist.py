"""Issue 14 in real headless Chromium: quotes, toggles, histogram, export, feed, facets, keys."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from web import create_app

from .journalist_fixtures import UNDATED_ID, build_journalist_index, write_journalist_corpus
from .test_browser import SCREENSHOTS, VIEWPORT, Watched, browser, corpus_url, total  # noqa: F401
from .waiting import started_server
from .web_fixtures import live_server

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app over the journalist documents, with filter boxes from two values."""
    _, index_dir = build_journalist_index(tmp_path_factory)
    app = create_app({"INDEX_DIR": str(index_dir), "FACET_FILTER_FROM": 1})
    with live_server(app) as url:
        yield url


@pytest.fixture
def watched(browser):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.dialogs == []
    assert watched.errors == []


def api_total(page, base_url: str, query: str) -> int:
    return page.request.get(f"{base_url}/api/search?{query}").json()["total"]


def facet_count(page, facet: str, value: str) -> int:
    link = page.locator(f'a.facet-value[data-facet="{facet}"][data-value="{value}"]')
    return int(link.locator(".facet-value__count").inner_text())


def test_a_quote_is_shown_with_its_speaker(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=timetable")
    quote = page.locator("li.hit .hit__snippet .quote").first
    assert quote.inner_text() == "We expect the ferry timetable to change twice a year"
    assert quote.evaluate("el => getComputedStyle(el).fontStyle") == "italic"
    person = page.locator("li.hit .person").first
    assert person.locator(".speaker").inner_text() == "Marta Olsen"
    assert person.locator(".role").inner_text() == "director, Northport Harbour Authority"


def test_quote_field_search_from_the_box(watched, base_url):
    page = watched.page
    page.goto(base_url + "/")
    page.get_by_label("Search paragraphs").fill('quote:"gale force"')
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=quote"))
    assert total(page) == 1
    assert "gale force" in page.locator("li.hit .quote").inner_text()


def test_quotes_only_toggle_restricts_results_and_counts(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry")
    before = total(page)
    page.locator("a.quotes-toggle").click()
    page.wait_for_url(re.compile(r"quotes=1"))
    assert total(page) == api_total(page, base_url, "q=ferry&quotes=1") < before
    counts = page.locator('a.facet-value[data-facet="document"] .facet-value__count')
    assert sum(int(c) for c in counts.all_inner_texts()) == total(page)
    assert page.locator("a.quotes-toggle").get_attribute("aria-checked") == "true"


def test_histogram_bar_click_narrows_results_and_counts(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry")
    olsen_before = facet_count(page, "speaker", "Marta Olsen")
    bar = page.locator('a.histogram__bar[data-period="2019-03"]')
    expected = int(bar.get_attribute("data-count"))
    bar.click()
    page.wait_for_url(re.compile(r"from=2019-03&to=2019-03"))
    assert total(page) == expected == 2
    assert facet_count(page, "speaker", "Marta Olsen") < olsen_before
    days = page.locator("a.histogram__bar")  # one month of matches is drawn by day
    assert all(p.startswith("2019-03-") for p in days.evaluate_all(
        "bars => bars.map(b => b.dataset.period)"))
    assert sum(int(c) for c in days.evaluate_all("bars => bars.map(b => b.dataset.count)")) == 2


def test_undated_bucket(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry")
    bar = page.locator('a.histogram__bar[data-period="undated"]')
    expected = int(bar.get_attribute("data-count"))
    assert expected > 0
    bar.click()
    page.wait_for_url(re.compile(r"undated=1"))
    assert total(page) == expected
    assert set(page.locator("a.hit__doc").evaluate_all(
        "links => links.map(a => decodeURIComponent(new URL(a.href).pathname))")) == {
        f"/documents/{UNDATED_ID}"}


def test_export_of_a_filtered_search_has_its_total_rows(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry&speaker=Marta+Olsen")
    expected = total(page)
    with page.expect_download() as info:
        page.locator('a.export-link[data-format="csv"]').click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(rows) == expected == 2
    assert {row["speakers"] for row in rows} == {"Marta Olsen"}


def test_facet_filter_box_and_exclude(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry")
    box = page.locator('input.facet__filter[data-filter-facet="speaker"]')
    box.fill("lind")
    visible = page.locator('section[data-facet="speaker"] .facet__values > li:visible')
    assert visible.count() == 1 and "Ana Lindqvist" in visible.inner_text()
    box.fill("")
    before = total(page)
    olsen = facet_count(page, "speaker", "Marta Olsen")
    page.locator('a.facet-exclude[data-exclude="Marta Olsen"]').click()
    page.wait_for_url(re.compile(r"not_speaker="))
    assert total(page) == before - olsen
    assert page.locator('a.chip[data-param="not_speaker"]').count() == 1


def test_organisation_page_from_a_speaker_page(watched, base_url):
    page = watched.page
    page.goto(base_url + "/speakers/Marta%20Olsen")
    assert page.locator("a.histogram__bar").count() == 3
    page.locator(".speaker-page__orgs a.tag", has_text="Northport Harbour Authority").first.click()
    page.wait_for_url(re.compile(r"/organisations/"))
    assert page.locator("h1").inner_text() == "Northport Harbour Authority"
    assert page.locator(".org-page__people .speaker").all_inner_texts() == ["Marta Olsen"]
    assert page.locator(".statement").count() == api_total(
        page, base_url, "organisation=Northport+Harbour+Authority")


def test_keyboard_navigation(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry&sort=oldest")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("j")
    current = page.locator("li.hit.is-current")
    assert current.count() == 1
    assert page.locator("li.hit").nth(1).get_attribute("class").split().count("is-current") == 1
    href = current.locator("a.hit__doc").get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.split("#")[0])))
    page.go_back()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_skip_link_goes_to_the_results(watched, base_url):
    page = watched.page
    page.goto(base_url + "/?q=ferry")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#results"


def test_mobile_filters_button_opens_the_facets(watched, base_url):
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/?q=ferry")
    button = page.locator("a.filters-toggle")
    assert button.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    sidebar = page.locator("#filters")
    box = sidebar.bounding_box()
    results = page.locator("#results").bounding_box()
    assert box["y"] < results["y"]  # the facets come first once opened
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not button.is_visible()


def _served(corpus: Path, index_dir: Path):
    """`docsearch serve --watch` on a free port; returns (process, base URL)."""
    return started_server(["--watch", "--corpus", str(corpus), "--index", str(index_dir)])


def test_feed_gains_an_entry_after_add_under_serve_watch(watched, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_journalist_corpus(corpus)
    process, url = _served(corpus, tmp_path / "index")
    try:
        page = watched.page
        page.goto(url + "/?q=ferry")
        feed_url = url + page.locator("a.feed-link").get_attribute("href")

        def entry_ids() -> list[str]:
            body = page.request.get(feed_url).body()
            return [e.findtext(f"{ATOM}id") for e in ET.fromstring(body).iter(f"{ATOM}entry")]

        before = entry_ids()
        new = tmp_path / "2022_04_ferry.txt"
        new.write_text("Ferry service returns\n\nApril 4, 2022\n\n\"The ferry is back,\" said "
                       "Marta Olsen, the director of the Northport Harbour Authority.\n",
                       encoding="utf-8")
        added = subprocess.run([sys.executable, "-m", "search.cli", "add", str(new),
                                "--corpus", str(corpus), "--index", str(tmp_path / "index"),
                                "--wait", "60"], cwd=REPO, capture_output=True, text=True,
                               timeout=120)
        assert added.returncode == 0, added.stderr
        deadline = time.monotonic() + 60
        after = entry_ids()
        while len(after) == len(before) and time.monotonic() < deadline:
            time.sleep(0.25)
            after = entry_ids()
        assert set(before) < set(after)
        assert "2022_04_ferry.txt" in after[0]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_screenshots_of_the_journalist_pages(watched, corpus_url, base_url):  # noqa: F811
    page = watched.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(base_url + "/?q=ferry")
    page.screenshot(path=str(SCREENSHOTS / "quotes.png"), full_page=True)
    page.goto(base_url + "/speakers/Marta%20Olsen")
    page.screenshot(path=str(SCREENSHOTS / "speaker.png"), full_page=True)
    page.goto(base_url + "/organisations/Northport%20Harbour%20Authority")
    page.screenshot(path=str(SCREENSHOTS / "organisation.png"), full_page=True)
    page.goto(corpus_url + "/?q=said")
    page.screenshot(path=str(SCREENSHOTS / "histogram.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/?q=ferry")
    page.locator("a.filters-toggle").click()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "mobile-filters.png"))
    assert page.locator("#filters").is_visible()
