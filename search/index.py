"""The Whoosh schema, declared once, and how an index directory is opened, read and written
(search.records turns documents into its records)."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import re
import shutil
import struct
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.query import Prefix
from whoosh.support.charset import accent_map

from search.documents import (
    content_hasher,
    open_regular_file,
)
from search.errors import DocsearchError, DocumentError, IndexStateError

log = logging.getLogger(__name__)

# Field names: every reader and writer uses these constants.
ID_FIELD = "id"
DOCUMENT = "document"
HASH = "hash"
PARAGRAPH = "paragraph"
TITLE = "title"
TITLE_TEXT = "title_text"
TEXT_FIELD = "text"
SPEAKER = "speaker"
ORGANISATION = "organisation"
SPEAKER_TEXT = "speaker_text"
ORGANISATION_TEXT = "organisation_text"
DATES = "dates"
DATE = "date"
YEAR = "year"
MONTH = "month"
PEOPLE = "people"
ATTRIBUTIONS = "attributions"
PAGE = "page"  # the page of a PDF a paragraph starts on
AUTHOR = "author"  # an e-mail's sender, a PDF's or Word file's author
PARENT = "parent"  # the id of the message an attachment came with
QUOTE = "quote"  # the attributed words of a paragraph (what its speakers said), searchable
HAS_QUOTE = "has_quote"  # QUOTED when a paragraph has an attribution, for "quotes only"
QUOTED = "1"
INDEXED = "indexed"  # when the paragraph's document was (re)indexed: epoch microseconds
TEXT_FIELDS = (TITLE_TEXT, TEXT_FIELD, SPEAKER_TEXT, ORGANISATION_TEXT, QUOTE)  # text_analyzer()'s

DEFAULT_INDEX = "index"
SEPARATOR = "|"  # joins multi-valued keyword fields; names never contain it
LOCK_FILE = "docsearch.lock"
WRITER_LIMIT_MB = 512  # postings held per writing process before its segment is written
# Whoosh's files for the default index name "MAIN" (TOCs, segments, its lock, its temp folder).
_WHOOSH_FILE = re.compile(r"^_?MAIN[_.]")
_TOC_FILE = re.compile(r"^_MAIN_\d+\.toc$")
_INDEX_NAME = "MAIN"
_TOC_NUMBER = re.compile(r"^_MAIN_(\d+)\.toc$")
_TOC_TEMP = re.compile(r"^_MAIN_\d+\.toc\.[\d.]+$")  # Whoosh writes the TOC there, then renames
_SEGMENT_FILE = re.compile(r"^(MAIN_[0-9a-z]+)\.[A-Za-z0-9_.]+$")  # as whoosh.index.TOC's


def text_analyzer():
    """Stemmed, accent-folded words: 'Sanctions' finds 'sanction', 'Sao' finds 'São'."""
    return StemmingAnalyzer(cachesize=-1) | CharsetFilter(accent_map)


def untiered(field):
    """A numeric field indexed as one term per value, not Whoosh's 8 trie terms.

    Ranges and sorting on these fields use their columns; the extra terms only slowed
    indexing (Whoosh checks for a length column on every posting of such fields).
    """
    field.shift_step = 0
    return field


def values_field() -> KEYWORD:
    """A stored multi-valued exact field: values joined by SEPARATOR, each one term, as written."""
    field = KEYWORD(stored=True, scorable=False)
    field.analyzer = RegexTokenizer(rf"[^{re.escape(SEPARATOR)}]+")
    return field


def schema() -> Schema:
    """The one schema of a docsearch index: a record per body paragraph."""
    return Schema(
        **{
            # Only what is searched or counted is indexed: each indexed term costs writing time.
            ID_FIELD: STORED(),
            DOCUMENT: ID(stored=True, sortable=True),
            HASH: STORED(),
            PARAGRAPH: untiered(NUMERIC(stored=True, sortable=True)),
            TITLE: STORED(),
            TITLE_TEXT: TEXT(analyzer=text_analyzer()),  # on a document's first paragraph
            TEXT_FIELD: TEXT(stored=True, analyzer=text_analyzer(), phrase=True),
            SPEAKER: values_field(),
            ORGANISATION: values_field(),
            SPEAKER_TEXT: TEXT(analyzer=text_analyzer(), phrase=True),
            ORGANISATION_TEXT: TEXT(analyzer=text_analyzer(), phrase=True),
            DATES: STORED(),
            DATE: untiered(DATETIME(stored=True, sortable=True)),
            YEAR: ID(stored=True),
            MONTH: ID(stored=True),
            PEOPLE: STORED(),
            ATTRIBUTIONS: STORED(),  # JSON list of Attribution.as_dict(), quote spans in text
            PAGE: STORED(),
            AUTHOR: STORED(),
            PARENT: STORED(),
            QUOTE: TEXT(analyzer=text_analyzer(), phrase=True),
            HAS_QUOTE: ID(),
            INDEXED: untiered(NUMERIC(bits=64, stored=True, sortable=True)),
        }
    )


@dataclass
class IndexReport:
    """What one indexing run did, for the CLI to print and tests to check.

    documents and paragraphs count what was (re)written in this run; added, updated,
    removed and unchanged count documents compared with the index before the run.
    """

    documents: int = 0
    paragraphs: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    committed: bool = False

    def summary(self) -> str:
        """The counts as one line: `added 3, updated 1, removed 0, unchanged 250`."""
        return (f"added {self.added}, updated {self.updated}, removed {self.removed}, "
                f"unchanged {self.unchanged}")

    def changed(self) -> bool:
        """Whether the run changed the index or has something to say."""
        return bool(self.committed or self.skipped or self.warnings)


def index_dir_from(value: str | os.PathLike | None) -> Path:
    """The index directory: the given one, else $DOCSEARCH_INDEX, else ./index."""
    return Path(value or os.environ.get("DOCSEARCH_INDEX") or DEFAULT_INDEX)


def has_index_files(index_dir: Path) -> bool:
    """Whether index_dir holds a Whoosh table of contents (a valid index or a damaged one)."""
    index_dir = Path(index_dir)
    return index_dir.is_dir() and any(_TOC_FILE.match(p.name) for p in index_dir.iterdir())


def foreign_files(index_dir: Path) -> list[str]:
    """Names in index_dir that are neither Whoosh index files nor docsearch's lock file."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        return []
    return sorted(p.name for p in index_dir.iterdir()
                  if p.name != LOCK_FILE and not _WHOOSH_FILE.match(p.name))


