"""docsearch benchmark: generate a corpus, index it, run the query workload on docsearch, SQLite
FTS5 and Tantivy, and through the production server.

    python bench/run.py --paragraphs 100000 [--json] [--workdir DIR] [--keep]

With --workdir, the generated corpus, the indexes and their build figures are kept there and
reused by later runs with the same size (delete a folder to rebuild it). Without it, a
temporary folder is used and removed at the end unless --keep.

Indexing variants (each runs in a child process, so its peak RSS is its own):

    serial   read+extract then write, one process (what build_index does, minus hashing plans)
    pool     read+extract in multiprocessing.Pool(2), one Whoosh writer in the parent
    mp       read+extract in the parent, Whoosh writer(procs=2, multisegment=True)
    poolmp   Pool(2) read+extract feeding writer(procs=2, multisegment=True)
    sync     search.sync.build_index itself, i.e. what `docsearch index` does (default)

Query levels, each over the whole workload (bench/workload.py), on one long-lived searcher:

    a  top 10            b  a + highlighted snippets
    c  b + exact facet counts over all matches; for docsearch exactly search.query.search()
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python bench/run.py` from anywhere
    sys.path.insert(0, str(HERE.parent))

from bench import corpus as gen  # noqa: E402
from bench.workload import api_params, workload  # noqa: E402

VARIANTS = ("serial", "pool", "mp", "poolmp", "sync")
DEFAULT_VARIANTS = ("sync",)  # the product: search.sync, two segment-writing processes
LARGE_DEFAULT_VARIANTS = ("sync",)  # above 100k paragraphs, unless --variants says otherwise
WRITER_LIMIT_MB = 256
ENGINES = ("docsearch", "proto", "fts5", "tantivy")  # proto: docsearch + proposed changes
LEVELS = ("a", "b", "c")


# ---------------------------------------------------------------- indexing (child process)


def _extract_one(job: tuple[str, str]):
    """Worker: read, extract and make records for one file; (records, seconds, error)."""
    from search.errors import DocumentError
    from search.index import content_hash
    from search.records import paragraph_records, read_and_extract

    path, root = job
    started = time.perf_counter()
    try:
        doc, facts = read_and_extract(Path(path), Path(root))
        records = paragraph_records(doc, facts, content_hash(Path(path)))
    except DocumentError as exc:
        return None, time.perf_counter() - started, f"{path}: {exc}"
    return records, time.perf_counter() - started, None


def patch_whoosh_length_cache() -> None:
    """Prototype of a fix for search/index.py: cache Whoosh's "no length column" answer.

    Whoosh 2.7's W3PerDocReader._cached_reader caches a field's length reader only when the
    column exists; for unscored fields (ID, KEYWORD scorable=False, NUMERIC, DATETIME) it calls
    storage.file_exists() -- an os.stat -- for every posting while a segment is written. Caching
    None as well is safe: a segment's columns never change once written.
    """
    from whoosh.codec import whoosh3

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = (self.column_reader(fieldname, column) if self.has_column(fieldname)
                      else None)
            self._readers[fieldname] = reader
            return reader

    whoosh3.W3PerDocReader._cached_reader = _cached_reader


def lean_schema(base):
    """Prototype of a leaner search/index.py schema(): the same field names, fewer postings.

    text: spelling=False -- with a stemming analyzer, spelling=True makes Whoosh analyze the
    text a second time, unstemmed, into a hidden spelling field; hash: stored only (it is
    only ever read from stored fields); paragraph: one term per value (shift_step=32) rather
    than eight (it is sorted by column, never range-queried); date: shift_step=16, four terms
    per value rather than eight.
    """
    from whoosh.fields import DATETIME, NUMERIC, STORED, TEXT

    from search import index as si

    fields = dict(base.items())
    fields[si.TEXT_FIELD] = TEXT(stored=True, analyzer=si.text_analyzer(), phrase=True)
    fields[si.HASH] = STORED()
    fields[si.PARAGRAPH] = NUMERIC(stored=True, sortable=True, shift_step=32)
    fields[si.DATE] = DATETIME(stored=True, sortable=True, shift_step=16)
    from whoosh.fields import Schema

    return Schema(**fields)


def index_corpus(variant: str, corpus_dir: Path, index_dir: Path, processes: int = 2) -> dict:
    """Build a fresh index of corpus_dir in index_dir with one pipeline variant; its figures."""
    import multiprocessing

    from search import index as si
    from search.documents import iter_document_paths

    name = variant
    variant, *fixes = variant.split("+")
    if variant not in VARIANTS or not set(fixes) <= {"nc", "lean"}:
        raise SystemExit(f"unknown variant {name!r}; use one of {', '.join(VARIANTS)}, "
                         "optionally with +nc and/or +lean")
    if "nc" in fixes:
        patch_whoosh_length_cache()
    if "lean" in fixes:
        original = si.schema
        si.schema = lambda: lean_schema(original())
    started = time.perf_counter()
    if variant == "sync":
        from search.sync import build_index

        report = build_index([corpus_dir], index_dir)
        wall = time.perf_counter() - started
        return {"variant": name, "documents": report.documents,
                "paragraphs": report.paragraphs, "skipped": len(report.skipped),
                "wall_s": round(wall, 2), "extract_s": None, "write_s": None}
    paths = [(str(p), str(corpus_dir)) for p in iter_document_paths(corpus_dir)]
    list_s = time.perf_counter() - started
    ix = si.create_index(index_dir)
    multi = variant in ("mp", "poolmp")
    pooled = variant in ("pool", "poolmp")
    if multi:
        writer = ix.writer(procs=processes, multisegment=True, limitmb=WRITER_LIMIT_MB)
    else:
        writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    extract_s = write_s = wait_s = 0.0
    documents = paragraphs = skipped = 0
    pool = None
    try:
        if pooled:
            pool = multiprocessing.get_context("fork").Pool(processes)
            results = pool.imap(_extract_one, paths, chunksize=8)
        else:
            results = map(_extract_one, paths)
        while True:
            t0 = time.perf_counter()
            try:
                records, seconds, error = next(results)
            except StopIteration:
                break
            t1 = time.perf_counter()
            wait_s += t1 - t0
            extract_s += seconds
            if records is None:
                skipped += 1
                continue
            for record in records:
                writer.add_document(**record)
            write_s += time.perf_counter() - t1
            documents += 1
            paragraphs += len(records)
        t0 = time.perf_counter()
        writer.commit()
        commit_s = time.perf_counter() - t0
        write_s += commit_s
    except BaseException:
        writer.cancel()
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    wall = time.perf_counter() - started
    with ix.reader() as reader:
        segments = len(reader.leaf_readers())
    return {"variant": name, "documents": documents, "paragraphs": paragraphs,
            "skipped": skipped, "wall_s": round(wall, 2), "list_s": round(list_s, 2),
            # extraction: seconds spent reading+extracting (summed over workers when pooled)
            "extract_s": round(extract_s, 2),
            # writing: parent seconds in add_document + commit; commit alone too
            "write_s": round(write_s, 2), "commit_s": round(commit_s, 2),
            # parent seconds waiting for the pool (when pooled) or extracting (when not)
            "wait_s": round(wait_s, 2), "segments": segments}


def _child_main(argv: list[str]) -> int:
    variant, corpus_dir, index_dir, out = argv
    figures = index_corpus(variant, Path(corpus_dir), Path(index_dir))
    figures["maxrss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["maxrss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    Path(out).write_text(json.dumps(figures))
    return 0


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            continue
    tree = {root_pid}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return sum(rss.get(pid, 0) for pid in tree)


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def run_index_variant(variant: str, corpus_dir: Path, index_dir: Path, log) -> dict:
    """Index in a child process, sampling the RSS of its whole process tree."""
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    out = index_dir.parent / f".{index_dir.name}.child.json"
    log(f"indexing with variant {variant} ...")
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "_index", variant,
                              str(corpus_dir), str(index_dir), str(out)])
    peak_kb = 0
    while child.poll() is None:
        peak_kb = max(peak_kb, _tree_rss_kb(child.pid))
        time.sleep(0.2)
    if child.returncode != 0:
        raise SystemExit(f"indexing variant {variant} failed (exit {child.returncode})")
    figures = json.loads(out.read_text())
    out.unlink()
    figures["peak_rss_tree_mb"] = round(peak_kb / 1024, 1)
    figures["index_mb"] = round(dir_mb(index_dir), 1)
    figures["paragraphs_per_s"] = round(figures["paragraphs"] / figures["wall_s"], 1)
    return figures


# ---------------------------------------------------------------- querying


def percentiles(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)

    return {"n": len(ordered), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ordered[-1], 3), "mean_ms": round(statistics.fmean(ordered), 3)}


class DocsearchEngine:
    """docsearch on one long-lived searcher, as the server holds it (LiveIndex)."""

    name = "docsearch"

    def __init__(self, index_dir: Path):
        from search.index import LiveIndex
        from search.query import warm_up

        started = time.perf_counter()
        self.live = LiveIndex(index_dir, on_open=warm_up)  # as web/searcher.py opens it
        self.searcher = self.live.searcher()
        self.open_s = round(time.perf_counter() - started, 2)

    def request(self, query: dict):
        from search.query import SearchRequest

        return SearchRequest(q=query["q"], speakers=list(query["speakers"]),
                             organisations=list(query["organisations"]),
                             date_from=query["date_from"], date_to=query["date_to"])

    def whoosh_query(self, query: dict):
        """The words, date range and facet filters as one Whoosh query (for levels a and b)."""
        from whoosh import query as wq

        from search.query import FACETS, date_range_query, parse_query

        request = self.request(query)
        parts = [parse_query(self.searcher, request.q)]
        if (dates := date_range_query(request)) is not None:
            parts.append(dates)
        parts += [fq for facet in FACETS if (fq := facet.filter_query(request)) is not None]
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def run(self, query: dict, level: str) -> dict:
        from search.errors import QueryError
        from search.query import search

        if level == "c":
            try:
                result = search(self.searcher, self.request(query))
            except QueryError as exc:  # e.g. over the time limit: counted, not fatal
                return {"hits": [], "total": None, "facets": {}, "error": str(exc)}
            return {"hits": [h["document"] for h in result["hits"]], "total": result["total"],
                    "facets": result["facets"]}
        return whoosh_top10(self.searcher, self.whoosh_query(query), query, level)

    def close(self) -> None:
        self.live.close()


def whoosh_top10(searcher, q, query: dict, level: str) -> dict:
    """Levels a and b with Whoosh directly: searcher.search(q, limit=10), plus hit.highlights."""
    from whoosh import highlight, sorting

    if query["terms"]:
        results = searcher.search(q, limit=10)
    else:  # no words: newest first, like the peers
        results = searcher.search(q, limit=10, sortedby=sorting.FieldFacet("date", reverse=True))
    if level == "a":
        return {"hits": [hit.docnum for hit in results]}
    results.formatter = highlight.HtmlFormatter(tagname="mark")
    results.fragmenter = highlight.ContextFragmenter(maxchars=600, surround=100)
    snippets = [hit.highlights("text", top=2) or hit.get("text", "")[:600] for hit in results]
    return {"hits": [hit.docnum for hit in results], "snippets": snippets}


def time_workload(engine, queries: list[dict], level: str, repeat: int,
                  budget_s: float | None = None) -> tuple[list[float], list[dict]]:
    """Milliseconds per query (repeat passes over the workload) and the last pass's results."""
    samples: list[float] = []
    results: list[dict] = []
    deadline = time.monotonic() + budget_s if budget_s else None
    for rep in range(repeat):
        for query in queries:
            t0 = time.perf_counter()
            out = engine.run(query, level)
            samples.append((time.perf_counter() - t0) * 1000)
            if rep == repeat - 1:
                results.append(out)
            if deadline and time.monotonic() > deadline:
                return samples, results
    return samples, results


