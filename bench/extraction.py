"""Extraction quality against gold metadata, and paragraphs per second on one core.

    python bench/extraction.py [--json] [--details] [--realnews DIR] [--seeds DIR] [--gold FILE]
                               [--seconds N]

Corpora, each reported separately: the real-news development set (../shared/realnews beside
the repo, scored by its own score.py, imported at run time), the seed documents
(../shared/seeds with ../shared/gold/seeds.json), the sample documents in tests/data/extraction
(tuned after scoring) and the holdout in tests/data/extraction/holdout (blind when first
scored). The seeds, samples and holdout also get the stricter in-repo scoring (exact values,
people's titles and organisations). Then a breakdown of what is still missed (by source kind,
field and a rough class of speaker error), and paragraphs per second on one core: extraction
alone (documents read beforehand) and read + extract. A corpus whose folder is absent is
reported as skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import re
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search.documents import Document, read_document  # noqa: E402
from search.errors import DocumentError  # noqa: E402
from search.extraction import DocumentFacts, extract_document  # noqa: E402

FIELDS = ("speakers", "organisations", "dates")
SHARED = REPO.parent / "shared"
DEFAULT_REALNEWS = SHARED / "realnews"
DEFAULT_SEEDS = SHARED / "seeds"
DEFAULT_GOLD = SHARED / "gold" / "seeds.json"
SAMPLES = REPO / "tests" / "data" / "extraction"
SAMPLE_GOLD = SAMPLES / "gold.json"
HOLDOUT = SAMPLES / "holdout"
HOLDOUT_GOLD = HOLDOUT / "gold.json"
CORPORA = ("realnews", "seeds", "samples", "holdout")
SUFFIXES = (".txt", ".md", ".html", ".htm")
_SPACES = re.compile(r"\s+")
_SUMMARY_LINE = re.compile(r"^(\w+)\s+P=([\d.]+) R=([\d.]+) F1=([\d.]+) "
                           r"\(tp=(\d+) fp=(\d+) fn=(\d+)\)$")
_TOTALS_LINE = re.compile(r"missing_paragraphs=(\d+) boilerplate=(\d+)$")


@dataclass
class Counts:
    """True positives, false positives and false negatives for one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float]:
        """Precision, recall and F1 (1.0 where there was nothing to find or say)."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


@dataclass
class Report:
    """Scores over a set of documents, with the mistakes that explain them."""

    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    people_right: int = 0
    people_total: int = 0
    paragraphs: int = 0
    unmatched: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The figures as plain data, for --json and for tests."""
        result = {name: counts.scores() for name, counts in self.counts.items()}
        accuracy = self.people_right / self.people_total if self.people_total else 1.0
        result["people_fields_accuracy"] = round(accuracy, 3)
        result["paragraphs_scored"] = self.paragraphs
        result["unmatched_gold_paragraphs"] = self.unmatched
        result["mistakes"] = self.mistakes
        return result


def normalised(text: str) -> str:
    """Text with whitespace runs collapsed, for matching gold `starts_with`."""
    return _SPACES.sub(" ", text).strip()


def document_paths(folder: Path) -> list[Path]:
    """The documents of a folder (not its subfolders), sorted by name."""
    return [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]


