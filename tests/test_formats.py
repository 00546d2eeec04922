"""PDF, scanned PDF, Word, OpenDocument and e-mail files, made here, read paragraph by
paragraph; then indexed, re-synced and named when unsupported."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from search.documents import read_document, read_documents, reader_for
from search.errors import DocumentError
from search.extraction import extract_document
from search.index import DOCUMENT, open_index
from search.readers import join_lines, ocr, pdf
from search.readers.mail import own_paragraphs
from search.sync import update_index

from . import format_fixtures as fx

REPO = Path(__file__).resolve().parents[1]
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # for a ligature, when installed


@pytest.fixture
def tesseract() -> None:
    """Skip without Tesseract, except on CI (which installs it), where it is a failure."""
    if ocr.available():
        return
    message = "tesseract is missing; apt-get install tesseract-ocr to run the OCR tests"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def docsearch(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("interleaved", [False, True])
def test_two_column_pdf_reads_column_by_column_without_headers_or_page_numbers(tmp_path,
                                                                                interleaved):
    doc = read_document(fx.two_column_pdf(tmp_path / "release.pdf", interleaved=interleaved))
    assert doc.title == fx.FERRY_TITLE  # the largest text: the metadata title is a file name
    assert doc.date == dt.date(2025, 3, 4)
    assert doc.paragraphs == fx.FERRY_PARAGRAPHS  # hyphenated "assess-" + "ment" joined too
    assert doc.pages == [1, 1, 1, 1, 2, 2, 2, 2]
    assert doc.format == "PDF"


def test_pdf_paragraph_running_over_a_page_break_stays_one(tmp_path):
    from fpdf import FPDF

    pages = [  # paragraphs of lines; the second runs on to the next page
        [["A first paragraph of two lines that ends", "on the first page of the notice."],
         ["The winter ferry timetable was published", "today and it will apply from December"]],
        [["until the end of February next year."],
         ["A closing paragraph of two lines on the", "last page of the notice."]],
    ]
    document = FPDF(unit="pt", format="A4")
    document.set_font("Helvetica", size=10)
    for number, paragraphs in enumerate(pages, 1):
        document.add_page()
        document.text(50, 60, "Opening of the harbour")  # running header
        y = 100
        for lines in paragraphs:
            for line in lines:
                document.text(50, y, line)
                y += 13
            y += 12
        document.text(290, 800, str(number))  # page number
    path = tmp_path / "breaks.pdf"
    document.output(str(path))
    found = read_document(path)
    assert found.paragraphs == [
        "A first paragraph of two lines that ends on the first page of the notice.",
        "The winter ferry timetable was published today and it will apply from December "
        "until the end of February next year.",
        "A closing paragraph of two lines on the last page of the notice."]
    assert found.pages == [1, 1, 2]


def test_pdf_list_items_are_paragraphs_and_ligatures_are_letters(tmp_path):
    from fpdf import FPDF

    ligature = Path(DEJAVU).exists()  # a font with the "fi" ligature character
    document = FPDF(unit="pt", format="A4")
    document.add_page()
    if ligature:
        document.add_font("DejaVu", fname=DEJAVU)
    document.set_font("DejaVu" if ligature else "Helvetica", size=10)
    fish = "\ufb01sh" if ligature else "fish"
    lines = ["The council listed three changes to the", "ferry service:",
             "- a later last crossing", "- more room for bicycles",
             f"- a stop at the new {fish} market"]
    for number, line in enumerate(lines):
        document.text(50, 100 + 13 * number, line)
    path = tmp_path / "list.pdf"
    document.output(str(path))
    assert read_document(path).paragraphs == [
        "The council listed three changes to the ferry service:", "- a later last crossing",
        "- more room for bicycles", "- a stop at the new fish market"]


def test_pdf_transcript_keeps_each_speaker_turn(tmp_path):
    doc = read_document(fx.transcript_pdf(tmp_path / "briefing.pdf"))
    assert doc.title == fx.TRANSCRIPT_TITLE
    assert doc.paragraphs == fx.TRANSCRIPT_TURNS
    facts = extract_document(doc.paragraphs, doc.title, doc.date)
    assert any(para.speakers for para in facts.paragraphs[1:])


def test_pdf_metadata_title_and_date_when_the_text_has_none(tmp_path):
    from fpdf import FPDF

    document = FPDF(unit="pt", format="A4")
    document.set_font("Helvetica", size=10)
    document.add_page()
    document.text(50, 100, "Every line here is set in the same size of type.")
    document.set_title("Quarterly Figures of the Water Board")
    document.set_author("Water Board")
    document.set_creation_date(dt.datetime(2024, 6, 30, 12, 0, tzinfo=dt.timezone.utc))
    path = tmp_path / "figures.pdf"
    document.output(str(path))
    doc = read_document(path)
    assert (doc.title, doc.date, doc.author) == ("Quarterly Figures of the Water Board",
                                                 dt.date(2024, 6, 30), "Water Board")
    assert doc.paragraphs == ["Every line here is set in the same size of type."]


@pytest.mark.usefixtures("tesseract")
def test_image_only_pdf_is_read_by_ocr(tmp_path):
    doc = read_document(fx.scanned_pdf(tmp_path / "scan.pdf"))
    assert doc.paragraphs == fx.SCAN_PARAGRAPHS
    assert doc.pages == [1, 1]
    assert any("OCR" in message for message in doc.warnings)


@pytest.mark.usefixtures("tesseract")
def test_image_file_is_read_by_ocr(tmp_path):
    from PIL import Image

    scan = fx.scanned_pdf(tmp_path / "scan.pdf")
    page = pdf.pdfplumber.open(scan).pages[0].to_image(resolution=200).original
    page.save(tmp_path / "scan.png")
    assert read_document(tmp_path / "scan.png").paragraphs == fx.SCAN_PARAGRAPHS
    assert Image.open(tmp_path / "scan.png").size[0] > 0


def test_scanned_pdf_without_tesseract_names_how_to_enable_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    data = fx.scanned_pdf(tmp_path / "scan.pdf").read_bytes()
    with pytest.raises(DocumentError, match="scanned PDF.*apt-get install tesseract-ocr"):
        pdf.read_pdf_unbounded(data)  # the reader itself, in this process


def test_docx_title_from_first_heading_and_paragraphs_in_order(tmp_path):
    doc = read_document(fx.word_docx(tmp_path / "report.docx"))
    assert doc.title == fx.WORD_TITLE
    assert doc.paragraphs == [text for _style, text in fx.WORD_BLOCKS[1:]] + ["Members | 300"]
    assert doc.author == "Club Secretary"


def test_docx_title_from_core_properties_keeps_the_heading(tmp_path):
    doc = read_document(fx.word_docx(tmp_path / "report.docx", title="Club Report 2024"))
    assert doc.title == "Club Report 2024"
    assert doc.paragraphs[0] == fx.WORD_TITLE


def test_odt_headings_and_paragraphs(tmp_path):
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
        f'office:1.0" xmlns:text="{text_ns}"><office:body><office:text>'
        '<text:h text:outline-level="1">Garden Show Opens</text:h>'
        "<text:p>The garden show opened<text:s/>with a record number of stands.</text:p>"
        "<text:p>Entry is free for residents.</text:p>"
        "</office:text></office:body></office:document-content>")
    path = tmp_path / "show.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    doc = read_document(path)
    assert doc.title == "Garden Show Opens"
    assert doc.paragraphs == ["The garden show opened with a record number of stands.",
                              "Entry is free for residents."]


def test_eml_html_body_and_pdf_attachment_are_two_linked_documents(tmp_path):
    attachment = fx.two_column_pdf(tmp_path / "hours.pdf").read_bytes()
    path = tmp_path / "message.eml"
    path.write_bytes(fx.html_mail(attachment).as_bytes())
    message, attached = read_documents(path, tmp_path)
    assert message.id == "message.eml"
    assert message.title == fx.MAIL_SUBJECT
    assert message.date == dt.date(2025, 3, 10)
    assert message.author == "Culture Office <press@city.example>"
    assert message.paragraphs == fx.MAIL_PARAGRAPHS  # the quoted question left out
    assert attached.id == "message.eml/hours.pdf"
    assert attached.parent == "message.eml"
    assert attached.paragraphs == fx.FERRY_PARAGRAPHS


def test_plain_text_mail_drops_quotes_and_signature():
    text = fx.plain_mail(3).get_content()
    assert own_paragraphs(text) == [
        "Lane closures on the ring road will end on day 3 of the works, a spokesman for the "
        "roads department said.",
        "Night work will continue on the bridge."]


def test_mbox_is_one_document_per_message(tmp_path):
    path = tmp_path / "press.mbox"
    path.write_bytes(fx.mbox_bytes(3))
    docs = read_documents(path, tmp_path)
    assert [doc.id for doc in docs] == ["press.mbox/1", "press.mbox/2", "press.mbox/3"]
    assert [doc.title for doc in docs] == [f"Road works update {n}" for n in (1, 2, 3)]
    assert docs[1].paragraphs == own_paragraphs(fx.plain_mail(2).get_content())
    assert docs[1].date == dt.date(2025, 4, 3)


def test_format_is_sniffed_from_content_as_well_as_the_name(tmp_path):
    disguised = tmp_path / "notes.txt"
    disguised.write_bytes(fx.transcript_pdf(tmp_path / "t.pdf").read_bytes())
    assert read_document(disguised).paragraphs == fx.TRANSCRIPT_TURNS
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"Odd bytes\n\nA line with a form feed \x0c and a bell \x07 in it.\n")
    assert read_document(odd).paragraphs == ["A line with a form feed and a bell \x07 in it."]
    assert reader_for("a.zip", b"PK\x03\x04 nothing we read") is None


def test_hyphen_at_a_line_end_is_undone_only_before_a_lower_case_letter():
    assert join_lines(["an infor-", "mation desk"]) == "an information desk"
    assert join_lines(["north-", "South"]) == "north- South"
    assert join_lines(["page 4-", "5"]) == "page 4- 5"


def test_index_names_unsupported_and_broken_files_and_resyncs_a_mailbox(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    fx.two_column_pdf(corpus / "release.pdf")
    fx.word_docx(corpus / "report.docx")
    (corpus / "message.eml").write_bytes(fx.html_mail(
        fx.transcript_pdf(tmp_path / "t.pdf").read_bytes()).as_bytes())
    (corpus / "press.mbox").write_bytes(fx.mbox_bytes(3))
    (corpus / "table.xyz").write_text("not a format we read")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    report = update_index([corpus], index)
    skipped = dict(report.skipped)
    assert set(skipped) == {str(corpus / "table.xyz"), str(corpus / "broken.pdf")}
    assert "unsupported format (.xyz)" in skipped[str(corpus / "table.xyz")]
    assert ".pdf" in skipped[str(corpus / "table.xyz")]  # says what is read
    assert indexed_ids(index) == {"release.pdf", "report.docx", "message.eml",
                                  "message.eml/hours.pdf", "press.mbox/1", "press.mbox/2",
                                  "press.mbox/3"}
    again = update_index([corpus], index)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    (corpus / "press.mbox").write_bytes(fx.mbox_bytes(2))
    (corpus / "message.eml").unlink()
    update_index([corpus], index)
    assert indexed_ids(index) == {"release.pdf", "report.docx", "press.mbox/1", "press.mbox/2"}


def indexed_ids(index: Path) -> set[str]:
    with open_index(index).searcher() as searcher:
        return {fields[DOCUMENT] for fields in searcher.all_stored_fields()}


def test_add_refuses_an_unsupported_file_before_copying_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = tmp_path / "sheet.xlsx"
    source.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    result = docsearch("add", str(source), "--corpus", str(corpus),
                       "--index", str(tmp_path / "index"))
    assert "sheet.xlsx" in result.stderr and "unsupported format" in result.stderr
    assert not (corpus / "sheet.xlsx").exists()


def test_extract_reads_a_pdf_and_names_an_unsupported_file(tmp_path):
    release = fx.two_column_pdf(tmp_path / "release.pdf")
    other = tmp_path / "slides.pptx"
    other.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    result = docsearch("extract", str(release), str(other), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"document": "release.pdf"') == len(fx.FERRY_PARAGRAPHS)
    assert f"skipped: {other}: unsupported format (.pptx); docsearch reads" in result.stderr
    assert "PDF" in docsearch("extract", "--help").stdout


def test_document_page_shows_pdf_pages_and_offers_the_original_file(tmp_path):
    from web import create_app

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    release = fx.two_column_pdf(corpus / "release.pdf")
    mail = corpus / "message.eml"
    mail.write_bytes(fx.html_mail(fx.transcript_pdf(tmp_path / "t.pdf").read_bytes()).as_bytes())
    update_index([corpus], index)
    (corpus / "later.txt").write_text("Later\n\nNot indexed yet.\n")
    (tmp_path / "secret.txt").write_text("outside the corpus")
    client = create_app({"TESTING": True, "INDEX_DIR": str(index),
                         "CORPUS_DIR": str(corpus)}).test_client()
    page = client.get("/documents/release.pdf").get_data(as_text=True)
    assert page.count("p.&nbsp;1") == 4 and page.count("p.&nbsp;2") == 4
    assert 'href="/original/release.pdf"' in page
    download = client.get("/original/release.pdf")
    assert download.status_code == 200 and download.data == release.read_bytes()
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get("/original/message.eml/hours.pdf").data == mail.read_bytes()
    assert client.get("/api/documents/release.pdf").get_json()["paragraphs"][-1]["source_page"] == 2
    attachment = client.get("/documents/message.eml/hours.pdf").get_data(as_text=True)
    assert 'Attached to</dt>\n      <dd><a href="/documents/message.eml">' in attachment
    message = client.get("/api/documents/message.eml").get_json()["paragraphs"][0]
    assert message["author"] == "Culture Office <press@city.example>"
    for refused in ("later.txt", "../secret.txt", "message.eml/other.pdf", "nothing.pdf"):
        assert client.get(f"/original/{refused}").status_code == 404, refused


def test_parallel_indexing_reads_pdfs_and_mailboxes_in_worker_processes(tmp_path, monkeypatch):
    import search.sync

    monkeypatch.setattr(search.sync, "PARALLEL_MIN_DOCUMENTS", 2)  # in worker processes
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    fx.two_column_pdf(corpus / "release.pdf")
    fx.transcript_pdf(corpus / "briefing.pdf")
    (corpus / "press.mbox").write_bytes(fx.mbox_bytes(2))
    report = update_index([corpus], index)
    assert report.skipped == []
    assert indexed_ids(index) == {"release.pdf", "briefing.pdf", "press.mbox/1", "press.mbox/2"}