def by_kind(queries: list[dict], samples: list[float]) -> dict:
    """p50/p95 per query kind (samples in workload order, possibly several passes)."""
    groups: dict[str, list[float]] = {}
    for i, ms in enumerate(samples):
        groups.setdefault(queries[i % len(queries)]["kind"], []).append(ms)
    return {kind: {k: v for k, v in percentiles(ms).items() if k in ("p50_ms", "p95_ms")}
            for kind, ms in groups.items()}


def agreement(queries: list[dict], results: dict[str, list[dict]]) -> dict:
    """How often the engines' totals and facet counts agree with docsearch's, query by query."""
    ref = results.get("docsearch") or []
    report = {}
    for name, found in results.items():
        if name == "docsearch" or not found:
            continue
        same_total = same_facets = 0
        examples = []
        same_hits = 0
        for query, mine, theirs in zip(queries, ref, found, strict=False):
            same_hits += mine.get("hits") == theirs.get("hits")
            if mine.get("total") == theirs.get("total"):
                same_total += 1
            elif len(examples) < 3:
                examples.append({"q": query["q"], "docsearch": mine.get("total"),
                                 name: theirs.get("total")})
            # Every value docsearch reports has the peer's count. Zero counts (docsearch lists
            # selected values even when none match) are ignored, and docsearch may cut a
            # facet's long tail, so the peer may list more values.
            facets_equal = True
            for f in ("speaker", "organisation", "year"):
                peer = {str(k): v for k, v in theirs["facets"].get(f, {}).items()}
                facets_equal &= all(peer.get(k) == v for k, v in mine["facets"].get(f, {}).items()
                                    if v)
            same_facets += facets_equal
        report[name] = {"same_total": same_total, "same_facets": same_facets,
                        # only meaningful for proto: the peers' hits are their own ids
                        **({"same_top10": same_hits} if name == "proto" else {}),
                        "of": len(found), "examples": examples}
    return report


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_workload(index_dir: Path, corpus_dir: Path, queries: list[dict], budget_s: float,
                  log) -> dict:
    """p50/p95 of /api/search through `docsearch serve` (waitress), sequential requests."""
    # `docsearch serve` run as `python -m search.cli serve` from the repository root: the same
    # code path (waitress), and it imports this checkout's web package whatever the install.
    port = free_port()
    cmd = [sys.executable, "-m", "search.cli", "serve", "--index", str(index_dir),
           "--corpus", str(corpus_dir), "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              cwd=str(HERE.parent))
    base = f"http://127.0.0.1:{port}/api/search?"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                err = server.stderr.read().decode(errors="replace")[-500:]
                return {"error": f"server exited ({server.returncode}): {err}"}
            try:
                with urllib.request.urlopen(base + "q=zzzz", timeout=30) as resp:
                    resp.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    return {"error": "server did not answer within 120 s"}
                time.sleep(0.3)
        samples: list[float] = []
        cold: list[float] = []
        errors = 0
        stop = time.monotonic() + budget_s
        for passno in range(2):  # pass 0 is cold (first sight of each query), pass 1 warm
            for query in queries:
                url = base + urllib.parse.urlencode(api_params(query))
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=120) as resp:
                        resp.read()
                except OSError:
                    errors += 1
                    continue
                (samples if passno == 1 else cold).append((time.perf_counter() - t0) * 1000)
                if time.monotonic() > stop:
                    break
        return {**percentiles(samples), "errors": errors, "complete": len(samples) == len(queries),
                "cold": percentiles(cold[1:])}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# ---------------------------------------------------------------- orchestration


