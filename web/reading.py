"""The document page as reached from a search: the way back, and the query's words marked."""

from __future__ import annotations

import html
from collections.abc import Mapping

from markupsafe import Markup
from whoosh import highlight

from search.errors import QueryError
from search.index import TEXT_FIELD
from search.query import MarkFormatter, highlight_terms, parse_query
from web.params import first, read_state, state_url
from web.quotes import quote_view


def reading_context(searcher, args: Mapping) -> dict:
    """The search state a document link carries: the link back to that search (None when
    there is none) and the query words to mark."""
    state = read_state(args)
    terms: frozenset[str] = frozenset()
    if q := first(state, "q"):
        try:
            terms = highlight_terms(searcher, parse_query(searcher, q))
        except QueryError:
            terms = frozenset()
    return {"back_url": state_url(state) if state else None, "terms": terms}


def marked_paragraph(para: dict, terms: frozenset[str], analyzer) -> Markup:
    """A paragraph's whole text, escaped, with the query's words in <mark> and its quotes
    emphasised."""
    text = para.get("text", "")
    marked = ""
    if terms:
        marked = highlight.highlight(text, terms, analyzer, highlight.WholeFragmenter(),
                                     MarkFormatter(), top=1)
    if not marked:
        marked = html.escape(text, quote=False)
    return quote_view({**para, "snippet": marked})["snippet"]


def analyzer_of(searcher):
    """The analyzer of the paragraph text field (to find the query's words in a paragraph)."""
    return searcher.schema[TEXT_FIELD].analyzer
