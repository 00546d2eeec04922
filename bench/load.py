"""Load test on loopback: concurrent clients against `docsearch serve --watch` while documents
are added.

A temporary corpus (the bundled one plus generated documents) is indexed and served by a
subprocess on 127.0.0.1. Client threads, each with one keep-alive `http.client` connection,
run a mix of searches with facets, document, speaker and API requests for a fixed time, while
another loop runs `docsearch add` every few seconds with a document holding a unique marker
word. At the end every marker must be searchable. Stops by itself; prints requests/s,
p50/p95/p99 latency and the error count (any non-2xx except intended 404s).

    python bench/load.py --seconds 60 --clients 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DOCSEARCH = [sys.executable, "-m", "search.cli"]
SPEAKERS = [("Maria Lopez", "spokesperson", "the Foreign Ministry"),
            ("John Kirby", "spokesperson", "the State Department"),
            ("Staffan de Mistura", "special envoy", "the United Nations"),
            ("Anna Berg", "director", "the World Health Organization"),
            ("Omar Haddad", "minister", "the Ministry of Energy"),
            ("Lena Fischer", "chief economist", "the Central Bank")]
TOPICS = ["ceasefire", "sanctions", "tariffs", "vaccines", "elections", "pipeline", "refugees",
          "inflation", "drought", "satellites", "fisheries", "border", "reactor", "budget"]
QUERIES = [*TOPICS, "minister said", '"special envoy"', "sanction*", "talks OR meeting",
           "speaker:kirby", "org:ministry", "aid AND convoys", "econom*", "refugee~"]


@dataclass
class Tally:
    """What the clients saw: latencies of successes, and errors by what went wrong."""

    latencies: list[float] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        """One finished request."""
        with self.lock:
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            if error:
                self.errors.append(f"{kind}: {error}")
            else:
                self.latencies.append(seconds)


def generated_document(number: int, rng: random.Random) -> str:
    """A short dated statement quoting one speaker, in the corpus's text layout."""
    name, title, organisation = rng.choice(SPEAKERS)
    topic, other = rng.sample(TOPICS, 2)
    date = f"{rng.choice(['January', 'March', 'June', 'October'])} {rng.randint(1, 28)}, " \
           f"{rng.randint(2014, 2020)}"
    return (f"Statement {number} on {topic}\n\n{date}\n\n"
            f'"We are following the {topic} closely," said {name}, the {title} of '
            f"{organisation}.\n\nOfficials said talks on {other} would continue next week, "
            f"and that the {topic} question was on the agenda of the meeting.\n\n"
            f'"There will be no quick answer on {other}," {name} told reporters.\n')


