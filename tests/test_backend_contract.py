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
    """A local Ray instance for the module (stopped, with its processes, at the end)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    import ray

    ray.init(num_cpus=1, include_dashboard=False, configure_logging=False,
             log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(params=["whoosh", pytest.param("cluster", marks=pytest.mark.skipif(
    not HAS_RAY, reason="the cluster backend needs ray: pip install 'docsearch[cluster]'"))])
def make_backend(request, tmp_path):
    """A function giving a fresh backend of each kind over tmp_path/index."""
    def make():
        if request.param == "whoosh":
            from search.engine import WhooshBackend

            return WhooshBackend(tmp_path / "index")
        request.getfixturevalue("local_ray")
        from search.cluster import ClusterBackend

        return ClusterBackend(tmp_path / "index", address=None, shards=2)
    return make


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
