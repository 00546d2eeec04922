"""Bring an index in line with the corpus: compare document ids and content hashes, then add
new documents, replace changed ones and remove deleted ones in one commit."""

from __future__ import annotations

import errno
import fcntl
import gc
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import connection
from pathlib import Path

from whoosh.util import fib
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR, NO_MERGE

from search import derived, manifest
from search.documents import (
    SUFFIXES,
    document_id,
    iter_document_paths,
    read_document,
    symlink_problem,
)
from search.errors import DocsearchError, DocumentError, IndexStateError, failure_reason
from search.index import (
    DOCUMENT,
    HASH,
    LOCK_FILE,
    TEXT_FIELDS,
    WRITER_LIMIT_MB,
    IndexReport,
    content_hash,
    create_index,
    delete_documents,
    foreign_files,
    has_index_files,
    open_index,
    reading,
    remove_leftovers,
)
from search.lifeline import child_payload, run_child
from search.records import document_records
from search.writer import ParagraphWriter, SegmentSeries

log = logging.getLogger(__name__)

DEFAULT_WAIT_S = 10.0
WRITER_PROCESSES = min(2, os.cpu_count() or 1)
PARALLEL_MIN_DOCUMENTS = 200  # fewer are indexed in this process: starting workers costs more
WORKER_EXIT_S = 1.0  # how long a worker that has sent its segments may take to exit
Progress = Callable[[int, int, int], None]  # documents done, documents to do, paragraphs written


@dataclass(frozen=True)
class CorpusFile:
    """A document file on disk and the id it has in the index."""

    id: str
    path: Path
    root: Path


