"""Quotations in a paragraph, and which words an attribution covers.

The first stage of reading speech: quotation marks are paired (quote_spans) and the quoted
words blanked (masked_text, lengths kept), so later stages read only the reporter's words
and every position is still a position in the paragraph's text. The last stage: the words an
attribution covers, the quotation or the reported clause beside its cue (content).

A cue with a quotation right beside it is "direct" ('"Rates will rise," she said'); a cue
followed by a clause is "indirect" ('she said rates would rise'), or "mixed" when that clause
quotes some words ('she said rates were "far too high"').
"""

from __future__ import annotations

import re

from search.dates import WEEKDAY_PATTERN

Span = tuple[int, int]

# Quotation marks; two apostrophes stand for one double mark ('\u2019\u2019' once normalised).
QUOTES_RE = re.compile(r"(?=[\"\u201c\u201d\u201e\u201f\u00ab\u00bb'])"  # only a faster scan
                       r"(?:[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]|'')")
# A party and state after a legislator's name, '(R-S.C.)', '(D-Calif.)': read as if absent.
_PARTY_RE = re.compile(r"\s\((?:[RDI]|Rep|Dem|Ind)\.?-[A-Z][A-Za-z. ]{0,20}\)")
# So is a suffix after a comma: 'Jo Roe, Jr. said'.
_SUFFIX_RE = re.compile(r"(?<=[a-z]),\s(?:Jr|Sr)\.?(?=[\s,])")

# Where a sentence ends in masked text: a full stop that is not an initial or a title's.
_SENTENCE_END_RE = re.compile(  # the lookahead first only makes the scan faster
    r"(?=[.!?])"
    r"(?<![\s.][A-Z])(?<!\bMrs)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|No))(?<!\b(?:Gen|Sen|Rep|Gov|Col|Inc))"
    r"[.!?](?=\s+[A-Z\x01]|\s*\Z)")
# What stands between a cue and the words it reports: 'said Tuesday in a statement that'.
_LEAD_RE = re.compile(
    rf"[\s,:\x01-]*(?:(?:(?:on\s+|last\s+)?(?:{WEEKDAY_PATTERN}|night)|yesterday|today|"
    r"tonight|later|again|also|then)\b[\s,]*"
    r"|(?:in|on|at|during)\s+(?:a|an|his|her|their|the)\s+(?:[\w-]+\s+){0,3}?(?:statement|"
    r"interview|letter|speech|post|tweet|email|e-mail|briefing|call|conference|rally|"
    r"appearance|hearing|programme|program|show)\b[\s,]*)*(?:that\s+)?")
_NAME_AFTER_RE = re.compile(r"\s*(?:the\s+)?(?:[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|de|van|von))*)"
                            r"(?:,[^,]{1,80},)?")
_JOINER_RE = re.compile(r"(?:[\s,;-]|\b(?:and|but|while|as|then)\b)*\Z")
_STOP_RE = re.compile(r"[.!?;\x01]")
_RECIPIENT_CUES = frozenset({"told", "tells", "tell", "warned", "warns", "urged", "urges",
                             "assured", "assures", "reminded", "informed", "asked", "asks"})
_THAT_RE = re.compile(r"\bthat\s+")
# Whom a cue addresses: 'reporters', 'him', 'the BBC', 'Mr Doe', 'USA TODAY's series'.
_RECIPIENT_RE = re.compile(
    r"(?:him|her|them|us|me|you|reporters|journalists|lawmakers|supporters|delegates|"
    r"(?:the\s+)?(?:[A-Z][\w.'&-]*\s+)*[A-Z][\w.'&-]*)"
    r"(?:\s+(?:on|in|at|during)\s+(?:[A-Z][\w.'-]*\s*)+|\s+(?:on\s+)?"
    rf"{WEEKDAY_PATTERN})?\s+")
_WORD_RE = re.compile(r"[A-Za-z\d]")