def read_and_extract(paths: list[Path]) -> tuple[dict[str, tuple[Document, DocumentFacts]],
                                                 dict[str, str]]:
    """Each readable document with its facts, by file name; and why the others were skipped.

    Like `docsearch extract`, a document that fails is skipped and the others still count.
    """
    documents, skipped = {}, {}
    for path in paths:
        try:
            document = read_document(path)
            facts = extract_document(document.paragraphs, document.title, document.date)
        except DocumentError as exc:
            skipped[path.name] = str(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - an edge, as in the CLI: report and go on
            skipped[path.name] = f"failed: {type(exc).__name__}: {exc}"
            continue
        documents[path.name] = (document, facts)
    return documents, skipped


def load_documents(folder: Path) -> dict[str, tuple[Document, DocumentFacts]]:
    """Every readable document in folder, read and extracted, by file name."""
    return read_and_extract(document_paths(folder))[0]


def extraction_records(documents: dict[str, tuple[Document, DocumentFacts]]) -> list[dict]:
    """Per paragraph, the keys the scorer reads, as `docsearch extract --json` prints them."""
    records = []
    for document, facts in documents.values():
        pairs = zip(document.paragraphs, facts.paragraphs, strict=False)
        for position, (text, para) in enumerate(pairs):
            records.append({
                "document": document.id, "paragraph": position, "title": document.title,
                "document_date": document.date.isoformat() if document.date else None,
                "text": text, "speakers": para.speakers, "organisations": para.organisations,
                "dates": para.dates,
            })
    return records


# --- the strict in-repo scoring (seeds, samples, holdout) -----------------------------------------


def score(gold: dict, documents: dict[str, tuple[Document, DocumentFacts]]) -> Report:
    """Compare extracted facts with gold paragraphs and people, values compared exactly."""
    report = Report()
    for name, gold_document in gold["documents"].items():
        if name not in documents:
            report.unmatched.append(f"{name}: document missing")
            continue
        document, facts = documents[name]
        accepted_date = gold_document.get("date")
        texts = [normalised(p) for p in document.paragraphs]
        for gold_paragraph in gold_document["paragraphs"]:
            prefix = normalised(gold_paragraph["starts_with"])
            index = next((i for i, text in enumerate(texts) if text.startswith(prefix)), None)
            if index is None:
                report.unmatched.append(f"{name}: {prefix[:50]}")
                continue
            report.paragraphs += 1
            found = facts.paragraphs[index]
            for field_name in FIELDS:
                optional = set(gold_paragraph.get(f"{field_name}_optional", []))
                if field_name == "dates" and accepted_date:
                    optional.add(accepted_date)
                _count(report, f"{name}#{index} {field_name}", getattr(found, field_name),
                       set(gold_paragraph[field_name]), optional, report.counts[field_name])
        _score_people(report, name, gold_document.get("people", {}), facts)
    return report


def _count(report: Report, where: str, found: list[str], wanted: set[str], optional: set[str],
           counts: Counts) -> None:
    got = set(found) - (optional - wanted)
    counts.tp += len(got & wanted)
    counts.fp += len(got - wanted)
    counts.fn += len(wanted - got)
    if got != wanted:
        report.mistakes.append(f"{where}: extra {sorted(got - wanted)} missing "
                               f"{sorted(wanted - got)}")


def _score_people(report: Report, name: str, gold_people: dict, facts: DocumentFacts) -> None:
    for person, wanted in gold_people.items():
        found = facts.people.get(person)
        for attribute in ("title", "organisation"):
            report.people_total += 1
            value = getattr(found, attribute) if found else None
            if value == wanted[attribute]:
                report.people_right += 1
            else:
                report.mistakes.append(f"{name} people {person}.{attribute}: "
                                       f"{value!r} != {wanted[attribute]!r}")


# --- the official scorer (../shared/realnews/score.py) --------------------------------------------


def load_scorer(realnews: Path = DEFAULT_REALNEWS) -> ModuleType | None:
    """The official scorer module, imported from its file; None when it is not there."""
    path = Path(realnews) / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("realnews_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def official_scores(scorer: ModuleType, gold_path: Path, records: list[dict]) -> dict:
    """Run the official scorer on the records; its per-field figures, as plain data."""
    with tempfile.TemporaryDirectory() as folder:
        predictions = Path(folder) / "pred.jsonl"
        predictions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                               encoding="utf-8")
        printed = io.StringIO()
        with redirect_stdout(printed):
            scorer.main(str(gold_path), str(predictions))
    return parse_scorer_output(printed.getvalue())


def parse_scorer_output(text: str) -> dict:
    """The figures of the scorer's printout: P/R/F1 and counts per field, missing paragraphs."""
    result: dict = {"missing_paragraphs": [], "boilerplate": []}
    for line in text.splitlines():
        stripped = line.strip()
        if match := _SUMMARY_LINE.match(stripped):
            tp, fp, fn = (int(match.group(i)) for i in (5, 6, 7))
            result[match.group(1)] = {**Counts(tp, fp, fn).scores(), "tp": tp, "fp": fp, "fn": fn}
        elif stripped.startswith("paragraph not found:"):
            result["missing_paragraphs"].append(stripped.split(":", 1)[1].strip())
        elif stripped.startswith("boilerplate indexed:"):
            result["boilerplate"].append(stripped.split(":", 1)[1].strip())
        elif _TOTALS_LINE.search(stripped):
            result["summary"] = stripped
    missing = [f for f in FIELDS if f not in result]
    if missing or "summary" not in result:
        raise ValueError(f"unexpected scorer output (no figures for {missing or 'summary'})")
    return result


# --- what is still missed: the official rules, value by value ----------------------------------


@dataclass
class Mistake:
    """One value the official scorer counts as missed (fn) or wrong (fp)."""

    document: str
    field: str
    kind: str  # "missed" or "wrong"
    value: str
    paragraph: str  # the predicted paragraph's text, or the gold starts_with when not found
    found: bool  # whether the gold paragraph was found in the output
    error_class: str = ""


def source_kind(name: str) -> str:
    """The source kind of a document: its file name up to the first underscore."""
    return name.split("_", 1)[0] if "_" in name else Path(name).stem


def scored_values(scorer: ModuleType, gold: dict, records: list[dict]):
    """Per gold paragraph and field: (name, doc, gold, record or None, field, want, ok, got).

    Built exactly as the official scorer builds them, so counts made from them are its counts.
    """
    for name, doc in gold["documents"].items():
        mine = [p for p in records if str(p.get("document", "")).endswith(name)]
        for g in doc["paragraphs"]:
            prefix = scorer.norm_text(g["starts_with"])
            hit = next((p for p in mine if scorer.norm_text(p.get("text", "")).startswith(prefix)),
                       None)
            for f in FIELDS:
                want = {scorer.norm_value(v) for v in g[f]}
                ok = want | {scorer.norm_value(v) for v in g.get(f + "_optional", [])}
                if f == "dates" and doc.get("date"):
                    ok.add(scorer.norm_value(doc["date"]))
                got = {scorer.norm_value(v) for v in (hit or {}).get(f, []) or []}
                yield name, doc, g, hit, f, want, ok, got


def find_mistakes(scorer: ModuleType, gold: dict, records: list[dict]
                  ) -> tuple[list[Mistake], dict[str, Counts]]:
    """Every missed and wrong value under the official rules, and the counts they add up to."""
    mistakes, counts = [], {f: Counts() for f in FIELDS}
    for name, _doc, g, hit, f, want, ok, got in scored_values(scorer, gold, records):
        counts[f].tp += len(got & want)
        counts[f].fp += len(got - ok)
        counts[f].fn += len(want - got)
        text = hit["text"] if hit else g["starts_with"]
        found = hit is not None
        mistakes += [Mistake(name, f, "missed", v, text, found) for v in sorted(want - got)]
        mistakes += [Mistake(name, f, "wrong", v, text, True) for v in sorted(got - ok)]
    return mistakes, counts


_TURN_LABEL = re.compile(
    r"^[\"'\u201c]?(?:(?:MR|MS|MRS|DR)\.? +)?[A-Z][A-Z'\u2019.\- ]{1,30}:|^Q\b")
_CUE = re.compile(
    r"\b(according to|said|says|saying|told|tells|added|adds|asked|asks|wrote|writes|tweeted|"
    r"announced|claimed|argued|insisted|denied|warned|accused|called|urged|predicted|reported|"
    r"acknowledged|noted|pledged|promised|complained|replied|explained|stated|declared|"
    r"responded|confirmed|admitted|suggested|conceded)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|his|her)\b", re.IGNORECASE)
_QUOTES = "\"\u201c\u201d"
_GOLD_SPEAKER_FIELDS = ("speakers", "speakers_optional")
_GOLD_ORGANISATION_FIELDS = ("organisations", "organisations_optional")


def name_words(value: str) -> list[str]:
    """The words of a name long enough to look for in a paragraph (not initials or Jr.)."""
    return [w for w in re.findall(r"[\w'\u2019-]+", value) if len(w) > 2 and w.lower() != "jr"]


def mentions(text: str, value: str) -> bool:
    """Whether any word of the name occurs in the text (case-insensitive, whole word)."""
    lowered = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", lowered)
               for w in name_words(value))


