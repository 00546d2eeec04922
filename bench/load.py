"""Load test on loopback: concurrent clients against `docsearch serve --watch` while documents
are added, first without and then with hostile queries mixed in.

A temporary corpus (the bundled one, generated statements and a slice of bench/corpus.py's
synthetic corpus, whose 40,000-word vocabulary gives fuzzy words something to expand over) is
indexed and served by a subprocess on 127.0.0.1. Client threads, each with one keep-alive
`http.client` connection, run a mix of searches with facets, document, speaker and API
requests for a fixed time, while another loop runs `docsearch add` every few seconds with a
document holding a unique marker word. This runs twice: a baseline, then the same load with
a hostile request every few seconds (ten fuzzy words, a 1,000-character query of misspelt
words, a wide range or wildcard). Each hostile request must end within the search time limit
(plus a margin), answered 200 or refused with 400, and the other clients' p95 must stay
within 2x of the baseline's. At the end every marker must be searchable. Stops by itself;
prints requests/s, p50/p95/p99 latency and the error count of both runs, and the hostile
requests' latencies.

    python bench/load.py --seconds 15 --clients 8
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
if str(REPO) not in sys.path:  # `python bench/load.py` from anywhere
    sys.path.insert(0, str(REPO))

from bench import corpus as synthetic  # noqa: E402
from search.query import MAX_QUERY_CHARS, SEARCH_TIME_LIMIT_S  # noqa: E402

HOST = "127.0.0.1"
HOSTILE_MARGIN_S = 1.0  # beyond the time limit: answering, and a loaded machine
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


def make_corpus(folder: Path, generated: int, seed: int, paragraphs: int = 0) -> Path:
    """The bundled corpus, generated statements and `paragraphs` of the synthetic corpus,
    in folder/corpus."""
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    if paragraphs:
        synthetic.generate_corpus(corpus / "synthetic", paragraphs, processes=1)
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


def misspelt(word: str, rng: random.Random) -> str:
    """word with two letters swapped and one doubled: unknown to the index, near a known word."""
    if len(word) < 4:
        return word + word[-1] + "q"
    i = rng.randrange(1, len(word) - 2)
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    j = rng.randrange(len(swapped))
    return swapped[:j] + swapped[j] + swapped[j:]


def hostile_queries(rng: random.Random, count: int = 24) -> list[str]:
    """Expensive queries: ten fuzzy words, a maximal query of misspelt words, wide ranges and
    wildcards, all over the synthetic vocabulary."""
    words = [word for word in synthetic.tables().words[:20_000] if len(word) >= 5]
    queries = []
    for number in range(count):
        kind = number % 4
        if kind == 0:
            queries.append(" ".join(f"{word}~2" for word in rng.sample(words, 10)))
        elif kind == 1:
            text = ""
            while len(text) < MAX_QUERY_CHARS - 20:
                text += misspelt(rng.choice(words), rng) + " "
            queries.append(text.strip())
        elif kind == 2:
            first, second = sorted(rng.sample("abcdefghijklmnoprstuvw", 2))
            queries.append(rng.choice(["text", "title", "organisation"])
                           + f":[{first} TO {second}]")
        else:
            queries.append(" OR ".join(f"*{word[1:3]}*" for word in rng.sample(words, 4)))
    return queries


def hostile_loop(port: int, queries: list[str], every: float, deadline: float,
                 hostile: Tally) -> None:
    """Every `every` seconds until the deadline, one hostile search on a new connection; a
    hostile request must be answered 200 or refused with 400 within the time limit."""
    limit = SEARCH_TIME_LIMIT_S + HOSTILE_MARGIN_S
    number = 0
    while time.monotonic() + every <= deadline:
        tick = time.monotonic()
        q = queries[number % len(queries)]
        path = ("/api/search?" if number % 2 else "/?") + urlencode({"q": q})
        started = time.perf_counter()
        try:
            status = get_status(port, path, timeout=60)
            error = None if status in (200, 400) else f"{status} for {path[:80]}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc} for {path[:80]}"
        seconds = time.perf_counter() - started
        if error is None and seconds > limit:
            error = f"took {seconds:.1f} s (limit {limit:g} s) for {path[:80]}"
        hostile.record("hostile", seconds, error)
        if error:  # slow ones count in the latencies too
            with hostile.lock:
                hostile.latencies.append(seconds)
        number += 1
        time.sleep(max(0.0, every - (time.monotonic() - tick)))


def get_status(port: int, path: str, timeout: float) -> int:
    """GET path on a new connection; the status (the body is read and dropped)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


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
             adds: Adds, run: str = "") -> None:
    """Every `every` seconds until the deadline, `docsearch add` a document with a new marker
    (run tells the markers and files of one run from another's)."""
    incoming = folder / f"incoming{run}"
    incoming.mkdir()
    number = 0
    while time.monotonic() + every <= deadline:
        tick = time.monotonic()
        marker = f"loadmark{run}{number:04d}q"
        path = incoming / f"added{run}_{number:04d}.txt"
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
    """Set up, serve, load without then with hostile queries, check; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="docsearch-load-"))
    server = None
    log = (folder / "serve.log").open("w")
    try:
        corpus = make_corpus(folder, args.generated, args.seed, args.paragraphs)
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
        adds = Adds()
        result = {"baseline": phase(args, port, mix, folder, corpus, index_dir, adds, None)}
        queries = hostile_queries(random.Random(args.seed)) if args.hostile_every > 0 else []
        if queries:
            result["hostile"] = phase(args, port, mix, folder, corpus, index_dir, adds, queries)
        missing = unsearchable(port, adds.markers, args.settle)
        result["added"] = {
            "added": len(adds.markers), "add_failures": adds.failures,
            "add_seconds_p50": round(percentile(sorted(adds.seconds), 0.5), 2),
            "added_unsearchable": missing}
        return result
    finally:
        if server is not None:
            stop(server)
        log.close()
        if args.keep:
            print(f"load: kept {folder} (server log: {folder / 'serve.log'})", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def phase(args: argparse.Namespace, port: int, mix: list, folder: Path, corpus: Path,
          index_dir: Path, adds: Adds, hostile: list[str] | None) -> dict:
    """One timed run of the clients and the add loop (and the hostile loop when given)."""
    tally, hostile_tally = Tally(), Tally()
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [threading.Thread(target=client_loop, args=(port, mix, deadline, tally, i),
                                daemon=True) for i in range(args.clients)]
    threads.append(threading.Thread(
        target=add_loop, args=(folder, corpus, index_dir, args.add_every, deadline, adds,
                               f"{'h' if hostile else 'b'}"),
        daemon=True))
    if hostile:
        threads.append(threading.Thread(
            target=hostile_loop, args=(port, hostile, args.hostile_every, deadline, hostile_tally),
            daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 180)
    figures = client_figures(args, tally, time.monotonic() - started)
    if hostile:
        latencies = sorted(hostile_tally.latencies)
        figures["hostile"] = {
            "requests": len(latencies),
            "limit_s": SEARCH_TIME_LIMIT_S + HOSTILE_MARGIN_S,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
            "by_status_errors": hostile_tally.errors[:10],
            "failures": len(hostile_tally.errors),
        }
    return figures


def stop(server: subprocess.Popen) -> None:
    """Stop the server as Ctrl+C would, then harder if it does not go."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def client_figures(args: argparse.Namespace, tally: Tally, elapsed: float) -> dict:
    """One phase's throughput, latency percentiles and errors."""
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
    }


