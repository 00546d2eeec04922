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


def test_live_bench_end_to_end_on_a_tiny_corpus(tmp_path):
    """bench/live.py through real servers, briefly: every figure the README quotes is there,
    each dropped document was found, and the corpus is left as it was."""
    from bench import live

    argv = ["--paragraphs", "300", "--workdir", str(tmp_path), "--json", "--seconds", "0.5",
            "--warm", "0.5", "--docs", "2", "--commits", "3", "--serve-args", "--workers 2"]
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert live.main(argv) == 0
    out = json.loads(buffer.getvalue())
    assert out["startup_s"] > 0 and out["startup_watch_s"] > 0
    assert sorted(out["throughput"]) == ["1", "20", "4"]
    for figures in out["throughput"].values():
        assert figures["requests"] > 0 and figures["failures"] == 0
    assert len(out["freshness_s"]["all"]) == 2 and out["freshness_s"]["median"] > 0
    assert out["commits"] == 3 and len(out["rss_mb"]) == len(out["pss_mb"]) == 4
    assert 0 < min(out["pss_mb"]) <= min(out["rss_mb"])  # shared pages counted once
    assert out["rss_spread_pct"] >= 0 and out["clients_during_commits"]["failures"] == 0
    assert not (tmp_path / "corpus-300" / live.DROP_FOLDER).exists()
    assert "freshness" in live.table(out)


# --- bench/extraction.py ------------------------------------------------------------------------

SHARED_SCORER = Path(__file__).resolve().parents[2] / "shared" / "realnews" / "score.py"
SAMPLE_DOCUMENTS = Path(__file__).resolve().parent / "data" / "extraction"


def _extraction_json(argv: list[str]) -> dict:
    from bench import extraction

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert extraction.main([*argv, "--json"]) == 0
    return json.loads(buffer.getvalue())


def test_extraction_bench_says_what_it_skips_without_shared(tmp_path):
    absent = tmp_path / "absent"
    out = _extraction_json(["--realnews", str(absent), "--seeds", str(absent / "seeds"),
                            "--gold", str(absent / "seeds.json"), "--seconds", "0"])
    assert "score.py not found" in out["realnews"]["skipped"]
    assert "not found" in out["seeds"]["skipped"]
    for label in ("samples", "holdout"):
        assert out[label]["paragraphs_scored"] > 0 and out[label]["speakers"]["f1"] > 0
        assert "skipped" in out[label]["official"]
    assert out["timed_documents"] == 8 and out["timed_paragraphs"] > 0
    assert out["paragraphs_per_second"] > 0 and out["paragraphs_per_cpu_second"] > 0
    assert out["extraction_per_cpu_second"] >= out["extraction_first_pass_per_cpu_second"] > 0


def test_extraction_records_are_what_docsearch_extract_prints():
    from bench.extraction import extraction_records, load_documents
    from search import cli

    paths = sorted(p for p in SAMPLE_DOCUMENTS.iterdir() if p.suffix in (".txt", ".html"))
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        cli.main(["extract", "--json", *map(str, paths)])
    printed = [json.loads(line) for line in buffer.getvalue().splitlines()]
    ours = extraction_records(load_documents(SAMPLE_DOCUMENTS))
    assert printed and len(ours) == len(printed)
    assert {"document", "text", "speakers", "organisations", "dates"} <= set(ours[0])
    assert ours == [{key: record[key] for key in ours[0]} for record in printed]


def test_scorer_printout_is_parsed():
    from bench.extraction import parse_scorer_output

    printout = "\n".join([
        "  missed speaker 'ada quist' in a_one.txt: 'Some words'",
        "  paragraph not found: b_two.txt: Another paragraph",
        "speakers       P=0.50 R=1.00 F1=0.67 (tp=1 fp=1 fn=0)",
        "organisations  P=1.00 R=0.00 F1=0.00 (tp=0 fp=0 fn=3)",
        "dates          P=1.00 R=1.00 F1=1.00 (tp=0 fp=0 fn=0)",
        "speakers_f1=0.67 organisations_f1=0.00 dates_f1=1.00 missing_paragraphs=1 boilerplate=0",
    ])
    figures = parse_scorer_output(printout)
    assert figures["speakers"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667,
                                   "tp": 1, "fp": 1, "fn": 0}
    assert figures["organisations"]["fn"] == 3 and figures["organisations"]["f1"] == 0.0
    assert figures["missing_paragraphs"] == ["b_two.txt: Another paragraph"]
    assert figures["summary"].endswith("missing_paragraphs=1 boilerplate=0")
    with pytest.raises(ValueError):
        parse_scorer_output("speakers_f1=0.67")


