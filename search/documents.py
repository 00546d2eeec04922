"""Files to documents: a title, a publication date when stated, and body paragraphs in order."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import importlib
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import htmldate
import trafilatura
import trafilatura.utils
from bs4 import BeautifulSoup, Tag, UnicodeDammit
from bs4.dammit import EncodingDetector

from search.dates import MONTHS
from search.errors import DocumentError

log = logging.getLogger(__name__)
# trafilatura warns "discarding data" for every page without an article; a page it finds
# nothing in is read by markup rules instead, or skipped with a reason of our own.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MAX_BYTES = 20 * 1024 * 1024  # larger files are skipped, so memory stays bounded
MAX_BINARY_BYTES = 200 * 1024 * 1024  # PDFs and mailboxes: parsed in bounded steps
SNIFF_BYTES = 8192
MAX_TITLE_CHARS = 200
MAX_DEPTH = 256  # HTML tags nested deeper are dropped (their text kept), so work stays linear
MAX_TAGS = 200_000  # HTML with more tags (outside script and style) is skipped: ~1 KB each
MAX_EXTRACTOR_TAGS = 20_000  # above, trafilatura (~3x slower, 2x memory) gives way to markup rules
MAX_PARAGRAPHS = 50_000  # a document with more is skipped: each becomes an index record
MAX_PARAGRAPH_CHARS = 10_000  # longer paragraphs are split at spaces: extraction cost grows fast
MAX_LINES = 2_000_000  # a text file with more is skipped: each line is a string in memory

# One character to one character, so offsets found in normalised text are valid in the original.
_SEARCH_CHARS = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2013": "-", "\u2014": "-",
})
_SPACES = re.compile(r"[\s\u00a0\u200b\ufeff]+")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DATE_PATTERNS = [
    re.compile(p, re.I) for p in (
        r"^(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$",
        rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}$",
        rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}$",
        r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})$",
    )
]
_DATE_PREFIX = re.compile(
    r"^(?:(?:date|dated|published|posted|updated|released|issued|for immediate release)"
    r"\s*(?:on)?\s*[:\-–—|]?\s*)", re.I)
_DATE_SUFFIX = re.compile(r"\s*(?:[|,]?\s*\d{1,2}:\d\d.*|\s+\(?[A-Z]{2,4}\)?)$")


@dataclass
class Document:
    """A document as read from a file: what the index and extraction need."""

    id: str
    path: Path
    title: str
    date: dt.date | None
    paragraphs: list[str]
    warnings: list[str] = field(default_factory=list)
    digest: str = ""  # content_digest() of exactly the bytes parsed (the whole file)
    author: str = ""  # an e-mail's sender, a PDF's or Word file's author
    pages: list[int] = field(default_factory=list)  # page of each paragraph (PDF), else []
    parent: str | None = None  # the id of the message an attachment came with
    format: str = ""  # the Format.name it was read as


@dataclass(frozen=True)
class Format:
    """A file format: how it is recognised, who reads it and how large it may be."""

    name: str
    suffixes: tuple[str, ...]
    reader: str  # "module:function", imported on first use; (bytes, warnings) -> [Part]
    large: bool = False  # may be up to MAX_BINARY_BYTES (else MAX_BYTES)
    magic: Callable[[bytes], bool] | None = None  # recognises the format from its first bytes
    text: bool = False  # decoded as text (so binary content is refused)


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def _is_odt(head: bytes) -> bool:
    return (head.startswith(b"PK\x03\x04")
            and b"application/vnd.oasis.opendocument.text" in head[:200])


def _is_docx(head: bytes) -> bool:  # a zip whose first members include word/ (not xl/, ppt/)
    return head.startswith(b"PK\x03\x04") and b"word/" in head


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


# One line per format; the first whose magic matches wins, else the first with the suffix.
FORMATS = (
    Format("PDF", (".pdf",), "search.readers.pdf:read_pdf", large=True, magic=_is_pdf),
    Format("OpenDocument text", (".odt",), "search.readers.office:read_odt", magic=_is_odt),
    Format("Word", (".docx",), "search.readers.office:read_docx", magic=_is_docx),
    Format("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), "search.readers.ocr:read_image",
           magic=_is_image),
    Format("e-mail", (".eml",), "search.readers.mail:read_eml"),
    Format("mailbox", (".mbox",), "search.readers.mail:read_mbox", large=True),
    Format("HTML", (".html", ".htm"), "search.documents:read_html", text=True),
    Format("Markdown", (".md",), "search.documents:read_markdown", text=True),
    Format("text", (".txt",), "search.documents:read_text", text=True),
)
SUFFIXES = frozenset(suffix for fmt in FORMATS for suffix in fmt.suffixes)


def reader_for(name: str, head: bytes) -> Format | None:
    """The format of a file from its first bytes, else from its name; None if unsupported."""
    for fmt in FORMATS:
        if fmt.magic is not None and fmt.magic(head):
            return fmt
    suffix = os.path.splitext(name)[1].lower()
    return next((fmt for fmt in FORMATS if suffix in fmt.suffixes), None)


def unsupported_reason(path: Path) -> str:
    """Why a file is not read: its format, and the formats that are."""
    suffix = path.suffix.lower() or "no suffix"
    return f"unsupported format ({suffix}); docsearch reads {' '.join(sorted(SUFFIXES))}"


def read_parts(data: bytes, fmt: Format, warnings: list[str]) -> list:
    """The Parts fmt's reader finds in data (DocumentError when it cannot)."""
    module, function = fmt.reader.split(":")
    return getattr(importlib.import_module(module), function)(data, warnings)