def gold_values(scorer: ModuleType, paragraphs: list[dict], fields: tuple[str, ...]) -> set[str]:
    """The normalised gold values of these fields over the given paragraphs."""
    return {scorer.norm_value(v) for g in paragraphs for f in fields for v in g.get(f, [])}


def is_transcript(records: list[dict]) -> bool:
    """Whether a document reads as a transcript: two or more paragraphs open with a turn label."""
    return sum(bool(_TURN_LABEL.match(r["text"])) for r in records) >= 2


def classify_missed_speaker(mistake: Mistake, transcript: bool) -> str:
    """A rough reason why a required speaker was not found."""
    text = mistake.paragraph
    if not mistake.found:
        return "paragraph not found"
    if _TURN_LABEL.match(text):
        return "transcript turn label"
    if transcript:
        return "transcript turn, unlabelled paragraph"
    cue = _CUE.search(text)
    if mentions(text, mistake.value):
        return f"named, cue verb '{cue.group(1).lower()}'" if cue else "named, no listed cue verb"
    if cue and _PRONOUN.search(text):
        return f"pronoun, cue verb '{cue.group(1).lower()}'"
    if text.lstrip()[:1] in _QUOTES and not cue:
        return "continued quotation"
    return f"role description, cue verb '{cue.group(1).lower()}'" if cue else "not named, no cue"


