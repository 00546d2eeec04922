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
import secrets
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
JOURNAL_FILE = "_MAIN_manifest.log"  # the table's changes since written whole, one a line
JOURNAL_SHARE = 0.25  # the table is written whole again once its journal is this large
JOURNAL_MIN_BYTES = 1 << 20  # beside it, and at least this large
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
    token: str = ""  # names the table as written whole, which the journal's lines extend


# The table this process last wrote, per file, with the identity (inode, size, mtime) then of
# the table and of its journal: a watcher syncing again reads it from memory instead of
# parsing it (~0.3 s at 1M).
_WRITTEN: dict[str, tuple[tuple, Manifest]] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _identities(index_dir: Path) -> tuple:
    return _identity(Path(index_dir) / MANIFEST_FILE), _identity(Path(index_dir) / JOURNAL_FILE)


def _copy(manifest: Manifest) -> Manifest:
    return Manifest(manifest.generation, dict(manifest.documents), dict(manifest.stats),
                    dict(manifest.index_files), manifest.token)


def load(index_dir: Path, generation: int) -> Manifest | None:
    """The table written with commit `generation`, or None when missing, stale or unreadable."""
    path = Path(index_dir) / MANIFEST_FILE
    remembered = _WRITTEN.get(str(path))
    if remembered is not None and remembered[0] == _identities(index_dir):
        manifest = _copy(remembered[1])
    else:
        identities = _identities(index_dir)  # read under the writer lock: nobody writes
        manifest = _read(Path(index_dir))
        if manifest is not None:
            _WRITTEN[str(path)] = (identities, _copy(manifest))
    if manifest is None or manifest.generation != generation \
            or manifest.index_files != index_files(index_dir, generation):
        return None  # stale, or a segment rewritten or damaged since: read the index itself
    return manifest


