"""What the pages search: one search.engine searcher for the Whoosh index or the shards."""

from __future__ import annotations

from flask import current_app

from search.engine import Searching, WhooshSearching
from web.searcher import current_searcher


def current_backend() -> Searching:
    """The app's SEARCH_BACKEND (a search.engine searcher, such as the sharded index's), else
    the Whoosh index through this request's own searcher (one snapshot per page)."""
    if (backend := current_app.config.get("SEARCH_BACKEND")) is not None:
        return backend
    return WhooshSearching(current_app.config["INDEX_DIR"], current=current_searcher)
