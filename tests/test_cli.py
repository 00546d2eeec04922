"""The command line as users and later tools rely on it: query, extract, help and errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import CORPUS, REPO, SEED_IDS


def docsearch(*args: str, cwd=REPO, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_query_json_crematorium_hits_both_seeds_with_marks_and_speaker_facets(seed_index):
    out = docsearch("query", "crematorium", "--json", "--index", str(seed_index))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {hit["document"] for hit in result["hits"]} == set(SEED_IDS)
    assert all("<mark>" in hit["snippet"] for hit in result["hits"])
    assert result["facets"]["speaker"]  # counts by speaker over all matches
    assert set(result) >= {"total", "hits", "facets", "suggestion"}
    assert set(result["facets"]) >= {"speaker", "organisation", "year", "document"}
    assert set(result["hits"][0]) >= {"document", "title", "paragraph", "text", "snippet",
                                      "speakers", "organisations", "dates", "document_date",
                                      "score"}


def test_query_speaker_filter_returns_her_paragraph_only(seed_index):
    out = docsearch("query", "ceasefire", "--speaker", "Heather Nauert", "--json",
                    "--index", str(seed_index))
    result = json.loads(out.stdout)
    assert result["total"] == 1
    assert result["hits"][0]["speakers"] == ["Heather Nauert"]
    assert result["hits"][0]["text"].startswith('"We call upon Russia')


def test_query_human_output_shows_metadata_and_facets(seed_index):
    out = docsearch("query", "ceasefire", "--index", str(seed_index))
    assert out.returncode == 0
    assert "*ceasefire*" in out.stdout  # emphasis without a terminal
    assert "Heather Nauert (State Department spokesperson, State Department)" in out.stdout
    assert "speaker:" in out.stdout and "document:" in out.stdout


def test_query_uses_docsearch_index_environment_variable(seed_index, tmp_path):
    import os

    env = {**os.environ, "DOCSEARCH_INDEX": str(seed_index)}
    out = docsearch("query", "crematorium", "--json", cwd=tmp_path, env=env)
    assert json.loads(out.stdout)["total"] == 5


def test_extract_json_one_object_per_paragraph():
    out = docsearch("extract", str(CORPUS / SEED_IDS[0]), "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [row["paragraph"] for row in rows] == list(range(8))
    assert {tuple(row) for row in rows} == {("document", "paragraph", "title", "document_date",
                                             "text", "speakers", "organisations", "dates",
                                             "attributions")}
    assert rows[0]["document_date"] == "2017-05-16"
    assert rows[6]["dates"] == ["2017-04-04"]
    assert rows[4]["speakers"] == ["Stuart Jones"]


@pytest.mark.parametrize("command", ["", "index", "query", "extract", "serve"])
def test_every_command_explains_itself(command):
    out = docsearch(*([command] if command else []), "--help")
    assert out.returncode == 0
    assert "usage: docsearch" in out.stdout and len(out.stdout) > 200


@pytest.mark.parametrize("args, message", [
    (["query", "crematorium", "--index", "{missing}"], "no index at"),
    (["query", "foo:bar", "--index", "{index}"], "unknown field"),
    (["query", "Russia", "--page", "0", "--index", "{index}"], "page must be"),
    (["query", "Russia", "--from", "last year", "--index", "{index}"], "not a date"),
    (["index", "{missing}", "--index", "{tmp}/ix"], "no such file or folder"),
])
def test_errors_are_one_line_and_exit_2(seed_index, tmp_path, args, message):
    values = {"missing": str(tmp_path / "nothing"), "index": str(seed_index), "tmp": str(tmp_path)}
    out = docsearch(*(arg.format(**values) for arg in args))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("docsearch: error:") and message in lines[0]


def test_bad_files_beside_the_seeds_are_named_and_the_seeds_indexed(seed_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SEED_IDS:
        (corpus / name).write_bytes((seed_corpus / name).read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    (corpus / "latin.txt").write_bytes("Caf\xe9 report\n\nThe caf\xe9 opened.\n".encode("latin-1"))
    out = docsearch("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert out.returncode == 0, out.stderr
    assert "empty.txt" in out.stderr and "binary.txt" in out.stderr and "latin.txt" in out.stderr
    query = docsearch("query", "crematorium", "--json", "--index", str(tmp_path / "ix"))
    assert {hit["document"] for hit in json.loads(query.stdout)["hits"]} == set(SEED_IDS)
    cafe = docsearch("query", "café", "--json", "--index", str(tmp_path / "ix"))
    assert json.loads(cafe.stdout)["hits"][0]["text"] == "The caf\u00e9 opened."
