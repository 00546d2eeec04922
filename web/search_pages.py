"""The search page: query box, results, facets, chips, sort and pagination."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from web.params import read_state
from web.views import search_context

bp = Blueprint("search", __name__)


@bp.get("/")
def index():
    """Search results for the URL's query and filters (all paragraphs when there are none)."""
    return render_template("search.html", **search_context(read_state(request.args)))
