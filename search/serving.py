"""Serving on every core: worker processes forked from a warmed-up parent, each running
waitress on the same listening socket.

Searching is mostly Python (Whoosh parsing, highlighting, Flask), so one process uses one
core. The parent builds the per-segment arrays once (facet columns, numeric and length
columns, word lists: search.matches' segment caches), closes its index files, and forks:
the workers share those arrays copy-on-write (numpy's buffers are never written, and
gc.freeze() keeps the collector from touching the objects), each opening its own files
(descriptors shared across processes would share their read offsets). The parent then
only follows the corpus (--watch) and stops the workers when it is stopped.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt() parameters
MMAP_THRESHOLD_BYTES = 1 << 20  # blocks at least this large get pages of their own


def return_freed_memory() -> bool:
    """Make glibc's malloc give large freed blocks back to the system at once (whether it
    could: not glibc). By default it raises its mmap threshold each time such a block is
    freed, so that the next ones, up to 32 MB (a commit's whole-index arrays at 1M), come
    from the heap, where freed space stays counted in the process's RSS: every commit
    then left the server larger. A fixed threshold keeps it flat."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
                    and libc.mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


def trim_heap() -> bool:
    """Give the heap's free pages back to the system (glibc's malloc_trim; whether it
    could): called after a commit's old engine state is freed, so that the many small
    arrays it held do not stay counted in the process's memory."""
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def default_workers() -> int:
    """As many workers as cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def warm_parent(make_app: Callable[[], object]) -> None:
    """Build the app once in the parent so that the segment caches are filled, then close
    its searchers: the workers reuse the arrays, never the open files."""
    from web.searcher import EXTENSION

    app = make_app()
    pool = app.extensions.get(EXTENSION)
    if pool is not None:
        pool.close()
    del app, pool
    gc.collect()


def fork_workers(count: int, serve: Callable[[], None]) -> list[int]:
    """Fork count worker processes each running serve(); their pids."""
    from search.lifeline import die_with_parent

    gc.freeze()  # what exists now is shared with the workers: keep the collector off it
    parent = os.getpid()
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                for number in STOP_SIGNALS:
                    signal.signal(number, signal.SIG_DFL)
                die_with_parent(parent)  # a killed parent leaves no worker serving the port
                serve()
            except BaseException:
                log.exception("a serving worker failed")
                code = 1
            finally:
                os._exit(code)
        pids.append(pid)
    gc.unfreeze()
    return pids


def supervise(pids: list[int]) -> int:
    """Wait until stopped (Ctrl+C, SIGTERM) or until a worker exits, then stop all workers;
    the exit status (0 when stopped by a signal)."""
    stopped = {"by_signal": False}

    def stop(_number, _frame) -> None:
        stopped["by_signal"] = True
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    status = 0
    try:
        pid, wait_status = os.wait()
        code = os.waitstatus_to_exitcode(wait_status)
        print(f"docsearch: serving worker {pid} exited ({code}); stopping", file=sys.stderr)
        pids = [p for p in pids if p != pid]
        status = 1
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _stop_workers(pids)
    return 0 if stopped["by_signal"] else status


def _stop_workers(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            continue


def serve_in_workers(listening: socket.socket, make_app: Callable[[], object], threads: int,
                     workers: int, options: dict, after_fork: Callable[[], object]) -> int:
    """Serve make_app()'s app from `workers` forked processes on the listening socket;
    after_fork() runs in the parent once they are started (it starts the watcher), and
    what it returns is stopped with stop() at the end. The exit status."""
    from waitress.server import create_server

    return_freed_memory()  # before the arrays are built: the workers inherit it
    warm_parent(make_app)

    def serve() -> None:
        server = create_server(make_app(), sockets=[listening], threads=threads, **options)
        server.run()

    pids = fork_workers(workers, serve)
    background = None
    try:
        background = after_fork()
        return supervise(pids)
    finally:
        _stop_workers(pids)
        if background is not None:
            background.stop()
