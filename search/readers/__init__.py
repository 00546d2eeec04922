"""Readers of binary and mail formats (PDF, images through OCR, Word, e-mail).

Each reader turns a file's bytes into Parts; search.documents makes Documents of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

HYPHEN_AT_END = re.compile(r"(?<=[^\W\d_])[-\u00ad]$")


@dataclass
class Part:
    """One document found in a file: the file itself ("" name), a message, an attachment."""

    name: str
    title: str
    date: dt.date | None
    paragraphs: list[str]
    author: str = ""
    pages: list[int] = field(default_factory=list)  # page of each paragraph (PDF), else []
    parent: str | None = None  # name of the part this one is attached to ("" the file's)


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one paragraph, hyphenation at line ends undone (`infor-` + `mation`)."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text and HYPHEN_AT_END.search(text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text
