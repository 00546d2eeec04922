"""Queries: parse Whoosh syntax, filter by facets, rank, highlight, count facets over matches."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import html
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from whoosh import highlight, qparser, sorting
from whoosh import query as wq
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.fields import NUMERIC
from whoosh.support.levenshtein import distance
from whoosh.util.times import long_to_datetime

from search.errors import QueryError
from search.index import (
    ATTRIBUTIONS,
    AUTHOR,
    DATE,
    DATES,
    DOCUMENT,
    HAS_QUOTE,
    MONTH,
    ORGANISATION,
    ORGANISATION_TEXT,
    PAGE,
    PARAGRAPH,
    PARENT,
    PEOPLE,
    QUOTE,
    QUOTED,
    SPEAKER,
    SPEAKER_TEXT,
    TEXT_FIELD,
    TITLE,
    TITLE_TEXT,
    YEAR,
    split_values,
)
from search.matches import (
    CHECK_EVERY,
    NO_DEADLINE,
    Deadline,
    MatchIndex,
    Selection,
    Signatures,
    checked,
    match_index,
    near_words,
    selection,
    stored_fields,
)

MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_QUERY_CHARS = 1000
MAX_EXPANSION = 1024  # terms one wildcard, prefix or fuzzy term may expand to
MAX_FILTER_VALUES = 100  # values of one facet filter (they OR together)
MAX_FILTER_CHARS = 300
MAX_QUERY_NODES = 1024  # words, phrases and operators in one parsed query (4 per word)
MAX_TOTAL_EXPANSION = 4 * MAX_EXPANSION  # words all multi-term parts of a query expand to
SEARCH_TIME_LIMIT_S = 5.0  # a search stops with a QueryError after this long
SUGGESTION_TIME_LIMIT_S = 1.0  # of that, what looking for "Did you mean" may take
MAX_SCANNED = 2_000_000  # index words a query's wildcards, fuzzy words and ranges may look at
MAX_FUZZY_EDITS = 2  # `word~N`: N at most this
MAX_SUGGESTED_WORDS = 8  # misspelt words "Did you mean" tries to correct
SORTS = ("relevance", "newest", "oldest")
FACET_LIMIT = 100  # values returned per facet (speakers can number thousands)
SNIPPET_CHARS = 600

# What a bare word searches, and aliases users can type before a colon.
DEFAULT_FIELDS = (TEXT_FIELD, SPEAKER_TEXT, ORGANISATION_TEXT)
FIELD_BOOSTS = {TEXT_FIELD: 1.0, SPEAKER_TEXT: 0.6, ORGANISATION_TEXT: 0.4}
FIELD_ALIASES = {
    SPEAKER_TEXT: ["speaker", "who", "by"],
    ORGANISATION_TEXT: ["organisation", "organization", "org"],
    DOCUMENT: ["doc"],
    TITLE_TEXT: ["title"],
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
    quotes_only: bool = False  # only paragraphs with attributed words (a speaker's)
    excluded: dict[str, list[str]] = field(default_factory=dict)  # facet name -> values left out
    undated_only: bool = False  # only paragraphs of documents without a date

    def checked(self) -> SearchRequest:
        """This request with bounds enforced; raises QueryError for values that make no sense."""
        if not isinstance(self.q, str):
            raise QueryError("the query must be text")
        if len(self.q) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is too long ({len(self.q)} characters; "
                             f"the limit is {MAX_QUERY_CHARS})")
        if "\x00" in self.q or _SURROGATE.search(self.q):
            raise QueryError("the query contains characters that cannot be searched for")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if not _whole_in(self.page_size, 1, MAX_PAGE_SIZE):
            raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}")
        if not _whole_in(self.page, 1, MAX_PAGE):
            raise QueryError(f"page must be between 1 and {MAX_PAGE}")
        for values in (self.speakers, self.organisations, self.documents, self.years,
                       self.months, *self.excluded.values()):
            _check_filter_values(values)
        parse_date_bound(self.date_from, end=False)
        parse_date_bound(self.date_to, end=True)
        return self


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_in(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_filter_values(values: list[str]) -> None:
    if len(values) > MAX_FILTER_VALUES:
        raise QueryError(f"too many values for one filter ({len(values)}; "
                         f"the limit is {MAX_FILTER_VALUES})")
    for value in values:
        if not isinstance(value, str) or len(value) > MAX_FILTER_CHARS:
            raise QueryError(f"a filter value must be text of at most {MAX_FILTER_CHARS} "
                             "characters")


class Facet:
    """A facet: the request values that filter on it, and its counts over matching paragraphs."""

    name: str = ""
    field: str = ""
    limit: int | None = FACET_LIMIT
    through: str | None = None  # a column whose counts give this one's (Column.count_through)

    def selected(self, request: SearchRequest) -> list[str]:
        raise NotImplementedError

    def filter_query(self, request: SearchRequest) -> wq.Query | None:
        """Values of one facet combine with OR."""
        values = self.selected(request)
        if not values:
            return None
        return wq.Or([wq.Term(self.field, value) for value in values])

    def mask(self, matches: MatchIndex, request: SearchRequest) -> np.ndarray | None:
        """Paragraphs having any selected value, or None when nothing is selected."""
        filter_query = self.filter_query(request)
        return None if filter_query is None else matches.mask(filter_query)

    def counts(self, matches: MatchIndex, paragraphs: np.ndarray | Selection,
               request: SearchRequest, where: np.ndarray | None = None
               ) -> tuple[dict[str, int], int]:
        """The top values among the paragraphs (a mask or a Selection) with their counts
        (selected ones always included), most frequent first; and the number of distinct
        values. where, if given, is np.flatnonzero(mask)."""
        column = matches.column(self.field, self.through)
        return column.counts(paragraphs, self.limit, self.selected(request), where)


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
    name, field, limit, through = "year", YEAR, None, DOCUMENT

    def selected(self, request: SearchRequest) -> list[str]:
        return request.years


class MonthFacet(Facet):
    name, field, limit, through = "month", MONTH, None, DOCUMENT

    def selected(self, request: SearchRequest) -> list[str]:
        return request.months


FACETS: tuple[Facet, ...] = (SpeakerFacet(), OrganisationFacet(), YearFacet(), MonthFacet(),
                             DocumentFacet())


def query_parser(schema) -> qparser.QueryParser:
    """A parser for Whoosh syntax over the text, speaker and organisation fields (one per
    schema: building one costs more than parsing a query)."""
    cached = _PARSERS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    if len(_PARSERS) >= 8:
        _PARSERS.clear()
    _PARSERS[id(schema)] = (schema, parser)
    return parser


_PARSERS: dict[int, tuple[object, qparser.QueryParser]] = {}


def warm_up(searcher) -> None:
    """Build what the first search would otherwise wait for: facet and sort columns, lengths,
    word lists."""
    matches = match_index(searcher)
    for facet in FACETS:
        matches.column(facet.field, facet.through)
    for fieldname in (DATE, PARAGRAPH):
        matches.numbers(fieldname)
    for fieldname in DEFAULT_FIELDS:
        matches.lengths(fieldname)
    for fieldname in (*DEFAULT_FIELDS, TITLE_TEXT):  # what wildcards and fuzzy words expand over
        matches.signatures(fieldname)


def parse_query(searcher, text: str, deadline: Deadline = NO_DEADLINE) -> wq.Query:
    """The Whoosh query for user text (everything when blank), its wildcards, fuzzy words
    and ranges expanded into the words they match; QueryError if it cannot run."""
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
    _check_size(parsed)
    return Expansion(searcher, deadline).expand(parsed)


def _without_phrases(text: str) -> str:
    return re.sub(r'"[^"]*"', " ", text)


def _known_fields(schema) -> set[str]:
    aliases = {alias for names in FIELD_ALIASES.values() for alias in names}
    return set(schema.names()) | aliases


def _check_size(parsed: wq.Query) -> None:
    """QueryError when the query has too many parts."""
    nodes = sum(1 for _ in islice(_walk(parsed), MAX_QUERY_NODES + 1))
    if nodes > MAX_QUERY_NODES:
        raise QueryError(f"the query has too many parts (the limit is {MAX_QUERY_NODES}); "
                         "make it shorter")


class Expansion:
    """Replaces each wildcard, fuzzy word and range of a query by the index words it matches,
    once, bounded by cost: each part may match MAX_EXPANSION words, all of them together
    MAX_TOTAL_EXPANSION, and all of them may look at MAX_SCANNED index words before the
    deadline. Ranges become unscored filters (as Whoosh scores them)."""

    def __init__(self, searcher, deadline: Deadline):
        self.reader = searcher.reader()
        self.matches = match_index(searcher)
        self.deadline = deadline
        self.words = 0
        self.scanned = 0

    def expand(self, node: wq.Query) -> wq.Query:
        """node with its multi-word parts replaced by OR-ed words (NullQuery for none)."""
        if isinstance(node, wq.Every):
            return node
        if isinstance(node, wq.NumericRange):
            try:
                compiled = node._compile_query(self.reader)
            except Exception as exc:  # Whoosh refuses a range it cannot compile
                raise QueryError(f"could not understand the range: {exc}") from exc
            return self.expand(compiled)
        if isinstance(node, wq.MultiTerm):
            words = self._words(node)
            if not words:
                return wq.NullQuery
            expanded = wq.Or([wq.Term(node.fieldname, word, boost=node.boost)
                              for word in words])
            return wq.ConstantScoreQuery(expanded) if isinstance(node, wq.RangeMixin) \
                else expanded
        return node.apply(self.expand)

    def _words(self, node: wq.MultiTerm) -> list:
        label = _label(node)
        if node.fieldname not in self.reader.schema:
            return []
        if isinstance(node, wq.Wildcard | wq.Prefix) and len(node.text.strip("*?")) < 1:
            raise QueryError(f"'{label}' would match every word; add some letters")
        # A numeric (date) range is a filter over distinct values, not a wildcard: only the
        # deadline and MAX_SCANNED bound it.
        limited = not isinstance(self.reader.schema[node.fieldname], NUMERIC)
        words = []
        for word in self._candidates(node):
            self.scanned += 1
            if self.scanned % CHECK_EVERY == 0:
                self.deadline.check()
                if self.scanned > MAX_SCANNED:
                    raise QueryError(f"'{label}' needs too many index words looked at; "
                                     "make it more specific (give more of the word's start)")
            if word is None:
                continue
            words.append(word)
            if limited and len(words) > MAX_EXPANSION:
                raise QueryError(
                    f"'{label}' matches more than {MAX_EXPANSION} words; make it more specific")
        if not limited:
            return words
        self.words += len(words)
        if self.words > MAX_TOTAL_EXPANSION:
            raise QueryError(f"the query's wildcards match too many words (more than "
                             f"{MAX_TOTAL_EXPANSION}); use fewer or more specific ones")
        return words

    def _candidates(self, node: wq.MultiTerm):
        """Each index word node looks at: the word when it matches, else None."""
        fieldname = node.fieldname
        if isinstance(self.reader.schema[fieldname], NUMERIC):  # from a date range: few words
            yield from node._btexts(self.reader)
            return
        words = self.matches.vocabulary(fieldname)
        if isinstance(node, wq.FuzzyTerm):
            yield from fuzzy_candidates(words, self.matches.signatures(fieldname), node.text,
                                        node.maxdist, node.prefixlength)
        elif isinstance(node, wq.Prefix):
            yield from with_prefix(words, node.text)
        elif isinstance(node, wq.Wildcard | wq.Regex):
            pattern = re.compile(node._get_pattern())
            prefix = node._find_prefix(node.text)
            for word in with_prefix(words, prefix):
                yield word if pattern.match(word) else None
        elif isinstance(node, wq.TermRange):
            yield from in_range(words, node)
        else:  # variations: a handful of words
            for btext in node._btexts(self.reader):
                yield btext.decode("utf-8", "replace")


def with_prefix(words: list[str], prefix: str):
    """The words (sorted) that start with prefix."""
    for position in range(bisect.bisect_left(words, prefix), len(words)):
        word = words[position]
        if not word.startswith(prefix):
            return
        yield word


def in_range(words: list[str], node: wq.TermRange):
    """The words (sorted) a term range spans."""
    start = bisect.bisect_left(words, node.start) if node.start else 0
    for position in range(start, len(words)):
        word = words[position]
        if node.end is not None and (word > node.end or (word == node.end and node.endexcl)):
            return
        if not (node.startexcl and word == node.start):
            yield word


def fuzzy_candidates(words: list[str], found: Signatures, text: str, maxdist, prefix: int):
    """Each of the words (sorted, with their Signatures) sharing text's first `prefix`
    letters that may be within maxdist edits of text: the word when it is, else None
    (Whoosh's own terms_within builds an automaton per word, which takes seconds for two
    edits)."""
    if not 0 <= maxdist <= MAX_FUZZY_EDITS:
        raise QueryError(f"'{text}~{maxdist:g}': a fuzzy word may differ by at most "
                         f"{MAX_FUZZY_EDITS} letters")
    maxdist = int(maxdist)
    start = bisect.bisect_left(words, text[:prefix])
    end = bisect.bisect_left(words, text[:prefix] + "\U0010ffff") if prefix else len(words)
    for position in near_words(found, start, end, text, maxdist):
        word = words[position]
        yield word if distance(word, text, maxdist) <= maxdist else None


def _label(node: wq.MultiTerm) -> str:
    """The part of the query as a user would write it."""
    if isinstance(node, wq.TermRange):
        name = FIELD_ALIASES.get(node.fieldname, [node.fieldname])[0]
        return f"{name}:[{node.start or ''} TO {node.end or ''}]"
    return str(getattr(node, "text", node))


def search_deadline() -> Deadline:
    """The deadline of a search starting now."""
    return Deadline(SEARCH_TIME_LIMIT_S)


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


class EarlierFirstScorer(highlight.BasicFragmentScorer):
    """Whoosh's passage score (matched words, more for more distinct ones), the earlier
    passage first among equals: Whoosh breaks ties by object address, which varies."""

    def __call__(self, fragment) -> float:
        score = super().__call__(fragment)
        return score - fragment.startchar / (2 * len(fragment.text) + 2) if score else score


class FastTokens:
    """The token stream of text_analyzer() (words, lowercased, stop words kept but marked,
    stemmed, accent-folded) in one loop, each word's indexed form looked up once per
    process: the same tokens as the analyzer's chain of five generators, several times
    faster, for highlighting."""

    FORMS_KEPT = 200_000  # surface words whose indexed form is remembered

    def __init__(self, tokenizer, stops, stemmer, charset):
        self.expression = tokenizer.expression
        self.stops, self.minsize, self.maxsize = stops.stops, stops.min, stops.max
        self.stem, self.ignore = stemmer._stem, stemmer.ignore
        self.charmap = charset.charmap
        self.forms: dict[str, tuple[str, bool]] = {}

    def form(self, word: str) -> tuple[str, bool]:
        """A lowercased word's indexed form, and whether it is a stop word."""
        found = self.forms.get(word)
        if found is None:
            stopped = not (len(word) >= self.minsize and word not in self.stops
                           and (self.maxsize is None or len(word) <= self.maxsize))
            text = word if stopped or word in self.ignore else self.stem(word)
            found = (text.translate(self.charmap), stopped)
            if len(self.forms) >= self.FORMS_KEPT:
                self.forms.clear()
            self.forms[word] = found
        return found

    def __call__(self, value: str, chars: bool = True, removestops: bool = False,
                 mode: str = "", **_kwargs):
        """Token objects as the analyzer yields them for (value, chars=True,
        removestops=False): one Token reused, as Whoosh does."""
        forms, form = self.forms, self.form
        token = Token(False, chars, removestops=removestops, mode=mode)
        for match in self.expression.finditer(value):
            word = match.group(0).lower()
            token.text, token.stopped = forms.get(word) or form(word)
            token.boost = 1.0
            token.startchar, token.endchar = match.start(), match.end()
            yield token

    def matched(self, value: str, terms: frozenset[str]) -> list[Matched]:
        """The tokens of value whose indexed form is in terms, in order."""
        forms, form = self.forms, self.form
        found = []
        for match in self.expression.finditer(value):
            word = match.group(0).lower()
            text = (forms.get(word) or form(word))[0]
            if text in terms:
                found.append(Matched(text, match.start(), match.end()))
        return found