def classify_wrong_speaker(scorer: ModuleType, mistake: Mistake, gold_doc: dict,
                           gold_paragraph: dict | None) -> str:
    """A rough reason why a predicted speaker counts as wrong."""
    value = mistake.value
    if value in gold_values(scorer, gold_doc["paragraphs"], _GOLD_ORGANISATION_FIELDS):
        return "an organisation"
    here = gold_values(scorer, [gold_paragraph] if gold_paragraph else [], _GOLD_SPEAKER_FIELDS)
    variants = [other for other in here if mentions(value, other)]
    if variants:
        shorter = any(set(name_words(value)) <= set(name_words(other)) for other in variants)
        return ("a shorter form of this paragraph's speaker" if shorter
                else "a longer or titled form of this paragraph's speaker")
    elsewhere = gold_values(scorer, gold_doc["paragraphs"], _GOLD_SPEAKER_FIELDS)
    if any(mentions(value, other) for other in elsewhere):
        return ("the speaker of another paragraph, named here" if mentions(mistake.paragraph, value)
                else "the speaker of another paragraph, carried over")
    if mentions(mistake.paragraph, value):
        return "mentioned, not speaking"
    return "not in the paragraph"


def classify_organisation(scorer: ModuleType, mistake: Mistake, gold_doc: dict) -> str:
    """A rough reason why an organisation was missed or counts as wrong."""
    text = scorer.norm_value(mistake.paragraph)
    if mistake.kind == "missed":
        return ("written in full" if mistake.value in text
                else "written differently (short form, acronym, possessive)")
    if mistake.value in gold_values(scorer, gold_doc["paragraphs"], _GOLD_ORGANISATION_FIELDS):
        return "an organisation of another paragraph"
    if mistake.value in gold_values(scorer, gold_doc["paragraphs"], _GOLD_SPEAKER_FIELDS):
        return "a person"
    return "not an organisation of this document's gold"


_GRANULARITY = {4: "year", 7: "month", 10: "day"}
_RELATIVE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tomorrow|"
    r"tonight|(?:last|next|this) (?:month|year|night))\b", re.IGNORECASE)