def make_corpus(folder: Path, generated: int, seed: int) -> Path:
    """The bundled corpus plus generated documents, in folder/corpus."""
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    rng = random.Random(seed)
    for number in range(generated):
        path = corpus / "generated" / f"statement_{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated_document(number, rng), encoding="utf-8")
    return corpus


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get_json(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict]:
    """GET path on the server; (status, parsed JSON body or {})."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, {}
    finally:
        connection.close()


def wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 120.0) -> None:
    """Return once the server answers /api/search; RuntimeError if it dies or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"docsearch serve exited with code {server.returncode}")
        try:
            if get_json(port, "/api/search?q=ceasefire", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("docsearch serve did not answer in time")


def request_mix(port: int) -> list[tuple[str, str, int]]:
    """(kind, path, expected status) for the clients to pick from, built from the live facets."""
    _, everything = get_json(port, "/api/search?size=100")
    speakers = list(everything["facets"]["speaker"])[:20] or ["John Kirby"]
    organisations = list(everything["facets"]["organisation"])[:20] or ["United Nations"]
    documents = list(everything["facets"]["document"])[:50]
    years = list(everything["facets"]["year"])[:10]
    mix: list[tuple[str, str, int]] = []
    for q in QUERIES:
        mix.append(("search", "/?" + urlencode({"q": q}), 200))
        mix.append(("search+facets", "/?" + urlencode(
            [("q", q), ("speaker", speakers[len(mix) % len(speakers)]),
             ("organisation", organisations[len(mix) % len(organisations)])]), 200))
        mix.append(("api", "/api/search?" + urlencode({"q": q, "size": 20}), 200))
        mix.append(("api+facets", "/api/search?" + urlencode(
            [("q", q), *[("year", year) for year in years[:2]], ("sort", "newest")]), 200))
        mix.append(("search+page", "/?" + urlencode({"q": q, "page": 2, "sort": "oldest"}), 200))
    for document in documents:
        mix.append(("document", "/documents/" + quote(document) + "?hl=1", 200))
        mix.append(("api-document", "/api/documents/" + quote(document), 200))
    for speaker in speakers:
        mix.append(("speaker", "/speakers/" + quote(speaker), 200))
    mix.append(("not-found", "/documents/no/such/document.txt", 404))
    mix.append(("bad-query", "/api/search?q=%3F", 400))
    return mix


def client_loop(port: int, mix: list, deadline: float, tally: Tally, seed: int) -> None:
    """One client: requests from the mix over one keep-alive connection until the deadline."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        while time.monotonic() < deadline:
            kind, path, expected = rng.choice(mix)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Connection": "keep-alive"})
                response = connection.getresponse()
                response.read()
                error = None if response.status == expected else \
                    f"{response.status} for {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc} for {path}"
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            tally.record(kind, time.perf_counter() - started, error)
    finally:
        connection.close()


@dataclass
class Adds:
    """Documents fed in with `docsearch add` while the clients run."""

    markers: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def add_loop(folder: Path, corpus: Path, index_dir: Path, every: float, deadline: float,
             adds: Adds) -> None:
    """Every `every` seconds until the deadline, `docsearch add` a document with a new marker."""
    incoming = folder / "incoming"
    incoming.mkdir()
    number = 0
    while time.monotonic() + every <= deadline:
        tick = time.monotonic()
        marker = f"loadmark{number:04d}q"
        path = incoming / f"added_{number:04d}.txt"
        path.write_text(f"Added statement {number}\n\nMay 16, 2017\n\n"
                        f'"The {marker} programme starts today," said Maria Lopez, the '
                        "spokesperson of the Foreign Ministry.\n", encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([*DOCSEARCH, "add", str(path), "--corpus", str(corpus),
                               "--index", str(index_dir), "--wait", "30"],
                              capture_output=True, text=True, timeout=120)
        adds.seconds.append(time.perf_counter() - started)
        adds.markers.append(marker)
        if done.returncode != 0:
            adds.failures.append(f"{marker}: exit {done.returncode}: {done.stderr.strip()}")
        number += 1
        time.sleep(max(0.0, every - (time.monotonic() - tick)))


def unsearchable(port: int, markers: list[str], settle: float) -> list[str]:
    """The markers /api/search still cannot find after waiting up to `settle` seconds."""
    deadline = time.monotonic() + settle
    missing = list(markers)
    while True:
        missing = [m for m in missing
                   if get_json(port, "/api/search?q=" + m)[1].get("total", 0) < 1]
        if not missing or time.monotonic() >= deadline:
            return missing
        time.sleep(0.5)


def percentile(sorted_values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(share * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def run(args: argparse.Namespace) -> dict:
    """Set up, serve, load, add, check; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="docsearch-load-"))
    server = None
    log = (folder / "serve.log").open("w")
    try:
        corpus = make_corpus(folder, args.generated, args.seed)
        index_dir = folder / "index"
        subprocess.run([*DOCSEARCH, "index", str(corpus), "--index", str(index_dir)],
                       check=True, capture_output=True, timeout=600)
        port = free_port()
        server = subprocess.Popen(
            [*DOCSEARCH, "serve", "--watch", "--index", str(index_dir), "--corpus", str(corpus),
             "--host", HOST, "--port", str(port), "--threads", str(args.threads)],
            stdout=subprocess.DEVNULL, stderr=log)
        wait_until_serving(port, server)
        mix = request_mix(port)
        tally, adds = Tally(), Adds()
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [threading.Thread(target=client_loop, args=(port, mix, deadline, tally, i),
                                    daemon=True) for i in range(args.clients)]
        threads.append(threading.Thread(
            target=add_loop, args=(folder, corpus, index_dir, args.add_every, deadline, adds),
            daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 180)
        elapsed = time.monotonic() - started
        missing = unsearchable(port, adds.markers, args.settle)
        return figures(args, tally, adds, missing, elapsed)
    finally:
        if server is not None:
            stop(server)
        log.close()
        if args.keep:
            print(f"load: kept {folder} (server log: {folder / 'serve.log'})", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def stop(server: subprocess.Popen) -> None:
    """Stop the server as Ctrl+C would, then harder if it does not go."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def figures(args: argparse.Namespace, tally: Tally, adds: Adds, missing: list[str],
            elapsed: float) -> dict:
    """The report: throughput, latency percentiles, errors and the added documents' fate."""
    latencies = sorted(tally.latencies)
    requests = len(latencies) + len(tally.errors)
    return {
        "seconds": round(elapsed, 1),
        "clients": args.clients,
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {name: round(percentile(latencies, share) * 1000, 1)
                       for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))},
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "by_kind": dict(sorted(tally.kinds.items())),
        "added": len(adds.markers),
        "add_failures": adds.failures,
        "add_seconds_p50": round(percentile(sorted(adds.seconds), 0.5), 2),
        "added_unsearchable": missing,
    }


def print_figures(result: dict) -> None:
    """The figures as a few readable lines."""
    latency = result["latency_ms"]
    print(f"{result['clients']} clients for {result['seconds']} s: {result['requests']} "
          f"requests, {result['requests_per_s']} requests/s")
    print(f"latency ms: p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}  "
          f"max {result['max_ms']}")
    print(f"errors: {result['errors']}" + "".join(f"\n  {e}" for e in result["error_samples"]))
    print("by kind: " + ", ".join(f"{k} {v}" for k, v in result["by_kind"].items()))
    print(f"added with `docsearch add`: {result['added']} (median {result['add_seconds_p50']} s "
          f"each), failed: {len(result['add_failures'])}, not searchable at the end: "
          f"{len(result['added_unsearchable'])}"
          + "".join(f"\n  {f}" for f in result["add_failures"] + result["added_unsearchable"]))


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load duration (default 60)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--generated", type=int, default=300,
                        help="generated documents beside the bundled corpus (default 300)")
    parser.add_argument("--add-every", type=float, default=2.0, metavar="SECONDS",
                        help="how often `docsearch add` feeds a document (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="server threads (default 8)")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds to wait for added documents to be searchable")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary corpus, index and server log")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit 1 when any request failed or an added document is missing."""
    args = build_parser().parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        print("load: --clients and --seconds must be positive", file=sys.stderr)
        return 2
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_figures(result)
    ok = not result["errors"] and not result["add_failures"] and not result["added_unsearchable"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
