"""Quotes, quotes-only, the histogram, exclusion, profiles and query feedback (issue 14)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from search.index import open_index
from search.query import SearchRequest, search
from web import create_app
from web.histogram import periods
from web.quotes import emphasised, quote_view

from .journalist_fixtures import UNDATED_ID, build_journalist_index


@pytest.fixture(scope="module")
def journalist_index(tmp_path_factory):
    return build_journalist_index(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def client(journalist_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(journalist_index)}).test_client()


def api(client, query: str) -> dict:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def soup(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def run(index_dir, **kwargs) -> dict:
    with open_index(index_dir).searcher() as searcher:
        return search(searcher, SearchRequest(**kwargs))


def params(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


# ------------------------------------------------------------ quotes in hits


def test_a_quoted_hit_shows_the_quote_emphasised_with_speaker_and_role(client):
    page = soup(client, "/?q=timetable")
    hit = page.select_one("li.hit")
    quote = hit.select_one(".hit__snippet .quote")
    assert quote["data-speaker"] == "Marta Olsen"
    assert quote.get_text() == "We expect the ferry timetable to change twice a year"
    assert quote.select_one("mark").get_text() == "timetable"
    assert "director, Northport Harbour Authority" in quote["title"]
    person = hit.select_one(".person")
    assert person.select_one(".speaker").get_text() == "Marta Olsen"
    assert person.select_one(".role").get_text() == "director, Northport Harbour Authority"
    # the rest of the paragraph is context, outside the quote
    assert "Olsen added." in hit.select_one(".hit__snippet").get_text()
    assert "Olsen added" not in quote.get_text()


def test_an_unquoted_hit_has_no_quote_markup(client):
    hit = soup(client, "/?q=checkpoints+OR+subsidy").select_one("li.hit")
    assert hit.select(".quote") == []


def test_emphasis_keeps_text_escaped_and_marks_nested():
    text = 'He said "a <b> & c" then "d".'
    snippet = 'He said "a &lt;b&gt; &amp; <mark>c</mark>" then "d".'
    marked = str(emphasised(snippet, text, [(8, 19, "X <i>"), (25, 28, "Y")], {}))
    assert "<b>" not in marked and "&lt;b&gt;" in marked and "<i>" not in marked
    assert marked.count('<span class="quote"') == 2
    assert BeautifulSoup(marked, "html.parser").select_one(".quote mark").get_text() == "c"


def test_a_span_boundary_inside_a_mark_keeps_tags_nested():
    text = "one two three"
    marked = str(emphasised("one <mark>two</mark> three", text, [(0, 5, "A"), (5, 13, "B")], {}))
    parsed = BeautifulSoup(marked, "html.parser")
    assert [q.get_text() for q in parsed.select(".quote")] == ["one t", "wo three"]
    assert "".join(m.get_text() for m in parsed.select("mark")) == "two"
    assert parsed.get_text() == text


def test_a_fragment_snippet_lists_its_quotes_instead():
    hit = {"text": "x" * 50 + ' "said words" ' + "y" * 50, "snippet": "\u2026 some fragment",
           "attributions": [{"speaker": "Ann Bee", "cue": "said", "kind": "direct",
                             "quote": [52, 62]}], "people": {}}
    view = quote_view(hit)
    assert view["listed"] == [{"speaker": "Ann Bee", "role": "", "words": "said words"}]
    assert str(view["snippet"]) == "\u2026 some fragment"


# ---------------------------------------------------------- quote: and toggle


def test_quote_field_searches_only_attributed_words(journalist_index):
    # "terminal" is in a quote once and in unquoted context twice
    assert run(journalist_index, q="terminal")["total"] == 3
    quoted = run(journalist_index, q="quote:terminal")
    assert quoted["total"] == 1
    assert quoted["hits"][0]["speakers"] == ["Marta Olsen"]
    assert run(journalist_index, q='quote:"quick solution"')["total"] == 1
    assert run(journalist_index, q='quote:"solution quick"')["total"] == 0


def test_quote_field_combines_with_speaker(client):
    both = api(client, "q=quote:ferry+speaker:olsen")
    assert both["total"] == 2
    assert all(hit["speakers"] == ["Marta Olsen"] for hit in both["hits"])
    assert api(client, "q=quote:ferry+speaker:reyes")["total"] == 0


def test_quotes_only_restricts_results_and_facet_counts(client):
    everything = api(client, "q=ferry")
    quoted = api(client, "q=ferry&quotes=1")
    assert quoted["total"] < everything["total"]
    assert all(hit["attributions"] for hit in quoted["hits"])
    assert sum(quoted["facets"]["document"].values()) == quoted["total"]
    assert sum(everything["facets"]["document"].values()) == everything["total"]
    assert api(client, "q=ferry&quotes=0")["total"] == everything["total"]
    assert client.get("/api/search?quotes=maybe").status_code == 400


def test_quotes_only_toggle_and_chip_on_the_page(client):
    off = soup(client, "/?q=ferry").select_one("a.quotes-toggle")
    assert off["aria-checked"] == "false"
    assert params(off["href"])["quotes"] == ["1"]
    page = soup(client, off["href"])
    on = page.select_one("a.quotes-toggle")
    assert on["aria-checked"] == "true" and "quotes" not in params(on["href"])
    chip = page.select_one('a.chip[data-param="quotes"]')
    assert "quotes" not in params(chip["href"])
    assert int(page.select_one("[data-total]")["data-total"]) == api(
        client, "q=ferry&quotes=1")["total"]


# ---------------------------------------------------------------- histogram


def test_histogram_counts_months_and_undated(client):
    result = api(client, "q=ferry")
    histogram = result["histogram"]
    assert sum(histogram["month"].values()) + histogram["undated"] == result["total"]
    assert histogram["undated"] == result["facets"]["document"][UNDATED_ID]


def test_histogram_bars_link_to_their_period_and_undated_bucket(client):
    page = soup(client, "/?q=ferry")
    bars = {bar["data-period"]: bar for bar in page.select("a.histogram__bar")}
    assert list(bars)[:3] == ["2019-03", "2019-04", "2019-05"]  # gaps drawn as empty bars
    assert bars["2019-04"]["data-count"] == "0"
    narrowed = api(client, urlsplit(bars["2019-03"]["href"]).query)
    assert narrowed["total"] == int(bars["2019-03"]["data-count"]) == 2
    undated = api(client, urlsplit(bars["undated"]["href"]).query)
    assert undated["total"] == int(bars["undated"]["data-count"])
    assert {hit["document"] for hit in undated["hits"]} == {UNDATED_ID}
    selected = soup(client, bars["undated"]["href"]).select_one("a.histogram__bar.is-selected")
    assert selected["data-period"] == "undated"


def test_long_spans_are_drawn_by_year():
    unit, bars = periods({"2001-05": 2, "2010-01": 1})
    assert unit == "year" and bars[0] == ("2001", 2) and bars[-1] == ("2010", 1)
    assert len(bars) == 10
    assert periods({"2019-11": 1, "2020-02": 3}) == (
        "month", [("2019-11", 1), ("2019-12", 0), ("2020-01", 0), ("2020-02", 3)])


# ------------------------------------------------------------- facets, exclude


def test_exclude_a_facet_value(client):
    everything = api(client, "q=ferry")
    without = api(client, "q=ferry&not_speaker=Marta+Olsen")
    assert without["total"] == everything["total"] - everything["facets"]["speaker"]["Marta Olsen"]
    assert "Marta Olsen" not in without["facets"]["speaker"]
    page = soup(client, "/?q=ferry")
    link = page.select_one('a.facet-exclude[data-exclude="Marta Olsen"]')
    assert params(link["href"])["not_speaker"] == ["Marta Olsen"]
    chip = soup(client, link["href"]).select_one('a.chip[data-param="not_speaker"]')
    assert "Not speaker" in chip.get_text() and "not_speaker" not in params(chip["href"])


def test_long_facets_get_a_filter_box_and_state_truncation(journalist_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(journalist_index), "FACET_SIZE": 1,
                      "FACET_FILTER_FROM": 3})
    page = soup(app.test_client(), "/")
    section = page.select_one('section.facet[data-facet="document"]')
    assert "top 1 of 4" in section.select_one(".facet__note").get_text()
    assert section.select_one("input.facet__filter") is not None  # four documents
    speakers = page.select_one('section.facet[data-facet="speaker"]')
    assert speakers.select_one("input.facet__filter") is None  # three speakers: no box


# ------------------------------------------------------------- profile pages


def test_speaker_page_has_timeline_and_spoke_for(client):
    page = soup(client, "/speakers/Marta%20Olsen")
    bars = {bar["data-period"]: int(bar["data-count"]) for bar in page.select("a.histogram__bar")}
    assert bars == {"2019-03": 2, "2019-04": 0, "2019-05": 1}
    spoke_for = page.select_one(".speaker-page__orgs a.tag")
    assert spoke_for.get_text(" ", strip=True).startswith("Northport Harbour Authority")
    assert spoke_for["href"] == "/organisations/Northport%20Harbour%20Authority"
    quotes = [q.get_text() for q in page.select(".statement .quote")]
    assert "No ferry will sail while the wind is above gale force" in quotes


def test_organisation_page(client):
    page = soup(client, "/organisations/Northport%20Harbour%20Authority")
    assert page.select_one("h1").get_text() == "Northport Harbour Authority"
    people = page.select(".org-page__people .person")
    assert [p.select_one(".speaker").get_text() for p in people] == ["Marta Olsen"]
    assert people[0].select_one(".role").get_text() == "director"
    statements = page.select(".statement")
    assert len(statements) == api(client, "organisation=Northport+Harbour+Authority")["total"]
    dates = [s.select_one("time")["datetime"] for s in statements]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert page.select("a.histogram__bar")
    soup(client, "/organisations/Nobody%20Here", status=404)
    assert "newest or oldest" in soup(client, "/organisations/X?sort=relevance").get_text()


# ------------------------------------------------------------- query feedback


@pytest.mark.parametrize(("query", "expected"), [
    ('"no ferry', "never closed"),
    ("(ferry OR harbour", "never closed"),
    ("ferry)", "without an opening"),
    ("ferry AND", "nothing after it"),
])
def test_query_feedback_says_how_a_query_was_read(client, query, expected):
    page = soup(client, "/?" + "q=" + query.replace(" ", "+").replace('"', "%22"))
    notes = " ".join(note.get_text() for note in page.select(".query-note"))
    assert expected in notes
    assert page.select_one("[data-total]")


def test_reversed_range_is_read_the_right_way_round(client):
    page = soup(client, "/?q=ferry&from=2020&to=2019")
    assert "is after" in page.select_one(".query-note").get_text()
    assert page.select_one("input#date-from")["value"] == "2019"
    assert int(page.select_one("[data-total]")["data-total"]) == api(
        client, "q=ferry&from=2019&to=2020")["total"]


def test_unknown_field_keeps_facets_and_date_form(client):
    page = soup(client, "/?q=colour:red&year=2019")
    assert "unknown field" in page.select_one(".notice--error").get_text()
    assert page.select_one("input#date-from") is not None
    assert page.select('a.facet-value[data-facet="speaker"]')


# ------------------------------------------------------------- getting around


def test_document_page_marks_the_query_and_links_back_to_the_search(client):
    page = soup(client, "/?q=timetable&speaker=Marta+Olsen&sort=oldest")
    link = page.select_one("a.hit__doc")["href"]
    assert params(link) == {"hl": ["2"], "q": ["timetable"], "speaker": ["Marta Olsen"],
                            "sort": ["oldest"]}
    assert link.endswith("#p2")  # anchors stay 0-based
    document = soup(client, link)
    assert [m.get_text() for m in document.select(".paragraph__text mark")] == ["timetable"]
    back = document.select_one("a.back-to-search")["href"]
    assert params(back) == {"q": ["timetable"], "speaker": ["Marta Olsen"], "sort": ["oldest"]}
    assert document.select_one("#p2 .paragraph__anchor").get_text() == "¶\xa03"
    assert document.select_one("#p2 .quote")["data-speaker"] == "Marta Olsen"
    plain = soup(client, "/documents/2019_03_harbour.txt")
    assert plain.select("mark") == [] and plain.select_one("a.back-to-search") is None


def test_paragraph_numbers_are_shown_from_one(client):
    hit = soup(client, "/?q=checkpoints+OR+gale").select("li.hit")
    numbers = {h.select_one(".hit__para").get_text() for h in hit}
    assert "¶\xa00" not in numbers and "¶\xa01" in numbers


def test_footer_json_link_carries_the_filters(client):
    link = soup(client, "/?q=ferry&speaker=Marta+Olsen&quotes=1").select_one("a.api-link")
    assert urlsplit(link["href"]).path == "/api/search"
    assert params(link["href"]) == {"q": ["ferry"], "speaker": ["Marta Olsen"], "quotes": ["1"]}
    assert client.get(link["href"]).get_json()["total"] == api(
        client, "q=ferry&speaker=Marta+Olsen&quotes=1")["total"]


def test_one_month_of_matches_is_drawn_by_day(client):
    result = api(client, "q=ferry&from=2019-03&to=2019-03")
    assert result["histogram"]["day"] == {"2019-03-12": 2}
    bars = soup(client, "/?q=ferry&from=2019-03&to=2019-03").select("a.histogram__bar")
    assert [(b["data-period"], b["data-count"]) for b in bars] == [("2019-03-12", "2")]
    assert api(client, urlsplit(bars[0]["href"]).query)["total"] == 2
