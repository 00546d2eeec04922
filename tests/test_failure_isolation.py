"""Failures stay small: one bad document is skipped and named, a full disk is one line and
leaves nothing behind, a file changed mid-run is re-indexed, a closed pipe is quiet."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term

import search.documents
import search.index
import search.records
import search.sync
from search import watch
from search.cli import main
from search.engine import WhooshBackend
from search.index import DOCUMENT, TEXT_FIELD, open_index
from search.sync import update_index
from search.watch import CorpusWatcher

from .waiting import wait_for

REPO = Path(__file__).resolve().parents[1]


def write_doc(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A plain-text document: title line, then blank-line separated paragraphs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    return path


def documents_with(index_dir: Path, word: str) -> set[str]:
    """Ids of documents with a paragraph containing word."""
    with open_index(index_dir).searcher() as searcher:
        return {hit[DOCUMENT] for hit in searcher.search(Term(TEXT_FIELD, word), limit=None)}



@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two good documents and one that will blow up when read."""
    root = tmp_path / "corpus"
    write_doc(root / "good.txt", "Good", ["Goodword said the mayor."])
    write_doc(root / "other.txt", "Other", ["Otherword said the clerk."])
    write_doc(root / "bad.txt", "Bad", ["Badword never makes it."])
    return root


class Explosive:
    """Makes reading documents with a given file name raise an unexpected error."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: set[str] = set()
        real = search.documents.read_document

        def read(path, *args, **kwargs):
            if Path(path).name in self.names:
                raise RuntimeError("the parser fell over")
            return real(path, *args, **kwargs)

        for module in (search.documents, search.records, search.sync):
            monkeypatch.setattr(module, "read_document", read)
        real_all = search.documents.read_documents

        def read_all(path, *args, **kwargs):  # what indexing calls (a file, its documents)
            if Path(path).name in self.names:
                raise RuntimeError("the parser fell over")
            return real_all(path, *args, **kwargs)

        for module in (search.documents, search.records):
            monkeypatch.setattr(module, "read_documents", read_all)


@pytest.fixture
def explosive(monkeypatch: pytest.MonkeyPatch) -> Explosive:
    """Reading bad.txt raises RuntimeError until the test says otherwise."""
    bomb = Explosive(monkeypatch)
    bomb.names.add("bad.txt")
    return bomb


def test_index_skips_a_document_that_raises_and_indexes_the_rest(corpus, tmp_path, explosive,
                                                                  capsys):
    index_dir = tmp_path / "ix"
    assert main(["index", str(corpus), "--index", str(index_dir)]) == 0
    out, err = capsys.readouterr()
    assert "added 2" in out and "skipped 1" in out
    assert f"skipped: {corpus / 'bad.txt'}: " in err and "parser fell over" in err
    assert "Traceback" not in err
    assert documents_with(index_dir, "goodword") == {"good.txt"}
    explosive.names.clear()
    assert main(["index", str(corpus), "--index", str(index_dir)]) == 0
    assert "added 1, updated 0, removed 0, unchanged 2" in capsys.readouterr().out


def test_add_and_extract_skip_a_document_that_raises(corpus, tmp_path, explosive, capsys):
    target = tmp_path / "target"
    files = [str(corpus / "bad.txt"), str(corpus / "good.txt")]
    assert main(["add", *files, "--corpus", str(target), "--index", str(tmp_path / "ix")]) == 0
    _out, err = capsys.readouterr()
    assert "bad.txt: " in err and "parser fell over" in err
    assert sorted(p.name for p in target.iterdir()) == ["good.txt"]
    assert documents_with(tmp_path / "ix", "goodword") == {"good.txt"}

    assert main(["extract", *files, "--json"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["document"] for line in out.splitlines()] == ["good.txt"]
    assert f"skipped: {corpus / 'bad.txt'}: " in err and "Traceback" not in err


def test_a_watcher_starts_past_a_bad_document_and_retries_it_when_it_changes(
        corpus, tmp_path, explosive):
    index_dir = tmp_path / "ix"
    watcher = CorpusWatcher(corpus, WhooshBackend(index_dir, wait=30))
    report = watcher.start()
    try:
        assert [Path(path).name for path, _ in report.skipped] == ["bad.txt"]
        write_doc(corpus / "late.txt", "Late", ["Lateword arrives."])
        wait_for(lambda: documents_with(index_dir, "lateword"))
        explosive.names.clear()
        write_doc(corpus / "bad.txt", "Bad", ["Badword after all."])
        wait_for(lambda: documents_with(index_dir, "badword"))
    finally:
        watcher.stop()


def test_a_watcher_survives_an_unexpected_error_in_a_sync(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    monkeypatch.setattr(watch, "RETRY_S", 0.2)
    failures = []
    backend = WhooshBackend(index_dir, wait=30)
    real = backend.update

    started = []

    def flaky(*args, **kwargs):  # the first sync after start-up fails, whatever its scope
        if started and not failures:
            failures.append(1)
            raise RuntimeError("something unforeseen")
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "update", flaky)
    errors: list[Exception] = []
    watcher = CorpusWatcher(corpus, backend, on_error=errors.append)
    watcher.start()
    started.append(1)
    try:
        write_doc(corpus / "late.txt", "Late", ["Lateword arrives."])
        wait_for(lambda: documents_with(index_dir, "lateword"))
        assert failures and "something unforeseen" in str(errors[0])
    finally:
        watcher.stop()


class DiskFull:
    """A disk of `capacity` bytes under the index folder: writes past it raise ENOSPC.

    Space is what the folder's files take (their size, or what was written to them so far),
    so files left behind by a failed run take space from the next one, as on a real disk."""

    def __init__(self, folder: Path, capacity: int) -> None:
        self.folder = folder
        self.capacity = capacity
        self.written: dict[str, int] = {}

    def used(self) -> int:
        """Bytes the folder's files take."""
        total = 0
        for path in self.folder.rglob("*"):
            if path.is_file():
                total += max(path.stat().st_size, self.written.get(str(path), 0))
        return total

    def charge(self, path: str, size: int) -> None:
        """Account for size bytes written to path, or raise ENOSPC."""
        if self.used() + size > self.capacity:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        self.written[path] = self.written.get(path, 0) + size


