"""Searching: ranking, highlights, filters, facets over all matches, sorting, bounds, errors."""

from __future__ import annotations

import pytest

from search.errors import QueryError
from search.index import open_index
from search.query import MAX_PAGE_SIZE, SearchRequest, parse_date_bound, search

from .conftest import SEED_IDS


@pytest.fixture(scope="module")
def searcher(seed_index):
    with open_index(seed_index).searcher() as searcher:
        yield searcher


def run(searcher, **kwargs) -> dict:
    return search(searcher, SearchRequest(**kwargs))


def test_word_found_in_both_seeds_with_marks(searcher):
    result = run(searcher, q="crematorium")
    assert {hit["document"] for hit in result["hits"]} == set(SEED_IDS)
    assert result["total"] == len(result["hits"]) == 5
    for hit in result["hits"]:
        assert "<mark>crematorium</mark>" in hit["snippet"].lower()


def test_stemming_finds_other_forms(searcher):
    texts = [hit["text"] for hit in run(searcher, q="sanction")["hits"]]
    assert texts and all("sanctions" in text for text in texts)


def test_phrase_query(searcher):
    result = run(searcher, q='"negotiated ceasefire"')
    assert result["total"] == 1
    assert "<mark>negotiated</mark> <mark>ceasefire</mark>" in result["hits"][0]["snippet"]


def test_boolean_operators(searcher):
    both = run(searcher, q="crematorium AND Russia")["total"]
    without = run(searcher, q="crematorium NOT Russia")["total"]
    assert both + without == run(searcher, q="crematorium")["total"]
    assert without > 0 and both > 0


def test_snippet_escapes_document_text(searcher):
    hit = run(searcher, q="ceasefire", speakers=["Heather Nauert"])["hits"][0]
    assert "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")
    assert hit["text"].startswith('"We call upon Russia')


def test_speaker_filter_returns_only_that_speakers_paragraph(searcher):
    result = run(searcher, q="ceasefire", speakers=["Heather Nauert"])
    assert result["total"] == 1
    hit = result["hits"][0]
    assert hit["speakers"] == ["Heather Nauert"]
    assert hit["people"]["Heather Nauert"]["organisation"] == "State Department"


def test_facet_counts_cover_all_matches_not_just_the_page(searcher):
    full = run(searcher, q="Russia", page_size=50)
    one = run(searcher, q="Russia", page_size=1)
    assert len(one["hits"]) == 1
    assert one["facets"] == full["facets"]
    assert sum(one["facets"]["document"].values()) == full["total"]
    speakers = [s for hit in full["hits"] for s in hit["speakers"]]
    for name, count in full["facets"]["speaker"].items():
        assert speakers.count(name) == count


def test_values_of_one_facet_combine_with_or(searcher):
    a = run(searcher, q="Russia", speakers=["William Courtney"])["total"]
    b = run(searcher, q="Russia", speakers=["Stuart Jones"])["total"]
    both = run(searcher, q="Russia", speakers=["William Courtney", "Stuart Jones"])
    assert a > 0 and b > 0 and both["total"] == a + b


def test_different_facets_combine_with_and_and_counts_narrow(searcher):
    broad = run(searcher, q="Russia")
    narrowed = run(searcher, q="Russia", speakers=["William Courtney"],
                   organisations=["RAND Corporation"])
    assert 0 < narrowed["total"] < broad["total"]
    for hit in narrowed["hits"]:
        assert "William Courtney" in hit["speakers"] and "RAND Corporation" in hit["organisations"]
    assert sum(narrowed["facets"]["document"].values()) == narrowed["total"]
    # a facet's own counts ignore its own filter, so other speakers stay selectable
    assert narrowed["facets"]["speaker"]["William Courtney"] <= broad["facets"]["speaker"][
        "William Courtney"]


def test_blank_query_with_filter_lists_everything_a_speaker_said(searcher):
    result = run(searcher, q="", speakers=["William Courtney"], sort="oldest")
    assert result["total"] == 2
    assert [hit["paragraph"] for hit in result["hits"]] == sorted(
        hit["paragraph"] for hit in result["hits"])


