"""Engine state per segment, kept across commits; old searchers and engine states freed
however many commits come."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from search import matches
from search.index import LiveIndex, open_index
from search.matches import match_index, segment_column
from search.query import SearchRequest, search
from search.sync import update_index
from web.searcher import SearcherPool

TOPICS = ["harbours", "orchards", "bridges", "libraries", "tramways", "observatories"]


def write_doc(root: Path, name: str, word: str, paragraphs: int = 1) -> Path:
    """A plain-text document whose every paragraph mentions word."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [f"Paragraph {i} of the council minutes mentions {word} again." for i in
            range(paragraphs)]
    path.write_text("\n\n".join([f"Minutes {name}", *body]) + "\n", "utf-8")
    return path


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus whose first segment is large enough not to be merged by later commits."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for i, word in enumerate(TOPICS):
        write_doc(corpus, f"base{i}.txt", word, paragraphs=8)
    update_index([corpus], index_dir)
    return corpus, index_dir


@pytest.fixture(autouse=True)
def refresh_at_once(monkeypatch):
    monkeypatch.setattr(LiveIndex, "CHECK_EVERY_S", 0.0)


def segment_ids(index_dir: Path) -> set[str]:
    ix = open_index(index_dir)
    with ix.reader() as reader:
        return {leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers()}


def test_a_commit_reuses_the_arrays_of_unchanged_segments(indexed):
    corpus, index_dir = indexed
    first = open_index(index_dir).searcher()
    old_matches = match_index(first)
    old_leaf = first.reader().leaf_readers()[0][0]
    before = old_matches.postings("text", "harbour")
    old_column = segment_column(old_leaf, "document")
    write_doc(corpus, "late.txt", "harbours")
    update_index([corpus], index_dir)
    second = open_index(index_dir).searcher()
    leaves = second.reader().leaf_readers()
    assert old_leaf.segment().segment_id() in {leaf.segment().segment_id() for leaf, _ in leaves}
    hits, misses = matches.SEGMENT_CACHE.hits, matches.SEGMENT_CACHE.misses
    after = match_index(second).postings("text", "harbour")
    assert matches.SEGMENT_CACHE.hits - hits == 1  # the old segment's arrays
    assert matches.SEGMENT_CACHE.misses - misses == len(leaves) - 1  # only new ones read
    assert len(after.ids) == len(before.ids) + 1
    same = next(leaf for leaf, _ in leaves
                if leaf.segment().segment_id() == old_leaf.segment().segment_id())
    assert segment_column(same, "document") is old_column
    first.close()
    second.close()


def test_commits_do_not_pile_up_searchers_or_engine_states(indexed):
    corpus, index_dir = indexed
    # Other tests in this process may hold engine states and cached segments of their own
    # indexes: count against what is alive before this test.
    gc.collect()
    baseline, others = matches.live_generations(), matches.SEGMENT_CACHE.segments()
    pool = SearcherPool(str(index_dir))
    counts = []
    try:
        for commit in range(8):
            write_doc(corpus, f"new{commit}.txt", "zeppelins")
            update_index([corpus], index_dir)
            borrowed = [pool.acquire() for _ in range(3)]  # three requests at once
            for live in borrowed:
                result = search(live.searcher(), SearchRequest(q="zeppelins"))
                assert result["total"] == commit + 1
            for live in borrowed:
                pool.release(live)
            gc.collect()
            counts.append(matches.live_generations())
            assert matches.SEGMENT_CACHE.segments() - others <= segment_ids(index_dir)
        assert max(counts) <= 1 + counts[0]
        assert counts[-1] <= counts[0]
        assert pool.idle_count() <= 3
    finally:
        pool.close()
    gc.collect()
    assert matches.live_generations() <= baseline


def test_idle_searchers_on_an_old_commit_are_closed(indexed):
    corpus, index_dir = indexed
    pool = SearcherPool(str(index_dir))
    try:
        first, second = pool.acquire(), pool.acquire()
        for live in (first, second):
            match_index(live.searcher())
        pool.release(first)
        write_doc(corpus, "another.txt", "airships")
        update_index([corpus], index_dir)
        search(second.searcher(), SearchRequest(q="airships"))
        pool.release(second)  # reads the new commit: the idle one on the old commit goes
        assert pool.idle_count() == 1
        assert pool.acquire() is second
        pool.release(second)
    finally:
        pool.close()


def test_derived_arrays_are_written_beside_segments_and_read_back(indexed, monkeypatch):
    _corpus, index_dir = indexed
    searcher = open_index(index_dir).searcher()
    leaf = searcher.reader().leaf_readers()[0][0]
    built = segment_column(leaf, "document")
    words = matches.segment_vocabulary(leaf, "text")
    segment_id = leaf.segment().segment_id()
    assert any(p.name.startswith(f"{segment_id}.{matches.DERIVED_PREFIX}")
               for p in index_dir.iterdir())
    matches._SEGMENT_COLUMNS.clear()  # as in a process started later
    matches._SEGMENT_VOCABULARIES.clear()

    def never(*_args):
        raise AssertionError("read the segment again instead of its derived files")

    monkeypatch.setattr(matches, "_read_segment_column", never)
    monkeypatch.setattr(matches, "_read_vocabulary", never)
    again = segment_column(leaf, "document")
    assert again.values == built.values
    assert again.docs.tolist() == built.docs.tolist()
    assert again.ids.tolist() == built.ids.tolist()
    assert matches.segment_vocabulary(leaf, "text") == words
    searcher.close()


def test_derived_files_go_with_their_segment(indexed):
    corpus, index_dir = indexed
    with open_index(index_dir).searcher() as searcher:
        from search.query import warm_up
        warm_up(searcher)
    update_index([corpus], index_dir, rebuild=True)  # every old segment replaced
    current = segment_ids(index_dir)
    derived = {p.name.split(".")[0] for p in index_dir.iterdir()
               if f".{matches.DERIVED_PREFIX}" in p.name}
    assert derived <= current


def test_a_commit_writes_the_derived_files_of_its_new_segments(indexed):
    corpus, index_dir = indexed
    write_doc(corpus, "fresh.txt", "gondolas")
    update_index([corpus], index_dir)
    for segment_id in segment_ids(index_dir):
        names = {p.name for p in index_dir.iterdir() if p.name.startswith(segment_id + ".")}
        assert f"{segment_id}.{matches.DERIVED_PREFIX}speaker_column.json" in names
        assert f"{segment_id}.{matches.DERIVED_PREFIX}text_words.json" in names
