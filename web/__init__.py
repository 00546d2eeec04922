"""The docsearch web app: search page, documents, speakers and a JSON API over one index."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.routing import PathConverter

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


MAX_REQUEST_BYTES = 64 * 1024  # every page is a GET: a request body is never needed
SERVER_OPTIONS = {"max_request_body_size": MAX_REQUEST_BYTES, "ident": "docsearch"}  # waitress


class DocumentIdConverter(PathConverter):
    """A path that may hold any character, newlines and other control characters included
    (a file's name can), so that every indexed document is reachable from its link."""

    regex = "[^/](?s:.)*?"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then test_config on top, then the index and the blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("DOCSEARCH_INDEX", "index"),
        CORPUS_DIR="corpus",
        FACET_SIZE=10,
        FACET_MORE=100,
        PAGE_SIZE=10,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # facet counts are ordered most frequent first

    from web.errors import register_error_pages
    from web.searcher import open_live_index
    from web.views import nice_date

    app.url_map.converters["anypath"] = DocumentIdConverter
    if app.config.get("SEARCH_BACKEND") is None:  # else the backend follows its own index
        open_live_index(app)
    register_error_pages(app)
    app.after_request(_security_headers)
    app.add_template_filter(nice_date)

    from web import api, documents, exports, profiles, search_pages

    app.register_blueprint(search_pages.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    return app


def _security_headers(response):
    """Every response forbids inline script and style, framing and MIME sniffing."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
