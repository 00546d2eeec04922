"""Run a reader in a helper process with a memory limit and a time limit.

PDF parsing and OCR can be made to take any amount of memory or time by a hostile file
(deep object nesting, streams that inflate to gigabytes). In a helper process the kernel
enforces the memory limit and the caller kills it at the deadline; the rest of the run goes on.
One helper serves a process's files in turn (started with `python -m`, so it works from
daemonic worker processes too) and is replaced after a failure or MAX_TASKS files.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from search.errors import DocumentError

MAX_SECONDS = 120.0  # per file: a file taking longer is skipped with a message
MAX_MEMORY_MB = 1024  # address space a reader may add to the helper process
MAX_TASKS = 200  # files one helper reads before it is replaced (memory it kept is returned)
_FRAME = struct.Struct("!Q")
_lock = threading.Lock()
_helper: _Helper | None = None
last_peak_rss_kb = 0  # the helper's peak RSS after the last file, for the benchmark


class _Helper:
    """A running helper process and what it was started with."""

    def __init__(self, memory_mb: int):
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, (root, os.environ.get("PYTHONPATH"))))}
        self.memory_mb = memory_mb
        self.pid = os.getpid()
        self.tasks = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search.readers.bounded", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)

    def stop(self) -> None:
        """End the helper now."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def run_bounded(function: Callable, *args, seconds: float | None = None,
                memory_mb: int | None = None):
    """function(*args) run in the helper process; DocumentError when it fails or hits a
    limit. function must be importable by name; args and result are pickled."""
    global _helper, last_peak_rss_kb
    seconds = MAX_SECONDS if seconds is None else seconds
    memory_mb = MAX_MEMORY_MB if memory_mb is None else memory_mb
    with _lock:
        if _helper is not None and (_helper.memory_mb != memory_mb or _helper.pid != os.getpid()
                                    or _helper.process.poll() is not None):
            _retire()
        if _helper is None:
            _helper = _Helper(memory_mb)
        helper = _helper
        try:
            _send(helper.process.stdin, (function.__module__, function.__qualname__, args))
            reply = _receive(helper.process.stdout, time.monotonic() + seconds)
        except TimeoutError:
            _retire()
            raise DocumentError(f"took longer than the {seconds:g} s limit per file; "
                                "skipped") from None
        except (EOFError, OSError):
            _retire()
            raise DocumentError(f"the reader process died (over its {memory_mb} MB memory "
                                "limit?); skipped") from None
        kind, payload, last_peak_rss_kb = reply
        helper.tasks += 1
        if kind == "limit" or helper.tasks >= MAX_TASKS:
            _retire()
    if kind != "ok":
        raise DocumentError(payload)
    return payload


def _retire() -> None:
    global _helper
    if _helper is not None:
        _helper.stop()
        _helper = None


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()


def _receive(stream, deadline: float):
    """One pickled frame from stream; TimeoutError at the deadline, EOFError at its end."""
    size = _FRAME.unpack(_read_exactly(stream, _FRAME.size, deadline))[0]
    return pickle.loads(_read_exactly(stream, size, deadline))


def _read_exactly(stream, size: int, deadline: float) -> bytes:
    chunks, wanted = [], size
    fd = stream.fileno()
    while wanted:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(wanted, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _serve(memory_mb: int) -> None:
    """The helper's loop: read a call, run it, answer, until its input ends."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the replies
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    _die_with_parent()
    _limit_memory(memory_mb)
    requests = sys.stdin.buffer
    while True:
        try:
            header = requests.read(_FRAME.size)
            if len(header) < _FRAME.size:
                return
            module, name, args = pickle.loads(requests.read(_FRAME.unpack(header)[0]))
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        _send(replies, _call(module, name, args, memory_mb))


def _call(module: str, name: str, args: tuple, memory_mb: int) -> tuple:
    try:
        result = ("ok", getattr(importlib.import_module(module), name)(*args))
    except DocumentError as exc:
        result = ("error", str(exc))
    except MemoryError:
        result = ("limit", f"needs more than the {memory_mb} MB memory limit; skipped")
    except RecursionError:
        result = ("limit", "objects nested too deeply; skipped")
    except Exception as exc:  # a parser failure names this file and never stops a run
        result = ("error", f"unreadable ({type(exc).__name__}: {str(exc)[:200]})")
    return (*result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _die_with_parent() -> None:
    """On Linux, have the kernel end the helper when its parent ends (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the process uses now plus memory_mb."""
    try:
        with open("/proc/self/statm") as handle:
            used = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: a plain cap
        used = 0
    limit = used + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


if __name__ == "__main__":
    import search.readers.pdf  # noqa: F401 - loaded before the memory limit is set

    _serve(int(sys.argv[1]))