def _read(index_dir: Path) -> Manifest | None:
    """The whole table with its journal's changes applied, or None if unreadable."""
    try:
        data = json.loads((index_dir / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    try:
        manifest = Manifest(int(data["generation"]), _documents(data["documents"]),
                            _stats(data["stats"]), _stats(data["index_files"]),
                            str(data.get("token", "")))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    for change in _journal(index_dir, manifest.token):
        try:
            _apply_change(manifest, change)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
    return manifest


def _documents(data) -> dict[str, str]:
    return {str(key): str(value) for key, value in data.items()}


def _stats(data) -> dict[str, Stat]:
    return {str(key): (int(size), int(mtime)) for key, (size, mtime) in data.items()}


def _journal(index_dir: Path, token: str) -> Iterable[dict]:
    """The journal's changes to the table named token, in order (up to a torn last line;
    lines left from an earlier table are skipped)."""
    try:
        lines = (index_dir / JOURNAL_FILE).read_text("utf-8").splitlines()
    except (OSError, ValueError):
        return
    for line in lines:
        try:
            change = json.loads(line)
        except ValueError:
            return
        if isinstance(change, dict) and token and change.get("table") == token:
            yield change


def _apply_change(manifest: Manifest, change: dict) -> None:
    if int(change["from"]) != manifest.generation:
        raise ValueError("a journal line that does not follow the table")
    for key in change["removed"]:
        manifest.documents.pop(key, None)
    manifest.documents.update(_documents(change["documents"]))
    for key in change["unstat"]:
        manifest.stats.pop(key, None)
    manifest.stats.update(_stats(change["stats"]))
    manifest.index_files = _stats(change["index_files"])
    manifest.generation = int(change["generation"])


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


def save(index_dir: Path, manifest: Manifest, previous: Manifest | None = None,
         touched: tuple[set[str], set[str]] | None = None) -> None:
    """Record the table: as one line appended to the journal of changes since `previous`
    (the table as loaded, when it is still the one on disk), else written whole and
    atomically (a reader sees the old one or the new one, whole). `touched`: the only
    document ids and file ids that can differ from previous (None: any)."""
    index_dir = Path(index_dir)
    remembered = _WRITTEN.get(str(index_dir / MANIFEST_FILE))
    on_disk = (previous is not None and previous.token and remembered is not None
               and remembered[0] == _identities(index_dir)
               and remembered[1].token == previous.token
               and remembered[1].generation == previous.generation)
    try:
        if on_disk and not _journal_full(index_dir):
            _append(index_dir, manifest, previous, touched)
        else:
            _write_whole(index_dir, manifest)
    except OSError:  # only an optimisation: the next sync reads the index instead
        log.info("could not write the document table in %s", index_dir, exc_info=True)
        _WRITTEN.pop(str(index_dir / MANIFEST_FILE), None)
        return
    _WRITTEN[str(index_dir / MANIFEST_FILE)] = (_identities(index_dir), _copy(manifest))


def _journal_full(index_dir: Path) -> bool:
    """Whether the journal has grown large enough, beside the table, to fold into it."""
    try:
        table = os.stat(index_dir / MANIFEST_FILE).st_size
        journal = os.stat(index_dir / JOURNAL_FILE).st_size
    except FileNotFoundError:
        return False
    return journal > max(JOURNAL_MIN_BYTES, JOURNAL_SHARE * table)


def _write_whole(index_dir: Path, manifest: Manifest) -> None:
    target = index_dir / MANIFEST_FILE
    temporary = target.with_name(f"{MANIFEST_FILE}.{os.getpid()}.tmp")
    manifest.token = secrets.token_hex(8)  # journal lines name the table they extend
    data = {"version": VERSION, "generation": manifest.generation, "token": manifest.token,
            "documents": manifest.documents,
            "stats": {key: list(stat) for key, stat in manifest.stats.items()},
            "index_files": {key: list(stat) for key, stat in manifest.index_files.items()}}
    try:
        temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(temporary, target)
    finally:
        with suppress(OSError):
            temporary.unlink()
    with suppress(FileNotFoundError):
        (index_dir / JOURNAL_FILE).unlink()  # its lines name the replaced table: ignored


def _append(index_dir: Path, manifest: Manifest, previous: Manifest,
            touched: tuple[set[str], set[str]] | None) -> None:
    """Append to the journal the differences from previous to manifest (a torn line, after
    a crash, ends the journal: the table then no longer matches and is rebuilt)."""
    documents, removed = _differences(previous.documents, manifest.documents,
                                      touched[0] if touched else None)
    stats, unstat = _differences(previous.stats, manifest.stats,
                                 touched[1] if touched else None)
    change = {"table": previous.token, "from": previous.generation,
              "generation": manifest.generation, "documents": documents,
              "removed": removed, "stats": {key: list(stat) for key, stat in stats.items()},
              "unstat": unstat,
              "index_files": {key: list(stat) for key, stat in manifest.index_files.items()}}
    line = (json.dumps(change, separators=(",", ":")) + "\n").encode("utf-8")
    path = index_dir / JOURNAL_FILE
    with open(path, "ab") as journal:
        size = journal.tell()
        try:
            journal.write(line)
            journal.flush()
        except OSError:
            with suppress(OSError):
                journal.truncate(size)  # leave no torn line to end the journal early
            raise
    manifest.token = previous.token


def _differences(before: dict, after: dict, keys: set[str] | None) -> tuple[dict, list]:
    """The entries of after that are new or changed, and the keys gone, among keys (None:
    all of them)."""
    if keys is None:
        changed = {key: value for key, value in after.items() if before.get(key) != value}
        return changed, [key for key in before if key not in after]
    changed = {key: after[key] for key in keys if key in after and before.get(key) != after[key]}
    return changed, [key for key in keys if key in before and key not in after]


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
                    changed_files: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """The document table after a commit: `before` without the removed documents and those
    of the changed files, plus what the committed reader now holds for those files; and
    the ids of the documents that may differ from `before`."""
    documents = dict(before)
    touched = set(removed)
    for doc_id in touched:
        documents.pop(doc_id, None)
    changed = set(changed_files)
    if not changed:
        return documents, touched
    for doc_id in within(documents, changed):
        del documents[doc_id]
        touched.add(doc_id)
    for file_id in changed:
        terms = [file_id.encode("utf-8"), *reader.expand_prefix(DOCUMENT, file_id + "/")]
        for term in terms:
            digest = _indexed_hash(reader, term)
            if digest is not None:
                doc_id = term.decode("utf-8") if isinstance(term, bytes) else term
                documents[doc_id] = digest
                touched.add(doc_id)
    return documents, touched


def within(ids: Iterable[str], heads: set[str]) -> list[str]:
    """The ids that are one of heads or lie under one (`box.mbox/3` under `box.mbox`, a
    file under its folder), as sync.owning_file finds them, in one quick pass."""
    prefixes = tuple(head + "/" for head in heads)
    return [key for key in ids if key in heads or key.startswith(prefixes)]


def _indexed_hash(reader, term) -> str | None:
    """The stored content hash of the live document with this id term, if there is one."""
    btext = term if isinstance(term, bytes) else term.encode("utf-8")
    if (DOCUMENT, btext) not in reader:
        return None
    postings = reader.postings(DOCUMENT, btext)  # skips deleted records
    if not postings.is_active():
        return None
    return reader.stored_fields(postings.id()).get(HASH, "")


def stats_after(before: Manifest | None, hasher: Hasher, scope: set[str] | None
                ) -> dict[str, Stat]:
    """The file stats to record: the hasher's, plus (for a sync of some paths only) the
    earlier ones of files outside those paths."""
    if scope is None or before is None:
        return dict(hasher.stats)
    stats = dict(before.stats)
    for file_id in within(stats, scope):
        del stats[file_id]
    stats.update(hasher.stats)
    return stats


def record(ix, index_dir: Path, before: Manifest | None, indexed: dict[str, str], changes,
           hasher: Hasher, scope: set[str] | None) -> None:
    """Write the table for the index's latest commit after a sync planned as `changes`
    (search.sync.Changes) from `indexed`, whether or not it committed anything."""
    generation = ix.latest_generation()
    changed = [corpus_file.id for corpus_file, _digest in changes.added + changes.updated]
    touched: set[str] = set()
    if changed or changes.removed:
        with ix.reader() as reader:
            documents, touched = documents_after(reader, indexed, changes.removed, changed)
    else:
        documents = indexed
    stats = stats_after(before, hasher, scope)
    if before is not None and generation == before.generation and stats == before.stats:
        return  # nothing new to say: spare rewriting the table
    files_touched = (None if scope is None or before is None
                     else set(within(before.stats, scope)) | set(hasher.stats))
    save(index_dir, Manifest(generation, documents, stats, index_files(index_dir, generation)),
         before, None if files_touched is None else (touched, files_touched))
