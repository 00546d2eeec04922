"""The web app through Flask's test client: pages, facets, URL state, JSON API, errors, escaping."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from search.index import open_index
from search.query import SearchRequest, search
from web import SECURITY_HEADERS, create_app
from web.facets import facet_results

from .conftest import SEED_IDS
from .web_fixtures import SCRIPT, SUBFOLDER_ID, XSS_HTML_ID, XSS_TEXT_ID, build_web_index

WEB = Path(__file__).resolve().parents[1] / "web"
DOC0, DOC1 = SEED_IDS


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed_app(seed_index):
    """The app over just the two seed documents."""
    return create_app({"TESTING": True, "INDEX_DIR": str(seed_index)})


@pytest.fixture
def client(seed_app):
    return seed_app.test_client()


@pytest.fixture(scope="module")
def web_index(tmp_path_factory):
    """Seeds plus dated documents, a subfolder document and documents holding markup."""
    return build_web_index(tmp_path_factory)


@pytest.fixture(scope="module")
def web_app(web_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(web_index)})


@pytest.fixture
def web_client(web_app):
    return web_app.test_client()


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    """GET url (following redirects), check the status and security headers, and parse it."""
    response = client.get(url, follow_redirects=True)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "text/html"
    check_headers(response)
    return BeautifulSoup(response.data, "html.parser")


def check_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def total_of(soup: BeautifulSoup) -> int:
    return int(soup.select_one("#results-heading")["data-total"])


def facet(soup: BeautifulSoup, name: str) -> dict[str, dict]:
    """Facet values on the page: value -> count, selected, href."""
    found = {}
    for link in soup.select(f'a.facet-value[data-facet="{name}"]'):
        found[link["data-value"]] = {
            "count": int(link.select_one(".facet-value__count").get_text()),
            "selected": "is-selected" in link["class"],
            "href": link["href"],
            "label": link.select_one(".facet-value__label").get_text(strip=True),
        }
    return found


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def hits_of(soup: BeautifulSoup) -> list:
    return soup.select("ol.hits > li.hit")


def run(index_dir: Path, **kwargs) -> dict:
    with open_index(index_dir).searcher() as searcher:
        return search(searcher, SearchRequest(**kwargs))


def without_time(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "took_ms"}


# ---------------------------------------------------------------- search page


def test_home_page_has_labelled_search_box_landmarks_and_syntax_help(client):
    soup = soup_of(client, "/")
    box = soup.select_one("form[role=search] input[name=q]")
    assert box is not None and soup.select_one(f'label[for="{box["id"]}"]')
    assert soup.select_one("header") and soup.select_one("main#main")
    assert soup.select_one("aside[aria-label=Filters]") and soup.select_one("footer")
    assert "Search syntax" in soup.select_one("details.syntax-help summary").get_text()
    assert total_of(soup) == run(Path(client.application.config["INDEX_DIR"]), q="")["total"]


def test_query_shows_highlighted_paragraphs_with_total_and_time(client, seed_index):
    soup = soup_of(client, "/?q=crematorium")
    expected = run(seed_index, q="crematorium")
    assert total_of(soup) == expected["total"] == 5
    assert "ms" in soup.select_one(".results__took").get_text()
    hits = hits_of(soup)
    assert len(hits) == 5
    for hit in hits:
        assert [m.get_text().lower() for m in hit.select(".hit__snippet mark")] == ["crematorium"]
    titles = {hit.select_one("a.hit__doc").get_text() for hit in hits}
    assert titles == {h["title"] for h in expected["hits"]}
    assert soup.select_one("input[name=q]")["value"] == "crematorium"


def test_hit_shows_speaker_with_title_and_affiliation_linking_to_speaker_page(client):
    soup = soup_of(client, "/?q=ceasefire&speaker=Heather+Nauert")
    hit = hits_of(soup)[0]
    speaker = hit.select_one("a.speaker")
    assert speaker.get_text() == "Heather Nauert"
    assert speaker["href"] == "/speakers/Heather%20Nauert"
    assert "State Department" in hit.select_one(".role").get_text()


def test_hit_links_to_its_paragraph_in_the_document(client, seed_index):
    soup = soup_of(client, "/?q=crematorium&sort=oldest")
    first = run(seed_index, q="crematorium", sort="oldest")["hits"][0]
    link = hits_of(soup)[0].select_one("a.hit__doc")["href"]
    n = first["paragraph"]
    assert link == f"/documents/{first['document']}?hl={n}&q=crematorium&sort=oldest#p{n}"
    assert hits_of(soup)[0].select_one("time")["datetime"] == first["document_date"]


def test_empty_result_has_a_friendly_message(client):
    soup = soup_of(client, "/?q=zebrafishology")
    assert total_of(soup) == 0
    assert "No paragraphs match" in soup.select_one("#results-heading").get_text()
    assert "Nothing found" in soup.select_one(".notice--empty").get_text()
    assert not hits_of(soup)


def test_did_you_mean_links_to_the_corrected_query_keeping_filters(client):
    soup = soup_of(client, "/?q=crematorum&sort=oldest")
    link = soup.select_one("a.did-you-mean__link")
    assert link.get_text() == "crematorium"
    assert params(link["href"]) == {"q": ["crematorium"], "sort": ["oldest"]}
    assert total_of(soup_of(client, link["href"])) == 5
    assert soup_of(client, "/?q=crematorium").select_one(".did-you-mean") is None


def test_sort_links_and_orders(web_client, web_index):
    soup = soup_of(web_client, "/?q=ceasefire&sort=newest")
    current = soup.select_one(".sort__option.is-current")
    assert current.get_text() == "Newest first"
    links = {a.get_text(): a["href"] for a in soup.select(".sort__option")}
    assert params(links["Oldest first"]) == {"q": ["ceasefire"], "sort": ["oldest"]}
    assert params(links["Relevance"]) == {"q": ["ceasefire"]}
    for sort, reverse in (("newest", True), ("oldest", False)):
        dates = [t["datetime"] for t in soup_of(web_client, f"/?q=ceasefire&sort={sort}&size=100")
                 .select("ol.hits time")]
        assert len(dates) > 3 and dates == sorted(dates, reverse=reverse)
    relevance = [h.select_one("a.hit__doc")["href"] for h in hits_of(
        soup_of(web_client, "/?q=ceasefire"))]
    expected = run(web_index, q="ceasefire")["hits"]
    assert relevance == [f"/documents/{h['document']}?hl={h['paragraph']}&q=ceasefire"
                         f"#p{h['paragraph']}" for h in expected]


def test_pagination_pages_are_disjoint_and_linked(client, seed_index):
    total = run(seed_index, q="Russia")["total"]
    seen, url, pages = [], "/?q=Russia&size=4", 0
    while url:
        soup = soup_of(client, url)
        seen += [h.select_one("a.hit__doc")["href"] for h in hits_of(soup)]
        next_link = soup.select_one("nav.pagination a[rel=next]")
        url = next_link["href"] if next_link else None
        pages += 1
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 4)
    soup = soup_of(client, "/?q=Russia&size=4&page=2")
    assert soup.select_one("nav.pagination a[aria-current=page]").get_text() == "2"
    assert params(soup.select_one("nav.pagination a[rel=prev]")["href"]) == {
        "q": ["Russia"], "size": ["4"]}
    assert soup.select_one("ol.hits")["start"] == "5"


def test_page_past_the_end_says_so(client):
    soup = soup_of(client, "/?q=crematorium&page=9&speaker=Stuart+Jones&sort=oldest")
    assert total_of(soup) == 1 and not hits_of(soup)
    notice = soup.select_one(".notice--empty")
    assert "no page 9" in notice.get_text()
    assert params(notice.select_one("a")["href"]) == {
        "q": ["crematorium"], "speaker": ["Stuart Jones"], "sort": ["oldest"]}


# ---------------------------------------------------------------- facets and URL state


def test_facets_show_counts_over_all_matches(client, seed_index):
    soup = soup_of(client, "/?q=Russia&size=1")
    expected = run(seed_index, q="Russia")["facets"]
    for name in ("speaker", "organisation", "document"):
        shown = facet(soup, name)
        assert {v: d["count"] for v, d in shown.items()} == dict(list(expected[name].items())[:10])
    assert facet(soup, "year") == {"2017": facet(soup, "year")["2017"]}
    documents = facet(soup, "document")
    assert documents[DOC0]["label"] == "Russia Must Exercise Influence Over Assad"


def test_speaker_facet_toggles_filter_and_narrows_counts(client, seed_index):
    broad = soup_of(client, "/?q=Russia")
    courtney = facet(broad, "speaker")["William Courtney"]
    assert not courtney["selected"]
    assert params(courtney["href"]) == {"q": ["Russia"], "speaker": ["William Courtney"]}
    narrow = soup_of(client, courtney["href"])
    assert total_of(narrow) == courtney["count"] < total_of(broad)
    assert facet(narrow, "speaker")["William Courtney"]["selected"]
    assert sum(d["count"] for d in facet(narrow, "document").values()) == total_of(narrow)
    # the selected value's link removes it again
    assert params(facet(narrow, "speaker")["William Courtney"]["href"]) == {"q": ["Russia"]}
    # other speakers keep their own counts (multi-select), organisations narrow
    assert facet(narrow, "speaker")["Stuart Jones"]["count"] == facet(broad, "speaker")[
        "Stuart Jones"]["count"]
    assert sum(d["count"] for d in facet(narrow, "organisation").values()) < sum(
        d["count"] for d in facet(broad, "organisation").values())


def test_two_speakers_combine_with_or(client, seed_index):
    one = total_of(soup_of(client, "/?q=Russia&speaker=William+Courtney"))
    other = total_of(soup_of(client, "/?q=Russia&speaker=Stuart+Jones"))
    soup = soup_of(client, "/?q=Russia&speaker=William+Courtney&speaker=Stuart+Jones")
    both = total_of(soup)
    assert max(one, other) <= both <= one + other and both > max(one, other)
    assert both == run(seed_index, q="Russia", speakers=["William Courtney", "Stuart Jones"])[
        "total"]
    selected = {v for v, d in facet(soup, "speaker").items() if d["selected"]}
    assert selected == {"William Courtney", "Stuart Jones"}
    speakers = [{a.get_text() for a in h.select("a.speaker")} for h in hits_of(soup)]
    assert all(s & {"William Courtney", "Stuart Jones"} for s in speakers)


def test_speaker_and_organisation_combine_with_and(client, seed_index):
    speaker = total_of(soup_of(client, "/?q=Russia&speaker=William+Courtney"))
    org = total_of(soup_of(client, "/?q=Russia&organisation=RAND+Corporation"))
    soup = soup_of(client, "/?q=Russia&speaker=William+Courtney&organisation=RAND+Corporation")
    both = total_of(soup)
    assert 0 < both <= min(speaker, org)
    assert both == run(seed_index, q="Russia", speakers=["William Courtney"],
                       organisations=["RAND Corporation"])["total"]
    for hit in hits_of(soup):
        assert "William Courtney" in {a.get_text() for a in hit.select("a.speaker")}
        assert "RAND Corporation" in hit.select_one(".hit__meta .tags").get_text()


def test_active_filters_show_as_removable_chips(client):
    url = "/?q=Russia&speaker=William+Courtney&organisation=RAND+Corporation&sort=oldest&page=1"
    soup = soup_of(client, url)
    chips = {chip.get_text(" ", strip=True): chip["href"] for chip in soup.select("a.chip")}
    speaker = next(href for text, href in chips.items() if "William Courtney" in text)
    assert params(speaker) == {"q": ["Russia"], "organisation": ["RAND Corporation"],
                               "sort": ["oldest"]}
    clear = next(href for text, href in chips.items() if "Clear all" in text)
    assert params(clear) == {"q": ["Russia"]}
    assert total_of(soup_of(client, speaker)) >= total_of(soup) > 0


def test_year_drills_into_months_and_removing_year_drops_its_months(web_client, web_index):
    soup = soup_of(web_client, "/?q=ceasefire")
    years = facet(soup, "year")
    assert set(years) >= {"2015", "2016", "2018", "2019"}
    assert not facet(soup, "month")  # months appear once a year is chosen
    soup = soup_of(web_client, years["2016"]["href"])
    months = facet(soup, "month")
    assert {v: d["label"] for v, d in months.items()} == {"2016-03": "March 2016",
                                                          "2016-08": "August 2016"}
    assert total_of(soup) == sum(d["count"] for d in months.values())
    assert total_of(soup) == run(web_index, q="ceasefire", years=["2016"])["total"]
    soup = soup_of(web_client, months["2016-08"]["href"])
    assert params(months["2016-08"]["href"]) == {"q": ["ceasefire"], "year": ["2016"],
                                                 "month": ["2016-08"]}
    assert total_of(soup) == run(web_index, q="ceasefire", months=["2016-08"])["total"] == 1
    assert {h.select_one("time")["datetime"] for h in hits_of(soup)} == {"2016-08-19"}
    year_off = facet(soup, "year")["2016"]["href"]
    assert params(year_off) == {"q": ["ceasefire"]}


def test_from_to_range_form_filters_by_document_date(web_client, web_index):
    soup = soup_of(web_client, "/?q=ceasefire&speaker=John+Kirby")
    form = soup.select_one("form.range-form")
    assert {i["name"] for i in form.select("input[type=hidden]")} == {"q", "speaker"}
    assert form.select_one("label[for=date-from]") and form.select_one("input#date-from")
    soup = soup_of(web_client, "/?q=ceasefire&from=2016-01&to=2016-12-31")
    dates = {t["datetime"] for t in soup.select("ol.hits time")}
    assert dates == {"2016-03-03", "2016-08-19"}
    assert total_of(soup) == run(web_index, q="ceasefire", date_from="2016-01",
                                 date_to="2016-12-31")["total"]
    chips = {c["data-param"]: c["href"] for c in soup.select("a.chip[data-param]")}
    assert params(chips["from"]) == {"q": ["ceasefire"], "to": ["2016-12-31"]}
    assert soup.select_one("input#date-from")["value"] == "2016-01"
    assert total_of(soup_of(web_client, "/?q=ceasefire&to=2015")) == run(
        web_index, q="ceasefire", date_to="2015")["total"] == 2


def test_facet_truncation_is_explicit(seed_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(seed_index), "FACET_SIZE": 2})
    soup = soup_of(app.test_client(), "/?q=Russia")
    speakers = run(seed_index, q="Russia")["facets"]["speaker"]
    section = soup.select_one('section.facet[data-facet="speaker"]')
    assert f"top 2 of {len(speakers)}" in section.select_one(".facet__note").get_text()
    assert len(section.select("section > .facet__values > li > a.facet-value")) == 2
    assert len(section.select("details.facet__more a.facet-value")) == len(speakers) - 2


def test_facet_results_are_plain_dicts_with_toggle_urls(seed_app, seed_index):
    result = run(seed_index, q="Russia")
    with seed_app.test_request_context("/"):
        facets = facet_results(result["facets"], {"q": ["Russia"], "speaker": ["Stuart Jones"]},
                               titles=lambda value: value.upper(), size=3)
    assert [f["name"] for f in facets] == ["speaker", "organisation", "year", "document"]
    speaker = facets[0]
    first = speaker["results"][0]
    assert set(first) == {"value", "label", "count", "selected", "toggle_url", "exclude_url"}
    assert speaker["shown"] == 3 and speaker["total"] == len(result["facets"]["speaker"])
    jones = next(v for v in speaker["results"] + speaker["more"] if v["value"] == "Stuart Jones")
    assert jones["selected"] and params(jones["toggle_url"]) == {"q": ["Russia"]}
    assert facets[3]["results"][0]["label"] == facets[3]["results"][0]["value"].upper()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("query, message", [
    ("page=-1", "page number must be between"),
    ("page=0", "page number must be between"),
    ("page=abc", "whole number"),
    ("page=99999999999999999999", "page number must be between"),
    ("size=100000", "page size must be between"),
    ("size=0", "page size must be between"),
    ("size=x", "whole number"),
    ("sort=bogus", "unknown sort"),
    ("from=notadate", "not a date"),
    ("to=2017-13", "not a date"),
    ("q=foo:bar", "unknown field"),
    ("q=AND", "no words"),
    ("q=%3F", "every word"),
    ("q=" + "x" * 1200, "too long"),
    ("q=%22unclosed+phrase", None),
    ("q=(((", None),
])
def test_bad_parameters_give_a_friendly_page_not_an_error(client, query, message):
    soup = soup_of(client, "/?" + query)
    notice = soup.select_one(".notice--error")
    if message is None:  # odd but runnable syntax: either results or a message, never a 500
        assert notice is not None or soup.select_one("#results-heading[data-total]")
        return
    assert message in notice.get_text()
    assert "start a new search" in notice.get_text()
    api = client.get("/api/search?" + query)
    assert api.status_code == 400 and message in api.get_json()["error"]
    check_headers(api)


def test_bad_query_keeps_the_query_in_the_box(client):
    soup = soup_of(client, "/?q=foo%3Abar&speaker=Stuart+Jones")
    assert soup.select_one("input[name=q]")["value"] == "foo:bar"
    assert [c["data-param"] for c in soup.select("a.chip")] == ["speaker"]


def test_repeated_and_blank_params_are_cleaned(client, seed_index):
    soup = soup_of(client, "/?q=Russia&speaker=Stuart+Jones&speaker=Stuart+Jones&speaker=&year=")
    assert total_of(soup) == run(seed_index, q="Russia", speakers=["Stuart Jones"])["total"]
    assert len(soup.select("a.chip")) == 1


# ---------------------------------------------------------------- documents and speakers


def test_document_page_shows_every_paragraph_with_anchors_and_metadata(client, seed_index):
    soup = soup_of(client, f"/documents/{DOC1}")
    with open_index(seed_index).searcher() as searcher:
        from search.query import document_paragraphs

        paragraphs = document_paragraphs(searcher, DOC1)
    items = soup.select("ol.paragraphs > li.paragraph")
    assert [li["id"] for li in items] == [f"p{n}" for n in range(len(paragraphs))]
    assert [li.select_one(".paragraph__text").get_text() for li in items] == [
        p["text"] for p in paragraphs]
    assert soup.select_one("h1").get_text() == paragraphs[0]["title"]
    nauert = next(li for li in items if "Heather Nauert" in li.get_text())
    assert nauert.select_one("a.speaker")["href"] == "/speakers/Heather%20Nauert"
    assert not soup.select(".paragraph.is-highlighted")


def test_document_page_highlights_the_paragraph_of_a_hit(client):
    soup = soup_of(client, f"/documents/{DOC1}?hl=3")
    highlighted = soup.select(".paragraph.is-highlighted")
    assert [li["id"] for li in highlighted] == ["p3"]
    assert highlighted[0]["aria-current"] == "true"
    for bad in ("abc", "-1", "999", "1e9"):
        assert not soup_of(client, f"/documents/{DOC1}?hl={bad}").select(".is-highlighted")


def test_document_in_a_subfolder_has_a_path_id(web_client):
    soup = soup_of(web_client, f"/documents/{SUBFOLDER_ID}?hl=0")
    assert soup.select_one("h1").get_text() == "Briefing on the cessation of hostilities"
    assert soup.select_one("#p0.is-highlighted")
    assert web_client.get(f"/api/documents/{SUBFOLDER_ID}").get_json()["document"] == SUBFOLDER_ID


@pytest.mark.parametrize("doc_id", [
    "nope.txt", "../corpus/" + DOC0, "..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "%00", DOC0 + "x",
    "corpus/" + DOC0,
])
def test_unknown_document_is_a_404_page(client, doc_id):
    soup = soup_of(client, f"/documents/{doc_id}", status=404)
    assert "Not found" in soup.select_one("h1").get_text()
    assert soup.select_one("a[href='/']")
    api = client.get(f"/api/documents/{doc_id}", follow_redirects=True)
    assert api.status_code == 404 and "error" in api.get_json()


def test_speaker_page_lists_everything_they_said_by_date(web_client, web_index):
    soup = soup_of(web_client, "/speakers/Heather%20Nauert")
    assert soup.select_one("h1").get_text() == "Heather Nauert"
    assert "State Department" in soup.select_one(".speaker-page__role").get_text()
    said = run(web_index, q="", speakers=["Heather Nauert"], sort="oldest", page_size=50)
    statements = soup.select("li.statement")
    assert len(statements) == said["total"] >= 3
    dates = [s.select_one("time")["datetime"] for s in statements if s.select_one("time")]
    assert dates == sorted(dates)
    newest = soup_of(web_client, "/speakers/Heather%20Nauert?sort=newest")
    dates = [t["datetime"] for t in newest.select("li.statement time")]
    assert dates == sorted(dates, reverse=True)
    link = statements[0].select_one(".statement__source a")["href"]
    assert re.fullmatch(r"/documents/[^?]+\?hl=\d+#p\d+", link)


def test_unknown_speaker_is_a_404_page_and_bad_sort_a_message(client):
    soup = soup_of(client, "/speakers/Nobody%20Atall", status=404)
    assert "Nobody Atall" in soup.select_one(".error-page__message").get_text()
    soup = soup_of(client, "/speakers/Stuart%20Jones?sort=relevance")
    assert "sort by date" in soup.select_one(".notice--error").get_text()
    soup = soup_of(client, "/speakers/Stuart%20Jones?page=abc")
    assert "whole number" in soup.select_one(".notice--error").get_text()


# ---------------------------------------------------------------- JSON API


@pytest.mark.parametrize("query, kwargs", [
    ("q=crematorium", {"q": "crematorium"}),
    ("q=Russia&speaker=William+Courtney&speaker=Stuart+Jones",
     {"q": "Russia", "speakers": ["William Courtney", "Stuart Jones"]}),
    ("q=Russia&organisation=RAND+Corporation&speaker=William+Courtney&sort=oldest",
     {"q": "Russia", "organisations": ["RAND Corporation"], "speakers": ["William Courtney"],
      "sort": "oldest"}),
    ("q=Russia&year=2017&month=2017-05&from=2017&to=2017-06", {
        "q": "Russia", "years": ["2017"], "months": ["2017-05"], "date_from": "2017",
        "date_to": "2017-06"}),
    (f"q=Russia&document={DOC1}&size=3&page=2&sort=newest",
     {"q": "Russia", "documents": [DOC1], "page_size": 3, "page": 2, "sort": "newest"}),
    ("q=crematorum", {"q": "crematorum"}),
    ("", {}),
])
def test_api_search_returns_exactly_what_search_returns(client, seed_index, query, kwargs):
    response = client.get("/api/search?" + query)
    assert response.status_code == 200 and response.mimetype == "application/json"
    check_headers(response)
    data = response.get_json()
    assert without_time(data) == without_time(run(seed_index, **kwargs))
    assert isinstance(data["took_ms"], int | float)
    for name, counts in data["facets"].items():  # order kept: most frequent first
        assert list(counts.values()) == sorted(counts.values(), reverse=True), name


def test_api_document_returns_all_paragraphs(client, seed_index):
    data = client.get(f"/api/documents/{DOC0}").get_json()
    with open_index(seed_index).searcher() as searcher:
        from search.query import document_paragraphs

        assert data["paragraphs"] == document_paragraphs(searcher, DOC0)
    assert data["document"] == DOC0 and data["document_date"] == "2017-05-16"
    assert data["title"] == "Russia Must Exercise Influence Over Assad"


def test_api_unknown_route_is_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]


# ---------------------------------------------------------------- errors and headers


def test_unknown_route_is_a_friendly_404_page(client):
    soup = soup_of(client, "/no/such/page", status=404)
    assert soup.select_one(".error-page__status").get_text() == "404"
    assert soup.select_one("form[role=search]")


def test_wrong_method_is_a_405_page(client):
    response = client.post("/")
    assert response.status_code == 405
    check_headers(response)


def test_unexpected_error_is_a_friendly_500_page(seed_index):
    app = create_app({"INDEX_DIR": str(seed_index)})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    check_headers(response)
    assert b"Something went wrong" in response.data and b"secret internals" not in response.data


def test_missing_index_is_a_503_page_not_a_crash(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "missing")})
    soup = soup_of(app.test_client(), "/?q=x", status=503)
    assert "docsearch index" in soup.select_one(".error-page__message").get_text()
    assert app.test_client().get("/api/search").status_code == 503


def test_static_files_are_served_with_security_headers(client):
    for name in ("style.css", "app.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        check_headers(response)


def test_templates_have_no_inline_script_style_or_event_handlers():
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"<style|\sstyle=", text), path.name
        assert not re.search(r"\son[a-z]+=", text), path.name
        assert "|safe" not in text.replace("item.hit.snippet|safe", ""), path.name


# ---------------------------------------------------------------- escaping (XSS)


def assert_no_live_script(html: bytes) -> None:
    text = html.decode()
    assert "<script>alert(1)" not in text
    assert "alert(1)</script>" not in text
    scripts = BeautifulSoup(text, "html.parser").find_all("script")
    assert [s.get("src") for s in scripts] == ["/static/app.js"]
    assert all(not s.string for s in scripts)


def test_query_with_markup_is_escaped(web_client):
    response = web_client.get("/?q=" + SCRIPT)
    assert response.status_code == 200
    assert_no_live_script(response.data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.data.decode()
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("input[name=q]")["value"] == SCRIPT


def test_document_text_with_markup_is_escaped_in_results(web_client):
    response = web_client.get("/?q=alert&size=50")
    assert_no_live_script(response.data)
    soup = BeautifulSoup(response.data, "html.parser")
    assert total_of(soup) >= 3
    snippets = " ".join(s.get_text() for s in soup.select(".hit__snippet"))
    assert "<script>" in snippets  # shown as text
    titles = [t.get_text() for t in soup.select("a.hit__doc")]
    assert "Statement <script>alert(1)</script> on markup" in titles
    labels = [d["label"] for d in facet(soup, "document").values()]
    assert "Statement <script>alert(1)</script> on markup" in labels


@pytest.mark.parametrize("doc_id", [XSS_TEXT_ID, XSS_HTML_ID])
def test_document_page_escapes_markup(web_client, doc_id):
    response = web_client.get(f"/documents/{doc_id}?hl=0")
    assert response.status_code == 200
    assert_no_live_script(response.data)
    soup = BeautifulSoup(response.data, "html.parser")
    assert SCRIPT in soup.select_one("#p0 .paragraph__text").get_text()


def test_speaker_page_escapes_markup(web_client):
    response = web_client.get("/speakers/Heather%20Nauert")
    assert_no_live_script(response.data)
    texts = " ".join(t.get_text() for t in BeautifulSoup(response.data, "html.parser")
                     .select(".statement__text"))
    assert SCRIPT in texts


def test_markup_in_ids_and_names_from_urls_is_escaped(web_client):
    for url in (f"/documents/{SCRIPT}", f"/speakers/{SCRIPT}", f"/?speaker={SCRIPT}",
                f"/?q=x&document={SCRIPT}", f"/?from={SCRIPT}"):
        response = web_client.get(url)
        assert response.status_code in (200, 404)
        assert_no_live_script(response.data)
    api = web_client.get(f"/api/documents/{SCRIPT}")
    assert api.status_code == 404 and api.mimetype == "application/json"
