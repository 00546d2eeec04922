"""The Backend contract (search.engine): the same assertions on every implementation.

The cluster backend runs on a real local Ray instance; it is skipped when Ray is not
installed (pip install 'docsearch[cluster]')."""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import pytest

from search.errors import IndexStateError
from search.query import SearchRequest

HAS_RAY = importlib.util.find_spec("ray") is not None

DOCUMENTS = {
    "harbour.txt": (
        "Harbour dredging plan approved\n\nMarch 3, 2021\n\n"
        'Mayor Helena Vargas said on Tuesday that the harbour dredging would start in June. '
        '"We have waited long enough for deeper berths," Vargas said.\n\n'
        "The Port Authority of Linmouth will pay for half of the dredging work.\n"),
    "bridge.txt": (
        "Bridge repairs delayed again\n\nApril 9, 2021\n\n"
        '"The steel arrived late and the welders are busy elsewhere," said Tomas Okafor, '
        "chief engineer at the Linmouth Roads Agency.\n\n"
        "Commuters will use the ferry until the bridge reopens in the autumn.\n"),
    "ferry.txt": (
        "Ferry timetable extended for summer\n\nMay 20, 2022\n\n"
        "The ferry company added evening crossings to its summer timetable.\n\n"
        "Helena Vargas welcomed the change and said the harbour was ready for more boats.\n"),
}


def write_corpus(folder: Path, names=DOCUMENTS) -> Path:
    """The test documents as files in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(DOCUMENTS[name], encoding="utf-8")
    return folder


def eventually(check, seconds: float = 30.0) -> None:
    """Wait until check() is true (a long-lived searcher follows a commit shortly after)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the searcher never saw the commit"
        time.sleep(0.1)