class Matched:
    """A matched word as Whoosh's fragments and formatters read it."""

    __slots__ = ("text", "startchar", "endchar")
    boost = 1.0

    def __init__(self, text: str, startchar: int, endchar: int):
        self.text, self.startchar, self.endchar = text, startchar, endchar


def fast_tokens(analyzer):
    """A FastTokens for an analyzer shaped like text_analyzer(), else the analyzer itself."""
    found = _FAST_TOKENS.get(id(analyzer))
    if found is not None and found[0] is analyzer:
        return found[1]
    items = list(getattr(analyzer, "items", ()))
    shape = (RegexTokenizer, LowercaseFilter, StopFilter, StemFilter, CharsetFilter)
    fast = analyzer
    if (len(items) == len(shape) and not getattr(items[0], "gaps", True)
            and all(type(item) is kind for item, kind in zip(items, shape, strict=True))):
        fast = FastTokens(items[0], items[2], items[3], items[4])
    if len(_FAST_TOKENS) >= 8:
        _FAST_TOKENS.clear()
    _FAST_TOKENS[id(analyzer)] = (analyzer, fast)
    return fast


_FAST_TOKENS: dict[int, tuple[object, object]] = {}


def snippet(text: str, terms: frozenset[str], analyzer) -> str:
    """The paragraph's best passages with query words marked, or its opening when none match.

    Paragraphs up to SNIPPET_CHARS are shown whole: who said what needs the full sentence.
    """
    if terms:
        tokens = fast_tokens(analyzer)
        if len(text) <= SNIPPET_CHARS and isinstance(tokens, FastTokens):
            # Whoosh's WholeFragmenter keeps only the matched words: find just those.
            matched = tokens.matched(text, terms)
            marked = MarkFormatter()(text, [highlight.Fragment(text, matched)]) if matched else ""
        else:
            fragmenter = (highlight.WholeFragmenter() if len(text) <= SNIPPET_CHARS
                          else highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=100))
            marked = highlight.highlight(text, terms, tokens, fragmenter, MarkFormatter(),
                                         top=2, scorer=EarlierFirstScorer())
        if marked:
            return marked
    opening = text
    if len(text) > SNIPPET_CHARS:
        opening = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " \u2026"
    return html.escape(opening, quote=False)


