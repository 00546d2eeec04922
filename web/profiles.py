"""Speaker and organisation profiles: timelines, affiliations, and the organisation pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from search.errors import QueryError
from web.backend import current_backend
from web.histogram import histogram_view
from web.params import first, read_state, search_request, state_url
from web.quotes import whole_quote_view
from web.views import pagination, paragraph_url, person_view, sort_options

bp = Blueprint("organisations", __name__)
ORGANISATION_PAGE_SIZE = 25
PROFILE_SORTS = ("newest", "oldest")


def speaker_profile(name: str, result: dict) -> dict:
    """What a speaker page adds to their statements: a timeline per month (each bar a search
    of what they said then) and the organisations they spoke for."""
    spoke_for = current_backend().affiliations(name)
    return {
        "timeline": histogram_view(result.get("histogram"), {"speaker": [name]}),
        "spoke_for": [{"name": org, "count": count,
                       "url": url_for("organisations.organisation", name=org)}
                      for org, count in spoke_for["values"]],
        "spoke_for_bound": spoke_for,
    }


@bp.get("/organisations/<anypath:name>")
def organisation(name: str):
    """An organisation: who spoke for it, when it was named, and the paragraphs naming it."""
    args = read_state(request.args)
    state = {key: args[key] for key in ("sort", "page") if key in args}
    try:
        if first(state, "sort", "newest") not in PROFILE_SORTS:
            raise QueryError("an organisation's paragraphs sort by date: newest or oldest")
        wanted = search_request({**state, "organisation": [name],
                                 "size": [str(ORGANISATION_PAGE_SIZE)]})
    except QueryError as exc:
        return render_template("organisation.html", name=name, error=str(exc))
    wanted.sort = first(state, "sort", "newest")
    backend = current_backend()
    result = backend.search(wanted)
    if result["total"] == 0:
        abort(404, description=f"No indexed paragraph names the organisation {name!r}.")
    people = backend.spokespeople(name)
    items = [{"hit": hit, "url": paragraph_url(hit["document"], hit["paragraph"]),
              "people": [person_view(other, hit) for other in hit["speakers"]],
              "quotes": whole_quote_view(hit)} for hit in result["hits"]]
    return render_template(
        "organisation.html", name=name, result=result, items=items, error=None,
        spokespeople=[{**person_view(person, {}), "count": count, "title": title}
                      for person, count, title in people["values"]],
        people_bound=people,
        documents=result.get("facet_sizes", {}).get("document",
                                                    len(result["facets"].get("document", {}))),
        timeline=histogram_view(result.get("histogram"), {"organisation": [name]}),
        search_url=state_url({"organisation": [name]}),
        pagination=pagination(state, result["page"], result["pages"],
                              "organisations.organisation", name=name),
        sorts=sort_options(state, PROFILE_SORTS, "organisations.organisation", name=name))