def test_date_range_and_year_facet_use_the_document_date(searcher):
    dated = run(searcher, q="Russia", date_from="2017-05", date_to="2017-05-31")
    assert {hit["document"] for hit in dated["hits"]} == {SEED_IDS[0]}
    assert run(searcher, q="Russia")["facets"]["year"] == {"2017": dated["total"]}
    assert run(searcher, q="Russia", years=["2017"])["total"] == dated["total"]
    assert run(searcher, q="Russia", months=["2017-05"])["total"] == dated["total"]
    assert run(searcher, q="Russia", date_to="2016")["total"] == 0


def test_sort_newest_puts_dated_documents_first(searcher):
    newest = run(searcher, q="Russia", sort="newest", page_size=50)["hits"]
    oldest = run(searcher, q="Russia", sort="oldest", page_size=50)["hits"]
    assert newest[0]["document_date"] == "2017-05-16"
    assert [h["paragraph"] for h in newest if h["document"] == SEED_IDS[0]] == sorted(
        h["paragraph"] for h in oldest if h["document"] == SEED_IDS[0])


def test_pagination_is_disjoint_and_complete(searcher):
    total = run(searcher, q="Russia")["total"]
    pages = [run(searcher, q="Russia", page=n, page_size=4) for n in range(1, 10)]
    ids = [(h["document"], h["paragraph"]) for page in pages for h in page["hits"]]
    assert len(ids) == len(set(ids)) == total
    assert pages[0]["pages"] == -(-total // 4)


def test_misspelt_word_gets_a_suggestion(searcher):
    result = run(searcher, q="crematorum")
    assert result["total"] == 0
    assert result["suggestion"] == "crematorium"
    assert run(searcher, q="crematorium")["suggestion"] is None


def test_field_syntax_and_aliases(searcher):
    assert run(searcher, q="speaker:courtney")["total"] == 2
    assert run(searcher, q='organisation:"RAND Corporation"')["total"] >= 1
    assert run(searcher, q=f"document:{SEED_IDS[0]}")["total"] == 8


@pytest.mark.parametrize("q, message", [
    ("foo:bar", "unknown field"),
    ("AND", "no words"),
    ("*", None),
    ("?", "every word"),
    ("x" * 2000, "too long"),
])
def test_bad_queries_raise_query_error_with_a_message(searcher, q, message):
    if message is None:  # '*' alone is "everything": allowed
        assert run(searcher, q=q)["total"] == 21
        return
    with pytest.raises(QueryError, match=message):
        run(searcher, q=q)


def test_wildcard_expansion_is_bounded(searcher, monkeypatch):
    monkeypatch.setattr("search.query.MAX_EXPANSION", 3)
    with pytest.raises(QueryError, match="more than 3 words"):
        run(searcher, q="s*")


@pytest.mark.parametrize("kwargs", [
    {"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": MAX_PAGE_SIZE + 1},
    {"sort": "random"}, {"date_from": "yesterday"}, {"date_to": "2017-13"},
])
def test_out_of_bounds_requests_are_refused(searcher, kwargs):
    with pytest.raises(QueryError):
        run(searcher, q="Russia", **kwargs)


def test_page_past_the_end_is_empty_not_an_error(searcher):
    result = run(searcher, q="crematorium", page=50)
    assert result["hits"] == [] and result["total"] == 5


def test_date_bounds_cover_whole_periods():
    assert parse_date_bound("2016", end=True).date().isoformat() == "2016-12-31"
    assert parse_date_bound("2016-02", end=True).date().isoformat() == "2016-02-29"
    assert parse_date_bound("2016-02", end=False).date().isoformat() == "2016-02-01"


def test_each_of_several_values_is_its_own_facet_term(corpus_index):
    with open_index(corpus_index).searcher() as searcher:
        both = run(searcher, q="partners")
        assert both["hits"][0]["organisations"] == ["European Union", "NATO"]
        assert {"European Union", "NATO"} <= set(both["facets"]["organisation"])
        assert run(searcher, q="partners", organisations=["NATO"])["total"] == 1


def test_suggestion_corrects_only_text_words(corpus_index):
    with open_index(corpus_index).searcher() as searcher:
        filtered = run(searcher, q="said", organisations=["RAND Corporation"])
        assert filtered["suggestion"] is None
        assert run(searcher, q="reservior levels")["suggestion"] == "reservoir levels"
