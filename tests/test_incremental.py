"""Incremental indexing with real folders and real `docsearch` processes: add, change, delete,
rename; no-op runs; one writer at a time; kill -9 mid-run; damaged and foreign index folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Term

from search.index import DOCUMENT, ID_FIELD, TEXT_FIELD, open_index

REPO = Path(__file__).resolve().parents[1]
BUSY = "is being written by another process; try again later"


def docsearch(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a new process."""
    return subprocess.run([sys.executable, "-m", "search.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def write_doc(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A plain-text document: title line, then blank-line separated paragraphs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    return path


def paragraphs_per_document(index_dir: Path) -> Counter:
    """Live paragraph records per document id, checking ids are unique on the way."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        stored = list(searcher.all_stored_fields())
        assert len(stored) == searcher.doc_count()
    ids = [fields[ID_FIELD] for fields in stored]
    assert len(ids) == len(set(ids)), "duplicate paragraph ids"
    return Counter(fields[DOCUMENT] for fields in stored)


def matching_documents(index_dir: Path, word: str) -> set[str]:
    """Ids of documents with a paragraph containing word."""
    with open_index(index_dir).searcher() as searcher:
        return {hit[DOCUMENT] for hit in searcher.search(Term(TEXT_FIELD, word), limit=None)}


def generation(index_dir: Path) -> int:
    """The index's commit generation."""
    return open_index(index_dir).latest_generation()


def summary(result: subprocess.CompletedProcess) -> str:
    """The counts line the CLI prints last."""
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three small documents with words unique to each."""
    root = tmp_path / "corpus"
    write_doc(root / "alpha.txt", "Alpha", ["Alphaword one.", "Alphaword two."])
    write_doc(root / "beta.txt", "Beta", ["Betaword one.", "Betaword two.", "Betaword three."])
    write_doc(root / "gamma.txt", "Gamma", ["Gammaword only."])
    return root


def test_add_change_delete_rename_keep_the_index_exact(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    assert summary(docsearch("index", corpus, "--index", index_dir)).startswith(
        "added 3, updated 0, removed 0, unchanged 0; 6 paragraphs")
    assert paragraphs_per_document(index_dir) == {"alpha.txt": 2, "beta.txt": 3, "gamma.txt": 1}

    write_doc(corpus / "delta.txt", "Delta", ["Deltaword a.", "Deltaword b.", "Deltaword c.",
                                               "Deltaword d."])
    write_doc(corpus / "alpha.txt", "Alpha", ["Freshword only now."])
    (corpus / "beta.txt").unlink()
    (corpus / "sub").mkdir()
    (corpus / "gamma.txt").rename(corpus / "sub" / "gamma2.txt")
    assert summary(docsearch("index", corpus, "--index", index_dir)).startswith(
        "added 2, updated 1, removed 2, unchanged 0; 6 paragraphs")
    assert paragraphs_per_document(index_dir) == {"alpha.txt": 1, "delta.txt": 4,
                                                  "sub/gamma2.txt": 1}
    assert matching_documents(index_dir, "alphaword") == set()
    assert matching_documents(index_dir, "freshword") == {"alpha.txt"}
    assert matching_documents(index_dir, "betaword") == set()
    assert matching_documents(index_dir, "gammaword") == {"sub/gamma2.txt"}
    assert matching_documents(index_dir, "deltaword") == {"delta.txt"}


def test_second_run_changes_nothing_and_does_not_commit(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    before = generation(index_dir)
    result = docsearch("index", corpus, "--index", index_dir)
    assert summary(result) == "added 0, updated 0, removed 0, unchanged 3"
    assert generation(index_dir) == before
    os.utime(corpus / "alpha.txt")  # touched, same bytes: still unchanged
    assert summary(docsearch("index", corpus, "--index", index_dir)).endswith("unchanged 3")
    assert generation(index_dir) == before


def test_rebuild_starts_from_scratch_in_one_commit(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    before = generation(index_dir)
    assert summary(docsearch("index", corpus, "--index", index_dir, "--rebuild")).startswith(
        "added 3, updated 0, removed 0, unchanged 0")
    assert generation(index_dir) == before + 1
    assert sum(paragraphs_per_document(index_dir).values()) == 6


def test_file_paths_update_only_themselves(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    extra = write_doc(tmp_path / "extra.txt", "Extra", ["Extraword."])
    assert summary(docsearch("index", corpus, extra, "--index", index_dir)).startswith(
        "added 1, updated 0, removed 0, unchanged 3")
    assert summary(docsearch("index", extra, "--index", index_dir)).endswith("unchanged 1")
    assert set(paragraphs_per_document(index_dir)) == {"alpha.txt", "beta.txt", "gamma.txt",
                                                       "extra.txt"}


def test_broken_files_are_named_and_the_rest_is_indexed(corpus: Path, tmp_path: Path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "latin1.txt").write_bytes("Caf\xe9\n\nCaf\xe9word said so.\n".encode("latin-1"))
    index_dir = tmp_path / "ix"
    result = docsearch("index", corpus, "--index", index_dir)
    assert result.returncode == 0, result.stderr
    assert "added 4, updated 0, removed 0, unchanged 0" in result.stdout
    assert "skipped 2" in result.stdout
    assert f"skipped: {corpus / 'empty.txt'}: empty file" in result.stderr
    assert f"skipped: {corpus / 'binary.txt'}: binary file" in result.stderr
    assert f"warning: {corpus / 'latin1.txt'}: not valid UTF-8" in result.stderr
    assert set(paragraphs_per_document(index_dir)) == {"alpha.txt", "beta.txt", "gamma.txt",
                                                       "latin1.txt"}
    # Broken files are named again on the next run, which still writes nothing.
    before = generation(index_dir)
    again = docsearch("index", corpus, "--index", index_dir)
    assert "skipped: " in again.stderr and "unchanged 4" in again.stdout
    assert generation(index_dir) == before


def test_a_document_that_turns_unreadable_leaves_the_index(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    (corpus / "beta.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = docsearch("index", corpus, "--index", index_dir)
    assert "removed 1" in summary(result) and "beta.txt: binary file" in result.stderr
    assert "beta.txt" not in paragraphs_per_document(index_dir)


def _hold(code: str) -> subprocess.Popen:
    """A Python process that runs code, prints 'ready' and then sleeps until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", code + "\nprint('ready', flush=True)\nimport time\n"
                                      "time.sleep(60)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_a_second_writer_waits_then_says_the_index_is_busy(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    holder = _hold("from pathlib import Path\nfrom search.sync import writer_lock\n"
                   f"lock = writer_lock(Path({str(index_dir)!r}))\nlock.__enter__()")
    try:
        result = docsearch("index", corpus, "--index", index_dir, "--wait", "0.5")
        assert result.returncode == 2
        assert result.stderr.strip() == f"docsearch: error: the index at {index_dir} {BUSY}"
    finally:
        holder.kill()  # kill -9: the OS releases the flock with the process
        holder.wait()
    write_doc(corpus / "after.txt", "After", ["Afterword."])
    assert "added 1" in summary(docsearch("index", corpus, "--index", index_dir, "--wait", "2"))


def test_whoosh_writer_lock_held_or_left_by_a_dead_process(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    holder = _hold("from whoosh import index\n"
                   f"w = index.open_dir({str(index_dir)!r}).writer()")
    write_doc(corpus / "new.txt", "New", ["Newword."])
    try:
        result = docsearch("index", corpus, "--index", index_dir, "--wait", "0.5")
        assert result.returncode == 2 and BUSY in result.stderr
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert (index_dir / "MAIN_WRITELOCK").exists()  # left behind, but no longer locked
    assert "added 1" in summary(docsearch("index", corpus, "--index", index_dir, "--wait", "2"))


def _synthetic_corpus(root: Path, documents: int, paragraphs: int) -> None:
    words = "minister said sanctions talks council trade energy border election court".split()
    for d in range(documents):
        body = [f"Paragraph {p} of synthetic{d}: "
                + " ".join(words[(d + p + k) % len(words)] for k in range(30))
                for p in range(paragraphs)]
        write_doc(root / f"doc{d:04d}.txt", f"Synthetic document {d}", body)


def test_kill_9_mid_indexing_leaves_a_usable_index_and_the_rerun_completes(tmp_path: Path):
    corpus, index_dir = tmp_path / "synthetic", tmp_path / "ix"
    _synthetic_corpus(corpus, documents=600, paragraphs=10)
    write_doc(tmp_path / "first" / "doc0000.txt", "Older version", ["Olderword."])
    docsearch("index", tmp_path / "first", "--index", index_dir)  # a committed state to keep
    run = subprocess.Popen([sys.executable, "-m", "search.cli", "index", str(corpus),
                            "--index", str(index_dir)], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not (index_dir / "MAIN.tmp").exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # MAIN.tmp appears when the writer starts; killed ~1 s into writing
    time.sleep(1.0)
    assert run.poll() is None, "indexing finished before it could be killed; use more documents"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()

    assert paragraphs_per_document(index_dir) == {"doc0000.txt": 1}  # the last commit, intact
    assert matching_documents(index_dir, "olderword") == {"doc0000.txt"}
    result = docsearch("index", corpus, "--index", index_dir)
    assert summary(result).startswith("added 599, updated 1, removed 0, unchanged 0")
    counts = paragraphs_per_document(index_dir)
    assert len(counts) == 600 and set(counts.values()) == {10}
    assert matching_documents(index_dir, "olderword") == set()
    assert not (index_dir / "MAIN.tmp").exists() or not any((index_dir / "MAIN.tmp").iterdir())


def test_a_damaged_index_is_named_with_the_way_out(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "ix"
    docsearch("index", corpus, "--index", index_dir)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"this is not a table of contents")
    for command in (("index", corpus), ("query", "alphaword")):
        result = docsearch(*command, "--index", index_dir)
        assert result.returncode == 2
        assert result.stderr.startswith(f"docsearch: error: the index at {index_dir} is damaged")
        assert "docsearch index --rebuild" in result.stderr
    assert summary(docsearch("index", corpus, "--index", index_dir, "--rebuild")).startswith(
        "added 3")
    assert sum(paragraphs_per_document(index_dir).values()) == 6


def test_a_foreign_whoosh_index_needs_rebuild(corpus: Path, tmp_path: Path):
    index_dir = tmp_path / "other"
    index_dir.mkdir()
    other = whoosh_index.create_in(str(index_dir), Schema(key=ID(stored=True), body=TEXT))
    with other.writer() as writer:
        writer.add_document(key="x", body="not ours")
    result = docsearch("index", corpus, "--index", index_dir)
    assert result.returncode == 2
    assert "is not a docsearch index" in result.stderr and "--rebuild" in result.stderr
    assert "added 3" in summary(docsearch("index", corpus, "--index", index_dir, "--rebuild"))


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_folder_of_other_files_is_never_written(corpus: Path, tmp_path: Path, rebuild: bool):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("precious")
    result = docsearch("index", corpus, "--index", folder, *(["--rebuild"] if rebuild else []))
    assert result.returncode == 2
    assert f"{folder} is not a docsearch index and not empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.tex"]
