"""Queries: parse Whoosh syntax, filter by facets, rank, highlight, count facets over matches."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from whoosh import highlight, qparser, sorting
from whoosh import query as wq

from search.errors import QueryError
from search.index import (
    DATE,
    DATES,
    DOCUMENT,
    MONTH,
    ORGANISATION,
    ORGANISATION_TEXT,
    PARAGRAPH,
    PEOPLE,
    SPEAKER,
    SPEAKER_TEXT,
    TEXT_FIELD,
    TITLE,
    YEAR,
    split_values,
)

MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_QUERY_CHARS = 1000
MAX_EXPANSION = 1024  # terms one wildcard, prefix or fuzzy term may expand to
SORTS = ("relevance", "newest", "oldest")
SNIPPET_CHARS = 600

# What a bare word searches, and aliases users can type before a colon.
DEFAULT_FIELDS = (TEXT_FIELD, SPEAKER_TEXT, ORGANISATION_TEXT)
FIELD_BOOSTS = {TEXT_FIELD: 1.0, SPEAKER_TEXT: 0.6, ORGANISATION_TEXT: 0.4}
FIELD_ALIASES = {
    SPEAKER_TEXT: ["speaker", "who", "by"],
    ORGANISATION_TEXT: ["organisation", "organization", "org"],
    DOCUMENT: ["doc"],
}


@dataclass
class SearchRequest:
    """Everything that selects a page of results; the CLI, web page and API all build one."""

    q: str = ""
    speakers: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10

    def checked(self) -> SearchRequest:
        """This request with bounds enforced; raises QueryError for values that make no sense."""
        if len(self.q) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is too long ({len(self.q)} characters; "
                             f"the limit is {MAX_QUERY_CHARS})")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}")
        if not 1 <= self.page <= MAX_PAGE:
            raise QueryError(f"page must be between 1 and {MAX_PAGE}")
        parse_date_bound(self.date_from, end=False)
        parse_date_bound(self.date_to, end=True)
        return self


class Facet:
    """A facet: the request values that filter on it, and its counts over matching paragraphs."""

    name: str = ""
    field: str = ""

    def selected(self, request: SearchRequest) -> list[str]:
        raise NotImplementedError

    def filter_query(self, request: SearchRequest) -> wq.Query | None:
        """Values of one facet combine with OR."""
        values = self.selected(request)
        if not values:
            return None
        return wq.Or([wq.Term(self.field, value) for value in values])

    def counts(self, columns: FacetColumns, docnums: Iterable[int]) -> dict[str, int]:
        """Value -> number of the given paragraphs having it, most frequent first."""
        values = columns.values(self.field)
        counter: Counter[str] = Counter()
        for docnum in docnums:
            counter.update(values.get(docnum, ()))
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


class SpeakerFacet(Facet):
    name, field = "speaker", SPEAKER

    def selected(self, request: SearchRequest) -> list[str]:
        return request.speakers


class OrganisationFacet(Facet):
    name, field = "organisation", ORGANISATION

    def selected(self, request: SearchRequest) -> list[str]:
        return request.organisations


class DocumentFacet(Facet):
    name, field = "document", DOCUMENT

    def selected(self, request: SearchRequest) -> list[str]:
        return request.documents


class YearFacet(Facet):
    name, field = "year", YEAR

    def selected(self, request: SearchRequest) -> list[str]:
        return request.years


class MonthFacet(Facet):
    name, field = "month", MONTH

    def selected(self, request: SearchRequest) -> list[str]:
        return request.months


FACETS: tuple[Facet, ...] = (SpeakerFacet(), OrganisationFacet(), YearFacet(), MonthFacet(),
                             DocumentFacet())


class FacetColumns:
    """Per-reader map docnum -> values for each facet field, built once and reused."""

    def __init__(self, reader):
        self._reader = reader
        self._columns: dict[str, dict[int, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def values(self, fieldname: str) -> dict[int, tuple[str, ...]]:
        with self._lock:
            if fieldname not in self._columns:
                self._columns[fieldname] = self._build(fieldname)
            return self._columns[fieldname]

    def _build(self, fieldname: str) -> dict[int, tuple[str, ...]]:
        by_doc: dict[int, list[str]] = {}
        for term in self._reader.lexicon(fieldname):
            value = term.decode("utf-8")
            for docnum in self._reader.postings(fieldname, term).all_ids():
                by_doc.setdefault(docnum, []).append(value)
        return {docnum: tuple(values) for docnum, values in by_doc.items()}


_COLUMNS: dict[int, FacetColumns] = {}
_COLUMNS_LOCK = threading.Lock()


def facet_columns(searcher) -> FacetColumns:
    """The FacetColumns for this searcher's reader, cached while the reader lives."""
    reader = searcher.reader()
    with _COLUMNS_LOCK:
        key = id(reader)
        columns = _COLUMNS.get(key)
        if columns is None or columns._reader is not reader:
            if len(_COLUMNS) > 8:
                _COLUMNS.clear()
            columns = _COLUMNS[key] = FacetColumns(reader)
        return columns


