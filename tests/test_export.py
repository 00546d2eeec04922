"""Exports of a search: CSV and JSON Lines from the core, the web app, the API and the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from search import export as export_module
from search.export import COLUMNS, csv_text, export_search, export_text
from search.index import open_index
from search.query import SearchRequest, search
from web import create_app

from .conftest import REPO
from .journalist_fixtures import build_journalist_index


@pytest.fixture(scope="module")
def journalist_index(tmp_path_factory):
    return build_journalist_index(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def client(journalist_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(journalist_index)}).test_client()


def rows_of_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def total(index_dir, **kwargs) -> int:
    with open_index(index_dir).searcher() as searcher:
        return search(searcher, SearchRequest(**kwargs))["total"]


def test_export_holds_every_match_in_sort_order(journalist_index):
    with open_index(journalist_index).searcher() as searcher:
        export = export_search(searcher, SearchRequest(q="ferry", sort="oldest", page_size=1))
    assert export.total == len(export.rows) == total(journalist_index, q="ferry")
    dated = [row["date"] for row in export.rows if row["date"]]
    assert dated == sorted(dated)
    assert set(export.rows[0]) == set(COLUMNS)


def test_export_row_has_quote_and_link(journalist_index):
    with open_index(journalist_index).searcher() as searcher:
        export = export_search(searcher, SearchRequest(q='quote:"gale force"'))
    (row,) = export.rows
    assert row["quote"] == "No ferry will sail while the wind is above gale force"
    assert row["speakers"] == ["Marta Olsen"]
    assert row["organisations"] == ["Northport Harbour Authority"]
    assert row["date"] == "2019-05-20"
    assert row["link"] == "/documents/2019_05_harbour.txt?hl=0#p0"


def test_export_is_bounded_and_says_so(journalist_index, monkeypatch):
    monkeypatch.setattr(export_module, "EXPORT_LIMIT", 2)
    with open_index(journalist_index).searcher() as searcher:
        export = export_search(searcher, SearchRequest(q="ferry"))
    assert len(export.rows) == 2 and export.total > 2 and export.truncated


def test_csv_cells_that_look_like_formulas_are_quoted():
    row = dict.fromkeys(COLUMNS, "")
    row.update(text="=HYPERLINK(1)", speakers=["@someone", "Plain"], quote="-1")
    (parsed,) = rows_of_csv(csv_text([row]))
    assert parsed["text"] == "'=HYPERLINK(1)"
    assert parsed["speakers"] == "'@someone; Plain"
    assert parsed["quote"] == "'-1"


def test_jsonl_keeps_lists(journalist_index):
    with open_index(journalist_index).searcher() as searcher:
        export = export_search(searcher, SearchRequest(q="ferry", quotes_only=True))
    lines = export_text(export, "jsonl").splitlines()
    assert len(lines) == export.total == 3
    assert all(isinstance(json.loads(line)["speakers"], list) for line in lines)


def test_web_export_of_a_filtered_search_equals_its_total(client):
    query = "q=ferry&speaker=Marta+Olsen&from=2019-01&to=2019-12"
    expected = client.get(f"/api/search?{query}").get_json()["total"]
    response = client.get(f"/export.csv?{query}&page=2&size=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = rows_of_csv(response.get_data(as_text=True))
    assert len(rows) == expected == int(response.headers["X-Docsearch-Total"]) == 2
    assert all(row["speakers"] == "Marta Olsen" for row in rows)
    assert all(row["link"].startswith("http://localhost/documents/") for row in rows)
    assert response.headers["X-Docsearch-Export-Limit"] == "10000"


def test_api_export_formats(client):
    response = client.get("/api/export?q=ferry&quotes=1")  # JSON Lines by default
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == client.get("/api/search?q=ferry&quotes=1").get_json()["total"]
    assert client.get("/api/export?q=ferry&format=csv").headers["Content-Type"].startswith(
        "text/csv")
    bad = client.get("/api/export?format=xml")
    assert bad.status_code == 400 and "csv, jsonl" in bad.get_json()["error"]
    assert client.get("/export.xml").status_code == 404
    assert client.get("/export.csv?q=colour:red").status_code == 400


def test_page_links_to_exports_and_states_the_bound(client):
    html = client.get("/?q=ferry&page=1&speaker=Marta+Olsen").get_data(as_text=True)
    assert 'href="/export.csv?q=ferry&amp;speaker=Marta+Olsen"' in html
    assert 'href="/export.jsonl?q=ferry&amp;speaker=Marta+Olsen"' in html
    assert "10,000" in html


def docsearch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_cli_query_format_csv_and_jsonl(journalist_index):
    out = docsearch("query", "ferry", "--format", "csv", "--speaker", "Marta Olsen",
                    "--index", str(journalist_index))
    assert out.returncode == 0, out.stderr
    rows = rows_of_csv(out.stdout)
    assert len(rows) == total(journalist_index, q="ferry", speakers=["Marta Olsen"])
    assert list(rows[0]) == list(COLUMNS)
    out = docsearch("query", "ferry", "--format", "jsonl", "--quotes-only",
                    "--index", str(journalist_index))
    lines = out.stdout.splitlines()
    assert len(lines) == total(journalist_index, q="ferry", quotes_only=True)
    assert all(json.loads(line)["quote"] for line in lines)


def test_cli_export_without_an_index_says_where_it_looked(tmp_path):
    out = docsearch("query", "ferry", "--format", "csv", "--index", str(tmp_path / "none"))
    assert out.returncode == 2
    assert str(tmp_path / "none") in out.stderr and "docsearch index" in out.stderr
