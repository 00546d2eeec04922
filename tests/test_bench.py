"""The benchmark harness: the corpus generator is deterministic and readable by docsearch, the
workload is fixed, and bench/run.py runs end to end on a tiny corpus. No timed assertions."""

from __future__ import annotations

import importlib.util
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from bench import corpus as gen
from bench.workload import KINDS, api_params, workload
from search.documents import iter_document_paths, read_document

HAS_TANTIVY = importlib.util.find_spec("tantivy") is not None


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    gen.generate_corpus(out, 300, processes=1)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != gen.MANIFEST}


def test_documents_are_deterministic():
    first = gen.generate_document(17, 10)
    again = gen.generate_document(17, 10)
    assert first == again
    assert gen.generate_document(18, 10) != first
    assert gen.render(first) == gen.render(again)


def test_paragraph_counts_sum_exactly():
    for n in (1, 299, 300, 12_345):
        counts = gen.paragraph_counts(n)
        assert sum(counts) == n
        assert all(1 <= c <= gen.PARAGRAPHS_PER_DOC[1] for c in counts)


def test_corpus_is_identical_across_runs_and_processes(tiny_corpus, tmp_path):
    other = tmp_path / "again"
    gen.generate_corpus(other, 300, processes=2)
    assert _files(other) == _files(tiny_corpus)


def test_corpus_layout_and_manifest(tiny_corpus):
    manifest = json.loads((tiny_corpus / gen.MANIFEST).read_text())
    assert manifest["paragraphs"] == 300
    paths = list(iter_document_paths(tiny_corpus))
    assert len(paths) == manifest["documents"]
    folders: dict[Path, int] = {}
    for path in paths:
        folders[path.parent] = folders.get(path.parent, 0) + 1
    assert max(folders.values()) <= gen.FILES_PER_FOLDER
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".txt", ".html"}
    # Reused, not rewritten, when asked again for the same corpus.
    assert gen.generate_corpus(tiny_corpus, 300)["reused"] is True


def test_docsearch_reads_what_was_generated(tiny_corpus):
    total = 0
    for number, path in enumerate(iter_document_paths(tiny_corpus)):
        doc = read_document(path, tiny_corpus)
        expected = gen.generate_document(number, len(doc.paragraphs))
        assert path.relative_to(tiny_corpus).as_posix() == expected.path
        assert doc.date == expected.date
        assert doc.title == expected.title
        assert [p.replace("\u201c", '"').replace("\u201d", '"') for p in doc.paragraphs] == [
            p.replace("\u201c", '"').replace("\u201d", '"') for p in expected.paragraphs]
        total += len(doc.paragraphs)
    assert total == 300


def test_genre_tables_have_the_advertised_sizes():
    t = gen.tables()
    assert len(t.speakers) >= 5000 and len({s.name for s in t.speakers}) == len(t.speakers)
    assert len(set(t.organisations)) >= 500
    assert len(set(t.words)) >= 30_000


def test_workload_is_fixed_and_covers_every_kind():
    queries = workload()
    assert len(queries) >= 200
    assert queries == workload()
    assert {q["kind"] for q in queries} == set(KINDS)
    assert any(q["date_from"] for q in queries)
    speaker_page = next(q for q in queries if q["speakers"] and not q["terms"])
    assert api_params(speaker_page)[1] == ("speaker", speaker_page["speakers"][0])


def test_run_end_to_end_on_a_tiny_corpus(tmp_path):
    from bench import run

    argv = ["--paragraphs", "300", "--workdir", str(tmp_path), "--json", "--variants",
            "serial+nc", "--repeat", "1", "--limit-queries", "40", "--no-http", "--with-proto"]
    if not HAS_TANTIVY:
        argv += ["--skip", "tantivy"]
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert run.main(argv) == 0
    out = json.loads(buffer.getvalue())
    assert out["paragraphs"] == 300
    assert out["index_variants"]["serial+nc"]["paragraphs"] == 300
    for key in ("index_paragraphs_per_s", "index_mb", "peak_rss_mb", "ratio_p95_vs_fts5"):
        assert out[key] > 0
    engines = ["docsearch", "fts5"] + (["tantivy"] if HAS_TANTIVY else [])
    for engine in engines:
        for level in ("a", "b", "c"):
            assert out["query"][engine][level]["n"] == 40
        assert out["query"][engine]["p95_ms"] >= out["query"][engine]["p50_ms"] > 0
    # The peers do the same work: same totals and facet counts as docsearch.
    proto = out["agreement"]["proto"]
    assert proto["same_total"] == 40
    fts5 = out["agreement"]["fts5"]
    assert fts5["same_total"] == fts5["of"] == 40
    assert fts5["same_facets"] == 40
    # A second run reuses the corpus and the index instead of rebuilding them.
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        run.main(argv)
    again = json.loads(buffer.getvalue())
    assert again["corpus"]["reused"] and again["index_variants"]["serial+nc"]["reused"]
    assert "docsearch benchmark" in run.table(again)
