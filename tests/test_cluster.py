"""The sharded index on a real Ray cluster of three nodes on loopback (ray.cluster_utils).

Skipped when Ray is not installed (pip install 'docsearch[cluster]'; the test extra has it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

# Every node of the test cluster listens on loopback only (Ray's own switch for that).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

from bench.corpus import generate_corpus  # noqa: E402
from bench.workload import workload  # noqa: E402
from search import cluster as cluster_module  # noqa: E402
from search.cluster import ClusterBackend, read_manifest, shard_of  # noqa: E402
from search.engine import WhooshBackend  # noqa: E402
from search.query import SearchRequest  # noqa: E402

from .waiting import started_server, wait_for  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

PARAGRAPHS = 1500  # the benchmark corpus, small: CI has two cores
QUERIES = 80  # of the benchmark workload's 240
SHARDS = 3


@pytest.fixture(scope="module")
def ray_cluster():
    """A head and two worker nodes on this machine, worker K keeping shard K (K = 1, 2), so
    that a worker node always holds a shard; every process stopped at the end."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1,
                                                          "include_dashboard": False,
                                                          "node_ip_address": "127.0.0.1"})
    try:
        for shard in (1, 2):
            nodes.add_node(num_cpus=1, node_ip_address="127.0.0.1",
                           resources={f"docsearch_shard_{shard}": 1})
        nodes.wait_for_nodes()
        ray.init(address=nodes.address, configure_logging=False, log_to_driver=False)
        yield nodes
    finally:
        ray.shutdown()
        nodes.shutdown()


@pytest.fixture(scope="module")
def indexes(ray_cluster, tmp_path_factory):
    """The benchmark corpus indexed twice: one Whoosh index, and SHARDS shards on the cluster."""
    base = tmp_path_factory.mktemp("cluster")
    corpus = base / "corpus"
    generate_corpus(corpus, PARAGRAPHS)
    single = WhooshBackend(base / "single")
    single.update([corpus])
    sharded = ClusterBackend(base / "sharded", address=None, shards=SHARDS)
    report = sharded.update([corpus])
    assert report.committed and report.paragraphs == PARAGRAPHS
    return single, sharded, corpus


def request_of(query: dict, **changes) -> SearchRequest:
    """A SearchRequest for a benchmark workload query."""
    return SearchRequest(q=query["q"], speakers=list(query["speakers"]),
                         organisations=list(query["organisations"]),
                         date_from=query["date_from"], date_to=query["date_to"], **changes)


def assert_same_facets(expected: dict, found: dict) -> None:
    """Equal counts; among values tied at the cut of a facet's top values, either may be shown
    (the single index breaks such ties arbitrarily, the merge by value order)."""
    assert found["facet_sizes"] == expected["facet_sizes"]
    for name, counts in expected["facets"].items():
        merged = found["facets"][name]
        assert sorted(merged.values()) == sorted(counts.values()), name
        for value in counts.keys() & merged.keys():
            assert merged[value] == counts[value], (name, value)
        cut = min(counts.values(), default=0)
        assert {v for v, c in counts.items() if c > cut} <= merged.keys(), name


def assert_same_ranking(expected: list[dict], found: list[dict]) -> None:
    """The same scores in the same order, and the same paragraphs at each score (the single
    index orders ties by its internal numbers, the shards by document and paragraph)."""
    def key(hit):
        return hit["document"], hit["paragraph"]

    assert [hit["score"] for hit in found] == [hit["score"] for hit in expected]
    last = expected[-1]["score"] if expected else None
    for score in {hit["score"] for hit in expected if hit["score"] != last}:
        assert ({key(h) for h in found if h["score"] == score}
                == {key(h) for h in expected if h["score"] == score})


def unsnipped(hits: list[dict]) -> list[dict]:
    """Hits without their snippets, and whether each marks a word: among passages that score
    the same, Whoosh's highlighter picks by the order of a set of strings, which differs from
    one process to the next (hash randomisation), single index or not."""
    return [{**hit, "snippet": "<mark>" in hit["snippet"]} for hit in hits]


