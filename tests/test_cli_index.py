"""The indexing commands as a user runs them: help, `add`, `watch`, the progress bar, and a
live searcher following a watched corpus (what `serve --watch` runs)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.query import Term

from search.cli import progress_line
from search.engine import WhooshBackend
from search.index import DOCUMENT, TEXT_FIELD, LiveIndex, open_index
from search.watch import CorpusWatcher

from .waiting import wait_for

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "search.cli"]


def docsearch(*args: str | Path) -> subprocess.CompletedProcess:
    """Run the real CLI in a new process."""
    return subprocess.run([*CLI, *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=60)


def write_doc(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A plain-text document: title line, then blank-line separated paragraphs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    return path


def documents_with(index_dir: Path, word: str) -> dict[str, int]:
    """Paragraph counts per document among paragraphs containing word."""
    counts: dict[str, int] = {}
    with open_index(index_dir).searcher() as searcher:
        for hit in searcher.search(Term(TEXT_FIELD, word), limit=None):
            counts[hit[DOCUMENT]] = counts.get(hit[DOCUMENT], 0) + 1
    return counts



@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder with one document."""
    root = tmp_path / "corpus"
    write_doc(root / "first.txt", "First", ["Firstword said the minister.", "Firstword again."])
    return root


def test_help_shows_the_indexing_commands_and_options():
    index_help = docsearch("index", "--help").stdout
    for option in ("--index DIR", "--rebuild", "--wait SECONDS", "PATH"):
        assert option in index_help
    assert "--corpus DIR" in docsearch("add", "--help").stdout
    assert "--corpus DIR" in docsearch("watch", "--help").stdout
    assert "--watch" in docsearch("serve", "--help").stdout


def test_add_copies_into_the_corpus_and_indexes(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    outside = write_doc(tmp_path / "inbox" / "memo.txt", "Memo", ["Memoword one.", "Memoword two."])
    result = docsearch("add", outside, "--corpus", corpus, "--index", index_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 1, updated 0, removed 0, unchanged 0")
    assert (corpus / "memo.txt").read_bytes() == outside.read_bytes()
    assert documents_with(index_dir, "memoword") == {"memo.txt": 2}
    # The same file again is a no-op; a different file under the same name is refused.
    assert docsearch("add", outside, "--corpus", corpus, "--index", index_dir).stdout.startswith(
        "added 0, updated 0, removed 0, unchanged 1")
    clash = write_doc(tmp_path / "elsewhere" / "memo.txt", "Other memo", ["Otherword."])
    refused = docsearch("add", clash, "--corpus", corpus, "--index", index_dir)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"docsearch: error: {corpus / 'memo.txt'} already exists with different content; "
        f"rename {clash} or remove {corpus / 'memo.txt'} first")
    assert documents_with(index_dir, "otherword") == {}
    # A full index run afterwards agrees: the corpus is the source of truth.
    assert docsearch("index", corpus, "--index", index_dir).stdout.startswith(
        "added 0, updated 0, removed 0, unchanged 2")


def test_add_skips_unreadable_files_without_copying_them(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    good = write_doc(tmp_path / "good.txt", "Good", ["Goodword."])
    result = docsearch("add", empty, good, "--corpus", corpus, "--index", index_dir)
    assert result.returncode == 0
    assert f"skipped: {empty}: empty file" in result.stderr
    assert not (corpus / "empty.txt").exists()
    assert documents_with(index_dir, "goodword") == {"good.txt": 1}
    only_bad = docsearch("add", empty, "--corpus", corpus, "--index", index_dir)
    assert only_bad.returncode == 2


def test_watch_indexes_new_changed_and_deleted_files(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    watch = subprocess.Popen([*CLI, "watch", "--corpus", str(corpus), "--index", str(index_dir)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "watching" in watch.stderr.readline() or "watching" in watch.stderr.readline()
        assert documents_with(index_dir, "firstword") == {"first.txt": 2}

        write_doc(corpus / "news" / "dropped.txt", "Dropped", ["Dropword here."])
        wait_for(lambda: documents_with(index_dir, "dropword"))

        write_doc(corpus / "first.txt", "First", ["Changedword."])
        wait_for(lambda: documents_with(index_dir, "changedword"))
        assert documents_with(index_dir, "firstword") == {}

        (corpus / "news" / "dropped.txt").rename(corpus / "moved.txt")
        wait_for(lambda: documents_with(index_dir, "dropword") == {"moved.txt": 1})
        (corpus / "moved.txt").unlink()
        wait_for(lambda: not documents_with(index_dir, "dropword"))
    finally:
        watch.terminate()
        out, _ = watch.communicate(timeout=10)
    assert "added 1, updated 0, removed 0" in out


def test_a_live_searcher_follows_a_watched_corpus(corpus: Path, tmp_path: Path):
    """What `docsearch serve --watch` runs: the watcher thread plus the app's LiveIndex."""
    index_dir = tmp_path / "ix"
    watcher = CorpusWatcher(corpus, WhooshBackend(index_dir))
    watcher.start()
    live = LiveIndex(index_dir)
    try:
        first = live.searcher()
        write_doc(corpus / "late.txt", "Late", ["Lateword arrives."])

        def seen():
            return live.searcher().search(Term(TEXT_FIELD, "lateword")).scored_length()

        wait_for(seen)
        assert live.searcher() is not first
    finally:
        live.close()
        watcher.stop()


def test_progress_bar_on_a_terminal_only(corpus: Path, tmp_path: Path):
    for n in range(30):
        write_doc(corpus / f"bulk{n:02d}.txt", f"Bulk {n}", [f"Bulkword {n}."])
    controller, terminal = pty.openpty()
    run = subprocess.Popen([*CLI, "index", str(corpus), "--index", str(tmp_path / "tty")],
                           cwd=REPO, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    out, _ = run.communicate(timeout=60)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert b"31/31 documents" in shown and b"paragraphs/s" in shown
    assert out.startswith(b"added 31")
    quiet = docsearch("index", corpus, "--index", tmp_path / "log")
    assert "documents" not in quiet.stderr and "\r" not in quiet.stderr


def test_progress_line_reads_well():
    assert progress_line(120, 300, 4200, 2.0) == (
        "[#########...............] 120/300 documents  2,100 paragraphs/s  ETA 0:03  ")
    assert progress_line(5, 5, 10, 1.25).endswith("done in 1.2s  ")