def content_hasher():
    """A new hash object of the index's content fingerprint (feed it bytes, then hexdigest)."""
    return hashlib.blake2b(digest_size=16)


def content_digest(data: bytes) -> str:
    """A short, stable fingerprint of a document's bytes (the index's content hash)."""
    digest = content_hasher()
    digest.update(data)
    return digest.hexdigest()


def normalise_for_search(text: str) -> str:
    """Text with non-breaking spaces, curly quotes and dashes made plain, same length."""
    return text.translate(_SEARCH_CHARS)


def clean_text(text: str) -> str:
    """Text with runs of whitespace collapsed to one space, as shown to readers."""
    return _SPACES.sub(" ", text).strip()


def parse_date(text: str) -> dt.date | None:
    """The date a short line states on its own (`May 16, 2017`, `2017-05-16`), else None."""
    line = normalise_for_search(clean_text(text)).strip(" .")
    line = _DATE_PREFIX.sub("", line)
    for candidate in (line, _DATE_SUFFIX.sub("", line)):
        for pattern in _DATE_PATTERNS:
            match = pattern.match(candidate)
            if match:
                return _date_from_match(match)
    return None


def _date_from_match(match: re.Match) -> dt.date | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(match["year"]), month_number, int(match["day"]))
    except ValueError:
        return None


def iter_document_paths(root: Path, skipped: list[tuple[str, str]] | None = None
                        ) -> Iterator[Path]:
    """Files under root (or root itself) that look like documents, in a stable order.

    Symlinked files are followed only when they resolve inside root; symlinked folders are not
    entered. What is left out is appended to skipped as (path, reason), else logged.
    """
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.name.startswith("."):
            continue
        if path.is_symlink():
            reason = symlink_problem(path, root)
            if reason:
                _note_skipped(path, reason, skipped)
                continue
        if path.suffix.lower() not in SUFFIXES:
            if path.is_file() and not path.is_symlink():
                _note_skipped(path, unsupported_reason(path), skipped)
            continue
        if path.is_file():
            yield path
        elif path.exists() and not path.is_dir():
            _note_skipped(path, "not a regular file", skipped)


def symlink_problem(path: Path, root: Path) -> str | None:
    """Why a symlink under root must not be read, or None when it is a file inside root."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a broken or looping symlink" if path.suffix.lower() in SUFFIXES else None
    if not target.is_relative_to(root.resolve()):
        return "a symlink to a file outside the corpus" if target.is_file() else (
            "a symlink to a folder outside the corpus (not followed)")
    if target.is_dir():
        return "a symlinked folder (not followed)"
    return None


def _note_skipped(path: Path, reason: str, skipped: list[tuple[str, str]] | None) -> None:
    if skipped is None:
        log.warning("skipped %s: %s", path, reason)
    else:
        skipped.append((str(path), reason))


def document_id(path: Path, root: Path) -> str:
    """The document's id: its path relative to the corpus root, with forward slashes."""
    if root.is_file() or root == path:
        return path.name
    return path.relative_to(root).as_posix()


