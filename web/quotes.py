"""Quotes in hits: the attributed words of a paragraph emphasised inside its snippet."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

# The snippet is escaped text with <mark> tags: these are its only pieces.
_PIECE = re.compile(r"</?mark>|&(?:amp|lt|gt|quot|#x27|#39);|.", re.DOTALL)
QUOTE_OPEN = '<span class="quote" data-speaker="{speaker}" title="{label}">'
QUOTE_CLOSE = "</span>"
MAX_LISTED_QUOTE = 300  # characters of a quote listed below a long paragraph


def spans_of(hit: dict, only: str | None = None) -> list[tuple[int, int, str]]:
    """The hit's quote spans (start, end, speaker) inside its text, in order, without overlap
    (only one speaker's when only is given)."""
    text = hit.get("text", "")
    spans = []
    for found in hit.get("attributions") or ():
        if only is not None and found.get("speaker") != only:
            continue
        start, end = (int(n) for n in found.get("quote", (0, 0)))
        if 0 <= start < end <= len(text):
            spans.append((start, end, str(found.get("speaker", ""))))
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def emphasised(snippet: str, text: str, spans: list[tuple[int, int, str]],
               roles: dict[str, str]) -> Markup | None:
    """snippet (escaped text with <mark>) with each span wrapped as a quote, or None when the
    snippet is not the whole paragraph (a fragment of a long one)."""
    out: list[str] = []
    position, in_mark, in_quote = 0, False, False
    boundaries: dict[int, tuple[str, str]] = {}
    for start, end, speaker in spans:  # in order, not overlapping
        closing = boundaries.get(start, ("", ""))[0] == "close"
        boundaries[start] = ("reopen" if closing else "open", speaker)
        boundaries[end] = ("close", "")
    for piece in _PIECE.findall(snippet):
        if piece in ("<mark>", "</mark>"):
            in_mark = piece == "<mark>"
            out.append(piece)
            continue
        char = html.unescape(piece)
        if position >= len(text) or text[position] != char:
            return None
        in_quote = _boundary(out, boundaries.get(position), in_mark, in_quote, roles)
        out.append(html.escape(char, quote=False))  # re-escaped: only our tags are markup
        position += 1
    if position != len(text):
        return None
    if in_quote:
        _toggle(out, QUOTE_CLOSE, in_mark)
    return Markup("".join(out).replace("<mark></mark>", ""))


def _boundary(out: list[str], boundary: tuple[str, str] | None, in_mark: bool,
              in_quote: bool, roles: dict[str, str]) -> bool:
    """Emit the quote tags a boundary asks for; returns whether a quote is now open."""
    if boundary is None:
        return in_quote
    action, speaker = boundary
    if in_quote and action in ("close", "reopen"):
        _toggle(out, QUOTE_CLOSE, in_mark)
        in_quote = False
    if action in ("open", "reopen"):
        label = ", ".join(v for v in (speaker, roles.get(speaker, "")) if v)
        _toggle(out, QUOTE_OPEN.format(speaker=html.escape(speaker), label=html.escape(label)),
                in_mark)
        in_quote = True
    return in_quote


def _toggle(out: list[str], tag: str, in_mark: bool) -> None:
    """Add a tag, closing and reopening an open <mark> around it so tags stay nested."""
    out.extend(["</mark>", tag, "<mark>"] if in_mark else [tag])


def role_of(hit: dict, name: str) -> str:
    """'title, organisation' of a hit's speaker ('' when unknown)."""
    person = (hit.get("people") or {}).get(name) or {}
    return ", ".join(v for v in (person.get("title"), person.get("organisation")) if v)


def quote_view(hit: dict, only: str | None = None) -> dict:
    """What a hit shows of its quotes: the snippet with quotes emphasised (or the plain
    snippet and the quotes listed when it is a fragment) and who said each (only one
    speaker's quotes when only is given)."""
    spans = spans_of(hit, only)
    roles = {name: role_of(hit, name) for _, _, name in spans}
    marked = emphasised(hit.get("snippet", ""), hit.get("text", ""), spans, roles) \
        if spans else None
    text = hit.get("text", "")
    listed = [] if marked is not None else [
        {"speaker": speaker, "role": roles.get(speaker, ""),
         "words": _shortened(text[start:end])} for start, end, speaker in spans]
    speakers = []
    for _, _, name in spans:
        if name not in [s["name"] for s in speakers]:
            speakers.append({"name": name, "role": roles.get(name, "")})
    return {"snippet": marked if marked is not None else Markup(hit.get("snippet", "")),
            "listed": listed, "speakers": speakers, "quoted": bool(spans)}


def whole_quote_view(hit: dict, only: str | None = None) -> dict:
    """quote_view over the hit's whole text rather than its snippet (for reading pages)."""
    return quote_view({**hit, "snippet": html.escape(hit.get("text", ""), quote=False)}, only)


def _shortened(words: str) -> str:
    words = words.strip()
    if len(words) <= MAX_LISTED_QUOTE:
        return words
    return words[:MAX_LISTED_QUOTE].rsplit(" ", 1)[0] + " \u2026"

