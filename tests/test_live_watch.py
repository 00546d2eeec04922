"""The watcher's part in freshness: new folders are scanned on their own (never a rescan of
the whole corpus), a one-file commit adds a segment without merging, and small segments
are merged in a commit of their own once the corpus is quiet."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from whoosh.query import Term

from search import manifest, sync, watch
from search.engine import WhooshBackend
from search.index import DOCUMENT, TEXT_FIELD, open_index
from search.sync import update_index
from search.watch import CorpusWatcher

from .waiting import wait_for


def write_doc(path: Path, title: str, words: str) -> Path:
    """A plain-text document, written beside and moved into place as a drop would be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_text(f"{title}\n\nThe council discussed {words} today.\n", "utf-8")
    part.replace(path)
    return path


def documents_with(index_dir: Path, word: str) -> set[str]:
    """Ids of the documents with word (opened again if a commit replaced the one opened)."""
    for _attempt in range(100):
        try:
            with open_index(index_dir).searcher() as searcher:
                return {hit[DOCUMENT]
                        for hit in searcher.search(Term(TEXT_FIELD, word), limit=None)}
        except FileNotFoundError:
            time.sleep(0.05)
    raise AssertionError("the index kept changing while it was opened")


def segment_count(index_dir: Path) -> int:
    return len(open_index(index_dir)._segments())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for i, word in enumerate(["harbours", "orchards", "bridges"]):
        write_doc(root / f"doc{i}.txt", f"Report {i}", word)
    return root


def recording(backend: WhooshBackend, monkeypatch) -> list:
    """The `only` argument of every sync through backend from now (None: the whole corpus)."""
    calls: list = []
    real = backend.update

    def update(*args, **kwargs):
        calls.append(kwargs.get("only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "update", update)
    return calls


def test_a_file_in_a_new_folder_is_indexed_without_rescanning_the_corpus(
        corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    backend = WhooshBackend(index_dir, wait=30)
    syncs = recording(backend, monkeypatch)
    watcher = CorpusWatcher(corpus, backend)
    watcher.start()
    try:
        write_doc(corpus / "fresh" / "deeper" / "arrival.txt", "Arrival", "lighthouses")
        wait_for(lambda: documents_with(index_dir, "lighthous"))
        assert documents_with(index_dir, "lighthous") == {"fresh/deeper/arrival.txt"}
        assert syncs[0] is None  # start(): the one whole sync
        assert syncs[1:] and all(only is not None for only in syncs[1:])
        shutil.rmtree(corpus / "fresh")
        wait_for(lambda: not documents_with(index_dir, "lighthous"))
        assert all(only is not None for only in syncs[1:])
        assert documents_with(index_dir, "harbour") == {"doc0.txt"}
    finally:
        watcher.stop()


def test_a_folder_moved_in_is_indexed_and_one_moved_out_unindexed(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    outside = tmp_path / "outside"
    write_doc(outside / "batch" / "one.txt", "One", "windmills")
    watcher = CorpusWatcher(corpus, WhooshBackend(index_dir, wait=30))
    watcher.start()
    try:
        (outside / "batch").rename(corpus / "batch")
        wait_for(lambda: documents_with(index_dir, "windmil"))
        assert documents_with(index_dir, "windmil") == {"batch/one.txt"}
        (corpus / "batch").rename(outside / "back")
        wait_for(lambda: not documents_with(index_dir, "windmil"))
    finally:
        watcher.stop()


def test_a_sync_without_merge_only_adds_a_segment(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    update_index([corpus], index_dir)
    for i in range(6):
        before = segment_count(index_dir)
        new = write_doc(corpus / f"new{i}.txt", f"New {i}", "granaries")
        update_index([corpus], index_dir, only=[new], merge=False)
        assert segment_count(index_dir) == before + 1
    assert sync.would_merge(open_index(index_dir)._segments())


def test_small_segments_are_merged_when_quiet_and_the_table_stays_valid(
        corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "MERGE_IDLE_S", 0.3)
    index_dir = tmp_path / "ix"
    watcher = CorpusWatcher(corpus, WhooshBackend(index_dir, wait=30))
    watcher.start()
    try:
        for i in range(6):
            write_doc(corpus / f"new{i}.txt", f"New {i}", f"granaries{i}x")
            wait_for(lambda i=i: documents_with(index_dir, f"granaries{i}x"))
        wait_for(lambda: watcher.merges >= 1)
        wait_for(lambda: not sync.would_merge(open_index(index_dir)._segments()))
    finally:
        watcher.stop()
    ix = open_index(index_dir)
    assert segment_count(index_dir) < 1 + 6
    table = manifest.load(index_dir, ix.latest_generation())
    assert table is not None and table.documents == sync.indexed_documents(ix)
    assert all(documents_with(index_dir, f"granaries{i}x") == {f"new{i}.txt"}
               for i in range(6))


def test_one_merge_folds_a_burst_of_one_file_commits(corpus, tmp_path):
    """Whoosh's MERGE_SMALL merges five segments a commit; after a burst of 30 one-file
    commits, one merge leaves no small segments to merge (each is files every searcher
    opens: a long-watched folder ran out of descriptors), and every document is found."""
    index_dir = tmp_path / "ix"
    update_index([corpus], index_dir)
    for i in range(30):
        new = write_doc(corpus / f"burst{i}.txt", f"Burst {i}", f"silos{i}x")
        update_index([corpus], index_dir, only=[new], merge=False)
    many = segment_count(index_dir)
    assert many >= 30
    assert sync.merge_small_segments(index_dir)
    assert segment_count(index_dir) <= 3
    assert not sync.would_merge(open_index(index_dir)._segments())
    assert all(documents_with(index_dir, f"silos{i}x") == {f"burst{i}.txt"} for i in range(30))


def test_merging_nothing_commits_nothing(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    update_index([corpus], index_dir)
    generation = open_index(index_dir).latest_generation()
    assert not sync.merge_small_segments(index_dir)
    assert open_index(index_dir).latest_generation() == generation
