"""Reading documents: titles, dates, body paragraphs, HTML cleaning, encodings, broken files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from search.documents import normalise_for_search, parse_date, read_document
from search.errors import DocumentError

from .conftest import CORPUS, SEED_IDS

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds.json"


def _ws(text: str) -> str:
    return " ".join(text.split())


def test_seeds_have_title_date_and_gold_paragraphs():
    if not GOLD.exists():
        pytest.skip("../shared/gold is not beside the repository")
    gold = json.loads(GOLD.read_text())["documents"]
    for name in SEED_IDS:
        doc = read_document(CORPUS / name, CORPUS)
        expected = gold[name]
        assert doc.title == expected["title"]
        assert (doc.date.isoformat() if doc.date else None) == expected["date"]
        assert len(doc.paragraphs) == len(expected["paragraphs"])
        for text, para in zip(doc.paragraphs, expected["paragraphs"], strict=True):
            assert _ws(text).startswith(_ws(para["starts_with"]))


def test_text_keeps_quotes_as_written_but_search_form_is_plain():
    doc = read_document(CORPUS / SEED_IDS[1], CORPUS)
    courtney = next(p for p in doc.paragraphs if p.startswith("\u201cRelations"))
    assert "\u201d" in courtney
    plain = normalise_for_search(courtney)
    assert len(plain) == len(courtney) and "\u201c" not in plain and plain.startswith('"')


@pytest.mark.parametrize("line, expected", [
    ("May 16, 2017", dt.date(2017, 5, 16)),
    ("Tuesday, May 16, 2017", dt.date(2017, 5, 16)),
    ("16 May 2017", dt.date(2017, 5, 16)),
    ("2017-05-16", dt.date(2017, 5, 16)),
    ("2017-05-16T09:30:00Z", dt.date(2017, 5, 16)),
    ("Published: Sept. 3, 2019", dt.date(2019, 9, 3)),
    ("For Immediate Release: March 1st, 2020", dt.date(2020, 3, 1)),
    ("May 16, 2017 | 10:04 AM EDT", dt.date(2017, 5, 16)),
    ("The meeting on May 16, 2017 went well.", None),
    ("February 30, 2017", None),
    ("Russia Must Exercise Influence Over Assad", None),
])
def test_parse_date_reads_date_lines_only(line, expected):
    assert parse_date(line) == expected


def test_text_file_with_hard_wrapped_paragraphs(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("Budget talks stall\n\nPublished: 3 March 2021\n\nThe committee met\n"
                    "on Tuesday and\nadjourned.\n\n\nA second paragraph.\n")
    doc = read_document(path, tmp_path)
    assert doc.title == "Budget talks stall"
    assert doc.date == dt.date(2021, 3, 3)
    assert doc.paragraphs == ["The committee met on Tuesday and adjourned.", "A second paragraph."]


def test_markdown_title_loses_its_hashes(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Council statement\n\nThe council said it would meet again.\n")
    doc = read_document(path, tmp_path)
    assert doc.title == "Council statement"
    assert doc.paragraphs == ["The council said it would meet again."]


def test_document_id_is_relative_posix_path(tmp_path):
    (tmp_path / "2020" / "may").mkdir(parents=True)
    path = tmp_path / "2020" / "may" / "story.txt"
    path.write_text("Title\n\nBody text here.\n")
    assert read_document(path, tmp_path).id == "2020/may/story.txt"


HTML = """<!doctype html><html><head>
<title>Site | Ministry warns on tariffs</title>
<meta property="og:title" content="Ministry warns on tariffs">
<meta property="article:published_time" content="2019-07-02T08:00:00+00:00">
<style>p { color: red }</style>
<script>var tracking = "do not index me";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article>
  <h1>Ministry warns on tariffs</h1>
  <p class="byline">By A. Writer | July 2, 2019</p>
  <p>The Trade Ministry warned on Monday that tariffs&nbsp;would rise.</p>
  <p>&ldquo;We will respond,&rdquo; said Jan Novak, the ministry&rsquo;s spokesman.</p>
  <div class="share-tools"><p>Share this on social media</p></div>
  <script>document.write("injected")</script>
