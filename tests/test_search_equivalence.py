"""search() gives what a plain computation gives, over the benchmark's whole workload.

The reference here is the straightforward way: Whoosh finds the matches, stored fields give
each paragraph's facet values and date, facets are counted with a Counter, and every match
is scored with the BM25F formula over Whoosh's postings (in float32, as search.matches does)
and sorted. search() takes shortcuts (shared selections, counting the complement of dense
selections, a histogram from the month facet, a one-loop token stream for snippets); totals,
facet counts and their order, the histogram, the top 10 and the snippets must not change.
The index has several segments and deleted paragraphs, and broad words match most of it.
"""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pytest
from whoosh.analysis import StandardAnalyzer

from bench import corpus as gen
from bench.workload import workload
from search.index import (
    DATE,
    DOCUMENT,
    MONTH,
    ORGANISATION,
    PARAGRAPH,
    SPEAKER,
    TEXT_FIELD,
    YEAR,
    open_index,
    text_analyzer,
)
from search.matches import (
    _STORED_POSITIONS,
    BM25_B,
    BM25_K1,
    Column,
    _scoring_terms,
    match_index,
    stored_fields,
)
from search.query import (
    FACET_LIMIT,
    FACETS,
    FastTokens,
    SearchRequest,
    best_first,
    fast_tokens,
    highlight_terms,
    parse_date_bound,
    parse_query,
    search,
    snippet,
)
from search.sync import update_index

PARAGRAPHS = 2500
FACET_FIELDS = {"speaker": SPEAKER, "organisation": ORGANISATION, "year": YEAR,
                "month": MONTH, "document": DOCUMENT}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    """The generated corpus indexed in two commits (two segments), then one document
    removed (deleted paragraphs)."""
    root = tmp_path_factory.mktemp("equivalence")
    corpus, index_dir = root / "corpus", root / "index"
    gen.generate_corpus(corpus, PARAGRAPHS, processes=1)
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != gen.MANIFEST)
    later = root / "later"
    later.mkdir()
    for path in files[len(files) // 2:]:
        shutil.move(path, later / path.name)
    update_index([corpus], index_dir)
    for path in sorted(later.iterdir()):
        shutil.move(path, corpus / path.name)
    update_index([corpus], index_dir)
    files[1].unlink()
    update_index([corpus], index_dir)
    return index_dir


@pytest.fixture(scope="module")
def searcher(index_dir):
    with open_index(index_dir).searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) > 1
        assert searcher.reader().has_deletions()
        yield searcher


@pytest.fixture(scope="module")
def stored(searcher) -> dict[int, dict]:
    return {docnum: fields for docnum, fields in searcher.reader().iter_docs()}


def requests() -> list[SearchRequest]:
    """The workload's requests, plus year and month filters and the date sorts."""
    found = [SearchRequest(q=q["q"], speakers=list(q["speakers"]),
                           organisations=list(q["organisations"]), date_from=q["date_from"],
                           date_to=q["date_to"]) for q in workload()]
    found += [SearchRequest(q="", years=["2017", "2019"]),
              SearchRequest(q=workload()[0]["q"], months=["2018-03"]),
              SearchRequest(q="", sort="newest", page=2),
              SearchRequest(q=workload()[1]["q"], sort="oldest")]
    return found


def values(fields: dict, name: str) -> list[str]:
    value = fields.get(FACET_FIELDS[name])
    if not value:
        return []
    return sorted(set(value.split("|"))) if name in ("speaker", "organisation") else [value]


def reference_masks(searcher, stored, request) -> tuple[set[int], dict[str, set[int]]]:
    """The paragraphs matching the query and date range, and those having each active
    facet filter's values."""
    base = set(searcher.docs_for_query(parse_query(searcher, request.q)))
    start = parse_date_bound(request.date_from, end=False)
    end = parse_date_bound(request.date_to, end=True)
    if start or end:
        base = {d for d in base if (date := stored[d].get(DATE)) is not None
                and (start is None or date >= start) and (end is None or date <= end)}
    filters = {}
    for facet in FACETS:
        if chosen := set(facet.selected(request)):
            filters[facet.name] = {d for d in stored if chosen & set(values(stored[d],
                                                                            facet.name))}
    return base, filters


