"""Hostile files: every one ends as an indexed document or a named, skipped file, in bounded memory.

Property-based tests feed the reader random bytes, tag soup and mixed encodings; fixed cases
cover deep nesting, megabytes of script, oversized and vanishing files, FIFOs and symlinks; one
test runs `docsearch index` over all of them (beside good documents) in a subprocess.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import documents
from search.documents import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS,
    MAX_TAGS,
    iter_document_paths,
    read_document,
)
from search.errors import DocumentError
from search.index import IndexReport, open_index
from search.query import SearchRequest, search
from search.records import document_records
from search.sync import update_index

READER = settings(max_examples=100, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GOOD_TEXT = """Ceasefire monitors expand their mission

March 3, 2016

"The monitors will reach every checkpoint," said Jane Doe, the United Nations envoy.
"""
GOOD_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Aid convoy statement</title>
</head><body><article><h1>Aid convoy statement</h1>
<p>"Convoys reached the besieged towns," said John Roe, the Red Cross spokesperson.</p>
</article></body></html>"""


def outcome(path: Path, root: Path | None = None) -> str:
    """'indexed' or 'skipped: reason' for one file through the reader and extraction."""
    report = IndexReport()
    records = document_records(path, root or path.parent, "hash", report)
    if records is None:
        assert len(report.skipped) == 1 and report.skipped[0][1]
        return "skipped: " + report.skipped[0][1]
    assert records and all(isinstance(r["text"], str) and r["text"] for r in records)
    return "indexed"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- property-based


def read_bytes_as(data: bytes, suffix: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        return outcome(write(Path(folder), "doc" + suffix, data))


@READER
@given(st.binary(max_size=4096), st.sampled_from([".txt", ".html", ".md"]))
def test_random_bytes_are_read_or_named_as_skipped(data, suffix):
    assert read_bytes_as(data, suffix)  # 'indexed' or 'skipped: why'; never an exception


TAGS = ["div", "p", "span", "article", "main", "li", "ul", "script", "style", "b", "br",
        "h1", "title", "time", "meta", "nav", "table", "td", "svg", "template", "!--", "![CDATA["]
ATTRS = st.sampled_from(['', ' class="byline"', ' role="main"', ' datetime="2017-05-16"',
                         ' class="nav"', ' charset="utf-8"', ' content="2019-01-01"',
                         ' property="og:title" content="T"', ' id="x\x00"', ' a="<p>"'])
PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(TAGS), ATTRS),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    st.text(max_size=40),
    st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&bogus;", "<", ">", "-->", "]]>", "<!",
                     "<?xml version='1.0'?>", "<!doctype html>", '"', "\u202e", "\ufeff"]),
)
CHARSETS = st.sampled_from(["", "utf-8", "latin-1", "utf-16", "utf-7", "rot13", "bogus",
                            "x-user-defined", "shift_jis", "utf-32"])


@READER
@given(st.lists(PIECES, max_size=200), CHARSETS, st.integers(min_value=0, max_value=100),
       st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"]))
def test_tag_soup_truncated_and_mislabelled_is_read_or_skipped(pieces, charset, cut, encoding):
    markup = "".join(pieces)
    if charset:
        markup = f'<html><head><meta charset="{charset}"></head><body>' + markup
    data = markup.encode(encoding, errors="replace")
    data = data[: len(data) * cut // 100 if cut < 100 else len(data)]
    assert read_bytes_as(data, ".html")


@READER
@given(st.text(min_size=1, max_size=2000),
       st.lists(st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "utf-16-le",
                                 "shift_jis", "koi8-r", "utf-32"]), min_size=1, max_size=3))
def test_text_in_mixed_encodings_is_read_or_skipped(text, encodings):
    chunks = [text[i::len(encodings)].encode(enc, errors="replace")
              for i, enc in enumerate(encodings)]
    result = read_bytes_as(b"\n".join(chunks), ".txt")
    if result == "indexed":
        return
    assert result.split(": ", 1)[1] in ("empty file", "binary file, not text or HTML",
                                        "no text found")


# ---------------------------------------------------------------- fixed hostile cases


def deep_html(depth: int, tag: str = "div") -> str:
    return ("<html><body>" + f"<{tag}>" * depth + "deeply nested ceasefire words"
            + f"</{tag}>" * depth + "</body></html>")


def test_100000_nested_divs_are_flattened_not_a_recursion_error(tmp_path):
    doc = read_document(write(tmp_path, "deep.html", deep_html(100_000)))
    assert doc.paragraphs == ["deeply nested ceasefire words"]
    assert "nested deeper than" in doc.warnings[0]


