"""bench/load.py's hostile queries are what they claim to be, and the server bounds them."""

from __future__ import annotations

import random

import pytest

from bench import load
from search.errors import QueryError
from search.index import open_index
from search.query import MAX_QUERY_CHARS, SearchRequest, search


def test_hostile_queries_are_fuzzy_misspelt_ranges_and_wildcards():
    queries = load.hostile_queries(random.Random(1), count=8)
    assert len(queries) == 8 and all(len(q) <= MAX_QUERY_CHARS for q in queries)
    assert queries[0].count("~2") == 10
    assert len(queries[1]) > MAX_QUERY_CHARS - 40 and "~" not in queries[1]
    assert ":[" in queries[2] and " TO " in queries[2]
    assert queries[3].count("*") == 8


def test_misspelt_words_differ_from_the_word():
    rng = random.Random(3)
    for word in ("ceasefire", "minister", "talks", "abc"):
        assert load.misspelt(word, rng) != word


def test_hostile_queries_give_results_or_a_query_error(corpus_index):
    with open_index(corpus_index).searcher() as searcher:
        for q in load.hostile_queries(random.Random(2), count=8):
            try:
                assert search(searcher, SearchRequest(q=q))["total"] >= 0
            except QueryError as exc:
                assert str(exc)


@pytest.mark.parametrize(("baseline", "hostile", "ratio"), [(100.0, 150.0, 1.5), (0.0, 0.2, 2.0)])
def test_p95_ratio(baseline, hostile, ratio):
    result = {"baseline": {"latency_ms": {"p95": baseline}},
              "hostile": {"latency_ms": {"p95": hostile}}}
    assert load.p95_ratio(result) == ratio
    assert load.p95_ratio({"baseline": result["baseline"]}) is None
