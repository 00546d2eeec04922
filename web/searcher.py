"""The app's searchers: one per request running at the same time, so requests are independent."""

from __future__ import annotations

import threading

from flask import Flask, current_app, g

from search.errors import IndexStateError
from search.index import LiveIndex
from search.matches import release_state
from search.query import warm_up

EXTENSION = "docsearch.index"
IDLE_KEPT = 16  # searchers kept open for the next requests (waitress runs 8 threads)


def searcher_generation(live: LiveIndex) -> int:
    """The index generation a LiveIndex's current searcher reads (-1 if unknown)."""
    generation = live._searcher.reader().generation()
    return -1 if generation is None else generation


class PooledIndex(LiveIndex):
    """A LiveIndex lent to one request at a time, which closes its old searcher when it
    moves to a new commit: the request that used the old one has ended, so nothing else
    holds it, and its files and engine state (search.matches.Generation) are freed."""

    def searcher(self):
        """The current searcher (refreshed if the index changed), the replaced one closed."""
        old = self._searcher
        current = super().searcher()
        if current is not old:
            release_state(old)
            old.close()
        return current

    def close(self) -> None:
        """Release the searcher's files and engine state."""
        release_state(self._searcher)
        super().close()


class SearcherPool:
    """LiveIndexes over the app's index, each lent to one request at a time.

    Whoosh readers are not thread-safe (a matcher seeks and reads the segment's shared
    postings file, so two threads reading through one reader can read each other's bytes),
    but separate readers are. So each request borrows a LiveIndex of its own, opening one
    when all are lent out, and a slow search stalls nobody else. The posting arrays, facet
    columns and word lists built from the readers are shared by readers over the same
    segments (search.matches.Generation), so a pool costs little more than one searcher.
    Each new searcher is warmed up (facet columns and the like) before a request uses it.
    The index is opened on first use: a missing index is then a friendly page, not a crash.
    """

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self._idle: list[LiveIndex] = []
        self._lock = threading.Lock()

    def acquire(self) -> LiveIndex:
        """A LiveIndex for this request only; IndexStateError while there is no usable index."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return PooledIndex(self.index_dir, on_open=warm_up)

    def release(self, live: LiveIndex) -> None:
        """Give a LiveIndex back once its request has ended; idle ones still reading an
        older commit than it are closed (so old commits are not held by idle searchers)."""
        newest = searcher_generation(live)
        with self._lock:
            stale = [idle for idle in self._idle if searcher_generation(idle) < newest]
            self._idle = [idle for idle in self._idle if idle not in stale]
            if len(self._idle) < IDLE_KEPT:
                self._idle.append(live)
            else:
                stale.append(live)
        for idle in stale:
            idle.close()

    def idle_count(self) -> int:
        """How many searchers wait, open, for the next requests."""
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        """Release the index files of every idle searcher."""
        with self._lock:
            idle, self._idle = self._idle, []
        for live in idle:
            live.close()


def open_live_index(app: Flask) -> None:
    """Attach the app's SearcherPool (its first searcher opened now when possible) and give
    back the searcher of every request that borrowed one."""
    pool = SearcherPool(app.config["INDEX_DIR"])
    try:
        pool.release(pool.acquire())
    except IndexStateError as exc:
        app.logger.warning("no usable index at %s yet: %s", app.config["INDEX_DIR"], exc)
    app.extensions[EXTENSION] = pool

    @app.teardown_request
    def release_searcher(_exc: BaseException | None) -> None:
        g.pop("docsearch_searcher", None)
        live = g.pop("docsearch_live", None)
        if live is not None:
            pool.release(live)


def current_searcher():
    """The searcher for this request: its own until the request ends, and the same one
    throughout (one snapshot of the index per page)."""
    searcher = g.get("docsearch_searcher")
    if searcher is None:
        live = g.get("docsearch_live")
        if live is None:
            live = current_app.extensions[EXTENSION].acquire()
            g.docsearch_live = live
        searcher = g.docsearch_searcher = live.searcher()
    return searcher
