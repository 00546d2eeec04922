"""Paragraphs to facts: who is quoted or reported, which organisations are named, which dates.

The facade over three extractors: search.speakers (attribution, names resolved across the
document), search.organisations (canonical organisation names) and search.dates (ISO dates,
relative ones resolved against the document's date). Extraction reads a whole document at
once, because names, acronyms and open quotes carry from one paragraph to the next.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from search.dates import dates_in
from search.organisations import organisations_in, organisations_in_tokens
from search.speakers import Person, SpeakerReader

__all__ = ["DocumentFacts", "ParagraphFacts", "Person", "canonical_organisation",
           "extract_dates", "extract_document", "extract_organisations"]

_SPACES_RE = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_GLUED_SENTENCE_RE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_LC_HEAD_RE = re.compile(r"\b([A-Z][\w.]*) (department|ministry)\b")


@dataclass
class ParagraphFacts:
    """What one paragraph says: its speakers, organisations and dates."""

    speakers: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


@dataclass
class DocumentFacts:
    """Facts for every paragraph of a document, and the people who speak in it."""

    paragraphs: list[ParagraphFacts]
    people: dict[str, Person]


def extract_document(paragraphs: list[str], title: str | None = None,
                     document_date: dt.date | None = None) -> DocumentFacts:
    """Facts for each paragraph of one document, with names resolved across the document."""
    reader = SpeakerReader()
    if title:
        reader.read_header(normalise(title))
    facts = []
    for paragraph in paragraphs:
        text = normalise(paragraph)
        organisations = reader.organisations.read(text)
        speakers = reader.read_speakers(text)
        facts.append(ParagraphFacts(speakers, organisations, dates_in(text, document_date)))
    return DocumentFacts(paragraphs=facts, people=reader.speaking_people())


def extract_dates(text: str, document_date: dt.date | None = None) -> list[str]:
    """ISO dates and years a text mentions, relative ones resolved against document_date."""
    return dates_in(normalise(text), document_date)


def extract_organisations(text: str) -> list[str]:
    """Canonical names of the organisations a text names, in order of first mention."""
    return organisations_in(normalise(text), {})


def canonical_organisation(name: str) -> str | None:
    """The canonical form of an organisation's name, or None if it does not name one."""
    found = organisations_in_tokens(normalise(name).split(), {})
    return found[0] if len(found) == 1 else None


def normalise(text: str) -> str:
    """Text as the extractors read it: one space between words, plain apostrophes and dashes."""
    text = _SPACES_RE.sub(" ", text).strip()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", " - ")
    text = _GLUED_SENTENCE_RE.sub(" ", text)
    return _LC_HEAD_RE.sub(lambda m: f"{m.group(1)} {m.group(2).capitalize()}", text)
