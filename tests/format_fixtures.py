"""Files in the formats docsearch reads, made on the fly (PDF, scanned PDF, Word, e-mail).

All sentences here are written for these tests. The benchmark reuses the PDF builders.
"""

from __future__ import annotations

import textwrap
from email.message import EmailMessage
from pathlib import Path

FERRY_TITLE = "Harbour Council Approves New Ferry Route"
FERRY_HEADER = "Northwind Gazette - Press Office"
FERRY_PARAGRAPHS = [
    "The harbour council voted on Tuesday to approve a new ferry route linking the old port "
    "with the island villages, ending two years of debate.",
    "Officials said the service would start in the spring and run every forty minutes during "
    "the summer months, with fewer crossings in winter.",
    "Maria Olsen, who chairs the transport committee, said the decision showed that careful "
    "planning could win broad support across the town.",
    "Residents had raised concerns about noise and parking near the terminal, and the council "
    "promised an independent assessment before construction begins.",
    "The route will be operated by a cooperative of local boat owners, who will share the "
    "revenue with the council for the first five years.",
    "Tickets are expected to cost less than a bus fare to the city, and children under twelve "
    "will travel free of charge on every crossing.",
    "A public meeting on the timetable will be held at the library next month, where residents "
    "can comment on the proposed stops.",
    "The council also agreed to repair the old pier, which has been closed since a storm "
    "damaged its supports three winters ago.",
]
HYPHENATED = ("assess", "ment")  # where FERRY_PARAGRAPHS[3] is broken across two lines

TRANSCRIPT_TITLE = "Briefing on the Winter Road Programme"
TRANSCRIPT_TURNS = [
    "MODERATOR: Good morning, and thank you all for joining us today for this briefing on "
    "the road maintenance plans for the coming winter season.",
    "MS. HALVORSEN: Thank you. We have ordered twice as much grit as last year, and the "
    "depots will open a week earlier than they did before.",
    "Q: Will the night crews be paid more this year?",
    "MS. HALVORSEN: Yes, the new agreement raises the night rate, and it was signed by both "
    "sides last Friday after a long negotiation.",
]

SCAN_PARAGRAPHS = [
    "The museum will reopen its west wing on Saturday after a long restoration.",
    "Visitors can see the repaired ceiling paintings and a new gallery of maps.",
]


def _pdf(**kwargs):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4", **kwargs)
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    return pdf


def _wrap(paragraph: str, width: int) -> list[str]:
    if paragraph == FERRY_PARAGRAPHS[3]:
        head, tail = paragraph.split(HYPHENATED[0] + HYPHENATED[1])
        lines = textwrap.wrap(head + HYPHENATED[0] + "-", width)
        return lines + textwrap.wrap(HYPHENATED[1] + tail, width)
    return textwrap.wrap(paragraph, width)


def _furniture(pdf, page: int, pages: int) -> None:
    pdf.set_font("Helvetica", size=8)
    pdf.text(50, 40, FERRY_HEADER)
    pdf.text(280, 810, f"Page {page} of {pages}")
    pdf.set_font("Helvetica", size=10)


def _column(x: float, y: float, paragraphs: list[str]) -> list[tuple[float, float, str]]:
    """Where each line of paragraphs goes in a column starting at (x, y)."""
    placed = []
    for paragraph in paragraphs:
        for line in _wrap(paragraph, 44):
            placed.append((x, y, line))
            y += 13
        y += 9
    return placed


