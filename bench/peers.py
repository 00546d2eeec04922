"""The same records and the same workload on SQLite FTS5 and on Tantivy.

Both peers are built from the docsearch index's stored fields, so they hold exactly the
paragraphs, speakers, organisations and dates docsearch extracted. Each peer answers a workload
query at three levels, like docsearch:

    a  top 10 ids by relevance
    b  a, plus the stored text and a highlighted snippet of each hit
    c  b, plus the total and exact facet counts over all matches for speaker, organisation and
       year, with docsearch's semantics: a facet's counts ignore that facet's own filter but
       apply the others (so a selected speaker still shows the other speakers' counts)
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

SNIPPET_TOKENS = 64
FACET_SIZE = 1_000_000  # Tantivy terms aggregation size: above any cardinality, so exact
WHOOSH_TO_FTS5_BOOSTS = (1.0, 0.6, 0.4)  # text, speaker_text, organisation_text


def day_number(date_from: str | None, date_to: str | None) -> tuple[int | None, int | None]:
    """The workload's date bounds as yyyymmdd integers (inclusive), like docsearch's bounds."""
    from search.query import parse_date_bound

    start = parse_date_bound(date_from, end=False)
    end = parse_date_bound(date_to, end=True)
    low = start.year * 10000 + start.month * 100 + start.day if start else None
    high = end.year * 10000 + end.month * 100 + end.day if end else None
    return low, high


def iter_records(index_dir: Path) -> Iterator[dict]:
    """Every paragraph in the docsearch index as a flat record (stored fields)."""
    from search.index import open_index, split_values

    ix = open_index(index_dir)
    with ix.reader() as reader:
        for docnum, stored in reader.iter_docs():
            date = stored.get("date")
            yield {
                "docnum": docnum,
                "document": stored.get("document", ""),
                "paragraph": stored.get("paragraph", 0),
                "title": stored.get("title", ""),
                "text": stored.get("text", ""),
                "speakers": split_values(stored.get("speaker")),
                "organisations": split_values(stored.get("organisation")),
                "day": (date.year * 10000 + date.month * 100 + date.day) if date else 0,
                "year": stored.get("year") or "",
            }


# ---------------------------------------------------------------- SQLite FTS5


class Fts5Peer:
    name = "fts5"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = sqlite3.connect(str(self.path), check_same_thread=False)
        self.db.execute("PRAGMA cache_size = -262144")  # 256 MB page cache
        self.db.execute("PRAGMA temp_store = MEMORY")
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY)")

    @staticmethod
    def build(index_dir: Path, path: Path) -> dict:
        started = time.perf_counter()
        path = Path(path)
        if path.exists():
            path.unlink()
        db = sqlite3.connect(str(path))
        db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE paragraphs (
                id INTEGER PRIMARY KEY, document TEXT, paragraph INTEGER, title TEXT,
                text TEXT, speaker_text TEXT, organisation_text TEXT, day INTEGER, year TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(
                text, speaker_text, organisation_text,
                content='paragraphs', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2');
            CREATE TABLE para_speaker (pid INTEGER, speaker TEXT);
            CREATE TABLE para_org (pid INTEGER, organisation TEXT);
        """)
        rows, speakers, orgs = [], [], []

        def flush():
            db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?)", rows)
            db.executemany("INSERT INTO fts (rowid, text, speaker_text, organisation_text) "
                           "VALUES (?,?,?,?)", [(r[0], r[4], r[5], r[6]) for r in rows])
            db.executemany("INSERT INTO para_speaker VALUES (?,?)", speakers)
            db.executemany("INSERT INTO para_org VALUES (?,?)", orgs)
            rows.clear()
            speakers.clear()
            orgs.clear()

        count = 0
        for rec in iter_records(index_dir):
            pid = rec["docnum"] + 1
            rows.append((pid, rec["document"], rec["paragraph"], rec["title"], rec["text"],
                         " ; ".join(rec["speakers"]), " ; ".join(rec["organisations"]),
                         rec["day"], rec["year"]))
            speakers += [(pid, s) for s in rec["speakers"]]
            orgs += [(pid, o) for o in rec["organisations"]]
            count += 1
            if len(rows) >= 5000:
                flush()
        flush()
        db.executescript("""
            CREATE INDEX para_speaker_by_name ON para_speaker (speaker, pid);
            CREATE INDEX para_speaker_by_pid ON para_speaker (pid, speaker);
            CREATE INDEX para_org_by_name ON para_org (organisation, pid);
            CREATE INDEX para_org_by_pid ON para_org (pid, organisation);
            CREATE INDEX paragraphs_by_day ON paragraphs (day);
            INSERT INTO fts (fts) VALUES ('optimize');
            ANALYZE;
        """)
        db.commit()
        db.close()
        return {"paragraphs": count, "build_s": round(time.perf_counter() - started, 2),
                "mb": round(path.stat().st_size / 1e6, 1)}

    @staticmethod
    def match_expression(query: dict) -> str | None:
        terms = query["terms"]
        if not terms:
            return None
        quoted = [f'"{t}"' for t in terms]
        expr = f'"{" ".join(terms)}"' if query["phrase"] else " AND ".join(quoted)
        if query["field"]:
            column = {"speaker": "speaker_text", "organisation": "organisation_text"}[
                query["field"]]
            expr = f"{column} : ({expr})"
        return expr

    def _filters(self, query: dict, skip: str | None, alias: str) -> tuple[str, list]:
        sql, args = [], []
        if query["speakers"] and skip != "speaker":
            marks = ",".join("?" * len(query["speakers"]))
            sql.append(f"{alias} IN (SELECT pid FROM para_speaker WHERE speaker IN ({marks}))")
            args += query["speakers"]
        if query["organisations"] and skip != "organisation":
            marks = ",".join("?" * len(query["organisations"]))
            sql.append(f"{alias} IN (SELECT pid FROM para_org WHERE organisation IN ({marks}))")
            args += query["organisations"]
        return (" AND ".join(sql), args)

    @staticmethod
    def _date_filter(query: dict, alias: str) -> tuple[str, list]:
        low, high = day_number(query["date_from"], query["date_to"])
        sql, args = [], []
        if low is not None:
            sql.append("day >= ?")
            args.append(low)
        if high is not None:
            sql.append("day <= ?")
            args.append(high)
        if not sql:
            return "", []
        return f"{alias} IN (SELECT id FROM paragraphs WHERE {' AND '.join(sql)})", args

    def _fill_matches(self, query: dict, expr: str | None) -> None:
        """m := the paragraphs matching the words and the date range (not the facet filters)."""
        db = self.db
        db.execute("DELETE FROM m")
        date_sql, date_args = self._date_filter(query, "id")
        if expr is None:
            db.execute(f"INSERT INTO m SELECT id FROM paragraphs WHERE {date_sql or '1'}",
                       date_args)
        else:
            # +rowid: keep SQLite from driving the MATCH once per candidate rowid
            date_sql = date_sql.replace("id IN", "+rowid IN", 1)
            extra = f" AND {date_sql}" if date_sql else ""
            db.execute(f"INSERT INTO m SELECT rowid FROM fts WHERE fts MATCH ?{extra}",
                       [expr, *date_args])

    def _top(self, expr: str | None, conditions: list[str], args: list) -> list[int]:
        weights = ", ".join(str(w) for w in WHOOSH_TO_FTS5_BOOSTS)
        if expr is None:  # no words: newest first, as a browsing page would
            where = " AND ".join(c.replace("@", "p.id") for c in conditions) or "1"
            rows = self.db.execute(f"SELECT p.id FROM paragraphs p WHERE {where} "
                                   "ORDER BY p.day DESC, p.id LIMIT 10", args).fetchall()
        else:
            extra = "".join(f" AND {c.replace('@', '+rowid')}" for c in conditions)
            rows = self.db.execute(f"SELECT rowid, bm25(fts, {weights}) AS r FROM fts "
                                   f"WHERE fts MATCH ?{extra} ORDER BY r LIMIT 10",
                                   [expr, *args]).fetchall()
        return [row[0] for row in rows]

    def run(self, query: dict, level: str) -> dict:
        db = self.db
        expr = self.match_expression(query)
        filt, filt_args = self._filters(query, None, "@")
        if level == "c":
            self._fill_matches(query, expr)
            conditions = ["@ IN (SELECT id FROM m)"] + ([filt] if filt else [])
            args = filt_args
        else:
            date_sql, date_args = self._date_filter(query, "@")
            conditions = [c for c in (date_sql, filt) if c]
            args = date_args + filt_args
        ids = self._top(expr, conditions, args)
        result = {"hits": ids}
        if level == "a":
            return result
        marks = ",".join("?" * len(ids))
        if expr is not None and ids:
            rows = db.execute(
                f"SELECT rowid, text, snippet(fts, 0, '<mark>', '</mark>', '…', "
                f"{SNIPPET_TOKENS}) FROM fts WHERE fts MATCH ? AND rowid IN ({marks})",
                [expr, *ids]).fetchall()
        elif ids:
            rows = db.execute(f"SELECT id, text, text FROM paragraphs WHERE id IN ({marks})",
                              ids).fetchall()
        else:
            rows = []
        result["snippets"] = [row[2] for row in rows]
        if level == "b":
            return result
        where, args = self._filters(query, None, "m.id")
        where_sql = f"WHERE {where}" if where else ""
        result["total"] = db.execute(f"SELECT count(*) FROM m {where_sql}", args).fetchone()[0]
        facets = {}
        for facet, table, column in (("speaker", "para_speaker", "speaker"),
                                     ("organisation", "para_org", "organisation")):
            fwhere, fargs = self._filters(query, facet, "m.id")
            fsql = f"WHERE {fwhere}" if fwhere else ""
            facets[facet] = dict(db.execute(
                f"SELECT t.{column}, count(*) AS n FROM m JOIN {table} t ON t.pid = m.id {fsql} "
                f"GROUP BY t.{column} ORDER BY n DESC", fargs).fetchall())
        facets["year"] = dict(db.execute(
            f"SELECT p.year, count(*) AS n FROM m JOIN paragraphs p ON p.id = m.id {where_sql} "
            "GROUP BY p.year ORDER BY n DESC", args).fetchall())
        result["facets"] = facets
        return result

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------- Tantivy


