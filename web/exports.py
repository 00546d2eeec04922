"""Exports of the current search (CSV, JSON Lines) and its Atom feed, for pages and the API."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, url_for

from search.errors import QueryError
from search.export import EXPORT_LIMIT, FORMATS, Export, export_row, export_text
from search.feed import FEED_ENTRIES, atom_feed
from web.backend import current_backend
from web.params import changed, read_state, search_request, state_url

bp = Blueprint("exports", __name__)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
ATOM = "application/atom+xml; charset=utf-8"


def absolute_link(hit: dict) -> str:
    """The full address of a hit's paragraph on this server."""
    number = hit["paragraph"]
    return url_for("documents.document", doc_id=hit["document"], hl=number,
                   _anchor=f"p{number}", _external=True)


def export_response(fmt: str) -> Response:
    """The current search's matches (at most EXPORT_LIMIT) as a download in fmt."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    state = read_state(request.args)
    wanted = search_request(state, current_app.config["PAGE_SIZE"])
    total, hits = current_backend().matches(wanted, EXPORT_LIMIT)
    export = Export(total, [export_row(hit, absolute_link) for hit in hits], EXPORT_LIMIT)
    response = Response(export_text(export, fmt), mimetype=MEDIA_TYPES[fmt].split(";")[0])
    response.headers["Content-Type"] = MEDIA_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="docsearch-export.{fmt}"'
    response.headers["X-Docsearch-Total"] = str(export.total)
    response.headers["X-Docsearch-Exported"] = str(len(export.rows))
    response.headers["X-Docsearch-Export-Limit"] = str(EXPORT_LIMIT)
    return response


@bp.get("/export.<fmt>")
def export(fmt: str):
    """/export.csv and /export.jsonl: the page's search as a file (the page's parameters)."""
    if fmt not in FORMATS:
        abort(404)
    return export_response(fmt)


@bp.get("/api/export")
def api_export():
    """The API's export: ?format=csv|jsonl (default jsonl) plus the search parameters."""
    return export_response(request.args.get("format", "jsonl"))


@bp.get("/search.atom")
def feed():
    """An Atom feed of the search: the paragraphs indexed most recently first, stable ids."""
    state = read_state(request.args)
    wanted = search_request(state, current_app.config["PAGE_SIZE"])
    entries = current_backend().latest(wanted, FEED_ENTRIES)
    page = state_url(changed(state, page=None), _external=True)
    body = atom_feed(entries, title=feed_title(state), page_url=page, self_url=request.url,
                     link=absolute_link)
    return Response(body, content_type=ATOM)


def feed_title(state: dict) -> str:
    """The feed's title: what the search is for."""
    parts = [f"“{state['q'][0]}”"] if state.get("q") else []
    for name in ("speaker", "organisation"):
        parts += state.get(name, [])
    return "docsearch: " + (", ".join(parts) if parts else "all paragraphs")


def export_links(state: dict, total: int) -> dict:
    """The page's links to its export and feed, with the export bound stated."""
    state = changed(state, page=None, size=None)
    return {"csv_url": state_url(state, "exports.export", fmt="csv"),
            "jsonl_url": state_url(state, "exports.export", fmt="jsonl"),
            "feed_url": state_url(state, "exports.feed"),
            "limit": EXPORT_LIMIT, "bounded": total > EXPORT_LIMIT}
