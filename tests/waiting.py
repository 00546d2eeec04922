"""Waiting on conditions in tests, with generous deadlines instead of timing assertions, and
finding the processes a test started."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest


def wait_for(condition: Callable[[], object], timeout: float = 60.0,
             every: float = 0.1) -> object:
    """Poll condition until it is truthy and return that value; fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"not true within {timeout}s: {condition.__doc__ or condition}")


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