def original_file(corpus: Path, doc_id: str) -> Path | None:
    """The corpus file a document was read from (a mailbox for its messages, a message for
    its attachments), or None when no regular file inside the corpus has that id."""
    base = Path(corpus).resolve()
    parts = doc_id.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    for end in range(len(parts), 0, -1):
        candidate = base.joinpath(*parts[:end])
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if resolved.is_relative_to(base) and resolved.is_file():
            return resolved
    return None


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read a file into a Document (the first, for a mailbox); DocumentError naming what is
    wrong."""
    return read_documents(path, root)[0]


def read_documents(path: Path, root: Path | None = None) -> list[Document]:
    """Every document a file holds: itself, or a mailbox's messages, then attachments (ids
    `message.eml/attachment.pdf`). DocumentError naming what is wrong."""
    path = Path(path)
    if root is not None and Path(root).is_dir() and path.is_symlink():
        reason = symlink_problem(path, Path(root))
        if reason:
            raise DocumentError(reason)
    data, fmt = _read_bytes(path)
    warnings: list[str] = []
    doc_id = document_id(path, root) if root is not None else path.name
    digest = content_digest(data)
    documents = []
    for part in read_parts(data, fmt, warnings):
        if not part.paragraphs:
            if part.name:
                warnings.append(f"{part.name}: no text found")
            continue
        paragraphs = _split_long(part.paragraphs, warnings)
        if len(paragraphs) > MAX_PARAGRAPHS:
            raise DocumentError(f"too many paragraphs ({len(paragraphs)}; the limit is "
                                f"{MAX_PARAGRAPHS})")
        pages = part.pages if len(part.pages) == len(paragraphs) else []
        parent = None if part.parent is None else "/".join(filter(None, (doc_id, part.parent)))
        documents.append(Document(
            "/".join(filter(None, (doc_id, part.name))), path,
            part.title or _title_from_name(Path(part.name or path.name)), part.date,
            paragraphs, warnings, digest=digest, author=part.author, pages=pages,
            parent=parent, format=fmt.name))
    if not documents:
        raise DocumentError("no text found")
    return documents


def read_text(data: bytes, warnings: list[str]) -> list:
    """A plain text file as one Part."""
    return _text_part(data, warnings, ".txt")


def read_markdown(data: bytes, warnings: list[str]) -> list:
    """A Markdown file as one Part (the title's `#` marks removed)."""
    return _text_part(data, warnings, ".md")


def read_html(data: bytes, warnings: list[str]) -> list:
    """An HTML page as one Part."""
    from search.readers import Part

    return [Part("", *_parse_html(data, warnings))]


def html_paragraphs(data: bytes, warnings: list[str]) -> list[str]:
    """The body paragraphs of HTML (for e-mail bodies)."""
    return _parse_html(data, warnings)[2]


def _text_part(data: bytes, warnings: list[str], suffix: str) -> list:
    from search.readers import Part

    if _looks_like_html(data):
        return read_html(data, warnings)
    return [Part("", *_parse_text(_decode_text(data, warnings), suffix))]


def open_regular_file(path: Path) -> BinaryIO:
    """The file opened for reading; DocumentError if it is not a regular file or unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the indexer
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    handle = open(fd, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise DocumentError("not a regular file")
    return handle


def _read_bytes(path: Path) -> tuple[bytes, Format]:
    """The file's bytes and format, read through one handle so a file swapped meanwhile is
    not mixed in."""
    with open_regular_file(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(SNIFF_BYTES)
            fmt = reader_for(path.name, head)
            if fmt is None:
                raise DocumentError(unsupported_reason(path))
            limit = MAX_BINARY_BYTES if fmt.large else MAX_BYTES
            _check_size(size, limit)
            data = head + handle.read(max(0, limit + 1 - len(head)))
        except OSError as exc:
            raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    _check_size(len(data), limit)  # it grew while being read
    if not data.strip():
        raise DocumentError("empty file")
    if fmt.text and _bom_encoding(data) is None and _looks_binary(data):
        raise DocumentError("binary file, not text or HTML")
    return data, fmt


def _check_size(size: int, limit: int = MAX_BYTES) -> None:
    if size > limit:
        raise DocumentError(f"too large ({size / (1024 * 1024):.1f} MB; the limit is "
                            f"{limit // (1024 * 1024)} MB)")


def _split_long(paragraphs: list[str], warnings: list[str]) -> list[str]:
    """Paragraphs with any longer than MAX_PARAGRAPH_CHARS cut at spaces (a warning says so)."""
    if all(len(text) <= MAX_PARAGRAPH_CHARS for text in paragraphs):
        return paragraphs
    pieces: list[str] = []
    long = 0
    for text in paragraphs:
        long += len(text) > MAX_PARAGRAPH_CHARS
        start = 0
        while len(text) - start > MAX_PARAGRAPH_CHARS:
            cut = text.rfind(" ", start + MAX_PARAGRAPH_CHARS // 2, start + MAX_PARAGRAPH_CHARS)
            cut = cut if cut > 0 else start + MAX_PARAGRAPH_CHARS
            pieces.append(text[start:cut].strip())
            start = cut
        pieces.append(text[start:].strip())
    warnings.append(f"{long} paragraph{'' if long == 1 else 's'} longer than "
                    f"{MAX_PARAGRAPH_CHARS} characters split into pieces")
    return [piece for piece in pieces if piece]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a byte order mark at the start names (UTF-32 checked before UTF-16)."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\v\x1b")
    return controls > len(head) * 0.05


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _decode_text(data: bytes, warnings: list[str]) -> str:
    encoding = _bom_encoding(data)
    if encoding and encoding != "utf-8-sig":
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            warnings.append(f"not valid {encoding.upper()}; undecodable bytes replaced")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    dammit = UnicodeDammit(data, ["windows-1252", "latin-1"])
    encoding = dammit.original_encoding or "latin-1"
    warnings.append(f"not valid UTF-8; read as {encoding}")
    return dammit.unicode_markup if dammit.unicode_markup is not None else data.decode("latin-1")


def _title_from_name(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name


def _parse_text(text: str, suffix: str) -> tuple[str, dt.date | None, list[str]]:
    blocks = _text_blocks(text)
    if not blocks:
        return "", None, []
    first_lines = blocks[0]
    title = ""
    if len(first_lines[0]) <= MAX_TITLE_CHARS:
        title = first_lines.pop(0)
        if suffix == ".md":
            title = title.lstrip("#").strip()
        if not first_lines:
            blocks.pop(0)
    date = None
    for index, lines in enumerate(blocks[:3]):
        found = parse_date(lines[0])
        if found:
            date = found
            lines.pop(0)
            if not lines:
                blocks.pop(index)
            break
    paragraphs = [clean_text(" ".join(lines)) for lines in blocks]
    return title, date, [p for p in paragraphs if p]


def _text_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty stripped lines.

    DocumentError when there are more lines or blocks than a document may have.
    """
    lines = max(text.count("\n"), text.count("\r"))
    if lines > MAX_LINES:
        raise DocumentError(f"too many lines ({lines}; the limit is {MAX_LINES})")
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_text(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            if len(blocks) > MAX_PARAGRAPHS + 2:  # + title and date blocks
                raise DocumentError(f"too many paragraphs (more than {MAX_PARAGRAPHS}; "
                                    f"the limit is {MAX_PARAGRAPHS})")
            blocks.append([])
    return [block for block in blocks if block]


_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "iframe", "svg", "button", "select", "object", "embed", "menu", "dialog")
_BLOCK_TAGS = ("p", "blockquote", "li", "pre", "dd", "figcaption")
_DATE_META = ("article:published_time", "date", "pubdate", "publishdate", "publish-date",
              "dc.date", "dcterms.date", "dc.date.issued", "og:published_time",
              "sailthru.date", "parsely-pub-date", "article.published", "datepublished")
_BOILERPLATE_HINT = re.compile(
    r"\b(nav|menu|footer|header|sidebar|share|social|cookie|subscribe|related|comments?|"
    r"breadcrumbs?|advert|promo|newsletter|byline|dateline|timestamp|published|pubdate)\b",
    re.I)


def _parse_html(data: bytes, warnings: list[str]) -> tuple[str, dt.date | None, list[str]]:
    markup = _without_raw_text(_decode_html(data, warnings))
    tags = _check_markup_bounds(markup)
    try:  # parsers raise on some hostile markup (AssertionError, ValueError, ...): that file only
        return _read_html(markup, tags, warnings)
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:  # any parser failure names this file and never stops a run
        raise DocumentError(f"unreadable HTML ({type(exc).__name__})") from exc


def _read_html(markup: str, tags: int, warnings: list[str]
               ) -> tuple[str, dt.date | None, list[str]]:
    soup = BoundedSoup(markup)
    if soup.dropped:
        warnings.append(f"{soup.dropped} tags nested deeper than {MAX_DEPTH} levels were "
                        "flattened")
        markup = str(soup)  # what lxml and trafilatura see is the flattened tree
    title = _html_title(soup)
    date = _publication_date(markup, soup)
    standfirst = _standfirst(soup)
    paragraphs = []
    if tags <= MAX_EXTRACTOR_TAGS:
        paragraphs = _article_paragraphs(markup)
    else:
        warnings.append(f"{tags} tags, more than {MAX_EXTRACTOR_TAGS}: the text was taken "
                        "by markup rules, without article extraction")
    if len(paragraphs) <= 1:  # nothing, or trafilatura's baseline glued a short page together
        by_markup = _soup_paragraphs(soup)
        if not paragraphs or len(by_markup) > 1 and _found_in_order(by_markup, paragraphs[0]):
            paragraphs = by_markup
    if standfirst and not any(text.startswith(standfirst) for text in paragraphs):
        paragraphs.insert(0, standfirst)
    return title, date, [text for text in paragraphs if not _is_heading_line(text, title, date)]


def _found_in_order(pieces: list[str], text: str) -> bool:
    """Whether every piece occurs in text, each after the previous one (one pass over text)."""
    position = 0
    for piece in pieces:
        position = text.find(piece, position)
        if position < 0:
            return False
        position += len(piece)
    return True


def _is_heading_line(text: str, title: str, date: dt.date | None) -> bool:
    """The title repeated, a date line, or a line of mere punctuation (`___`)."""
    if text == title or not any(char.isalnum() for char in text):
        return True
    return date is not None and len(text) < 60 and parse_date(text) == date


_PARAGRAPH_START = re.compile(r"<p(?=[\s/>])", re.I)


def _check_markup_bounds(markup: str) -> int:
    """The number of tags; DocumentError when there are more tags or `<p>`s than a page may have.

    Counted on the text before any parser runs, so a hostile page costs a regex scan only.
    """
    tags = len(_START_TAG.findall(markup))
    if tags > MAX_TAGS:
        raise DocumentError(f"too much markup ({tags} tags; the limit is {MAX_TAGS})")
    paragraphs = len(_PARAGRAPH_START.findall(markup))
    if paragraphs > MAX_PARAGRAPHS:
        raise DocumentError(f"too many paragraphs ({paragraphs} <p> tags; the limit is "
                            f"{MAX_PARAGRAPHS})")
    return tags


_BLANK_LINE_BREAKS = re.compile(r"(?:<br\s*/?>\s*){2,}", re.I)


def _article_paragraphs(markup: str) -> list[str]:
    """The article body's paragraphs as trafilatura finds them (comments left out), or []."""
    markup = _BLANK_LINE_BREAKS.sub("</p><p>", markup)  # it would merge `<br><br>` into one
    tree = trafilatura.utils.load_html(markup)
    if tree is None:
        return []
    _drop_teasers(tree)
    _drop_captions(tree)
    found = trafilatura.bare_extraction(tree, include_comments=False, with_metadata=False)
    body = getattr(found, "body", None)
    if body is None:
        return []
    paragraphs: list[str] = []
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if element.tag in _TRAFILATURA_BLOCKS:
            paragraphs.extend(_split_at_blank_lines(element))
        elif element.tag not in _TRAFILATURA_SKIP:
            stack.extend(reversed(element))
    return paragraphs


MIN_TEASERS = 3  # a page with this many <article> elements may list other stories ...
MAX_TEASER_CHARS = 400  # ... in short cards (a linked headline and a line): no body text


def _drop_teasers(tree) -> None:
    """Remove the teaser cards of a page that lists several `<article>`s (trafilatura keeps
    them all): short ones a fifth or more of whose text is links. Live-blog posts stay."""
    articles = list(tree.iter("article"))
    if len(articles) < MIN_TEASERS:
        return
    for article in articles:
        if article.getparent() is not None and _is_teaser(article):
            article.drop_tree()  # keeps the text that follows it


def _is_teaser(article) -> bool:
    length = len(article.text_content())
    linked = sum(len(link.text_content()) for link in article.iter("a"))
    return length <= MAX_TEASER_CHARS and linked * 5 >= length


_CAPTION_HINT = re.compile(r"caption|cutline|credit|gallery|slideshow", re.I)
_CONTAINERS = frozenset({"html", "body", "main", "article"})


def _drop_captions(tree) -> None:
    """Remove short photo captions, credits and galleries (trafilatura keeps those in divs)."""
    for element in list(tree.iter("div", "span", "p", "section", "figure", "figcaption")):
        hints = (element.get("class") or "") + " " + (element.get("id") or "")
        if (_CAPTION_HINT.search(hints) and element.getparent() is not None
                and element.tag not in _CONTAINERS
                and len(element.text_content()) <= MAX_TEASER_CHARS):
            element.drop_tree()


_TRAFILATURA_BLOCKS = frozenset({"p", "item", "row", "code"})
_TRAFILATURA_SKIP = frozenset({"head", "graphic"})
_BREAK = "\x00"
_BLANK_LINE = re.compile(_BREAK + r"\s*" + _BREAK + r"[\s" + _BREAK + "]*")


def _split_at_blank_lines(element) -> list[str]:
    """An element's text, one paragraph per run between blank-line breaks (`<br><br>`)."""
    pieces: list[str] = []
    for node in element.iter():
        if node is not element and node.tag == "lb":
            pieces.append(_BREAK)
        elif node.text:
            pieces.append(node.text)
        if node is not element and node.tail:
            pieces.append(node.tail)
    texts = (clean_text(piece.replace(_BREAK, " ")) for piece in
             _BLANK_LINE.split("".join(pieces)))
    return [text for text in texts if text]


def _soup_paragraphs(soup: BeautifulSoup) -> list[str]:
    """Paragraphs by markup heuristics, when trafilatura finds no article body."""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ("navigation", "banner", "contentinfo")}):
        tag.decompose()
    container = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
    return _html_blocks(container or soup.body or soup)