def highlight_terms(searcher, q: wq.Query) -> frozenset[str]:
    """The indexed words of the text field that q matches (wildcards expanded)."""
    try:
        found = q.existing_terms(searcher.reader(), phrases=True, expand=True)
    except Exception:  # highlighting is a nicety; an odd query node must not fail the search
        return frozenset()
    return frozenset(text.decode("utf-8") if isinstance(text, bytes) else text
                     for field, text in found if field in (TEXT_FIELD, QUOTE))


def hit_record(stored: dict, score: float | None = None, marked: str | None = None) -> dict:
    """One result paragraph as plain data (the --json hit shape) from its stored fields."""
    text = stored.get(TEXT_FIELD, "")
    date = stored.get(DATE)
    return {
        "document": stored.get(DOCUMENT),
        "title": stored.get(TITLE),
        "paragraph": stored.get(PARAGRAPH),
        "text": text,
        "snippet": marked if marked is not None else html.escape(text, quote=False),
        "speakers": split_values(stored.get(SPEAKER)),
        "organisations": split_values(stored.get(ORGANISATION)),
        "dates": split_values(stored.get(DATES)),
        "document_date": date.date().isoformat() if date else None,
        "score": round(score, 4) if score is not None else None,
        "people": json.loads(stored[PEOPLE]) if stored.get(PEOPLE) else {},
        "attributions": json.loads(stored[ATTRIBUTIONS]) if stored.get(ATTRIBUTIONS) else [],
        "source_page": stored.get(PAGE),  # the PDF page it starts on, else None
        "author": stored.get(AUTHOR),  # an e-mail's sender, a PDF's author, else None
        "attached_to": stored.get(PARENT),  # an attachment's message, else None
    }