def ferry_page(page: int) -> list[str]:
    """The four paragraphs of two_column_pdf's page (from 1); later pages vary the order."""
    start = ((page - 1) * 4 + (page - 1) // 2) % len(FERRY_PARAGRAPHS)
    return [FERRY_PARAGRAPHS[(start + i) % len(FERRY_PARAGRAPHS)] for i in range(4)]


def two_column_pdf(path: Path, pages: int = 2, interleaved: bool = False) -> Path:
    """A press release: title, date, two columns per page, running header, page numbers.

    Page 1 holds FERRY_PARAGRAPHS[:4] (two a column), page 2 the rest; more pages hold them
    in other orders.
    Interleaved, the file draws the lines row by row across both columns (as some tools
    write them), so only positions tell the reading order.
    """
    pdf = _pdf()
    for page in range(1, pages + 1):
        pdf.add_page()
        _furniture(pdf, page, pages)
        top = 90
        if page == 1:
            pdf.set_font("Helvetica", "B", 20)
            pdf.text(50, 80, FERRY_TITLE)
            pdf.set_font("Helvetica", size=10)
            pdf.text(50, 105, "March 4, 2025")
            top = 135
        half = ferry_page(page)
        placed = _column(50, top, half[:2]) + _column(315, top, half[2:])
        for x, y, line in sorted(placed, key=lambda item: item[1]) if interleaved else placed:
            pdf.text(x, y, line)
    pdf.set_title("ferry-release.indd")
    pdf.output(str(path))
    return path


def transcript_pdf(path: Path) -> Path:
    """A one-column transcript: a title, then speaker turns with no space between them."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(50, 70, TRANSCRIPT_TITLE)
    pdf.set_font("Helvetica", size=10)
    y = 100
    for turn in TRANSCRIPT_TURNS:
        for line in textwrap.wrap(turn, 90):
            pdf.text(50, y, line)
            y += 13
    pdf.output(str(path))
    return path


def scanned_text(page: int) -> list[str]:
    """The paragraphs on page (from 1) of scanned_pdf: SCAN_PARAGRAPHS, then others."""
    if page == 1:
        return SCAN_PARAGRAPHS
    pool = SCAN_PARAGRAPHS + FERRY_PARAGRAPHS
    return [pool[(2 * page + i) % len(pool)] for i in range(2)]


def scanned_pdf(path: Path, pages: int = 1) -> Path:
    """An image-only PDF (no text layer): scanned_text(n) rendered on page n at 200 dpi."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=34)
    images = []
    for page in range(1, pages + 1):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        y = 200
        for paragraph in scanned_text(page):
            for line in textwrap.wrap(paragraph, 60):
                draw.text((150, y), line, font=font, fill=0)
                y += 48
            y += 60
        images.append(image)
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return path


WORD_TITLE = "Annual Report of the Lakeside Rowing Club"
WORD_BLOCKS = [  # (style, text)
    ("Heading 1", WORD_TITLE),
    ("Normal", "The club grew to three hundred members this year, its largest number yet."),
    ("Heading 2", "Boats and equipment"),
    ("Normal", "Two new eights were bought with a grant from the regional sports fund."),
    ("Normal", "The boathouse roof was repaired by volunteers over four weekends."),
    ("Heading 2", "Races"),
    ("Normal", "Our junior crews won five regattas, including the autumn head race."),
]


def word_docx(path: Path, title: str = "") -> Path:
    """A .docx with headings and paragraphs (WORD_BLOCKS) and a one-row table."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Club Secretary"
    for style, text in WORD_BLOCKS:
        document.add_paragraph(text, style=style)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Members"
    table.rows[0].cells[1].text = "300"
    document.save(str(path))
    return path


MAIL_SUBJECT = "Statement on the library opening hours"
MAIL_HTML = (
    "<html><body><p>Dear editors,</p>"
    "<p>From next Monday the central library will stay open until nine in the evening on "
    "weekdays, the city's culture office said.</p>"
    "<p>The longer hours are paid for by savings on heating after the new windows were "
    "fitted.</p>"
    "<div class='gmail_quote'>On Fri, 7 Mar 2025, Press Desk wrote:"
    "<blockquote><p>Could you send us the new opening hours?</p></blockquote></div>"
    "</body></html>")
MAIL_PARAGRAPHS = [
    "Dear editors,",
    "From next Monday the central library will stay open until nine in the evening on "
    "weekdays, the city's culture office said.",
    "The longer hours are paid for by savings on heating after the new windows were fitted.",
]


def html_mail(pdf_attachment: bytes | None = None) -> EmailMessage:
    """A message whose only body is HTML, with a quoted reply, and optionally a PDF."""
    message = EmailMessage()
    message["Subject"] = MAIL_SUBJECT
    message["From"] = "Culture Office <press@city.example>"
    message["To"] = "desk@paper.example"
    message["Date"] = "Mon, 10 Mar 2025 09:30:00 +0100"
    message.set_content(MAIL_HTML, subtype="html")
    if pdf_attachment is not None:
        message.add_attachment(pdf_attachment, maintype="application", subtype="pdf",
                               filename="hours.pdf")
    return message


def plain_mail(number: int) -> EmailMessage:
    """A plain-text message with a quoted reply and a signature."""
    message = EmailMessage()
    message["Subject"] = f"Road works update {number}"
    message["From"] = "Roads Department <roads@city.example>"
    message["Date"] = f"Tue, {number % 27 + 1:02d} Apr 2025 08:00:00 +0000"
    message.set_content(
        f"Lane closures on the ring road will end on day {number} of the works,\n"
        "a spokesman for the roads department said.\n"
        "\n"
        "Night work will continue on the bridge.\n"
        "\n"
        "On Mon, 31 Mar 2025, News Desk wrote:\n"
        "> When do the closures end?\n"
        "\n"
        "-- \n"
        "Roads Department, City Hall\n")
    return message


def mbox_bytes(count: int) -> bytes:
    """A mailbox of count plain_mail messages."""
    pieces = []
    for number in range(1, count + 1):
        pieces.append(b"From roads@city.example Tue Apr  1 08:00:00 2025\n")
        pieces.append(plain_mail(number).as_bytes().replace(b"\nFrom ", b"\n>From ") + b"\n")
    return b"".join(pieces)