_FURNITURE = ("nav", "aside", "footer")  # not "form": some sites wrap the whole page in one


def _standfirst(soup: BeautifulSoup) -> str:
    """The page's summary line when a `<p>` of the page shows it (a standfirst), else ''."""
    description = _meta_content(soup, ({"property": "og:description"},
                                       {"name": "description"}))
    if len(description) < 40:
        return ""
    for tag in soup.find_all("p"):
        if clean_text(tag.get_text(" ")) == description and not tag.find_parent(_FURNITURE):
            return description
    return ""


def _meta_content(soup: BeautifulSoup, keys: tuple[dict[str, str], ...]) -> str:
    for attrs in keys:
        meta = soup.find("meta", attrs=attrs)
        if meta and meta.get("content"):
            return clean_text(meta["content"])
    return ""


def _publication_date(markup: str, soup: BeautifulSoup) -> dt.date | None:
    """The page's original publication date: htmldate first (URL, meta, JSON-LD), then tags."""
    url = _meta_content(soup, ({"property": "og:url"},))
    canonical = soup.find("link", rel="canonical", href=True)
    if not url and canonical:
        url = canonical["href"]
    found = htmldate.find_date(markup, extensive_search=False, original_date=True,
                               url=url or None)
    if found:
        return dt.date.fromisoformat(found)
    return _html_date(soup)