@pytest.mark.parametrize("markup", [
    "<html><body>" + "<div>" * 100_000 + "unclosed to the end",
    "<html><body>" + "<div>" * 20_000 + "text" + "</x>" * 20_000,
    "<html><body><div class='nav'>" + "<div>" * 20_000 + "<p>words</p>" * 2_000,
    "<html><body>" + "<li><p>" * 50_000 + "deep list",
], ids=["unclosed", "unmatched-ends", "boilerplate-ancestor", "nested-blocks"])
def test_deep_or_unbalanced_nesting_is_read_in_linear_time(tmp_path, markup):
    doc = read_document(write(tmp_path, "deep.html", markup))
    assert doc.paragraphs


def test_nesting_just_under_the_depth_cap_keeps_its_structure(tmp_path):
    markup = "<html><body>" + "<div>" * (MAX_DEPTH - 5) + "<p>one</p><p>two</p></body></html>"
    doc = read_document(write(tmp_path, "ok.html", markup))
    assert doc.paragraphs == ["one", "two"] and not doc.warnings


def test_megabytes_of_script_and_style_are_dropped_cheaply(tmp_path):
    script = "var secret_tracking = '<p>not text</p>';\n" * 100_000  # 4 MB
    markup = (f"<html><head><style>{'p{color:red}' * 50_000}</style></head><body>"
              f"<script>{script}</script><p>Visible words</p><SCRIPT type=x>{script}")
    doc = read_document(write(tmp_path, "script.html", markup))
    assert doc.paragraphs == ["Visible words"]


def test_too_much_markup_is_skipped_before_parsing(tmp_path):
    path = write(tmp_path, "tags.html", "<html><body>" + "<b>x</b>" * (MAX_TAGS + 1))
    assert outcome(path) == f"skipped: too much markup ({MAX_TAGS + 3} tags; the limit is " \
                            f"{MAX_TAGS})"


def test_too_many_paragraphs_are_skipped_before_any_parser_runs(tmp_path, monkeypatch):
    def parsed(*args, **kwargs):
        raise AssertionError("a parser ran")

    monkeypatch.setattr(documents, "BoundedSoup", parsed)
    monkeypatch.setattr(documents.trafilatura, "bare_extraction", parsed)
    markup = "<html><body>" + "<p>The council met.</p>\n" * (MAX_PARAGRAPHS + 1)
    path = write(tmp_path, "paras.html", markup)
    assert outcome(path) == (f"skipped: too many paragraphs ({MAX_PARAGRAPHS + 1} <p> tags; "
                             f"the limit is {MAX_PARAGRAPHS})")