def open_index(index_dir: Path):
    """Open an existing docsearch index, or raise IndexStateError saying what to do."""
    index_dir = Path(index_dir)
    if not has_index_files(index_dir):
        if index_dir.is_file() or foreign_files(index_dir):
            raise IndexStateError(
                f"{index_dir} is not a docsearch index (it holds other files); "
                "choose another folder with --index")
        raise IndexStateError(f"no index at {index_dir}; create one with: docsearch index")
    try:
        # Files are read, not mapped: a segment truncated under a reader is then an error
        # to report, not a SIGBUS that kills the process.
        ix = FileStorage(str(index_dir), supports_mmap=False).open_index()
        with ix.reader():
            pass
    except Exception as exc:  # Whoosh raises many types for a damaged TOC or segment
        raise damaged(index_dir, exc) from exc
    if set(ix.schema.names()) != set(schema().names()):
        raise IndexStateError(
            f"{index_dir} is not a docsearch index of this version; "
            "rebuild it with: docsearch index --rebuild")
    return ix


def damaged(index_dir: Path, exc: BaseException) -> IndexStateError:
    """The one-line error for an index that cannot be read, naming the way out."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if kind == "error":  # struct.error, zlib.error
        kind = f"{type(exc).__module__}.{kind}"
    return IndexStateError(
        f"the index at {index_dir} is damaged or unreadable ({kind}"
        f"{': ' + detail[:200] if detail else ''}); rebuild it with: docsearch index --rebuild")


_READ_ERRORS = (zlib.error, struct.error, EOFError, OSError, pickle.UnpicklingError,
                UnicodeDecodeError)
_WHOOSH_DIR = os.path.dirname(whoosh_index.__file__) + os.sep


def is_damage(exc: BaseException) -> bool:
    """Whether an unexpected error came from reading index files (garbled or truncated
    bytes make Whoosh raise almost any type), rather than from a bug in docsearch."""
    if isinstance(exc, (IndexStateError, *_READ_ERRORS)):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(_WHOOSH_DIR)


@contextlib.contextmanager
def reading(index_dir: Path) -> Iterator[None]:
    """Turn an error from a damaged index, inside the block, into IndexStateError."""
    try:
        yield
    except DocsearchError:
        raise
    except Exception as exc:
        if not is_damage(exc):
            raise
        log.info("reading the index at %s failed", index_dir, exc_info=True)
        raise damaged(index_dir, exc) from exc


def create_index(index_dir: Path):
    """A new, empty index in index_dir (replacing any index already there, files and all)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), schema())
    remove_leftovers(index_dir)  # Whoosh removes the old tables of contents, not segments
    return ix


