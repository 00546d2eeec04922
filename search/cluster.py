"""A sharded index on a Ray cluster (`pip install 'docsearch[cluster]'`), behind search.engine.

Documents are assigned to N shards by a stable hash of their file's id. Reading and
extraction run as Ray tasks on every core of every node; each shard's Whoosh index is
written and served by one actor (restarted by Ray when it or its node dies) on its node's
disk. Answers equal the single index's: the shards first report the collection statistics
of the query's terms (document frequencies, field lengths, paragraph counts), then score
with the sums; totals, facet counts and histograms are merged by sum and pages by rank.

Commits are two-phase. Each shard writes generation G+1 into a directory of its own
(hard links to generation G's immutable segment files, plus the new segments), leaving G
as it was; only when every shard has done so does the coordinator replace the manifest
naming the current generation. A writer that dies at any point leaves the manifest, and so
every search, at the last complete generation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import math
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from search.errors import DocsearchError, IndexStateError
from search.index import IndexReport

log = logging.getLogger(__name__)

MANIFEST = "cluster.json"
SHARDS_DIR = "shards"
DEFAULT_SHARDS = 2
# A shard that has not answered by then is reported missing ($DOCSEARCH_SHARD_TIMEOUT_S).
SHARD_TIMEOUT_S = float(os.environ.get("DOCSEARCH_SHARD_TIMEOUT_S") or 10.0)
FILES_PER_TASK = 16  # documents one extraction task reads (a task costs a few ms to start)
GENERATIONS_KEPT = 2  # a shard's newest generation directories kept on disk
NAMESPACE = "docsearch"  # of the shard actors (named after their index's path)


def shard_of(file_id: str, shards: int) -> int:
    """The shard holding a file's documents: a stable hash of its id (same on every run)."""
    digest = hashlib.blake2b(file_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shard_resources(shard: int, offered: dict) -> dict:
    """What a shard's actor asks of its node: the custom resource `docsearch_shard_K` when
    some node offers it (`ray start --resources '{"docsearch_shard_0": 1}'`), which pins the
    shard to the node whose disk holds it, so that Ray restarts it there; else nothing (any
    node, the shard root being shared storage or, on one machine, the local disk)."""
    name = f"docsearch_shard_{shard}"
    return {name: 0.01} if offered.get(name) else {}


def generation_dir(root: Path, shard: int, generation: int) -> Path:
    """Where a shard keeps one generation of its index."""
    return Path(root) / f"shard-{shard}" / f"gen-{generation}"


def read_manifest(index_dir: Path) -> dict | None:
    """The cluster index's manifest (shards, generation, shard root), or None if there is none."""
    path = Path(index_dir) / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise IndexStateError(f"the cluster manifest {path} is unreadable ({exc}); "
                              "rebuild with: docsearch index --rebuild --cluster ...") from exc


def write_manifest(index_dir: Path, manifest: dict) -> None:
    """Replace the manifest atomically (the commit point of a cluster write)."""
    path = Path(index_dir) / MANIFEST
    temp = path.with_suffix(f".tmp{os.getpid()}")
    with open(temp, "w") as handle:
        json.dump(manifest, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        os.fsync(folder)
        os.close(folder)


LOOPBACK = "127.0.0.1"  # a local instance listens on this machine's loopback only


def ensure_ray(address: str | None) -> None:
    """Connect to the Ray cluster at address; `local` (or `auto` when none runs) starts one
    on this machine. Never reaches the network: usage stats and the dashboard are off."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address in (None, "", "local"):
        # A local instance listens on loopback only (read by Ray when it is imported).
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    import ray

    if ray.is_initialized():
        return
    options = {"include_dashboard": False, "logging_level": logging.WARNING,
               "configure_logging": False, "log_to_driver": False}
    if address in (None, "", "local"):
        # A new instance, even if one is running here, bound to loopback only.
        ray.init(address="local", _node_ip_address=LOOPBACK, **options)
        return
    if address.rsplit(":", 1)[0] in ("127.0.0.1", "localhost"):
        options["_node_ip_address"] = LOOPBACK  # this machine's cluster, on loopback only
    try:
        ray.init(address=address, **options)
    except ConnectionError:
        if address != "auto":
            raise DocsearchError(f"no Ray cluster at {address}; start one with: "
                                 "ray start --head") from None
        ray.init(address="local", _node_ip_address=LOOPBACK, **options)


def _ray():
    try:
        import ray
    except ImportError:
        raise DocsearchError("the cluster backend needs Ray: pip install 'docsearch[cluster]'"
                             ) from None
    return ray


# Work done on the nodes


def extract_files(jobs: list[tuple[str, str, str, str]]) -> list[tuple]:
    """In a Ray task: the records of each (file id, path, root, digest), with what was
    skipped and the warnings, as (file id, records or None, skipped, warnings)."""
    from search.records import document_records

    done = []
    for file_id, path, root, digest in jobs:
        report = IndexReport()
        records = document_records(Path(path), Path(root), digest, report)
        done.append((file_id, records, report.skipped, report.warnings))
    return done


class Shard:
    """One shard's index: written and searched by one actor (see ShardActor)."""

    def __init__(self, shard: int, root: str):
        self.shard = shard
        self.root = Path(root)
        self._generation = -1
        self._ix = None
        self._searcher = None

    # Writing

    def indexed(self, generation: int, within: list[str] | None = None) -> dict[str, str]:
        """Document id -> content hash in a generation (empty for generation 0); with
        within, only the documents of those files or folders."""
        from search.sync import indexed_documents, owning_file

        if generation == 0:
            return {}
        found = indexed_documents(self._open_ix(generation))
        if within is not None:
            wanted = set(within)
            found = {doc_id: digest for doc_id, digest in found.items()
                     if owning_file(doc_id, wanted) is not None}
        return found

    def prepare(self, base: int, generation: int, deletions: list[str], batches: list,
                rebuild: bool) -> int:
        """Write generation from base: its deletions, then the records of each batch (object
        refs of extract_files results); nothing is visible until the manifest names it.
        Returns the number of paragraphs written."""
        from search.index import create_index, delete_documents
        from search.sync import abandon_writer, open_writer

        target = generation_dir(self.root, self.shard, generation)
        shutil.rmtree(target, ignore_errors=True)  # what an earlier, failed write left
        if rebuild or base == 0:
            ix = create_index(target)
        else:
            _link_copy(generation_dir(self.root, self.shard, base), target)
            from search.index import open_index

            ix = open_index(target)
        writer = open_writer(ix, 10.0)
        written = 0
        try:
            for doc_id in deletions:
                delete_documents(writer, doc_id)
            ray = _ray()
            for ref in batches:
                for _file_id, records, _skipped, _warnings in ray.get(ref):
                    for record in records or ():
                        writer.add_document(**record)
                    written += len(records or ())
            writer.commit()
        except BaseException:
            abandon_writer(writer)
            shutil.rmtree(target, ignore_errors=True)
            raise
        _sync_dir(target)
        return written

    def activate(self, generation: int) -> None:
        """Delete generations older than the ones kept (searches open the new one)."""
        folder = self.root / f"shard-{self.shard}"
        for path in folder.glob("gen-*"):
            number = int(path.name.split("-", 1)[1])
            if number <= generation - GENERATIONS_KEPT or number > generation:
                shutil.rmtree(path, ignore_errors=True)

    # Searching

    def stats(self, generation: int, request) -> dict:
        """Collection statistics of the request's scoring terms on this shard."""
        from search.matches import _scoring_terms
        from search.query import parse_query

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:  # an empty shard (few documents, many shards)
            return {"count": 0, "frequencies": {}, "lengths": {}}
        q = parse_query(searcher, request.q)
        reader = searcher.reader()
        frequencies = {(name, btext): reader.doc_frequency(name, btext)
                       for name, btext, _boost in _scoring_terms(q, reader)}
        lengths = {name: reader.field_length(name) for name, _btext in frequencies}
        return {"count": reader.doc_count_all(), "frequencies": frequencies,
                "lengths": lengths}

    def search(self, generation: int, request, stats: dict, limit: int) -> dict:
        """This shard's part of an answer: totals, full facet counts, its best `limit` hits
        (scored with the collection-wide stats) with their sort keys."""
        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return EMPTY_ANSWER
        return shard_answer(GlobalStats(searcher, stats), request, limit)

    def document(self, generation: int, document_id: str) -> list[dict]:
        """One document's paragraphs, if this shard holds it."""
        from search.query import document_paragraphs

        searcher = self._open_searcher(generation)
        return document_paragraphs(searcher, document_id) if searcher.doc_count_all() else []

    def suggestion(self, generation: int, text: str) -> str | None:
        """A corrected query that finds something on this shard, or None."""
        from search.query import parse_query, suggestion

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return None
        return suggestion(searcher, parse_query(searcher, text), text)

    def titles(self, generation: int, document_ids: list[str]) -> dict[str, str]:
        """The titles of the documents among document_ids that this shard holds."""
        from search.index import DOCUMENT, TITLE

        searcher = self._open_searcher(generation)
        found = {}
        for document_id in document_ids:
            if (stored := searcher.document(**{DOCUMENT: document_id})) is not None:
                found[document_id] = stored.get(TITLE) or document_id
        return found

    def marked_words(self, generation: int, text: str) -> frozenset[str]:
        """This shard's indexed words that the query matches."""
        from search.query import highlight_terms, parse_query

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return frozenset()
        return highlight_terms(searcher, parse_query(searcher, text))

    def matches(self, generation: int, request, stats: dict, limit: int) -> tuple[int, list]:
        """How many paragraphs match here, and the first limit in the request's order (scored
        with the collection-wide stats) as (sort key, hit record)."""
        from search.matches import match_index
        from search.query import DATE, hit_record, matched_docnums

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return 0, []
        scoring = GlobalStats(searcher, stats)
        total, found, _terms = matched_docnums(scoring, request, limit)
        dates = match_index(scoring).numbers(DATE)
        ranked = []
        for docnum, score in found:
            stored = searcher.stored_fields(docnum)
            ranked.append((rank_key(request, score, int(dates[docnum]), stored),
                           hit_record(stored, score)))
        return total, ranked

    def latest(self, generation: int, request, limit: int) -> list[dict]:
        """This shard's matches indexed last (search.feed.latest_matches)."""
        from search.feed import latest_matches

        searcher = self._open_searcher(generation)
        return latest_matches(searcher, request, limit) if searcher.doc_count_all() else []

    def affiliations(self, generation: int, name: str) -> dict:
        """Whom a speaker spoke for, in this shard's paragraphs."""
        from search.profiles import affiliations

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return {"values": [], "scanned": 0, "total": 0}
        return affiliations(searcher, name)

    def spokespeople(self, generation: int, organisation: str) -> dict:
        """Who spoke for an organisation, in this shard's paragraphs."""
        from search.profiles import spokespeople

        searcher = self._open_searcher(generation)
        if searcher.doc_count_all() == 0:
            return {"values": [], "scanned": 0, "total": 0}
        return spokespeople(searcher, organisation)

    def ping(self) -> tuple[int, str]:
        """The actor's process id and Ray node id (tests kill one or the other)."""
        import ray

        return os.getpid(), ray.get_runtime_context().get_node_id()

    def _open_ix(self, generation: int):
        from search.index import open_index

        return open_index(generation_dir(self.root, self.shard, generation))

    def _open_searcher(self, generation: int):
        if generation != self._generation or self._searcher is None:
            from search.query import warm_up

            ix = self._open_ix(generation)
            searcher = ix.searcher()
            if searcher.doc_count_all():
                warm_up(searcher)
            if self._searcher is not None:
                self._searcher.close()
            self._ix, self._searcher, self._generation = ix, searcher, generation
        return self._searcher


def _link_copy(source: Path, target: Path) -> None:
    """target as a copy of the index in source by hard links (Whoosh never rewrites a file)."""
    from search.index import LOCK_FILE

    if not source.is_dir():
        raise IndexStateError(f"the shard generation {source} is missing; "
                              "rebuild with: docsearch index --rebuild --cluster ...")
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file() and path.name != LOCK_FILE and not path.name.endswith(".lock"):
            os.link(path, target / path.name)


def _sync_dir(folder: Path) -> None:
    """Flush a generation's files to disk before the manifest may name it."""
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


class GlobalStats:
    """A Whoosh searcher over one shard that reports the whole collection's statistics, so
    that search.matches scores BM25F as the single index would."""

    def __init__(self, searcher, stats: dict):
        self._searcher = searcher
        self._stats = stats
        self._docsearch_matches = None  # a MatchIndex of its own, scoring through this

    def __getattr__(self, name):
        return getattr(self._searcher, name)

    def idf(self, fieldname: str, btext) -> float:
        """Whoosh's idf with the summed document frequency and paragraph count."""
        count = self._stats["count"]
        found = self._stats["frequencies"].get((fieldname, btext))
        if found is None:
            found = self._searcher.reader().doc_frequency(fieldname, btext)
        return math.log(count / (found + 1)) + 1

    def avg_field_length(self, fieldname: str, default=None):
        """The field's mean length over the whole collection."""
        if not self._searcher.schema[fieldname].scorable:
            return default
        total = self._stats["lengths"].get(fieldname)
        if total is None:
            total = self._searcher.reader().field_length(fieldname)
        return total / (self._stats["count"] or 1)


EMPTY_ANSWER = {"total": 0, "facets": {}, "facet_sizes": {}, "hits": [], "suggestion": None,
                "histogram": {"month": {}, "undated": 0, "day": {}}}  # an empty shard's
# Facets whose values never span two shards (a document's paragraphs are all on its shard):
# each shard's top values hold the collection's, and their numbers of distinct values add up,
# so a shard sends only its top values. Others are sent whole, so that their sums are exact.
DISJOINT_FACETS = frozenset({"document"})


def rank_key(request, score: float | None, when: int, stored: dict) -> tuple:
    """Where a hit goes in the merged order: by score, or by date (undated last), then by
    document and paragraph."""
    from search import query
    from search.index import DOCUMENT, PARAGRAPH

    if score is not None:
        key = (-score,)
    else:
        undated = when == int(query._NO_DATE)
        key = (undated, -when if request.sort == "newest" else (0 if undated else when))
    return key + (stored.get(DOCUMENT), stored.get(PARAGRAPH))


def shard_answer(searcher, request, limit: int) -> dict:
    """search.query.search's parts on one shard, as much as they need to merge exactly."""
    from search import query
    from search.index import TEXT_FIELD
    from search.matches import NO_DEADLINE

    q, matches, base, filters = query.matching(searcher, request, NO_DEADLINE)
    matched = query._all_of(base, filters.values())
    facets, sizes = {}, {}
    for facet in query.FACETS:
        others = [filters[name] for name in filters if name != facet.name]
        mask = query._all_of(base, others)
        limit = facet.limit if facet.name in DISJOINT_FACETS else None
        facets[facet.name], sizes[facet.name] = matches.column(facet.field).counts(
            mask, limit, facet.selected(request))
    total = int(matched.sum())
    every = dataclasses.replace(request, page=1, page_size=max(1, limit))
    if request.sort == "relevance":
        page = query.ranked_page(matches, q, matched, every)
    else:
        page = query.dated_page(matches, matched, every)
    terms = query.highlight_terms(searcher, q)
    analyzer = searcher.schema[TEXT_FIELD].analyzer
    dates = matches.numbers(query.DATE)
    hits = []
    for docnum, score in page:
        stored = searcher.stored_fields(docnum)
        hit = query.hit_record(stored, score, query.snippet(stored.get(TEXT_FIELD, ""), terms,
                                                            analyzer))
        hits.append((rank_key(request, score, int(dates[docnum]), stored), hit))
    histogram = query.date_histogram(matches, matched, total)
    if len(histogram["month"]) <= 1 and "day" not in histogram:
        histogram["day"] = {}  # this shard had no dated match: nothing to add to the days
    return {"total": total, "facets": facets, "facet_sizes": sizes, "hits": hits,
            "histogram": histogram,
            "suggestion": (query.suggestion(searcher, q, request.q) if total < 5 else None)}


# The coordinator


def merge_answers(request, parts: list[dict], missing: list[int], started: float) -> dict:
    """One result dict, as search.query.search returns, from the shards' answers."""
    from search import query

    total = sum(part["total"] for part in parts)
    facets, sizes = {}, {}
    for facet in query.FACETS:
        summed: dict[str, int] = {}
        for part in parts:
            for value, count in part["facets"].get(facet.name, {}).items():
                summed[value] = summed.get(value, 0) + count
        facets[facet.name], sizes[facet.name] = _top_counts(summed, facet.limit,
                                                            facet.selected(request))
        if facet.name in DISJOINT_FACETS:
            sizes[facet.name] = sum(part["facet_sizes"].get(facet.name, 0) for part in parts)
    ranked = sorted((hit for part in parts for hit in part["hits"]), key=lambda pair: pair[0])
    first = (request.page - 1) * request.page_size
    hits = [hit for _key, hit in ranked[first:first + request.page_size]]
    suggestion = next((part["suggestion"] for part in parts if part["suggestion"]), None)
    result = query.search_result(request, total, hits, facets, sizes,
                                 _merged_histogram(parts, total),
                                 suggestion if total < 5 else None, started)
    result["missing_shards"] = missing
    return result


def _top_counts(summed: dict[str, int], limit: int | None, keep: list[str]
                ) -> tuple[dict[str, int], int]:
    """The most frequent values (count, then value order), then kept ones, as Column.counts."""
    found = sorted((value for value, count in summed.items() if count), key=lambda v:
                   (-summed[v], v))
    counts = {value: summed[value] for value in (found if limit is None else found[:limit])}
    for value in keep:
        if value not in counts and value in summed:
            counts[value] = summed[value]
    return counts, len(found)


def _merged_histogram(parts: list[dict], total: int) -> dict:
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for part in parts:
        for month, count in part["histogram"]["month"].items():
            months[month] = months.get(month, 0) + count
        for day, count in part["histogram"].get("day", {}).items():
            days[day] = days.get(day, 0) + count
    found = {"month": dict(sorted(months.items())), "undated": total - sum(months.values())}
    if len(months) == 1:
        found["day"] = dict(sorted(days.items()))
    return found


def _merged_stats(stats: list[dict]) -> dict:
    merged: dict = {"count": 0, "frequencies": {}, "lengths": {}}
    for part in stats:
        merged["count"] += part["count"]
        for key, value in part["frequencies"].items():
            merged["frequencies"][key] = merged["frequencies"].get(key, 0) + value
    fields = {name for part in stats for name in part["lengths"]}
    for name in fields:
        merged["lengths"][name] = sum(part["lengths"].get(name, 0) for part in stats)
    return merged


class ClusterBackend:
    """The sharded index whose manifest is in index_dir, its shards held by Ray actors."""

    def __init__(self, index_dir: Path | str, address: str | None = "auto",
                 shards: int | None = None, shard_root: Path | str | None = None,
                 timeout: float | None = None):
        self.index_dir = Path(index_dir).absolute()
        self.address = address
        self.wanted_shards = shards
        self.shard_root = Path(shard_root or self.index_dir / SHARDS_DIR).absolute()
        self.timeout = SHARD_TIMEOUT_S if timeout is None else timeout
        self._actors: list = []

    # Shards

    def manifest(self) -> dict:
        """The manifest; IndexStateError when there is no cluster index yet."""
        found = read_manifest(self.index_dir)
        if found is None:
            raise IndexStateError(f"no cluster index at {self.index_dir}; create one with: "
                                  "docsearch index --cluster ADDRESS --shards N")
        return found

    def actors(self, shards: int, root: Path | None = None) -> list:
        """The shard actors (created, or found by name, on the cluster)."""
        if len(self._actors) != shards:
            ensure_ray(self.address)
            actor_class = shard_actor_class()
            tag = hashlib.blake2b(str(self.index_dir).encode(), digest_size=6).hexdigest()
            options = {"get_if_exists": True, "lifetime": "detached", "namespace": NAMESPACE,
                       "scheduling_strategy": "SPREAD"}
            offered = _ray().cluster_resources()
            self._actors = [
                actor_class.options(name=f"docsearch-{tag}-{k}", **options,
                                    resources=shard_resources(k, offered)).remote(
                    k, str(root or self.shard_root))
                for k in range(shards)]
        return self._actors

    # Writing

    @contextlib.contextmanager
    def writer(self):
        """A two-phase writer over every shard (see ClusterWriting)."""
        writing = ClusterWriting(self, rebuild=False)
        yield writing

    def update(self, roots: Iterable[Path], *, rebuild: bool = False,
               only: Iterable[Path] | None = None, progress=None,
               merge: bool = True) -> IndexReport:
        """Make the sharded index match the documents under roots, extracting in Ray tasks
        and committing on every shard before the manifest names the new generation (each
        shard's commit merges its small segments, whatever merge says)."""
        from search.sync import chosen_files, corpus_files, plan_changes

        roots = [Path(root) for root in roots]
        for root in roots:
            if not root.exists():
                raise DocsearchError(f"no such file or folder: {root}")
        writing = ClusterWriting(self, rebuild=rebuild)
        left_out: list[tuple[str, str]] = []
        if only is not None:
            files, scope = chosen_files(roots[0], only)
        else:
            files = corpus_files(roots, left_out)
            scope = None if any(root.is_dir() for root in roots) else set(files)
        indexed = {} if rebuild else writing.indexed(None if scope is None
                                                     else scope | set(files))
        changes = plan_changes(files, indexed, scope)
        report = IndexReport(unchanged=changes.unchanged,
                             skipped=[*left_out, *changes.unreadable])
        for doc_id in changes.removed:
            writing.delete(doc_id)
            report.removed += 1
        todo = [(f, d, False) for f, d in changes.added] + [(f, d, True)
                                                            for f, d in changes.updated]
        for corpus_file, _digest, replacing in todo:
            if replacing:
                writing.delete(corpus_file.id)
        writing.extract(todo, report, progress)
        if rebuild or changes.removed or todo:
            writing.commit()
            report.committed = True
        return report

    def merge_segments(self) -> bool:
        """Nothing to do: every shard's commit merges its small segments itself."""
        return False

    def exists(self) -> bool:
        """Whether index_dir holds a cluster manifest."""
        return read_manifest(self.index_dir) is not None

    def searcher(self, *, warm: bool = True) -> ClusterSearching:
        """A searcher over the shards, following the manifest (they warm themselves)."""
        return ClusterSearching(self)


class ClusterWriting:
    """One write to every shard: deletions routed to the shard holding each document,
    extracted records to the shard their file hashes to; commit() is two-phase."""

    def __init__(self, backend: ClusterBackend, rebuild: bool):
        self.backend = backend
        found = read_manifest(backend.index_dir)
        shards = backend.wanted_shards or (found or {}).get("shards") or DEFAULT_SHARDS
        if found and found["shards"] != shards and not rebuild:
            raise DocsearchError(f"the index at {backend.index_dir} has {found['shards']} "
                                 f"shards; change it with --rebuild --shards {shards}")
        self.rebuild = rebuild or not found
        self.base = 0 if not found else found["generation"]
        self.shards = shards
        self.root = Path(found["root"]) if found and not rebuild else backend.shard_root
        backend.index_dir.mkdir(parents=True, exist_ok=True)
        self.actors = backend.actors(shards, self.root)
        self._holder: dict[str, int] = {}
        self._deletions: list[list[str]] = [[] for _ in range(shards)]
        self._batches: list[list] = [[] for _ in range(shards)]

    def indexed(self, within: Iterable[str] | None = None) -> dict[str, str]:
        """Document id -> hash over every shard's last committed generation (with within,
        only the documents of those file or folder ids: a watcher's few changed paths)."""
        if self.rebuild:
            return {}
        ray = _ray()
        found: dict[str, str] = {}
        within = None if within is None else sorted(within)
        parts = ray.get([actor.indexed.remote(self.base, within) for actor in self.actors])
        for shard, part in enumerate(parts):
            found.update(part)
            self._holder.update(dict.fromkeys(part, shard))
        return found

    def delete(self, file_id: str) -> None:
        """Delete a document (or a file's documents) on the shard that holds it."""
        shard = self._holder.get(file_id, shard_of(file_id, self.shards))
        self._deletions[shard].append(file_id)

    def add(self, records: list[dict]) -> None:
        """Add one document's records to its shard."""
        from search.index import DOCUMENT

        if records:
            ray = _ray()
            file_id = records[0][DOCUMENT]
            ref = ray.put([(file_id, records, [], [])])
            self._batches[shard_of(file_id, self.shards)].append(ref)

    def extract(self, todo: list, report: IndexReport, progress=None) -> None:
        """Read and extract files in Ray tasks, each file's batch routed to its shard."""
        ray = _ray()
        task = ray.remote(num_cpus=1, max_retries=2)(extract_files)
        by_shard: list[list[tuple]] = [[] for _ in range(self.shards)]
        for corpus_file, digest, replacing in todo:
            by_shard[shard_of(corpus_file.id, self.shards)].append(
                (corpus_file.id, str(corpus_file.path), str(corpus_file.root), digest,
                 replacing))
        pending = {}
        for shard, jobs in enumerate(by_shard):
            for start in range(0, len(jobs), FILES_PER_TASK):
                chunk = jobs[start:start + FILES_PER_TASK]
                ref = task.remote([job[:4] for job in chunk])
                self._batches[shard].append(ref)
                pending[ref] = {job[0]: job[4] for job in chunk}
        done = 0
        waiting = list(pending)
        while waiting:
            ready, waiting = ray.wait(waiting, num_returns=1)
            for file_id, records, skipped, warnings in ray.get(ready[0]):
                report.skipped.extend(skipped)
                report.warnings.extend(warnings)
                replacing = pending[ready[0]][file_id]
                if records:
                    report.documents += 1
                    report.paragraphs += len(records)
                    report.updated += replacing
                    report.added += not replacing
                elif replacing:
                    report.removed += 1
                done += 1
                if progress:
                    progress(done, len(todo), report.paragraphs)

    def commit(self) -> None:
        """Phase one: every shard writes the next generation; phase two: the manifest names
        it (then shards serve it and drop old ones). A failure leaves the last generation."""
        ray = _ray()
        generation = self.base + 1
        ray.get([actor.prepare.remote(self.base, generation, self._deletions[k],
                                      self._batches[k], self.rebuild)
                 for k, actor in enumerate(self.actors)])
        write_manifest(self.backend.index_dir, {"shards": self.shards, "generation": generation,
                                                "root": str(self.root)})
        for actor in self.actors:
            with contextlib.suppress(Exception):  # a shard activates on its next search too
                ray.get(actor.activate.remote(generation), timeout=self.backend.timeout)
        self.base, self.rebuild = generation, False
        self._deletions = [[] for _ in range(self.shards)]
        self._batches = [[] for _ in range(self.shards)]

    def cancel(self) -> None:
        """Forget the changes not committed (shards delete unnamed generations on reuse)."""
        self._deletions = [[] for _ in range(self.shards)]
        self._batches = [[] for _ in range(self.shards)]


class ClusterSearching:
    """Searches over every shard of the manifest's current generation; shards that do not
    answer are listed in the result's `missing_shards` rather than failing the search."""

    def __init__(self, backend: ClusterBackend):
        self.backend = backend

    def _shards(self) -> tuple[int, list]:
        manifest = self.backend.manifest()
        return manifest["generation"], self.backend.actors(manifest["shards"],
                                                           Path(manifest["root"]))

    def _gather(self, calls: list) -> tuple[list, list[int]]:
        """The answers of the shards that answered in time, and the numbers of the others."""
        ray = _ray()
        ready, _late = ray.wait(calls, num_returns=len(calls), timeout=self.backend.timeout)
        ready = set(ready)
        answers, missing = [], []
        for shard, ref in enumerate(calls):
            if ref not in ready:
                missing.append(shard)
                continue
            try:
                answers.append(ray.get(ref))
            except ray.exceptions.RayError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, DocsearchError):
                    raise cause from None
                log.info("shard %d did not answer: %s", shard, exc)
                missing.append(shard)
        return answers, missing

    def _each(self, method: str, *args) -> tuple[list, list[int]]:
        """Every shard's answer to method(generation, *args) (those that gave one), and the
        numbers of the shards that did not answer."""
        generation, actors = self._shards()
        return self._gather([getattr(actor, method).remote(generation, *args)
                             for actor in actors])

    def _scored(self, method: str, request, *args) -> tuple[list, list[int]]:
        """As _each, for a method scoring with the collection-wide statistics: the shards
        first report theirs, then those that did answer get the sums."""
        generation, actors = self._shards()
        stats, missing = self._gather([a.stats.remote(generation, request) for a in actors])
        if not stats:
            return [], missing
        merged = _merged_stats(stats)
        live = [k for k in range(len(actors)) if k not in missing]
        answers, late = self._gather([getattr(actors[k], method).remote(
            generation, request, merged, *args) for k in live])
        return answers, sorted(missing + [live[i] for i in late])

    def search(self, request) -> dict:
        """search.query.search over all shards, with `missing_shards` listing any absent."""
        started = time.perf_counter()
        request.checked()
        parts, missing = self._scored("search", request, request.page * request.page_size)
        return merge_answers(request, parts, missing, started)

    def document(self, document_id: str) -> list[dict]:
        """One document's paragraphs, from whichever shard holds it."""
        answers, _missing = self._each("document", document_id)
        return next((found for found in answers if found), [])

    def titles(self, document_ids: Iterable[str]) -> dict[str, str]:
        """The titles of the indexed documents among document_ids, from their shards."""
        answers, _missing = self._each("titles", list(document_ids))
        return {key: value for found in answers for key, value in found.items()}

    def suggestion(self, text: str) -> str | None:
        """The first shard's correction that finds something, or None."""
        answers, _missing = self._each("suggestion", text)
        return next((found for found in answers if found), None)

    def marked_words(self, text: str) -> frozenset[str]:
        """The query's words in any shard's vocabulary."""
        answers, _missing = self._each("marked_words", text)
        return frozenset().union(*answers)

    def matches(self, request, limit: int) -> tuple[int, list[dict]]:
        """The total and the first limit matches over the shards that answered, merged in
        the request's order (each shard sends its first limit)."""
        request.checked()
        limit = max(1, limit)
        answers, missing = self._scored("matches", request, limit)
        if missing:
            log.warning("shards %s did not answer: their matches are left out", missing)
        ranked = sorted((pair for _total, found in answers for pair in found),
                        key=lambda pair: pair[0])
        return sum(total for total, _found in answers), [hit for _key, hit in ranked[:limit]]

    def latest(self, request, limit: int) -> list[dict]:
        """The matches indexed last over every shard, newest first."""
        request.checked()
        answers, _missing = self._each("latest", request, limit)
        found = [hit for part in answers for hit in part]
        found.sort(key=lambda hit: (-(hit.get("indexed") or 0), hit["document"],
                                    hit["paragraph"]))
        return found[:limit]

    def affiliations(self, name: str) -> dict:
        """Whom a speaker spoke for: the shards' counts summed, their bounds too."""
        answers, _missing = self._each("affiliations", name)
        counts = _summed_values(answers)
        return {"values": [(organisation, count) for organisation, count, _title in counts],
                **_summed_bounds(answers)}

    def spokespeople(self, organisation: str) -> dict:
        """Who spoke for an organisation: the shards' counts summed, their bounds too."""
        answers, _missing = self._each("spokespeople", organisation)
        return {"values": _summed_values(answers), **_summed_bounds(answers)}

    def close(self) -> None:
        """Nothing to release here: the shard actors live on the cluster."""


def _summed_values(answers: list[dict]) -> list[tuple[str, int, str]]:
    """(value, count summed over shards, first title given), most first, then first seen."""
    counts: dict[str, int] = {}
    titles: dict[str, str] = {}
    for answer in answers:
        for value, count, *title in answer["values"]:
            counts[value] = counts.get(value, 0) + count
            if title and title[0] and not titles.get(value):
                titles[value] = title[0]
    order = {value: position for position, value in enumerate(counts)}
    return [(value, counts[value], titles.get(value, ""))
            for value in sorted(counts, key=lambda v: (-counts[v], order[v]))]


def _summed_bounds(answers: list[dict]) -> dict:
    return {"scanned": sum(answer["scanned"] for answer in answers),
            "total": sum(answer["total"] for answer in answers)}


_ACTOR_CLASS = None


def shard_actor_class():
    """The Ray actor class holding a Shard (built on first use, so Ray loads lazily)."""
    global _ACTOR_CLASS
    if _ACTOR_CLASS is None:
        ray = _ray()
        for name in ("indexed", "prepare", "activate"):  # as @ray.method(concurrency_group=)
            getattr(ShardActor, name).__ray_concurrency_group__ = "write"
        _ACTOR_CLASS = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=0,
                                  concurrency_groups={"write": 1})(ShardActor)
    return _ACTOR_CLASS


