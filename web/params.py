"""Search state in the URL: reading query parameters, building a SearchRequest, making links."""

from __future__ import annotations

from collections.abc import Mapping

from flask import url_for
from werkzeug.datastructures import MultiDict

from search.errors import QueryError
from search.query import MAX_PAGE, MAX_PAGE_SIZE, SORTS, SearchRequest, parse_date_bound

# Filters that may repeat (values OR together), and single-valued parameters.
LIST_PARAMS = ("speaker", "organisation", "document", "year", "month")
SCALAR_PARAMS = ("q", "from", "to", "quotes", "undated", "sort", "size", "page")
# Values left out of the results ("exclude this value"): not_speaker=NAME, and so on.
EXCLUDE_PARAMS = {"not_speaker": "speaker", "not_organisation": "organisation",
                  "not_document": "document"}
PARAMS = ("q", *LIST_PARAMS, *EXCLUDE_PARAMS, "from", "to", "quotes", "undated", "sort", "size",
          "page")
FLAG_PARAMS = ("quotes", "undated")  # on/off switches: ?quotes=1
DEFAULTS = {"sort": "relevance", "page": "1"}
MAX_VALUES = 25  # values per filter parameter
MAX_VALUE_CHARS = 300

State = dict[str, list[str]]


def read_state(args: Mapping) -> State:
    """The known parameters of a query string, cleaned: stripped, deduplicated, bounded."""
    multi = args if isinstance(args, MultiDict) else MultiDict(args)
    state: State = {}
    for name in PARAMS:
        values = []
        for raw in multi.getlist(name):
            value = str(raw).strip()[:MAX_VALUE_CHARS] if name != "q" else str(raw).strip()
            if value and value not in values:
                values.append(value)
        if name in SCALAR_PARAMS:
            values = values[:1]
        if values:
            state[name] = values[:MAX_VALUES]
    return state


def first(state: State, name: str, default: str = "") -> str:
    """The single value of a parameter, or default."""
    values = state.get(name)
    return values[0] if values else default


def _whole_number(state: State, name: str, default: int, low: int, high: int, what: str) -> int:
    text = first(state, name)
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise QueryError(f"{what} must be a whole number, not {text!r}") from None
    if not low <= number <= high:
        raise QueryError(f"{what} must be between {low} and {high}")
    return number


def search_request(state: State, default_size: int = 10) -> SearchRequest:
    """The SearchRequest for a state; QueryError names the first bad parameter."""
    sort = first(state, "sort", "relevance")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; choose one of: {', '.join(SORTS)}")
    parse_date_bound(first(state, "from") or None, end=False)
    parse_date_bound(first(state, "to") or None, end=True)
    request = SearchRequest(
        q=first(state, "q"),
        speakers=state.get("speaker", []),
        organisations=state.get("organisation", []),
        documents=state.get("document", []),
        years=state.get("year", []),
        months=state.get("month", []),
        date_from=first(state, "from") or None,
        date_to=first(state, "to") or None,
        sort=sort,
        page=_whole_number(state, "page", 1, 1, MAX_PAGE, "the page number"),
        page_size=_whole_number(state, "size", default_size, 1, MAX_PAGE_SIZE, "the page size"),
        quotes_only=flag(state, "quotes"),
        undated_only=flag(state, "undated"),
        excluded={facet: state[name] for name, facet in EXCLUDE_PARAMS.items() if state.get(name)},
    )
    return request.checked()


def flag(state: State, name: str) -> bool:
    """Whether a switch such as ?quotes= is on (1/yes/on/true; 0/no/off/false or absent not)."""
    value = first(state, name).lower()
    if value in ("", "0", "no", "off", "false"):
        return False
    if value in ("1", "yes", "on", "true"):
        return True
    raise QueryError(f"{name} must be 1 (on) or 0 (off), not {value!r}")


def state_url(state: State, endpoint: str = "search.index", **values) -> str:
    """A link to endpoint carrying the state, leaving out defaults so URLs stay short."""
    params = {name: list(state[name]) for name in PARAMS
              if state.get(name) and [DEFAULTS.get(name)] != state[name]}
    return url_for(endpoint, **values, **params)


def changed(state: State, **changes: list[str] | str | None) -> State:
    """A copy of state with some parameters replaced (None or empty removes them)."""
    new = {name: list(values) for name, values in state.items()}
    for name, value in changes.items():
        if isinstance(value, str):
            value = [value]
        if value:
            new[name] = list(value)
        else:
            new.pop(name, None)
    return new


def toggled(state: State, name: str, value: str) -> State:
    """State with one filter value added, or removed when already there; back to page 1."""
    values = list(state.get(name, []))
    if value in values:
        values.remove(value)
        new = changed(state, page=None, **{name: values})
        if name == "year":  # the months of a year go with it
            new = changed(new, month=[m for m in new.get("month", [])
                                      if not m.startswith(value + "-")])
        return new
    return changed(state, page=None, **{name: values + [value]})


def is_filtered(state: State) -> bool:
    """Whether any facet or date filter is active."""
    return any(state.get(name) for name in (*LIST_PARAMS, *EXCLUDE_PARAMS, "from", "to",
                                            *FLAG_PARAMS))