def p95_ratio(result: dict) -> float | None:
    """The other clients' p95 with hostile queries over their p95 without."""
    if "hostile" not in result:
        return None
    baseline = result["baseline"]["latency_ms"]["p95"] or 0.1
    return round(result["hostile"]["latency_ms"]["p95"] / baseline, 2)


def print_figures(result: dict) -> None:
    """The figures as a few readable lines."""
    for name in ("baseline", "hostile"):
        if name not in result:
            continue
        run = result[name]
        latency = run["latency_ms"]
        print(f"{name}: {run['clients']} clients for {run['seconds']} s: {run['requests']} "
              f"requests, {run['requests_per_s']} requests/s")
        print(f"  latency ms: p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}"
              f"  max {run['max_ms']}")
        print(f"  errors: {run['errors']}" + "".join(f"\n    {e}" for e in run["error_samples"]))
        if "hostile" in run:
            hostile = run["hostile"]
            print(f"  hostile requests: {hostile['requests']}, p50 {hostile['p50_ms']} ms, max "
                  f"{hostile['max_ms']} ms (limit {hostile['limit_s']:g} s), failed: "
                  f"{hostile['failures']}"
                  + "".join(f"\n    {e}" for e in hostile["by_status_errors"]))
    if (ratio := p95_ratio(result)) is not None:
        print(f"p95 of the other clients with hostile queries / without: {ratio} (at most 2)")
    added = result["added"]
    print(f"added with `docsearch add`: {added['added']} (median {added['add_seconds_p50']} s "
          f"each), failed: {len(added['add_failures'])}, not searchable at the end: "
          f"{len(added['added_unsearchable'])}"
          + "".join(f"\n  {f}" for f in added["add_failures"] + added["added_unsearchable"]))


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0,
                        help="duration of each of the two runs (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--generated", type=int, default=300,
                        help="generated documents beside the bundled corpus (default 300)")
    parser.add_argument("--paragraphs", type=int, default=3000,
                        help="paragraphs of bench/corpus.py's synthetic corpus (default 3000)")
    parser.add_argument("--hostile-every", type=float, default=3.0, metavar="SECONDS",
                        help="how often a hostile query is sent in the second run "
                             "(default 3; 0: no second run)")
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
    """Run the load test; exit 1 when any request failed, a hostile one took too long, the
    other clients' p95 more than doubled, or an added document is missing."""
    args = build_parser().parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        print("load: --clients and --seconds must be positive", file=sys.stderr)
        return 2
    result = run(args)
    result["p95_ratio"] = p95_ratio(result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_figures(result)
    added = result["added"]
    runs = [result[name] for name in ("baseline", "hostile") if name in result]
    ok = (not any(run["errors"] for run in runs) and not added["add_failures"]
          and not added["added_unsearchable"]
          and not result.get("hostile", {}).get("hostile", {}).get("failures")
          and (result["p95_ratio"] is None or result["p95_ratio"] <= 2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
