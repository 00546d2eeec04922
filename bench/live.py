"""docsearch live benchmark: freshness, memory, throughput and start-up of `docsearch serve`
on the benchmark corpus while documents arrive.

    python bench/live.py --paragraphs 1000000 [--workdir DIR] [--json]

Uses bench/run.py's corpus and index (built with the product's pipeline; reused from
--workdir), then measures through real `docsearch serve` processes (waitress, HTTP):

    start-up     process start to the first answer, without and with --watch
    throughput   requests/s and p50/p95/p99 with 1, 4 and 20 clients (workload queries)
    freshness    a new file dropped into the watched corpus to its first search hit, for
                 --docs documents, while 4 clients search; their p99 and failures then
    memory       the server's RSS excluding the page cache (RssAnon summed over the process
                 tree, and Pss_Anon, which counts shared pages once) before the first and
                 0.5 s after each of --commits commits (4 clients searching throughout):
                 their spread and drift; and the highest RssAnon sampled in between

Dropped documents go to the corpus folder `live-drop/` and are removed (and unindexed) at
the end. Figures depend on the machine's load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python bench/live.py` from anywhere
    sys.path.insert(0, str(HERE.parent))

from bench import corpus as gen  # noqa: E402
from bench.run import ensure_index, free_port, percentiles  # noqa: E402
from bench.workload import api_params, workload  # noqa: E402

DROP_FOLDER = "live-drop"
REQUEST_TIMEOUT_S = 60
SEARCH_FRESH_TIMEOUT_S = 120


def log(message: str) -> None:
    """A progress line on stderr."""
    print(f"[live {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def tree_anon_rss_mb(root_pid: int, key: str = "RssAnon:") -> float:
    """RssAnon (resident memory that is not page cache) of a process and its children, MB;
    with key="Pss_Anon:", each process's share of it instead (the workers' copy-on-write
    pages shared with the parent counted once, not in every process)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, grew = {root_pid}, True
    while grew:
        grown = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= grown
        grew = bool(grown)
    total_kb = 0
    source = "status" if key == "RssAnon:" else "smaps_rollup"
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
                if line.startswith(key):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


class Server:
    """A `docsearch serve` process on a free port."""

    def __init__(self, index_dir: Path, corpus_dir: Path, watch: bool, extra: list[str],
                 log_path: str | None = None):
        self.port = free_port()
        cmd = [sys.executable, "-m", "search.cli", *(["-v"] if log_path else []), "serve",
               "--index", str(index_dir), "--corpus", str(corpus_dir),
               "--port", str(self.port), *extra]
        if watch:
            cmd.append("--watch")
        self.started = time.perf_counter()
        self.log = open(log_path, "a") if log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log,
                                        cwd=str(HERE.parent))
        self.base = f"http://127.0.0.1:{self.port}/api/search?"

    def first_answer_s(self, query: str, limit_s: float = 600) -> float:
        """Seconds from process start to the first successful search answer."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode})")
            try:
                self.search({"q": query})
                return round(time.perf_counter() - self.started, 2)
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"the server did not answer within {limit_s} s")

    def search(self, params) -> dict:
        """One /api/search request's JSON answer."""
        url = self.base + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
            return json.loads(response.read())

    def rss_mb(self) -> float:
        """The server's RSS without page cache, MB (every process's own sum)."""
        return tree_anon_rss_mb(self.process.pid)

    def pss_mb(self) -> float:
        """The server's anonymous memory with shared pages counted once, MB."""
        return tree_anon_rss_mb(self.process.pid, "Pss_Anon:")

    def stop(self) -> None:
        """Stop the server (Ctrl+C first, so that a watcher ends cleanly)."""
        self.process.send_signal(2)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


class Clients:
    """k threads sending workload queries to a server until stopped."""

    def __init__(self, server: Server, queries: list[dict], k: int, seed: int = 1):
        self.server, self.queries, self.k = server, queries, k
        self.samples: list[tuple[float, float]] = []  # (finish time, ms)
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(seed + i,), daemon=True)
                         for i in range(k)]

    def __enter__(self) -> Clients:
        self.began = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.ended = time.monotonic()

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            query = rng.choice(self.queries)
            t0 = time.perf_counter()
            try:
                self.server.search(api_params(query))
                ok = None
            except OSError as exc:
                ok = f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - t0) * 1000
            with self._lock:
                if ok is None:
                    self.samples.append((time.monotonic(), elapsed))
                else:
                    self.failures.append(ok)

    def figures(self, since: float | None = None) -> dict:
        """requests/s, latency percentiles (ms) and failures, from `since` (monotonic)."""
        start = self.began if since is None else since
        with self._lock:
            ms = [m for t, m in self.samples if t >= start]
            failures = len(self.failures)
        seconds = max(1e-9, (self.ended if hasattr(self, "ended") else time.monotonic()) - start)
        return {"clients": self.k, "requests": len(ms), "rps": round(len(ms) / seconds, 1),
                **percentiles(ms), "p99_ms": _p99(ms), "failures": failures}


