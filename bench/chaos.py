"""Chaos run: index a generated corpus while killing the indexer, one of its workers, or
`docsearch serve --watch` mid-sync, at random moments, with SIGKILL and SIGTERM.

Between rounds the corpus changes (documents rewritten, deleted, restored) and half of the
`index` rounds rebuild, so that every run has work to be killed in. After each kill the whole
process group must be gone within a few seconds (no orphaned worker), a killed server's port
must be free, and the next run must start without "the index is busy" or any manual step. At
the end one plain `docsearch index` must leave exactly the paragraphs that docsearch reads
from the corpus on disk (document, position and text), no duplicates. Prints the kills
survived and the counts; exits 1 if anything was wrong.

    python bench/chaos.py                      # 24 kills, ~3,000 paragraphs: a few minutes
    python bench/chaos.py --kills 40 --paragraphs 8000 --seed 7 --json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python bench/chaos.py` from anywhere
    sys.path.insert(0, str(HERE.parent))

from bench import corpus as gen  # noqa: E402
from search.documents import document_id, iter_document_paths, read_document  # noqa: E402
from search.errors import DocsearchError, DocumentError  # noqa: E402
from search.index import DOCUMENT, ID_FIELD, PARAGRAPH, TEXT_FIELD, open_index  # noqa: E402

REPO = HERE.parent
DOCSEARCH = [sys.executable, "-m", "search.cli"]
SCENARIOS = ("indexer", "worker", "serve")
SIGNALS = (signal.SIGKILL, signal.SIGTERM)
GONE_WITHIN_S = 5.0  # a killed run's whole process group must be gone by then
RUN_TIMEOUT_S = 600.0
REWRITE_SHARE = 0.8  # of the documents changed before a round meant to start workers
SMALL_SHARE = 0.1  # changed before some incremental rounds, indexed without workers


@dataclass
class Tally:
    """What happened over the run."""

    kills: Counter = field(default_factory=Counter)  # "scenario SIGNAL" -> kills survived
    missed: int = 0  # rounds whose run ended before the chosen moment
    problems: list[str] = field(default_factory=list)
    slowest_exit_s: float = 0.0

    def kill(self, scenario: str, how: signal.Signals) -> None:
        """Count one kill of a running process."""
        self.kills[f"{scenario} {how.name}"] += 1

    def total(self) -> int:
        """Kills so far."""
        return sum(self.kills.values())


class Run:
    """A docsearch process started in its own process group, its stderr kept in a file."""

    def __init__(self, args: list[str], log_dir: Path, number: int) -> None:
        self.stderr_path = log_dir / f"run-{number:03d}.stderr"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen([*DOCSEARCH, *args], cwd=REPO,
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=stderr, start_new_session=True)
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr(self) -> str:
        """What the process wrote to stderr so far."""
        return self.stderr_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.process.poll() is None


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def group_members(group: int) -> set[int]:
    """Live (non-zombie) processes of a process group."""
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[2]) == group:
                members.add(int(entry.name))
    return members


def workers_of(pid: int) -> list[int]:
    """The indexing workers a docsearch process has started (not the resource tracker)."""
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[1]) == pid:
                try:
                    command = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if b"resource_tracker" not in command:
                    workers.append(int(entry.name))
    return sorted(workers)


def wait_gone(run: Run, tally: Tally, what: str) -> None:
    """Wait for the run and its whole process group to end; note it if they outlive it."""
    killed_at = time.monotonic()
    deadline = killed_at + GONE_WITHIN_S
    while time.monotonic() < deadline and (run.running() or group_members(run.pid)):
        time.sleep(0.02)
    left = group_members(run.pid)
    if run.running() or left:
        tally.problems.append(f"{what}: processes {sorted(left)} still running "
                              f"{GONE_WITHIN_S:.0f} s after the kill")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)  # only our own run's group, to go on
        run.process.wait()
    else:
        tally.slowest_exit_s = max(tally.slowest_exit_s, time.monotonic() - killed_at)
    run.process.wait()


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_free(port: int) -> bool:
    """Whether a restarted server could listen on port."""
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            again.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def change_corpus(corpus: Path, share: float, rng: random.Random, removed: dict[Path, bytes],
                  round_number: int) -> None:
    """Rewrite, delete and restore documents so that the next run has work to do."""
    for path, data in list(removed.items()):
        if rng.random() < 0.5:
            path.write_bytes(data)
            del removed[path]
    files = sorted(iter_document_paths(corpus))
    for path in rng.sample(files, int(len(files) * share)):
        if rng.random() < 0.08:
            removed[path] = path.read_bytes()
            path.unlink()
            continue
        text = path.read_text(encoding="utf-8")
        note = f"Revision {round_number} of this file was written during a chaos run."
        if path.suffix == ".html" and "</article>" in text:
            text = text.replace("</article>", f"<p>{note}</p></article>", 1)
        else:
            text = text.rstrip("\n") + f"\n\n{note}\n"
        path.write_text(text, encoding="utf-8")


def expected_paragraphs(corpus: Path) -> set[tuple[str, int, str]]:
    """(document, position, text) of every paragraph docsearch reads from the corpus."""
    expected = set()
    for path in iter_document_paths(corpus):
        try:
            doc = read_document(path, corpus)
        except DocumentError:
            continue
        doc_id = document_id(path, corpus)
        expected.update((doc_id, n, text) for n, text in enumerate(doc.paragraphs))
    return expected


def indexed_paragraphs(index_dir: Path) -> tuple[set[tuple[str, int, str]], int]:
    """(document, position, text) of every indexed paragraph, and how many ids repeat."""
    with open_index(index_dir).searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    ids = Counter(fields[ID_FIELD] for fields in stored)
    duplicates = sum(count - 1 for count in ids.values())
    return {(f[DOCUMENT], f[PARAGRAPH], f[TEXT_FIELD]) for f in stored}, duplicates


def check_started(run: Run, tally: Tally, what: str) -> None:
    """A run after a kill must never find the index busy or damaged."""
    err = run.stderr()
    if "being written by another process" in err or "docsearch index --rebuild" in err:
        tally.problems.append(f"{what}: the run after a kill failed: {err.strip()[-300:]}")


def index_round(ctx: Chaos, how: signal.Signals, rebuild: bool, share: float) -> None:
    """Start `docsearch index` and kill it at a random moment of its expected run time."""
    args = ["index", str(ctx.corpus), "--index", str(ctx.index_dir), "--wait", "30"]
    run = ctx.start([*args, "--rebuild"] if rebuild else args)
    kind = "indexer --rebuild" if rebuild else f"indexer {share:.0%} changed"
    moment = ctx.moment(kind, run.started, 1.0 if rebuild else max(share, 0.25))
    while run.running() and time.monotonic() < moment:
        time.sleep(0.01)
    what = f"round {ctx.round}: indexer {how.name}{' --rebuild' if rebuild else ''}"
    if not run.running():
        ctx.missed(kind, run.started)
        check_started(run, ctx.tally, what)
        return
    os.kill(run.pid, how)
    ctx.tally.kill("indexer", how)
    wait_gone(run, ctx.tally, what)
    check_started(run, ctx.tally, what)


def worker_round(ctx: Chaos, how: signal.Signals) -> None:
    """Start a rebuild, wait for its workers, and kill one of them at a random moment."""
    run = ctx.start(["index", str(ctx.corpus), "--index", str(ctx.index_dir), "--rebuild",
                     "--wait", "30"])
    what = f"round {ctx.round}: worker {how.name}"
    workers = []
    while run.running() and not workers:
        workers = workers_of(run.pid)
        time.sleep(0.01)
    workers_started = time.monotonic()
    moment = ctx.moment("worker", workers_started, 0.7)
    while run.running() and time.monotonic() < moment:
        time.sleep(0.01)
    alive = [pid for pid in workers if pid in workers_of(run.pid)]
    if not alive:
        ctx.missed("worker", workers_started)
    else:
        os.kill(ctx.rng.choice(alive), how)
        ctx.tally.kill("worker", how)
    try:
        run.process.wait(RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        ctx.tally.problems.append(f"{what}: the indexer did not end after its worker died")
    wait_gone(run, ctx.tally, what)
    err = run.stderr()
    if alive and run.process.returncode not in (0, 2):
        ctx.tally.problems.append(f"{what}: exit {run.process.returncode}: {err[-300:]}")
    if "Traceback" in err:
        ctx.tally.problems.append(f"{what}: a traceback: {err[-300:]}")
    check_started(run, ctx.tally, what)


def serve_round(ctx: Chaos, how: signal.Signals) -> None:
    """Start `serve --watch` on a corpus with work to sync, and kill it mid-sync."""
    port = free_port()
    run = ctx.start(["serve", "--watch", "--corpus", str(ctx.corpus), "--index",
                     str(ctx.index_dir), "--port", str(port), "--wait", "30"])
    moment = ctx.moment("serve", run.started, 1.0)
    while run.running() and time.monotonic() < moment and "serving" not in run.stderr():
        time.sleep(0.01)
    what = f"round {ctx.round}: serve --watch {how.name}"
    if not run.running() or "serving" in run.stderr():
        ctx.missed("serve", run.started)  # the sync was over: not a kill mid-sync
        check_started(run, ctx.tally, what)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
        run.process.wait()
        return
    os.kill(run.pid, how)
    ctx.tally.kill("serve", how)
    wait_gone(run, ctx.tally, what)
    if not port_free(port):
        ctx.tally.problems.append(f"{what}: port {port} still taken after the kill")
    check_started(run, ctx.tally, what)


class Chaos:
    """The state of one chaos run."""

    def __init__(self, workdir: Path, paragraphs: int, seed: int) -> None:
        self.corpus = workdir / "corpus"
        self.index_dir = workdir / "index"
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.removed: dict[Path, bytes] = {}
        self.durations: dict[str, float] = {}  # kind of round -> how long one took unkilled
        self.round = 0
        self.runs: list[Run] = []
        gen.generate_corpus(self.corpus, paragraphs, seed=seed, processes=1)
        (self.corpus / gen.MANIFEST).unlink()  # the corpus changes: it is no longer that
        started = time.monotonic()
        first = self.start(["index", str(self.corpus), "--index", str(self.index_dir)])
        if first.process.wait(RUN_TIMEOUT_S) != 0:
            raise SystemExit(f"the first, uninterrupted run failed: {first.stderr()}")
        self.run_s = time.monotonic() - started  # how long a full run takes here

    def start(self, args: list[str]) -> Run:
        """Start one docsearch process."""
        run = Run(args, self.logs, len(self.runs) + 1)
        self.runs.append(run)
        return run

    def moment(self, kind: str, start: float, share_of_full_run: float) -> float:
        """A random moment within the time a run of this kind is expected to take."""
        expected = self.durations.get(kind, self.run_s * share_of_full_run)
        return start + self.rng.uniform(0.05, 0.9) * expected

    def missed(self, kind: str, start: float) -> None:
        """Note a run that ended before its moment: such runs are quicker than thought."""
        self.tally.missed += 1
        self.durations[kind] = time.monotonic() - start

    def stop_all(self) -> None:
        """Kill whatever this chaos run started that still runs (after an error)."""
        for run in self.runs:
            if run.running() or group_members(run.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(run.pid, signal.SIGKILL)
            run.process.wait()

    def play(self, kills: int, max_rounds: int) -> None:
        """Rounds of change-then-kill until `kills` kills (or max_rounds rounds)."""
        while self.tally.total() < kills and self.round < max_rounds:
            self.round += 1
            scenario = SCENARIOS[self.round % len(SCENARIOS)]
            how = SIGNALS[(self.round // len(SCENARIOS)) % len(SIGNALS)]
            if self.rng.random() < 0.5:
                how = SIGNALS[1 - SIGNALS.index(how)]
            rebuild = scenario == "worker" or (scenario == "indexer" and self.rng.random() < 0.5)
            share = SMALL_SHARE if rebuild else self.rng.choice((SMALL_SHARE, REWRITE_SHARE))
            if scenario == "serve":
                share = REWRITE_SHARE
            change_corpus(self.corpus, share, self.rng, self.removed, self.round)
            if scenario == "indexer":
                index_round(self, how, rebuild, share)
            elif scenario == "worker":
                worker_round(self, how)
            else:
                serve_round(self, how)

    def finish(self) -> dict:
        """The final plain run and the comparison with what the corpus holds."""
        final = self.start(["index", str(self.corpus), "--index", str(self.index_dir),
                            "--wait", "5"])
        code = final.process.wait(RUN_TIMEOUT_S)
        if code != 0:
            self.tally.problems.append(f"the final run failed (exit {code}): {final.stderr()}")
        expected = expected_paragraphs(self.corpus)
        try:
            indexed, duplicates = indexed_paragraphs(self.index_dir)
        except DocsearchError as exc:
            self.tally.problems.append(f"the index cannot be read: {exc}")
            indexed, duplicates = set(), 0
        if duplicates:
            self.tally.problems.append(f"{duplicates} duplicate paragraph ids")
        if indexed != expected:
            self.tally.problems.append(
                f"index differs from the corpus: {len(expected - indexed)} paragraphs missing, "
                f"{len(indexed - expected)} unexpected")
        return {"kills": self.tally.total(),
                "kills_by_kind": dict(sorted(self.tally.kills.items())),
                "rounds": self.round, "missed_rounds": self.tally.missed,
                "expected_paragraphs": len(expected), "indexed_paragraphs": len(indexed),
                "duplicates": duplicates,
                "documents": len({doc for doc, _n, _t in indexed}),
                "full_run_s": round(self.run_s, 2),
                "slowest_group_exit_s": round(self.tally.slowest_exit_s, 2),
                "problems": self.tally.problems}


def report_lines(result: dict) -> list[str]:
    """The human-readable summary."""
    kinds = ", ".join(f"{kind} {count}" for kind, count in result["kills_by_kind"].items())
    return [
        f"kills survived: {result['kills']} in {result['rounds']} rounds ({kinds}); "
        f"{result['missed_rounds']} rounds ended before their kill",
        f"paragraphs: expected {result['expected_paragraphs']}, indexed "
        f"{result['indexed_paragraphs']} in {result['documents']} documents, duplicates "
        f"{result['duplicates']}",
        f"a full run takes {result['full_run_s']} s; the slowest killed run's processes were "
        f"all gone after {result['slowest_group_exit_s']} s",
        *(f"PROBLEM: {problem}" for problem in result["problems"]),
        "OK" if not result["problems"] else f"FAILED: {len(result['problems'])} problems",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the chaos rounds and print what survived; exit 1 on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=24, help="kills to survive (default 24)")
    parser.add_argument("--paragraphs", type=int, default=3000,
                        help="size of the generated corpus (default 3000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the corpus, index and logs here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not Path("/proc/self/stat").exists():
        raise SystemExit("chaos.py follows processes through /proc (Linux)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="docsearch-chaos-"))
    chaos = None
    try:
        chaos = Chaos(workdir, args.paragraphs, args.seed)
        chaos.play(args.kills, max_rounds=args.kills * 4)
        result = chaos.finish()
    finally:
        if chaos is not None:
            chaos.stop_all()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.json else "\n".join(report_lines(result)))
    return 1 if result["problems"] or result["kills"] < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