def query_parser(schema) -> qparser.QueryParser:
    """A parser for Whoosh syntax over the text, speaker and organisation fields."""
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    return parser


def parse_query(searcher, text: str) -> wq.Query:
    """The Whoosh query for user text (everything when blank); QueryError if it cannot run."""
    text = text.strip()
    if not text:
        return wq.Every()
    unknown = sorted({name for name in _FIELD_PREFIX.findall(_without_phrases(text))
                      if name not in _known_fields(searcher.schema)})
    if unknown:
        raise QueryError(f"unknown field '{unknown[0]}:'; search in one of: "
                         + ", ".join(f"{name}:" for name in SEARCHABLE_FIELDS))
    try:
        parsed = query_parser(searcher.schema).parse(text)
    except Exception as exc:  # Whoosh's parser raises assorted types on odd input
        raise QueryError(f"could not understand the query: {exc}") from exc
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        raise QueryError("the query has no words to search for")
    _check_expansion(searcher, parsed)
    return parsed


def _without_phrases(text: str) -> str:
    return re.sub(r'"[^"]*"', " ", text)


def _known_fields(schema) -> set[str]:
    aliases = {alias for names in FIELD_ALIASES.values() for alias in names}
    return set(schema.names()) | aliases


def _check_expansion(searcher, parsed: wq.Query) -> None:
    reader = searcher.reader()
    for node in _walk(parsed):
        if isinstance(node, wq.MultiTerm) and not isinstance(node, wq.Every):
            if isinstance(node, wq.Wildcard | wq.Prefix) and len(node.text.strip("*?")) < 1:
                raise QueryError(f"'{node.text}' would match every word; add some letters")
            expanded = list(islice(node._btexts(reader), MAX_EXPANSION + 1))
            if len(expanded) > MAX_EXPANSION:
                raise QueryError(
                    f"'{node.text}' matches more than {MAX_EXPANSION} words; make it more specific")


def _walk(node: wq.Query):
    yield node
    for child in node.children():
        yield from _walk(child)


