"""Reading pages: a whole document with paragraph anchors, and everything one speaker said."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for

from search.documents import original_file
from search.errors import QueryError
from search.index import text_analyzer
from web.backend import current_backend
from web.params import first, read_state, search_request, state_url
from web.profiles import speaker_profile
from web.quotes import whole_quote_view
from web.reading import marked_paragraph, reading_context
from web.views import pagination, paragraph_url, person_view, sort_options

bp = Blueprint("documents", __name__)
SPEAKER_PAGE_SIZE = 50


def document_data(document_id: str) -> dict | None:
    """A document as plain data (id, title, date, paragraphs), or None when it is not indexed."""
    paragraphs = current_backend().document(document_id)
    if not paragraphs:
        return None
    first = paragraphs[0]
    return {"document": document_id, "title": first["title"],
            "document_date": first["document_date"], "author": first.get("author"),
            "attached_to": first.get("attached_to"), "paragraphs": paragraphs}


def highlighted(value: str | None) -> int | None:
    """The paragraph number to highlight from ?hl=, ignoring anything that is not one."""
    if value and value.isdigit() and len(value) < 7:
        return int(value)
    return None


@bp.get("/documents/<anypath:doc_id>")
def document(doc_id: str):
    """The whole document, each paragraph anchored as #pN; ?hl=N highlights one."""
    data = document_data(doc_id)
    if data is None:
        abort(404, description=f"There is no document {doc_id!r} in the index.")
    reading = reading_context(current_backend(), request.args)
    analyzer = text_analyzer()
    paragraphs = [{"para": para, "anchor": f"p{para['paragraph']}",
                   "marked": marked_paragraph(para, reading["terms"], analyzer),
                   "people": [person_view(name, para) for name in para["speakers"]],
                   "organisations": [{"name": org, "url": url_for("search.index",
                                                                  organisation=org)}
                                     for org in para["organisations"]]}
                  for para in data["paragraphs"]]
    return render_template("document.html", doc=data, paragraphs=paragraphs,
                           people=people_in(data["paragraphs"]),
                           hl=highlighted(request.args.get("hl")),
                           search_url=url_for("search.index", document=doc_id),
                           back_url=reading["back_url"])


@bp.get("/original/<anypath:doc_id>")
def original(doc_id: str):
    """The file an indexed document was read from, as a download (corpus files only)."""
    path = original_file(Path(current_app.config["CORPUS_DIR"]), doc_id)
    if document_data(doc_id) is None or path is None:
        abort(404, description=f"There is no original file for {doc_id!r} in the corpus.")
    return send_file(path, as_attachment=True, download_name=path.name)


def people_in(paragraphs: list[dict]) -> list[dict]:
    """Everyone speaking in a document, most paragraphs first, with role and page link."""
    counts = Counter(name for para in paragraphs for name in para["speakers"])
    found = []
    for name, count in counts.most_common():
        para = next((p for p in paragraphs if name in p["people"]), {})
        found.append({**person_view(name, para), "count": count})
    return found


SPEAKER_SORTS = ("oldest", "newest")


@bp.get("/speakers/<anypath:name>")
def speaker(name: str):
    """Every paragraph one speaker said across the corpus, by date, with who they are."""
    args = read_state(request.args)
    state = {key: args[key] for key in ("sort", "page") if key in args}
    try:
        if first(state, "sort", "oldest") not in SPEAKER_SORTS:
            raise QueryError("a speaker's statements sort by date: oldest or newest")
        wanted = search_request({**state, "speaker": [name], "size": [str(SPEAKER_PAGE_SIZE)]})
    except QueryError as exc:
        return render_template("speaker.html", name=name, error=str(exc))
    wanted.sort = first(state, "sort", "oldest")
    result = current_backend().search(wanted)
    if result["total"] == 0:
        abort(404, description=f"Nobody called {name!r} is quoted in the indexed documents.")
    person = next((person_view(name, hit) for hit in result["hits"]
                   if hit.get("people", {}).get(name)), person_view(name, {}))
    items = [{"hit": hit, "url": paragraph_url(hit["document"], hit["paragraph"]),
              "others": [person_view(other, hit) for other in hit["speakers"] if other != name],
              "quotes": whole_quote_view(hit, only=name)}
             for hit in result["hits"]]
    return render_template(
        "speaker.html", name=name, person=person, result=result, items=items, error=None,
        organisations=list(result["facets"].get("organisation", {}).items())[:10],
        documents=result["facet_sizes"]["document"],
        search_url=state_url({"speaker": [name]}),
        pagination=pagination(state, result["page"], result["pages"], "documents.speaker",
                              name=name),
        sorts=sort_options(state, SPEAKER_SORTS, "documents.speaker", name=name),
        **speaker_profile(name, result))
