"""The index's document table, written beside each commit: document id -> content hash, and
each corpus file's size and modification time when it was hashed.

A sync reads it in milliseconds instead of the stored fields of every document, and hashes
only the files whose size or modification time changed, so that syncing one changed file
costs in proportion to that file, not to the corpus. The table names the index generation
it describes; one that does not match the latest commit is ignored (and rebuilt from the
index), so a crash between a commit and its table costs one slow sync, never a wrong one.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from search.index import DOCUMENT, HASH, content_hash

log = logging.getLogger(__name__)

MANIFEST_FILE = "_MAIN_manifest.json"  # named like Whoosh's files, which it belongs with
VERSION = 1
RACY_NS = 2_000_000_000  # a file modified this recently may change again within its mtime tick
Stat = tuple[int, int]  # size in bytes, modification time in nanoseconds


@dataclass
class Manifest:
    """What the index at one generation holds per document, and the corpus files' stats."""

    generation: int
    documents: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)


def load(index_dir: Path, generation: int) -> Manifest | None:
    """The table written with commit `generation`, or None when missing, stale or unreadable."""
    try:
        data = json.loads((Path(index_dir) / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION \
            or data.get("generation") != generation:
        return None
    try:
        stats = {key: (int(size), int(mtime)) for key, (size, mtime) in data["stats"].items()}
        documents = {str(key): str(value) for key, value in data["documents"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return Manifest(generation, documents, stats)


def save(index_dir: Path, manifest: Manifest) -> None:
    """Write the table atomically (a reader sees the old one or the new one, whole)."""
    target = Path(index_dir) / MANIFEST_FILE
    temporary = target.with_name(f"{MANIFEST_FILE}.{os.getpid()}.tmp")
    data = {"version": VERSION, "generation": manifest.generation,
            "documents": manifest.documents,
            "stats": {key: list(stat) for key, stat in manifest.stats.items()}}
    try:
        temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(temporary, target)
    except OSError:  # only an optimisation: the next sync reads the index instead
        log.info("could not write %s", target, exc_info=True)
        with suppress(OSError):
            temporary.unlink()


def file_stat(path: Path) -> Stat | None:
    """A file's size and modification time, or None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Hasher:
    """Content hashes of corpus files, reusing the indexed hash of a file whose size and
    modification time are those recorded when it was hashed (and not racily recent)."""

    def __init__(self, known: Manifest | None, indexed_by_file: dict[str, str]):
        self.known_stats = known.stats if known else {}
        self.indexed_by_file = indexed_by_file
        self.stats: dict[str, Stat] = {}
        self.hashed: list[str] = []  # ids of the files actually read, for reports and tests
        self.reused = 0

    def __call__(self, file_id: str, path: Path) -> str:
        """The content hash of the file; DocumentError if it cannot be read."""
        stat = file_stat(path)
        digest = self.indexed_by_file.get(file_id)
        if stat is not None and digest and self.known_stats.get(file_id) == stat:
            self.stats[file_id] = stat
            self.reused += 1
            return digest
        digest = content_hash(path)
        self.hashed.append(file_id)
        if stat is not None and time.time_ns() - stat[1] > RACY_NS:
            self.stats[file_id] = stat  # stat'ed before the read: a later write changes it
        return digest


def documents_after(reader, before: dict[str, str], removed: Iterable[str],
                    changed_files: Iterable[str], owner) -> dict[str, str]:
    """The document table after a commit: `before` without the removed documents and those
    of the changed files, plus what the committed reader now holds for those files.

    owner(doc_id, file_ids) names the file a document comes from (sync.owning_file)."""
    documents = dict(before)
    for doc_id in removed:
        documents.pop(doc_id, None)
    changed = set(changed_files)
    if not changed:
        return documents
    documents = {doc_id: digest for doc_id, digest in documents.items()
                 if owner(doc_id, changed) is None}
    for file_id in changed:
        terms = [file_id.encode("utf-8"), *reader.expand_prefix(DOCUMENT, file_id + "/")]
        for term in terms:
            digest = _indexed_hash(reader, term)
            if digest is not None:
                documents[term.decode("utf-8") if isinstance(term, bytes) else term] = digest
    return documents


def _indexed_hash(reader, term) -> str | None:
    """The stored content hash of the live document with this id term, if there is one."""
    btext = term if isinstance(term, bytes) else term.encode("utf-8")
    if (DOCUMENT, btext) not in reader:
        return None
    postings = reader.postings(DOCUMENT, btext)  # skips deleted records
    if not postings.is_active():
        return None
    return reader.stored_fields(postings.id()).get(HASH, "")


def stats_after(before: Manifest | None, hasher: Hasher, scope: set[str] | None,
                files: Iterable[str]) -> dict[str, Stat]:
    """The file stats to record: the hasher's, plus (for a sync of some paths only) the
    earlier ones of files outside those paths."""
    stats = dict(hasher.stats)
    if scope is not None and before is not None:
        present = set(files)
        for file_id, stat in before.stats.items():
            if file_id not in scope and file_id not in present:
                stats.setdefault(file_id, stat)
    return stats