def remove_leftovers(index_dir: Path, temporary: bool = True) -> list[str]:
    """Delete the files no commit refers to: segments, tables of contents and (with
    temporary) the temporary folder of a writer that died or failed.

    Only while holding the writer lock, and with temporary only when no writer of this
    process is open; returns the names deleted (no segments when the index is damaged)."""
    storage = FileStorage(str(index_dir))
    try:
        toc = TOC.read(storage, _INDEX_NAME)
    except Exception:  # a damaged index: leave its segments for --rebuild to replace
        toc = None
    segment_names = {segment.segment_id() for segment in toc.segments} if toc else None
    gone = []
    for name in storage.list():
        segment = _SEGMENT_FILE.match(name)
        toc_number = _TOC_NUMBER.match(name)
        if (_TOC_TEMP.match(name) or (toc and segment and segment[1] not in segment_names)
                or (toc and toc_number and int(toc_number[1]) != toc.generation)):
            with contextlib.suppress(FileNotFoundError):
                storage.delete_file(name)
                gone.append(name)
    if temporary:
        shutil.rmtree(Path(index_dir) / f"{_INDEX_NAME}.tmp", ignore_errors=True)
    if gone:
        log.info("removed files left by an unfinished write: %s", ", ".join(sorted(gone)))
    return gone


def content_hash(path: Path) -> str:
    """A short, stable fingerprint of a file's bytes; DocumentError if it cannot be read."""
    digest = content_hasher()  # as documents.content_digest(), streamed
    with open_regular_file(Path(path)) as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        except OSError as exc:
            raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def split_values(stored: str | None) -> list[str]:
    """The values of a multi-valued keyword field as stored."""
    return [value for value in (stored or "").split(SEPARATOR) if value]


def delete_documents(writer, file_id: str) -> None:
    """Delete a file's documents: the one with its id and those within it (`box.mbox/3`)."""
    writer.delete_by_term(DOCUMENT, file_id)
    writer.delete_by_query(Prefix(DOCUMENT, file_id + "/"))


class LiveIndex:
    """A long-lived searcher over an index directory that follows new commits.

    Servers hold one of these: the searcher is refreshed (cheaply, sharing unchanged
    segments) when the index has changed, never reopened per request.
    """

    CHECK_EVERY_S = 0.5

    def __init__(self, index_dir: Path, on_open: Callable[[object], None] | None = None):
        self.index_dir = Path(index_dir)
        self._on_open = on_open
        self._ix = open_index(self.index_dir)
        self._searcher = self._opened(self._ix.searcher())
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _opened(self, searcher):
        if self._on_open is not None:
            with reading(self.index_dir):
                self._on_open(searcher)
        return searcher

    def searcher(self):
        """The current searcher, refreshed first if the index changed since the last check."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.CHECK_EVERY_S:
                self._checked = now
                with reading(self.index_dir):
                    changed = not self._searcher.up_to_date()
                    if changed:
                        # A new searcher rather than refresh(): refresh() may close files
                        # that requests still running on the old searcher are reading.
                        self._searcher = self._opened(self._ix.searcher())
            return self._searcher

    def close(self) -> None:
        """Release the searcher's files."""
        with self._lock:
            self._searcher.close()