def classify_date(mistake: Mistake, gold_doc: dict) -> str:
    """A rough reason why a date was missed or counts as wrong: its kind and granularity."""
    granularity = _GRANULARITY.get(len(mistake.value), "other")
    if mistake.kind == "wrong":
        return f"wrong {granularity}" + ("" if gold_doc.get("date") else ", undated document")
    relative = _RELATIVE.search(mistake.paragraph) and mistake.value[:4] not in mistake.paragraph
    return f"{'relative' if relative else 'explicit'} {granularity}"


def classify(scorer: ModuleType, gold: dict, records: list[dict],
             mistakes: list[Mistake]) -> None:
    """Set each mistake's rough error class."""
    by_document: dict[str, list[dict]] = {}
    for name in gold["documents"]:
        by_document[name] = [r for r in records if str(r.get("document", "")).endswith(name)]
    transcripts = {name: is_transcript(rs) for name, rs in by_document.items()}
    for mistake in mistakes:
        gold_doc = gold["documents"][mistake.document]
        if not mistake.found:
            mistake.error_class = "paragraph not found"
        elif mistake.field == "organisations":
            mistake.error_class = classify_organisation(scorer, mistake, gold_doc)
        elif mistake.field == "dates":
            mistake.error_class = classify_date(mistake, gold_doc)
        elif mistake.kind == "missed":
            mistake.error_class = classify_missed_speaker(mistake, transcripts[mistake.document])
        else:
            paragraph = _gold_paragraph(scorer, gold_doc, mistake.paragraph)
            mistake.error_class = classify_wrong_speaker(scorer, mistake, gold_doc, paragraph)


def _gold_paragraph(scorer: ModuleType, gold_doc: dict, text: str) -> dict | None:
    normal = scorer.norm_text(text)
    return next((g for g in gold_doc["paragraphs"]
                 if normal.startswith(scorer.norm_text(g["starts_with"]))), None)


def breakdown(scorer: ModuleType, gold: dict, records: list[dict]) -> dict:
    """What is still missed or wrong: by source kind and field, and speaker errors by class."""
    mistakes, counts = find_mistakes(scorer, gold, records)
    classify(scorer, gold, records, mistakes)
    kinds: dict[str, dict] = {}
    for name, doc in gold["documents"].items():
        entry = kinds.setdefault(source_kind(name), {
            "documents": 0, "gold_paragraphs": 0, "missing_paragraphs": 0,
            **{f: {"missed": 0, "wrong": 0} for f in FIELDS}})
        entry["documents"] += 1
        entry["gold_paragraphs"] += len(doc["paragraphs"])
    for name, doc in gold["documents"].items():
        kinds[source_kind(name)]["missing_paragraphs"] += len(_missing_in(scorer, name, doc,
                                                                          records))
    for mistake in mistakes:
        kinds[source_kind(mistake.document)][mistake.field][mistake.kind] += 1
    return {
        "by_source_kind": kinds,
        "errors_by_class": {f: _error_classes(mistakes, f) for f in FIELDS},
        "counts": {f: {"tp": c.tp, "fp": c.fp, "fn": c.fn} for f, c in counts.items()},
        "mistakes": [{"document": m.document, "field": m.field, "kind": m.kind, "value": m.value,
                      "class": m.error_class, "paragraph": m.paragraph[:60]} for m in mistakes],
    }


def _missing_in(scorer: ModuleType, name: str, doc: dict, records: list[dict]) -> list[str]:
    texts = [scorer.norm_text(r.get("text", "")) for r in records
             if str(r.get("document", "")).endswith(name)]
    return [g["starts_with"] for g in doc["paragraphs"]
            if not any(t.startswith(scorer.norm_text(g["starts_with"])) for t in texts)]


def _error_classes(mistakes: list[Mistake], field_name: str, examples: int = 2) -> list[dict]:
    """The field's mistakes counted by (kind, class), most frequent first, with examples."""
    mine = [m for m in mistakes if m.field == field_name]
    classes = Counter((m.kind, m.error_class) for m in mine)
    result = []
    for (kind, cls), count in classes.most_common():
        shown = dict.fromkeys(f"{m.value!r} in {m.document}" for m in mine
                              if m.kind == kind and m.error_class == cls)
        result.append({"kind": kind, "class": cls, "count": count,
                       "examples": list(shown)[:examples]})
    return result


