"""View data: one function builds what a page shows; the HTML and JSON routes share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import current_app, url_for

from search.errors import QueryError
from search.query import MAX_PAGE, SORTS
from web.backend import current_backend
from web.exports import export_links
from web.facets import facet_results, month_label
from web.histogram import histogram_view
from web.params import (
    EXCLUDE_PARAMS,
    LIST_PARAMS,
    State,
    changed,
    first,
    is_filtered,
    search_request,
    state_url,
    toggled,
)
from web.query_feedback import corrected_range, query_notes
from web.quotes import quote_view
from web.search_tools import search_tools

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
CHIP_LABELS = {"speaker": "Speaker", "organisation": "Organisation", "document": "Document",
               "year": "Year", "month": "Month", "from": "From", "to": "To",
               "quotes": "Only", "undated": "Date", "not_speaker": "Not speaker",
               "not_organisation": "Not organisation", "not_document": "Not document"}


LISTS = (*LIST_PARAMS, *EXCLUDE_PARAMS)
FLAG_LABELS = {"quotes": "quoted paragraphs", "undated": "undated"}


def run_search(state: State) -> dict:
    """The search() result for a URL state; QueryError for bad parameters or queries."""
    return current_backend().search(search_request(state, current_app.config["PAGE_SIZE"]))


def title_finder(result: dict | None, state: State) -> Callable[[str], str]:
    """A function giving the title of each document a page names (the result's document
    facet and the state's document filters, looked up at once), else the id."""
    wanted = {*(result or {}).get("facets", {}).get("document", {}),
              *state.get("document", []), *state.get("not_document", [])}
    found = current_backend().titles(sorted(wanted)) if wanted else {}
    return lambda document_id: found.get(document_id) or document_id


def search_context(state: State) -> dict:
    """Everything the search page shows for a URL state, errors included as a message."""
    state, range_note = corrected_range(state)
    notes = query_notes(first(state, "q")) + ([range_note] if range_note else [])
    context = {"state": state, "q": first(state, "q"), "error": None, "result": None,
               "notes": notes,
               "filtered": is_filtered(state), "sort": first(state, "sort", "relevance"),
               "date_from": first(state, "from"), "date_to": first(state, "to"),
               "size": first(state, "size"),
               "hidden_for_query": hidden_fields(state, "q", "page"),
               "hidden_for_range": hidden_fields(state, "from", "to", "page"),
               **search_tools(state)}
    try:
        result = run_search(state)
    except QueryError as exc:
        context["error"] = str(exc)
        context["chips"] = chips(state, title_finder(None, state))
        context["clear_url"] = state_url({"q": state["q"]} if state.get("q") else {})
        context["facets"] = facets_without_query(state)
        return context
    titles = title_finder(result, state)
    config = current_app.config
    context.update(
        result=result,
        hits=[hit_view(hit, state) for hit in result["hits"]],
        facets=facet_results(result["facets"], state, titles, config["FACET_SIZE"],
                             config["FACET_MORE"], result.get("facet_sizes")),
        chips=chips(state, titles),
        clear_url=state_url({"q": state["q"]} if state.get("q") else {}),
        sorts=sort_options(state),
        pagination=pagination(state, result["page"], result["pages"]),
        suggestion_url=(state_url(changed(state, q=result["suggestion"], page=None))
                        if result["suggestion"] else None),
        first_rank=(result["page"] - 1) * result["page_size"] + 1,
        first_page_url=state_url(changed(state, page=None)),
        histogram=histogram_view(result.get("histogram"), state),
        exports=export_links(state, result["total"]),
    )
    return context


def facets_without_query(state: State) -> list[dict] | None:
    """The facets of the filters alone, so that they and the date form stay usable while the
    query cannot run; None when the filters cannot run either."""
    if not state.get("q"):
        return None
    try:
        result = run_search(changed(state, q=None, page=None))
    except QueryError:
        return None
    config = current_app.config
    return facet_results(result["facets"], state, title_finder(result, state),
                         config["FACET_SIZE"], config["FACET_MORE"], result.get("facet_sizes"))


def hidden_fields(state: State, *leave_out: str) -> list[tuple[str, str]]:
    """(name, value) pairs that carry the state through a form, minus the fields it sets."""
    return [(name, value) for name, values in state.items() if name not in leave_out
            for value in values if not (name == "sort" and value == "relevance")]


def nice_date(value: str | None) -> str:
    """An ISO date as '16 May 2017' (unchanged when it is not one)."""
    try:
        return dt.date.fromisoformat(value or "").strftime("%-d %B %Y")
    except ValueError:
        return value or ""


def person_view(name: str, hit: dict) -> dict:
    """A speaker of a hit: name, 'title, organisation' and the link to their page."""
    person = hit.get("people", {}).get(name) or {}
    role = ", ".join(v for v in (person.get("title"), person.get("organisation")) if v)
    return {"name": name, "role": role, "url": url_for("documents.speaker", name=name)}


def hit_view(hit: dict, state: State | None = None) -> dict:
    """A hit plus the links and labels the page needs (the hit itself is left untouched)."""
    state = state or {}
    return {
        "hit": hit,
        "url": paragraph_url(hit["document"], hit["paragraph"], state),
        "people": [person_view(name, hit) for name in hit["speakers"]],
        "quotes": quote_view(hit),
        "organisations": [
            {"name": org, "url": state_url(toggled(state, "organisation", org))
             if org not in state.get("organisation", []) else None}
            for org in hit["organisations"]
        ],
    }


def paragraph_url(document_id: str, paragraph: int, state: State | None = None) -> str:
    """The link to one paragraph in its document, highlighted and scrolled to; with the
    search state that led there, so the page marks its words and links back to it."""
    return state_url(state or {}, "documents.document", doc_id=document_id, hl=paragraph,
                     _anchor=f"p{paragraph}")


def chips(state: State, titles) -> list[dict]:
    """The active filters, each with a label and the link that removes it."""
    found = []
    for name in (*LIST_PARAMS, *EXCLUDE_PARAMS, "from", "to", "quotes", "undated"):
        for value in state.get(name, []):
            label = titles(value) if name in ("document", "not_document") else (
                month_label(value) if name == "month" else value)
            if name in FLAG_LABELS:
                label = FLAG_LABELS[name]
            remove = toggled(state, name, value) if name in LISTS else changed(
                state, page=None, **{name: None})
            found.append({"param": name, "kind": CHIP_LABELS[name], "label": label,
                          "value": value, "remove_url": state_url(remove)})
    return found


def sort_options(state: State, sorts=SORTS, endpoint: str = "search.index", **values) -> list[dict]:
    """The sort orders, each with its link and whether it is the current one."""
    current = first(state, "sort", sorts[0])
    return [{"value": sort, "label": SORT_LABELS[sort], "selected": sort == current,
             "url": state_url(changed(state, sort=sort, page=None), endpoint, **values)}
            for sort in sorts]


def pagination(state: State, page: int, pages: int, endpoint: str = "search.index",
               **values) -> dict:
    """Previous/next links and a window of page numbers around the current page."""
    last = min(pages, MAX_PAGE)

    def link(number: int) -> str:
        return state_url(changed(state, page=str(number) if number > 1 else None),
                         endpoint, **values)

    numbers = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    items, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            items.append({"gap": True})
        items.append({"number": number, "url": link(number), "current": number == page})
        previous = number
    return {
        "page": page,
        "pages": pages,
        "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < last else None,
        "items": items if last > 1 else [],
    }
