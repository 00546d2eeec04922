"""PDF, OCR and mailbox reading: paragraph quality, pages per second and peak memory.

    python bench/formats.py [--pages N] [--ocr-pages N] [--messages N] [--json]

On PDFs the tests also build (tests/format_fixtures.py: two columns with a running header
and page numbers, drawn column by column and row by row; a transcript): the share of
paragraphs read exactly, and pages per second, for docsearch's reader (pdfplumber with
layout rules) and, when installed, pypdf's plain text (lines joined up to a full stop) for
comparison. Then OCR pages per second on an image-only PDF (when Tesseract is installed),
peak RSS of the reader process on an N-page PDF (default 500), and a mailbox of N messages.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search.documents import read_documents  # noqa: E402
from search.readers import bounded, ocr  # noqa: E402
from search.readers.pdf import read_pdf_unbounded  # noqa: E402
from tests import format_fixtures as fx  # noqa: E402


def exact_share(found: list[str], expected: list[str]) -> float:
    """Paragraphs read exactly, as a share of all paragraphs found and expected (Dice)."""
    found_counts, expected_counts = Counter(found), Counter(expected)
    matched = sum(min(count, found_counts[text]) for text, count in expected_counts.items())
    return 2 * matched / (len(found) + len(expected)) if found or expected else 1.0


def pypdf_paragraphs(data: bytes) -> tuple[list[str], int]:
    """pypdf's text, lines joined until one ends a sentence (it gives no positions)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    paragraphs: list[str] = []
    current: list[str] = []
    for page in reader.pages:
        for line in page.extract_text().splitlines():
            if line.strip():
                current.append(line.strip())
            if current and line.rstrip().endswith((".", "?", "!")):
                paragraphs.append(fx_join(current))
                current = []
    if current:
        paragraphs.append(fx_join(current))
    return paragraphs, len(reader.pages)


def fx_join(lines: list[str]) -> str:
    from search.readers import join_lines

    return join_lines(lines)


def docsearch_paragraphs(data: bytes) -> tuple[list[str], int]:
    part, _warnings = read_pdf_unbounded(data)
    return part.paragraphs, max(part.pages or [1])


def quality(folder: Path) -> dict:
    """Exact-paragraph share and pages/s per library on the test PDFs."""
    ferry = [text for page in range(1, 21) for text in fx.ferry_page(page)]
    cases = {
        "two columns": (fx.two_column_pdf(folder / "a.pdf", pages=20), ferry),
        "two columns, drawn row by row": (
            fx.two_column_pdf(folder / "b.pdf", pages=20, interleaved=True), ferry),
        "transcript": (fx.transcript_pdf(folder / "c.pdf"), fx.TRANSCRIPT_TURNS),
    }
    readers = {"docsearch (pdfplumber)": docsearch_paragraphs}
    if importlib.util.find_spec("pypdf"):
        readers["pypdf text"] = pypdf_paragraphs
    results: dict = {}
    for label, read in readers.items():
        for case, (path, expected) in cases.items():
            data = path.read_bytes()
            start = time.perf_counter()
            paragraphs, pages = read(data)
            seconds = time.perf_counter() - start
            results.setdefault(label, {})[case] = {
                "exact_paragraphs": round(exact_share(paragraphs, expected), 3),
                "pages_per_s": round(pages / seconds, 1)}
    return results


def ocr_speed(folder: Path, pages: int) -> dict:
    """OCR pages per second on an image-only PDF of `pages` scanned pages."""
    if not ocr.available():
        return {"skipped": "Tesseract is not installed"}
    path = fx.scanned_pdf(folder / "scan.pdf", pages)
    expected = [text for page in range(1, pages + 1) for text in fx.scanned_text(page)]
    start = time.perf_counter()
    (doc,) = read_documents(path)
    seconds = time.perf_counter() - start
    return {"pages": pages, "pages_per_s": round(pages / seconds, 2),
            "exact_paragraphs": round(exact_share(doc.paragraphs, expected), 3)}


def big_pdf(folder: Path, pages: int) -> dict:
    """Seconds and the reader process's peak RSS for a `pages`-page two-column PDF."""
    path = fx.two_column_pdf(folder / "big.pdf", pages=pages)
    start = time.perf_counter()
    (doc,) = read_documents(path)
    seconds = time.perf_counter() - start
    return {"pages": pages, "megabytes": round(path.stat().st_size / 2**20, 1),
            "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 1),
            "paragraphs": len(doc.paragraphs),
            "reader_peak_rss_mb": round(bounded.last_peak_rss_kb / 1024, 1)}


def mailbox(folder: Path, messages: int) -> dict:
    """Seconds and this process's peak RSS growth reading a mailbox of `messages`."""
    path = folder / "box.mbox"
    path.write_bytes(fx.mbox_bytes(messages))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    docs = read_documents(path, folder)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"messages": messages, "megabytes": round(path.stat().st_size / 2**20, 1),
            "documents": len(docs), "seconds": round(seconds, 1),
            "peak_rss_growth_mb": round((after - before) / 1024, 1),
            "process_peak_rss_mb": round(after / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them (a table, or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--ocr-pages", type=int, default=4)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {"quality": quality(folder), "ocr": ocr_speed(folder, args.ocr_pages),
                   "big_pdf": big_pdf(folder, args.pages),
                   "mailbox": mailbox(folder, args.messages)}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for label, cases in results["quality"].items():
        for case, numbers in cases.items():
            print(f"{label:24} {case:32} exact {numbers['exact_paragraphs']:.0%}  "
                  f"{numbers['pages_per_s']} pages/s")
    for key in ("ocr", "big_pdf", "mailbox"):
        print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in results[key].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