</article>
<aside><p>Related: other stories</p></aside>
<footer><p>Copyright 2019 News Corp</p></footer>
</body></html>"""


def test_html_article_text_only(tmp_path):
    path = tmp_path / "tariffs.html"
    path.write_text(HTML)
    doc = read_document(path, tmp_path)
    assert doc.title == "Ministry warns on tariffs"
    assert doc.date == dt.date(2019, 7, 2)
    assert doc.paragraphs[-2] == "The Trade Ministry warned on Monday that tariffs would rise."
    assert doc.paragraphs[-1] == ("\u201cWe will respond,\u201d said Jan Novak, "
                                  "the ministry\u2019s spokesman.")
    text = " ".join(doc.paragraphs)
    for unwanted in ("do not index", "injected", "Home", "Share this", "Related", "Copyright",
                     "color: red"):
        assert unwanted not in text


def test_html_date_from_time_element_and_byline(tmp_path):
    with_time = tmp_path / "a.html"
    with_time.write_text('<html><body><h1>T</h1><time datetime="2018-01-05">Jan 5</time>'
                         "<p>Body.</p></body></html>")
    assert read_document(with_time).date == dt.date(2018, 1, 5)
    byline = tmp_path / "b.html"
    byline.write_text('<html><body><h1>T</h1><div class="dateline">March 9, 2016</div>'
                      "<p>Body.</p></body></html>")
    assert read_document(byline).date == dt.date(2016, 3, 9)


def test_html_without_paragraph_tags_uses_lines(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text("<html><body><div>First line of text<br>Second line</div></body></html>")
    assert read_document(path).paragraphs == ["First line of text", "Second line"]


def test_html_declared_latin1_is_decoded_without_warning(tmp_path):
    path = tmp_path / "latin.html"
    path.write_bytes('<html><head><meta charset="iso-8859-1"></head><body>'
                     "<p>Caf\u00e9 owners in S\u00e3o Paulo.</p></body></html>".encode("latin-1"))
    doc = read_document(path)
    assert doc.paragraphs == ["Caf\u00e9 owners in S\u00e3o Paulo."]
    assert doc.warnings == []


def test_invalid_utf8_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Title\n\n\u201cQuoted,\u201d she said \u2013 caf\u00e9.\n".encode("cp1252"))
    doc = read_document(path)
    assert doc.paragraphs == ["\u201cQuoted,\u201d she said \u2013 caf\u00e9."]
    assert doc.warnings and "UTF-8" in doc.warnings[0]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
])
def test_broken_files_raise_document_error_saying_why(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason):
        read_document(path)


def test_missing_file_raises_document_error(tmp_path):
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path / "gone.txt")


# ---------------------------------------------------------------- real-page shapes (issue #11)

STORY = [
    "The harbour board voted on Thursday to close the old ferry pier for repairs, a decision "
    "that will send commuters to the northern terminal for most of the spring.",
    "\u201cWe cannot keep patching timber that is older than most of our staff,\u201d said "
    "Marta Ilves, who chairs the board, adding that the repairs would take about ten weeks.",
    "Local traders warned that the closure would cut footfall along the waterfront, and the "
    "chamber of commerce asked the board to publish a timetable for the works.",
    "The board said temporary shuttle buses would run every twenty minutes between the two "
    "terminals while the pier is closed to the public.",
]


def news_page(body: str, head: str = "", before: str = "", after: str = "") -> str:
    """A news page with site furniture around an article whose body markup is given."""
    nav = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in
                  ("news", "sport", "business", "weather", "opinion", "video"))
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Harbour board closes ferry pier | The Coast Courier</title>{head}</head><body>
<header><a href="/signin">Sign in</a><nav><ul>{nav}</ul></nav>
<div class="edition">Edition: Coast</div></header>{before}
<main><article><h1>Harbour board closes ferry pier</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Print this page</a></div>
{body}</article></main>{after}
<footer><p>Copyright 2021 The Coast Courier. All rights reserved.</p></footer>
</body></html>"""


def read_page(tmp_path: Path, markup: str):
    path = tmp_path / "page.html"
    path.write_text(markup, encoding="utf-8")
    return read_document(path, tmp_path)


def test_each_p_is_a_paragraph_and_furniture_is_left_out(tmp_path):
    doc = read_page(tmp_path, news_page("".join(f"<p>{text}</p>" for text in STORY)))
    assert doc.paragraphs == STORY
    assert doc.title == "Harbour board closes ferry pier"


