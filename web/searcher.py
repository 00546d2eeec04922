"""The app's searchers: one per request running at the same time, so requests are independent,
and a background warmer per process that prepares each new commit before requests see it."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from flask import Flask, current_app, g, request
from whoosh.searching import Searcher

from search.errors import DocsearchError, IndexStateError
from search.index import LiveIndex, open_index, reading
from search.matches import Deadline, carry_postings, generations_freed, release_state
from search.query import SearchRequest, matching, warm_up
from search.serving import trim_heap

log = logging.getLogger(__name__)

EXTENSION = "docsearch.index"
IDLE_KEPT = 16  # searchers kept open for the next requests (waitress runs 8 threads)
POLL_S = 0.1  # how often the warmer looks for a new commit
CARRY_S = 0.25  # at most this long reading the postings the previous commit used, then
REPLAY_S = 0.5  # at most this long matching the latest searches on a new commit
RECENT_KEPT = 64  # distinct searches remembered for that
SEARCH_ENDPOINTS = frozenset({"api.search", "search.index"})


def searcher_generation(live: LiveIndex) -> int:
    """The index generation a LiveIndex's current searcher reads (-1 if unknown)."""
    return _generation_of(live._searcher)


def _generation_of(searcher) -> int:
    generation = searcher.reader().generation()
    return -1 if generation is None else generation


class Version(NamedTuple):
    """A commit the warmer has prepared: its generation, and the warmer's own searcher over
    it (kept open: through it the commit's engine state lives until requests move on)."""

    generation: int
    searcher: Searcher


def open_version(ix, version: Version) -> Searcher:
    """A new searcher (its own files) over exactly the segments of version's commit, so it
    shares the engine state the warmer built; OSError if a later commit removed them."""
    reader = version.searcher.reader()
    segments = [leaf.segment() for leaf, _offset in reader.leaf_readers()]
    segments = [segment for segment in segments if segment is not None]
    opened = type(ix)._reader(ix.storage, reader.schema, segments, reader.generation())
    return Searcher(opened, fromindex=ix)


