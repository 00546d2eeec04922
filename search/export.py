"""Export a search: every matching paragraph (bounded) as CSV or JSON Lines rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from search.query import SearchRequest, hit_record, matched_docnums

EXPORT_LIMIT = 10_000  # rows one export holds at most; the total says how many matched
COLUMNS = ("document", "paragraph", "date", "speakers", "organisations", "quote", "text", "link")
FORMATS = ("csv", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets would run as a formula


@dataclass
class Export:
    """The rows of an export, and how many paragraphs matched (more than rows when bounded)."""

    total: int
    rows: list[dict]
    limit: int

    @property
    def truncated(self) -> bool:
        """Whether more paragraphs matched than the export holds."""
        return self.total > len(self.rows)


def paragraph_link(hit: dict) -> str:
    """The web app's path to a hit's paragraph (relative to the server's address)."""
    document = quote(hit["document"] or "", safe="/")
    number = hit["paragraph"]
    return f"/documents/{document}?hl={number}#p{number}"


def quote_of(hit: dict) -> str:
    """A hit's attributed words as plain text, span after span."""
    text = hit.get("text", "")
    spans = sorted({(int(a["quote"][0]), int(a["quote"][1]))
                    for a in hit.get("attributions") or ()})
    return " \u2026 ".join(text[start:end].strip() for start, end in spans
                          if 0 <= start < end <= len(text))


def export_row(hit: dict, link: Callable[[dict], str] = paragraph_link) -> dict:
    """One export row (the COLUMNS) for a hit record."""
    return {"document": hit["document"], "paragraph": hit["paragraph"],
            "date": hit["document_date"], "speakers": hit["speakers"],
            "organisations": hit["organisations"], "quote": quote_of(hit), "text": hit["text"],
            "link": link(hit)}


def export_search(searcher, request: SearchRequest, link: Callable[[dict], str] = paragraph_link,
                  limit: int = EXPORT_LIMIT) -> Export:
    """Every paragraph the request matches, in its sort order, at most limit of them."""
    limit = max(1, min(limit, EXPORT_LIMIT))
    total, found, _ = matched_docnums(searcher, request, limit)
    rows = [export_row(hit_record(searcher.stored_fields(docnum), score), link)
            for docnum, score in found]
    return Export(total=total, rows=rows, limit=limit)


def _cell(value) -> str:
    """A CSV cell: lists joined by "; ", and text a spreadsheet would run as a formula quoted."""
    if isinstance(value, list):
        value = "; ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(rows: Iterable[dict]) -> str:
    """The rows as CSV with a header line (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in COLUMNS])
    return out.getvalue()


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The rows as JSON Lines, one object per line (lists stay lists)."""
    for row in rows:
        yield json.dumps({name: row[name] for name in COLUMNS}, ensure_ascii=False) + "\n"


def export_text(export: Export, fmt: str) -> str:
    """The export in a format: "csv" or "jsonl"."""
    if fmt == "csv":
        return csv_text(export.rows)
    return "".join(jsonl_lines(export.rows))