# --- speed ------------------------------------------------------------------------------------


def paragraphs_per_second(paths: list[Path], seconds: float) -> tuple[float, float, int]:
    """Paragraphs read and extracted per wall-clock and per CPU second, repeating the documents
    for `seconds` or more; and how many paragraphs that was.

    One process, one thread, start-up excluded; CPU time is what this process used, so it
    stays honest on a machine that is busy with other work.
    """
    done, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while True:
        for path in paths:
            document = read_document(path)
            extract_document(document.paragraphs, document.title, document.date)
            done += len(document.paragraphs)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            cpu = max(time.process_time() - cpu_started, 1e-9)
            return done / elapsed, done / cpu, done


def extraction_per_cpu_second(paths: list[Path], seconds: float) -> tuple[float, float]:
    """Paragraphs extracted per CPU second, the documents read beforehand: the first pass over
    them and the best of the passes that fill `seconds` (at least two passes)."""
    documents = [read_document(path) for path in paths]
    paragraphs = sum(len(document.paragraphs) for document in documents)
    passes: list[float] = []
    started = time.perf_counter()
    while len(passes) < 2 or time.perf_counter() - started < seconds:
        cpu_started = time.process_time()
        for document in documents:
            extract_document(document.paragraphs, document.title, document.date)
        passes.append(max(time.process_time() - cpu_started, 1e-9))
    return paragraphs / passes[0], paragraphs / min(passes)


# --- putting it together ----------------------------------------------------------------------


def evaluate_corpus(folder: Path, gold_file: Path, scorer: ModuleType | None,
                    strict: bool = True) -> tuple[dict, list[Path]]:
    """Figures for one corpus, and the paths of its readable documents (for timing)."""
    if not folder.is_dir() or not gold_file.is_file():
        return {"skipped": f"{folder} or {gold_file} not found"}, []
    paths = document_paths(folder)
    documents, skipped = read_and_extract(paths)
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    result = score(gold, documents).as_dict() if strict else {}
    result["documents"] = len(documents)
    result["skipped_documents"] = skipped
    if scorer is None:
        result["official"] = {"skipped": "the official scorer (realnews/score.py) is not there"}
    else:
        records = extraction_records(documents)
        result["official"] = official_scores(scorer, gold_file, records)
        details = breakdown(scorer, gold, records)
        details["agrees_with_scorer"] = all(
            details["counts"][f] == {k: result["official"][f][k] for k in ("tp", "fp", "fn")}
            for f in FIELDS)
        result["breakdown"] = details
    return result, [p for p in paths if p.name in documents]


def evaluate(seeds: Path = DEFAULT_SEEDS, gold_path: Path = DEFAULT_GOLD, seconds: float = 2.0,
             realnews: Path = DEFAULT_REALNEWS) -> dict:
    """Figures for the real-news set, the seeds, the tuned samples and the blind holdout."""
    realnews = Path(realnews)
    scorer = load_scorer(realnews)
    result: dict = {}
    if scorer is None:
        result["realnews"] = {"skipped": f"{realnews / 'score.py'} not found: the real-news set "
                                         "is scored only by its official scorer"}
        timed: list[Path] = []
    else:
        result["realnews"], timed = evaluate_corpus(realnews / "docs", realnews / "gold.json",
                                                    scorer, strict=False)
    for label, folder, gold_file in (("seeds", seeds, gold_path),
                                     ("samples", SAMPLES, SAMPLE_GOLD),
                                     ("holdout", HOLDOUT, HOLDOUT_GOLD)):
        result[label], paths = evaluate_corpus(Path(folder), Path(gold_file), scorer)
        timed += paths
    first, best = extraction_per_cpu_second(timed, seconds) if timed else (0.0, 0.0)
    result["extraction_first_pass_per_cpu_second"] = round(first, 1)
    result["extraction_per_cpu_second"] = round(best, 1)
    wall, cpu, paragraphs = paragraphs_per_second(timed, seconds) if timed else (0.0, 0.0, 0)
    result["paragraphs_per_second"] = round(wall, 1)
    result["paragraphs_per_cpu_second"] = round(cpu, 1)
    result["timed_documents"] = len(timed)
    result["timed_paragraphs"] = paragraphs
    return result


