"""The document page as reached from a search: the way back, and the query's words marked."""

from __future__ import annotations

import html
from collections.abc import Mapping

from markupsafe import Markup
from whoosh import highlight

from search.errors import QueryError
from search.query import MarkFormatter
from web.params import first, read_state, state_url
from web.quotes import quote_view


def reading_context(searching, args: Mapping) -> dict:
    """The search state a document link carries: the link back to that search (None when
    there is none) and the query words to mark (searching is a search.engine searcher)."""
    state = read_state(args)
    terms: frozenset[str] = frozenset()
    if q := first(state, "q"):
        try:
            terms = searching.marked_words(q)
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