class ShardActor:
    """A Shard as a Ray actor: writes on one thread, searches on another (Whoosh readers
    serve one thread at a time)."""

    def __init__(self, shard: int, root: str):
        self._shard = Shard(shard, root)

    def indexed(self, generation: int, within: list[str] | None = None) -> dict[str, str]:
        return self._shard.indexed(generation, within)

    def prepare(self, base: int, generation: int, deletions: list[str], batches: list,
                rebuild: bool) -> int:
        return self._shard.prepare(base, generation, deletions, batches, rebuild)

    def activate(self, generation: int) -> None:
        self._shard.activate(generation)

    def stats(self, generation: int, request) -> dict:
        return self._shard.stats(generation, request)

    def search(self, generation: int, request, stats: dict, limit: int) -> dict:
        return self._shard.search(generation, request, stats, limit)

    def document(self, generation: int, document_id: str) -> list[dict]:
        return self._shard.document(generation, document_id)

    def suggestion(self, generation: int, text: str) -> str | None:
        return self._shard.suggestion(generation, text)

    def titles(self, generation: int, document_ids: list[str]) -> dict[str, str]:
        return self._shard.titles(generation, document_ids)

    def marked_words(self, generation: int, text: str) -> frozenset[str]:
        return self._shard.marked_words(generation, text)

    def matches(self, generation: int, request, stats: dict, limit: int) -> tuple[int, list]:
        return self._shard.matches(generation, request, stats, limit)

    def latest(self, generation: int, request, limit: int) -> list[dict]:
        return self._shard.latest(generation, request, limit)

    def affiliations(self, generation: int, name: str) -> dict:
        return self._shard.affiliations(generation, name)

    def spokespeople(self, generation: int, organisation: str) -> dict:
        return self._shard.spokespeople(generation, organisation)

    def ping(self) -> tuple[int, str]:
        return self._shard.ping()
