"""Extraction quality against gold metadata, and paragraphs per second on one core.

    python bench/extraction.py [--json] [--seeds DIR] [--gold FILE] [--seconds N]

Reads the seed documents (default ../shared/seeds beside the repo), the sample documents in
tests/data/extraction (tuned after scoring) and the holdout in tests/data/extraction/holdout
(blind when first scored), each reported separately. Matches each gold paragraph by its
`starts_with` and prints micro-averaged precision, recall and F1 for speakers, organisations
and dates, plus the accuracy of people's titles and organisations.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search.documents import read_document  # noqa: E402
from search.extraction import DocumentFacts, extract_document  # noqa: E402

FIELDS = ("speakers", "organisations", "dates")
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_GOLD = REPO.parent / "shared" / "gold" / "seeds.json"
SAMPLES = REPO / "tests" / "data" / "extraction"
SAMPLE_GOLD = SAMPLES / "gold.json"
HOLDOUT = SAMPLES / "holdout"
HOLDOUT_GOLD = HOLDOUT / "gold.json"
CORPORA = ("seeds", "samples", "holdout")
_SPACES = re.compile(r"\s+")


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


def load_documents(folder: Path) -> dict[str, tuple[object, DocumentFacts]]:
    """Every document in folder, read and extracted, by file name."""
    documents = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".txt", ".html", ".htm"):
            document = read_document(path)
            facts = extract_document(document.paragraphs, document.title, document.date)
            documents[path.name] = (document, facts)
    return documents


def score(gold: dict, documents: dict[str, tuple[object, DocumentFacts]]) -> Report:
    """Compare extracted facts with gold paragraphs and people."""
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


def paragraphs_per_second(documents: list[object], seconds: float) -> tuple[float, float]:
    """Paragraphs extracted per wall-clock and per CPU second, repeating for `seconds` or more.

    One process, one thread; CPU time is what this process used, so it stays honest on a
    machine that is busy with other work.
    """
    done, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while True:
        for document in documents:
            extract_document(document.paragraphs, document.title, document.date)
            done += len(document.paragraphs)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed, done / max(time.process_time() - cpu_started, 1e-9)


def evaluate(seeds: Path, gold_path: Path, seconds: float = 2.0) -> dict:
    """Figures for the seeds, the tuned samples and the blind holdout, as one dict."""
    result: dict = {}
    corpora = [("seeds", seeds, gold_path), ("samples", SAMPLES, SAMPLE_GOLD),
               ("holdout", HOLDOUT, HOLDOUT_GOLD)]
    all_documents = []
    for label, folder, gold_file in corpora:
        if not folder.is_dir() or not gold_file.is_file():
            result[label] = {"skipped": f"{folder} or {gold_file} not found"}
            continue
        documents = load_documents(folder)
        all_documents.extend(document for document, _ in documents.values())
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        result[label] = score(gold, documents).as_dict()
    wall, cpu = paragraphs_per_second(all_documents, seconds) if all_documents else (0.0, 0.0)
    result["paragraphs_per_second"] = round(wall, 1)
    result["paragraphs_per_cpu_second"] = round(cpu, 1)
    return result


def print_report(result: dict) -> None:
    """The figures as a short human-readable table."""
    for label in CORPORA:
        figures = result.get(label, {})
        print(f"== {label}")
        if "skipped" in figures:
            print(f"   skipped: {figures['skipped']}")
            continue
        for name in FIELDS:
            s = figures[name]
            print(f"   {name:<14} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
        print(f"   people title/organisation accuracy {figures['people_fields_accuracy']:.3f}"
              f"  ({figures['paragraphs_scored']} paragraphs scored)")
        for problem in figures["unmatched_gold_paragraphs"]:
            print(f"   unmatched gold paragraph: {problem}")
        for mistake in figures["mistakes"]:
            print(f"   - {mistake}")
    print(f"paragraphs/second (one core): {result['paragraphs_per_second']} wall-clock, "
          f"{result['paragraphs_per_cpu_second']} per CPU second")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="how long to repeat the documents when timing (at least)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = evaluate(args.seeds, args.gold, args.seconds)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