def test_three_shards_answer_as_the_single_index(indexes):
    single, sharded, _corpus = indexes
    one, many = single.searcher(), sharded.searcher()
    compared = 0
    for query in workload()[:QUERIES]:
        for sort in ("relevance", "newest"):
            expected = one.search(request_of(query, sort=sort))
            found = many.search(request_of(query, sort=sort))
            assert found["missing_shards"] == []
            assert (found["total"], found["pages"]) == (expected["total"], expected["pages"])
            assert found["histogram"] == expected["histogram"]
            assert_same_facets(expected, found)
            if sort == "relevance":
                assert_same_ranking(expected["hits"], found["hits"])
            else:  # date order, then document and paragraph: no ties to break
                assert unsnipped(found["hits"]) == unsnipped(expected["hits"])
            compared += expected["total"] > 0
    assert compared > QUERIES  # the workload really matches paragraphs


def test_pages_across_shards_follow_the_single_order(indexes):
    single, sharded, _corpus = indexes
    word = workload()[0]["q"]  # among the most frequent words: many pages
    for page in (1, 2, 7):
        request = SearchRequest(q=word, sort="oldest", page=page, page_size=5)
        expected = single.searcher().search(request)
        found = sharded.searcher().search(request)
        assert unsnipped(found["hits"]) == unsnipped(expected["hits"]) and found["hits"]


def shard_documents(backend: ClusterBackend) -> list[set[str]]:
    """The document ids each shard holds in the current generation."""
    manifest = read_manifest(backend.index_dir)
    actors = backend.actors(manifest["shards"], Path(manifest["root"]))
    return [set(ray.get(actor.indexed.remote(manifest["generation"]))) for actor in actors]


