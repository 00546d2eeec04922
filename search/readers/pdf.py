"""PDF files: paragraphs rebuilt from positioned words (pdfplumber), OCR for scanned pages.

Lines are grouped from words; a page with a vertical gutter is read column by column;
running headers, footers and page numbers are dropped; wrapped lines are joined.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
import zlib
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from search.documents import clean_text, parse_date
from search.errors import DocumentError
from search.readers import Part, join_lines, ocr
from search.readers.bounded import run_bounded
from search.transcripts import parse_turn

MAX_PAGES = 2_000
FURNITURE_BAND = 0.12  # headers and footers live in this fraction at the top and bottom
EDGE_LINES = 3  # of those, only the first and last few lines of a page
MIN_GUTTER_PT = 6
TERMINAL = tuple('.!?:;"\u201d\u2019)')
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013\u2014(\[]?\s*\d{1,4}\s*[-\u2013\u2014)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_JUNK_TITLES = re.compile(r"^(?:untitled|microsoft word\b|document\d*$|.*\.(?:docx?|pdf|indd)$)",
                          re.I)


@dataclass
class Line:
    """A line of text on a page, with its position and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    column: int = 0  # 0 spans the page, 1 left column, 2 right column
    furniture: bool = False


def read_pdf(data: bytes, warnings: list[str]) -> list[Part]:
    """The PDF's one document, read in the bounded helper process."""
    part, found = run_bounded(read_pdf_unbounded, data)
    warnings.extend(found)
    return [part]


def read_pdf_unbounded(data: bytes) -> tuple[Part, list[str]]:
    """The PDF read in this process (run_bounded calls it in its helper)."""
    try:
        return _read(data)
    except PdfminerException as exc:  # pdfplumber's wrapper of the parser's own error
        raise _reason(exc.args[0] if exc.args else exc) from exc
    except (PDFPasswordIncorrect, PDFEncryptionError, PSException, zlib.error) as exc:
        raise _reason(exc) from exc


def _reason(exc: BaseException) -> BaseException:
    """What to raise for a parser error: a DocumentError saying why, or MemoryError and
    RecursionError as such (zlib reports the memory limit as "Unable to allocate")."""
    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
        return DocumentError("encrypted PDF (a password is needed)")
    if isinstance(exc, (MemoryError, RecursionError, DocumentError)):
        return exc
    if isinstance(exc, zlib.error) and "allocate" in str(exc):
        return MemoryError()
    return DocumentError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:200]})")


def _read(data: bytes) -> tuple[Part, list[str]]:
    warnings: list[str] = []
    pdf = pdfplumber.open(io.BytesIO(data))
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise DocumentError(f"too many pages ({len(pdf.pages)}; the limit is {MAX_PAGES})")
        lines, scanned = _all_lines(pdf, warnings)
        metadata = pdf.metadata or {}
    if scanned and ocr.available():
        warnings.append(f"{scanned} page{'s' if scanned > 1 else ''} without text read by OCR")
    mark_furniture(lines)
    body = [line for line in lines if not line.furniture]
    title, body = _title(body, metadata)
    date, body = _date(body, metadata)
    paragraphs, pages = paragraphs_of(body)
    return Part("", title, date, paragraphs, author=clean_text(str(metadata.get("Author", ""))),
                pages=pages), warnings


def _all_lines(pdf, warnings: list[str]) -> tuple[list[Line], int]:
    lines: list[Line] = []
    scanned = 0
    for number, page in enumerate(pdf.pages, start=1):
        words = page.extract_words(extra_attrs=["size"], use_text_flow=False)
        if words:
            lines.extend(_page_lines(words, page.width, number))
        elif page.images:
            scanned += 1
            if ocr.available():
                lines.extend(_ocr_lines(page, number))
        page.close()  # drops the page's parsed objects: memory stays one page deep
    if scanned and not ocr.available():
        if not lines:
            raise DocumentError(f"a scanned PDF (no text layer): {ocr.HOW_TO_ENABLE}")
        warnings.append(f"{scanned} scanned page(s) left out: {ocr.HOW_TO_ENABLE}")
    return lines, scanned


