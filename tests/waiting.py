"""Waiting on conditions in tests, with generous deadlines instead of timing assertions, and
finding the processes a test started."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def wait_for(condition: Callable[[], object], timeout: float = 60.0,
             every: float = 0.1, what: str | None = None) -> object:
    """Poll condition until it is truthy and return that value; fail after timeout, saying
    what was awaited (`what`, else the condition's docstring)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"not true within {timeout}s: {what or condition.__doc__ or condition}")


def children(pid: int) -> set[int]:
    """Pids of the processes whose parent is pid (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def started_server(args: list[str], timeout: float = 120.0,
                   env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`docsearch serve --port 0 ARGS` in a new process; (the process, its base URL, read from
    the line it prints once it listens). Fails the test if it does not start in time."""
    process = subprocess.Popen(
        [sys.executable, "-m", "search.cli", "serve", "--port", "0", *args], cwd=REPO,
        env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stderr:
            if match := re.search(r"serving (http://\S+?)/? ", line):
                found.append(match[1])
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(timeout)
    if not found:
        process.kill()
        pytest.fail(f"docsearch serve {' '.join(args)} did not start")
    return process, found[0]
