"""The app's one long-lived searcher, shared by every request, one request at a time."""

from __future__ import annotations

import threading

from flask import Flask, current_app, g

from search.errors import IndexStateError
from search.index import LiveIndex
from search.query import warm_up

EXTENSION = "docsearch.index"


class SharedLiveIndex:
    """The app's LiveIndex, opened on first use (a missing index is then a friendly page,
    not a crash), and a lock a request holds while it uses the searcher.

    Requests take turns because Whoosh readers are not thread-safe: a matcher seeks and reads
    the segment's shared postings file, so two threads reading through one reader can read
    each other's bytes (seen under load as zlib "truncated stream" errors). One shared reader
    keeps one set of caches; with Python's GIL, little parallelism is lost. Each new
    searcher is warmed up (facet columns and the like) before a request uses it.
    """

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.lock = threading.RLock()
        self._live: LiveIndex | None = None

    def searcher(self):
        """The current searcher; IndexStateError while there is no usable index."""
        with self.lock:
            if self._live is None:
                self._live = LiveIndex(self.index_dir, on_open=warm_up)
            return self._live.searcher()

    def close(self) -> None:
        """Release the index files."""
        with self.lock:
            if self._live is not None:
                self._live.close()
                self._live = None


def open_live_index(app: Flask) -> None:
    """Attach the app's SharedLiveIndex (opened now when possible) and release its lock
    at the end of every request that took it."""
    shared = SharedLiveIndex(app.config["INDEX_DIR"])
    try:
        shared.searcher()
    except IndexStateError:
        app.logger.warning("no usable index at %s yet", app.config["INDEX_DIR"])
    app.extensions[EXTENSION] = shared

    @app.teardown_request
    def release_searcher(_exc: BaseException | None) -> None:
        if g.pop("docsearch_lock_held", False):
            shared.lock.release()


def current_searcher():
    """The searcher for this request; the request holds it until it ends."""
    shared = current_app.extensions[EXTENSION]
    if not g.get("docsearch_lock_held"):
        shared.lock.acquire()
        g.docsearch_lock_held = True
    return shared.searcher()
