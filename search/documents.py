"""Files to documents: a title, a publication date when stated, and body paragraphs in order."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, UnicodeDammit
from bs4.dammit import EncodingDetector

from search.errors import DocumentError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024  # larger files are skipped, so memory stays bounded
MAX_TITLE_CHARS = 200

# One character to one character, so offsets found in normalised text are valid in the original.
_SEARCH_CHARS = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2013": "-", "\u2014": "-",
})
_SPACES = re.compile(r"[\s\u00a0\u200b\ufeff]+")

_MONTHS = {m.lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December".split(),
    start=1)}
_MONTHS.update({m[:3].lower(): i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
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
    month_number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(match["year"]), month_number, int(match["day"]))
    except ValueError:
        return None


def iter_document_paths(root: Path) -> Iterator[Path]:
    """Files under root (or root itself) that look like documents, in a stable order."""
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in SUFFIXES:
            yield path


def document_id(path: Path, root: Path) -> str:
    """The document's id: its path relative to the corpus root, with forward slashes."""
    if root.is_file() or root == path:
        return path.name
    return path.relative_to(root).as_posix()


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read a text or HTML file into a Document; raise DocumentError naming what is wrong."""
    path = Path(path)
    data = _read_bytes(path)
    warnings: list[str] = []
    doc_id = document_id(path, root) if root is not None else path.name
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
        title, date, paragraphs = _parse_html(data, warnings)
    else:
        title, date, paragraphs = _parse_text(_decode_text(data, warnings), path.suffix.lower())
    if not paragraphs:
        raise DocumentError("no text found")
    return Document(doc_id, path, title or _title_from_name(path), date, paragraphs, warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(f"too large ({size // (1024 * 1024)} MB; the limit is "
                                f"{MAX_BYTES // (1024 * 1024)} MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise DocumentError("empty file")
    if _looks_binary(data):
        raise DocumentError("binary file, not text or HTML")
    return data


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
    """Blank-line separated blocks, each a list of its non-empty stripped lines."""
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_text(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
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
    soup = BeautifulSoup(_decode_html(data, warnings), "html.parser")
    title = _html_title(soup)
    date = _html_date(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ("navigation", "banner", "contentinfo")}):
        tag.decompose()
    container = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
    container = container or soup.body or soup
    paragraphs = []
    for text in _html_blocks(container):
        if text == title or parse_date(text) == date and date is not None and len(text) < 60:
            continue
        paragraphs.append(text)
    return title, date, paragraphs


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
    blocks = [
        tag for tag in container.find_all(_BLOCK_TAGS)
        if not tag.find_parent(_BLOCK_TAGS) and not _is_boilerplate(tag, container)
    ]
    if not blocks:
        text = container.get_text("\n")
        return [line for line in (clean_text(raw) for raw in text.split("\n")) if line]
    texts = (clean_text(tag.get_text(" ")) for tag in blocks)
    return [text for text in texts if text]


def _is_boilerplate(tag, container) -> bool:
    for parent in [tag, *tag.parents]:
        if parent is container:
            return False
        hints = " ".join(parent.get("class") or []) + " " + (parent.get("id") or "")
        if _BOILERPLATE_HINT.search(hints):
            return True
    return False


def _html_title(soup: BeautifulSoup) -> str:
    for attrs in ({"property": "og:title"}, {"name": "title"}, {"name": "twitter:title"}):
        meta = soup.find("meta", attrs=attrs)
        if meta and meta.get("content"):
            return clean_text(meta["content"])
    for tag in (soup.find("h1"), soup.title):
        if tag and tag.get_text(strip=True):
            return clean_text(tag.get_text(" "))
    return ""


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
