"""Clauses of a masked paragraph: where the clause before a cue starts, and its comma parts.

A paragraph reaches these functions masked (quotations blanked to a \\x01 marker, lengths
kept), so every position here is a position in the paragraph's text. They find the subject
of a speech verb that sits far from it: "Jane Doe, the agency's chief, who has led it since
2010, said".
"""

from __future__ import annotations

import re

# Where a clause starts: after a sentence's end, a quotation, a semicolon or a colon.
_CLAUSE_BREAK_RE = re.compile(
    r"(?<![\s.][A-Z])(?<!\bMrs)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|No))(?<!\b(?:Gen|Sen|Rep|Gov|Col|Inc))"
    r"(?<!\bCorp)[.!?]\s+(?=[A-Z\x01\s])|\x01|;|:\s")
# Words that open a clause without being its subject: "But", "However,", "Meanwhile,".
_OPENER_RE = re.compile(
    r"(?:\s|,|\b(?:But|And|However|Meanwhile|Still|Also|Yet|So|Now|Then|Separately|"
    r"Later|Earlier|Instead|Indeed|Moreover|Further|Furthermore|In addition|"
    r"but|and|however|meanwhile|still|also|yet|so|then|later)\b)+")
# The separators of an appositive: commas, and dashes written " - ".
_SEPARATOR_RE = re.compile(r",|\s-(?=\s|\Z)")
SCAN = 420  # characters a subject may sit before its verb


def clause_start(masked: str, end: int) -> int:
    """Start of the clause that ends at end, past any opening connective."""
    floor = max(0, end - SCAN)
    start = floor
    for match in _CLAUSE_BREAK_RE.finditer(masked, floor, end):
        start = match.end()
    opener = _OPENER_RE.match(masked, start, end)
    return opener.end() if opener else start


def comma_parts(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma- or dash-separated parts of masked[start:end], blank ones dropped."""
    parts, last = [], start
    for match in _SEPARATOR_RE.finditer(masked, start, end):
        parts.append((last, match.start()))
        last = match.end()
    parts.append((last, end))
    return [(s + _lead(masked[s:e]), e - _trail(masked[s:e])) for s, e in parts
            if masked[s:e].strip()]


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _trail(text: str) -> int:
    return len(text) - len(text.rstrip())
