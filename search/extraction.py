"""Paragraphs to facts: who is quoted or reported, which organisations are named, which dates.

The facade over three extractors: search.speakers (attribution, names resolved across the
document), search.organisations (canonical organisation names) and search.dates (ISO dates,
relative ones resolved against the document's date). Extraction reads a whole document at
once, because names, acronyms and open quotes carry from one paragraph to the next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from search.attributions import Attribution
from search.dates import DateReader, dates_in
from search.organisations import organisations_in, organisations_in_tokens
from search.speakers import Person, SpeakerReader

__all__ = ["DocumentFacts", "ParagraphFacts", "Person", "canonical_organisation",
           "extract_dates", "extract_document", "extract_organisations"]

_SPACES_RE = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_GLUED_SENTENCE_RE = re.compile(r"(?=[A-Z][a-z])(?<=[a-z]{2}[.!?])")
# The spaces normalise() changes: runs, and any space that is not a plain one.
_ODD_SPACES_RE = re.compile(r"[\s\u00a0\u200b\ufeff]{2,}|(?! )[\s\u00a0\u200b\ufeff]")
# characters normalise() replaces by one of the same length: curly apostrophes, the en dash
_SAME_LENGTH_PAIRS = (("\u2019", "'"), ("\u2018", "'"), ("\u2013", "-"))
_EM_DASH_RE = re.compile("\u2014")
_Frozen = TypeVar("_Frozen", Attribution, Person)
_LC_HEAD_RE = re.compile(r"\b([A-Z][\w.]*) (department|ministry)\b")


@dataclass
class ParagraphFacts:
    """What one paragraph says: its speakers, organisations and dates."""

    speakers: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


@dataclass
class DocumentFacts:
    """Facts for every paragraph of a document, and the people who speak in it."""

    paragraphs: list[ParagraphFacts]
    people: dict[str, Person]


def extract_document(paragraphs: list[str], title: str | None = None,
                     document_date: dt.date | None = None) -> DocumentFacts:
    """Facts for each paragraph of one document, with names resolved across the document."""
    reader = SpeakerReader()
    dates = DateReader(document_date)
    if title:
        reader.read_title(normalise(title))
    facts = []
    for paragraph in paragraphs:
        text = normalise(paragraph)
        organisations = reader.organisations.read(text)
        speakers = reader.read_speakers(text)
        facts.append(ParagraphFacts(speakers, organisations, dates.read(text),
                                    _attributions(reader, paragraph, text)))
    written = _with_suffix(paragraphs, _as_written(paragraphs))
    for paragraph in facts:
        paragraph.speakers = list(dict.fromkeys(written(reader.fullest(s))
                                                for s in paragraph.speakers))
        paragraph.organisations = list(dict.fromkeys(map(written, paragraph.organisations)))
        paragraph.attributions = [_renamed(a, "speaker", written(reader.fullest(a.speaker)))
                                  for a in paragraph.attributions]
    people = {written(name): _renamed(person, "name", written(name))
              for name, person in reader.speaking_people().items()}
    return DocumentFacts(paragraphs=facts, people=people)


def _renamed(fact: _Frozen, attribute: str, name: str) -> _Frozen:
    """A frozen fact with its name attribute set to name (itself when it already has it)."""
    return fact if getattr(fact, attribute) == name else replace(fact, **{attribute: name})


def _as_written(paragraphs: list[str]) -> Callable[[str], str]:
    """A function giving a name its apostrophes as the document writes them ('O\u2019Neill')."""
    curly = any("\u2019" in paragraph for paragraph in paragraphs)
    known: dict[str, str] = {}

    def written(name: str) -> str:
        if not curly or "'" not in name:
            return name
        if name not in known:
            typographic = name.replace("'", "\u2019")
            known[name] = typographic if any(typographic in p for p in paragraphs) else name
        return known[name]
    return written


def _with_suffix(paragraphs: list[str], written: Callable[[str], str]) -> Callable[[str], str]:
    """written, then a name's suffix after a comma when the document gives one: 'Jo Roe, Jr.'."""
    if not any(", Jr" in p or ", Sr" in p for p in paragraphs):
        return written
    known: dict[str, str] = {}

    def suffixed(name: str) -> str:
        name = written(name)
        if name not in known:
            known[name] = name
            if " " in name:
                for suffix in (", Jr.", ", Sr."):
                    if any(name + suffix in p for p in paragraphs):
                        known[name] = name + suffix
                        break
        return known[name]
    return suffixed


def _attributions(reader: SpeakerReader, paragraph: str, text: str) -> list[Attribution]:
    """The latest paragraph's attributions, spans in the paragraph's original text."""
    found = reader.turn_attributions(paragraph)
    if reader.spoken:
        origin = normalise_mapped(paragraph, text)[1]
        for speaker, cue, kind, (start, end) in reader.spoken:
            if start < end:
                found.append(Attribution(speaker, cue, kind,
                                         (origin[start], origin[end - 1] + 1)))
    return found


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
    if "\u200b" in text or "\ufeff" in text:
        text = _SPACES_RE.sub(" ", text).strip()
    else:  # the same, faster: str.split() splits at exactly the spaces \s matches
        text = " ".join(text.split())
    text = _same_length(text)
    if "\u2014" in text:
        text = text.replace("\u2014", " - ")
    text = _GLUED_SENTENCE_RE.sub(" ", text)
    if "epartment" in text or "inistry" in text:
        text = _LC_HEAD_RE.sub(lambda m: f"{m.group(1)} {m.group(2).capitalize()}", text)
    return text


def _same_length(text: str) -> str:
    """text with _SAME_LENGTH_PAIRS replaced (str.replace: faster than str.translate here)."""
    for char, plain in _SAME_LENGTH_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return text


def normalise_mapped(text: str, normalised: str | None = None) -> tuple[str, list[int]]:
    """normalise(text) (given when known), and for each of its characters its index in text."""
    normalised = normalise(text) if normalised is None else normalised
    if normalised == text:
        return text, list(range(len(text)))
    origin = list(range(len(text)))
    text, origin = _tracked_sub(_ODD_SPACES_RE, " ", text, origin)
    lead = len(text) - len(text.lstrip())
    text, origin = text.strip(), origin[lead:lead + len(text.strip())]
    text = _same_length(text)
    text, origin = _tracked_sub(_EM_DASH_RE, " - ", text, origin)
    text, origin = _tracked_sub(_GLUED_SENTENCE_RE, " ", text, origin)
    return _LC_HEAD_RE.sub(lambda m: f"{m.group(1)} {m.group(2).capitalize()}", text), origin


def _tracked_sub(pattern: re.Pattern, new: str, text: str,
                 origin: list[int]) -> tuple[str, list[int]]:
    """pattern.sub(new, text), with origin (an index per character) kept in step."""
    pieces: list[str] = []
    mapped: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(text[last:match.start()])
        mapped.extend(origin[last:match.start()])
        pieces.append(new)
        if len(new) == match.end() - match.start():
            mapped.extend(origin[match.start():match.end()])
        else:
            anchor = origin[match.start()] if match.start() < len(origin) else len(origin)
            mapped.extend([anchor] * len(new))
        last = match.end()
    pieces.append(text[last:])
    mapped.extend(origin[last:])
    return "".join(pieces), mapped