def test_pages_over_the_extractor_limit_are_read_by_markup_rules(tmp_path, monkeypatch):
    def extractor(*args, **kwargs):
        raise AssertionError("trafilatura ran")

    monkeypatch.setattr(documents.trafilatura, "bare_extraction", extractor)
    tags = documents.MAX_EXTRACTOR_TAGS + 1
    markup = "<html><body><article>" + "<p>The <b>council</b> met.</p>" * (tags // 2)
    doc = read_document(write(tmp_path, "big.html", markup))
    assert doc.paragraphs == ["The council met."] * (tags // 2)
    assert "without article extraction" in doc.warnings[0]


@pytest.mark.parametrize("markup", [
    "<html><body><![ unclosed words",
    "<p>Words</p><![if x",
    "<html><body><p>a<![ x",
], ids=["marked-section", "conditional", "in-paragraph"])
def test_markup_a_parser_rejects_is_named_as_skipped(tmp_path, markup):
    result = outcome(write(tmp_path, "fragment.html", markup))
    assert result == "indexed" or result.startswith("skipped: unreadable HTML"), result


def test_any_extractor_failure_becomes_a_document_error(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("internal extractor bug")

    monkeypatch.setattr(documents.trafilatura, "bare_extraction", broken)
    with pytest.raises(DocumentError, match=r"unreadable HTML \(ValueError\)"):
        read_document(write(tmp_path, "good.html", GOOD_HTML))


def test_names_with_newlines_and_control_characters_are_read(tmp_path):
    name = "two\nlines\x01\x7f \u202e.html"
    path = write(tmp_path, name, GOOD_HTML)
    assert list(iter_document_paths(tmp_path)) == [path]
    doc = read_document(path, tmp_path)
    assert doc.id == name and doc.title == "Aid convoy statement"
    assert outcome(path, tmp_path) == "indexed"


def test_files_over_the_size_cap_are_skipped_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Title\n\nWords.\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    assert outcome(path) == "skipped: too large (50.0 MB; the limit is 20 MB)"
    assert MAX_BYTES == 20 * 1024 * 1024


def test_file_growing_while_read_is_skipped(tmp_path, monkeypatch):
    path = write(tmp_path, "growing.txt", "Title\n\n" + "words " * 100)
    monkeypatch.setattr(documents, "MAX_BYTES", 300)  # stat passed before it grew
    real_fstat = os.fstat
    monkeypatch.setattr(documents.os, "fstat", lambda fd: os.stat_result(
        (*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    assert outcome(path).startswith("skipped: too large")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b" \n\t\r\n", "empty file"),
    (b"Title\n\nword\x00word\n", "binary file, not text or HTML"),
    ("x\n\n" * (MAX_PARAGRAPHS + 5), "too many paragraphs"),
    ("x\n" * 2_000_005, "too many lines"),
], ids=["zero-bytes", "whitespace", "nul", "paragraphs", "lines"])
def test_unusable_text_is_skipped_with_the_reason(tmp_path, data, reason):
    assert outcome(write(tmp_path, "bad.txt", data)).startswith("skipped: " + reason)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig", "cp1252"])
def test_byte_order_marks_and_legacy_encodings_are_decoded(tmp_path, encoding):
    path = write(tmp_path, "enc.txt", GOOD_TEXT.replace("Jane", "Jan\u00e9").encode(encoding))
    doc = read_document(path)
    assert "said Jan\u00e9 Doe" in doc.paragraphs[-1]


@pytest.mark.parametrize("charset, encoding, warned", [
    ("windows-1252", "cp1252", False),
    ("", "cp1252", True),
    ("", "utf-16", False),
    ("utf-8", "utf-8", False),
], ids=["declared-cp1252", "undeclared-cp1252", "utf16-bom", "utf-8"])
def test_html_encodings_are_decoded_and_a_guess_is_warned(tmp_path, charset, encoding, warned):
    meta = f'<meta charset="{charset}">' if charset else ""
    page = GOOD_HTML.replace('<meta charset="utf-8">', meta).replace(
        '"Convoys reached', "\u201cConvoys reached the caf\u00e9 \u2013 then")
    doc = read_document(write(tmp_path, "enc.html", page.encode(encoding)))
    assert doc.paragraphs[-1].startswith("\u201cConvoys reached the caf\u00e9 \u2013 then")
    assert bool(doc.warnings) == warned and all("UTF-8" in w for w in doc.warnings)


def test_mixed_utf8_and_cp1252_is_read_with_a_warning(tmp_path):
    data = "Title\n\nCaf\u00e9 one.\n\n".encode() + "Caf\u00e9 two \u2013 ok.\n".encode("cp1252")
    doc = read_document(write(tmp_path, "mixed.txt", data))
    assert len(doc.paragraphs) == 2 and "UTF-8" in doc.warnings[0]


def test_a_huge_single_paragraph_is_split_into_bounded_pieces(tmp_path):
    words = " ".join(f"word{i % 977}" for i in range(300_000))
    doc = read_document(write(tmp_path, "long.txt", "Title\n\n" + words))
    assert all(len(p) <= MAX_PARAGRAPH_CHARS for p in doc.paragraphs)
    assert " ".join(doc.paragraphs) == words
    assert "split into pieces" in doc.warnings[0]


def test_file_vanishing_before_it_is_read_is_skipped(tmp_path):
    path = write(tmp_path, "gone.txt", GOOD_TEXT)
    paths = list(iter_document_paths(tmp_path))
    path.unlink()
    assert outcome(paths[0], tmp_path) == "skipped: cannot read: No such file or directory"


def test_file_changing_between_hash_and_read_is_indexed_as_read(tmp_path, monkeypatch):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    path = write(corpus, "moving.txt", GOOD_TEXT)
    gone = write(corpus, "gone.txt", GOOD_TEXT.replace("monitors", "observers"))
    import search.sync as sync

    real_hash = sync.content_hash

    def hash_then_change(file: Path) -> str:
        digest = real_hash(file)
        if file.name == "moving.txt":
            file.write_text(GOOD_TEXT.replace("checkpoint", "crossing"))
        elif file.exists():
            file.unlink()
        return digest

    import search.manifest as manifest

    monkeypatch.setattr(sync, "content_hash", hash_then_change)
    monkeypatch.setattr(manifest, "content_hash", hash_then_change)  # the size/mtime hasher
    report = update_index([corpus], index_dir)
    assert [p for p, _ in report.skipped] == [str(gone)] and report.added == 1
    # the stored hash is of the bytes actually parsed (Document.digest), not the stale one
    assert searchable(index_dir, "crossing") and not searchable(index_dir, "checkpoint")
    monkeypatch.setattr(sync, "content_hash", real_hash)
    monkeypatch.setattr(manifest, "content_hash", real_hash)
    again = update_index([corpus], index_dir)
    assert again.unchanged == 1 and again.updated == 0
    assert searchable(index_dir, "crossing") and not searchable(index_dir, "checkpoint")
    assert path.exists()


def searchable(index_dir: Path, q: str) -> int:
    with open_index(index_dir).searcher() as searcher:
        return search(searcher, SearchRequest(q=q))["total"]


def test_fifo_with_a_document_name_is_named_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    skipped: list[tuple[str, str]] = []
    assert list(iter_document_paths(tmp_path, skipped)) == []
    assert skipped == [(str(tmp_path / "pipe.txt"), "not a regular file")]
    assert outcome(tmp_path / "pipe.txt") == "skipped: not a regular file"  # never blocks


def test_symlinks_out_of_the_corpus_are_skipped_and_inside_ones_followed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    write(outside, "secret.txt", "Secret\n\nThe outside secret words.\n")
    good = write(corpus, "good.txt", GOOD_TEXT)
    (corpus / "out.txt").symlink_to(outside / "secret.txt")
    (corpus / "abs.txt").symlink_to("/etc/passwd")
    (corpus / "in.txt").symlink_to(good)
    (corpus / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "outdir").symlink_to(outside, target_is_directory=True)
    skipped: list[tuple[str, str]] = []
    found = list(iter_document_paths(corpus, skipped))
    assert found == [corpus / "good.txt", corpus / "in.txt"]
    assert dict(skipped) == {
        str(corpus / "abs.txt"): "a symlink to a file outside the corpus",
        str(corpus / "broken.txt"): "a broken or looping symlink",
        str(corpus / "out.txt"): "a symlink to a file outside the corpus",
        str(corpus / "outdir"): "a symlink to a folder outside the corpus (not followed)",
    }
    with pytest.raises(DocumentError, match="outside the corpus"):
        read_document(corpus / "out.txt", corpus)  # the reader refuses too (add, watch)


# ---------------------------------------------------------------- the whole CLI, in bounded memory


def hostile_corpus(folder: Path, outside: Path) -> dict[str, str]:
    """Good and hostile files in folder; returns file name -> expected 'indexed' or reason."""
    rng = random.Random(7)
    write(outside, "secret.txt", "Secret\n\nOutside secret words.\n")
    expected = {"good.txt": "indexed", "good.html": "indexed", "link_inside.txt": "indexed",
                "deep.html": "indexed", "script.html": "indexed", "truncated.html": "indexed",
                "latin1.txt": "indexed", "utf16.txt": "indexed", "long_line.txt": "indexed",
                "bidi.md": "indexed", "soup.htm": "indexed",
                "huge.txt": "too large (50.0 MB; the limit is 20 MB)",
                "zero.txt": "empty file", "random.txt": "binary file, not text or HTML",
                "tags.html": f"too much markup ({MAX_TAGS + 3} tags; the limit is {MAX_TAGS})",
                "paras.txt": "too many paragraphs",
                "paras.html": "too many paragraphs",
                "marked.html": "unreadable HTML",
                "link_out.txt": "a symlink to a file outside the corpus",
                "link_etc.txt": "a symlink to a file outside the corpus",
                "link_broken.txt": "a broken or looping symlink",
                "link_dir": "a symlink to a folder outside the corpus (not followed)",
                "pipe.txt": "not a regular file",
                "good.pdf": "indexed", "nested.pdf": "indexed",
                "broken.pdf": "not a readable PDF (",
                "sheet.xyz": "unsupported format (.xyz); docsearch reads "}
    write(folder, "good.txt", GOOD_TEXT)
    write(folder, "good.pdf", minimal_pdf(TEXT_CONTENT, FONT))
    write(folder, "nested.pdf", minimal_pdf(TEXT_CONTENT.replace(b"rose by two", b"fell by three"),
                                            b"<< /X " + b"[" * 100_000
                                            + b"]" * 100_000 + b" /Font " + FONT[9:]))
    write(folder, "broken.pdf", minimal_pdf(TEXT_CONTENT, FONT)[:150])
    write(folder, "sheet.xyz", "a,b\n1,2\n")
    write(folder, "good.html", GOOD_HTML)
    (folder / "link_inside.txt").symlink_to("good.txt")
    write(folder, "deep.html", deep_html(100_000))
    write(folder, "script.html", "<html><body><p>Script page zebrafish</p><script>"
          + "var x = 1 < 2;\n" * 300_000)
    write(folder, "truncated.html", GOOD_HTML[:-50] + "<p cla")
    write(folder, "latin1.txt", GOOD_TEXT.replace("Jane", "Ren\u00e9e").encode("latin-1"))
    write(folder, "utf16.txt", GOOD_TEXT.encode("utf-16"))
    write(folder, "long_line.txt", "Long\n\n" + " ".join(["quokka"] * 400_000))
    write(folder, "bidi.md", "# \u202eTitle\u202c \U0001f600\n\nCombining e\u0301 and \u200f"
          "RTL \u05e9\u05dc\u05d5\u05dd words.\n")
    write(folder, "soup.htm", "<p><b><i>unclosed <a href='x'>tag &bogus; soup<!-- comment")
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    write(folder, "zero.txt", b"")
    write(folder, "random.txt", bytes(rng.randrange(256) for _ in range(100_000)))
    write(folder, "tags.html", "<html><body>" + "<b>x</b>" * (MAX_TAGS + 1))
    write(folder, "paras.txt", "x\n\n" * (MAX_PARAGRAPHS + 5))
    write(folder, "paras.html", "<p>x</p>" * (MAX_PARAGRAPHS + 5))
    write(folder, "marked.html", "<html><body><![ unclosed words")
    (folder / "link_out.txt").symlink_to(outside / "secret.txt")
    (folder / "link_etc.txt").symlink_to("/etc/passwd")
    (folder / "link_broken.txt").symlink_to(folder / "missing.txt")
    (folder / "link_dir").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    return expected


MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run_measured(*args: str) -> dict:
    """Run a command in a fresh process; its exit code, output and peak RSS of its children."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True,
                          text=True, check=True, timeout=300)
    return json.loads(done.stdout)


def test_docsearch_index_over_a_hostile_corpus_names_every_skip_in_bounded_memory(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    expected = hostile_corpus(corpus, tmp_path / "outside")
    cli = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]
    result = run_measured(*cli, "index", str(corpus), "--index", str(index_dir))
    assert result["code"] == 0, result["err"]
    assert "Traceback" not in result["err"]
    for name, reason in expected.items():
        if reason != "indexed":
            assert f"{corpus / name}: {reason}" in result["err"], (name, result["err"])
    assert result["rss_kb"] < 1024 * 1024, f"peak RSS {result['rss_kb'] // 1024} MB"

    indexed = {name for name, reason in expected.items() if reason == "indexed"}
    with open_index(index_dir).searcher() as searcher:
        found = search(searcher, SearchRequest(page_size=100))
        documents_found = set(found["facets"]["document"])
        assert documents_found == indexed
        for word, document in (("zebrafish", "script.html"), ("quokka", "long_line.txt"),
                               ("\"rose by two metres\"", "good.pdf"),
                               ("deeply nested", "deep.html"), ("\"red cross\"", "good.html")):
            hits = search(searcher, SearchRequest(q=word))["hits"]
            assert {hit["document"] for hit in hits} == {document}, word
        assert search(searcher, SearchRequest(q="secret"))["total"] == 0
        assert search(searcher, SearchRequest(q="secret_tracking"))["total"] == 0
    again = run_measured(*cli, "index", str(corpus), "--index", str(index_dir))
    assert again["code"] == 0 and "Traceback" not in again["err"]


# --- PDF, Word and mail readers --------------------------------------------------------------


def minimal_pdf(content: bytes, resources: bytes = b"<< >>", filters: bytes = b"") -> bytes:
    """A one-page PDF with the given content stream and resources, and a correct xref."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources "
        + resources + b" >>",
        b"<< /Length " + str(len(content)).encode() + filters + b" >>\nstream\n" + content
        + b"\nendstream",
    ]
    out, offsets = [b"%PDF-1.4\n"], []
    for number, body in enumerate(objects, 1):
        offsets.append(sum(map(len, out)))
        out.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = sum(map(len, out))
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.extend(b"%010d 00000 n \n" % offset for offset in offsets)
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
               % (len(objects) + 1, xref))
    return b"".join(out)


TEXT_CONTENT = b"BT /F1 12 Tf 72 700 Td (The river rose by two metres overnight.) Tj ET"
FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def test_minimal_pdf_helper_makes_a_readable_pdf(tmp_path):
    path = tmp_path / "river.pdf"
    path.write_bytes(minimal_pdf(TEXT_CONTENT, FONT))
    assert read_document(path).paragraphs == ["The river rose by two metres overnight."]


@pytest.mark.parametrize("name, data", [
    ("nested.pdf", minimal_pdf(TEXT_CONTENT, b"<< /X " + b"[" * 200_000 + b"]" * 200_000
                                + b" /Font " + FONT[9:])),
    ("truncated.pdf", minimal_pdf(TEXT_CONTENT, FONT)[:150]),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(random.Random(7).randrange(256) for _ in range(5000))),
    ("loop.pdf", minimal_pdf(TEXT_CONTENT, FONT).replace(b"/Kids [3 0 R]", b"/Kids [2 0 R]")),
])
def test_hostile_pdfs_are_indexed_or_named_never_fatal(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = outcome(path)  # no exception escapes, whatever the parser meets
    assert result == "indexed" or result.startswith("skipped: not a readable PDF (")
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT)
    assert outcome(good) == "indexed"