class _LimitedFile:
    """A file object whose writes are charged to a DiskFull."""

    def __init__(self, handle, path: str, disk: DiskFull) -> None:
        self._handle, self._path, self._disk = handle, path, disk

    def write(self, data) -> int:
        self._disk.charge(self._path, len(data))
        return self._handle.write(data)

    def __getattr__(self, name: str):
        return getattr(self._handle, name)


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DiskFull:
    """The index folder tmp_path/ix on a disk that is huge until the test shrinks it."""
    full = DiskFull(tmp_path / "ix", capacity=1 << 40)
    real = FileStorage.create_file

    def create_file(storage, name, *args, **kwargs):
        handle = real(storage, name, *args, **kwargs)
        handle.file = _LimitedFile(handle.file, os.path.join(storage.folder, name), full)
        return handle

    monkeypatch.setattr(FileStorage, "create_file", create_file)
    return full


def _many_words(count: int) -> list[str]:
    return [f"Paragraph {n}: the fullword{n} council met again about item{n * 7}."
            for n in range(count)]


def test_a_full_disk_is_one_line_keeps_the_last_commit_and_leaves_nothing(corpus, tmp_path,
                                                                         disk, capsys):
    index_dir = tmp_path / "ix"
    (corpus / "bad.txt").unlink()
    assert main(["index", str(corpus), "--index", str(index_dir)]) == 0
    committed = sorted(p.name for p in index_dir.iterdir())
    write_doc(corpus / "big.txt", "Big", _many_words(400))
    disk.capacity = disk.used() + 4000
    capsys.readouterr()
    for extra in ([], ["--rebuild"]):
        assert main(["index", str(corpus), "--index", str(index_dir), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("docsearch: error: ") and len(err.strip().splitlines()) == 1
        assert "no space left" in err.lower() and str(index_dir) in err
        assert sorted(p.name for p in index_dir.iterdir()) == committed
        assert documents_with(index_dir, "goodword") == {"good.txt"}
    disk.capacity = 1 << 40  # space freed: the next run completes without any manual step
    assert main(["index", str(corpus), "--index", str(index_dir)]) == 0
    assert documents_with(index_dir, "fullword7") == {"big.txt"}


def test_a_watcher_indexes_again_once_disk_space_is_freed(corpus, tmp_path, disk, monkeypatch):
    index_dir = tmp_path / "ix"
    (corpus / "bad.txt").unlink()
    monkeypatch.setattr(watch, "RETRY_S", 0.2)
    errors: list[Exception] = []
    watcher = CorpusWatcher(corpus, WhooshBackend(index_dir, wait=30), on_error=errors.append)
    watcher.start()
    try:
        disk.capacity = disk.used() + 2000
        write_doc(corpus / "big.txt", "Big", _many_words(300))
        wait_for(lambda: errors)
        assert "no space left" in str(errors[0]).lower()
        disk.capacity = 1 << 40
        wait_for(lambda: documents_with(index_dir, "fullword3"))
    finally:
        watcher.stop()


def test_a_file_changed_while_it_is_indexed_is_not_left_stale(corpus, tmp_path, monkeypatch):
    """The stored hash must be that of the bytes parsed, not of an earlier read."""
    index_dir = tmp_path / "ix"
    path = corpus / "good.txt"
    original = path.read_bytes()
    real = search.documents.read_documents
    swapped = threading.Event()

    def read_after_an_edit(doc_path, *args, **kwargs):
        if Path(doc_path).name == "good.txt" and not swapped.is_set():
            swapped.set()  # the file changes between the hash and the parse
            write_doc(path, "Good", ["Editedword replaces it."])
        return real(doc_path, *args, **kwargs)

    monkeypatch.setattr(search.records, "read_documents", read_after_an_edit)
    update_index([corpus], index_dir)
    assert documents_with(index_dir, "editedword") == {"good.txt"}
    path.write_bytes(original)  # changed back: must be seen as a change
    report = update_index([corpus], index_dir)
    assert report.updated == 1
    assert documents_with(index_dir, "goodword") == {"good.txt"}
    assert documents_with(index_dir, "editedword") == set()


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(seed_index):
    run = subprocess.Popen([sys.executable, "-m", "search.cli", "query", "crematorium",
                            "--json", "--index", str(seed_index)], cwd=REPO,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.close()  # as `| head` does once it has read enough
    _out, err = run.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err and err.strip() == b""
    assert run.returncode in (0, 141)


def test_a_full_disk_in_a_worker_process_is_the_same_one_line(tmp_path):
    """Workers send their OSError's number; the parent reports it as a failed write."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    sender.send(("error", errno.ENOSPC, "OSError: [Errno 28] No space left on device"))
    with pytest.raises(OSError) as raised:
        search.sync._collect_segments({receiver: None}, 1, search.index.IndexReport(), None)
    assert raised.value.errno == errno.ENOSPC
    message = str(search.sync.write_failure(tmp_path / "ix", raised.value))
    assert message.startswith("no space left") and "last commit is intact" in message