def reference_counts(searcher, stored, paragraphs: set[int], name: str, keep: list[str],
                     limit: int | None) -> tuple[list[tuple[str, int]], int]:
    """The facet's (value, count) pairs, most frequent first, ties by value, at most limit,
    then the kept values (those the index knows) not among them; and the number of distinct
    values."""
    counts = Counter(v for d in paragraphs for v in values(stored[d], name))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = ordered if limit is None else ordered[:limit]
    shown = dict(top)
    every = {v.decode() for v in searcher.reader().lexicon(FACET_FIELDS[name])}
    top += [(v, counts[v]) for v in keep if v not in shown and v in every]
    return top, len(counts)


def reference_scores(searcher, q) -> np.ndarray:
    """BM25F over Whoosh's postings, term by term, in float32."""
    reader = searcher.reader()
    scores = np.zeros(reader.doc_count_all(), dtype=np.float32)
    for fieldname, btext, boost in _scoring_terms(q, reader):
        if (fieldname, btext) not in reader:
            continue
        pairs = list(reader.postings(fieldname, btext).items_as("weight"))
        ids = np.array([docnum for docnum, _ in pairs], dtype=np.int64)
        tf = np.array([weight for _, weight in pairs], dtype=np.float32)
        lengths = np.array([reader.doc_field_length(int(d), fieldname) for d in ids],
                           dtype=np.float32)
        idf = searcher.idf(fieldname, btext)
        avg = searcher.avg_field_length(fieldname) or 1
        score = idf * (tf * (BM25_K1 + 1)) / (
            tf + BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / avg))
        scores[ids] += boost * score
    return scores


def reference_page(searcher, stored, request, matched: set[int]) -> list[int]:
    docnums = np.array(sorted(matched), dtype=np.int64)
    if request.sort == "relevance":
        scores = reference_scores(searcher, parse_query(searcher, request.q))[docnums]
        order = np.lexsort((docnums, -scores))
    else:
        dates = [stored[d].get(DATE) for d in docnums]
        when = [-(date.timestamp() if date else 0) if request.sort == "newest"
                else (date.timestamp() if date else 0) for date in dates]
        order = sorted(range(len(docnums)), key=lambda i: (
            dates[i] is None, when[i], stored[docnums[i]][DOCUMENT],
            stored[docnums[i]][PARAGRAPH]))
    first = (request.page - 1) * request.page_size
    return [int(docnums[i]) for i in list(order)[first:first + request.page_size]]


@pytest.mark.parametrize("number", range(len(requests())))
def test_search_equals_the_plain_computation(searcher, stored, number):
    request = requests()[number]
    result = search(searcher, request)
    base, filters = reference_masks(searcher, stored, request)
    matched = base.intersection(*filters.values())
    assert result["total"] == len(matched)
    for facet in FACETS:
        over = base.intersection(*(mask for name, mask in filters.items() if name != facet.name))
        counts, size = reference_counts(searcher, stored, over, facet.name, facet.selected(request),
                                        facet.limit)
        assert list(result["facets"][facet.name].items()) == counts, facet.name
        assert result["facet_sizes"][facet.name] == size
    months = Counter(v for d in matched for v in values(stored[d], "month"))
    assert result["histogram"]["month"] == dict(sorted(months.items()))
    assert result["histogram"]["undated"] == len(matched) - sum(months.values())
    page = reference_page(searcher, stored, request, matched)
    assert [(h["document"], h[PARAGRAPH]) for h in result["hits"]] == [
        (stored[d][DOCUMENT], stored[d][PARAGRAPH]) for d in page]
    q = parse_query(searcher, request.q)
    terms = highlight_terms(searcher, q)
    analyzer = searcher.schema[TEXT_FIELD].analyzer
    for hit in result["hits"]:  # Whoosh's own analyzer chain, not the one-loop token stream
        assert hit["snippet"] == snippet(hit["text"], terms,
                                         lambda *args, **kwargs: analyzer(*args, **kwargs))


