"""Atom feeds of a search: the matching paragraphs indexed most recently, with stable ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from xml.etree import ElementTree as ET

import numpy as np

from search.index import HASH, INDEXED
from search.query import SearchRequest, _all_of, hit_record, matching, search_deadline

FEED_ENTRIES = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # for an index without the time
TITLE_CHARS = 90


def latest_matches(searcher, request: SearchRequest, limit: int = FEED_ENTRIES) -> list[dict]:
    """The request's matching paragraphs indexed last (a new document's come first, then in
    reading order), as hit records with their content hash and indexing time."""
    deadline = search_deadline()
    request.checked()
    _, matches, base, filters = matching(searcher, request, deadline)
    docnums = np.flatnonzero(_all_of(base, filters.values()))
    indexed = matches.numbers(INDEXED)[docnums].astype(np.int64)
    # Newest first; within one indexing time, documents and paragraphs in index order.
    order = np.lexsort((docnums, -indexed))[:limit]
    found = []
    for docnum in docnums[order]:
        stored = searcher.stored_fields(int(docnum))
        found.append({**hit_record(stored), "hash": stored.get(HASH) or "",
                      "indexed": stored.get(INDEXED)})
    return found


def entry_id(hit: dict) -> str:
    """A paragraph's stable entry id: its document, position and the document's content."""
    return f"urn:docsearch:{hit['document']}#{hit['paragraph']}:{hit.get('hash', '')}"


def _when(hit: dict) -> str:
    """When the entry last changed: when its document was indexed (stable until it changes)."""
    if hit.get("indexed"):
        moment = dt.datetime.fromtimestamp(int(hit["indexed"]) / 1e6, dt.timezone.utc)
        return moment.replace(microsecond=0).isoformat()
    return UNDATED.isoformat()


def _published(hit: dict) -> str | None:
    if not hit.get("document_date"):
        return None
    day = dt.date.fromisoformat(hit["document_date"])
    return dt.datetime.combine(day, dt.time(), dt.timezone.utc).isoformat()


def entry_title(hit: dict) -> str:
    """'Speaker: the paragraph's opening words…' (or the document title's)."""
    text = " ".join(hit.get("text", "").split())
    if len(text) > TITLE_CHARS:
        text = text[:TITLE_CHARS].rsplit(" ", 1)[0] + "\u2026"
    speakers = ", ".join(hit.get("speakers") or ())
    return f"{speakers}: {text}" if speakers else text


def atom_feed(hits: list[dict], title: str, page_url: str, self_url: str,
              link: Callable[[dict], str], now: dt.datetime | None = None) -> bytes:
    """The Atom document (UTF-8 bytes) of hits, newest first as given."""
    ET.register_namespace("", ATOM_NS)

    def add(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    add(feed, "title", title)
    add(feed, "id", self_url)
    add(feed, "link", href=self_url, rel="self")
    add(feed, "link", href=page_url, rel="alternate", type="text/html")
    updated = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    add(feed, "updated", updated.isoformat())
    add(add(feed, "author"), "name", "docsearch")
    for hit in hits:
        entry = add(feed, "entry")
        add(entry, "id", entry_id(hit))
        add(entry, "title", entry_title(hit))
        add(entry, "link", href=link(hit), rel="alternate", type="text/html")
        add(entry, "updated", _when(hit))
        if published := _published(hit):
            add(entry, "published", published)
        for name in hit.get("speakers") or ("docsearch",):
            add(add(entry, "author"), "name", name)
        add(entry, "summary", hit.get("title") or "")
        add(entry, "content", hit.get("text", ""), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
