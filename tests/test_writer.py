"""ParagraphWriter must write exactly the segment Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.writing import SegmentWriter

from search.index import (
    TEXT_FIELDS,
    IndexReport,
    create_index,
    text_analyzer,
)
from search.records import document_records
from search.writer import ParagraphWriter, text_terms

REPO = Path(__file__).resolve().parent.parent


def assert_terms_as_whoosh_analyses(text: str) -> None:
    """text_terms gives the analyzer's terms, and the first one's position when there is one."""
    tokens = [(t.text.encode("utf-8"), t.pos) for t in text_analyzer()(text, positions=True)]
    terms, first = text_terms(text)
    assert terms == [term for term, _ in tokens]
    if tokens:
        assert first == tokens[0][1]


@pytest.mark.parametrize("text", [
    "", "the a an", "The cat sat on the mat.", "3.141 big-time under_score U.S. e.g.",
    "São Paulo's Zürich ÉCOLE naïve café", "İstanbul ﬁnance ß", "a I x 9 99 running runners",
    "He said: \"We won't stop.\" — according to officials",
])
def test_text_terms_equal_whoosh_analyzer(text):
    assert_terms_as_whoosh_analyses(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_text_terms_equal_whoosh_analyzer_on_any_text(text):
    assert_terms_as_whoosh_analyses(text)


def corpus_records(root: Path) -> list[dict]:
    records = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        records.extend(document_records(path, root, "digest", IndexReport()) or ())
    return records


def segment_contents(index_dir: Path) -> dict:
    """Everything a reader sees of an index: postings with values, lengths, stored, columns."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(index_dir))
    found: dict = {}
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            postings, items = reader.postings(fieldname, btext), []
            while postings.is_active():
                items.append((postings.id(), postings.weight(), postings.value(),
                              postings.block_min_id(), postings.block_max_id(),
                              postings.block_max_weight(), postings.block_min_length(),
                              postings.block_max_length()))
                postings.next()
            found[("postings", fieldname, btext)] = items
            info = reader.term_info(fieldname, btext)
            found[("terminfo", fieldname, btext)] = (
                info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                info.max_weight(), info.min_id(), info.max_id())
        for docnum in range(reader.doc_count_all()):
            found[("stored", docnum)] = reader.stored_fields(docnum)
            for fieldname in ix.schema.scorable_names():
                found[("length", fieldname, docnum)] = reader.doc_field_length(docnum, fieldname)
        for fieldname in ix.schema.names():
            if reader.has_column(fieldname):
                column = reader.column_reader(fieldname, translate=False)
                found[("column", fieldname)] = list(column)
            found[("total", fieldname)] = reader.field_length(fieldname)
    return found


def new_writer(ix, writer_class):
    if writer_class is ParagraphWriter:
        return ParagraphWriter(ix, text_fields=TEXT_FIELDS, limitmb=1)
    return SegmentWriter(ix, limitmb=1)


def write(index_dir: Path, records: list[dict], writer_class) -> None:
    writer = new_writer(create_index(index_dir), writer_class)
    for record in records:
        writer.add_document(**record)
    writer.commit()


def write_and_merge(index_dir: Path, records: list[dict], writer_class) -> None:
    """Two commits, a deletion, then a third writer merging both segments into one."""
    ix = create_index(index_dir)
    half = len(records) // 2
    for part in (records[:half], records[half:]):
        writer = new_writer(ix, writer_class)
        for record in part:
            writer.add_document(**record)
        writer.commit(merge=False)
    writer = new_writer(ix, writer_class)
    writer.delete_by_term("document", records[0]["document"])
    writer.commit(optimize=True)


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory) -> Path:
    """A synthetic corpus (text and HTML, many speakers and organisations) made by the bench."""
    from bench import corpus as gen

    out = tmp_path_factory.mktemp("generated") / "corpus"
    gen.generate_corpus(out, 100, processes=1)
    return out


@pytest.mark.parametrize("source", ["bundled", "generated"])
def test_paragraph_writer_writes_what_whoosh_writes(tmp_path, request, source):
    root = REPO / "corpus" if source == "bundled" else request.getfixturevalue("generated_corpus")
    # limitmb=1 makes both pools spill to sorted runs, so the merge path is covered too.
    records = corpus_records(root) * 12  # common words fill several 128-posting blocks
    assert records
    write(tmp_path / "whoosh", records, SegmentWriter)
    write(tmp_path / "ours", records, ParagraphWriter)
    expected, ours = segment_contents(tmp_path / "whoosh"), segment_contents(tmp_path / "ours")
    assert len(ours) == len(expected) > 100
    assert ours == expected


def test_paragraph_writer_merges_segments_as_whoosh_does(tmp_path):
    records = corpus_records(REPO / "corpus") * 8
    write_and_merge(tmp_path / "whoosh", records, SegmentWriter)
    write_and_merge(tmp_path / "ours", records, ParagraphWriter)
    expected, ours = segment_contents(tmp_path / "whoosh"), segment_contents(tmp_path / "ours")
    assert ours == expected
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(tmp_path / "ours")).reader() as reader:
        assert reader.doc_count_all() < len(records)  # the deletion was merged away
