"""Killing an indexer (or `serve --watch` mid-sync, or one of its workers) leaves nothing
running and nothing locked: the workers end with their parent, the port is free again and
the next `docsearch index` completes the job with no manual step."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from search.index import DOCUMENT, ID_FIELD, open_index

from .waiting import children, wait_for

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "search.cli"]
DOCUMENTS, PARAGRAPHS = 400, 8

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds worker processes through /proc")




def alive(pids: set[int]) -> set[int]:
    """Those of pids that still run (zombies count as ended)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def writer_workers(pid: int) -> set[int]:
    """The indexing workers among pid's children (not multiprocessing's resource tracker)."""
    workers = set()
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            workers.add(child)
    return workers


@pytest.fixture
def big_corpus(tmp_path: Path) -> Path:
    """Enough documents to be indexed by worker processes, under a long folder name (long
    paths make the workers' messages fill a pipe that nobody reads any more)."""
    root = tmp_path / ("a-folder-with-a-rather-long-name-" * 6).rstrip("-")
    root.mkdir()
    words = "minister said sanctions talks council trade energy border election court".split()
    for d in range(DOCUMENTS):
        body = [f"Paragraph {p} of synthetic{d}: "
                + " ".join(words[(d * 3 + p + k) % len(words)] for k in range(40))
                for p in range(PARAGRAPHS)]
        (root / f"doc{d:04d}.txt").write_text("\n\n".join([f"Document {d}", *body]) + "\n")
    return root


@pytest.fixture
def processes():
    """Processes started by a test, and every child seen of theirs: all killed at the end."""
    started: list[subprocess.Popen] = []
    seen: set[int] = set()
    yield started, seen
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()
    for pid in alive(seen):
        os.kill(pid, signal.SIGKILL)


def start(processes, *args: str | Path) -> subprocess.Popen:
    """Start the real CLI in a new process (its output is not read)."""
    run = subprocess.Popen([*CLI, *map(str, args)], cwd=REPO, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes[0].append(run)
    return run


def workers_of(processes, run: subprocess.Popen) -> set[int]:
    """Wait until run has started its indexing workers; their pids."""
    def started() -> set[int]:
        assert run.poll() is None, "the run ended before its workers started"
        return writer_workers(run.pid) if len(writer_workers(run.pid)) >= 2 else set()

    workers = wait_for(started, every=0.05)
    processes[1].update(children(run.pid))
    return workers


def assert_complete(index_dir: Path, corpus: Path) -> None:
    """The next run needs no manual step and leaves exactly the corpus's paragraphs."""
    result = subprocess.run([*CLI, "index", str(corpus), "--index", str(index_dir),
                             "--wait", "5"], cwd=REPO, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    with open_index(index_dir).searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    ids = [fields[ID_FIELD] for fields in stored]
    assert len(ids) == len(set(ids)) == DOCUMENTS * PARAGRAPHS
    assert set(Counter(fields[DOCUMENT] for fields in stored).values()) == {PARAGRAPHS}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_end_with_a_killed_indexer(big_corpus, tmp_path, processes, how):
    index_dir = tmp_path / "ix"
    run = start(processes, "index", big_corpus, "--index", index_dir)
    workers = workers_of(processes, run)
    os.kill(run.pid, how)
    run.wait()
    wait_for(lambda: not alive(processes[1]), timeout=30, every=0.05)
    assert workers <= processes[1]
    assert_complete(index_dir, big_corpus)


def test_a_killed_worker_fails_the_run_in_one_line_and_the_next_run_completes(
        big_corpus, tmp_path, processes):
    index_dir = tmp_path / "ix"
    run = subprocess.Popen([*CLI, "index", str(big_corpus), "--index", str(index_dir)],
                           cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    processes[0].append(run)
    os.kill(min(workers_of(processes, run)), signal.SIGKILL)
    _out, err = run.communicate(timeout=600)
    assert run.returncode == 2, err
    assert err.startswith("docsearch: error: a worker process indexing documents died")
    assert len(err.strip().splitlines()) == 1
    wait_for(lambda: not alive(processes[1]), timeout=30, every=0.05)
    assert_complete(index_dir, big_corpus)


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_watch_killed_mid_sync_frees_its_port_and_its_workers(big_corpus, tmp_path,
                                                                     processes):
    index_dir, port = tmp_path / "ix", free_port()
    run = start(processes, "serve", "--watch", "--corpus", big_corpus, "--index", index_dir,
                "--port", port)
    workers_of(processes, run)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    wait_for(lambda: not alive(processes[1]), timeout=30, every=0.05)
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))  # what a restarted server does
        again.listen()
    assert_complete(index_dir, big_corpus)
