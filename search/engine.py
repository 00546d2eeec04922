"""The index behind one narrow seam: a Backend gives a writer and a long-lived searcher.

Callers (the CLI, the web app, sync and watch) need only this interface; `WhooshBackend` is
the single-directory index, `search.cluster.ClusterBackend` the sharded one on Ray. Both
return the same plain data as `search.query`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from search.index import IndexReport, LiveIndex, open_index, reading

Progress = Callable[[int, int, int], None]


class IndexWriting(Protocol):
    """One write to an index: nothing is visible to searchers until commit()."""

    def indexed(self) -> dict[str, str]:
        """Document id -> content hash of every document in the index's last commit."""

    def add(self, records: list[dict]) -> None:
        """Add the paragraph records of one document."""

    def delete(self, file_id: str) -> None:
        """Delete a file's documents (its own id and `file_id/...` within it)."""

    def commit(self) -> None:
        """Make every change visible at once."""

    def cancel(self) -> None:
        """Drop every change since the writer was opened."""


class Searching(Protocol):
    """A long-lived searcher that follows new commits."""

    def search(self, request) -> dict:
        """The result dict of search.query.search for a SearchRequest."""

    def document(self, document_id: str) -> list[dict]:
        """Every paragraph of one document in order, as hit records."""

    def suggestion(self, text: str) -> str | None:
        """The query text with misspelt words corrected, or None."""

    def close(self) -> None:
        """Release what the searcher holds."""


class Backend(Protocol):
    """An index: how to write it, bring it in line with a corpus, and search it."""

    def writer(self) -> contextlib.AbstractContextManager[IndexWriting]:
        """A writer; leaving the block without commit() cancels its changes."""

    def update(self, roots: Iterable[Path], *, rebuild: bool = False,
               only: Iterable[Path] | None = None,
               progress: Progress | None = None) -> IndexReport:
        """Make the index match the documents under roots (see search.sync.update_index)."""

    def searcher(self) -> Searching:
        """A long-lived searcher over the index."""


class WhooshWriting:
    """A write to one Whoosh index directory, holding its writer lock."""

    def __init__(self, index_dir: Path, ix, writer):
        self.index_dir = index_dir
        self._ix = ix
        self._writer = writer

    def indexed(self) -> dict[str, str]:
        """Document id -> content hash in the last commit."""
        from search.sync import indexed_documents

        with reading(self.index_dir):
            return indexed_documents(self._ix)

    def add(self, records: list[dict]) -> None:
        """Add one document's records."""
        for record in records:
            self._writer.add_document(**record)

    def delete(self, file_id: str) -> None:
        """Delete a file's documents."""
        from search.index import delete_documents

        delete_documents(self._writer, file_id)

    def commit(self) -> None:
        """Commit the changes."""
        self._writer.commit()

    def cancel(self) -> None:
        """Drop the changes (deleting what the writer wrote)."""
        from search.sync import _abandon

        if not self._writer.is_closed:
            _abandon(self._writer)


class WhooshSearching:
    """search.query over a LiveIndex: a searcher refreshed when the index changes."""

    def __init__(self, index_dir: Path):
        from search.query import warm_up

        self.index_dir = Path(index_dir)
        self._live = LiveIndex(self.index_dir, on_open=warm_up)

    def search(self, request) -> dict:
        """A page of results with facets, as search.query.search."""
        from search.query import search

        with reading(self.index_dir):
            return search(self._live.searcher(), request)

    def document(self, document_id: str) -> list[dict]:
        """One document's paragraphs."""
        from search.query import document_paragraphs

        with reading(self.index_dir):
            return document_paragraphs(self._live.searcher(), document_id)

    def suggestion(self, text: str) -> str | None:
        """A corrected query, or None."""
        from search.query import parse_query, suggestion

        with reading(self.index_dir):
            searcher = self._live.searcher()
            return suggestion(searcher, parse_query(searcher, text), text)

    def close(self) -> None:
        """Close the searcher."""
        self._live.close()


class WhooshBackend:
    """The single-directory Whoosh index (search.index, search.sync, search.query)."""

    def __init__(self, index_dir: Path | str, wait: float | None = None):
        self.index_dir = Path(index_dir)
        self.wait = wait

    def _wait(self) -> float:
        from search.sync import DEFAULT_WAIT_S

        return DEFAULT_WAIT_S if self.wait is None else self.wait

    @contextlib.contextmanager
    def writer(self) -> Iterator[WhooshWriting]:
        """A writer under the index's writer lock (the index is created if missing)."""
        from search.sync import _index_for_writing, _open_writer, writer_lock

        self.index_dir.mkdir(parents=True, exist_ok=True)
        with writer_lock(self.index_dir, self._wait()):
            ix = _index_for_writing(self.index_dir, rebuild=False)
            writing = WhooshWriting(self.index_dir, ix, _open_writer(ix, self._wait()))
            try:
                yield writing
            finally:
                writing.cancel()  # nothing once committed

    def update(self, roots: Iterable[Path], *, rebuild: bool = False,
               only: Iterable[Path] | None = None,
               progress: Progress | None = None) -> IndexReport:
        """search.sync.update_index on this directory."""
        from search.sync import update_index

        return update_index(roots, self.index_dir, rebuild=rebuild, only=only,
                            progress=progress, wait=self._wait())

    def searcher(self) -> WhooshSearching:
        """A LiveIndex-backed searcher."""
        return WhooshSearching(self.index_dir)

    def check(self) -> None:
        """IndexStateError unless there is a usable index."""
        open_index(self.index_dir)


def backend_for(index_dir: Path | str, cluster: str | None = None,
                shards: int | None = None) -> Backend:
    """The Whoosh index at index_dir, or (with a Ray address) the sharded index on a cluster."""
    if not cluster:
        return WhooshBackend(index_dir)
    from search.cluster import ClusterBackend

    return ClusterBackend(index_dir, address=cluster, shards=shards)