def _ocr_lines(page, number: int) -> list[Line]:
    """A scanned page's lines through Tesseract: one Line per OCR line, positions in points."""
    image = page.to_image(resolution=ocr.RESOLUTION).original
    scale = 72 / ocr.RESOLUTION
    lines = ocr.image_lines(image)
    return [Line(text, x0 * scale, x1 * scale, top * scale, bottom * scale, size * scale, number)
            for (text, x0, top, x1, bottom), size in zip(lines, ocr.text_sizes(lines),
                                                         strict=True)]


def _page_lines(words: list[dict], width: float, number: int) -> list[Line]:
    """The page's lines in reading order: full-width lines, then column blocks left first."""
    rows = _rows(words)
    gutter = _gutter(words, rows, width)
    ordered: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for row in rows:
        parts = _split_row(row, gutter) if gutter else None
        if parts is None:
            ordered.extend(left + right)
            left, right = [], []
            ordered.append(_line(row, number, 0))
            continue
        if parts[0]:
            left.append(_line(parts[0], number, 1))
        if parts[1]:
            right.append(_line(parts[1], number, 2))
    return ordered + left + right


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into rows by their top, each row left to right."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        row = rows[-1] if rows else None
        if row and abs(word["top"] - row[0]["top"]) <= max(2.0, 0.4 * row[0]["size"]):
            row.append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _gutter(words: list[dict], rows: list[list[dict]], width: float) -> tuple[float, float] | None:
    """The (start, end) x of a vertical gap between two columns, or None for one column."""
    if len(rows) < 6:
        return None
    cover = [0] * (int(width) + 2)
    for word in words:
        for x in range(max(0, int(word["x0"])), min(len(cover), int(word["x1"]) + 1)):
            cover[x] += 1
    low = max(1, int(len(rows) * 0.15))
    best: tuple[int, int] | None = None
    start = None
    for x in range(int(width * 0.3), int(width * 0.7) + 1):
        if cover[x] <= low:
            start = x if start is None else start
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
        else:
            start = None
    if best is None or best[1] - best[0] < MIN_GUTTER_PT:
        return None
    middle = (best[0] + best[1]) / 2
    both = sum(1 for row in rows if row[0]["x1"] < middle < row[-1]["x0"])
    return (float(best[0]), float(best[1])) if both >= 3 else None


def _split_row(row: list[dict], gutter: tuple[float, float]) -> tuple[list, list] | None:
    """A row's words left and right of the gutter, or None when the row spans it."""
    middle = (gutter[0] + gutter[1]) / 2
    left = [w for w in row if w["x1"] <= middle]
    right = [w for w in row if w["x0"] >= middle]
    if len(left) + len(right) < len(row):
        return None  # a word crosses the gutter
    if left and right and right[0]["x0"] - left[-1]["x1"] < (gutter[1] - gutter[0]) * 0.6:
        return None  # a centred heading with its middle in the gutter
    return left, right


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2043*\u2013-]\s")


def _line(words: list[dict], page: int, column: int) -> Line:
    sizes = [w["size"] for w in words]
    text = " ".join(w["text"] for w in words).translate(_LIGATURES)
    return Line(clean_text(text), words[0]["x0"],
                max(w["x1"] for w in words), min(w["top"] for w in words),
                max(w["bottom"] for w in words), max(sizes), page, column)


def mark_furniture(lines: list[Line]) -> None:
    """Mark page numbers and running headers/footers (the same words at the top or bottom of
    at least half of the pages, digits ignored)."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    candidates: dict[str, set[int]] = {}
    edge_lines: list[tuple[str, Line]] = []
    for page_lines in by_page.values():
        top = min(line.top for line in page_lines)
        bottom = max(line.bottom for line in page_lines)
        height = max(bottom - top, 1.0)
        by_top = sorted(page_lines, key=lambda line: line.top)
        for line in by_top[:EDGE_LINES] + by_top[EDGE_LINES:][-EDGE_LINES:]:
            if (line.top - top <= height * FURNITURE_BAND
                    or bottom - line.bottom <= height * FURNITURE_BAND):
                if _PAGE_NUMBER.match(line.text):
                    line.furniture = True
                    continue
                key = re.sub(r"\d+", "#", line.text.lower())
                candidates.setdefault(key, set()).add(line.page)
                edge_lines.append((key, line))
    pages = len(by_page)
    needed = max(2, (pages + 1) // 2)
    for key, line in edge_lines:
        if len(candidates[key]) >= needed:
            line.furniture = True


def _title(lines: list[Line], metadata: dict) -> tuple[str, list[Line]]:
    """The first page's largest text (when larger than the body), else the metadata title."""
    first = [line for line in lines if line.page == lines[0].page] if lines else []
    body_size = _body_size(lines)
    if first:
        largest = max(line.size for line in first)
        if largest >= body_size * 1.15:
            index = next(i for i, line in enumerate(lines) if line.size == largest)
            end = index
            while (end + 1 < len(lines) and lines[end + 1].page == lines[index].page
                   and abs(lines[end + 1].size - largest) < 0.5):
                end += 1
            title = join_lines([line.text for line in lines[index:end + 1]])
            if len(title) <= 300:
                return title, lines[:index] + lines[end + 1:]
    title = clean_text(str(metadata.get("Title", "")))
    return ("" if _JUNK_TITLES.match(title) else title), lines


