"""`docsearch serve --workers N`: several processes serve the same port, correctly, follow
the watched corpus, and all stop together."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .waiting import children

REPO = Path(__file__).resolve().parents[1]
DEADLINE_S = 120
TOPICS = ["harbours", "orchards", "bridges", "libraries", "tramways", "observatories"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def total(port: int, word: str) -> int:
    url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": word})
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())["total"]


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not within {DEADLINE_S} s: {what}")


@pytest.fixture
def served(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, word in enumerate(TOPICS):
        paragraphs = [f"Item {n}: the council approved new {word} for the district."
                      for n in range(i + 1)]
        (corpus / f"doc{i}.txt").write_text("\n\n".join([f"Minutes {i}", *paragraphs]) + "\n",
                                            "utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "serve", "--workers", "2", "--watch", "--index",
         str(tmp_path / "index"), "--corpus", str(corpus), "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: total(port, "harbours") == 1, "the first answer")
        yield server, port, corpus
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stderr.close()


def test_workers_share_the_port_and_answer_alike(served):
    server, port, _corpus = served
    workers = children(server.pid)
    assert len(workers) >= 2  # the serving processes (plus any indexing helper)
    queries = [TOPICS[i % len(TOPICS)] for i in range(60)]
    with ThreadPoolExecutor(8) as pool:
        totals = list(pool.map(lambda word: total(port, word), queries))
    assert totals == [TOPICS.index(word) + 1 for word in queries]


def test_workers_follow_the_watched_corpus(served):
    _server, port, corpus = served
    (corpus / "late.txt").write_text("Late\n\nThe zeppelins arrived over the harbour.\n",
                                     "utf-8")
    # every worker sees it: many requests in a row, spread over the processes, all find it
    wait_until(lambda: all(total(port, "zeppelins") == 1 for _ in range(20)),
               "the new document in every worker")
    (corpus / "late.txt").unlink()
    wait_until(lambda: all(total(port, "zeppelins") == 0 for _ in range(20)),
               "the removed document gone from every worker")


def test_stopping_the_server_stops_every_worker(served):
    server, port, _corpus = served
    workers = children(server.pid)
    server.send_signal(signal.SIGINT)
    server.wait(timeout=DEADLINE_S)
    assert server.returncode == 0
    wait_until(lambda: not any(alive(pid) for pid in workers), "all workers gone")


def test_a_killed_server_leaves_no_worker_serving(served):
    server, _port, _corpus = served
    workers = children(server.pid)
    server.kill()
    server.wait(timeout=DEADLINE_S)
    wait_until(lambda: not any(alive(pid) for pid in workers), "orphaned workers gone")
