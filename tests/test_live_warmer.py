"""The background warmer: a new commit is served only once warmed, requests never wait for
it, unchanged segments' state is reused and old commits' state freed."""

from __future__ import annotations

import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search import matches
from search.index import open_index
from search.matches import match_index, segment_column
from search.query import SearchRequest, search, warm_up
from search.sync import update_index
from web.searcher import SearcherPool

from .waiting import wait_for

DEADLINE_S = 120
TOPICS = ["harbours", "orchards", "bridges", "libraries"]


def write_doc(root: Path, name: str, word: str, paragraphs: int = 1) -> None:
    """A plain-text document whose every paragraph mentions word."""
    root.mkdir(parents=True, exist_ok=True)
    body = [f"Paragraph {i} of the committee notes mentions {word} once more."
            for i in range(paragraphs)]
    (root / name).write_text("\n\n".join([f"Notes {name}", *body]) + "\n", "utf-8")


def wait_until(condition, what: str) -> None:
    wait_for(condition, DEADLINE_S, every=0.01, what=what)


def latest_generation(index_dir: Path) -> int:
    return open_index(index_dir).latest_generation()


def total(pool: SearcherPool, word: str) -> int:
    """One request's total for word, served by a borrowed searcher."""
    live = pool.acquire()
    try:
        return search(live.searcher(), SearchRequest(q=word))["total"]
    finally:
        pool.release(live)


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for i, word in enumerate(TOPICS):
        write_doc(corpus, f"base{i}.txt", word, paragraphs=8)
    update_index([corpus], index_dir)
    return corpus, index_dir


class BlockedWarm:
    """warm_up, which for commits after the first signals `entered` and waits for `go`."""

    def __init__(self):
        self.first: int | None = None
        self.entered, self.go = threading.Event(), threading.Event()

    def __call__(self, searcher) -> None:
        warm_up(searcher)
        generation = searcher.reader().generation()
        if self.first is None:
            self.first = generation
        elif generation != self.first:
            self.entered.set()
            assert self.go.wait(DEADLINE_S)


def test_a_new_commit_is_served_only_once_warmed_and_requests_do_not_wait(indexed):
    corpus, index_dir = indexed
    warm = BlockedWarm()
    pool = SearcherPool(str(index_dir), warm=warm, poll_s=0.01)
    pool.start()
    try:
        assert total(pool, "zeppelins") == 0
        write_doc(corpus, "late.txt", "zeppelins")
        update_index([corpus], index_dir)
        assert warm.entered.wait(DEADLINE_S)
        with ThreadPoolExecutor(4) as requests:  # served meanwhile, by the old commit
            totals = [requests.submit(total, pool, "zeppelins") for _ in range(8)]
            assert [found.result(timeout=DEADLINE_S) for found in totals] == [0] * 8
        assert pool.published().generation == warm.first
        warm.go.set()
        wait_until(lambda: pool.published().generation == latest_generation(index_dir),
                   "the new commit published")
        assert total(pool, "zeppelins") == 1
    finally:
        warm.go.set()
        pool.close()


def test_requests_share_the_warmed_state_and_unchanged_segments_keep_theirs(indexed):
    corpus, index_dir = indexed
    pool = SearcherPool(str(index_dir), poll_s=0.01)
    pool.start()
    try:
        assert total(pool, "harbours") == 8  # its postings are now recently used
        before = pool.published().searcher
        old_leaf = before.reader().leaf_readers()[0][0]
        old_column = segment_column(old_leaf, "document")
        old_words = matches.segment_vocabulary(old_leaf, "text")
        write_doc(corpus, "late.txt", "harbours")
        update_index([corpus], index_dir)
        wait_until(lambda: pool.published().generation == latest_generation(index_dir),
                   "the new commit published")
        after = pool.published().searcher
        same = [leaf for leaf, _ in after.reader().leaf_readers()
                if leaf.segment().segment_id() == old_leaf.segment().segment_id()]
        assert same, "the first segment was merged away; the fixture is too small"
        assert segment_column(same[0], "document") is old_column
        assert matches.segment_vocabulary(same[0], "text") is old_words
        warmed = match_index(after).shared
        assert any(field == "text" and btext.startswith(b"harbour")
                   for field, btext in warmed.postings)  # carried over, before any request
        live = pool.acquire()
        try:
            assert match_index(live.searcher()).shared is warmed
            assert search(live.searcher(), SearchRequest(q="harbours"))["total"] == 9
        finally:
            pool.release(live)
    finally:
        pool.close()


def test_old_commits_state_is_freed_once_requests_move_on(indexed):
    corpus, index_dir = indexed
    gc.collect()
    baseline = matches.live_generations()  # other tests' engine states still alive
    pool = SearcherPool(str(index_dir), poll_s=0.01)
    pool.start()
    try:
        for commit in range(5):
            borrowed = [pool.acquire() for _ in range(3)]
            for live in borrowed:
                search(live.searcher(), SearchRequest(q="airships"))
            for live in borrowed:
                pool.release(live)
            write_doc(corpus, f"new{commit}.txt", "airships")
            update_index([corpus], index_dir)
            wait_until(lambda: pool.published().generation == latest_generation(index_dir),
                       "the new commit published")
        assert total(pool, "airships") == 5  # idle searchers on old commits are closed
        gc.collect()
        assert matches.live_generations() <= baseline + 1
        assert pool.idle_count() == 1
    finally:
        pool.close()
    gc.collect()
    assert matches.live_generations() <= baseline


def test_a_new_commit_is_published_with_the_latest_searches_already_matched(indexed):
    from web import create_app
    from web.searcher import EXTENSION

    corpus, index_dir = indexed
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus),
                      "TESTING": True})
    pool = app.extensions[EXTENSION]
    try:
        client = app.test_client()
        answer = client.get("/api/search", query_string={"q": '"committee notes"'})
        assert answer.status_code == 200 and answer.get_json()["total"] == 32
        first = pool.published().generation
        write_doc(corpus, "late.txt", "harbours")
        update_index([corpus], index_dir)
        wait_until(lambda: pool.published().generation != first, "the new commit published")
        warmed = match_index(pool.published().searcher).shared
        assert any(key.startswith("Phrase('text', ['committe', 'note']")
                   for key in warmed.walks)  # matched by the warmer, before any request
        answer = client.get("/api/search", query_string={"q": '"committee notes"'})
        assert answer.get_json()["total"] == 33
    finally:
        pool.close()
