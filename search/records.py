"""Documents into index records: read a file, extract each paragraph's speakers,
organisations and dates, and turn them into the records of search.index's schema."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path

from search.documents import Document, read_document, read_documents
from search.errors import DocumentError, failure_reason
from search.extraction import DocumentFacts, extract_document
from search.index import (
    ATTRIBUTIONS,
    AUTHOR,
    DATE,
    DATES,
    DOCUMENT,
    HAS_QUOTE,
    HASH,
    ID_FIELD,
    INDEXED,
    MONTH,
    ORGANISATION,
    ORGANISATION_TEXT,
    PAGE,
    PARAGRAPH,
    PARENT,
    PEOPLE,
    QUOTE,
    QUOTED,
    SEPARATOR,
    SPEAKER,
    SPEAKER_TEXT,
    TEXT_FIELD,
    TITLE,
    TITLE_TEXT,
    YEAR,
    IndexReport,
)

log = logging.getLogger(__name__)


def paragraph_records(doc: Document, facts: DocumentFacts, digest: str = "") -> list[dict]:
    """One index record per body paragraph, with its metadata."""
    records = []
    date = dt.datetime.combine(doc.date, dt.time()) if doc.date else None
    indexed_at = time.time_ns() // 1000  # documents of one run stay in arrival order
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
            QUOTE: quoted_words(text, para),
            INDEXED: indexed_at,
        }
        if getattr(para, "attributions", ()):
            record[HAS_QUOTE] = QUOTED
        if date:
            record.update({DATE: date, YEAR: f"{doc.date:%Y}", MONTH: f"{doc.date:%Y-%m}"})
        if doc.pages:
            record[PAGE] = doc.pages[position]
        record.update({key: value for key, value in ((AUTHOR, doc.author),
                                                     (PARENT, doc.parent)) if value})
        records.append(record)
    return records


def _attributions_json(para) -> str:
    """A paragraph's attributions as stored: a JSON list, or "" when there are none."""
    found = [a.as_dict() for a in getattr(para, "attributions", ())]
    return json.dumps(found) if found else ""


def quoted_words(text: str, para) -> str:
    """The attributed words of a paragraph, span by span (" ; " between, so no phrase spans two)."""
    spans = [text[a.quote[0]:a.quote[1]] for a in getattr(para, "attributions", ())]
    return " ; ".join(span for span in spans if span.strip())


def read_and_extract(path: Path, root: Path) -> tuple[Document, DocumentFacts]:
    """Read one file and extract its paragraph metadata."""
    doc = read_document(path, root)
    facts = extract_document(doc.paragraphs, doc.title, doc.date)
    return doc, facts


def document_records(path: Path, root: Path, digest: str,
                     report: IndexReport) -> list[dict] | None:
    """The index records of one file, or None (noted in report.skipped) when it is unreadable.

    Each document is its own unit of failure: any error reading or extracting it skips it.
    The records carry the hash of the bytes actually parsed (digest is the planned one)."""
    try:  # a mailbox or a message with attachments holds several documents
        pairs = [(doc, extract_document(doc.paragraphs, doc.title, doc.date))
                 for doc in read_documents(path, root)]
    except DocumentError as exc:
        report.skipped.append((str(path), str(exc)))
        log.info("skipped %s: %s", path, exc)
        return None
    except Exception as exc:  # a parser or extractor bug must not end the whole run
        report.skipped.append((str(path), failure_reason(exc)))
        log.debug("skipped %s", path, exc_info=True)
        return None
    for message in pairs[0][0].warnings:  # one list, shared by a file's documents
        report.warnings.append((str(path), message))
        log.info("%s: %s", path, message)
    return [record for doc, facts in pairs
            for record in paragraph_records(doc, facts, doc.digest or digest)]