_START_TAG = re.compile(r"<[A-Za-z]")
_RAW_TEXT_OPEN = re.compile(r"<(script|style)(?=[\s/>])[^>]*>", re.I)
_JSON_LD = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.I)
MAX_JSON_LD_CHARS = 100_000  # structured data kept for the date and title; larger is dropped
_RAW_TEXT_CLOSE = {"script": re.compile(r"</script", re.I), "style": re.compile(r"</style", re.I)}


def _without_raw_text(markup: str) -> str:
    """Markup with the contents of script and style elements removed, in linear time.

    They are never indexed, and megabytes of script would otherwise become parser work.
    JSON-LD structured data up to MAX_JSON_LD_CHARS is kept: it states publication dates.
    An unclosed one runs to the end, as html.parser reads it.
    """
    pieces, position = [], 0
    while opened := _RAW_TEXT_OPEN.search(markup, position):
        pieces.append(markup[position:opened.end()])
        closed = _RAW_TEXT_CLOSE[opened[1].lower()].search(markup, opened.end())
        if closed is None:
            return "".join(pieces)
        position = closed.start()
        if _JSON_LD.search(opened[0]) and position - opened.end() <= MAX_JSON_LD_CHARS:
            pieces.append(markup[opened.end():position])  # dates and titles live here
        elif position == opened.end():  # empty: step past the end tag to find the next one
            pieces.append(closed[0])
            position = closed.end()
    pieces.append(markup[position:])
    return "".join(pieces)


