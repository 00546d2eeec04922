"""Errors as friendly pages (JSON under /api/), each with the right HTTP status."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.errors import DocsearchError, IndexStateError, QueryError
from search.index import damaged, is_damage

TITLES = {400: "That search could not run", 404: "Not found", 405: "Method not allowed",
          500: "Something went wrong", 503: "The index is not available"}


def wants_json() -> bool:
    """Whether this request is for the JSON API."""
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, message: str):
    """A JSON error for the API, else a friendly page, with the given status."""
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    title = TITLES.get(status, "Error")
    return render_template("error.html", status=status, title=title, message=message), status


def register_error_pages(app: Flask) -> None:
    """Turn HTTP errors and docsearch's own exceptions into pages or JSON."""

    @app.errorhandler(QueryError)
    def query_error(exc: QueryError):
        return error_response(400, str(exc))

    @app.errorhandler(IndexStateError)
    def index_state_error(exc: IndexStateError):
        app.logger.error("index unavailable: %s", exc)
        return error_response(503, f"The search index is not available right now: {exc}.")

    @app.errorhandler(DocsearchError)
    def docsearch_error(exc: DocsearchError):
        return error_response(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError):
            return internal_error(exc)
        return error_response(exc.code or 500, exc.description or TITLES.get(exc.code, ""))

    @app.errorhandler(InternalServerError)
    def internal_error(exc):
        return error_response(500, "Sorry, something went wrong on our side. "
                                   "Please try again, or start a new search.")

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        if is_damage(exc):  # garbled or truncated index files, found while searching
            app.logger.debug("reading the index failed", exc_info=exc)
            return index_state_error(damaged(app.config["INDEX_DIR"], exc))
        app.logger.error("unexpected error", exc_info=exc)
        return internal_error(exc)
