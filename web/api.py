"""The JSON API: the same parameters as the pages, the same data as `docsearch query --json`."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from web.documents import document_data
from web.params import read_state
from web.views import run_search

bp = Blueprint("api", __name__)


@bp.get("/search")
def search():
    """search() for the URL's parameters, as JSON; a QueryError is a 400 with an error message."""
    return jsonify(run_search(read_state(request.args)))


@bp.get("/documents/<anypath:doc_id>")
def document(doc_id: str):
    """One document with all its paragraphs, as JSON; 404 when it is not indexed."""
    data = document_data(doc_id)
    if data is None:
        abort(404, description=f"There is no document {doc_id!r} in the index.")
    return jsonify(data)