class TantivyPeer:
    name = "tantivy"

    def __init__(self, path: Path):
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(path))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    @staticmethod
    def schema():
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("speaker_text", tokenizer_name="en_stem")
        builder.add_text_field("organisation_text", tokenizer_name="en_stem")
        builder.add_text_field("speaker", stored=True, fast=True, tokenizer_name="raw")
        builder.add_text_field("organisation", stored=True, fast=True, tokenizer_name="raw")
        builder.add_text_field("year", stored=True, fast=True, tokenizer_name="raw")
        builder.add_integer_field("day", stored=True, indexed=True, fast=True)
        builder.add_text_field("document", stored=True, tokenizer_name="raw")
        builder.add_integer_field("paragraph", stored=True)
        builder.add_text_field("title", stored=True)
        return builder.build()

    @staticmethod
    def build(index_dir: Path, path: Path) -> dict:
        import shutil

        import tantivy

        started = time.perf_counter()
        path = Path(path)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        index = tantivy.Index(TantivyPeer.schema(), path=str(path))
        writer = index.writer(heap_size=512_000_000, num_threads=2)
        count = 0
        for rec in iter_records(index_dir):
            doc = tantivy.Document()
            doc.add_text("text", rec["text"])
            doc.add_text("speaker_text", " ; ".join(rec["speakers"]))
            doc.add_text("organisation_text", " ; ".join(rec["organisations"]))
            for s in rec["speakers"]:
                doc.add_text("speaker", s)
            for o in rec["organisations"]:
                doc.add_text("organisation", o)
            if rec["year"]:
                doc.add_text("year", rec["year"])
            doc.add_integer("day", rec["day"])
            doc.add_text("document", rec["document"])
            doc.add_integer("paragraph", rec["paragraph"])
            doc.add_text("title", rec["title"])
            writer.add_document(doc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        size = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return {"paragraphs": count, "build_s": round(time.perf_counter() - started, 2),
                "mb": round(size / 1e6, 1)}

    def _text_query(self, query: dict):
        tv = self.tantivy
        terms = query["terms"]
        if not terms:
            return tv.Query.all_query()
        text = f'"{" ".join(terms)}"' if query["phrase"] else " ".join(terms)
        if query["field"]:
            field = {"speaker": "speaker_text", "organisation": "organisation_text"}[
                query["field"]]
            return self.index.parse_query(text, [field], conjunction_by_default=True)
        return self.index.parse_query(
            text, ["text", "speaker_text", "organisation_text"],
            field_boosts={"text": 1.0, "speaker_text": 0.6, "organisation_text": 0.4},
            conjunction_by_default=True)

    def _values_query(self, field: str, values: list[str]):
        tv = self.tantivy
        subs = [(tv.Occur.Should, tv.Query.term_query(self.schema, field, v)) for v in values]
        return tv.Query.boolean_query(subs)

    def _queries(self, query: dict):
        tv = self.tantivy
        base = [self._text_query(query)]
        low, high = day_number(query["date_from"], query["date_to"])
        if low is not None or high is not None:
            base.append(tv.Query.range_query(self.schema, "day", tv.FieldType.Integer,
                                             low if low is not None else 0,
                                             high if high is not None else 99_999_999))
        filters = {}
        if query["speakers"]:
            filters["speaker"] = self._values_query("speaker", query["speakers"])
        if query["organisations"]:
            filters["organisation"] = self._values_query("organisation", query["organisations"])
        return base, filters

    def _and(self, parts):
        tv = self.tantivy
        if len(parts) == 1:
            return parts[0]
        return tv.Query.boolean_query([(tv.Occur.Must, p) for p in parts])

    def run(self, query: dict, level: str) -> dict:
        tv = self.tantivy
        base, filters = self._queries(query)
        everything = self._and(base + list(filters.values()))
        searcher = self.searcher
        if query["terms"]:
            found = searcher.search(everything, limit=10, count=(level == "c"))
        else:  # no words: newest first
            found = searcher.search(everything, limit=10, count=(level == "c"),
                                    order_by_field="day", order=tv.Order.Desc)
        result = {"hits": [addr for _, addr in found.hits]}
        if level == "a":
            return result
        snippets = []
        if found.hits:
            generator = tv.SnippetGenerator.create(searcher, base[0], self.schema, "text")
            generator.set_max_num_chars(600)
            for _, addr in found.hits:
                doc = searcher.doc(addr)
                snippet = generator.snippet_from_doc(doc)
                snippets.append(snippet.to_html() or doc["text"][0])
        result["snippets"] = snippets
        if level == "b":
            return result
        result["total"] = found.count
        facets = {}
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}}
                for name in ("speaker", "organisation", "year")}
        if not filters:
            groups = [(everything, list(aggs))]
        else:  # each facet ignores its own filter
            groups = []
            for name in aggs:
                others = [q for f, q in filters.items() if f != name]
                groups.append((self._and(base + others), [name]))
        for q, names in groups:
            out = searcher.aggregate(q, {name: aggs[name] for name in names})
            for name in names:
                facets[name] = {b["key"]: b["doc_count"] for b in out[name]["buckets"]}
        result["facets"] = facets
        return result

    def close(self) -> None:
        pass