# An opening mark while a quotation is open: after a sentence's end and a space, before a word.
_REOPENS_RE = re.compile(r"[.!?] [\"\u201c](?=[A-Z])")


def quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Quoted spans (marks included), pairing marks in order; and whether one is left open."""
    spans: list[tuple[int, int]] = []
    start = None
    for match in QUOTES_RE.finditer(text):
        if start is None:
            start = match.start()
        elif _REOPENS_RE.match(text, max(0, match.start() - 2)) and match.start() - start > 2:
            # '"... finances. "In order to ...': the quotation goes on; no closing mark came
            spans.append((start, match.start() - 1))
            start = match.start()
        else:
            spans.append((start, match.end()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def masked_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each quotation blanked to a \\x01 marker, so quoted names are not read.

    The masked text keeps the text's length, so positions in it are positions in the text.
    """
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        size = end - start
        pieces.append(" " * (size - 2) + "\x01 " if size >= 2 else "\x01")
        last = end
    pieces.append(text[last:])
    masked = _PARTY_RE.sub(_blank, "".join(pieces))
    if ", Jr" in masked or ", Sr" in masked:
        masked = _SUFFIX_RE.sub(_blank, masked)
    return masked


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


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
            cue: Span | None, limit: int | None = None) -> tuple[str, Span] | None:
    """The kind and span of the words a cue (or a speaker at position) attributes.

    limit is where the next attribution starts: reported words end before it.
    """
    cue = cue or (position, position)
    inside = [q for q in quotes if q[0] < cue[0] and cue[1] <= q[1]]
    if inside:  # speech a quotation reports: the rest of its sentence
        start = _LEAD_RE.match(text, cue[1]).end()
        end = inner(inside[0], text)[1]
        stop = _STOP_RE.search(text, start, end)
        return "indirect", _trimmed(text, start, stop.start() if stop else end)
    first, last = sentence_bounds(masked, min(cue[0], position), max(cue[1], position))
    for start, end in quotes:  # a quotation the sentence starts or ends in is all of it
        if start < last < end or start < last <= end + 1 and last >= len(masked.rstrip()):
            last = end
        if start < first < end:
            first = start
    if limit is not None and cue[1] < limit < last:
        last = limit - len(_JOINER_RE.search(masked, cue[1], limit).group())
    near = [q for q in quotes if q[0] < last and q[1] > first]
    after = [q for q in near if q[0] >= cue[1]]
    before = [q for q in near if q[1] <= cue[0]]
    lead = _skip_name(masked, cue[1], position)
    word = text[cue[0]:cue[1]]
    if word in _RECIPIENT_CUES:
        lead = _skip_recipient(masked, lead)
    clause = lead < last and len(masked[lead:last].split()) >= 2
    if clause and (word.endswith("ing") or masked.endswith("that ", 0, lead)):
        return ("mixed" if after else "indirect"), _trimmed(text, lead, last)
    if before and position >= before[-1][1] - 1 \
            and len(masked[before[-1][1]:min(cue[0], position)].split()) <= 8:
        lead_in = masked[first:before[-1][0]].strip()
        if len(lead_in.split()) >= 2 and not lead_in.endswith((",", ":")):
            return "mixed", _trimmed(text, first, before[-1][1])  # 'Rates were "high", Doe said'
        return "direct", inner(before[-1], text)
    if after and (not _WORD_RE.search(masked[lead:after[0][0]])
                  or masked[lead:after[0][0]].rstrip().endswith(":")):
        return "direct", _joined(after, text)
    if clause:
        return ("mixed" if after else "indirect"), _trimmed(text, lead, last)
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


def _skip_recipient(masked: str, start: int) -> int:
    """Past the person told: 'told reporters (on Monday) (that)', 'warned Mr Doe that'."""
    that = _THAT_RE.search(masked, start, start + 80)
    if that and not _STOP_RE.search(masked, start, that.start()):
        return that.end()
    recipient = _RECIPIENT_RE.match(masked, start)
    return _LEAD_RE.match(masked, recipient.end()).end() if recipient else start


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