# --- printing ---------------------------------------------------------------------------------


def print_report(result: dict, details: bool = False) -> None:
    """The figures as a short human-readable report."""
    for label in CORPORA:
        figures = result.get(label, {})
        print(f"== {label}")
        if "skipped" in figures:
            print(f"   skipped: {figures['skipped']}")
            continue
        if "people_fields_accuracy" in figures:
            _print_strict(figures)
        _print_official(figures, details)
    print(f"paragraphs/second, extraction only (one core, {result['timed_documents']} documents "
          f"read beforehand): {result['extraction_per_cpu_second']} per CPU second (best pass), "
          f"{result['extraction_first_pass_per_cpu_second']} (first pass)")
    print(f"paragraphs/second, read + extract (one core, {result['timed_documents']} documents, "
          f"{result['timed_paragraphs']} paragraphs): {result['paragraphs_per_second']} "
          f"wall-clock, {result['paragraphs_per_cpu_second']} per CPU second")


def _print_strict(figures: dict) -> None:
    print("   in-repo scoring (exact values):")
    for name in FIELDS:
        s = figures[name]
        print(f"   {name:<14} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    print(f"   people title/organisation accuracy {figures['people_fields_accuracy']:.3f}"
          f"  ({figures['paragraphs_scored']} paragraphs scored)")
    for problem in figures["unmatched_gold_paragraphs"]:
        print(f"   unmatched gold paragraph: {problem}")
    for mistake in figures["mistakes"]:
        print(f"   - {mistake}")


def _print_official(figures: dict, details: bool) -> None:
    official = figures["official"]
    for name, reason in figures["skipped_documents"].items():
        print(f"   document skipped by the reader: {name}: {reason}")
    if "skipped" in official:
        print(f"   official scoring skipped: {official['skipped']}")
        return
    print(f"   official scorer ({figures['documents']} documents read):")
    for name in FIELDS:
        s = official[name]
        print(f"   {name:<14} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
              f"  (tp {s['tp']} fp {s['fp']} fn {s['fn']})")
    print(f"   scorer: {official['summary']}")
    _print_breakdown(figures["breakdown"], details)


def _print_breakdown(found: dict, details: bool) -> None:
    if not found["agrees_with_scorer"]:
        print("   WARNING: the breakdown below does not add up to the scorer's counts")
    if not found["mistakes"]:
        return
    print(f"   {'source kind':<14}{'docs':>5}{'paras':>6}{'missing':>8}"
          + "".join(f"{f + ' missed/wrong':>28}" for f in FIELDS))
    for kind, entry in sorted(found["by_source_kind"].items()):
        cells = "".join(f"{str(entry[f]['missed']) + '/' + str(entry[f]['wrong']):>28}"
                        for f in FIELDS)
        print(f"   {kind:<14}{entry['documents']:>5}{entry['gold_paragraphs']:>6}"
              f"{entry['missing_paragraphs']:>8}{cells}")
    for field_name, errors in found["errors_by_class"].items():
        if errors:
            print(f"   {field_name} errors by rough class:")
        for error in errors:
            print(f"   {error['count']:>5}  {error['kind']:<6} {error['class']:<52} e.g. "
                  + "; ".join(error["examples"]))
    if details:
        for m in found["mistakes"]:
            print(f"   - {m['kind']} {m['field'][:-1]} {m['value']!r} [{m['class']}] in "
                  f"{m['document']}: {m['paragraph'][:40]!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realnews", type=Path, default=DEFAULT_REALNEWS,
                        help="the real-news set: docs/, gold.json and score.py")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="how long to repeat the documents when timing (at least)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--details", action="store_true",
                        help="also list every missed and wrong value with its class")
    args = parser.parse_args(argv)
    result = evaluate(args.seeds, args.gold, args.seconds, args.realnews)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result, args.details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