def profile_search(index_dir: Path, queries: list[dict], dest: Path, log) -> dict:
    """cProfile of docsearch level c over the workload (after a warm-up pass): writes
    dest (pstats) and dest.txt (the top functions by cumulative and by own time)."""
    import cProfile
    import io
    import pstats

    engine = DocsearchEngine(index_dir)
    time_workload(engine, queries, "c", 1)
    profiler = cProfile.Profile()
    profiler.enable()
    samples, _ = time_workload(engine, queries, "c", 1)
    profiler.disable()
    engine.close()
    profiler.dump_stats(str(dest))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    Path(str(dest) + ".txt").write_text(text.getvalue())
    log(f"profile written to {dest} and {dest}.txt")
    return {"file": str(dest), "profiled_total_s": round(sum(samples) / 1000, 2),
            "by_kind": by_kind(queries, samples)}


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def ensure_index(variant: str, corpus_dir: Path, workdir: Path, n: int, log,
                 rebuild: bool = False) -> tuple[Path, dict]:
    index_dir = workdir / f"index-{n}-{variant}"
    info_path = workdir / f"index-{n}-{variant}.json"
    info = load_json(info_path)
    if info and not rebuild and any(index_dir.glob("_MAIN_*.toc")):
        from search.errors import IndexStateError
        from search.index import open_index

        try:  # an index of an older schema() is rebuilt, not reused
            open_index(index_dir).close()
            return index_dir, {**info, "reused": True}
        except IndexStateError as exc:
            log(f"rebuilding {index_dir.name}: {exc}")
    figures = run_index_variant(variant, corpus_dir, index_dir, log)
    info_path.write_text(json.dumps(figures, indent=2))
    return index_dir, {**figures, "reused": False}