def _p99(ms: list[float]) -> float | None:
    if len(ms) < 2:
        return round(ms[0], 1) if ms else None
    return round(statistics.quantiles(ms, n=100, method="inclusive")[98], 1)


def drop_document(corpus_dir: Path, word: str) -> Path:
    """Write a new plain-text document mentioning `word` into the corpus's drop folder."""
    path = corpus_dir / DROP_FOLDER / f"{word}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")  # not a document name: the watcher ignores it
    temporary.write_text(f"Arrival {word}\n\nThe board announced the {word} programme "
                         f"on Tuesday, a spokesperson said.\n", "utf-8")
    os.replace(temporary, path)
    return path


def wait_for_hits(server: Server, word: str, present: bool) -> float:
    """Seconds until a search for word finds it (or, present=False, no longer does)."""
    t0 = time.perf_counter()
    deadline = time.monotonic() + SEARCH_FRESH_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            found = server.search({"q": word}).get("total", 0) > 0
        except OSError:
            found = not present
        if found == present:
            return time.perf_counter() - t0
        time.sleep(0.02)
    raise SystemExit(f"{word!r} was not {'found' if present else 'gone'} within "
                     f"{SEARCH_FRESH_TIMEOUT_S} s")


def new_words(count: int, seed: int) -> list[str]:
    """Made-up words no corpus document holds."""
    rng = random.Random(seed)
    return ["zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9))
            for _ in range(count)]