_NO_DATE = np.uint64(2**64 - 1)  # what Whoosh's numeric column holds for "no date"


def date_mask(matches: MatchIndex, searcher, request: SearchRequest) -> np.ndarray | None:
    """Paragraphs whose document date is in the requested range, or None for no range."""
    start = parse_date_bound(request.date_from, end=False)
    end = parse_date_bound(request.date_to, end=True)
    if start is None and end is None:
        return None
    field = searcher.schema[DATE]
    dates = matches.numbers(DATE)
    mask = dates != _NO_DATE
    if start is not None:
        mask &= dates >= np.uint64(field.prepare_datetime(start))
    if end is not None:
        mask &= dates <= np.uint64(field.prepare_datetime(end))
    return mask


def ranked_page(matches: MatchIndex, q: wq.Query, matched: np.ndarray | Selection,
                request: SearchRequest, deadline: Deadline = NO_DEADLINE
                ) -> list[tuple[int, float]]:
    """(docnum, score) of the requested page, best first (ties in index order)."""
    chosen = selection(matched)
    first = (request.page - 1) * request.page_size
    if first >= chosen.count:
        return []
    wanted = min(first + request.page_size, chosen.count)
    if chosen.dense():  # rank the full-length scores, the unmatched out of the running
        scores = np.where(chosen.mask, matches.scores(q, deadline), -np.inf)
        return [(int(i), float(scores[i])) for i in best_first(scores, wanted)[first:]]
    docnums = chosen.inside()
    scores = matches.scores_at(q, docnums, deadline)
    return [(int(docnums[i]), float(scores[i])) for i in best_first(scores, wanted)[first:]]


