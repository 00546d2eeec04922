"""Worker processes that end with their parent, however the parent ends.

A worker started with multiprocessing's spawn method runs `run_child`, which arranges to die
with its parent before it imports anything heavy: the function to run and its arguments
arrive pickled, and are unpickled (importing Whoosh, the extractors...) only afterwards.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
CHECK_EVERY_S = 0.2  # how often the fallback thread looks for the parent


def child_payload(target: Callable, *args: object) -> bytes:
    """What run_child needs to call target(*args) in the child."""
    return pickle.dumps((target, args), protocol=pickle.HIGHEST_PROTOCOL)


def run_child(payload: bytes, parent_pid: int, *handles: object) -> None:
    """In a spawned child: die with the parent, then call the payload's target with its
    arguments followed by handles (pipes and such, which multiprocessing passes itself)."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    target, args = pickle.loads(payload)
    target(*args, *handles)


def die_with_parent(parent_pid: int) -> None:
    """End this process as soon as the process parent_pid, its parent, ends.

    On Linux the kernel sends SIGKILL (prctl PR_SET_PDEATHSIG); everywhere a thread also
    checks the parent every CHECK_EVERY_S seconds."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the thread below is enough
        pass
    if os.getppid() != parent_pid:  # the parent ended before prctl took effect
        os._exit(1)
    threading.Thread(target=_exit_without_parent, args=(parent_pid,), daemon=True,
                     name="docsearch-parent-watch").start()


def _exit_without_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(CHECK_EVERY_S)
    os._exit(1)
