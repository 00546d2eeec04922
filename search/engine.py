"""The index behind one narrow seam: a Backend gives a writer and a long-lived searcher.

Callers (the CLI, the web app and the corpus watcher) need only this interface, chosen once
with backend_for(); `WhooshBackend` is the single-directory index (search.sync writes it,
search.query reads it), `search.cluster.ClusterBackend` the sharded one on Ray. Both return
the same plain data as `search.query`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from search.index import DOCUMENT, TITLE, IndexReport, LiveIndex, has_index_files, reading

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

    def titles(self, document_ids: Iterable[str]) -> dict[str, str]:
        """Document id -> title, for those of document_ids that are indexed."""

    def suggestion(self, text: str) -> str | None:
        """The query text with misspelt words corrected, or None."""

    def marked_words(self, text: str) -> frozenset[str]:
        """The indexed words of the text field a query matches (to mark them on a page)."""

    def matches(self, request, limit: int) -> tuple[int, list[dict]]:
        """How many paragraphs a request matches, and the first limit of them in its order
        (its page ignored) as hit records without snippets: what an export holds."""

    def latest(self, request, limit: int) -> list[dict]:
        """The request's matches indexed last, newest first (search.feed.latest_matches)."""

    def affiliations(self, name: str) -> dict:
        """The organisations a speaker spoke for (search.profiles.affiliations)."""

    def spokespeople(self, organisation: str) -> dict:
        """The speakers who spoke for an organisation (search.profiles.spokespeople)."""

    def close(self) -> None:
        """Release what the searcher holds."""


class Backend(Protocol):
    """An index: how to write it, bring it in line with a corpus, and search it."""

    index_dir: Path  # where the index (or a cluster index's manifest) lives

    def writer(self) -> contextlib.AbstractContextManager[IndexWriting]:
        """A writer; leaving the block without commit() cancels its changes."""

    def update(self, roots: Iterable[Path], *, rebuild: bool = False,
               only: Iterable[Path] | None = None, progress: Progress | None = None,
               merge: bool = True) -> IndexReport:
        """Make the index match the documents under roots (see search.sync.update_index);
        without merge, the commit leaves small segments for merge_segments() to merge."""

    def merge_segments(self) -> bool:
        """Merge small segments in a commit of their own; whether there was anything to."""

    def exists(self) -> bool:
        """Whether there is an index to search (usable or not): else index the corpus first."""

    def searcher(self, *, warm: bool = True) -> Searching:
        """A long-lived searcher over the index; with warm, it prepares facet columns and
        word lists at once (as a server should), else on first use (a one-off query)."""


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
        from search.sync import abandon_writer

        if not self._writer.is_closed:
            abandon_writer(self._writer)


class WhooshSearching:
    """search.query over one Whoosh index: each call reads the searcher current() gives,
    by default a LiveIndex's (refreshed when the index changes)."""

    def __init__(self, index_dir: Path, current: Callable[[], object] | None = None,
                 warm: bool = True):
        self.index_dir = Path(index_dir)
        self._live = None
        if current is None:
            from search.query import warm_up

            self._live = LiveIndex(self.index_dir, on_open=warm_up if warm else None)
            current = self._live.searcher
        self._current = current

    def search(self, request) -> dict:
        """A page of results with facets, as search.query.search."""
        from search.query import search

        with reading(self.index_dir):
            return search(self._current(), request)

    def document(self, document_id: str) -> list[dict]:
        """One document's paragraphs."""
        from search.query import document_paragraphs

        with reading(self.index_dir):
            return document_paragraphs(self._current(), document_id)

    def titles(self, document_ids: Iterable[str]) -> dict[str, str]:
        """The titles of the indexed documents among document_ids (their id when untitled)."""
        with reading(self.index_dir):
            searcher = self._current()
            found = {}
            for document_id in document_ids:
                stored = searcher.document(**{DOCUMENT: document_id})
                if stored is not None:
                    found[document_id] = stored.get(TITLE) or document_id
            return found

    def suggestion(self, text: str) -> str | None:
        """A corrected query, or None."""
        from search.query import parse_query, suggestion

        with reading(self.index_dir):
            searcher = self._current()
            return suggestion(searcher, parse_query(searcher, text), text)

    def marked_words(self, text: str) -> frozenset[str]:
        """The words to mark for a query."""
        from search.query import highlight_terms, parse_query

        with reading(self.index_dir):
            searcher = self._current()
            return highlight_terms(searcher, parse_query(searcher, text))

    def matches(self, request, limit: int) -> tuple[int, list[dict]]:
        """The total and the first limit matches, as search.query.matched_docnums."""
        from search.query import hit_record, matched_docnums

        with reading(self.index_dir):
            searcher = self._current()
            total, found, _terms = matched_docnums(searcher, request, limit)
            return total, [hit_record(searcher.stored_fields(docnum), score)
                           for docnum, score in found]

    def latest(self, request, limit: int) -> list[dict]:
        """The matches indexed last."""
        from search.feed import latest_matches

        with reading(self.index_dir):
            return latest_matches(self._current(), request, limit)

    def affiliations(self, name: str) -> dict:
        """Whom a speaker spoke for."""
        from search.profiles import affiliations

        with reading(self.index_dir):
            return affiliations(self._current(), name)

    def spokespeople(self, organisation: str) -> dict:
        """Who spoke for an organisation."""
        from search.profiles import spokespeople

        with reading(self.index_dir):
            return spokespeople(self._current(), organisation)

    def close(self) -> None:
        """Close the LiveIndex's searcher (one given by current() is its owner's)."""
        if self._live is not None:
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
        from search.sync import index_for_writing, open_writer, writer_lock

        self.index_dir.mkdir(parents=True, exist_ok=True)
        with writer_lock(self.index_dir, self._wait()):
            ix = index_for_writing(self.index_dir, rebuild=False)
            writing = WhooshWriting(self.index_dir, ix, open_writer(ix, self._wait()))
            try:
                yield writing
            finally:
                writing.cancel()  # nothing once committed

    def update(self, roots: Iterable[Path], *, rebuild: bool = False,
               only: Iterable[Path] | None = None, progress: Progress | None = None,
               merge: bool = True) -> IndexReport:
        """search.sync.update_index on this directory."""
        from search.sync import update_index

        return update_index(roots, self.index_dir, rebuild=rebuild, only=only,
                            progress=progress, wait=self._wait(), merge=merge)

    def merge_segments(self) -> bool:
        """search.sync.merge_small_segments on this directory."""
        from search.sync import merge_small_segments

        return merge_small_segments(self.index_dir, wait=self._wait())

    def searcher(self, *, warm: bool = True) -> WhooshSearching:
        """A LiveIndex-backed searcher."""
        return WhooshSearching(self.index_dir, warm=warm)

    def exists(self) -> bool:
        """Whether index_dir holds an index (usable or damaged)."""
        return has_index_files(self.index_dir)


def backend_for(index_dir: Path | str, cluster: str | None = None,
                shards: int | None = None, wait: float | None = None) -> Backend:
    """The Whoosh index at index_dir (waiting up to wait seconds for another writer), or,
    with a Ray address, the sharded index whose manifest is there."""
    if not cluster:
        return WhooshBackend(index_dir, wait=wait)
    from search.cluster import ClusterBackend

    return ClusterBackend(index_dir, address=cluster, shards=shards)