class _Normaliser:
    """The scorer's normalisation as far as these made-up values need it."""

    @staticmethod
    def norm_text(text: str) -> str:
        return " ".join(text.split())

    @staticmethod
    def norm_value(value: str) -> str:
        return " ".join(value.split()).casefold()


def _mistake(kind: str, value: str, paragraph: str, found: bool = True):
    from bench.extraction import Mistake

    return Mistake("kind_doc.txt", "speakers", kind, value, paragraph, found)


@pytest.mark.parametrize(("paragraph", "transcript", "expected"), [
    ("MS. QUIST: We will look at the harbour plan.", True, "transcript turn label"),
    ("And the second point is about the ferries.", True, "transcript turn, unlabelled paragraph"),
    ('"The ferries will run," Ada Quist warned on Monday.', False, "named, cue verb 'warned'"),
    ("Ada Quist visited the harbour on Monday.", False, "named, no listed cue verb"),
    ("She said the harbour would reopen.", False, "pronoun, cue verb 'said'"),
    ('"We have waited long enough for this."', False, "continued quotation"),
    ("The harbour master told reporters it would reopen.", False,
     "role description, cue verb 'told'"),
])
def test_missed_speakers_get_a_rough_class(paragraph, transcript, expected):
    from bench.extraction import classify_missed_speaker

    mistake = _mistake("missed", "ada quist", paragraph)
    assert classify_missed_speaker(mistake, transcript) == expected
    assert classify_missed_speaker(_mistake("missed", "ada quist", paragraph, found=False),
                                   transcript) == "paragraph not found"


@pytest.mark.parametrize(("value", "expected"), [
    ("harbour board", "an organisation"),
    ("quist", "a shorter form of this paragraph's speaker"),
    ("harbour master ada quist", "a longer or titled form of this paragraph's speaker"),
    ("bram tolle", "the speaker of another paragraph, carried over"),
    ("cora vant", "mentioned, not speaking"),
    ("dirk ember", "not in the paragraph"),
])
def test_wrong_speakers_get_a_rough_class(value, expected):
    from bench.extraction import classify_wrong_speaker

    here = {"starts_with": "Ada Quist said", "speakers": ["Ada Quist"], "organisations": []}
    before = {"starts_with": "Bram Tolle said", "speakers": ["Bram Tolle"],
              "organisations_optional": ["Harbour Board"]}
    text = "Ada Quist said the plan, which Cora Vant drew up, would be ready soon."
    gold_doc = {"paragraphs": [before, here]}
    assert classify_wrong_speaker(_Normaliser, _mistake("wrong", value, text), gold_doc,
                                  here) == expected


def test_source_kind_is_the_file_name_prefix():
    from bench.extraction import is_transcript, source_kind

    assert source_kind("wire_2020-01-02_story.txt") == "wire"
    assert source_kind("plain.html") == "plain"
    assert is_transcript([{"text": "MR. TOLLE: Good morning."}, {"text": "Q Thank you. One more?"},
                          {"text": "And then we go on."}])
    assert not is_transcript([{"text": "Mr. Tolle said good morning."}])