SAMPLE_STEP = 16  # best_first estimates its cut from every 16th score


def best_first(scores: np.ndarray, wanted: int) -> np.ndarray:
    """Positions of the `wanted` highest scores, best first, ties in position order.

    The wanted-th best score of every SAMPLE_STEP-th one is at most the true cut, so the
    scores at or above it hold the best `wanted` (ties included): only those few are sorted.
    """
    if wanted >= len(scores):
        top = np.arange(len(scores))
    else:
        candidates = np.arange(len(scores))
        sample = scores[::SAMPLE_STEP]
        if len(sample) > wanted and len(scores) > 1024:
            floor = np.partition(sample, len(sample) - wanted)[len(sample) - wanted]
            candidates = np.flatnonzero(scores >= floor)
        chosen = scores[candidates]
        cut = chosen[np.argpartition(-chosen, wanted - 1)[wanted - 1]]
        above = candidates[chosen > cut]
        top = np.concatenate([above, candidates[chosen == cut][:wanted - len(above)]])
    return top[np.lexsort((top, -scores[top]))]


def dated_page(matches: MatchIndex, matched: np.ndarray | Selection, request: SearchRequest
               ) -> list[tuple[int, None]]:
    """Docnums of the requested page in date order, undated last, then reading order."""
    docnums = selection(matched).inside()
    dates = matches.numbers(DATE)[docnums]
    undated = dates == _NO_DATE
    when = np.where(undated, 0, dates).astype(np.int64)
    if request.sort == "newest":
        when = -when
    document = matches.column(DOCUMENT).first[docnums]
    paragraph = matches.numbers(PARAGRAPH)[docnums]
    order = np.lexsort((paragraph, document, when, undated))
    first = (request.page - 1) * request.page_size
    return [(int(docnums[i]), None) for i in order[first:first + request.page_size]]