def test_blank_line_breaks_inside_one_p_split_it(tmp_path):
    body = "<p>" + "<br><br>\n".join(STORY[:3]) + "<br>\n<br></p><p>" + STORY[3] + "</p>"
    doc = read_page(tmp_path, news_page(body))
    assert doc.paragraphs == STORY


def test_a_single_line_break_stays_inside_its_paragraph(tmp_path):
    body = f"<p>{STORY[0]}<br>{STORY[1]}</p><p>{STORY[2]}</p><p>{STORY[3]}</p>"
    doc = read_page(tmp_path, news_page(body))
    assert doc.paragraphs == [f"{STORY[0]} {STORY[1]}", STORY[2], STORY[3]]


def test_the_story_wins_over_dozens_of_article_teasers(tmp_path):
    teasers = "".join(
        f'<article class="teaser"><h3><a href="/story/{i}">Teaser headline number {i}</a>'
        f"</h3><p>A short teaser {i} about another matter.</p></article>" for i in range(40))
    story = "".join(f"<p>{text}</p>" for text in STORY)
    markup = news_page("", before=f'<section class="latest">{teasers}</section>')
    markup = markup.replace("<main><article>", "<main><div class='story'>", 1)
    markup = markup.replace("</article></main>", story + "</div></main>", 1)
    doc = read_page(tmp_path, markup)
    assert doc.paragraphs == STORY


def test_the_lead_paragraph_is_not_repeated(tmp_path):
    lead = f'<p class="summary">{STORY[0]}</p>'
    head = f'<meta name="description" content="{STORY[0]}">'
    doc = read_page(tmp_path, news_page(lead + "".join(f"<p>{t}</p>" for t in STORY), head))
    assert doc.paragraphs.count(STORY[0]) == 1


def test_a_standfirst_outside_the_body_is_the_first_paragraph(tmp_path):
    standfirst = "Commuters face ten weeks of detours while the timber pier is rebuilt."
    head = f'<meta property="og:description" content="{standfirst}">'
    markup = news_page("".join(f"<p>{text}</p>" for text in STORY), head).replace(
        "</h1>", f'</h1></article><p class="dek">{standfirst}</p><article>', 1)
    doc = read_page(tmp_path, markup)
    assert doc.paragraphs == [standfirst, *STORY]


@pytest.mark.parametrize("head, before", [
    ('<meta property="article:published_time" content="2021-04-17T09:00:00Z">', ""),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
     '"NewsArticle", "datePublished": "2021-04-17T09:00:00Z", "dateModified": '
     '"2021-04-20T10:00:00Z"}</script>', ""),
    ('<meta property="og:url" content="https://courier.example/2021/04/17/pier-closes/">',
     '<img src="https://cdn.example/2021/04/19/photo.jpg" alt="">'),
    ("", '<div class="byline">By Ana Lind | Published April 17, 2021</div>'),
], ids=["meta", "json-ld", "url", "byline"])
def test_publication_date_from_meta_json_ld_url_or_byline(tmp_path, head, before):
    doc = read_page(tmp_path, news_page("".join(f"<p>{t}</p>" for t in STORY), head, before))
    assert doc.date == dt.date(2021, 4, 17)
    assert doc.paragraphs == STORY


def test_title_is_the_headline_without_the_site_name(tmp_path):
    head = '<meta property="og:title" content="Harbour board closes ferry pier - Coast Courier">'
    doc = read_page(tmp_path, news_page("".join(f"<p>{t}</p>" for t in STORY), head))
    assert doc.title == "Harbour board closes ferry pier"


def test_short_unlinked_articles_of_a_live_page_are_kept(tmp_path):
    posts = "".join(f"<article class='post'><p>{text}</p></article>" for text in STORY)
    markup = news_page("").replace("<main><article>", "<main><div>", 1).replace(
        "</article></main>", posts + "</div></main>", 1)
    assert read_page(tmp_path, markup).paragraphs == STORY


def test_photo_captions_credits_and_galleries_are_left_out(tmp_path):
    photo = ('<div class="photo"><img src="/pier.jpg" alt=""><div class="cutline">Workers '
             'inspect the timber pier on Thursday morning.</div><div class="credit">HARBOUR '
             'BOARD/HANDOUT</div></div><div id="photoGallery"><p>Loading gallery</p></div>')
    body = f"<p>{STORY[0]}</p>{photo}" + "".join(f"<p>{text}</p>" for text in STORY[1:])
    doc = read_page(tmp_path, news_page(body))
    assert doc.paragraphs == STORY
