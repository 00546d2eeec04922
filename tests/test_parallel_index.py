"""Large batches are indexed by two processes, each writing a segment: same result as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import sync
from search.index import ID_FIELD, open_index
from search.sync import update_index


def _corpus(folder: Path, documents: int) -> Path:
    folder.mkdir()
    for n in range(documents):
        (folder / f"doc{n:04}.txt").write_text(
            f"Report {n}\n\nMay {n % 28 + 1}, 2019\n\n"
            f'"Talks number {n} went well," said Ana Ruiz, the director of the Port Agency.\n\n'
            f"The agency said on Tuesday that item{n} was on the agenda.\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    return folder


def _contents(index_dir: Path) -> tuple[list[tuple], int]:
    with open_index(index_dir).searcher() as searcher:
        stored = sorted((f[ID_FIELD], f["text"], f["speaker"])
                        for f in searcher.all_stored_fields())
        return stored, searcher.doc_count()


@pytest.mark.parametrize("processes", [1, 2])
def test_parallel_and_serial_indexing_agree(tmp_path, monkeypatch, processes):
    corpus = _corpus(tmp_path / "corpus", 260)
    monkeypatch.setattr(sync, "WRITER_PROCESSES", processes)
    report = update_index([corpus], tmp_path / "index")
    assert (report.added, report.documents, report.paragraphs) == (260, 260, 520)
    assert sorted(path.rsplit("/", 1)[-1] for path, _ in report.skipped) == ["binary.txt",
                                                                              "empty.txt"]
    stored, count = _contents(tmp_path / "index")
    assert count == 520 and len({row[0] for row in stored}) == 520
    assert stored[0] == ("doc0000.txt#0", '"Talks number 0 went well," said Ana Ruiz, the '
                         "director of the Port Agency.", "Ana Ruiz")


def test_parallel_update_replaces_and_removes(tmp_path, monkeypatch):
    monkeypatch.setattr(sync, "WRITER_PROCESSES", 2)
    corpus = _corpus(tmp_path / "corpus", 250)
    update_index([corpus], tmp_path / "index")
    for n in range(0, 250, 2):
        (corpus / f"doc{n:04}.txt").write_text(f"Changed {n}\n\nOnly one paragraph now.\n")
    (corpus / "doc0001.txt").unlink()
    report = update_index([corpus], tmp_path / "index")
    assert (report.updated, report.removed, report.unchanged) == (125, 1, 124)
    with open_index(tmp_path / "index").searcher() as searcher:
        assert searcher.doc_count() == 125 + 124 * 2
        assert list(searcher.documents(document="doc0001.txt")) == []
        texts = [f["text"] for f in searcher.documents(document="doc0002.txt")]
        assert texts == ["Only one paragraph now."]
