"""The Whoosh schema, declared once, and the writer that turns documents into paragraph records."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from search.documents import Document, open_regular_file, read_document
from search.errors import DocumentError, IndexStateError
from search.extraction import DocumentFacts, extract_document

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
TEXT_FIELDS = (TITLE_TEXT, TEXT_FIELD, SPEAKER_TEXT, ORGANISATION_TEXT)  # text_analyzer()'s

DEFAULT_INDEX = "index"
SEPARATOR = "|"  # joins multi-valued keyword fields; names never contain it
LOCK_FILE = "docsearch.lock"
WRITER_LIMIT_MB = 512  # postings held per writing process before its segment is written
# Whoosh's files for the default index name "MAIN" (TOCs, segments, its lock, its temp folder).
_WHOOSH_FILE = re.compile(r"^_?MAIN[_.]")
_TOC_FILE = re.compile(r"^_MAIN_\d+\.toc$")


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
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.reader():
            pass
    except Exception as exc:  # Whoosh raises many types for a damaged TOC or segment
        raise IndexStateError(
            f"the index at {index_dir} is corrupt or unreadable ({type(exc).__name__}: {exc}); "
            "rebuild it with: docsearch index --rebuild") from exc
    if set(ix.schema.names()) != set(schema().names()):
        raise IndexStateError(
            f"{index_dir} is not a docsearch index of this version; "
            "rebuild it with: docsearch index --rebuild")
    return ix


def create_index(index_dir: Path):
    """A new, empty index in index_dir (replacing any index already there)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(index_dir), schema())


def content_hash(path: Path) -> str:
    """A short, stable fingerprint of a file's bytes; DocumentError if it cannot be read."""
    digest = hashlib.blake2b(digest_size=16)
    with open_regular_file(Path(path)) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def paragraph_records(doc: Document, facts: DocumentFacts, digest: str = "") -> list[dict]:
    """One index record per body paragraph, with its metadata."""
    records = []
    date = dt.datetime.combine(doc.date, dt.time()) if doc.date else None
    pairs = zip(doc.paragraphs, facts.paragraphs, strict=False)
    for position, (text, para) in enumerate(pairs):
        people = {name: {"title": person.title, "organisation": person.organisation}
                  for name in para.speakers if (person := facts.people.get(name))}
        record = {
            ID_FIELD: f"{doc.id}#{position}",
            DOCUMENT: doc.id,
            HASH: digest,
            PARAGRAPH: position,
            TITLE: doc.title,
            TITLE_TEXT: doc.title if position == 0 else "",
            TEXT_FIELD: text,
            SPEAKER: SEPARATOR.join(para.speakers),
            ORGANISATION: SEPARATOR.join(para.organisations),
            SPEAKER_TEXT: " ; ".join(para.speakers),
            ORGANISATION_TEXT: " ; ".join(para.organisations),
            DATES: SEPARATOR.join(para.dates),
            PEOPLE: json.dumps(people) if people else "",
            ATTRIBUTIONS: _attributions_json(para),
        }
        if date:
            record.update({DATE: date, YEAR: f"{doc.date:%Y}", MONTH: f"{doc.date:%Y-%m}"})
        records.append(record)
    return records


def _attributions_json(para) -> str:
    """A paragraph's attributions as stored: a JSON list, or "" when there are none."""
    found = [a.as_dict() for a in getattr(para, "attributions", ())]
    return json.dumps(found) if found else ""


def split_values(stored: str | None) -> list[str]:
    """The values of a multi-valued keyword field as stored."""
    return [value for value in (stored or "").split(SEPARATOR) if value]


def read_and_extract(path: Path, root: Path) -> tuple[Document, DocumentFacts]:
    """Read one file and extract its paragraph metadata."""
    doc = read_document(path, root)
    facts = extract_document(doc.paragraphs, doc.title, doc.date)
    return doc, facts


def build_index(
    roots: Iterable[Path],
    index_dir: Path,
    progress: Callable[[int, int, int], None] | None = None,
) -> IndexReport:
    """Index every document under roots into a fresh index at index_dir (a full rebuild)."""
    from search.sync import update_index

    return update_index(roots, index_dir, rebuild=True, progress=progress)


def document_records(path: Path, root: Path, digest: str,
                     report: IndexReport) -> list[dict] | None:
    """The index records of one file, or None (noted in report.skipped) when it is unreadable."""
    try:
        doc, facts = read_and_extract(path, root)
    except DocumentError as exc:
        report.skipped.append((str(path), str(exc)))
        log.info("skipped %s: %s", path, exc)
        return None
    for message in doc.warnings:
        report.warnings.append((str(path), message))
        log.info("%s: %s", path, message)
    return paragraph_records(doc, facts, digest)


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
            self._on_open(searcher)
        return searcher

    def searcher(self):
        """The current searcher, refreshed first if the index changed since the last check."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.CHECK_EVERY_S:
                self._checked = now
                if not self._searcher.up_to_date():
                    # A new searcher rather than refresh(): refresh() may close files that
                    # requests still running on the old searcher are reading.
                    self._searcher = self._opened(self._ix.searcher())
            return self._searcher

    def close(self) -> None:
        """Release the searcher's files."""
        with self._lock:
            self._searcher.close()
