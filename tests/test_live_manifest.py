"""The document table written with each commit, and the sync fast path it allows: a sync
hashes only the files whose size or modification time changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from whoosh.query import Term

from search import manifest, sync
from search.index import DOCUMENT, open_index
from search.sync import update_index

HOUR_NS = 3600 * 10**9
INDEX_SCAN = sync.indexed_documents  # the slow path, kept before tests forbid it


def write_doc(path: Path, title: str, words: str, age_ns: int = HOUR_NS) -> Path:
    """A plain-text document whose modification time lies age_ns in the past."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\nThe committee discussed {words} at length.\n", "utf-8")
    stamp = time.time_ns() - age_ns
    os.utime(path, ns=(stamp, stamp))
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for i, word in enumerate(["harbours", "orchards", "bridges", "libraries", "tramways"]):
        write_doc(root / f"doc{i}.txt", f"Report {i}", word)
    return root


@pytest.fixture
def counted(monkeypatch) -> list[Path]:
    """Paths content-hashed by the fast path; the slow whole-index read is forbidden."""
    seen: list[Path] = []
    real = manifest.content_hash

    def counting(path: Path) -> str:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(manifest, "content_hash", counting)
    return seen


def documents_with(index_dir: Path, word: str) -> set[str]:
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return {hit[DOCUMENT] for hit in searcher.search(Term("text", word), limit=None)}


def forbid_index_scan(monkeypatch) -> None:
    def refuse(ix):
        raise AssertionError("the sync read every document's stored fields")
    monkeypatch.setattr(sync, "indexed_documents", refuse)