def _body_size(lines: list[Line]) -> float:
    """The font size most text is set in."""
    if not lines:
        return 0.0
    weights: dict[float, int] = {}
    for line in lines:
        weights[round(line.size, 1)] = weights.get(round(line.size, 1), 0) + len(line.text)
    return max(weights, key=weights.get)


def _date(lines: list[Line], metadata: dict) -> tuple[dt.date | None, list[Line]]:
    """A date on a line of its own among the first lines, else the metadata's creation date."""
    for index, line in enumerate(lines[:8]):
        for piece in re.split(r"\s+[|\u2022\u00b7\u2013\u2014-]\s+|\s{3,}", line.text):
            found = parse_date(piece)
            if found:  # a line that is only a date is dropped from the text
                rest = lines[:index] + lines[index + 1:] if parse_date(line.text) else lines
                return found, rest
    stamp = str(metadata.get("CreationDate", "")).removeprefix("D:")
    if re.match(r"\d{8}", stamp):
        try:
            return dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8])), lines
        except ValueError:
            pass
    return None, lines


def paragraphs_of(lines: list[Line]) -> tuple[list[str], list[int]]:
    """Lines joined into paragraphs, with the page each paragraph starts on."""
    pitch = _typical_pitch(lines)
    edges = _column_edges(lines)
    groups: list[list[Line]] = []
    for previous, line in zip([None, *lines], lines, strict=False):
        if previous is None or _breaks(previous, line, pitch, edges):
            groups.append([])
        groups[-1].append(line)
    paragraphs, pages = [], []
    for group in groups:
        text = join_lines([line.text for line in group])
        if text:
            paragraphs.append(text)
            pages.append(group[0].page)
    return paragraphs, pages


def _typical_pitch(lines: list[Line]) -> float:
    """The usual distance from one line's top to the next one's in a column."""
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
               if a.page == b.page and a.column == b.column and 0 < b.top - a.top < 4 * a.size]
    return statistics.median(pitches) if pitches else 14.0


def _column_edges(lines: list[Line]) -> dict[tuple[int, int], tuple[float, float]]:
    """The left and right edge of each (page, column)'s text."""
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for line in lines:
        key = (line.page, line.column)
        left, right = edges.get(key, (line.x0, line.x1))
        edges[key] = (min(left, line.x0), max(right, line.x1))
    return edges


def _breaks(previous: Line, line: Line, pitch: float, edges: dict) -> bool:
    """Whether line starts a new paragraph after previous."""
    if parse_turn(line.text) is not None or _BULLET.match(line.text):
        return True  # a speaker's turn in a transcript, an item of a list
    if abs(line.size - previous.size) > 0.15 * max(previous.size, 1.0):
        return True  # a heading, or the text after one
    ends_sentence = previous.text.endswith(TERMINAL)
    if line.page != previous.page or line.column != previous.column:
        return ends_sentence or not line.text[:1].islower()
    if line.top - previous.top > pitch * 1.4:
        return True
    left, right = edges[(line.page, line.column)]
    if line.x0 - left > max(line.size, 6.0) and previous.x0 - left < line.size:
        return True  # a first-line indent
    return ends_sentence and right - previous.x1 > 4 * max(previous.size, 1.0)