@pytest.mark.skipif(not SHARED_SCORER.is_file(), reason="../shared/realnews/score.py is absent")
def test_extraction_bench_breakdown_adds_up_to_the_official_scorer(tmp_path):
    realnews = tmp_path / "realnews"
    docs = realnews / "docs"
    docs.mkdir(parents=True)
    (realnews / "score.py").write_bytes(SHARED_SCORER.read_bytes())  # run-time copy, in tmp
    (docs / "wire_one.txt").write_text(
        "Harbour plan\n\nMarch 3, 2021\n\n"
        '"The ferries will run again in May," said Ada Quist, the mayor of Port Ellery.\n\n'
        "The harbour board met on Monday to discuss the plan.\n", encoding="utf-8")
    (docs / "brief_two.txt").write_text(
        "Briefing by Bram Tolle\n\nApril 9, 2022\n\n"
        "MR. TOLLE: Good morning, everyone, and thank you for coming today.\n\n"
        "Q Will the bridge open in June as promised by the council?\n", encoding="utf-8")
    gold = {"documents": {
        "wire_one.txt": {"date": "2021-03-03", "paragraphs": [
            {"starts_with": '"The ferries will run again in May," said',
             "speakers": ["Ada Quist"], "organisations": [], "dates": ["2021-05"]},
            {"starts_with": "The harbour board met on Monday to discuss",
             "speakers": ["Nobody Inparticular"], "organisations": [], "dates": ["2021-03-01"]},
            {"starts_with": "A paragraph that is not in the document at all",
             "speakers": ["Cora Vant"], "organisations": [], "dates": []}]},
        "brief_two.txt": {"date": "2022-04-09", "paragraphs": [
            {"starts_with": "MR. TOLLE: Good morning, everyone, and thank",
             "speakers": ["Bram Tolle"], "speakers_optional": ["Tolle"], "organisations": [],
             "dates": []},
            {"starts_with": "Q Will the bridge open in June as promised",
             "speakers": [], "speakers_optional": ["Q", "Question"], "organisations": [],
             "dates": ["2022-06"]}]}}}
    (realnews / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    absent = tmp_path / "absent"
    out = _extraction_json(["--realnews", str(realnews), "--seeds", str(absent),
                            "--gold", str(absent / "g.json"), "--seconds", "0"])
    figures = out["realnews"]
    assert figures["documents"] == 2 and figures["skipped_documents"] == {}
    assert figures["official"]["missing_paragraphs"] == [
        "wire_one.txt: A paragraph that is not in the document"]
    details = figures["breakdown"]
    assert details["agrees_with_scorer"]
    assert figures["official"]["speakers"]["fn"] >= 2  # the made-up and the absent speaker
    kinds = details["by_source_kind"]
    assert set(kinds) == {"wire", "brief"}
    assert kinds["wire"]["missing_paragraphs"] == 1 and kinds["wire"]["gold_paragraphs"] == 3
    assert kinds["wire"]["speakers"]["missed"] >= 2
    classes = {(e["kind"], e["class"]) for e in details["errors_by_class"]["speakers"]}
    assert ("missed", "paragraph not found") in classes
    assert ("missed", "not named, no cue") in classes


def test_organisation_and_date_mistakes_get_a_rough_class():
    from bench.extraction import Mistake, classify_date, classify_organisation

    gold_doc = {"date": "2021-03-03", "paragraphs": [
        {"starts_with": "x", "speakers": ["Ada Quist"], "organisations": ["Harbour Board"]}]}
    text = "The Port Ellery Ferry Company and the PEHB said on Monday that talks, stalled since " \
           "2016, went well."

    def org(kind: str, value: str) -> str:
        mistake = Mistake("d.txt", "organisations", kind, value, text, True)
        return classify_organisation(_Normaliser, mistake, gold_doc)

    assert org("missed", "port ellery ferry company") == "written in full"
    assert org("missed", "port ellery harbour board").startswith("written differently")
    assert org("wrong", "harbour board") == "an organisation of another paragraph"
    assert org("wrong", "ada quist") == "a person"
    assert org("wrong", "port ellery") == "not an organisation of this document's gold"

    def date(kind: str, value: str, document: dict = gold_doc) -> str:
        return classify_date(Mistake("d.txt", "dates", kind, value, text, True), document)

    assert date("missed", "2021-03-01") == "relative day"
    assert date("missed", "2016") == "explicit year"
    assert date("wrong", "2021-03") == "wrong month"
    assert date("wrong", "2021-03", {"date": None}) == "wrong month, undated document"