def test_pdf_stream_inflating_past_the_memory_limit_is_named(tmp_path, monkeypatch):
    import zlib

    from search.readers import bounded

    monkeypatch.setattr(bounded, "MAX_MEMORY_MB", 150)
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1 << 17)
    packed = b"".join(packer.compress(chunk) for _ in range(400)) + packer.flush()  # ~300 MB
    path = tmp_path / "bomb.pdf"
    path.write_bytes(minimal_pdf(packed, FONT, b" /Filter /FlateDecode"))
    assert outcome(path).startswith("skipped: ")
    assert "MB" in outcome(path)


def test_pdf_over_the_time_limit_is_named_and_the_next_file_read(tmp_path, monkeypatch):
    from search.readers import bounded

    slow, good = tmp_path / "slow.pdf", tmp_path / "good.txt"
    slow.write_bytes(minimal_pdf(TEXT_CONTENT, FONT))
    good.write_text(GOOD_TEXT)
    monkeypatch.setattr(bounded, "MAX_SECONDS", 0)
    assert outcome(slow) == "skipped: took longer than the 0 s limit per file; skipped"
    assert outcome(good) == "indexed"


def test_encrypted_pdf_is_named(tmp_path):
    from fpdf import FPDF

    document = FPDF()
    document.set_encryption(owner_password="owner", user_password="secret")
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.text(20, 20, "Sealed minutes of the meeting.")
    path = tmp_path / "sealed.pdf"
    document.output(str(path))
    assert outcome(path) == "skipped: encrypted PDF (a password is needed)"


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(260):
                member.write(b" " * (1 << 20))
    assert outcome(path).startswith("skipped: inflates to 260 MB; the limit is 200 MB")