_PLAIN_QUERY = re.compile(r"[\w\s\"'*?~:.,-]+")
_FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]+):(?!//)")
SEARCHABLE_FIELDS = ("text", "title", "speaker", "organisation", "quote", "document", "year",
                     "month")


def suggestion(searcher, q: wq.Query, text: str, deadline: Deadline = NO_DEADLINE
               ) -> str | None:
    """The query with misspelt words corrected, when that finds something; else None (also
    when finding one would take more than SUGGESTION_TIME_LIMIT_S or the rest of deadline).

    Words are corrected against the index's own (stemmed) vocabulary, then shown as a word
    that really occurs in the text, so no separate spelling index is needed. At most
    MAX_SUGGESTED_WORDS misspelt words are corrected.
    """
    if not text.strip() or isinstance(q, wq.Every):
        return None
    limit = Deadline(min(SUGGESTION_TIME_LIMIT_S, deadline.remaining()))
    try:
        return _suggestion(searcher, q, text, limit)
    except QueryError:  # out of time, or the corrected query cannot run: no suggestion
        return None


def _suggestion(searcher, q: wq.Query, text: str, deadline: Deadline) -> str | None:
    reader = searcher.reader()
    unknown = {term for name, term in q.iter_all_terms()
               if name == TEXT_FIELD and (name, term) not in reader}
    if not unknown:
        return None  # every word is known: nothing to correct
    analyzer = searcher.schema[TEXT_FIELD].analyzer
    corrected = text
    # Whoosh reuses one token object, so keep what is needed of each before going on.
    words = [(t.text, t.startchar, t.endchar)
             for t in analyzer(text, chars=True, removestops=False)]
    misspelt = [word for word in words if word[0] in unknown][:MAX_SUGGESTED_WORDS]
    for stem, start, end in reversed(misspelt):
        if word := _corrected_word(searcher, stem, deadline):
            corrected = corrected[:start] + word + corrected[end:]
    if corrected == text or not _PLAIN_QUERY.fullmatch(corrected):
        return None
    parsed = parse_query(searcher, corrected, deadline)
    return corrected if match_index(searcher).mask(parsed, deadline).any() else None


def _corrected_word(searcher, stem: str, deadline: Deadline, maxdist: int = 2) -> str | None:
    """The surface form of the most frequent indexed word closest to stem (first letter kept)."""
    reader = searcher.reader()
    matches = match_index(searcher)
    candidates = fuzzy_candidates(matches.vocabulary(TEXT_FIELD), matches.signatures(TEXT_FIELD),
                                  stem, maxdist, 1)
    near = (word for word in checked(candidates, deadline) if word is not None)
    candidates = [(distance(word, stem, limit=maxdist), -reader.doc_frequency(TEXT_FIELD, word),
                   word) for word in near]
    if not candidates:
        return None
    best = min(candidates)[2]
    return _surface_form(searcher, best)


def _surface_form(searcher, stem: str) -> str | None:
    """A word as written in some paragraph whose stem is stem (lowercased)."""
    postings = searcher.reader().postings(TEXT_FIELD, stem)
    if not postings.is_active():
        return None
    text = searcher.stored_fields(postings.id()).get(TEXT_FIELD, "")
    for token in searcher.schema[TEXT_FIELD].analyzer(text, chars=True):
        if token.text == stem:
            return text[token.startchar:token.endchar].lower()
    return None


def search(searcher, request: SearchRequest) -> dict:
    """Run a request: the page of hits, exact facet counts over all matches, and a suggestion;
    QueryError when it cannot run or takes longer than SEARCH_TIME_LIMIT_S."""
    deadline = search_deadline()
    request.checked()
    q, matches, base, filters = matching(searcher, request, deadline)
    facets, facet_sizes = {}, {}
    # Facets counting over the same paragraphs share their Selection (numbers found once).
    selections: dict[tuple[str, ...], Selection] = {}
    for facet in FACETS:
        deadline.check()
        # A facet's own filter is left out of its counts, so other values stay selectable.
        others = tuple(name for name in filters if name != facet.name)
        if others not in selections:
            selections[others] = Selection(_all_of(base, [filters[name] for name in others]))
        facets[facet.name], facet_sizes[facet.name] = facet.counts(matches, selections[others],
                                                                   request)
    everything = tuple(filters)
    matched = selections.get(everything) or Selection(_all_of(base, filters.values()))
    total = matched.count
    # Without a month filter, the month facet counted exactly the matches, as the histogram does.
    months = facets[MonthFacet.name] if MonthFacet.name not in filters else None
    histogram = date_histogram(matches, matched, total, months)
    if request.sort == "relevance":
        page = ranked_page(matches, q, matched, request, deadline)
    else:
        page = dated_page(matches, matched, request)
    deadline.check()
    terms = highlight_terms(searcher, q)
    analyzer = searcher.schema[TEXT_FIELD].analyzer
    hits = []
    for docnum, score in page:
        deadline.check()
        stored = stored_fields(searcher, docnum)
        hits.append(hit_record(stored, score, snippet(stored.get(TEXT_FIELD, ""), terms,
                                                      analyzer)))
    corrected = suggestion(searcher, q, request.q, deadline) if total < 5 else None
    return search_result(request, total, hits, facets, facet_sizes, histogram, corrected,
                         deadline.started)


def search_result(request: SearchRequest, total: int, hits: list[dict], facets: dict,
                  facet_sizes: dict, histogram, suggestion: str | None,
                  started: float) -> dict:
    """The one result shape of a search (the --json and /api/search object)."""
    return {
        "query": request.q,
        "total": total,
        "page": request.page,
        "page_size": request.page_size,
        "pages": max(1, -(-total // request.page_size)),
        "sort": request.sort,
        "hits": hits,
        "facets": facets,
        "facet_sizes": facet_sizes,
        "histogram": histogram,
        "suggestion": suggestion,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def matching(searcher, request: SearchRequest, deadline: Deadline = NO_DEADLINE
             ) -> tuple[wq.Query, MatchIndex, np.ndarray, dict[str, np.ndarray]]:
    """The parsed query, the match index, the paragraphs matching the query and the
    non-facet filters (date range, quotes only, undated, excluded values), and each active
    facet's mask: the paragraphs matching the request are base AND every facet mask."""
    q = parse_query(searcher, request.q, deadline)
    matches = match_index(searcher)
    base = matches.mask(q, deadline)
    deadline.check()
    if (dates := date_mask(matches, searcher, request)) is not None:
        base &= dates
    if request.quotes_only:
        base &= matches.mask(wq.Term(HAS_QUOTE, QUOTED))
    if request.undated_only:
        base &= matches.numbers(DATE) == _NO_DATE
    for facet in FACETS:
        if excluded := request.excluded.get(facet.name):
            base &= ~matches.mask(wq.Or([wq.Term(facet.field, value) for value in excluded]))
    filters = {facet.name: mask for facet in FACETS
               if (mask := facet.mask(matches, request)) is not None}
    return q, matches, base, filters


def matched_docnums(searcher, request: SearchRequest, limit: int
                    ) -> tuple[int, list[tuple[int, float | None]], frozenset[str]]:
    """All paragraphs a request matches (its page and page size ignored), in its order, at
    most limit of them: (total, [(docnum, score)], words to highlight)."""
    deadline = search_deadline()
    request.checked()
    q, matches, base, filters = matching(searcher, request, deadline)
    matched = _all_of(base, filters.values())
    total = int(matched.sum())
    every = dataclasses.replace(request, page=1, page_size=max(1, limit))
    if request.sort == "relevance":
        found = ranked_page(matches, q, matched, every, deadline)
    else:
        found = dated_page(matches, matched, every)
    return total, found, highlight_terms(searcher, q)


def date_histogram(matches: MatchIndex, matched: np.ndarray | Selection, total: int,
                   months: dict[str, int] | None = None) -> dict:
    """Matches per month of the document date (and per day when they all fall in one month),
    and how many have no date ("undated"); months, if given, is the month counts of matched."""
    chosen = selection(matched)
    if months is None:
        months, _ = matches.column(MONTH, MonthFacet.through).counts(chosen)
    found = {"month": dict(sorted(months.items())), "undated": total - sum(months.values())}
    if len(months) == 1:
        dates = matches.numbers(DATE)[chosen.mask]
        values, counts = np.unique(dates[dates != _NO_DATE], return_counts=True)
        found["day"] = {long_to_datetime(int(value)).date().isoformat(): int(count)
                        for value, count in zip(values, counts, strict=True)}
    return found


def _all_of(base: np.ndarray, masks: Iterable[np.ndarray]) -> np.ndarray:
    """base AND every mask; base itself (not a copy) when there are none: callers only read."""
    masks = list(masks)
    if not masks:
        return base
    result = base & masks[0]
    for mask in masks[1:]:
        result &= mask
    return result


def document_paragraphs(searcher, document_id: str) -> list[dict]:
    """Every paragraph of one document in order, as hit records; empty if there is no such id."""
    results = searcher.search(wq.Term(DOCUMENT, document_id), limit=None,
                              sortedby=sorting.FieldFacet(PARAGRAPH))
    return [hit_record(hit.fields()) for hit in results]