def test_the_workload_covers_dense_and_sparse_selections(searcher):
    size = searcher.reader().doc_count_all()
    totals = [search(searcher, request)["total"] for request in requests()]
    assert any(total * 2 > size for total in totals)
    assert any(0 < total * 2 < size for total in totals)
    assert any(total > FACET_LIMIT for total in totals)



TRICKY = ["São Paulo's MINISTER said: ÉCOLE.naïve 3.14 x.y.z I a an THE Ünïcödé ßtraße",
          "U.S. officials, the E.U.'s envoy and Ms. O'Neill — \"ceasefire\" (ceasefires)!",
          "", "   ", "a", "Crematoria crematorium CREMATORIUMS running runs ran 2017-05-16"]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_tokens_are_the_analyzer_s(text):
    analyzer = text_analyzer()
    fast = fast_tokens(analyzer)
    assert isinstance(fast, FastTokens)

    def seen(tokens):
        return [(t.text, t.startchar, t.endchar, t.stopped, t.boost) for t in tokens]

    for _ in range(2):  # the second time from the remembered forms
        assert seen(fast(text, chars=True, removestops=False)) == seen(
            analyzer(text, chars=True, mode="query", removestops=False))
    terms = frozenset(t.text for t in analyzer(text, chars=True, removestops=False))
    assert snippet(text, terms, analyzer) == snippet(text, terms, lambda *a, **k: analyzer(*a, **k))


def test_other_analyzers_are_used_as_they_are():
    analyzer = StandardAnalyzer()
    assert fast_tokens(analyzer) is analyzer


@pytest.mark.parametrize("seed", range(6))
def test_best_first_is_a_full_sort_s_head(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 60_000))
    levels = int(rng.integers(1, 50))  # few distinct scores: many ties, also at the cut
    scores = (rng.integers(0, levels, size) / 7).astype(np.float32)
    order = np.lexsort((np.arange(size), -scores))
    for wanted in (1, 10, 37, size):
        assert best_first(scores, min(wanted, size)).tolist() == order[:wanted].tolist()


def test_scores_at_a_few_paragraphs_are_the_full_scores(searcher):
    matches = match_index(searcher)
    for text in (workload()[0]["q"], workload()[5]["q"], "speaker:" + workload()[9]["terms"][0]):
        q = parse_query(searcher, text)
        full = matches.scores(q)
        for step in (1, 7, 40):
            docnums = np.arange(0, matches.size, step)
            assert np.array_equal(matches.scores_at(q, docnums), full[docnums])


def test_years_and_months_are_counted_through_documents(searcher):
    matches = match_index(searcher)
    for facet in FACETS:
        if facet.through:
            column = matches.column(facet.field, facet.through)
            assert column._through is not None, facet.name  # the workload test used it


def test_a_value_that_differs_within_a_document_is_counted_directly():
    documents = Column(["a.txt", "b.txt"], np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]), 5)
    same = Column(["2017", "2018"], np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]), 5)
    differs = Column(["2017", "2018"], np.array([0, 1, 2, 3]), np.array([0, 1, 1, 1]), 5)
    undocumented = Column(["2017"], np.array([4]), np.array([0]), 5)
    assert same.count_through(documents)
    assert not differs.count_through(documents)
    assert not undocumented.count_through(documents)
    mask = np.array([True, True, False, True, True])
    assert same.counts(mask) == ({"2017": 2, "2018": 1}, 2)
    assert differs.counts(mask) == ({"2018": 2, "2017": 1}, 2)
    assert undocumented.counts(mask) == ({"2017": 1}, 1)


def test_stored_fields_are_whoosh_s_and_shared_between_searchers(index_dir, searcher, stored):
    for docnum, fields in stored.items():
        assert stored_fields(searcher, docnum) == fields == searcher.stored_fields(docnum)
    with open_index(index_dir).searcher() as other:
        kept = dict(_STORED_POSITIONS)
        for docnum in list(stored)[::50]:
            assert stored_fields(other, docnum) == stored[docnum]
        assert all(_STORED_POSITIONS[key] is positions for key, positions in kept.items())