def peer_build_info(path: Path) -> dict | None:
    try:
        return json.loads(Path(str(path) + ".json").read_text())
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- docsearch, proposed changes


class FacetArrays:
    """Prototype for search/query.py: facet columns as numpy arrays, built once per reader.

    For each facet field: the sorted values, and every (paragraph, value) pair as two int32
    arrays (pair_doc, pair_val), plus a CSR index (ptr) to gather the values of a few
    paragraphs. Counting a large match set is one boolean gather and one bincount; a small
    one walks the CSR rows.
    """

    def __init__(self, reader, fields):
        import numpy as np

        self.np = np
        self.doc_count = reader.doc_count_all()
        self.fields = {}
        for fieldname in fields:
            values, docs, vals = [], [], []
            for value_id, term in enumerate(reader.lexicon(fieldname)):
                values.append(term.decode("utf-8"))
                ids = list(reader.postings(fieldname, term).all_ids())
                docs.extend(ids)
                vals.extend([value_id] * len(ids))
            pair_doc = np.asarray(docs, dtype=np.int32)
            pair_val = np.asarray(vals, dtype=np.int32)
            order = np.argsort(pair_doc, kind="stable")
            pair_doc, pair_val = pair_doc[order], pair_val[order]
            ptr = np.zeros(self.doc_count + 1, dtype=np.int64)
            np.add.at(ptr, pair_doc + 1, 1)
            self.fields[fieldname] = (values, pair_doc, pair_val, np.cumsum(ptr))

    def counts(self, fieldname: str, docs, mask) -> dict[str, int]:
        np = self.np
        values, pair_doc, pair_val, ptr = self.fields[fieldname]
        if len(docs) * 8 < self.doc_count:  # few paragraphs: gather their rows
            starts, ends = ptr[docs], ptr[docs + 1]
            lengths = ends - starts
            if lengths.sum() == 0:
                return {}
            index = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(
                lengths.sum())
            selected = pair_val[index]
        else:
            selected = pair_val[mask[pair_doc]]
        counted = np.bincount(selected, minlength=len(values))
        nonzero = np.flatnonzero(counted)
        # most frequent first, then by value (values are sorted, so by value id)
        order = nonzero[np.lexsort((nonzero, -counted[nonzero]))]
        return {values[i]: int(counted[i]) for i in order}


