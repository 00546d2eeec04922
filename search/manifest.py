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

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from search.index import DOCUMENT, HASH, content_hash

INDEX_NAME = "MAIN"  # Whoosh's default index name, which docsearch uses

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
    index_files: dict[str, Stat] = field(default_factory=dict)  # the commit's own files


# The table this process last wrote, per file, with the file's identity then (inode, size,
# mtime): a watcher syncing again reads it from memory instead of parsing it (~0.3 s at 1M).
_WRITTEN: dict[str, tuple[tuple[int, int, int], Manifest]] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _copy(manifest: Manifest) -> Manifest:
    return Manifest(manifest.generation, dict(manifest.documents), dict(manifest.stats),
                    dict(manifest.index_files))


def load(index_dir: Path, generation: int) -> Manifest | None:
    """The table written with commit `generation`, or None when missing, stale or unreadable."""
    path = Path(index_dir) / MANIFEST_FILE
    remembered = _WRITTEN.get(str(path))
    if remembered is not None and remembered[0] == _identity(path):
        manifest = remembered[1]
        if manifest.generation != generation \
                or manifest.index_files != index_files(index_dir, generation):
            return None
        return _copy(manifest)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION \
            or data.get("generation") != generation:
        return None
    try:
        stats = {key: (int(size), int(mtime)) for key, (size, mtime) in data["stats"].items()}
        documents = {str(key): str(value) for key, value in data["documents"].items()}
        written = {key: (int(size), int(mtime)) for key, (size, mtime)
                   in data["index_files"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if written != index_files(index_dir, generation):
        return None  # a segment rewritten or damaged since: read the index itself
    return Manifest(generation, documents, stats, written)


def index_files(index_dir: Path, generation: int) -> dict[str, Stat]:
    """Size and mtime of the files of commit `generation`: its table of contents and its
    segments' files (not the derived files search.matches writes beside them)."""
    try:
        toc = TOC.read(FileStorage(str(index_dir)), INDEX_NAME, gen=generation)
        names = os.listdir(index_dir)
    except Exception:  # a damaged or missing table of contents: nothing to trust
        return {}
    segments = {segment.segment_id() for segment in toc.segments}
    found = {}
    for name in names:
        if name == f"_{INDEX_NAME}_{generation}.toc" or (
                name.split(".", 1)[0] in segments and ".ds1_" not in name
                and not name.endswith(".part")):
            stat = file_stat(Path(index_dir) / name)
            if stat is not None:
                found[name] = stat
    return found


def save(index_dir: Path, manifest: Manifest) -> None:
    """Write the table atomically (a reader sees the old one or the new one, whole)."""
    target = Path(index_dir) / MANIFEST_FILE
    temporary = target.with_name(f"{MANIFEST_FILE}.{os.getpid()}.tmp")
    data = {"version": VERSION, "generation": manifest.generation,
            "documents": manifest.documents,
            "stats": {key: list(stat) for key, stat in manifest.stats.items()},
            "index_files": {key: list(stat) for key, stat in manifest.index_files.items()}}
    try:
        temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(temporary, target)
        identity = _identity(target)
        if identity is not None:
            _WRITTEN[str(target)] = (identity, _copy(manifest))
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

    def __init__(self, known: Manifest | None):
        self.known_stats = known.stats if known else {}
        self.stats: dict[str, Stat] = {}
        self.hashed: list[str] = []  # ids of the files actually read, for reports and tests
        self.reused = 0

    def __call__(self, file_id: str, path: Path, indexed: str | None) -> str:
        """The content hash of the file (`indexed`: the hash the index holds for it, if
        any); DocumentError if it cannot be read."""
        stat = file_stat(path)
        digest = indexed
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


def record(ix, index_dir: Path, before: Manifest | None, indexed: dict[str, str], changes,
           hasher: Hasher, scope: set[str] | None, files: Iterable[str], owner) -> None:
    """Write the table for the index's latest commit after a sync planned as `changes`
    (search.sync.Changes) from `indexed`, whether or not it committed anything."""
    generation = ix.latest_generation()
    changed = [corpus_file.id for corpus_file, _digest in changes.added + changes.updated]
    if changed or changes.removed:
        with ix.reader() as reader:
            documents = documents_after(reader, indexed, changes.removed, changed, owner)
    else:
        documents = indexed
    stats = stats_after(before, hasher, scope, files)
    if before is not None and generation == before.generation and stats == before.stats:
        return  # nothing new to say: spare rewriting the table
    save(index_dir, Manifest(generation, documents, stats, index_files(index_dir, generation)))
