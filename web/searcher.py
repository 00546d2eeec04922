"""The app's one long-lived searcher, shared by every request."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from search.errors import IndexStateError
from search.index import LiveIndex

EXTENSION = "docsearch.index"


class LazyLiveIndex:
    """A LiveIndex opened on first use, so a missing index is a friendly page, not a crash."""

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self._live: LiveIndex | None = None
        self._lock = threading.Lock()

    def searcher(self):
        """The current searcher; IndexStateError while there is no usable index."""
        with self._lock:
            if self._live is None:
                self._live = LiveIndex(self.index_dir)
            live = self._live
        return live.searcher()

    def close(self) -> None:
        """Release the index files, if they were opened."""
        with self._lock:
            if self._live is not None:
                self._live.close()
                self._live = None


def open_live_index(app: Flask) -> None:
    """Attach the app's LazyLiveIndex; opened now when possible, else on the first request."""
    live = LazyLiveIndex(app.config["INDEX_DIR"])
    try:
        live.searcher()
    except IndexStateError:
        app.logger.warning("no usable index at %s yet", app.config["INDEX_DIR"])
    app.extensions[EXTENSION] = live


def current_searcher():
    """The searcher of the app handling this request."""
    return current_app.extensions[EXTENSION].searcher()