def ensure_peer(kind: str, index_dir: Path, workdir: Path, n: int, log) -> tuple[Path, dict]:
    from bench.peers import Fts5Peer, TantivyPeer

    path = workdir / (f"fts5-{n}.sqlite" if kind == "fts5" else f"tantivy-{n}")
    info_path = Path(str(path) + ".json")
    info = load_json(info_path)
    source = f"{index_dir}@{(workdir / (index_dir.name + '.json')).stat().st_mtime}"
    if info and path.exists() and info.get("source") == source:
        return path, {**info, "reused": True}
    log(f"building the {kind} peer ...")
    builder = Fts5Peer.build if kind == "fts5" else TantivyPeer.build
    info = {**builder(index_dir, path), "source": source}
    info_path.write_text(json.dumps(info, indent=2))
    return path, {**info, "reused": False}


def open_engine(name: str, index_dir: Path, peer_paths: dict):
    if name == "docsearch":
        return DocsearchEngine(index_dir)
    from bench.peers import DocsearchPrototype, Fts5Peer, TantivyPeer

    if name == "proto":
        return DocsearchPrototype(index_dir)

    return (Fts5Peer if name == "fts5" else TantivyPeer)(peer_paths[name])


def run(args: argparse.Namespace) -> dict:
    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    n = args.paragraphs
    own_tmp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="docsearch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    out: dict = {"paragraphs": n, "workdir": str(workdir), "machine": {
        "cpus": os.cpu_count(), "python": sys.version.split()[0],
        "loadavg_start": [round(x, 2) for x in os.getloadavg()]}}
    try:
        corpus_dir = workdir / f"corpus-{n}"
        log(f"corpus: {n} paragraphs in {corpus_dir} ...")
        out["corpus"] = gen.generate_corpus(corpus_dir, n, args.seed)
        out["corpus"]["mb"] = round(dir_mb(corpus_dir), 1)
        log(f"corpus ready ({out['corpus']['documents']} documents, "
            f"{'reused' if out['corpus']['reused'] else str(out['corpus']['seconds']) + ' s'})")

        variants = (args.variants.split(",") if args.variants
                    else DEFAULT_VARIANTS if n <= 100_000 else LARGE_DEFAULT_VARIANTS)
        builds = {}
        for variant in variants:
            index_dir, figures = ensure_index(variant, corpus_dir, workdir, n, log,
                                              rebuild=args.rebuild)
            builds[variant] = {**figures, "dir": str(index_dir)}
            log(f"  {variant}: {figures['paragraphs_per_s']} paragraphs/s, "
                f"{figures['wall_s']} s, {figures['index_mb']} MB, "
                f"peak RSS {figures['peak_rss_tree_mb']} MB"
                + (" (reused)" if figures.get("reused") else ""))
        out["index_variants"] = builds
        best = min(builds, key=lambda v: builds[v]["wall_s"])
        chosen = args.query_variant or best
        if chosen not in builds:
            index_dir, figures = ensure_index(chosen, corpus_dir, workdir, n, log)
            builds[chosen] = {**figures, "dir": str(index_dir)}
        b = builds[best]
        out.update({
            "index_fastest_variant": best,
            "index_paragraphs_per_s": b["paragraphs_per_s"],
            "index_seconds": b["wall_s"],
            "index_mb": b["index_mb"],
            "peak_rss_mb": b["peak_rss_tree_mb"],
            "index_extract_s": b.get("extract_s"),
            "index_write_s": b.get("write_s"),
            "query_index_variant": chosen,
        })
        index_dir = Path(builds[chosen]["dir"])

        engines = [e for e in ENGINES if e not in (args.skip or "").split(",")
                   and (e != "proto" or args.with_proto)]
        peer_paths, out["peers"] = {}, {}
        for kind in ("fts5", "tantivy"):
            if kind in engines:
                try:
                    peer_paths[kind], out["peers"][kind] = ensure_peer(
                        kind, index_dir, workdir, n, log)
                except ImportError as exc:
                    log(f"skipping {kind}: {exc}")
                    engines.remove(kind)

        queries = workload(args.seed)
        if args.limit_queries:
            queries = queries[:args.limit_queries]
        out["queries"] = len(queries)
        repeat = args.repeat or (3 if n <= 20_000 else 1)
        query_out: dict = {}
        final: dict[str, list[dict]] = {}
        for name in engines:
            engine = open_engine(name, index_dir, peer_paths)
            t0 = time.perf_counter()
            warm, _ = time_workload(engine, queries, "c", 1)  # warm-up: caches, facet columns
            log(f"{name}: warm-up pass {time.perf_counter() - t0:.1f} s "
                f"(first query {warm[0]:.0f} ms)")
            # The warm-up pass is the cold figure: each query's terms seen for the first time
            # (docsearch caches term postings per reader, so the timed passes run warm).
            stats: dict = {"first_query_ms": round(warm[0], 1),
                           "warmup_pass_s": round(sum(warm) / 1000, 2),
                           "c_cold": percentiles(warm[1:])}
            if hasattr(engine, "open_s"):
                stats["open_and_warm_up_s"] = engine.open_s
            for level in (("c",) if name == "proto" else args.levels.split(",")):
                samples, results = time_workload(engine, queries, level, repeat)
                stats[level] = percentiles(samples)
                if level == "c":
                    stats["c_by_kind"] = by_kind(queries, samples)
                    stats["c_errors"] = sum(1 for r in results if r.get("error"))
                    final[name] = results
                log(f"{name} {level}: p50 {stats[level]['p50_ms']} ms, "
                    f"p95 {stats[level]['p95_ms']} ms")
            stats["p50_ms"], stats["p95_ms"] = stats["c"]["p50_ms"], stats["c"]["p95_ms"]
            query_out[name] = stats
            engine.close()
        out["query"] = query_out
        if "docsearch" in query_out:
            ds = query_out["docsearch"]
            for peer in ("fts5", "tantivy"):
                if peer in query_out:
                    out[f"ratio_p95_vs_{peer}"] = round(ds["p95_ms"] / query_out[peer]["p95_ms"], 2)
                    out[f"ratio_p50_vs_{peer}"] = round(ds["p50_ms"] / query_out[peer]["p50_ms"], 2)
            out["agreement"] = agreement(queries, final)
        out["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        if args.profile:
            out["profile"] = profile_search(index_dir, queries, Path(args.profile), log)
        if not args.no_http:
            log("HTTP: /api/search through docsearch serve ...")
            out["query"]["http"] = http_workload(index_dir, corpus_dir, queries,
                                                 args.http_budget, log)
        return out
    finally:
        if own_tmp and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def table(out: dict) -> str:
    lines = [f"docsearch benchmark: {out['paragraphs']} paragraphs "
             f"({out['corpus']['documents']} documents, {out['corpus']['mb']} MB of files), "
             f"{out['machine']['cpus']} CPUs, load average at start "
             f"{out['machine']['loadavg_start'][0]}, after queries "
             f"{out['machine'].get('loadavg_end', ['?'])[0]}"]
    lines.append("")
    lines.append(f"{'indexing variant':<18}{'wall s':>9}{'para/s':>9}{'extract s':>11}"
                 f"{'write s':>9}{'index MB':>10}{'peak RSS MB':>13}{'segments':>10}")
    for variant, b in out["index_variants"].items():
        ext = "-" if b.get("extract_s") is None else f"{b['extract_s']:.1f}"
        wri = "-" if b.get("write_s") is None else f"{b['write_s']:.1f}"
        lines.append(f"{variant:<18}{b['wall_s']:>9.1f}{b['paragraphs_per_s']:>9.0f}{ext:>11}"
                     f"{wri:>9}{b['index_mb']:>10.1f}{b['peak_rss_tree_mb']:>13.0f}"
                     f"{b.get('segments', '-'):>10}")
    lines.append(f"fastest: {out['index_fastest_variant']}; queries run on the "
                 f"{out['query_index_variant']} index")
    for name, info in out.get("peers", {}).items():
        lines.append(f"{name} peer: build {info['build_s']} s, {info['mb']} MB")
    lines.append("")
    lines.append(f"{out['queries']} queries; ms per query (a: top 10, b: + snippets, "
                 "c: + exact facet counts)")
    lines.append(f"{'engine':<11}" + "".join(f"{lvl + ' p50':>9}{lvl + ' p95':>9}{lvl + ' p99':>9}"
                                            for lvl in LEVELS))
    for name, stats in out["query"].items():
        if name == "http":
            continue
        lines.append(f"{name:<11}" + "".join(
            f"{stats[lvl]['p50_ms']:>9.2f}{stats[lvl]['p95_ms']:>9.2f}{stats[lvl]['p99_ms']:>9.2f}"
            if lvl in stats else f"{'-':>9}{'-':>9}{'-':>9}" for lvl in LEVELS))
    http = out["query"].get("http")
    if http:
        if "error" in http:
            lines.append(f"http       {http['error']}")
        elif http.get("n"):
            lines.append(f"{'http /api':<11}{'':>27}{'':>18}... c p50 {http['p50_ms']:.2f}, "
                         f"p95 {http['p95_ms']:.2f}, p99 {http['p99_ms']:.2f} "
                         f"({http['n']} requests, {http['errors']} errors)")
    cold = {name: stats["c_cold"] for name, stats in out["query"].items()
            if name != "http" and stats.get("c_cold", {}).get("n")}
    if cold:
        lines.append("(c) cold, the warm-up pass (first sight of each query): " + ", ".join(
            f"{name} p50 {c['p50_ms']:.1f} / p95 {c['p95_ms']:.1f}" for name, c in cold.items()))
    if http and http.get("cold", {}).get("n"):
        lines.append(f"http /api cold pass: p50 {http['cold']['p50_ms']:.1f}, "
                     f"p95 {http['cold']['p95_ms']:.1f}")
    for peer in ("fts5", "tantivy"):
        if "proto" in out["query"] and peer in out["query"]:
            proto, other = out["query"]["proto"], out["query"][peer]
            lines.append(f"proto/{peer} (c): p50 x{proto['p50_ms'] / other['p50_ms']:.2f}, "
                         f"p95 x{proto['p95_ms'] / other['p95_ms']:.2f}")
        if f"ratio_p95_vs_{peer}" in out:
            lines.append(f"docsearch/{peer} (c): p50 x{out[f'ratio_p50_vs_{peer}']}, "
                         f"p95 x{out[f'ratio_p95_vs_{peer}']}")
    if "docsearch" in out["query"]:
        lines.append("")
        lines.append("docsearch (c) by query kind, p50 / p95 ms:")
        for kind, s in out["query"]["docsearch"]["c_by_kind"].items():
            peers = "".join(
                f"   {p} {out['query'][p]['c_by_kind'][kind]['p50_ms']:.1f} / "
                f"{out['query'][p]['c_by_kind'][kind]['p95_ms']:.1f}"
                for p in ("proto", "fts5", "tantivy") if p in out["query"])
            lines.append(f"  {kind:<20}{s['p50_ms']:>8.1f} / {s['p95_ms']:<8.1f}{peers}")
    for peer, a in out.get("agreement", {}).items():
        lines.append(f"agreement of {peer} with docsearch: totals {a['same_total']}/{a['of']}, "
                     f"facet counts {a['same_facets']}/{a['of']}"
                     + (f", top 10 {a['same_top10']}/{a['of']}" if peer == "proto" else ""))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, required=True)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--workdir", type=Path, help="keep and reuse corpus and indexes here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--variants", help=f"indexing variants, comma separated: "
                                           f"{','.join(VARIANTS)}")
    parser.add_argument("--query-variant", help="run queries on this variant's index "
                                                "(default: the fastest)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild indexes even if present")
    parser.add_argument("--repeat", type=int, help="timed passes per level "
                                                   "(default 3 up to 20k paragraphs, else 1)")
    parser.add_argument("--limit-queries", type=int, help="only the first N workload queries")
    parser.add_argument("--skip", default="", help="engines to skip: docsearch,fts5,tantivy")
    parser.add_argument("--no-http", action="store_true", help="skip the server measurement")
    parser.add_argument("--levels", default=",".join(LEVELS),
                        help="query levels to time: a (top 10), b (+ snippets), c (+ facets: "
                             "search() itself); a and b are plain Whoosh, slow at 1M")
    parser.add_argument("--with-proto", action="store_true",
                        help="also run bench/peers.py's DocsearchPrototype (a reference "
                             "search() with numpy facet arrays and Whoosh top-k ranking)")
    parser.add_argument("--profile", metavar="FILE",
                        help="also cProfile docsearch level c; pstats to FILE, text to FILE.txt")
    parser.add_argument("--http-budget", type=float, default=300.0,
                        help="seconds at most for the HTTP pass")
    parser.add_argument("--cluster", metavar="SHARDS",
                        help="instead: the single index against SHARDS shards on a local Ray "
                             "(comma separated, e.g. 2,4; see bench/cluster.py)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_index":
        return _child_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.cluster:
        from bench.cluster import run_cluster
        from bench.cluster import table as cluster_table

        out = run_cluster(args.paragraphs, [int(n) for n in args.cluster.split(",")],
                          args.workdir, args.limit_queries)
        print(json.dumps(out, indent=2) if args.json else cluster_table(out))
        return 0
    out = run(args)
    if args.json:
        print(json.dumps(out, indent=2, default=str))
    else:
        print(table(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