def test_added_and_deleted_documents_land_on_their_shard(ray_cluster, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = [f"note-{n}.txt" for n in range(8)]
    for number, name in enumerate(names):
        (corpus / name).write_text(f"Note {number}\n\nThe lighthouse keeper logged "
                                   f"{number} ships passing the cape.\n", encoding="utf-8")
    backend = ClusterBackend(tmp_path / "index", address=None, shards=SHARDS)
    backend.update([corpus])
    held = shard_documents(backend)
    assert [sorted(ids) for ids in held] == [
        sorted(n for n in names if shard_of(n, SHARDS) == k) for k in range(SHARDS)]
    (corpus / names[0]).unlink()
    (corpus / "late.txt").write_text("Late note\n\nA storm closed the cape to shipping.\n",
                                     encoding="utf-8")
    report = backend.update([corpus])
    assert (report.added, report.removed) == (1, 1)
    held = shard_documents(backend)
    assert "late.txt" in held[shard_of("late.txt", SHARDS)]
    assert all(names[0] not in ids for ids in held)
    assert sum(map(len, held)) == len(names)
    found = backend.searcher().search(SearchRequest(q="storm"))
    assert [hit["document"] for hit in found["hits"]] == ["late.txt"]


def test_writer_dying_before_the_manifest_leaves_the_last_generation(ray_cluster, tmp_path,
                                                                      monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First\n\nThe orchard harvest began early.\n")
    backend = ClusterBackend(tmp_path / "index", address=None, shards=2)
    backend.update([corpus])
    before = read_manifest(backend.index_dir)
    (corpus / "b.txt").write_text("Second\n\nThe orchard sold cider at the fair.\n")

    def die(*_args):
        raise SystemExit("the writer died between its two phases")

    monkeypatch.setattr(cluster_module, "write_manifest", die)
    with pytest.raises(SystemExit):
        backend.update([corpus])  # every shard prepared generation 2; no manifest names it
    monkeypatch.undo()
    assert read_manifest(backend.index_dir) == before
    searcher = backend.searcher()
    assert searcher.search(SearchRequest(q="orchard"))["total"] == 1
    assert backend.update([corpus]).added == 1  # the next writer replaces the orphans
    assert searcher.search(SearchRequest(q="orchard"))["total"] == 2


def _search_load(searcher, request: SearchRequest, stop: threading.Event, answers: list,
                 errors: list) -> None:
    while not stop.is_set():
        try:
            answers.append(searcher.search(request))
        except Exception as exc:  # the test asserts that none happens
            errors.append(exc)
        time.sleep(0.05)


def _wait_partial_then_full(answers: list, seconds: float = 120.0) -> None:
    """Wait until the load has had an answer with a shard missing, then a full one after it."""
    deadline = time.monotonic() + seconds
    while not any(answer["missing_shards"] for answer in answers):
        assert time.monotonic() < deadline, "no search saw the shard missing"
        time.sleep(0.05)
    while answers[-1]["missing_shards"]:
        assert time.monotonic() < deadline, "the shard never came back"
        time.sleep(0.05)


def test_killed_shard_actor_and_node_give_flagged_partial_answers_then_full(
        ray_cluster, indexes, tmp_path):
    _single, sharded, _corpus = indexes
    # A copy of the sharded index, served by actors of its own: the other tests' stay up.
    shutil.copytree(sharded.index_dir, tmp_path / "copy", symlinks=True)
    manifest = read_manifest(tmp_path / "copy")
    manifest["root"] = str(tmp_path / "copy" / "shards")
    cluster_module.write_manifest(tmp_path / "copy", manifest)
    backend = ClusterBackend(tmp_path / "copy", address=None, timeout=3.0)
    searcher = backend.searcher()
    request = SearchRequest(q=workload()[0]["q"])
    expected = indexes[0].searcher().search(request)
    for actor in backend.actors(SHARDS):  # new actors: wait until each has opened its shard
        ray.get(actor.stats.remote(manifest["generation"], request), timeout=120)
    full = searcher.search(request)
    assert full["missing_shards"] == [] and full["total"] == expected["total"] > 0
    actors = backend.actors(SHARDS)
    places = [ray.get(actor.ping.remote()) for actor in actors]

    def faults():
        yield lambda: ray.kill(actors[1], no_restart=False)
        # The worker node that keeps shard 1 dies; a node offering shard 1 replaces it.
        victim = next(node for node in ray_cluster.list_all_nodes()
                      if node.node_id == places[1][1])
        assert victim.node_id != ray_cluster.head_node.node_id

        def replace_node():
            ray_cluster.remove_node(victim, allow_graceful=False)
            ray_cluster.add_node(num_cpus=1, node_ip_address="127.0.0.1",
                                 resources={"docsearch_shard_1": 1})
        yield replace_node

    for fault in faults():
        stop, answers, errors = threading.Event(), [], []
        load = threading.Thread(target=_search_load,
                                args=(searcher, request, stop, answers, errors))
        load.start()
        try:
            time.sleep(0.5)
            fault()
            _wait_partial_then_full(answers)
        finally:
            stop.set()
            load.join(60)
        assert not errors
        for answer in answers:
            if answer["missing_shards"]:
                assert answer["total"] < full["total"]
                assert set(answer["missing_shards"]) <= set(range(SHARDS))
            else:
                assert answer["total"] == full["total"]  # nothing lost
        assert unsnipped(searcher.search(request)["hits"]) == unsnipped(full["hits"])


def test_cluster_benchmark_measures_each_shard(ray_cluster, indexes, tmp_path):
    from bench.cluster import bench_sharded

    _single, _sharded, corpus = indexes
    figures = bench_sharded(corpus, tmp_path, 2, workload()[:5])
    assert figures["paragraphs"] == PARAGRAPHS and figures["search"]["failed"] == 0
    assert len(figures["per_shard"]) == 2
    assert all(shard["rss_mb"] > 0 and shard["disk_mb"] > 0 for shard in figures["per_shard"])
    assert 0 < figures["search"]["p50_ms"] <= figures["search"]["p95_ms"]


def test_a_shard_is_pinned_to_the_node_offering_its_resource():
    from search.cluster import shard_resources

    offered = {"CPU": 4.0, "docsearch_shard_1": 1.0}
    assert shard_resources(1, offered) == {"docsearch_shard_1": 0.01}
    assert shard_resources(0, offered) == {}


def test_cli_indexes_and_queries_the_cluster(ray_cluster, tmp_path, capsys, monkeypatch):
    from search.cli import main

    # A loaded machine may take more than the default 10 s to open a cold shard.
    monkeypatch.setattr(cluster_module, "SHARD_TIMEOUT_S", 120.0)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tide.txt").write_text("Tide tables\n\nThe tide tables for the estuary changed.\n")
    (corpus / "mill.txt").write_text("Mill reopens\n\nThe old mill by the estuary reopened.\n")
    index = str(tmp_path / "index")
    assert main(["index", str(corpus), "--index", index, "--cluster", ray_cluster.address,
                 "--shards", "2"]) == 0
    assert "added 2" in capsys.readouterr().out
    assert main(["query", "estuary", "--index", index, "--cluster", ray_cluster.address,
                 "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["total"], found["missing_shards"]) == (2, [])
    assert read_manifest(Path(index))["shards"] == 2
    outside = tmp_path / "quay.txt"
    outside.write_text("Quay\n\nThe estuary quay was dredged.\n")
    assert main(["add", str(outside), "--corpus", str(corpus), "--index", index,
                 "--cluster", ray_cluster.address]) == 0
    assert "added 1" in capsys.readouterr().out and (corpus / "quay.txt").exists()
    assert main(["query", "estuary", "--index", index, "--cluster", ray_cluster.address,
                 "--format", "csv", "--sort", "oldest"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].startswith("document,paragraph") and len(rows) == 4
    assert {row.split(",")[0] for row in rows[1:]} == {"tide.txt", "mill.txt", "quay.txt"}


def test_cli_watch_routes_an_added_and_a_deleted_file_to_their_shards(ray_cluster, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = [f"buoy-{n}.txt" for n in range(4)]
    for number, name in enumerate(names):
        (corpus / name).write_text(f"Buoy {number}\n\nThe harbour buoy {number} was "
                                   "repainted red.\n", encoding="utf-8")
    index = tmp_path / "index"
    env = {**os.environ, "DOCSEARCH_SHARD_TIMEOUT_S": "120"}
    watch = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "watch", "--corpus", str(corpus), "--index",
         str(index), "--cluster", ray_cluster.address, "--shards", str(SHARDS)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    backend = ClusterBackend(index, address=None, timeout=120.0)
    try:
        def indexed() -> bool:
            """The first sync committed every file."""
            return read_manifest(index) is not None and sum(map(len, shard_documents(
                backend))) == len(names)

        wait_for(indexed, timeout=180)
        (corpus / names[0]).unlink()
        (corpus / "late.txt").write_text("Late buoy\n\nA storm tore the late buoy loose.\n",
                                         encoding="utf-8")

        def routed() -> bool:
            """The new file is on its shard and the deleted one on none."""
            held = shard_documents(backend)
            return ("late.txt" in held[shard_of("late.txt", SHARDS)]
                    and all(names[0] not in ids for ids in held))

        wait_for(routed, timeout=180)
        searcher = backend.searcher()
        found = searcher.search(SearchRequest(q="storm"))
        assert [hit["document"] for hit in found["hits"]] == ["late.txt"]
        assert found["missing_shards"] == []
        assert searcher.search(SearchRequest(q="buoy"))["total"] == len(names)
        assert searcher.document(names[0]) == []
    finally:
        watch.send_signal(signal.SIGINT)
        out, err = watch.communicate(timeout=60)
    assert "watching" in err, err
    assert "added 4" in out and "added 1" in out and "removed 1" in out, out


def served(args: list[str]) -> tuple[subprocess.Popen, str]:
    """`docsearch serve ARGS --port 0` in a new process; (the process, its base URL)."""
    return started_server(args, timeout=180, env={"DOCSEARCH_SHARD_TIMEOUT_S": "120"})


def test_cli_serve_watch_over_the_cluster_shows_new_documents(ray_cluster, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kiln.txt").write_text("Kiln\n\nThe pottery kiln was fired at dawn.\n")
    (corpus / "wharf.txt").write_text("Wharf\n\nPottery crates waited on the wharf.\n")
    process, url = served(["--watch", "--corpus", str(corpus), "--index",
                           str(tmp_path / "index"), "--cluster", ray_cluster.address])

    def found(query: str) -> dict:
        with urllib.request.urlopen(f"{url}/api/search?q={query}", timeout=120) as response:
            return json.load(response)

    try:
        first = found("pottery")
        assert (first["total"], first["missing_shards"]) == (2, [])
        (corpus / "glaze.txt").write_text("Glaze\n\nA new pottery glaze turned blue.\n")
        wait_for(lambda: found("pottery")["total"] == 3, timeout=180)
        (corpus / "kiln.txt").unlink()
        wait_for(lambda: found("pottery")["total"] == 2, timeout=180)
        with urllib.request.urlopen(f"{url}/documents/glaze.txt?q=glaze", timeout=120) as page:
            assert "<mark>glaze</mark>" in page.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)