class PooledIndex(LiveIndex):
    """A LiveIndex lent to one request at a time, which closes its old searcher when it
    moves to a new commit: the request that used the old one has ended, so nothing else
    holds it, and its files and engine state (search.matches.Generation) are freed.

    With a warmer (pool.published() is not None) it moves only to the commit the warmer
    published, which is already warm; without one it follows the index itself, warming
    each new searcher on the request path."""

    def __init__(self, index_dir: str, pool: SearcherPool):
        self._pool = pool
        version = pool.published()
        if version is None:
            super().__init__(index_dir, on_open=pool.warm)
            return
        self.index_dir = Path(index_dir)
        self._on_open = pool.warm
        self._ix = pool.index()
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        try:
            self._searcher = open_version(self._ix, version)
        except OSError:  # the commit was replaced meanwhile: open the latest, warmed here
            self._searcher = self._opened(self._ix.searcher())

    def searcher(self):
        """The current searcher (moved to the warmer's newest commit, or refreshed if the
        index changed when there is no warmer), the replaced one closed."""
        version = self._pool.published()
        if version is None:
            old = self._searcher
            current = super().searcher()
        else:
            with self._lock:
                old = current = self._searcher
                if _generation_of(old) != version.generation:
                    try:
                        current = self._searcher = open_version(self._ix, version)
                    except OSError:  # replaced by a newer commit: the warmer is on it
                        log.debug("kept the previous commit's searcher", exc_info=True)
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

    start() runs a warmer thread: when a new commit appears it opens it, builds its state
    (only new segments need work), warms the recently used postings, and only then
    publishes it; requests keep the previous commit meanwhile and never wait for it.
    Without start() every new searcher is warmed by the request that opens it. The index
    is opened on first use: a missing index is then a friendly page, not a crash.
    """

    def __init__(self, index_dir: str, warm: Callable[[Searcher], None] = warm_up,
                 poll_s: float = POLL_S):
        self.index_dir = index_dir
        self.warm = warm
        self.poll_s = poll_s
        self._idle: list[LiveIndex] = []
        self._lock = threading.Lock()
        self._ix = None
        self._version: Version | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warming = threading.Lock()  # one warm-up at a time
        self._recent: OrderedDict[bytes, SearchRequest] = OrderedDict()  # newest last

    def index(self):
        """The open index (IndexStateError while there is none)."""
        if self._ix is None:
            self._ix = open_index(Path(self.index_dir))
        return self._ix

    def published(self) -> Version | None:
        """The newest commit the warmer has prepared (None before its first)."""
        return self._version

    def start(self) -> None:
        """Prepare the current commit now (when there is an index), then warm each new
        commit in a background thread."""
        try:
            self.warm_next()
        except IndexStateError as exc:
            log.warning("no usable index at %s yet: %s", self.index_dir, exc)
        self._thread = threading.Thread(target=_follow, args=(weakref.ref(self), self._stop),
                                        name="docsearch-warmer", daemon=True)
        self._thread.start()

    def warm_next(self) -> bool:
        """If the index's latest commit is not the published one, open it, warm it and
        publish it (the previous one's searcher closed); whether it did."""
        with self._warming:
            ix = self.index()
            current = self._version
            with reading(Path(self.index_dir)):
                if current is not None and ix.latest_generation() == current.generation:
                    return False
                began = time.perf_counter()
                searcher = ix.searcher()
                try:
                    self.warm(searcher)
                    warmed = time.perf_counter()
                    carried = 0 if current is None else carry_postings(current.searcher,
                                                                       searcher, CARRY_S)
                    replayed = 0 if current is None else self.replay(searcher, REPLAY_S)
                except BaseException:
                    searcher.close()
                    raise
            self._version = Version(_generation_of(searcher), searcher)
            log.debug("published generation %d in %.3f s (warm-up %.3f s, %d terms carried, "
                      "%d searches replayed)", self._version.generation,
                      time.perf_counter() - began, warmed - began, carried, replayed)
        if current is not None:
            release_state(current.searcher)
            current.searcher.close()
        return True

    def note_search(self, key: bytes, search_request: SearchRequest) -> None:
        """Remember a search a request ran (key: its query string), for replay()."""
        with self._lock:
            self._recent[key] = search_request
            self._recent.move_to_end(key)
            while len(self._recent) > RECENT_KEPT:
                self._recent.popitem(last=False)

    def replay(self, searcher, seconds: float) -> int:
        """Match the latest searches on searcher, newest first, for at most `seconds`, so
        that what they need (postings, phrase and range results, expanded words) is in its
        engine state before requests use it; how many were matched."""
        with self._lock:
            recent = list(self._recent.values())[::-1]
        deadline = Deadline(seconds)
        done = 0
        for search_request in recent:
            if deadline.expired():
                break
            try:
                matching(searcher, search_request, deadline)
            except DocsearchError:  # a bad or (for the time left) too slow query
                continue
            done += 1
        return done

    def acquire(self) -> LiveIndex:
        """A LiveIndex for this request only; IndexStateError while there is no usable index."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return PooledIndex(self.index_dir, self)

    def release(self, live: LiveIndex) -> None:
        """Give a LiveIndex back once its request has ended; idle ones reading an older
        commit than the newest (published, or that of live) are closed, so old commits are
        not held by idle searchers."""
        version = self._version
        newest = searcher_generation(live) if version is None else version.generation
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
        """Stop the warmer and release the index files of every idle searcher and its own."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            idle, self._idle = self._idle, []
        for live in idle:
            live.close()
        with self._warming:
            version, self._version = self._version, None
        if version is not None:
            release_state(version.searcher)
            version.searcher.close()


def _follow(ref: weakref.ref, stop: threading.Event) -> None:
    """The warmer's loop; it ends with the pool (closed, or dropped with its app)."""
    while True:
        pool = ref()
        if pool is None or stop.wait(pool.poll_s):
            return
        try:
            pool.warm_next()
            if generations_freed():  # a commit's old state, once its last request ended
                trim_heap()
        except DocsearchError as exc:  # no or a damaged index: requests report it
            log.debug("the warmer could not read the index: %s", exc)
        except Exception:
            log.exception("the warmer failed; it tries again")
        del pool


def open_live_index(app: Flask) -> None:
    """Attach the app's SearcherPool (its first searcher opened now when possible, its
    warmer started) and give back the searcher of every request that borrowed one."""
    pool = SearcherPool(app.config["INDEX_DIR"])
    pool.start()
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
        pool = current_app.extensions[EXTENSION]
        if live is None:
            live = pool.acquire()
            g.docsearch_live = live
        searcher = g.docsearch_searcher = live.searcher()
        if request and request.endpoint in SEARCH_ENDPOINTS:
            _note_search(pool)
    return searcher


def _note_search(pool: SearcherPool) -> None:
    """Tell the pool the search this request runs, for its warmer to replay."""
    from web.params import read_state, search_request

    try:
        wanted = search_request(read_state(request.args), current_app.config["PAGE_SIZE"])
    except DocsearchError:  # the request itself reports it
        return
    pool.note_search(request.query_string, wanted)