def test_mailbox_over_the_message_limit_is_read_up_to_it_with_a_warning(tmp_path, monkeypatch):
    from search.readers import mail

    from .format_fixtures import mbox_bytes

    monkeypatch.setattr(mail, "MAX_MESSAGES", 40)
    path = tmp_path / "big.mbox"
    path.write_bytes(mbox_bytes(100))
    docs = documents.read_documents(path, tmp_path)
    assert [doc.id for doc in docs] == [f"big.mbox/{n}" for n in range(1, 41)]
    assert docs[0].warnings == ["100 messages; only the first 40 were read"]


def test_mail_with_hostile_attachments_keeps_the_message(tmp_path):
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Files for the story"
    message["Date"] = "not a date"
    message.set_content("The council sent the files below.\n")
    message.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf",
                           filename="../../etc/passwd.pdf")
    message.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream",
                           filename="tool.exe")
    path = tmp_path / "files.eml"
    path.write_bytes(message.as_bytes())
    (doc,) = documents.read_documents(path, tmp_path)
    assert (doc.title, doc.date, doc.paragraphs) == (
        "Files for the story", None, ["The council sent the files below."])
    assert any(w.startswith("attachment passwd.pdf not read:") for w in doc.warnings)
    assert "attachment tool.exe not read: unsupported format" in doc.warnings
