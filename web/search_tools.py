"""The tools around a result list: the quotes-only switch, the API link, facet filter boxes."""

from __future__ import annotations

from flask import current_app

from search.errors import QueryError
from web.params import State, changed, flag, state_url

FACET_FILTER_FROM = 8  # a facet with more values than this gets a filter box


def quotes_toggle(state: State) -> dict:
    """The "Quotes only" switch: whether it is on and the link that flips it."""
    on = _quotes_on(state)
    return {"on": on, "url": state_url(changed(state, quotes=None if on else "1", page=None))}


def _quotes_on(state: State) -> bool:
    try:
        return flag(state, "quotes")
    except QueryError:
        return False


def search_tools(state: State) -> dict:
    """Everything the tools bar of the search page links to, for a URL state."""
    return {"quotes_toggle": quotes_toggle(state), "api_url": state_url(state, "api.search"),
            "facet_filter_from": current_app.config.get("FACET_FILTER_FROM", FACET_FILTER_FROM)}