@dataclass
class Changes:
    """What differs between the corpus and the index."""

    added: list[tuple[CorpusFile, str]] = field(default_factory=list)
    updated: list[tuple[CorpusFile, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def empty(self) -> bool:
        """Whether the index already matches the corpus."""
        return not (self.added or self.updated or self.removed)


def busy_message(index_dir: Path) -> str:
    """What a writer says when another process holds the index."""
    return f"the index at {index_dir} is being written by another process; try again later"


@contextmanager
def writer_lock(index_dir: Path, wait: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold the index's writer lock (an flock, released by the OS if the process dies).

    Waits up to `wait` seconds, then raises IndexStateError.
    """
    index_dir = Path(index_dir)
    try:
        handle = (index_dir / LOCK_FILE).open("a")  # not inherited by workers (PEP 446)
    except OSError as exc:
        raise write_failure(index_dir, exc) from exc
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexStateError(busy_message(index_dir)) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def young_collections() -> Iterator[Callable[[], None]]:
    """Turn off automatic garbage collection while writing; yields what to call after each
    document to collect the youngest generation instead.

    The writer's pool holds millions of postings in lists, and every automatic full
    collection walks them all. A document's own cycles (parsed HTML trees) are garbage by
    the time it is written, still in the youngest generation, which is all that is collected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()


def is_document_name(path: Path) -> bool:
    """Whether a file name looks like a document the corpus reader takes."""
    return not path.name.startswith(".") and path.suffix.lower() in SUFFIXES


def corpus_files(roots: Iterable[Path], skipped: list[tuple[str, str]] | None = None
                 ) -> dict[str, CorpusFile]:
    """Every document file under roots, by document id (the first root wins a clash).

    Files left out (symlinks out of the corpus, FIFOs) are appended to skipped."""
    files: dict[str, CorpusFile] = {}
    for root in roots:
        for path in iter_document_paths(root, skipped):
            doc_id = document_id(path, root)
            files.setdefault(doc_id, CorpusFile(doc_id, path, root))
    return files


def chosen_files(root: Path, paths: Iterable[Path]) -> tuple[dict[str, CorpusFile], set[str]]:
    """Documents among paths under root (a folder stands for the documents under it), and
    the ids of all those paths, present or gone (a gone folder's documents are removed)."""
    base = Path(os.path.abspath(root))
    files: dict[str, CorpusFile] = {}
    ids: set[str] = set()
    for given in paths:
        try:
            doc_id = Path(os.path.abspath(given)).relative_to(base).as_posix()
        except ValueError:
            raise DocsearchError(f"{given} is not inside the corpus {root}") from None
        ids.add(doc_id)
        path = root / doc_id
        if path.is_symlink() and symlink_problem(path, root):
            continue  # read_document refuses it too; never hash what it points to
        if path.is_dir() and not path.is_symlink():  # symlinked folders are never entered
            for found in iter_document_paths(path):
                found_id = document_id(found, root)
                files[found_id] = CorpusFile(found_id, found, root)
        elif path.is_file() and is_document_name(path):
            files[doc_id] = CorpusFile(doc_id, path, root)
    return files, ids


def indexed_documents(ix) -> dict[str, str]:
    """Document id -> content hash of every document in the index."""
    found: dict[str, str] = {}
    with ix.reader() as reader:
        for term in reader.lexicon(DOCUMENT):
            postings = reader.postings(DOCUMENT, term)  # skips deleted records
            if postings.is_active():
                found[term.decode("utf-8")] = reader.stored_fields(postings.id()).get(HASH, "")
    return found


def plan_changes(files: dict[str, CorpusFile], indexed: dict[str, str],
                 scope: set[str] | None = None,
                 digest_of: Callable[[str, Path, str | None], str] | None = None) -> Changes:
    """Compare files on disk with the index; ids outside scope (None: all) are never removed.

    digest_of(file id, path, indexed hash or None) hashes a file (default: read it all)."""
    changes = Changes()
    if scope is not None:  # only documents of the chosen paths can change: skip the rest
        indexed = {doc_id: indexed[doc_id]
                   for doc_id in manifest.within(indexed, scope | set(files))}
    by_file = {}  # a file's hash, from any of its documents (a mailbox's messages have ids
    for doc_id, digest in indexed.items():  # `box.mbox/3`, an attachment `a.eml/b.pdf`)
        owner = owning_file(doc_id, files)
        if owner is not None:
            by_file.setdefault(owner, digest)
    for doc_id, corpus_file in files.items():
        try:
            digest = (digest_of(doc_id, corpus_file.path, by_file.get(doc_id)) if digest_of
                      else content_hash(corpus_file.path))
        except DocumentError as exc:
            changes.unreadable.append((str(corpus_file.path), str(exc)))
            continue
        if doc_id not in by_file:
            changes.added.append((corpus_file, digest))
        elif by_file[doc_id] != digest:
            changes.updated.append((corpus_file, digest))
        else:
            changes.unchanged += 1
    changes.removed = sorted(doc_id for doc_id in indexed if owning_file(doc_id, files) is None
                             and (scope is None or owning_file(doc_id, scope) is not None))
    return changes


def owning_file(doc_id: str, file_ids) -> str | None:
    """The id among file_ids of the file a document comes from: its own id, or the longest
    prefix ending before a `/` (a mailbox `box.mbox` for `box.mbox/3`), else None."""
    head = doc_id
    while head not in file_ids:
        if "/" not in head:
            return None
        head = head.rsplit("/", 1)[0]
    return head


def update_index(
    roots: Iterable[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    only: Iterable[Path] | None = None,
    progress: Progress | None = None,
    wait: float = DEFAULT_WAIT_S,
    merge: bool = True,
) -> IndexReport:
    """Make the index at index_dir match the documents under roots, in one commit.

    Incremental unless rebuild. With `only`, just those paths (inside the first root) are
    compared: present ones are added or replaced, missing ones removed. Without it, indexed
    documents that no folder root holds any more are removed. Without merge, the commit
    only adds segments (a watcher merges small ones later: merge_small_segments).
    """
    roots = [Path(root) for root in roots]
    for root in roots:
        if not root.exists():
            raise DocsearchError(f"no such file or folder: {root}")
    index_dir = Path(index_dir)
    _refuse_foreign(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(index_dir, exc) from exc
    with writer_lock(index_dir, wait):
        try:
            ix = index_for_writing(index_dir, rebuild)
        except OSError as exc:
            raise write_failure(index_dir, exc) from exc
        left_out: list[tuple[str, str]] = []
        if only is not None:
            files, scope = chosen_files(roots[0], only)
        else:
            files = corpus_files(roots, left_out)
            scope = None if any(root.is_dir() for root in roots) else set(files)
        with reading(index_dir):  # a damaged index is one line naming --rebuild
            known = None if rebuild else manifest.load(index_dir, ix.latest_generation())
            indexed = {} if rebuild else known.documents if known else indexed_documents(ix)
        hasher = manifest.Hasher(known)  # hashes only files whose size or mtime changed
        changes = plan_changes(files, indexed, scope, hasher)
        changes.unreadable[:0] = left_out
        report = IndexReport(unchanged=changes.unchanged, skipped=list(changes.unreadable))
        try:
            _apply(ix, changes, report, progress, rebuild, wait, merge)
        except OSError as exc:
            raise write_failure(index_dir, exc) from exc
        with reading(index_dir):
            manifest.record(ix, index_dir, known, indexed, changes, hasher, scope)
            if report.committed:
                derived.write_for_new_segments(ix)
    return report


def build_index(roots: Iterable[Path], index_dir: Path, progress: Progress | None = None
                ) -> IndexReport:
    """Index every document under roots into a fresh index at index_dir (a full rebuild)."""
    return update_index(roots, index_dir, rebuild=True, progress=progress)


def merge_small_segments(index_dir: Path, wait: float = DEFAULT_WAIT_S) -> bool:
    """Merge the index's small segments, as commits with Whoosh's MERGE_SMALL would
    (merge_small), in a commit of their own (the document table carried over); whether
    there was anything to merge."""
    index_dir = Path(index_dir)
    with writer_lock(index_dir, wait):
        try:
            ix = open_index(index_dir)
            if not would_merge(ix._segments()):
                return False
            with reading(index_dir):
                known = manifest.load(index_dir, ix.latest_generation())
            writer = open_writer(ix, wait)
        except OSError as exc:
            raise write_failure(index_dir, exc) from exc
        try:
            writer.commit(mergetype=merge_small)
        except BaseException:
            if not writer.is_closed:
                abandon_writer(writer)
            raise
        with reading(index_dir):
            if known is not None:
                generation = ix.latest_generation()
                manifest.save(index_dir, manifest.Manifest(
                    generation, known.documents, known.stats,
                    manifest.index_files(index_dir, generation)), known)
            derived.write_for_new_segments(ix)
    return True


def merge_small(writer, segments: list) -> list:
    """A Whoosh merge policy: MERGE_SMALL applied until it finds nothing more, in one merge.
    Whoosh's policy merges the five smallest segments per commit, so a burst of one-file
    commits (a watched folder) left dozens of tiny segments, each one more set of files
    every searcher opens; this merges all that it would merge over the next commits."""
    from whoosh.reading import SegmentReader

    merged = _merged_by_small_policy(segments)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]


def _merged_by_small_policy(segments: list) -> list:
    """The segments repeated MERGE_SMALL merges would fold together."""
    groups = sorted(([segment] for segment in segments), key=_group_size)
    while True:
        total, point = 0, None
        for i, group in enumerate(groups):
            total += _group_size(group)
            if i > 3 and total < fib(i + 5):
                point = i
                break
        if point is None:
            return [segment for group in groups if len(group) > 1 for segment in group]
        folded = [segment for group in groups[:point + 1] for segment in group]
        groups = sorted([*groups[point + 1:], folded], key=_group_size)


def _group_size(group: list) -> int:
    return sum(max(0, segment.doc_count_all()) for segment in group)


def would_merge(segments: list) -> bool:
    """Whether Whoosh's MERGE_SMALL policy finds small segments to merge among these."""
    return bool(_merged_by_small_policy(segments))


def write_failure(index_dir: Path, exc: OSError) -> IndexStateError:
    """The one-line error for a failed write (the last commit stays as it was)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexStateError(
            f"no space left on the device holding the index at {index_dir}; nothing was "
            "written and the last commit is intact: free some space and run docsearch index "
            "again")
    where = f": {exc.filename}" if exc.filename else ""
    return IndexStateError(f"could not write the index at {index_dir} ({exc.strerror or exc}"
                           f"{where}); the last commit is intact")


def _refuse_foreign(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexStateError(f"{index_dir} is a file, not an index folder; "
                              "choose another folder with --index")
    if not has_index_files(index_dir) and foreign_files(index_dir):
        raise IndexStateError(
            f"{index_dir} is not a docsearch index and not empty (it holds "
            f"{', '.join(foreign_files(index_dir)[:3])}...); refusing to write there: "
            "choose an empty or new folder with --index")


def index_for_writing(index_dir: Path, rebuild: bool):
    """The index to write at index_dir: created when missing, replaced when unusable and
    rebuilding; IndexStateError when unusable otherwise."""
    if not has_index_files(index_dir):
        return create_index(index_dir)
    try:
        return open_index(index_dir)
    except IndexStateError:
        if not rebuild:
            raise
        log.info("replacing the unusable index at %s", index_dir)
        return create_index(index_dir)


Todo = list[tuple[CorpusFile, str, bool]]  # file, content hash, whether it replaces one


def _apply(ix, changes: Changes, report: IndexReport, progress: Progress | None,
           rebuild: bool, wait: float, merge: bool = True) -> None:
    todo: Todo = ([(f, d, False) for f, d in changes.added]
                  + [(f, d, True) for f, d in changes.updated])
    writer = open_writer(ix, wait) if rebuild or changes.removed else None
    try:
        for doc_id in changes.removed:
            writer.delete_by_term(DOCUMENT, doc_id)
            report.removed += 1
        if len(todo) >= PARALLEL_MIN_DOCUMENTS and WRITER_PROCESSES > 1:
            writer = writer or open_writer(ix, wait)
            segments = _add_in_parallel(ix, writer, todo, report, progress)
        else:
            writer, segments = _add_in_turn(ix, writer, todo, report, progress, wait)
        if writer is not None:
            base_merge = CLEAR if rebuild else merge_small if merge else NO_MERGE
            writer.commit(mergetype=lambda w, existing: base_merge(w, existing) + segments)
            report.committed = True
    except BaseException:
        if writer is not None and not writer.is_closed:
            abandon_writer(writer)
        raise


def abandon_writer(writer) -> None:
    """Cancel a failed write: close the writer, delete every file it and its helpers wrote
    (so that a full disk is not left fuller), then release the lock, whatever fails."""
    lock, writer.writelock = writer.writelock, None
    try:
        writer.cancel()
    except Exception:  # closing files on a full disk can fail too; they are deleted below
        log.debug("cancelling the writer failed", exc_info=True)
        writer.is_closed = True
    try:
        remove_leftovers(Path(writer.storage.folder))
    except OSError:
        log.debug("removing unfinished files failed", exc_info=True)
    finally:
        if lock is not None:
            lock.release()


def _add_in_turn(ix, writer, todo: Todo, report: IndexReport, progress: Progress | None,
                 wait: float) -> tuple:
    """Read, extract and add documents one by one into new segments; returns the index
    writer (opened only when something changes) and the segments for it to commit."""
    series = new_segments(ix)
    given = writer
    try:
        with young_collections() as collect:
            for done, (corpus_file, digest, replacing) in enumerate(todo, start=1):
                records = document_records(corpus_file.path, corpus_file.root, digest, report)
                if records or replacing:
                    writer = writer or open_writer(ix, wait)
                if replacing:
                    delete_documents(writer, corpus_file.id)
                series.add(records or ())
                _count(report, records, replacing)
                if progress:
                    progress(done, len(todo), report.paragraphs)
                collect()
        return writer, series.segments()
    except BaseException:
        series.cancel()
        if writer is not None and writer is not given:
            abandon_writer(writer)  # opened here: the caller does not know it to cancel it
        raise


def new_segments(ix) -> SegmentSeries:
    """Where indexing writes paragraphs: segments of at most WRITER_LIMIT_MB of postings."""
    return SegmentSeries(ix, TEXT_FIELDS, WRITER_LIMIT_MB)


def _count(report: IndexReport, records: list[dict] | None, replacing: bool) -> None:
    if records:
        report.documents += 1
        report.paragraphs += len(records)
        report.updated += replacing
        report.added += not replacing
    elif replacing:
        report.removed += 1  # now unreadable: its old text must not stay searchable


def _add_in_parallel(ix, writer, todo: Todo, report: IndexReport, progress: Progress | None
                     ) -> list:
    """Read, extract and write documents in WRITER_PROCESSES processes, each writing a
    segment of its own, as Whoosh's multi-segment writer does; returns those segments.

    The parent holds the index lock and deletes what is replaced; nothing is visible until
    it commits the segments with its own changes, so a crash leaves the last commit intact.
    """
    for corpus_file, _digest, replacing in todo:
        if replacing:
            delete_documents(writer, corpus_file.id)
    # spawn, not fork: a fresh process inherits neither the locks' descriptors nor a
    # server's listening socket, nor the state of the parent's other threads.
    context = multiprocessing.get_context("spawn")
    workers: dict = {}  # the receiving end of each worker's pipe -> the worker
    finished = False
    try:
        for share in (todo[i::WRITER_PROCESSES] for i in range(WRITER_PROCESSES)):
            receiver, sender = context.Pipe(duplex=False)
            payload = child_payload(_segment_worker, ix, share)
            worker = context.Process(target=run_child, name="docsearch-writer", daemon=True,
                                     args=(payload, os.getpid(), sender))
            worker.start()
            sender.close()
            workers[receiver] = worker
        segments = _collect_segments(workers, len(todo), report, progress)
        finished = True
        return segments
    finally:
        for receiver, worker in workers.items():
            worker.join(WORKER_EXIT_S if finished else 0)  # after a failure: stop them now
            if worker.is_alive():
                worker.kill()
                worker.join()
            receiver.close()


def _collect_segments(workers: dict, total: int, report: IndexReport,
                      progress: Progress | None) -> list:
    """Follow the workers' messages until each has sent its segments; returns them all.

    DocsearchError (or the worker's OSError) when a worker fails or dies."""
    segments, waiting, done = [], dict(workers), 0
    while waiting:
        for receiver in connection.wait(list(waiting)):
            try:
                kind, *payload = receiver.recv()
            except EOFError:
                raise DocsearchError(
                    f"a worker process indexing documents died ({_ending(waiting[receiver])}); "
                    "nothing was committed: run docsearch index again") from None
            if kind == "doc":
                records_count, replacing, path, skipped, warnings = payload
                report.skipped.extend([(path, skipped)] if skipped else [])
                report.warnings.extend((path, message) for message in warnings)
                _count(report, [None] * records_count if records_count else None, replacing)
                done += 1
                if progress:
                    progress(done, total, report.paragraphs)
            elif kind == "segment":
                segments.extend(payload[0])
                del waiting[receiver]
            else:
                error_number, message = payload
                if error_number is not None:
                    raise OSError(error_number, message)
                raise DocsearchError(f"indexing failed in a worker process: {message}")
    return segments


def _ending(worker) -> str:
    """How a dead worker ended, for the error message."""
    worker.join(WORKER_EXIT_S)
    code = worker.exitcode
    if code is not None and code < 0:
        return f"killed by signal {-code}"
    return f"exit code {code}" if code is not None else "its pipe closed"


def _segment_worker(ix, share: Todo, sender) -> None:
    """In a worker process: index share into new segments and send them to the parent."""
    # Whoosh's own multi-process writer does this: segment writers without the lock,
    # which the parent holds, finished here and committed by the parent.
    series = new_segments(ix)
    try:
        with young_collections() as collect:
            for corpus_file, digest, replacing in share:
                report = IndexReport()
                records = document_records(corpus_file.path, corpus_file.root, digest, report)
                series.add(records or ())
                skipped = report.skipped[0][1] if report.skipped else None
                sender.send(("doc", len(records or ()), replacing, str(corpus_file.path),
                             skipped, [message for _path, message in report.warnings]))
                collect()
        sender.send(("segment", series.segments()))
    except BaseException as exc:
        series.cancel()
        error_number = exc.errno if isinstance(exc, OSError) else None
        sender.send(("error", error_number, f"{type(exc).__name__}: {exc}"))


def open_writer(ix, wait: float):
    """A writer holding Whoosh's write lock, opened after removing whatever a writer that
    died or failed left behind (under both locks no one else is writing)."""
    lock = ix.lock("WRITELOCK")  # an flock: a lock file left by a dead process is free
    if not try_for(lock.acquire, timeout=wait, delay=0.05):
        raise IndexStateError(busy_message(Path(ix.storage.folder)))
    try:
        remove_leftovers(Path(ix.storage.folder), temporary=False)  # segments may be open
        writer = ParagraphWriter(ix, text_fields=TEXT_FIELDS, limitmb=WRITER_LIMIT_MB,
                                 _lk=False)
    except BaseException:
        lock.release()
        raise
    writer.writelock = lock  # released by the writer's commit or cancel
    return writer


def add_to_corpus(files: Iterable[Path], corpus: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Copy readable files into the corpus folder (unless already there).

    Returns the corpus paths to index and the files skipped with why. A name taken in the
    corpus by different content is an error, checked for every file before anything is copied.
    """
    corpus = Path(corpus)
    plan: dict[Path, Path] = {}
    skipped: list[tuple[str, str]] = []
    for name in files:
        source = Path(name)
        if not source.is_file():
            raise DocsearchError(f"no such file: {source}")
        try:
            read_document(source)
        except DocumentError as exc:
            skipped.append((str(source), str(exc)))
            continue
        except Exception as exc:  # one bad file must not stop the others being added
            skipped.append((str(source), failure_reason(exc)))
            log.debug("skipped %s", source, exc_info=True)
            continue
        inside = Path(os.path.abspath(source)).is_relative_to(os.path.abspath(corpus))
        target = source if inside else corpus / source.name
        taken = plan.get(target) or (target if target.exists() else None)
        if taken is not None and content_hash(taken) != content_hash(source):
            raise DocsearchError(
                f"{target} already exists with different content; rename {source} "
                f"or remove {target} first")
        plan[target] = source
    for target, source in plan.items():
        if not target.exists():
            _copy_into(source, target)
    return list(plan), skipped


def _copy_into(source: Path, target: Path) -> None:
    """Copy source to target in the corpus; a failed copy leaves no partial file behind."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    except OSError as exc:
        with suppress(OSError):
            target.unlink()
        raise DocsearchError(f"could not copy {source} to {target} "
                             f"({exc.strerror or exc})") from exc
