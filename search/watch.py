"""Follow a corpus folder and keep its index in step: bursts of changes are batched, then synced."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from search.engine import Backend
from search.errors import DocsearchError
from search.index import IndexReport
from search.sync import is_document_name

log = logging.getLogger(__name__)

DEBOUNCE_S = 0.5  # quiet time that ends a burst of changes
SETTLED_S = 0.1  # quiet time that ends a burst whose last change completed a file
MAX_DELAY_S = 1.5  # a steady stream of changes is still synced this often
MERGE_IDLE_S = 2.0  # after this long without changes, small segments are merged
RETRY_S = 5.0  # after a failed sync (index busy or damaged), try again this much later
_IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})  # our own reads cause these
# A file moved into place, or closed after writing, is complete: no need to wait longer.
_COMPLETING_EVENTS = frozenset({"moved", "closed"})


class _Changes(FileSystemEventHandler):
    """Collects changed document and folder paths (or 'rescan everything') from watchdog
    events; a folder stands for every document under it (search.sync.chosen_files)."""

    def __init__(self, root: Path, ignore: Path):
        self.root = Path(os.path.abspath(root))
        self.ignore = ignore
        self.paths: set[Path] = set()
        self.full = False
        self.last_event = 0.0
        self.first_event = 0.0
        self.settled = False  # whether the last change completed a file
        self.condition = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Note the paths an event touches, if they can matter to the index."""
        if event.event_type in _IGNORED_EVENTS:
            return
        paths = [Path(os.fsdecode(event.src_path))]
        if getattr(event, "dest_path", ""):
            paths.append(Path(os.fsdecode(event.dest_path)))
        paths = [p for p in paths if not p.is_relative_to(self.ignore)]
        if event.is_directory:
            paths = [p for p in paths if not p.name.startswith(".")]
            relevant = event.event_type != "modified" and bool(paths)
        else:
            paths = [p for p in paths if is_document_name(p)]
            relevant = bool(paths)
        if not relevant:
            return
        with self.condition:
            if event.is_directory and any(Path(os.path.abspath(p)) == self.root
                                          for p in paths):
                self.full = True  # the corpus folder itself moved or went
            else:
                self.paths.update(paths)  # a new, moved or removed folder: scan just it
            now = time.monotonic()
            if not self.first_event:
                self.first_event = now
            self.last_event = now
            self.settled = event.event_type in _COMPLETING_EVENTS and not event.is_directory
            self.condition.notify()

    def take_batch(self, stopped: threading.Event, idle_s: float | None = None
                   ) -> tuple[bool, set[Path]] | None:
        """Wait for a burst of changes to settle; (rescan all?, paths), None when stopped,
        or an empty batch (False, set()) when nothing changed for idle_s seconds."""
        began = time.monotonic()
        with self.condition:
            while not (self.first_event or stopped.is_set()):
                if idle_s is not None and time.monotonic() - began >= idle_s:
                    return False, set()
                self.condition.wait(0.1 if idle_s is not None else 0.5)
        while not stopped.is_set():
            with self.condition:
                now = time.monotonic()
                quiet = SETTLED_S if self.settled else DEBOUNCE_S
                if now - self.last_event >= quiet or now - self.first_event >= MAX_DELAY_S:
                    batch = (self.full, self.paths)
                    self.full, self.paths, self.first_event = False, set(), 0.0
                    return batch
            time.sleep(0.02)
        return None

    def put_back(self, full: bool, paths: set[Path]) -> None:
        """Queue a batch again (after a failed sync)."""
        with self.condition:
            self.full = self.full or full
            self.paths.update(paths)
            self.first_event = self.first_event or time.monotonic()
            self.last_event = time.monotonic()
            self.condition.notify()


class CorpusWatcher:
    """Keeps an index (a search.engine Backend) in step with the corpus folder, from a
    background thread.

    start() syncs once, then follows file events; each settled burst is one incremental sync
    (one commit), so servers holding a LiveIndex see the change within about two seconds.
    """

    def __init__(
        self,
        corpus: Path,
        backend: Backend,
        *,
        on_report: Callable[[IndexReport], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ):
        self.corpus = Path(corpus)
        self.backend = backend
        self.index_dir = Path(backend.index_dir)
        self.on_report = on_report or (lambda report: None)
        self.on_error = on_error or (lambda exc: log.error("%s", exc))
        self._changes = _Changes(self.corpus, ignore=self.index_dir.resolve())
        self._stopped = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._run, name="docsearch-watch", daemon=True)
        self.syncs = 0  # syncs done after the first, for reports and tests
        self.merges = 0  # merge commits done

    def start(self) -> IndexReport:
        """Sync the whole corpus now, then start following it; the first sync's report."""
        if not self.corpus.is_dir():
            raise DocsearchError(f"no such folder: {self.corpus}")
        self._observer.schedule(self._changes, str(self.corpus), recursive=True)
        self._observer.start()
        try:
            report = self.backend.update([self.corpus])
        except DocsearchError:
            self._observer.stop()
            raise
        self._thread.start()
        return report

    def stop(self) -> None:
        """Stop following the folder and wait for a running sync to finish."""
        self._stopped.set()
        self._observer.stop()
        self._observer.join()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        merge_due = False  # commits have added segments since the last merge
        while (batch := self._changes.take_batch(
                self._stopped, MERGE_IDLE_S if merge_due else None)) is not None:
            full, paths = batch
            if not (full or paths):  # quiet for a while: merge what the commits added
                merge_due = False
                self._merge()
                continue
            began = time.perf_counter()
            try:
                report = self.backend.update([self.corpus], only=None if full else paths,
                                             merge=False)
            except Exception as exc:  # the thread must outlive any failed sync, and retry it
                if not isinstance(exc, DocsearchError):
                    log.error("sync of %s failed", self.corpus, exc_info=True)
                self._report_error(exc)
                self._stopped.wait(RETRY_S)
                self._changes.put_back(full, paths)
                continue
            log.debug("synced %s in %.3f s", "the corpus" if full else f"{len(paths)} paths",
                      time.perf_counter() - began)
            merge_due = merge_due or report.committed
            self.syncs += 1
            self._report(report)

    def _merge(self) -> None:
        """Merge small segments in a commit of their own; a failure waits for the next one."""
        began = time.perf_counter()
        try:
            if self.backend.merge_segments():
                self.merges += 1
                log.debug("merged small segments in %.3f s", time.perf_counter() - began)
        except Exception as exc:
            if not isinstance(exc, DocsearchError):
                log.error("merging the segments of %s failed", self.index_dir, exc_info=True)
            self._report_error(exc)

    def _report(self, report: IndexReport) -> None:
        try:
            self.on_report(report)
        except Exception:  # a failing callback (a closed terminal) must not stop the watching
            log.error("reporting a sync failed", exc_info=True)

    def _report_error(self, exc: Exception) -> None:
        try:
            self.on_error(exc)
        except Exception:
            log.error("reporting a failed sync failed", exc_info=True)
