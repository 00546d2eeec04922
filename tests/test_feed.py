"""The Atom feed of a search: valid Atom, newest-indexed first, stable ids, follows the index."""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

import pytest

from search.sync import update_index
from web import create_app

from .journalist_fixtures import build_journalist_index

ATOM = "{http://www.w3.org/2005/Atom}"

NEW_DOCUMENT = """Ferry fares frozen for a year

June 2, 2021

"Ferry fares will not rise this year," said Marta Olsen, the director of the Northport
Harbour Authority.
"""


@pytest.fixture
def world(tmp_path_factory):
    corpus, index_dir = build_journalist_index(tmp_path_factory)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    return corpus, index_dir, app.test_client()


def entries(client, query: str) -> list[ET.Element]:
    response = client.get(f"/search.atom?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated"):
        assert feed.find(f"{ATOM}{tag}").text
    return feed.findall(f"{ATOM}entry")


def ids(found: list[ET.Element]) -> list[str]:
    return [entry.find(f"{ATOM}id").text for entry in found]


def test_feed_matches_the_search_and_entries_are_complete(world):
    _, _, client = world
    found = entries(client, "q=ferry&quotes=1")
    assert len(found) == client.get("/api/search?q=ferry&quotes=1").get_json()["total"]
    for entry in found:
        for tag in ("id", "title", "updated", "content"):
            assert entry.find(f"{ATOM}{tag}").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/documents/")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
    assert len(set(ids(found))) == len(found)


def test_feed_ids_are_stable_and_a_new_document_comes_first(world):
    corpus, index_dir, client = world
    before = ids(entries(client, "q=ferry"))
    assert ids(entries(client, "q=ferry")) == before
    (corpus / "2021_06_fares.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    update_index([corpus], index_dir)
    deadline = time.monotonic() + 30  # the app looks for new commits every half second
    after = entries(client, "q=ferry")
    while set(ids(after)) == set(before) and time.monotonic() < deadline:
        time.sleep(0.1)
        after = entries(client, "q=ferry")
    assert set(before) < set(ids(after))
    newest = after[0]
    assert "2021_06_fares.txt" in newest.find(f"{ATOM}id").text
    assert newest.find(f"{ATOM}published").text.startswith("2021-06-02")
    assert newest.find(f"{ATOM}updated").text >= after[-1].find(f"{ATOM}updated").text
    assert "Marta Olsen" in newest.find(f"{ATOM}title").text


def test_feed_escapes_text_and_rejects_bad_queries(world):
    _, _, client = world
    assert client.get("/search.atom?q=colour:red").status_code == 400
    response = client.get("/search.atom?q=%3Cscript%3E")
    assert b"<script>" not in response.data
    assert ET.fromstring(response.data).find(f"{ATOM}title").text == "docsearch: “<script>”"


def test_search_page_links_its_feed(world):
    _, _, client = world
    html = client.get("/?q=ferry&speaker=Marta+Olsen").get_data(as_text=True)
    assert 'href="/search.atom?q=ferry&amp;speaker=Marta+Olsen"' in html


def test_search_page_announces_its_feed_for_readers(world):
    _, _, client = world
    html = client.get("/?q=ferry").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="New paragraphs matching '
            'this search" href="/search.atom?q=ferry">') in html
