"""Web safety beyond tests/test_web.py: hostile names and titles stay inert on every page,
no request path reaches a file outside the index and corpus, and every response carries the
security headers (errors, static files and JSON included), through Flask and through waitress."""

from __future__ import annotations

import datetime as dt
import http.client
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from search.documents import Document
from search.extraction import DocumentFacts, ParagraphFacts
from search.index import create_index
from search.records import paragraph_records
from search.speakers import Person
from web import SECURITY_HEADERS, create_app

from .web_fixtures import live_server

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
            "<svg onload=alert(1)>", "javascript:alert(1)", "</title><script>alert(1)</script>",
            "{{7*7}}", "&lt;b&gt;"]
EVIL_NAME = 'Eve <script>alert("name")</script> Hacker'
EVIL_ORG = '"><img src=x onerror=alert("org")> Ministry'
EVIL_TITLE = "Title </title><svg onload=alert('title')> of doom"
EVIL_ROLE = "<iframe src=javascript:alert('role')></iframe> spokesperson"
EVIL_DOC = "evil <b>folder</b>/statement.txt"
SECRET = "root:x:0:0"
ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "main", "footer",
                "nav", "section", "aside", "article", "div", "span", "p", "a", "form", "input",
                "label", "button", "select", "option", "ul", "ol", "li", "h1", "h2", "h3", "h4",
                "mark", "strong", "em", "small", "time", "details", "summary", "dl", "dt", "dd",
                "blockquote", "abbr", "script", "kbd", "code", "br", "fieldset", "legend",
                "output", "q", "cite", "b", "i", "hr", "table", "tr", "td", "th", "thead",
                "tbody", "caption", "figure", "figcaption"}


def hostile_index(folder: Path) -> Path:
    """An index whose title, text, speaker, role, organisation and id all hold markup."""
    doc = Document(id=EVIL_DOC, path=folder / "x.txt", title=EVIL_TITLE,
                   date=dt.date(2019, 6, 2),
                   paragraphs=[f'"Ceasefire {payload}," said {EVIL_NAME}.' for payload in
                               PAYLOADS] + ["A plain ceasefire paragraph about Aleppo."])
    facts = DocumentFacts(
        paragraphs=[ParagraphFacts(speakers=[EVIL_NAME], organisations=[EVIL_ORG],
                                   dates=["<b>2019</b>"]) for _ in doc.paragraphs],
        people={EVIL_NAME: Person(EVIL_NAME, EVIL_ROLE, EVIL_ORG)})
    ix = create_index(folder)
    writer = ix.writer()
    for record in paragraph_records(doc, facts, "hash"):
        writer.add_document(**record)
    writer.commit()
    return folder


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    index_dir = hostile_index(tmp_path_factory.mktemp("hostile-index"))
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)})


@pytest.fixture
def client(app):
    return app.test_client()