def measure(args: argparse.Namespace) -> dict:
    """Run every measurement; the figures as a dict."""
    n = args.paragraphs
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    corpus_dir = workdir / f"corpus-{n}"
    out: dict = {"paragraphs": n, "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    log(f"corpus and index of {n} paragraphs in {workdir} ...")
    gen.generate_corpus(corpus_dir, n, args.seed)
    shutil.rmtree(corpus_dir / DROP_FOLDER, ignore_errors=True)
    index_dir, _figures = ensure_index("sync", corpus_dir, workdir, n, log)
    out["prime_sync_s"] = _timed_sync(corpus_dir, index_dir)  # writes the document table
    out["derive_s"] = _timed_derive(index_dir)  # done at commit time by indexes built now
    queries = workload()
    probe = queries[0]["q"]
    extra = args.serve_args.split() if args.serve_args else []

    server = Server(index_dir, corpus_dir, watch=False, extra=extra)
    try:
        out["startup_s"] = server.first_answer_s(probe)
    finally:
        server.stop()
    log(f"start-up without --watch: {out['startup_s']} s")

    server = Server(index_dir, corpus_dir, watch=True, extra=extra, log_path=args.server_log)
    try:
        out["startup_watch_s"] = server.first_answer_s(probe)
        log(f"start-up with --watch: {out['startup_watch_s']} s")
        with Clients(server, queries, 4):  # warm the caches: the figures are of a warm server
            time.sleep(args.warm)
        out["rss_start_mb"] = server.rss_mb()
        out["throughput"] = {}
        for k in (1, 4, 20):
            with Clients(server, queries, k) as clients:
                time.sleep(args.seconds)
            out["throughput"][k] = clients.figures()
            log(f"{k} clients: {out['throughput'][k]}")
        out.update(_freshness(server, corpus_dir, queries, args))
    finally:
        server.stop()
        shutil.rmtree(corpus_dir / DROP_FOLDER, ignore_errors=True)
    _timed_sync(corpus_dir, index_dir)  # unindex the dropped documents
    one = out["throughput"][1]["rps"] or 1e-9
    out["speedup_4"] = round(out["throughput"][4]["rps"] / one, 2)
    out["speedup_20"] = round(out["throughput"][20]["rps"] / one, 2)
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _timed_derive(index_dir: Path) -> float:
    """Write the derived files of segments lacking them (an index built by older code)."""
    from search.derived import write_for_new_segments
    from search.index import open_index

    t0 = time.perf_counter()
    write_for_new_segments(open_index(index_dir))
    return round(time.perf_counter() - t0, 2)


def _timed_sync(corpus_dir: Path, index_dir: Path) -> float:
    from search.sync import update_index

    t0 = time.perf_counter()
    update_index([corpus_dir], index_dir)
    return round(time.perf_counter() - t0, 2)


def _freshness(server: Server, corpus_dir: Path, queries: list[dict],
               args: argparse.Namespace) -> dict:
    """Drop documents one at a time (the first --docs while 4 clients search)."""
    words = new_words(args.commits, args.seed)
    rss, pss = [server.rss_mb()], [server.pss_mb()]

    def commit(word: str) -> float:
        """Drop a document; seconds to its first hit (memory read once it has settled)."""
        drop_document(corpus_dir, word)
        seconds = wait_for_hits(server, word, present=True)
        time.sleep(0.5)  # every worker moves to the commit; the old state is freed
        rss.append(server.rss_mb())
        pss.append(server.pss_mb())
        return seconds

    with Clients(server, queries, 4) as clients, PeakMemory(server) as peak:
        time.sleep(args.seconds)
        quiet = clients.figures()
        loaded_from = time.monotonic()
        fresh = [commit(word) for word in words[:args.docs]]
        busy = clients.figures(since=loaded_from)
        for word in words[args.docs:]:
            commit(word)
    log(f"freshness {[round(f, 2) for f in fresh]}; rss {rss}; pss {pss}; peak {peak.mb}")
    return {
        "freshness_s": {"median": round(statistics.median(fresh), 2),
                        "max": round(max(fresh), 2), "all": [round(f, 2) for f in fresh]},
        "clients_quiet": quiet, "clients_during_commits": busy,
        "p99_ratio": round((busy["p99_ms"] or 0) / (quiet["p99_ms"] or 1e-9), 2),
        "rss_mb": rss, "pss_mb": pss, "commits": len(rss) - 1, "rss_peak_mb": peak.mb,
        # flat: the spread of every reading (before the first commit and after each) over
        # the lowest, and the drift from before the first commit to after the last
        "rss_spread_pct": _spread_pct(rss), "pss_spread_pct": _spread_pct(pss),
        "rss_drift_pct": round(100 * (rss[-1] - rss[0]) / rss[0], 1),
    }


class PeakMemory:
    """The highest server RSS (RssAnon summed) seen while it runs, sampled every 0.1 s: the
    moments between two commits' readings, when an old and a new state coexist."""

    def __init__(self, server: Server):
        self.server, self.mb = server, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.mb = max(self.mb, self.server.rss_mb())


def _spread_pct(readings: list[float]) -> float:
    return round(100 * (max(readings) - min(readings)) / min(readings), 1)


def table(out: dict) -> str:
    """The figures as lines of text."""
    t = out["throughput"]
    lines = [
        f"live benchmark, {out['paragraphs']} paragraphs; load average "
        f"{out['loadavg_start']} -> {out['loadavg_end']} (2 cores, shared machine)",
        f"start-up to first answer: {out['startup_s']} s; with --watch "
        f"{out['startup_watch_s']} s (before: first sync {out['prime_sync_s']} s, deriving "
        f"arrays {out['derive_s']} s)",
    ]
    for k, f in t.items():
        lines.append(f"  {k:>2} clients: {f['rps']:>7} req/s  p50 {f['p50_ms']} ms  "
                     f"p95 {f['p95_ms']} ms  p99 {f['p99_ms']} ms  failures {f['failures']}")
    lines += [
        f"speed-up over 1 client: x{out['speedup_4']} at 4, x{out['speedup_20']} at 20",
        f"freshness (file dropped -> first hit, 4 clients searching): median "
        f"{out['freshness_s']['median']} s, max {out['freshness_s']['max']} s",
        f"4 clients' p99: {out['clients_quiet']['p99_ms']} ms quiet, "
        f"{out['clients_during_commits']['p99_ms']} ms during commits "
        f"(x{out['p99_ratio']}); failures {out['clients_during_commits']['failures']}",
        f"server RSS (no page cache, processes summed) over {out['commits']} commits: "
        f"{out['rss_mb'][0]} -> {out['rss_mb'][-1]} MB, {min(out['rss_mb'])}-"
        f"{max(out['rss_mb'])} MB (spread {out['rss_spread_pct']}%, drift "
        f"{out['rss_drift_pct']}%); highest between readings {out['rss_peak_mb']} MB",
        f"  the same with shared pages counted once (Pss_Anon): {min(out['pss_mb'])}-"
        f"{max(out['pss_mb'])} MB (spread {out['pss_spread_pct']}%)",
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, required=True)
    parser.add_argument("--workdir", default=None,
                        help="corpus and index folder (default: /tmp/docsearch-live-N)")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="seconds per throughput level and quiet baseline")
    parser.add_argument("--warm", type=float, default=40.0,
                        help="seconds of searching before the figures (fills the caches)")
    parser.add_argument("--docs", type=int, default=10, help="documents timed for freshness")
    parser.add_argument("--commits", type=int, default=20, help="commits for the memory figure")
    parser.add_argument("--serve-args", default="", help="extra `docsearch serve` options")
    parser.add_argument("--server-log", default=None,
                        help="append the watching server's debug log (sync and warm-up "
                             "times) to this file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    args.workdir = args.workdir or f"/tmp/docsearch-live-{args.paragraphs}"
    args.commits = max(args.commits, args.docs)
    out = measure(args)
    print(json.dumps(out, indent=2) if args.json else table(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
