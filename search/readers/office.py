"""Word processor files: `.docx` (python-docx) and OpenDocument `.odt` (its XML, by lxml)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

from search.documents import clean_text, parse_date
from search.errors import DocumentError
from search.readers import Part
from search.readers.bounded import run_bounded

MAX_MEMBERS = 10_000
MAX_UNZIPPED = 200 * 1024 * 1024  # a zip that inflates to more is refused (a zip bomb)
_HEADING_STYLES = ("title", "heading", "subtitle")


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip archive, refused when it has too many members or inflates too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(f"not a readable zip-based document ({exc})") from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"too many parts ({len(members)}; the limit is {MAX_MEMBERS})")
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_UNZIPPED:
        raise DocumentError(f"inflates to {inflated // (1024 * 1024)} MB; the limit is "
                            f"{MAX_UNZIPPED // (1024 * 1024)} MB")
    return archive


def read_docx(data: bytes, warnings: list[str]) -> list[Part]:
    """A Word document, read in the bounded helper process (its XML may be huge)."""
    open_zip(data).close()
    return [run_bounded(read_docx_unbounded, data)]


def read_odt(data: bytes, warnings: list[str]) -> list[Part]:
    """An OpenDocument text, read in the bounded helper process."""
    open_zip(data).close()
    return [run_bounded(read_odt_unbounded, data)]


def read_docx_unbounded(data: bytes) -> Part:
    """A Word document: paragraphs and table rows in order, headings on their own."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"unreadable Word document ({type(exc).__name__})") from exc
    blocks: list[tuple[str, bool]] = []  # text, whether it is a heading
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend((row, False) for row in _table_rows(item))
        else:
            style = (item.style.name if item.style is not None else "").lower()
            blocks.append((clean_text(item.text), style.startswith(_HEADING_STYLES)))
    core = document.core_properties
    created = core.created.date() if isinstance(core.created, dt.datetime) else None
    return _part(blocks, clean_text(core.title or ""), created, clean_text(core.author or ""))


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = clean_text(cell.text)
            if text and (not cells or cells[-1] != text):  # merged cells repeat
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _part(blocks: list[tuple[str, bool]], title: str, created: dt.date | None,
          author: str) -> Part:
    """A Part from text blocks: the title from properties or the first heading; a date line."""
    blocks = [(text, heading) for text, heading in blocks if text]
    if not title:
        first = next((i for i, (_text, heading) in enumerate(blocks) if heading), None)
        if first is not None and first < 3:
            title = blocks.pop(first)[0]
    elif blocks and blocks[0][0] == title:
        blocks.pop(0)
    date = None
    for index, (text, _heading) in enumerate(blocks[:4]):
        date = parse_date(text)
        if date:
            blocks.pop(index)
            break
    return Part("", title, date or created, [text for text, _heading in blocks], author=author)


_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_odt_unbounded(data: bytes) -> Part:
    """An OpenDocument text: headings and paragraphs in order, the title from its metadata."""
    with open_zip(data) as archive:
        try:
            content = etree.fromstring(archive.read("content.xml"), _PARSER)
            meta = (etree.fromstring(archive.read("meta.xml"), _PARSER)
                    if "meta.xml" in archive.namelist() else None)
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise DocumentError(f"unreadable OpenDocument file ({type(exc).__name__})") from exc
    body = content.find("office:body", _ODF)
    blocks = []
    heading_tag, paragraph_tag = f"{{{_ODF['text']}}}h", f"{{{_ODF['text']}}}p"
    for element in (body.iter(heading_tag, paragraph_tag) if body is not None else ()):
        if element.getparent() is not None and element.getparent().tag == paragraph_tag:
            continue
        blocks.append((clean_text(" ".join(_odf_text(element))), element.tag == heading_tag))
    title = author = ""
    created = None
    if meta is not None:
        title = clean_text(meta.findtext(".//dc:title", "", _ODF))
        author = clean_text(meta.findtext(".//meta:initial-creator", "", _ODF)
                            or meta.findtext(".//dc:creator", "", _ODF))
        stamp = meta.findtext(".//meta:creation-date", "", _ODF)
        created = parse_date(stamp[:10]) if stamp else None
    return _part(blocks, title, created, author)


def _odf_text(element) -> list[str]:
    """An ODF paragraph's text; `text:s`, tabs and line breaks become spaces."""
    pieces = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname
        pieces.append(" " if name in ("s", "tab", "line-break") else "".join(child.itertext()))
        pieces.append(child.tail or "")
    return ["".join(pieces)]