def check_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def assert_inert(html: str) -> None:
    """No script but app.js, no event handlers, no javascript: links, no unexpected elements."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, tag.name
        if tag.name == "script":
            assert tag.get("src") == "/static/app.js" and not tag.string
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), (tag.name, attribute)
            if attribute in ("href", "src", "action", "formaction", "data"):
                assert not value.strip().lower().startswith("javascript:"), (tag.name, value)
    for fragment in ("<script>alert", "<img src", "<svg", "<iframe"):  # escaped, they are text
        assert fragment not in html


def page(client, url: str, statuses=(200,)) -> str:
    response = client.get(url)
    assert response.status_code in statuses, (url, response.status_code)
    check_headers(response)
    html = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        assert_inert(html)
    return html


# ---------------------------------------------------------------- markup stays inert


def test_search_page_shows_hostile_text_names_and_facet_labels_as_text(client):
    html = page(client, "/?q=ceasefire&size=20")
    soup = BeautifulSoup(html, "html.parser")
    snippets = " ".join(s.get_text() for s in soup.select(".hit__snippet"))
    assert "<script>alert(1)</script>" in snippets
    assert EVIL_NAME in soup.get_text() and EVIL_ORG in soup.get_text()
    assert EVIL_TITLE in {a.get_text() for a in soup.select("a.hit__doc")}
    labels = {a.select_one(".facet-value__label").get_text(strip=True)
              for a in soup.select("a.facet-value")}
    assert {EVIL_NAME, EVIL_ORG, EVIL_TITLE} <= labels


def test_chips_for_hostile_filter_values_are_text(client):
    url = ("/?q=ceasefire&speaker=" + quote(EVIL_NAME) + "&organisation=" + quote(EVIL_ORG)
           + "&document=" + quote(EVIL_DOC) + "&speaker=" + quote(PAYLOADS[1]))
    soup = BeautifulSoup(page(client, url), "html.parser")
    chips = {chip.get_text(" ", strip=True) for chip in soup.select("a.chip")}
    assert any(EVIL_NAME in chip for chip in chips)
    assert any(EVIL_TITLE in chip for chip in chips)  # the document chip shows its title


def test_document_page_with_hostile_id_title_and_people(client):
    html = page(client, "/documents/" + quote(EVIL_DOC) + "?hl=1")
    soup = BeautifulSoup(html, "html.parser")
    assert EVIL_TITLE in soup.select_one("h1").get_text()
    assert EVIL_ROLE.split(" spokesperson")[0] in soup.get_text()


def test_speaker_page_with_hostile_name_and_role(client):
    html = page(client, "/speakers/" + quote(EVIL_NAME))
    assert EVIL_NAME in BeautifulSoup(html, "html.parser").select_one("h1").get_text()


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_hostile_queries_are_inert_on_results_errors_and_suggestions(client, payload):
    for url in ("/?q=" + quote(payload), "/?q=" + quote(payload + " ceasfire"),
                "/?q=" + quote(payload + " foo:bar"), "/?q=" + quote("ceasfire " + payload),
                "/?from=" + quote(payload), "/?sort=" + quote(payload),
                "/?page=" + quote(payload), "/speakers/" + quote(payload, safe=""),
                "/documents/" + quote(payload, safe=""), "/" + quote(payload, safe="")):
        page(client, url, statuses=(200, 400, 404))
    api = client.get("/api/search?q=" + quote(payload))
    check_headers(api)
    assert api.mimetype == "application/json"


def test_did_you_mean_link_is_escaped(client):
    soup = BeautifulSoup(page(client, "/?q=" + quote("ceasfire <b>x</b>")), "html.parser")
    for link in soup.select("a"):
        assert "<" not in link.get("href", "")


# ---------------------------------------------------------------- no path leaves the index


TRAVERSALS = [
    "/documents/../../etc/passwd", "/documents/..%2f..%2fetc%2fpasswd",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/documents/%2e%2e/%2e%2e/etc/passwd",
    "/documents//etc/passwd", "/documents/%2Fetc%2Fpasswd", "/api/documents/../../etc/passwd",
    "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/documents//etc/passwd",
    "/speakers/../../etc/passwd", "/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml",
    "/static/..%2fpyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static//etc/passwd", "/static/%2Fetc%2Fpasswd", "/static/..%5c..%5cpyproject.toml",
    "/static/app.js%00.html", "/documents/x%00.txt", "/api/documents/%00",
    "/static/%c0%ae%c0%ae/pyproject.toml", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/static/../../../../etc/passwd", "/documents/~/.bashrc", "/static/.%2e/web/__init__.py",
]


@pytest.mark.parametrize("path", TRAVERSALS, ids=range(len(TRAVERSALS)))
def test_traversal_paths_never_reach_files_outside(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404, 308), (path, response.status_code)
    check_headers(response)
    body = response.get_data(as_text=True)
    assert SECRET not in body and "[build-system]" not in body and "create_app" not in body


@pytest.mark.parametrize("path", TRAVERSALS, ids=range(len(TRAVERSALS)))
def test_traversal_paths_through_waitress_are_refused_with_headers(live, path):
    status, headers, body = raw_get(live, path)
    assert status in (400, 404, 308), (path, status)
    assert SECRET not in body and "[build-system]" not in body and "create_app" not in body
    if status != 400 or headers.get("Server") != "waitress":  # waitress's own 400s bypass Flask
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)


@pytest.fixture(scope="module")
def live(app):
    with live_server(app) as base:
        yield base


def raw_get(base: str, path: str) -> tuple[int, dict, str]:
    """GET with the path sent byte for byte as given (no client-side normalisation)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(
            "utf-8", "replace")
    finally:
        connection.close()


# ---------------------------------------------------------------- headers on every response


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/", 200), ("GET", "/?q=ceasefire", 200), ("GET", "/?page=0", 200),
    ("GET", "/api/search?q=ceasefire", 200), ("GET", "/api/search?page=0", 400),
    ("GET", "/api/nothing", 404), ("GET", "/nothing", 404), ("POST", "/", 405),
    ("POST", "/api/search", 405), ("GET", "/static/style.css", 200),
    ("GET", "/static/app.js", 200), ("GET", "/static/favicon.svg", 200),
    ("GET", "/static/missing.css", 404), ("HEAD", "/", 200), ("HEAD", "/static/app.js", 200),
    ("OPTIONS", "/", 200), ("GET", "/documents/" + quote(EVIL_DOC), 200),
    ("GET", "/speakers/Nobody", 404),
], ids=lambda value: str(value))
def test_every_response_has_the_security_headers(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    check_headers(response)


def test_static_files_are_not_sniffed_or_framed_through_waitress(live):
    for path in ("/static/app.js", "/static/style.css", "/static/favicon.svg"):
        status, headers, _ = raw_get(live, path)
        assert status == 200
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value
    status, headers, _ = raw_get(live, "/definitely/missing")
    assert status == 404 and headers.get("X-Content-Type-Options") == "nosniff"


def test_csp_forbids_inline_script_and_framing():
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