def parse_date_bound(value: str | None, end: bool) -> dt.datetime | None:
    """A --from/--to bound (`2017`, `2017-05`, `2017-05-16`) as the first or last moment in it."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", value)
    try:
        if not match:
            raise ValueError
        year, month, day = int(match[1]), match[2], match[3]
        if day:
            start = dt.date(year, int(month), int(day))
            last = start
        elif month:
            start = dt.date(year, int(month), 1)
            last = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        else:
            start, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise QueryError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if end:
        return dt.datetime.combine(last, dt.time.max)
    return dt.datetime.combine(start, dt.time.min)


def date_range_query(request: SearchRequest) -> wq.Query | None:
    """The document-date range the request asks for, or None."""
    start = parse_date_bound(request.date_from, end=False)
    end = parse_date_bound(request.date_to, end=True)
    if start is None and end is None:
        return None
    return wq.DateRange(DATE, start, end)


class MarkFormatter(highlight.Formatter):
    """HTML-escaped text with matched words wrapped in <mark>: the only markup we emit."""

    between = " "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_fragment(self, fragment, replace=False) -> str:
        """The fragment, with an ellipsis where it cuts the paragraph short."""
        body = super().format_fragment(fragment, replace)
        head = "\u2026 " if fragment.startchar > 0 else ""
        tail = " \u2026" if fragment.endchar < len(fragment.text) else ""
        return head + body + tail

    def format_token(self, text, token, replace=False) -> str:
        word = html.escape(highlight.get_text(text, token, replace), quote=False)
        return f"<mark>{word}</mark>"


def snippet(hit, text: str) -> str:
    """The paragraph's best passages with query words marked, or its opening when none match.

    Paragraphs up to SNIPPET_CHARS are shown whole: who said what needs the full sentence.
    """
    if len(text) <= SNIPPET_CHARS:
        hit.results.fragmenter = highlight.WholeFragmenter()
    else:
        hit.results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=100)
    marked = hit.highlights(TEXT_FIELD, text=text, top=2)
    if marked:
        return marked
    opening = text
    if len(text) > SNIPPET_CHARS:
        opening = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " \u2026"
    return html.escape(opening, quote=False)


def hit_record(hit, with_snippet: bool = True) -> dict:
    """One result paragraph as plain data (the --json hit shape)."""
    stored = hit.fields()
    text = stored.get(TEXT_FIELD, "")
    date = stored.get(DATE)
    record = {
        "document": stored.get(DOCUMENT),
        "title": stored.get(TITLE),
        "paragraph": stored.get(PARAGRAPH),
        "text": text,
        "snippet": snippet(hit, text) if with_snippet else html.escape(text, quote=False),
        "speakers": split_values(stored.get(SPEAKER)),
        "organisations": split_values(stored.get(ORGANISATION)),
        "dates": split_values(stored.get(DATES)),
        "document_date": date.date().isoformat() if date else None,
        "score": round(hit.score, 4) if isinstance(hit.score, int | float) else None,
        "people": json.loads(stored[PEOPLE]) if stored.get(PEOPLE) else {},
    }
    return record


_NO_DATE = 2**64 - 1  # what Whoosh's numeric column holds for a paragraph without a date


def _sorted_by(searcher, sort: str):
    """Date order with undated documents last either way, then reading order."""
    if sort == "relevance":
        return None
    dates = searcher.reader().column_reader(DATE, translate=False)

    def newest_first(_searcher, docnum: int) -> tuple[bool, int]:
        value = dates[docnum]
        return (value == _NO_DATE, -value)

    by_date = (sorting.FunctionFacet(newest_first) if sort == "newest"
               else sorting.FieldFacet(DATE))
    return [by_date, sorting.FieldFacet(DOCUMENT), sorting.FieldFacet(PARAGRAPH)]


def _docnums(searcher, q: wq.Query) -> set[int]:
    return set(searcher.docs_for_query(q))


_PLAIN_QUERY = re.compile(r"[\w\s\"'*?~:.,-]+")
_FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]+):(?!//)")
SEARCHABLE_FIELDS = ("text", "title", "speaker", "organisation", "document", "year", "month")


def suggestion(searcher, q: wq.Query, text: str) -> str | None:
    """A corrected query string when some words are not in the index, else None."""
    if not text.strip() or isinstance(q, wq.Every):
        return None
    reader = searcher.reader()
    unknown = [(name, term) for name, term in q.iter_all_terms()
               if name == TEXT_FIELD and (name, term) not in reader]
    if not unknown:
        return None  # every word is known: nothing to correct
    try:
        corrected = searcher.correct_query(q, text, terms=unknown)
    except Exception:  # spelling is a nicety; never fail a search over it
        return None
    if corrected.query == q or corrected.string.strip() == text.strip():
        return None
    if not _PLAIN_QUERY.fullmatch(corrected.string):
        return None
    try:  # only suggest what would find something; reparse so the words get stemmed
        found = next(iter(searcher.docs_for_query(parse_query(searcher, corrected.string))), None)
    except QueryError:
        return None
    if found is None:
        return None
    return corrected.string


def search(searcher, request: SearchRequest) -> dict:
    """Run a request: the page of hits, exact facet counts over all matches, and a suggestion."""
    started = time.perf_counter()
    request.checked()
    q = parse_query(searcher, request.q)
    scope = wq.And([q, r]) if (r := date_range_query(request)) else q
    base = _docnums(searcher, scope)
    filters = {facet.name: _docnums(searcher, fq)
               for facet in FACETS if (fq := facet.filter_query(request)) is not None}
    matched = base.intersection(*filters.values()) if filters else base
    columns = facet_columns(searcher)
    facets = {}
    for facet in FACETS:
        others = [docs for name, docs in filters.items() if name != facet.name]
        docs = base.intersection(*others) if others else base
        facets[facet.name] = facet.counts(columns, docs)
    hits = []
    if matched:
        page = searcher.search_page(q, request.page, pagelen=request.page_size,
                                    filter=matched, sortedby=_sorted_by(searcher, request.sort),
                                    terms=True)
        page.results.formatter = MarkFormatter()
        if page.pagenum == request.page:
            hits = [hit_record(hit) for hit in page]
    return {
        "query": request.q,
        "total": len(matched),
        "page": request.page,
        "page_size": request.page_size,
        "pages": max(1, -(-len(matched) // request.page_size)),
        "sort": request.sort,
        "hits": hits,
        "facets": facets,
        "suggestion": suggestion(searcher, q, request.q) if len(matched) < 5 else None,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def document_paragraphs(searcher, document_id: str) -> list[dict]:
    """Every paragraph of one document in order, as hit records; empty if there is no such id."""
    results = searcher.search(wq.Term(DOCUMENT, document_id), limit=None,
                              sortedby=sorting.FieldFacet(PARAGRAPH))
    return [hit_record(hit, with_snippet=False) for hit in results]
