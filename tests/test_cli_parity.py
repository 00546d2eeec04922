"""The command line says what the web app says: counts, the month facet, extract's text."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO
from .journalist_fixtures import build_journalist_index


@pytest.fixture(scope="module")
def journalist(tmp_path_factory):
    return build_journalist_index(tmp_path_factory)


def docsearch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_one_paragraph_is_singular_and_the_month_facet_is_shown(journalist):
    out = docsearch("query", "timetable", "--index", str(journalist[1]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1 paragraph matches\n")
    assert "month: 2019-03 (1)" in out.stdout
    assert "[2019_03_harbour.txt \u00b63]" in out.stdout  # numbered from 1, as on the page
    many = docsearch("query", "ferry", "--index", str(journalist[1]))
    assert many.stdout.startswith("6 paragraphs match")


def test_quotes_only_in_the_cli(journalist):
    out = docsearch("query", "ferry", "--quotes-only", "--index", str(journalist[1]))
    assert out.stdout.startswith("3 paragraphs match")


def test_text_extract_prints_each_paragraphs_text(journalist):
    corpus = journalist[0]
    out = docsearch("extract", str(corpus / "2019_05_harbour.txt"))
    assert out.returncode == 0, out.stderr
    assert "\u00b61: speakers=['Marta Olsen']" in out.stdout
    assert "    Passengers waited for hours at the terminal on Sunday." in out.stdout


def test_no_index_says_where_it_looked_and_how_to_create_one(tmp_path):
    out = docsearch("query", "ferry", "--index", str(tmp_path / "missing"))
    assert out.returncode == 2
    assert str(tmp_path / "missing") in out.stderr
    assert "docsearch index" in out.stderr
