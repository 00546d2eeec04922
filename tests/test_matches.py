"""The numpy query engine agrees with Whoosh: same matches, same BM25F scores, same facets."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from search.index import ORGANISATION, SPEAKER, open_index
from search.matches import match_index
from search.query import parse_query
from search.sync import update_index

from .conftest import CORPUS

QUERIES = [
    "Russia", "crematorium OR ceasefire", "Russia AND NOT crematorium", "sanct*", "*ment",
    '"chemical weapons"', '"State Department"', "speaker:courtney", 'org:"Harbour Capital"',
    "title:russia", "year:2017", "strike (pension OR pensions)", "said NOT (Russia OR bank)",
    "*", "document:004_ministry_briefing_transcript.txt", "zzzunknownword",
]


@pytest.fixture(scope="module")
def searcher(corpus_index):
    with open_index(corpus_index).searcher() as searcher:
        yield searcher


@pytest.mark.parametrize("text", QUERIES)
def test_mask_is_what_whoosh_matches(searcher, text):
    q = parse_query(searcher, text)
    mask = match_index(searcher).mask(q)
    assert set(np.flatnonzero(mask).tolist()) == set(searcher.docs_for_query(q))


@pytest.mark.parametrize("text", [q for q in QUERIES if not q.startswith(("*", "year:", "doc"))])
def test_scores_are_whoosh_bm25f(searcher, text):
    q = parse_query(searcher, text)
    scores = match_index(searcher).scores(q)
    hits = list(searcher.search(q, limit=None))
    # Whoosh scores a NOT clause as a constant 1.0 for every match; ranking is the same.
    offset = 1.0 if " NOT " in text else 0.0
    for hit in hits:
        assert scores[hit.docnum] + offset == pytest.approx(hit.score, rel=1e-4)


def test_facet_columns_count_every_value(searcher):
    matches = match_index(searcher)
    everything = matches.mask(parse_query(searcher, "*"))
    for field in (SPEAKER, ORGANISATION):
        counts, size = matches.column(field).counts(everything)
        expected = {term.decode(): searcher.doc_frequency(field, term)
                    for term in searcher.reader().lexicon(field)}
        assert counts == expected and size == len(expected)
        top, size = matches.column(field).counts(everything, limit=2)
        assert list(top) == list(counts)[:2] and size == len(expected)


@pytest.mark.parametrize("density", [0.0, 0.1, 0.49, 0.51, 0.9, 1.0])
@pytest.mark.parametrize("field", [SPEAKER, ORGANISATION, "year", "document"])
def test_facet_counts_for_sparse_and_dense_masks(searcher, field, density):
    # Past half the paragraphs, counts are taken as everything minus the complement.
    matches = match_index(searcher)
    rng = np.random.default_rng(7)
    mask = (rng.random(matches.size) < density) & matches.live
    expected: dict[str, int] = {}
    for docnum in np.flatnonzero(mask):
        for value in set(_values(searcher.stored_fields(int(docnum)), field)):
            expected[value] = expected.get(value, 0) + 1
    counts, size = matches.column(field).counts(mask)
    assert counts == expected and size == len(expected)


def _values(stored: dict, field: str) -> list[str]:
    value = stored.get(field)
    if not value:
        return []
    return value.split("|") if field in (SPEAKER, ORGANISATION) else [str(value)]


def test_deleted_paragraphs_never_match(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    (corpus / "005_central_bank_rates.txt").write_text("Rates\n\nThe bank said nothing.\n")
    update_index([corpus], index_dir)
    with open_index(index_dir).searcher() as searcher:
        assert searcher.reader().has_deletions()
        for text in ("inflation", "bank", "*"):
            q = parse_query(searcher, text)
            mask = match_index(searcher).mask(q)
            assert set(np.flatnonzero(mask).tolist()) == set(searcher.docs_for_query(q))


def test_phrase_walks_only_new_segments_after_a_commit(tmp_path):
    """A phrase or range result is kept per segment: after a commit that only adds a
    segment, a repeated phrase search walks that segment alone, and still finds both."""
    from search.matches import SEGMENT_CACHE

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "first.txt").write_text("First\n\nThe harbour board met on the quay today.\n")
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    with open_index(index_dir).searcher() as searcher:
        q = parse_query(searcher, '"harbour board"')
        assert match_index(searcher).mask(q).sum() == 1
    (corpus / "second.txt").write_text("Second\n\nA harbour board spokesperson said no.\n")
    update_index([corpus], index_dir, merge=False)
    with open_index(index_dir).searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        q = parse_query(searcher, '"harbour board"')
        segments = [leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()]
        walked_before = {key[0] for key in SEGMENT_CACHE.entries if key[1] == "walk"}
        assert segments[0] in walked_before  # the first segment's answer, kept from before
        mask = match_index(searcher).mask(q)
        assert set(np.flatnonzero(mask).tolist()) == set(searcher.docs_for_query(q))
        assert mask.sum() == 2
        walked = {key[0] for key in SEGMENT_CACHE.entries if key[1] == "walk"}
        assert set(segments) <= walked


def _engine_state(searcher) -> dict:
    """Everything warm_up builds for a searcher, as plain arrays and lists."""
    from search.query import warm_up

    warm_up(searcher)
    shared = match_index(searcher).shared
    state = {f"numbers {k}": v.tolist() for k, v in shared.numbers.items()}
    state |= {f"lengths {k}": v.tolist() for k, v in shared.lengths.items()}
    state |= {f"words {k}": list(v) for k, v in shared.vocabularies.items()}
    state |= {f"signatures {k}": (v.lengths.tolist(), v.letters.tolist())
              for k, v in shared.signatures.items()}
    for name, column in shared.columns.items():
        everything = np.ones(column.size, dtype=bool)
        state[f"column {name}"] = (column.values, column.first.tolist(),
                                   sorted(zip(column._extra_docs.tolist(),
                                              column._extra_ids.tolist(), strict=True)),
                                   column.counts(everything))
    return state


def _has_base(searcher) -> bool:
    base = match_index(searcher).shared.base
    return base is not None and base() is not None


@pytest.mark.parametrize("change", ["new values", "known values", "an edited document"])
def test_a_commit_extends_the_previous_engine_state_exactly(tmp_path, change):
    """After a commit that adds a segment, a new searcher's whole-index arrays are the
    previous commit's extended by the new segment: the same as built from scratch."""
    import gc

    from search.matches import release_state

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    update_index([corpus], index_dir)
    text = {
        "new values": 'Zebra Quarterly\n\n"We will not wait," said Abigail Aardman, the '
                      "chief executive of Aardvark Holdings, on 3 March 2024.\n",
        "known values": "Rates\n\nThe central bank said rates would stay where they are.\n",
    }
    if change == "an edited document":
        target = sorted(corpus.glob("*.txt"))[0]
        target.write_text(target.read_text() + "\n\nA late paragraph about aardvarks.\n")
    else:
        (corpus / "zz_new.txt").write_text(text[change])
    ix = open_index(index_dir)
    with ix.searcher() as before:
        _engine_state(before)
        update_index([corpus], index_dir, merge=False)
        after = open_index(index_dir).searcher()
        assert len(after.reader().leaf_readers()) == len(before.reader().leaf_readers()) + 1
        incremental = _engine_state(after)
        extended = _has_base(after)  # built from the previous commit's state
        release_state(before)
    release_state(after)
    gc.collect()
    from_scratch = not _has_base(after)
    assert extended and from_scratch
    assert _engine_state(after) == incremental
    after.close()