class BoundedSoup(BeautifulSoup):
    """An html.parser tree at most MAX_DEPTH tags deep: deeper tags are dropped, text kept.

    Deep nesting makes parent walks quadratic; returning None from handle_starttag is
    BeautifulSoup's documented way to leave a tag out.
    """

    def __init__(self, markup: str):
        self.dropped = 0
        self._open_dropped: Counter[str] = Counter()
        super().__init__(markup, "html.parser")

    def handle_starttag(self, name, *args, **kwargs):
        """A new tag, or None (dropped) when the tree is already MAX_DEPTH deep."""
        if len(self.tagStack) > MAX_DEPTH:
            self.dropped += 1
            self._open_dropped[name] += 1
            return None
        return super().handle_starttag(name, *args, **kwargs)

    def handle_endtag(self, name, nsprefix=None):
        """Close a tag; the end tag of a dropped one is dropped too."""
        if self._open_dropped[name]:
            self._open_dropped[name] -= 1
            return
        super().handle_endtag(name, nsprefix)


def _decode_html(data: bytes, warnings: list[str]) -> str:
    """HTML as text: its declared charset if any, else UTF-8, else a guess with a warning."""
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared:
        dammit = UnicodeDammit(data, [declared], is_html=True)
        if dammit.unicode_markup is not None and dammit.original_encoding == declared:
            return dammit.unicode_markup
        warnings.append(f"declared encoding {declared} does not fit; guessed")
    return _decode_text(data, warnings)


