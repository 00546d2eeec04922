"""A sturdy server (issue #12): one slow search stalls no other request; a damaged or
truncated index is a one-line message naming `docsearch index --rebuild` (CLI) and a 503
saying the same (web), never a traceback, a 500 or a dead server; every indexed document,
whatever its file name, is reachable from its link; request bodies are refused before they
are read; `docsearch serve` on a port in use says so in one line."""

from __future__ import annotations

import http.client
import json
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import search.query as query_module
from search.index import open_index
from search.sync import build_index
from web import SECURITY_HEADERS, create_app

from .conftest import CORPUS, REPO
from .web_fixtures import live_server

CLI = [sys.executable, "-m", "search.cli"]
WATCHDOG_S = 60
REBUILD = "docsearch index --rebuild"


def garbled_copy(index_dir: Path, folder: Path, part: str = ".pst") -> Path:
    """A copy of an index with the middle half of one part of its segment (the postings by
    default) overwritten by random bytes (the file's length, table of contents and headers
    intact, so that it opens)."""
    copy = folder / "garbled"
    # Indexed anew rather than copied: a copy shares its segments' ids with the original,
    # whose posting arrays this process may already hold in its per-segment caches.
    build_index([CORPUS], copy)
    ix = open_index(copy)
    with ix.reader() as reader:
        segment = next(leaf for leaf, _offset in reader.leaf_readers()).segment()
        parts = segment.open_compound_file(ix.storage)._dir
        garbled = next(found for name, found in parts.items() if name.endswith(part))
        path = copy / f"{segment.segment_id()}.seg"
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    start, length = garbled["offset"], garbled["length"]
    for position in range(start + length // 4, start + length * 3 // 4):
        data[position] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return copy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WATCHDOG_S)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8"), dict(response.getheaders())
    finally:
        connection.close()


