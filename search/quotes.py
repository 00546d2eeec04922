"""Which words an attribution covers: the quotation or the reported clause beside its cue.

Works on a paragraph masked by search.speakers (quotations blanked, lengths kept), so the
spans it returns are positions in the paragraph's text. A cue with a quotation right beside
it is "direct" ('"Rates will rise," she said'); a cue followed by a clause is "indirect"
('she said rates would rise'), or "mixed" when that clause quotes some words ('she said rates
were "far too high"').
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# Where a sentence ends in masked text: a full stop that is not an initial or a title's.
_SENTENCE_END_RE = re.compile(
    r"(?<![\s.][A-Z])(?<!\bMrs)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|No))(?<!\b(?:Gen|Sen|Rep|Gov|Col|Inc))"
    r"[.!?](?=\s+[A-Z\x01]|\s*\Z)")
_LEAD_RE = re.compile(r"[\s,:\x01-]*(?:that\s+)?")
_NAME_AFTER_RE = re.compile(r"\s*(?:the\s+)?(?:[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|de|van|von))*)"
                            r"(?:,[^,]{1,80},)?")
_WORD_RE = re.compile(r"[A-Za-z\d]")


def sentence_bounds(masked: str, start: int, end: int) -> Span:
    """The sentence of masked text around start..end (quotations count as part of it)."""
    left = 0
    for match in _SENTENCE_END_RE.finditer(masked, 0, start):
        left = match.end()
    right = _SENTENCE_END_RE.search(masked, end)
    return left, right.start() if right else len(masked.rstrip())


def inner(quote: Span, text: str) -> Span:
    """A quotation's words without its marks (an open one runs to the paragraph's end)."""
    start, end = quote
    start += 2 if text.startswith("''", start) else 1
    if end - start >= 2 and text.endswith("''", 0, end):
        end -= 2
    elif end > start and _is_mark(text[end - 1]):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def content(text: str, masked: str, quotes: list[Span], position: int,
            cue: Span | None) -> tuple[str, Span] | None:
    """The kind and span of the words a cue (or a speaker at position) attributes."""
    cue = cue or (position, position)
    first, last = sentence_bounds(masked, min(cue[0], position), max(cue[1], position))
    near = [q for q in quotes if q[0] < last and q[1] > first]
    after = [q for q in near if q[0] >= cue[1]]
    before = [q for q in near if q[1] <= cue[0]]
    lead = _skip_name(masked, cue[1], position)
    if before and len(masked[before[-1][1]:min(cue[0], position)].split()) <= 8:
        return "direct", inner(before[-1], text)
    if after and not _WORD_RE.search(masked[lead:after[0][0]]):
        return "direct", _joined(after, text)
    if lead < last and len(masked[lead:last].split()) >= 2:
        kind = "mixed" if after else "indirect"
        return kind, _trimmed(text, lead, last)
    if first < min(cue[0], position):
        return "indirect", _trimmed(text, first, min(cue[0], position))
    if quotes:
        return "direct", inner(quotes[0], text)
    return None


def _skip_name(masked: str, end: int, position: int) -> int:
    """Where the reported words start after a cue: past 'that' and a name ('said Jane Doe,')."""
    if position >= end:
        name = _NAME_AFTER_RE.match(masked, end)
        if name and name.end() > position:
            end = name.end()
    return _LEAD_RE.match(masked, end).end()


def _joined(quotes: list[Span], text: str) -> Span:
    """One span over consecutive quotations that only spaces or commas separate."""
    start, end = inner(quotes[0], text)
    for quote in quotes[1:]:
        if text[end:quote[0]].strip(" ,.\"\u201c\u201d"):
            break
        end = inner(quote, text)[1]
    return start, end


def _trimmed(text: str, start: int, end: int) -> Span:
    """The span without surrounding spaces and commas."""
    while start < end and text[start] in " ,:;-":
        start += 1
    while end > start and text[end - 1] in " ,:;-":
        end -= 1
    return start, end


def _is_mark(char: str) -> bool:
    return char in "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"
