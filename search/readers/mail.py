"""E-mail: `.eml` messages and `.mbox` mailboxes (one document per message), by the standard
library. Attachments in readable formats become documents of their own."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath

from bs4 import BeautifulSoup

from search.documents import clean_text
from search.errors import DocumentError
from search.readers import Part, join_lines

MAX_MESSAGES = 20_000  # a mailbox with more is read up to this many, with a warning
MAX_ATTACHMENTS = 50  # per message
MAX_NESTING = 3  # messages attached to messages
_QUOTE_HEADER = re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.I)
_FORWARD_BREAK = re.compile(
    r"^\s*(?:-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}|_{10,})\s*$", re.I)
_SIGN_OFF = re.compile(r"^\s*(?:Sent from my \w+|Get Outlook for \w+)", re.I)
_MBOX_SEPARATOR = re.compile(rb"^From \S", re.M)
_QUOTE_MARKUP = ("blockquote", ".gmail_quote", ".gmail_signature", "#divRplyFwdMsg",
                 "#appendonsend", ".moz-cite-prefix", ".moz-signature")


def read_eml(data: bytes, warnings: list[str]) -> list[Part]:
    """One message, then its readable attachments."""
    return _message_parts(email.message_from_bytes(data, policy=email.policy.default), "",
                          warnings, 0)


def read_mbox(data: bytes, warnings: list[str]) -> list[Part]:
    """Every message of a mailbox (named by its number, from 1), each with its attachments."""
    starts = [match.start() for match in _MBOX_SEPARATOR.finditer(data)]
    if not starts:
        raise DocumentError("not a mailbox (no `From ` separator line)")
    if len(starts) > MAX_MESSAGES:
        warnings.append(f"{len(starts)} messages; only the first {MAX_MESSAGES} were read")
        starts = starts[:MAX_MESSAGES + 1]
    parts: list[Part] = []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(data)], strict=False),
                                          start=1):
        if number > MAX_MESSAGES:
            break
        newline = data.find(b"\n", start, end)  # the end of the `From ` separator line
        raw = data[newline + 1:end] if newline >= 0 else b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts.extend(_message_parts(message, str(number), warnings, 0))
    return parts


def _message_parts(message: EmailMessage, name: str, warnings: list[str],
                   depth: int) -> list[Part]:
    """The message as a Part (subject, date, sender, own words), then its attachments."""
    title = clean_text(str(message.get("subject", "") or ""))
    main = Part(name, title, _date(message), _body(message, warnings),
                author=clean_text(str(message.get("from", "") or "")))
    parts = [main]
    taken: set[str] = set()
    for index, attachment in enumerate(message.iter_attachments()):
        if index >= MAX_ATTACHMENTS:
            warnings.append(f"more than {MAX_ATTACHMENTS} attachments; the rest left out")
            break
        filename = _attachment_name(attachment, index, taken)
        where = f"{name}/{filename}" if name else filename
        parts.extend(_attachment_parts(attachment, where, name, warnings, depth))
    return parts


def _date(message: EmailMessage):
    try:
        stamp = parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return stamp.date() if stamp else None


def _attachment_name(attachment: EmailMessage, index: int, taken: set[str]) -> str:
    """A safe, unique file name for an attachment (no folders, no leading dot)."""
    raw = attachment.get_filename() or ""
    name = PurePosixPath(raw.replace("\\", "/")).name.lstrip(".") or f"attachment-{index + 1}"
    if attachment.get_content_type() == "message/rfc822" and "." not in name:
        name += ".eml"
    unique, counter = name, 1
    while unique in taken:
        counter += 1
        stem, dot, suffix = name.rpartition(".")
        unique = f"{stem}-{counter}.{suffix}" if dot else f"{name}-{counter}"
    taken.add(unique)
    return unique


def _attachment_parts(attachment: EmailMessage, where: str, parent: str,
                      warnings: list[str], depth: int) -> list[Part]:
    """The documents an attachment holds, named under where; a warning when it is unread."""
    from search.documents import read_parts, reader_for

    if attachment.get_content_type() == "message/rfc822":
        if depth >= MAX_NESTING:
            warnings.append(f"attachment {where} not read: messages nested too deeply")
            return []
        found = _message_parts(attachment.get_payload(0), where, warnings, depth + 1)
    else:
        data = attachment.get_payload(decode=True) or b""
        reader = reader_for(where, data)
        if reader is None:
            warnings.append(f"attachment {where} not read: unsupported format")
            return []
        try:
            found = read_parts(data, reader, warnings)
        except DocumentError as exc:
            warnings.append(f"attachment {where} not read: {exc}")
            return []
        for part in found:
            part.name = f"{where}/{part.name}" if part.name else where
            part.parent = f"{where}/{part.parent}" if part.parent else None
    found[0].parent = parent
    return found


def _body(message: EmailMessage, warnings: list[str]) -> list[str]:
    """The sender's own paragraphs: text/plain preferred, else the HTML part."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return []
    try:
        content = body.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset or a broken encoding
        warnings.append(f"message body not decodable ({exc})")
        content = (body.get_payload(decode=True) or b"").decode("latin-1")
    if body.get_content_subtype() == "html":
        return _html_paragraphs(content, warnings)
    return own_paragraphs(content)


def own_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text message without quoted replies, forwards or signature."""
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line in ("--", "-- ") or _FORWARD_BREAK.match(line):
            break  # a signature, or the quoted message below it
        if line.lstrip().startswith(">") or _QUOTE_HEADER.match(line) or _SIGN_OFF.match(line):
            continue
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs = (clean_text(join_lines(block)) for block in blocks)
    return [text for text in paragraphs if text]


def _html_paragraphs(markup: str, warnings: list[str]) -> list[str]:
    """An HTML body's paragraphs through the HTML reader, quoted replies removed first."""
    from search.documents import html_paragraphs

    soup = BeautifulSoup(markup, "html.parser")
    for selector in (*_QUOTE_MARKUP, "meta[charset]", "meta[http-equiv]"):
        for tag in soup.select(selector):
            tag.decompose()
    paragraphs = html_paragraphs(str(soup).encode("utf-8"), warnings)
    kept = []
    for text in paragraphs:
        if text in ("--", "-- ") or _FORWARD_BREAK.match(text):
            break
        if not (_QUOTE_HEADER.match(text) or _SIGN_OFF.match(text)):
            kept.append(text)
    return kept
