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

from search.errors import DocsearchError
from search.index import IndexReport
from search.sync import DEFAULT_WAIT_S, is_document_name, update_index

log = logging.getLogger(__name__)

DEBOUNCE_S = 0.5  # quiet time that ends a burst of changes
MAX_DELAY_S = 1.5  # a steady stream of changes is still synced this often
RETRY_S = 5.0  # after a failed sync (index busy or damaged), try again this much later
_IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})  # our own reads cause these


class _Changes(FileSystemEventHandler):
    """Collects changed document paths (or 'rescan everything') from watchdog events."""

    def __init__(self, ignore: Path):
        self.ignore = ignore
        self.paths: set[Path] = set()
        self.full = False
        self.last_event = 0.0
        self.first_event = 0.0
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
            relevant = event.event_type != "modified" and any(
                not p.name.startswith(".") for p in paths)
        else:
            paths = [p for p in paths if is_document_name(p)]
            relevant = bool(paths)
        if not relevant:
            return
        with self.condition:
            if event.is_directory:
                self.full = True
            else:
                self.paths.update(paths)
            now = time.monotonic()
            if not self.first_event:
                self.first_event = now
            self.last_event = now
            self.condition.notify()

    def take_batch(self, stopped: threading.Event) -> tuple[bool, set[Path]] | None:
        """Wait for a burst of changes to settle; (rescan all?, paths), or None when stopped."""
        with self.condition:
            while not (self.first_event or stopped.is_set()):
                self.condition.wait(0.5)
        while not stopped.is_set():
            with self.condition:
                now = time.monotonic()
                if (now - self.last_event >= DEBOUNCE_S
                        or now - self.first_event >= MAX_DELAY_S):
                    batch = (self.full, self.paths)
                    self.full, self.paths, self.first_event = False, set(), 0.0
                    return batch
            time.sleep(0.05)
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
    """Keeps the index at index_dir in step with the corpus folder, from a background thread.

    start() syncs once, then follows file events; each settled burst is one incremental sync
    (one commit), so servers holding a LiveIndex see the change within about two seconds.
    """

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        *,
        wait: float = DEFAULT_WAIT_S,
        on_report: Callable[[IndexReport], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ):
        self.corpus = Path(corpus)
        self.index_dir = Path(index_dir)
        self.wait = wait
        self.on_report = on_report or (lambda report: None)
        self.on_error = on_error or (lambda exc: log.error("%s", exc))
        self._changes = _Changes(ignore=self.index_dir.resolve())
        self._stopped = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._run, name="docsearch-watch", daemon=True)

    def start(self) -> IndexReport:
        """Sync the whole corpus now, then start following it; the first sync's report."""
        if not self.corpus.is_dir():
            raise DocsearchError(f"no such folder: {self.corpus}")
        self._observer.schedule(self._changes, str(self.corpus), recursive=True)
        self._observer.start()
        try:
            report = update_index([self.corpus], self.index_dir, wait=self.wait)
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
        while (batch := self._changes.take_batch(self._stopped)) is not None:
            full, paths = batch
            try:
                report = update_index([self.corpus], self.index_dir, wait=self.wait,
                                      only=None if full else paths)
            except Exception as exc:  # the thread must outlive any failed sync, and retry it
                if not isinstance(exc, DocsearchError):
                    log.error("sync of %s failed", self.corpus, exc_info=True)
                self._report_error(exc)
                self._stopped.wait(RETRY_S)
                self._changes.put_back(full, paths)
                continue
            self._report(report)

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