class Served:
    """`docsearch serve` in a subprocess on a free port."""

    def __init__(self, index_dir: Path, tmp_path: Path):
        self.port = free_port()
        self.log = (tmp_path / f"serve-{self.port}.log").open("w+")
        self.process = subprocess.Popen(
            [*CLI, "serve", "--index", str(index_dir), "--corpus", str(tmp_path / "none"),
             "--port", str(self.port), "--threads", "4"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + WATCHDOG_S
        while True:
            assert self.process.poll() is None, self.output()
            try:
                get(self.port, "/static/../")
                return
            except OSError:
                assert time.monotonic() < deadline, "docsearch serve did not start"
                time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=WATCHDOG_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def served(tmp_path):
    started = []

    def serve(index_dir: Path) -> Served:
        started.append(Served(index_dir, tmp_path))
        return started[-1]

    yield serve
    for server in started:
        server.stop()


# ---------------------------------------------------------------- independent requests


def test_a_slow_search_does_not_stall_other_requests(corpus_index, monkeypatch):
    app = create_app({"TESTING": True, "INDEX_DIR": str(corpus_index)})
    hostile_running, normal_done = threading.Event(), threading.Event()
    finished: list[str] = []
    real_search = query_module.search  # what the app's Whoosh searcher calls

    def search(searcher, request):
        if request.q == "hostile~2":  # still running until the normal request has ended
            hostile_running.set()
            normal_done.wait(timeout=20)
        return real_search(searcher, request)

    monkeypatch.setattr(query_module, "search", search)

    def fetch(name: str, query: str) -> None:
        response = app.test_client().get("/api/search", query_string={"q": query})
        assert response.status_code == 200
        finished.append(name)
        if name == "normal":
            normal_done.set()

    hostile = threading.Thread(target=fetch, args=("hostile", "hostile~2"), daemon=True)
    hostile.start()
    assert hostile_running.wait(WATCHDOG_S)
    normal = threading.Thread(target=fetch, args=("normal", "ceasefire"), daemon=True)
    normal.start()
    normal.join(WATCHDOG_S)
    hostile.join(WATCHDOG_S)
    assert finished == ["normal", "hostile"]


def test_concurrent_searches_through_waitress_give_the_same_answers(corpus_index):
    app = create_app({"INDEX_DIR": str(corpus_index)})
    queries = ["ceasefire", "russia", "sanction*", '"state department"', "crematorum~1", ""]
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        expected = {q: json.loads(get(port, "/api/search?q=" + quote(q))[1])["total"]
                    for q in queries}
        seen: list[tuple[str, int, int]] = []

        def client(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(15):
                q = rng.choice(queries)
                status, body, _headers = get(port, "/api/search?q=" + quote(q))
                seen.append((q, status, json.loads(body).get("total", -1)))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WATCHDOG_S)
    assert len(seen) == 90
    assert all(status == 200 and total == expected[q] for q, status, total in seen)


# ---------------------------------------------------------------- damaged indexes


GARBLED_QUERIES = ("ceasefire", "russia", "crematorium", "sanction*", "*", "speaker:jones")


def test_query_on_a_garbled_segment_is_one_line_naming_rebuild(corpus_index, tmp_path):
    damaged = garbled_copy(corpus_index, tmp_path)
    refused = 0
    for query in GARBLED_QUERIES:  # words whose postings are intact still find results
        done = subprocess.run([*CLI, "query", query, "--index", str(damaged)], cwd=REPO,
                              capture_output=True, text=True, timeout=WATCHDOG_S)
        assert "Traceback" not in done.stderr
        if done.returncode != 0:
            refused += 1
            assert done.returncode == 2
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("docsearch: error: ")
            assert REBUILD in lines[0]
    assert refused


def test_index_on_a_garbled_segment_is_one_line_and_rebuild_repairs(corpus_index, tmp_path):
    damaged = garbled_copy(corpus_index, tmp_path, part="._stored.col")  # where hashes are
    done = subprocess.run([*CLI, "index", str(CORPUS), "--index", str(damaged)], cwd=REPO,
                          capture_output=True, text=True, timeout=WATCHDOG_S)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and REBUILD in lines[0]
    rebuilt = subprocess.run([*CLI, "index", str(CORPUS), "--index", str(damaged), "--rebuild"],
                             cwd=REPO, capture_output=True, text=True, timeout=WATCHDOG_S)
    assert rebuilt.returncode == 0, rebuilt.stderr
    searched = subprocess.run([*CLI, "query", "ceasefire", "--index", str(damaged), "--json"],
                              cwd=REPO, capture_output=True, text=True, timeout=WATCHDOG_S)
    assert searched.returncode == 0 and json.loads(searched.stdout)["total"] > 0


def test_the_app_on_a_garbled_segment_answers_503_naming_rebuild(corpus_index, tmp_path):
    client = create_app({"TESTING": True,
                         "INDEX_DIR": str(garbled_copy(corpus_index, tmp_path))}).test_client()
    statuses = []
    for query in GARBLED_QUERIES:
        for path in ("/api/search?q=" + quote(query), "/?q=" + quote(query)):
            response = client.get(path)
            statuses.append(response.status_code)
            assert response.status_code in (200, 503), path
            if response.status_code == 503:
                assert REBUILD in response.get_data(as_text=True)
    assert 503 in statuses


def test_the_503_page_without_an_index_says_how_to_build_one(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=ceasefire")
    assert response.status_code == 503
    assert "docsearch index" in response.get_json()["error"]
    assert "--rebuild" not in response.get_json()["error"]


def test_serve_starts_on_a_garbled_index_and_answers_503(corpus_index, tmp_path, served):
    server = served(garbled_copy(corpus_index, tmp_path))
    answers = [get(server.port, "/?q=" + quote(query))[:2] for query in GARBLED_QUERIES]
    assert all(status in (200, 503) for status, _body in answers)
    assert all(REBUILD in body for status, body in answers if status == 503)
    assert any(status == 503 for status, _body in answers)
    assert "Traceback" not in server.output()


def test_a_segment_truncated_under_a_running_server_is_a_503_not_a_crash(corpus_index, tmp_path,
                                                                        served):
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index, index_dir)
    server = served(index_dir)
    assert get(server.port, "/api/search?q=ceasefire")[0] == 200
    for segment in index_dir.glob("*.seg"):
        with segment.open("r+b") as handle:
            handle.truncate(1000)
    for query in ("russia", "crematorium", "speaker:jones"):
        status, body, _headers = get(server.port, "/api/search?q=" + query)
        assert status == 503, body
        assert REBUILD in json.loads(body)["error"]
    assert server.process.poll() is None  # alive: no SIGBUS from a mapped file


# ---------------------------------------------------------------- every document reachable


CONTROL_NAMES = ["line\nbreak.txt", "tab\there.txt", "carriage\rreturn.txt", "escape\x1b.txt",
                 "bell\x07 and delete\x7f.txt", "sub dir/new\nline.txt"]


@pytest.fixture(scope="module")
def control_index(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("control-corpus")
    for number, name in enumerate(CONTROL_NAMES):
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Odd file name number {number}\n\nMay 3, 2019\n\n"
                        f'"The zebrafish survey {number} is finished," said Ana Ruiz, '
                        "the director of the Marine Institute.\n", encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("control-index")
    report = build_index([corpus], index_dir)
    assert not report.skipped
    return index_dir


def test_documents_with_control_characters_in_their_names_are_reachable(control_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(control_index)}).test_client()
    hits = client.get("/api/search?q=zebrafish&size=50").get_json()["hits"]
    assert sorted(hit["document"] for hit in hits) == sorted(CONTROL_NAMES)
    page = client.get("/?q=zebrafish&size=50").get_data(as_text=True)
    for hit in hits:
        link = "/documents/" + quote(hit["document"])
        assert link in page  # the result links there
        response = client.get(link)
        assert response.status_code == 200, hit["document"]
        assert hit["title"] in response.get_data(as_text=True)
        assert client.get("/api" + link).get_json()["document"] == hit["document"]


def test_documents_with_control_characters_are_reachable_through_waitress(control_index):
    app = create_app({"INDEX_DIR": str(control_index)})
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        for name in CONTROL_NAMES:
            status, body, _headers = get(port, "/documents/" + quote(name))
            assert status == 200, name
            assert "zebrafish" in body


# ---------------------------------------------------------------- bounded before expensive


def test_a_large_request_body_is_refused_before_it_is_read(seed_index, tmp_path, served):
    server = served(seed_index)
    with socket.create_connection(("127.0.0.1", server.port), timeout=WATCHDOG_S) as sock:
        sock.sendall(b"POST /api/search HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Length: 52428800\r\n\r\n")  # and then no body at all
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer


def test_the_csp_restricts_base_and_form_targets(seed_index, tmp_path, served):
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "base-uri 'none'" in policy and "form-action 'self'" in policy
    server = served(seed_index)
    for path in ("/", "/?q=ceasefire", "/api/search?q=x", "/no/such/page"):
        assert get(server.port, path)[2]["Content-Security-Policy"] == policy


# ---------------------------------------------------------------- serve on a port in use


def test_serve_on_a_port_in_use_is_one_line_and_exit_2(seed_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*CLI, "serve", "--index", str(seed_index), "--port", str(port)],
                              cwd=REPO, capture_output=True, text=True, timeout=WATCHDOG_S)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("docsearch: error: ") and str(port) in lines[0]
    assert "serving" not in done.stderr

