"""The docsearch command line: index, add, watch, query, extract, serve."""

from __future__ import annotations

import argparse
import errno
import html
import json
import logging
import os
import re
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from search import __version__
from search.errors import DocsearchError

if TYPE_CHECKING:
    from search.engine import Backend, Searching

log = logging.getLogger("docsearch")

DEFAULT_CORPUS = "corpus"
EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `docsearch` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        code = args.handler(args) or 0
        sys.stdout.flush()  # here, so that a closed pipe is seen here and not at exit
        return code
    except DocsearchError as exc:
        print(f"docsearch: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("docsearch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """Exit quietly, as `| head` expects, when whoever reads stdout has closed it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="docsearch",
        description="Search news articles, statements and briefing transcripts by who said "
                    "what, when, for which organisation.",
        epilog="Run 'docsearch COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"docsearch {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_index(commands)
    _add_add(commands)
    _add_watch(commands)
    _add_query(commands)
    _add_extract(commands)
    _add_serve(commands)
    return parser


def _index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", metavar="DIR", default=None,
                        help="index directory (default: $DOCSEARCH_INDEX or ./index)")


def _wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                        help="how long to wait for another process writing the index "
                             "(default: 10)")


def _cluster_option(parser: argparse.ArgumentParser, shards: bool = False) -> None:
    parser.add_argument("--cluster", metavar="ADDRESS", default=None,
                        help="use the sharded index on a Ray cluster (host:port of its head; "
                             "`local` or `auto` starts Ray on this machine); needs "
                             "pip install 'docsearch[cluster]'")
    if shards:
        parser.add_argument("--shards", type=int, default=None, metavar="N",
                            help="with --cluster: shards of a new or rebuilt index (default 2)")


def _corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="DIR", default=DEFAULT_CORPUS,
                        help="corpus folder (default: ./corpus)")


def _add_index(commands) -> None:
    parser = commands.add_parser(
        "index", help="bring the search index up to date with documents (text and HTML)",
        description="Compare documents with the index (by path relative to each folder and "
                    "content hash), then add new ones, replace changed ones and remove deleted "
                    "ones in one commit. Unreadable files are skipped and named.",
        epilog="A run with nothing changed writes nothing. Documents indexed from a folder "
               "PATH that are no longer in any folder PATH are removed.")
    parser.add_argument("paths", nargs="*", metavar="PATH", default=[DEFAULT_CORPUS],
                        help="files or folders to index (default: ./corpus)")
    _index_option(parser)
    parser.add_argument("--rebuild", action="store_true",
                        help="index everything from scratch (also replaces a damaged index)")
    _wait_option(parser)
    _cluster_option(parser, shards=True)
    parser.set_defaults(handler=run_index)


def _add_add(commands) -> None:
    parser = commands.add_parser(
        "add", help="copy files into the corpus and index them",
        description="Copy files from anywhere into the corpus folder (the corpus stays the "
                    "source of truth) and index them. A file whose name is already taken in "
                    "the corpus by different content is refused. Unreadable files are skipped "
                    "and not copied.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    _corpus_option(parser)
    _index_option(parser)
    _wait_option(parser)
    _cluster_option(parser, shards=True)
    parser.set_defaults(handler=run_add)


def _add_watch(commands) -> None:
    parser = commands.add_parser(
        "watch", help="keep the index up to date while the corpus folder changes",
        description="Index the corpus, then follow the folder and index added, changed, "
                    "renamed and deleted documents within about two seconds. Ctrl+C stops.")
    _corpus_option(parser)
    _index_option(parser)
    _wait_option(parser)
    _cluster_option(parser, shards=True)
    parser.set_defaults(handler=run_watch)


def _add_query(commands) -> None:
    parser = commands.add_parser(
        "query", help="search the index",
        description="Search paragraphs with Whoosh query syntax: words, \"phrases\", AND/OR/NOT, "
                    "wildcards (sanction*), field:value (speaker:, organisation:, title:, "
                    "document:).",
        epilog='Example: docsearch query "chemical weapons" --speaker "Jane Doe" --from 2017')
    parser.add_argument("query", metavar="QUERY", help="the query, in Whoosh syntax")
    parser.add_argument("--speaker", action="append", default=[], metavar="NAME",
                        help="only paragraphs by this speaker (repeat for any of several)")
    parser.add_argument("--organisation", "--organization", action="append", default=[],
                        metavar="NAME", help="only paragraphs naming this organisation "
                                             "(repeat for any of several)")
    parser.add_argument("--document", action="append", default=[], metavar="ID",
                        help="only paragraphs of this document")
    parser.add_argument("--from", dest="date_from", metavar="DATE",
                        help="documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="DATE",
                        help="documents dated on or before DATE")
    parser.add_argument("--sort", choices=("relevance", "newest", "oldest"), default="relevance")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="hits per page")
    parser.add_argument("--page", type=int, default=1, metavar="N", help="page number, from 1")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quotes-only", action="store_true",
                        help="only paragraphs quoting or reporting a speaker")
    parser.add_argument("--format", choices=("text", "json", "csv", "jsonl"), default=None,
                        help="text (default), json (as --json), or csv/jsonl: every match "
                             "(at most 10,000 rows; --limit and --page ignored) with columns "
                             "document, paragraph, date, speakers, organisations, quote, text, "
                             "link")
    _index_option(parser)
    _cluster_option(parser)
    parser.set_defaults(handler=run_query)


def _add_extract(commands) -> None:
    parser = commands.add_parser(
        "extract", help="print the paragraphs and metadata extracted from files",
        description="Read files and print, per body paragraph, its speakers, organisations "
                    "and dates. With --json, one JSON object per line. Reads text (.txt .md), "
                    "HTML (.html .htm), PDF (.pdf; scanned pages by OCR when Tesseract is "
                    "installed), Word (.docx .odt), e-mail (.eml .mbox, attachments too) and "
                    "images (.png .jpg .jpeg .tif .tiff, by OCR).")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per paragraph")
    parser.set_defaults(handler=run_extract)


def _add_serve(commands) -> None:
    parser = commands.add_parser(
        "serve", help="serve the search web app",
        description="Serve the search page with a production WSGI server (waitress). "
                    "Indexes the corpus first when there is no index yet.")
    _index_option(parser)
    _corpus_option(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1,
                        help="serving processes sharing the port (0: one per core, at most 4)")
    parser.add_argument("--watch", action="store_true",
                        help="keep the index up to date while the corpus folder changes")
    _wait_option(parser)
    _cluster_option(parser, shards=True)
    parser.set_defaults(handler=run_serve)


def backend_of(args: argparse.Namespace) -> Backend:
    """The index a command works on: search.engine.backend_for its --index, --cluster,
    --shards and --wait."""
    from search.engine import backend_for
    from search.index import index_dir_from

    return backend_for(index_dir_from(args.index), getattr(args, "cluster", None),
                       getattr(args, "shards", None), wait=getattr(args, "wait", None))


def run_index(args: argparse.Namespace) -> int:
    """`docsearch index`: sync the index with the paths and report what changed and was skipped."""
    backend = backend_of(args)
    report = backend.update([Path(p) for p in args.paths], rebuild=args.rebuild,
                            progress=_progress_printer())
    print_report(report, backend.index_dir)
    return 0


def run_add(args: argparse.Namespace) -> int:
    """`docsearch add`: copy files into the corpus and index them."""
    from search.sync import add_to_corpus

    backend = backend_of(args)
    corpus = Path(args.corpus)
    targets, skipped = add_to_corpus([Path(name) for name in args.files], corpus)
    report = backend.update([corpus], only=targets)
    report.skipped[:0] = skipped
    print_report(report, backend.index_dir)
    return EXIT_ERROR if not targets else 0


def run_watch(args: argparse.Namespace) -> int:
    """`docsearch watch`: index the corpus, then keep indexing its changes until Ctrl+C."""
    watcher = _start_watcher(Path(args.corpus), backend_of(args))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("docsearch: stopped watching", file=sys.stderr)
    finally:
        watcher.stop()
    return 0


def _start_watcher(corpus: Path, backend: Backend):
    from search.watch import CorpusWatcher

    def show(report) -> None:
        if report.changed():
            print_report(report, backend.index_dir, stamp=True)

    def fail(exc: Exception) -> None:
        print(f"docsearch: error: {exc} (will retry)", file=sys.stderr, flush=True)

    watcher = CorpusWatcher(corpus, backend, on_report=show, on_error=fail)
    print_report(watcher.start(), backend.index_dir, stamp=True)
    print(f"docsearch: watching {corpus} for changes (Ctrl+C to stop)", file=sys.stderr,
          flush=True)
    return watcher


def print_report(report, index_dir: Path, stamp: bool = False) -> None:
    """Warnings and skipped files (stderr), then the counts (stdout)."""
    prefix = time.strftime("%H:%M:%S ") if stamp else ""
    for path, message in report.warnings:
        print(f"{prefix}warning: {path}: {message}", file=sys.stderr)
    for path, reason in report.skipped:
        print(f"{prefix}skipped: {path}: {reason}", file=sys.stderr)
    paragraphs = f"{report.paragraphs} paragraph{'' if report.paragraphs == 1 else 's'}"
    written = f"; {paragraphs} written to {index_dir}" if report.committed else ""
    skipped = f"; skipped {len(report.skipped)}" if report.skipped else ""
    print(f"{prefix}{report.summary()}{written}{skipped}", flush=True)
    sys.stderr.flush()


def _progress_printer():
    if not sys.stderr.isatty():
        return None
    return ProgressBar(sys.stderr)


class ProgressBar:
    """One terminal line: documents done/total, paragraphs per second and time left."""

    WIDTH = 24
    EVERY_S = 0.1

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int, paragraphs: int) -> None:
        """Redraw the line (at most ten times a second, and always at the end)."""
        now = time.monotonic()
        if done < total and now - self.shown < self.EVERY_S:
            return
        self.shown = now
        self.stream.write("\r" + progress_line(done, total, paragraphs, now - self.started))
        self.stream.write("\n" if done == total else "")
        self.stream.flush()


def progress_line(done: int, total: int, paragraphs: int, elapsed: float) -> str:
    """`[#####.....] 120/300 documents  4,210 paragraphs/s  ETA 0:12`."""
    filled = ProgressBar.WIDTH * done // max(total, 1)
    rate = paragraphs / elapsed if elapsed > 0 else 0.0
    left = elapsed / done * (total - done) if done else 0.0
    eta = f"ETA {int(left) // 60}:{int(left) % 60:02d}" if done < total else \
        f"done in {elapsed:.1f}s"
    return (f"[{'#' * filled}{'.' * (ProgressBar.WIDTH - filled)}] {done}/{total} documents  "
            f"{rate:,.0f} paragraphs/s  {eta}  ")


def run_query(args: argparse.Namespace) -> int:
    """`docsearch query`: print ranked paragraphs and facet counts."""
    from search.query import SearchRequest

    request = SearchRequest(
        q=args.query, speakers=args.speaker, organisations=args.organisation,
        documents=args.document, date_from=args.date_from, date_to=args.date_to,
        sort=args.sort, page=args.page, page_size=args.limit, quotes_only=args.quotes_only)
    searcher = backend_of(args).searcher(warm=False)
    try:
        if args.format in ("csv", "jsonl"):
            return print_export(searcher, request, args.format)
        result = searcher.search(request)
    finally:
        searcher.close()
    if args.json or args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_results(result, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ))
    return 0


def print_export(searcher: Searching, request, fmt: str) -> int:
    """`docsearch query --format csv|jsonl`: every match (bounded) of a search.engine
    searcher on stdout; the bound, when reached, is said on stderr."""
    from search.export import EXPORT_LIMIT, Export, export_row, export_text

    total, hits = searcher.matches(request, EXPORT_LIMIT)
    export = Export(total, [export_row(hit) for hit in hits], EXPORT_LIMIT)
    sys.stdout.write(export_text(export, fmt))
    if export.truncated:
        print(f"docsearch: exported the first {EXPORT_LIMIT:,} of {export.total:,} matching "
              "paragraphs (the export limit)", file=sys.stderr)
    return 0


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def terminal_snippet(snippet: str, color: bool) -> str:
    """A <mark> snippet for a terminal: marks become bold yellow (or *stars* without colour)."""
    if color:
        marked = _MARK.sub(lambda m: f"\x1b[1;33m{m[1]}\x1b[0m", snippet)
    else:
        marked = _MARK.sub(lambda m: f"*{m[1]}*", snippet)
    return html.unescape(marked)


def format_results(result: dict, color: bool = False) -> str:
    """Human-readable results: hits with their metadata, then facet counts."""
    noun = "paragraph matches" if result["total"] == 1 else "paragraphs match"
    lines = [f"{result['total']:,} {noun}"
             + (f" (page {result['page']} of {result['pages']})" if result["pages"] > 1 else "")]
    if result.get("suggestion"):
        lines.append(f"Did you mean: {result['suggestion']}")
    first = (result["page"] - 1) * result["page_size"] + 1
    for rank, hit in enumerate(result["hits"], start=first):
        where = f"{hit['title']} [{hit['document']} \u00b6{hit['paragraph'] + 1}]"
        if hit["document_date"]:
            where += f", {hit['document_date']}"
        lines.append("")
        lines.append(f"{rank}. {where}")
        if hit["speakers"]:
            lines.append("   speaker: " + ", ".join(_person(hit, name) for name in hit["speakers"]))
        if hit["organisations"]:
            lines.append("   organisations: " + ", ".join(hit["organisations"]))
        lines.append("   " + terminal_snippet(hit["snippet"], color))
    for name, counts in result["facets"].items():
        if counts:
            shown = ", ".join(f"{value} ({count})" for value, count in list(counts.items())[:10])
            lines.append(f"\n{name}: {shown}")
    return "\n".join(lines)


def _person(hit: dict, name: str) -> str:
    person = hit.get("people", {}).get(name) or {}
    details = ", ".join(v for v in (person.get("title"), person.get("organisation")) if v)
    return f"{name} ({details})" if details else name


def run_extract(args: argparse.Namespace) -> int:
    """`docsearch extract`: print each paragraph's extracted metadata."""
    from search.documents import read_documents
    from search.errors import DocumentError, failure_reason
    from search.extraction import extract_document

    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            found = [(doc, extract_document(doc.paragraphs, doc.title, doc.date))
                     for doc in read_documents(path)]  # a mailbox's messages, attachments
        except DocumentError as exc:
            print(f"skipped: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # one bad file must not hide what the others hold
            log.debug("skipped %s", path, exc_info=True)
            print(f"skipped: {path}: {failure_reason(exc)}", file=sys.stderr)
            failed += 1
            continue
        for doc, facts in found:
            pairs = zip(doc.paragraphs, facts.paragraphs, strict=False)
            for position, (text, para) in enumerate(pairs):
                record = {
                    "document": doc.id, "paragraph": position, "title": doc.title,
                    "document_date": doc.date.isoformat() if doc.date else None, "text": text,
                    "speakers": para.speakers, "organisations": para.organisations,
                    "dates": para.dates,
                    "attributions": [a.as_dict() for a in para.attributions],
                }
                if args.json:
                    print(json.dumps(record, ensure_ascii=False))
                else:
                    print(f"{doc.id} \u00b6{position + 1}: speakers={para.speakers} "
                          f"organisations={para.organisations} dates={para.dates}")
                    print(f"    {text}")
    return EXIT_ERROR if failed == len(args.files) else 0


def run_serve(args: argparse.Namespace) -> int:
    """`docsearch serve`: take the port, bring the index up to date, then serve the web app
    (and follow the corpus with --watch)."""
    from waitress.server import create_server

    from search.serving import default_workers
    from web import SERVER_OPTIONS, create_app

    listening = listening_socket(args.host, args.port)  # a port in use fails before any work
    backend = backend_of(args)
    corpus = Path(args.corpus)
    watcher = None
    try:
        config = app_config(backend, corpus)
        workers = args.workers if args.workers > 0 else default_workers()
        if workers > 1:
            if "SEARCH_BACKEND" in config:
                raise DocsearchError("--workers serves a local index; the shards of a cluster "
                                     "index serve on the cluster: leave --workers out")
            return _serve_in_workers(args, listening, backend, corpus, workers)
        if args.watch:
            watcher = _start_watcher(corpus, backend)
        else:
            _index_if_missing(backend, corpus)
        app = create_app(config)
        server = create_server(app, sockets=[listening], threads=args.threads, **SERVER_OPTIONS)
        port = listening.getsockname()[1]
        print(f"docsearch: serving http://{args.host}:{port}/ (Ctrl+C to stop)",
              file=sys.stderr)
        server.run()
    finally:
        listening.close()
        if watcher is not None:
            watcher.stop()
    return 0


def app_config(backend: Backend, corpus: Path) -> dict:
    """The web app's settings for a backend. The app searches a Whoosh index through its own
    pool of per-request searchers (Whoosh readers serve one thread at a time); any other
    backend through its one long-lived searcher, shared by every request."""
    from search.engine import WhooshBackend

    config = {"INDEX_DIR": str(backend.index_dir), "CORPUS_DIR": str(corpus)}
    if not isinstance(backend, WhooshBackend):
        config["SEARCH_BACKEND"] = backend.searcher()
    return config


def _index_if_missing(backend: Backend, corpus: Path) -> None:
    if not backend.exists():
        print(f"no index at {backend.index_dir} yet; indexing {corpus} ...", file=sys.stderr)
        print_report(backend.update([corpus]), backend.index_dir)


def _serve_in_workers(args: argparse.Namespace, listening: socket.socket, backend: Backend,
                      corpus: Path, workers: int) -> int:
    """`docsearch serve --workers N`: forked workers serve, the parent follows the corpus."""
    from search.serving import serve_in_workers
    from web import SERVER_OPTIONS, create_app

    _index_if_missing(backend, corpus)
    config = app_config(backend, corpus)
    port = listening.getsockname()[1]
    print(f"docsearch: serving http://{args.host}:{port}/ with {workers} processes "
          "(Ctrl+C to stop)", file=sys.stderr)
    return serve_in_workers(
        listening, lambda: create_app(config), args.threads, workers, SERVER_OPTIONS,
        after_fork=lambda: _start_watcher(corpus, backend) if args.watch else None)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening; DocsearchError (one line) when it cannot be."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        hint = (" (another program is using it; choose another with --port)"
                if exc.errno == errno.EADDRINUSE else "")
        reason = (exc.strerror if isinstance(exc, socket.gaierror) or not exc.errno
                  else os.strerror(exc.errno))
        raise DocsearchError(f"cannot serve on {host}:{port}: {reason or exc}{hint}") from exc


if __name__ == "__main__":
    sys.exit(main())