def _html_blocks(container) -> list[str]:
    blocks = _outer_blocks(container)
    if not blocks:
        text = container.get_text("\n")
        return [line for line in (clean_text(raw) for raw in text.split("\n")) if line]
    texts = (clean_text(tag.get_text(" ")) for tag in blocks)
    return [text for text in texts if text]


def _outer_blocks(container) -> list:
    """Block tags in the container not inside another block or boilerplate, in order.

    One walk down the tree (not one walk up per tag), so it stays linear in the tree size.
    """
    if getattr(container, "find_parent", None) and container.find_parent(_BLOCK_TAGS):
        return []
    blocks = []
    stack = [(child, False) for child in reversed(_child_tags(container))]
    while stack:
        tag, in_boilerplate = stack.pop()
        in_boilerplate = in_boilerplate or _has_boilerplate_hint(tag)
        if tag.name in _BLOCK_TAGS:
            if not in_boilerplate:
                blocks.append(tag)
            continue
        stack.extend((child, in_boilerplate) for child in reversed(_child_tags(tag)))
    return blocks


def _child_tags(tag) -> list:
    return [child for child in tag.children if isinstance(child, Tag)]


def _has_boilerplate_hint(tag) -> bool:
    hints = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(_BOILERPLATE_HINT.search(hints))


def _html_title(soup: BeautifulSoup) -> str:
    """og:title (or another title meta) unless it is the h1 plus a site name, else h1, title."""
    title = _meta_content(soup, ({"property": "og:title"}, {"name": "title"},
                                 {"name": "twitter:title"}))
    h1 = soup.find("h1")
    heading = clean_text(h1.get_text(" ")) if h1 else ""
    if heading and (not title or _is_site_suffixed(title, heading)):
        return heading
    if not title and soup.title:
        title = clean_text(soup.title.get_text(" "))
    return title


def _is_site_suffixed(title: str, heading: str) -> bool:
    """Whether title is heading followed by a separator and more (`Story - Site`)."""
    rest = title[len(heading):].lstrip() if title.startswith(heading) else ""
    return rest[:1] in tuple("-|\u2013\u2014:\u00b7\u2022\u00bb") and len(rest) > 1


def _html_date(soup: BeautifulSoup) -> dt.date | None:
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and meta.get("content"):
            found = parse_date(meta["content"][:10]) or parse_date(meta["content"])
            if found:
                return found
    for time in soup.find_all("time"):
        found = parse_date((time.get("datetime") or "")[:10]) or parse_date(time.get_text(" "))
        if found:
            return found
    for tag in soup.find_all(class_=re.compile(r"byline|date|dateline|published", re.I)):
        for piece in re.split(r"[|\u2022·]", tag.get_text(" ")):
            found = parse_date(piece)
            if found:
                return found
    return None