def test_a_commit_writes_the_table_of_its_generation(corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    ix = open_index(index_dir)
    table = manifest.load(index_dir, ix.latest_generation())
    assert table is not None
    assert table.documents == sync.indexed_documents(ix)
    assert set(table.stats) == {f"doc{i}.txt" for i in range(5)}
    assert manifest.load(index_dir, ix.latest_generation() + 1) is None


def test_syncing_one_changed_file_hashes_only_that_file(corpus, tmp_path, counted,
                                                        monkeypatch):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    changed = write_doc(corpus / "doc2.txt", "Report 2", "viaducts", age_ns=HOUR_NS // 2)
    counted.clear()
    forbid_index_scan(monkeypatch)
    report = update_index([corpus], index_dir, only=[changed])
    assert counted == [changed]
    assert report.updated == 1
    assert documents_with(index_dir, "viaduct") == {"doc2.txt"}
    assert documents_with(index_dir, "bridg") == set()


def test_a_full_sync_rehashes_only_files_whose_stat_changed(corpus, tmp_path, counted,
                                                            monkeypatch):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    counted.clear()
    forbid_index_scan(monkeypatch)
    assert update_index([corpus], index_dir).unchanged == 5
    assert counted == []
    changed = write_doc(corpus / "doc4.txt", "Report 4", "ferries", age_ns=HOUR_NS // 3)
    (corpus / "doc0.txt").unlink()
    added = write_doc(corpus / "doc9.txt", "Report 9", "lighthouses")
    report = update_index([corpus], index_dir)
    assert sorted(counted) == sorted([changed, added])
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert documents_with(index_dir, "ferri") == {"doc4.txt"}
    assert documents_with(index_dir, "harbour") == set()
    ix = open_index(index_dir)
    assert manifest.load(index_dir, ix.latest_generation()).documents == INDEX_SCAN(ix)


def test_the_table_matches_the_index_after_changes(corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    write_doc(corpus / "doc1.txt", "Report 1", "canals", age_ns=HOUR_NS // 4)
    (corpus / "doc3.txt").unlink()
    write_doc(corpus / "sub" / "new.txt", "Report new", "aqueducts")
    update_index([corpus], index_dir, only=[corpus / "doc1.txt", corpus / "doc3.txt"])
    update_index([corpus], index_dir)
    ix = open_index(index_dir)
    table = manifest.load(index_dir, ix.latest_generation())
    assert table.documents == sync.indexed_documents(ix)
    assert "doc3.txt" not in table.stats and "sub/new.txt" in table.documents


def test_a_recently_modified_file_is_hashed_again_despite_equal_stat(tmp_path, counted):
    corpus = tmp_path / "corpus"
    fresh = write_doc(corpus / "fresh.txt", "Fresh", "meadows", age_ns=0)
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    before = os.stat(fresh)
    fresh.write_text(fresh.read_text("utf-8").replace("meadows", "marshes"), "utf-8")
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    counted.clear()
    report = update_index([corpus], index_dir)
    assert counted == [fresh]
    assert report.updated == 1
    assert documents_with(index_dir, "marsh") == {"fresh.txt"}


def test_a_stale_or_damaged_table_falls_back_to_the_index(corpus, tmp_path, counted):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    (index_dir / manifest.MANIFEST_FILE).write_text("{not json", "utf-8")
    counted.clear()
    assert update_index([corpus], index_dir).unchanged == 5
    assert len(counted) == 5  # nothing to trust: every file is hashed once more
    ix = open_index(index_dir)
    assert manifest.load(index_dir, ix.latest_generation()) is not None  # and rewritten
    counted.clear()
    assert update_index([corpus], index_dir).unchanged == 5
    assert counted == []


def test_a_segment_rewritten_since_the_table_is_not_trusted(corpus, tmp_path, counted):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    ix = open_index(index_dir)
    assert manifest.load(index_dir, ix.latest_generation()) is not None
    segment_file = next(p for p in index_dir.iterdir() if p.suffix == ".seg")
    stamp = segment_file.stat().st_mtime_ns + 10**9
    os.utime(segment_file, ns=(stamp, stamp))  # as when its bytes are overwritten
    assert manifest.load(index_dir, ix.latest_generation()) is None
    counted.clear()
    assert update_index([corpus], index_dir).unchanged == 5
    assert len(counted) == 5


def table_identity(index_dir: Path) -> tuple[int, int]:
    st = os.stat(index_dir / manifest.MANIFEST_FILE)
    return st.st_ino, st.st_mtime_ns


def test_a_one_file_sync_appends_to_the_journal_instead_of_rewriting_the_table(
        corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    whole = table_identity(index_dir)
    changed = write_doc(corpus / "doc1.txt", "Report 1", "canals", age_ns=HOUR_NS // 4)
    (corpus / "doc3.txt").unlink()
    added = write_doc(corpus / "doc7.txt", "Report 7", "ferries")
    forbid_index_scan(monkeypatch)
    for path in (changed, corpus / "doc3.txt", added):
        update_index([corpus], index_dir, only=[path])
    assert table_identity(index_dir) == whole  # never written again
    lines = (index_dir / manifest.JOURNAL_FILE).read_text("utf-8").splitlines()
    assert len(lines) == 3
    manifest._WRITTEN.clear()  # as another process would: read the table and its journal
    ix = open_index(index_dir)
    table = manifest.load(index_dir, ix.latest_generation())
    assert table.documents == INDEX_SCAN(ix)
    assert "doc3.txt" not in table.documents and "doc3.txt" not in table.stats
    assert set(table.stats) == {"doc0.txt", "doc1.txt", "doc2.txt", "doc4.txt", "doc7.txt"}


def test_a_long_journal_is_folded_into_the_table(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    monkeypatch.setattr(manifest, "JOURNAL_SHARE", 0.0)  # any journal counts as long
    monkeypatch.setattr(manifest, "JOURNAL_MIN_BYTES", 0)
    whole = table_identity(index_dir)
    update_index([corpus], index_dir, only=[write_doc(corpus / "a.txt", "A", "kilns")])
    assert table_identity(index_dir) == whole and (index_dir / manifest.JOURNAL_FILE).exists()
    update_index([corpus], index_dir, only=[write_doc(corpus / "b.txt", "B", "looms")])
    assert table_identity(index_dir) != whole
    assert not (index_dir / manifest.JOURNAL_FILE).exists()
    manifest._WRITTEN.clear()
    ix = open_index(index_dir)
    assert manifest.load(index_dir, ix.latest_generation()).documents == INDEX_SCAN(ix)


def test_a_torn_journal_line_is_not_trusted(corpus, tmp_path, counted):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    update_index([corpus], index_dir, only=[write_doc(corpus / "a.txt", "A", "kilns")])
    journal = index_dir / manifest.JOURNAL_FILE
    journal.write_bytes(journal.read_bytes()[:-20])  # as a crash mid-append leaves it
    manifest._WRITTEN.clear()
    ix = open_index(index_dir)
    assert manifest.load(index_dir, ix.latest_generation()) is None
    counted.clear()
    assert update_index([corpus], index_dir).unchanged == 6
    assert len(counted) == 6  # read from the index once, then trusted again
    assert manifest.load(index_dir, ix.latest_generation()).documents == INDEX_SCAN(ix)


def test_a_folder_path_syncs_the_documents_under_it(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    write_doc(corpus / "new" / "deep" / "one.txt", "One", "quarries")
    write_doc(corpus / "new" / "two.txt", "Two", "quarries")
    forbid_index_scan(monkeypatch)
    report = update_index([corpus], index_dir, only=[corpus / "new"])
    assert report.added == 2
    assert documents_with(index_dir, "quarri") == {"new/deep/one.txt", "new/two.txt"}
    (corpus / "new" / "two.txt").unlink()
    (corpus / "new" / "deep" / "one.txt").unlink()
    (corpus / "new" / "deep").rmdir()
    (corpus / "new").rmdir()
    report = update_index([corpus], index_dir, only=[corpus / "new"])
    assert report.removed == 2 and documents_with(index_dir, "quarri") == set()
    assert documents_with(index_dir, "harbour") == {"doc0.txt"}  # the rest untouched
