"""The sharded index on Ray against the single index, in one run (`bench/run.py --cluster 2,4`).

For the generated corpus: indexing throughput of the single Whoosh index (its own parallel
writer) and of N shards on a local Ray instance (extraction as Ray tasks on every core), then
search latency (p50/p95 of search() over the benchmark workload) for each, the memory of
each shard actor and the disk each shard takes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.corpus import generate_corpus
from bench.workload import workload


def percentiles(samples: list[float]) -> dict:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    pick = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}


def request_of(query: dict):
    """A SearchRequest for a workload query."""
    from search.query import SearchRequest

    return SearchRequest(q=query["q"], speakers=list(query["speakers"]),
                         organisations=list(query["organisations"]),
                         date_from=query["date_from"], date_to=query["date_to"])


def time_searches(searcher, queries: list[dict]) -> dict:
    """Each query once to warm up, then once timed; failures counted."""
    from search.errors import QueryError

    samples, failed = [], 0
    for query in queries:
        try:
            searcher.search(request_of(query))
        except QueryError:
            pass
    for query in queries:
        started = time.perf_counter()
        try:
            searcher.search(request_of(query))
        except QueryError:
            failed += 1
        samples.append(time.perf_counter() - started)
    return {**percentiles(samples), "queries": len(queries), "failed": failed}


def rss_mb(pid: int) -> float:
    """The resident memory of a process on this machine, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def dir_mb(path: Path) -> float:
    """The size of the files under path, in MB (hard links counted once)."""
    seen, total = set(), 0
    for item in Path(path).rglob("*"):
        if item.is_file():
            stat = item.stat()
            if stat.st_ino not in seen:
                seen.add(stat.st_ino)
                total += stat.st_size
    return round(total / 1e6, 1)


def bench_single(corpus: Path, workdir: Path, queries: list[dict]) -> dict:
    """Index and search with the single Whoosh index."""
    from search.engine import WhooshBackend

    index_dir = workdir / "single"
    shutil.rmtree(index_dir, ignore_errors=True)
    backend = WhooshBackend(index_dir)
    started = time.perf_counter()
    report = backend.update([corpus])
    wall = time.perf_counter() - started
    searcher = backend.searcher()
    figures = {"index_s": round(wall, 1), "paragraphs": report.paragraphs,
               "paragraphs_per_s": round(report.paragraphs / wall), "index_mb": dir_mb(index_dir),
               "search": time_searches(searcher, queries), "searcher_rss_mb": rss_mb(os.getpid())}
    searcher.close()
    return figures


def bench_sharded(corpus: Path, workdir: Path, shards: int, queries: list[dict]) -> dict:
    """Index and search with `shards` shards on the running Ray instance."""
    import ray

    from search.cluster import ClusterBackend, read_manifest

    index_dir = workdir / f"sharded-{shards}"
    shutil.rmtree(index_dir, ignore_errors=True)
    backend = ClusterBackend(index_dir, address=None, shards=shards, timeout=60.0)
    started = time.perf_counter()
    report = backend.update([corpus], rebuild=True)
    wall = time.perf_counter() - started
    searcher = backend.searcher()
    timed = time_searches(searcher, queries)
    manifest = read_manifest(index_dir)
    actors = backend.actors(shards)
    pids = [ray.get(actor.ping.remote())[0] for actor in actors]
    root = Path(manifest["root"])
    per_shard = [{"rss_mb": rss_mb(pid),
                  "disk_mb": dir_mb(root / f"shard-{k}" / f"gen-{manifest['generation']}")}
                 for k, pid in enumerate(pids)]
    for actor in actors:
        ray.kill(actor)
    return {"shards": shards, "index_s": round(wall, 1), "paragraphs": report.paragraphs,
            "paragraphs_per_s": round(report.paragraphs / wall), "search": timed,
            "per_shard": per_shard, "paragraphs_per_shard": round(report.paragraphs / shards)}


def run_cluster(paragraphs: int, shard_counts: list[int], workdir: Path | None = None,
                limit_queries: int | None = None) -> dict:
    """The whole comparison; returns the figures."""
    import tempfile

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only
    import ray

    workdir = Path(workdir or tempfile.mkdtemp(prefix="docsearch-cluster-bench-"))
    corpus = workdir / f"corpus-{paragraphs}"
    generate_corpus(corpus, paragraphs)
    queries = workload()[:limit_queries] if limit_queries else workload()
    out = {"paragraphs": paragraphs, "cpus": os.cpu_count(), "queries": len(queries),
           "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    print(f"[cluster bench] single index over {paragraphs} paragraphs ...", file=sys.stderr)
    out["single"] = bench_single(corpus, workdir, queries)
    ray.init(address="local", _node_ip_address="127.0.0.1", include_dashboard=False,
             configure_logging=False,
             log_to_driver=False)
    try:
        out["sharded"] = []
        for shards in shard_counts:
            print(f"[cluster bench] {shards} shards ...", file=sys.stderr)
            out["sharded"].append(bench_sharded(corpus, workdir, shards, queries))
    finally:
        ray.shutdown()
    single = out["single"]["paragraphs_per_s"]
    for figures in out["sharded"]:
        figures["indexing_speedup"] = round(figures["paragraphs_per_s"] / single, 2)
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def table(out: dict) -> str:
    """The figures as a Markdown table."""
    rows = ["| index | index s | paragraphs/s | speed-up | search p50 ms | p95 ms | "
            "memory per shard MB | disk per shard MB |", "|---|---|---|---|---|---|---|---|"]
    single = out["single"]
    rows.append(f"| single | {single['index_s']} | {single['paragraphs_per_s']} | 1.0 | "
                f"{single['search']['p50_ms']} | {single['search']['p95_ms']} | "
                f"{single['searcher_rss_mb']} (process) | {single['index_mb']} |")
    for figures in out["sharded"]:
        rss = "/".join(str(s["rss_mb"]) for s in figures["per_shard"])
        disk = "/".join(str(s["disk_mb"]) for s in figures["per_shard"])
        rows.append(f"| {figures['shards']} shards | {figures['index_s']} | "
                    f"{figures['paragraphs_per_s']} | {figures['indexing_speedup']} | "
                    f"{figures['search']['p50_ms']} | {figures['search']['p95_ms']} | {rss} | "
                    f"{disk} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.cluster PARAGRAPHS SHARDS,...`: print the table and the JSON."""
    argv = sys.argv[1:] if argv is None else argv
    out = run_cluster(int(argv[0]), [int(n) for n in argv[1].split(",")])
    print(table(out))
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