def total(searcher, text: str) -> int:
    """How many paragraphs a query matches."""
    return searcher.search(SearchRequest(q=text))["total"]


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray instance for the module, on loopback only (stopped, with its processes,
    at the end)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # read when ray is imported
    import ray

    ray.init(num_cpus=1, include_dashboard=False, configure_logging=False,
             log_to_driver=False, _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


@pytest.fixture(params=["whoosh", pytest.param("cluster", marks=pytest.mark.skipif(
    not HAS_RAY, reason="the cluster backend needs ray: pip install 'docsearch[cluster]'"))])
def make_backend(request, tmp_path):
    """A function giving a fresh backend of each kind over tmp_path/index (a cluster
    backend's shard actors are stopped after the test)."""
    made = []

    def make():
        if request.param == "whoosh":
            from search.engine import WhooshBackend

            return WhooshBackend(tmp_path / "index")
        request.getfixturevalue("local_ray")
        from search.cluster import ClusterBackend

        made.append(ClusterBackend(tmp_path / "index", address=None, shards=2))
        return made[-1]
    yield make
    if made:
        import ray

        for backend in made:
            for actor in backend._actors:
                ray.kill(actor, no_restart=True)


def test_update_then_search_finds_words_speakers_and_dates(make_backend, tmp_path):
    backend = make_backend()
    report = backend.update([write_corpus(tmp_path / "corpus")])
    assert (report.added, report.committed) == (3, True)
    result = backend.searcher().search(SearchRequest(q="harbour"))
    assert result["total"] == 2
    assert {hit["document"] for hit in result["hits"]} == {"harbour.txt", "ferry.txt"}
    assert result["hits"][0]["score"] >= result["hits"][1]["score"] > 0
    assert "<mark>" in result["hits"][0]["snippet"]
    assert result["facets"]["year"] == {"2021": 1, "2022": 1}
    assert "Helena Vargas" in result["facets"]["speaker"]
    assert result["histogram"]["month"] == {"2021-03": 1, "2022-05": 1}


def test_filters_and_pages_cover_every_match_once(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    searcher = backend.searcher()
    everything = searcher.search(SearchRequest(q="", sort="oldest", page_size=100))
    seen = []
    for page in range(1, everything["total"] // 2 + 3):  # and a page past the end
        found = searcher.search(SearchRequest(q="", sort="oldest", page=page, page_size=2))
        seen += [(hit["document"], hit["paragraph"]) for hit in found["hits"]]
    assert seen == [(hit["document"], hit["paragraph"]) for hit in everything["hits"]]
    assert len(seen) == everything["total"] == len(set(seen))
    dated = [hit["document_date"] for hit in everything["hits"]]
    assert dated == sorted(dated)
    only = searcher.search(SearchRequest(q="", years=["2022"]))
    assert {hit["document"] for hit in only["hits"]} == {"ferry.txt"}
    paragraphs = {name: len(searcher.document(name)) for name in DOCUMENTS}
    # A facet's own filter is left out of its counts: the other year stays selectable.
    assert only["facets"]["year"] == {"2021": paragraphs["harbour.txt"] + paragraphs["bridge.txt"],
                                      "2022": paragraphs["ferry.txt"]}


def test_document_paragraphs_in_order(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    paragraphs = backend.searcher().document("bridge.txt")
    assert [p["paragraph"] for p in paragraphs] == list(range(len(paragraphs)))
    assert "steel" in paragraphs[0]["text"] and "ferry" in paragraphs[-1]["text"]
    assert backend.searcher().document("missing.txt") == []


def test_sync_adds_replaces_and_removes(make_backend, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ["harbour.txt", "bridge.txt"])
    backend = make_backend()
    backend.update([corpus])
    searcher = backend.searcher()
    assert searcher.search(SearchRequest(q="ferry"))["total"] == 1  # bridge.txt mentions it
    write_corpus(corpus, ["ferry.txt"])
    (corpus / "bridge.txt").unlink()
    (corpus / "harbour.txt").write_text(
        DOCUMENTS["harbour.txt"].replace("dredging", "widening"), encoding="utf-8")
    report = backend.update([corpus])
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    eventually(lambda: total(searcher, "widening") == 2)
    assert total(searcher, "dredging") == 0
    assert searcher.document("bridge.txt") == []
    again = backend.update([corpus])
    assert (again.unchanged, again.committed) == (2, False)


def test_writer_changes_are_invisible_until_commit(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus", ["harbour.txt"])])
    searcher = backend.searcher()
    first = searcher.document("harbour.txt")
    record = {**_record_of(first[0]), "document": "copy.txt", "id": "copy.txt#0"}
    with backend.writer() as writer:
        assert set(writer.indexed()) == {"harbour.txt"}
        writer.add([record])
        writer.delete("harbour.txt")
        time.sleep(1)  # longer than a LiveIndex waits between two looks for a commit
        assert total(searcher, "dredging") == 2
        writer.commit()
    eventually(lambda: total(searcher, "dredging") == 1)
    found = searcher.search(SearchRequest(q="dredging"))
    assert [hit["document"] for hit in found["hits"]] == ["copy.txt"]
    with backend.writer() as writer:
        writer.delete("copy.txt")  # left without commit: cancelled
    time.sleep(1)
    assert total(searcher, "dredging") == 1


def _record_of(hit: dict) -> dict:
    """An index record with a hit's searchable fields (enough for the writer contract)."""
    from search.index import SEPARATOR

    return {"document": hit["document"], "paragraph": hit["paragraph"], "title": hit["title"],
            "text": hit["text"], "speaker": SEPARATOR.join(hit["speakers"]),
            "speaker_text": " ; ".join(hit["speakers"]), "hash": "copied"}


def test_suggestion_corrects_a_misspelt_word(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    searcher = backend.searcher()
    assert searcher.suggestion("harbuor") == "harbour"
    result = searcher.search(SearchRequest(q="harbuor"))
    assert (result["total"], result["suggestion"]) == (0, "harbour")


def test_searching_without_an_index_is_an_index_state_error(make_backend):
    with pytest.raises(IndexStateError):
        make_backend().searcher().search(SearchRequest(q="harbour"))


@pytest.mark.skipif(not HAS_RAY, reason="the cluster backend needs ray")
def test_web_app_over_shards_flags_a_dead_shard_and_never_fails(local_ray, tmp_path):
    import ray

    from search.cluster import ClusterBackend
    from web import create_app

    backend = ClusterBackend(tmp_path / "index", address=None, shards=2, timeout=5.0)
    backend.update([write_corpus(tmp_path / "corpus")])
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index"),
                      "CORPUS_DIR": str(tmp_path / "corpus"),
                      "SEARCH_BACKEND": backend.searcher()})
    client = app.test_client()
    full = client.get("/api/search?q=harbour").get_json()
    assert (full["total"], full["missing_shards"]) == (2, [])
    assert "Partial results" not in client.get("/?q=harbour").get_data(as_text=True)
    ray.kill(backend.actors(2)[0], no_restart=True)
    partial = client.get("/api/search?q=harbour")
    assert partial.status_code == 200
    assert partial.get_json()["missing_shards"] == [0]
    assert partial.get_json()["total"] < 2
    page = client.get("/?q=harbour")
    assert page.status_code == 200 and "Partial results" in page.get_data(as_text=True)
    for path in ("/documents/harbour.txt", "/documents/bridge.txt", "/speakers/Helena Vargas",
                 "/organisations/Linmouth Roads Agency", "/export.csv?q=harbour",
                 "/search.atom?q=ferry", "/?document=ferry.txt"):
        assert client.get(path).status_code in (200, 404), path  # a shard away is never a 500


def test_titles_of_indexed_documents_only(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    titles = backend.searcher().titles(["bridge.txt", "ferry.txt", "missing.txt"])
    assert titles == {"bridge.txt": "Bridge repairs delayed again",
                      "ferry.txt": "Ferry timetable extended for summer"}


def test_marked_words_expand_over_the_whole_vocabulary(make_backend, tmp_path):
    from search.index import text_analyzer

    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    searcher = backend.searcher()
    ferry = {token.text for token in text_analyzer()("ferry")}
    # harbour.txt and ferry.txt hold "harbour", bridge.txt "bridge": shards' words join.
    assert searcher.marked_words("harb* OR bridg* OR ferry") == {"harbour", "bridg", *ferry}
    assert searcher.marked_words("lighthouse") == frozenset()


def test_matches_are_every_match_in_order_up_to_the_limit(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_corpus(tmp_path / "corpus")])
    searcher = backend.searcher()
    for q, sort in (("", "oldest"), ("", "newest"), ("harbour OR ferry OR dredging", "relevance")):
        everything = searcher.search(SearchRequest(q=q, sort=sort, page_size=100))
        total, hits = searcher.matches(SearchRequest(q=q, sort=sort, page=2, page_size=1), 3)
        assert total == everything["total"] > 3
        assert ([(hit["document"], hit["paragraph"], hit["score"]) for hit in hits]
                == [(hit["document"], hit["paragraph"], hit["score"])
                    for hit in everything["hits"][:3]])
        assert hits[0]["text"] == everything["hits"][0]["text"]


def test_latest_matches_are_the_last_indexed_first(make_backend, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ["harbour.txt", "bridge.txt"])
    backend = make_backend()
    backend.update([corpus])
    write_corpus(corpus, ["ferry.txt"])
    backend.update([corpus])
    searcher = backend.searcher()
    eventually(lambda: total(searcher, "timetable") == 1)
    latest = searcher.latest(SearchRequest(q=""), 3)
    assert [(hit["document"], hit["paragraph"]) for hit in latest] == [
        ("ferry.txt", 0), ("ferry.txt", 1), *[(hit["document"], hit["paragraph"])
                                             for hit in latest[2:]]]
    assert latest[2]["document"] in {"harbour.txt", "bridge.txt"}
    assert latest[0]["indexed"] > latest[2]["indexed"] and latest[0]["hash"]
    only = searcher.latest(SearchRequest(q="steel"), 5)
    assert [hit["document"] for hit in only] == ["bridge.txt"]


def _on_two_shards(stem: str, count: int) -> list[str]:
    """File names stem-N.txt, the first two on different shards of a two-shard index."""
    from search.cluster import shard_of

    names = [f"{stem}-{n}.txt" for n in range(20)]
    first = names[0]
    other = next(name for name in names if shard_of(name, 2) != shard_of(first, 2))
    rest = [name for name in names if name not in (first, other)]
    return [first, other, *rest][:count]


ROADS = _on_two_shards("roads", 3)
ROAD_QUOTES = [
    '"The resurfacing of the coast road will take two weeks," said Tomas Okafor, chief '
    'engineer at the Linmouth Roads Agency.',
    '"We will reopen the tunnel on Friday," said Tomas Okafor, chief engineer at the '
    'Linmouth Roads Agency.',
    '"Cyclists can use the old towpath meanwhile," said Ines Moreau, spokeswoman for the '
    'Linmouth Roads Agency.',
]


def write_roads(folder: Path) -> Path:
    """Three statements for the Linmouth Roads Agency, on both shards of a 2-shard index."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, quote in zip(ROADS, ROAD_QUOTES, strict=True):
        (folder / name).write_text(f"Roads update\n\nJune 1, 2021\n\n{quote}\n",
                                   encoding="utf-8")
    return folder


def test_profiles_count_over_every_shard(make_backend, tmp_path):
    backend = make_backend()
    backend.update([write_roads(tmp_path / "corpus")])
    searcher = backend.searcher()
    assert searcher.affiliations("Tomas Okafor") == {
        "values": [("Linmouth Roads Agency", 2)], "scanned": 2, "total": 2}
    people = searcher.spokespeople("Linmouth Roads Agency")
    assert people["values"] == [("Tomas Okafor", 2, "chief engineer"),
                                ("Ines Moreau", 1, "spokeswoman")]
    assert (people["scanned"], people["total"]) == (3, 3)
    assert searcher.affiliations("Nobody Known") == {"values": [], "scanned": 0, "total": 0}


def test_the_document_facet_is_exact_and_bounded(make_backend, tmp_path):
    from search.query import FACET_LIMIT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lengths = {}
    for number in range(FACET_LIMIT + 5):
        name = f"beacon-{number:03}.txt"
        lengths[name] = number % 3 + 1
        paragraphs = [f"Beacon {number} was lit at dusk, watch {part}."
                      for part in range(lengths[name])]
        (corpus / name).write_text("Beacon log\n\n" + "\n\n".join(paragraphs) + "\n",
                                   encoding="utf-8")
    backend = make_backend()
    backend.update([corpus])
    searcher = backend.searcher()
    result = searcher.search(SearchRequest(q="beacon"))
    shown = result["facets"]["document"]
    assert result["facet_sizes"]["document"] == len(lengths)
    assert len(shown) == FACET_LIMIT
    assert all(count == lengths[name] for name, count in shown.items())
    assert {name for name, length in lengths.items() if length > 1} <= shown.keys()
    left_out = next(name for name in lengths if name not in shown)
    chosen = searcher.search(SearchRequest(q="beacon", documents=[left_out]))
    assert chosen["facets"]["document"][left_out] == lengths[left_out]
    assert len(chosen["facets"]["document"]) == FACET_LIMIT + 1
    assert chosen["total"] == lengths[left_out]


def test_web_pages_read_through_the_backend(make_backend, tmp_path):
    from search.cli import app_config
    from web import create_app

    corpus = write_roads(write_corpus(tmp_path / "corpus"))
    backend = make_backend()
    backend.update([corpus])
    app = create_app({**app_config(backend, corpus), "TESTING": True})
    client = app.test_client()
    page = client.get("/documents/bridge.txt?q=steel")
    assert page.status_code == 200
    assert "<mark>steel</mark>" in page.get_data(as_text=True)
    assert client.get("/api/documents/bridge.txt").get_json()["title"] == (
        "Bridge repairs delayed again")
    assert client.get("/documents/missing.txt").status_code == 404
    speaker = client.get("/speakers/Tomas Okafor").get_data(as_text=True)
    assert "Linmouth Roads Agency" in speaker and "resurfacing" in speaker
    organisation = client.get("/organisations/Linmouth Roads Agency").get_data(as_text=True)
    assert "Tomas Okafor" in organisation and "Ines Moreau" in organisation
    export = client.get("/export.csv?q=harbour")
    assert export.headers["X-Docsearch-Total"] == "2"
    assert len(export.get_data(as_text=True).strip().splitlines()) == 3  # header and 2 rows
    feed = client.get("/search.atom?q=harbour").get_data(as_text=True)
    assert feed.count("<entry>") == 2
    chips = client.get("/?document=bridge.txt").get_data(as_text=True)
    assert "Bridge repairs delayed again" in chips