_ARRAYS: dict[int, tuple[object, FacetArrays]] = {}
SPELLING_PREFIX = 2


def quick_suggestion(searcher, q, text: str) -> str | None:
    """search.query.suggestion(), but spelling candidates must share the first
    SPELLING_PREFIX letters: Whoosh 2.7 has no word graph here, so correct_query() otherwise
    computes a Damerau-Levenshtein distance to every word in the lexicon."""
    from search import query as sq

    original = searcher.correct_query

    def correct_query(*args, **kwargs):
        kwargs.setdefault("prefix", SPELLING_PREFIX)
        return original(*args, **kwargs)

    searcher.correct_query = correct_query
    try:
        return sq.suggestion(searcher, q, text)
    finally:
        del searcher.correct_query


class DocsearchPrototype:
    """A reference for search.query.search() with the proposed changes: the same request in,
    the same total, facet counts and top 10 out (checked by run.py's agreement report).

    1. match sets as numpy arrays/masks instead of Python sets;
    2. facet counts with FacetArrays (bincount) instead of a Counter loop per paragraph;
    3. the page of hits with searcher.search(limit=...) rather than search_page() (which asks
       len(results) and so runs the query twice), without terms=True (which records matched
       terms for every match), and with no filter when nothing is filtered;
    4. spelling suggestions only among words sharing the first two letters;
    5. optionally (cache=True) facet counts cached per (reader, query, filters); off for
       timing, since every workload query is distinct.
    """

    name = "proto"

    def __init__(self, index_dir: Path, cache: bool = False):
        from search.index import LiveIndex

        self.live = LiveIndex(index_dir)
        self.searcher = self.live.searcher()
        self.cache = {} if cache else None

    def arrays(self) -> FacetArrays:
        from search.query import FACETS

        reader = self.searcher.reader()
        key = id(reader)
        found = _ARRAYS.get(key)
        if found is None or found[0] is not reader:
            _ARRAYS.clear()
            found = _ARRAYS[key] = (reader, FacetArrays(reader, [f.field for f in FACETS]))
        return found[1]

    def request(self, query: dict):
        from search.query import SearchRequest

        return SearchRequest(q=query["q"], speakers=list(query["speakers"]),
                             organisations=list(query["organisations"]),
                             date_from=query["date_from"], date_to=query["date_to"])

    def search(self, request) -> dict:
        import numpy as np
        from whoosh import highlight
        from whoosh import query as wq

        from search.query import FACETS, date_range_query, parse_query

        searcher = self.searcher
        request.checked()
        q = parse_query(searcher, request.q)
        scope = wq.And([q, r]) if (r := date_range_query(request)) else q
        arrays = self.arrays()

        def docs_of(query) -> np.ndarray:
            if isinstance(query, wq.Every):
                return np.arange(arrays.doc_count, dtype=np.int64)  # no deletions here
            return np.fromiter(searcher.docs_for_query(query), dtype=np.int64)

        def mask_of(docs) -> np.ndarray:
            mask = np.zeros(arrays.doc_count, dtype=bool)
            mask[docs] = True
            return mask

        base = docs_of(scope)
        base_mask = mask_of(base)
        filters = {facet.name: mask_of(docs_of(fq))
                   for facet in FACETS if (fq := facet.filter_query(request)) is not None}
        cache_key = None
        if self.cache is not None:
            cache_key = (id(searcher.reader()), repr(scope),
                         tuple(sorted((k, tuple(sorted(getattr(request, k + "s", []) or [])))
                                      for k in filters)))
        facets = self.cache.get(cache_key) if cache_key is not None else None
        matched_mask = base_mask
        for mask in filters.values():
            matched_mask = matched_mask & mask
        if facets is None:
            facets = {}
            for facet in FACETS:
                mask = base_mask
                for name, other in filters.items():
                    if name != facet.name:
                        mask = mask & other
                docs = base if mask is base_mask else np.flatnonzero(mask)
                facets[facet.name] = arrays.counts(facet.field, docs, mask)
            if cache_key is not None:
                if len(self.cache) > 256:
                    self.cache.clear()
                self.cache[cache_key] = facets
        total = int(matched_mask.sum()) if filters else len(base)
        hits = []
        if total:
            allow = None
            if filters or r is not None:
                allow = set(np.flatnonzero(matched_mask).tolist())
            if request.sort != "relevance":
                raise ValueError("the prototype only ranks by relevance, as the workload does")
            # search(), not search_page(): the page needs no len(results), which makes Whoosh
            # run the whole query a second time; and no terms=True, which records the
            # matched terms of every matching paragraph when only 10 are highlighted.
            first = (request.page - 1) * request.page_size
            results = searcher.search(q, limit=first + request.page_size, filter=allow)
            results.formatter = highlight.HtmlFormatter(tagname="mark")
            results.fragmenter = highlight.ContextFragmenter(maxchars=600, surround=100)
            hits = [{**hit.fields(), "snippet": hit.highlights("text", top=2)}
                    for hit in results[first:first + request.page_size]]
        return {"query": request.q, "total": total, "hits": hits, "facets": facets,
                "suggestion": quick_suggestion(searcher, q, request.q) if total < 5 else None}

    def run(self, query: dict, level: str) -> dict:
        result = self.search(self.request(query))
        return {"hits": [h["document"] for h in result["hits"]], "total": result["total"],
                "facets": result["facets"]}

    def close(self) -> None:
        self.live.close()
