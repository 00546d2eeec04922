"""A deterministic synthetic corpus in the genre of corpus/: who said what, when, for whom.

Documents are written as real files (about 90% .txt in the seed layout: title line, blank line,
date line like `May 16, 2017`, blank line, paragraphs separated by blank lines; about 10% HTML
with <article><h1><time datetime=...><p>) into folders of at most 1000 files each.

Everything is derived from the seed: the vocabulary (pseudo-words with a Zipfian frequency), the
speakers (first x last name tables, each with a fixed role and organisation), the organisations
(composed from word tables), the paragraph count of every document and every document's text.
Document i depends only on (seed, i), so a smaller corpus is a prefix of a larger one and the
files can be written by several processes.

    python bench/corpus.py --paragraphs 100000 --out /tmp/corpus-100k
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import itertools
import json
import multiprocessing
import random
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_SEED = 20170516
MANIFEST = "MANIFEST.json"  # not a document suffix, so readers of the corpus ignore it
FILES_PER_FOLDER = 1000
HTML_SHARE = 0.10
PARAGRAPHS_PER_DOC = (8, 12)  # inclusive; about 10 on average
WORDS_PER_PARAGRAPH = (40, 120)
VOCABULARY_SIZE = 40_000
N_SPEAKERS = 6_000
N_ORGANISATIONS = 600
FUNCTION_SHARE = 0.30  # share of running words that are English function words
FIRST_DAY = dt.date(2014, 1, 1)
DAYS = (dt.date(2023, 12, 31) - FIRST_DAY).days + 1  # ten years

FIRST_NAMES = """
Aaron Abigail Adrian Aisha Alan Alejandro Alice Amara Amir Ana Andrew Angela Anil Anna Arjun
Astrid Beatriz Ben Bianca Boris Bruno Carla Carlos Catherine Chen Chloe Claire Daniel David
Deepa Diego Dmitri Elena Elif Emma Eric Esther Fatima Felix Fiona Francesca Gabriel Grace Hana
Hannah Hassan Heather Helen Hiroshi Ian Ibrahim Ines Ingrid Isaac Ivan James Jana Javier Jean
Jessica Joao John Jonas Jorge Julia Kamala Karen Karim Kate Kenji Kofi Laura Leila Lena Liam
Lucia Luis Maria Mark Marta Martin Maya Mehmet Michael Mina Mohammed Nadia Naomi Nikos Nina
Noah Olga Omar Oscar Patrick Paula Pedro Peter Priya Rachel Rafael Rahul Ravi Rebecca Robert
Rosa Ruth Samuel Sara Sergei Simon Sofia Stefan Stuart Tariq Thomas Tomas Valentina Victor
Wei Yara Yusuf Zainab Zoe
""".split()

LAST_NAMES = """
Abbott Adeyemi Ahmed Akhtar Alvarez Andersen Arslan Bakker Banerjee Barros Becker Bennett
Berg Bianchi Blake Bondarenko Brennan Brooks Campbell Cardoso Carter Castillo Chakraborty Chan
Chowdhury Clarke Costa Cruz Dahl Daniels Dasgupta Delgado Demir Diallo Dimitrov Dubois Duarte
Edwards Eriksen Esposito Evans Farouk Fernandes Ferrari Fischer Fitzgerald Fontaine Fraser
Friedman Garcia Gallagher Gonzalez Gordon Greco Gupta Haddad Hagen Hall Hansen Harris Hashemi
Herrera Hoffmann Holm Horvat Hughes Ibrahim Ivanova Jansen Jensen Jimenez Johansson Jones
Kaplan Karimi Kell Keller Khan Kim Klein Kowalski Kramer Kruger Kumar Lambert Larsen Laurent
Lee Lehmann Lindqvist Lopez Lund Madsen Mahmoud Marino Martens Mazur Mendes Mensah Meyer Mills
Mitchell Moreau Morris Murphy Nakamura Nauert Navarro Nielsen Novak Nowak Nunez Obi Okafor
Oliveira Olsen Ortiz Osei Owens Ozturk Park Patel Pereira Perez Petrov Pham Popescu Quinn
Rahman Raman Ramirez Reyes Ribeiro Richter Rivera Romano Rossi Russo Sahin Santos Sato Schmidt
Schneider Schulz Silva Singh Sokolov Sorensen Stewart Suzuki Tanaka Taylor Teixeira Thompson
Torres Turner Ueda Vargas Vasquez Vega Verma Vogel Wagner Walsh Wang Weber Wilson Wolf Wong
Yamamoto Yilmaz Young Zhang Zhou Zielinski
""".split()

ROLES = """
spokesperson|chief executive|director of communications|minister|deputy director|chief economist
|senior analyst|president|chair|general counsel|head of research|press secretary|secretary general
|deputy minister|director|vice president|chief operating officer|head of policy|ambassador
|commissioner|chief scientist|managing director|senior adviser|treasurer
""".replace("\n", "").split("|")

TOPICS = """
Agriculture Defence Energy Finance Health Education Transport Justice Trade Labour Housing
Environment Fisheries Culture Tourism Water Digital Affairs Science Industry Mining Forestry
Migration Security Communications Infrastructure Budget Climate Ports Aviation Veterans
Statistics Competition Insurance Pensions Nutrition Shipping Telecommunications Innovation
""".split()

PLACES = """
Northern Southern Eastern Western Atlantic Pacific Baltic Nordic Alpine Coastal Highland Central
Metropolitan Continental Capital Harbour Valley Lakeside Riverside Summit Meridian Horizon
Pioneer Granite Silver Crescent Beacon Union Liberty Federal Royal Civic Delta Orion Apex Vertex
Keystone Evergreen
""".split()

COMPANY_KINDS = """
Corporation|Holdings|Group|Bank|Energy|Airlines|Logistics|Pharmaceuticals|Telecom|Insurance
|Motors|Steel|Foods|Shipping|Capital|Industries|Mining|Media|Utilities|Railways
""".replace("\n", "").split("|")

PROFESSIONS = """
Farmers Nurses Teachers Engineers Pilots Miners Dockworkers Physicians Pharmacists Architects
Retailers Exporters Builders Journalists Accountants Fishermen
""".split()

FUNCTION_WORDS = """
the of and to a in that is for on with as by was it be at has have will its from this are which
been were an their not
""".split()

SPEECH_VERBS = ("said", "said", "said", "added", "noted", "warned", "stressed")
REPORTED_VERBS = ("said", "said", "told reporters", "argued", "warned", "confirmed")
NARRATIVE_OPENERS = ("The {org} said", "Officials at the {org} said",
                     "In a statement, the {org} said", "A report published by the {org} found",
                     "The {org} announced")

_ONSETS = ("b bl br c ch cl cr d dr f fl fr g gl gr h j k kl l m n p pl pr qu r s sc sh sk sl sm "
           "sn sp st str t th tr v w z").split()
_VOWELS = "a e i o u a e i o ai ea ou io".split()
_CODAS = ("", "", "", "n", "r", "l", "m", "s", "t", "nd", "rt", "st", "ng", "x", "k", "ph")


@dataclass(frozen=True)
class Speaker:
    name: str
    first: str
    last: str
    role: str
    organisation: str


@dataclass(frozen=True)
class Tables:
    """Everything documents are drawn from, fixed by the seed."""

    words: tuple[str, ...]          # pseudo-words, most frequent first
    population: tuple[str, ...]     # function words then pseudo-words
    cum_weights: tuple[float, ...]  # for random.choices over population
    organisations: tuple[str, ...]  # most frequently mentioned first
    org_weights: tuple[float, ...]
    speakers: tuple[Speaker, ...]   # most frequently quoted first
    speaker_weights: tuple[float, ...]
    phrases: tuple[str, ...]        # recurring two-word topic phrases, most frequent first
    phrase_weights: tuple[float, ...]


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank ** s) for rank in range(1, n + 1)]


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    from whoosh.analysis import STOP_WORDS

    reserved = set(STOP_WORDS) | {w.lower() for w in FIRST_NAMES + LAST_NAMES + FUNCTION_WORDS}
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < n:
        syllables = rng.choice((1, 2, 2, 2, 3))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                       for _ in range(syllables))
        if 4 <= len(word) <= 12 and word not in seen and word not in reserved:
            seen.add(word)
            words.append(word)
    return words


def _organisation_names(rng: random.Random, n: int) -> list[str]:
    makers = (
        lambda: f"Ministry of {rng.choice(TOPICS)}",
        lambda: f"{rng.choice(PLACES)} {rng.choice(COMPANY_KINDS)}",
        lambda: f"{rng.choice(PLACES)} {rng.choice(TOPICS)} {rng.choice(COMPANY_KINDS)}",
        lambda: f"Institute for {rng.choice(TOPICS)} Studies",
        lambda: f"National {rng.choice(TOPICS)} Agency",
        lambda: f"{rng.choice(PLACES)} University",
        lambda: f"Federation of {rng.choice(PROFESSIONS)}",
        lambda: f"{rng.choice(PLACES)} {rng.choice(TOPICS)} Council",
        lambda: f"{rng.choice(TOPICS)} Regulatory Authority",
        lambda: f"{rng.choice(PLACES)} Institute for {rng.choice(TOPICS)}",
    )
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(makers)()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


@lru_cache(maxsize=4)
def tables(seed: int = DEFAULT_SEED) -> Tables:
    """The word, name and organisation tables for a seed (cached; cheap to rebuild)."""
    rng = random.Random(f"tables:{seed}")
    words = _pseudo_words(rng, VOCABULARY_SIZE)
    fw = _zipf(len(FUNCTION_WORDS), 0.8)
    ww = _zipf(len(words), 1.0)
    scale_f, scale_w = FUNCTION_SHARE / sum(fw), (1 - FUNCTION_SHARE) / sum(ww)
    weights = [w * scale_f for w in fw] + [w * scale_w for w in ww]
    organisations = _organisation_names(rng, N_ORGANISATIONS)
    combos = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(combos)
    org_weights = _zipf(len(organisations), 0.9)
    speakers = []
    for first, last in combos[:N_SPEAKERS]:
        org = rng.choices(organisations, weights=org_weights)[0]
        speakers.append(Speaker(f"{first} {last}", first, last, rng.choice(ROLES), org))
    phrases = []
    used: set[str] = set()
    while len(phrases) < 300:
        phrase = f"{rng.choice(words[50:3000])} {rng.choice(words[50:3000])}"
        if phrase not in used:
            used.add(phrase)
            phrases.append(phrase)
    return Tables(
        words=tuple(words),
        population=tuple(FUNCTION_WORDS + words),
        cum_weights=tuple(itertools.accumulate(weights)),
        organisations=tuple(organisations),
        org_weights=tuple(itertools.accumulate(org_weights)),
        speakers=tuple(speakers),
        speaker_weights=tuple(itertools.accumulate(_zipf(len(speakers), 0.8))),
        phrases=tuple(phrases),
        phrase_weights=tuple(itertools.accumulate(_zipf(len(phrases), 0.9))),
    )


def paragraph_counts(paragraphs: int, seed: int = DEFAULT_SEED) -> list[int]:
    """Paragraphs per document, summing to exactly `paragraphs`."""
    rng = random.Random(f"counts:{seed}")
    counts: list[int] = []
    left = paragraphs
    while left > 0:
        n = min(left, rng.randint(*PARAGRAPHS_PER_DOC))
        counts.append(n)
        left -= n
    return counts


def document_path(index: int, is_html: bool) -> str:
    """The file's path relative to the corpus root: at most FILES_PER_FOLDER per folder."""
    suffix = "html" if is_html else "txt"
    return f"{index // FILES_PER_FOLDER:04d}/{index:07d}.{suffix}"


@dataclass
class GeneratedDocument:
    index: int
    path: str
    title: str
    date: dt.date
    paragraphs: list[str]
    speakers: list[str]       # speakers quoted, in order of first appearance
    organisations: list[str]  # organisations named
    is_html: bool


class _Writer:
    """Words and sentences from the tables, for one document's random stream."""

    def __init__(self, t: Tables, rng: random.Random):
        self.t = t
        self.rng = rng

    def words(self, n: int) -> list[str]:
        t = self.t
        out = self.rng.choices(t.population, cum_weights=t.cum_weights, k=n)
        if n > 8 and self.rng.random() < 0.5:  # a recurring topic phrase
            phrase = self.rng.choices(t.phrases, cum_weights=t.phrase_weights)[0]
            at = self.rng.randrange(0, n - 2)
            out[at:at + 2] = phrase.split()
        return out

    def clause(self, n: int) -> str:
        """Words with sentence breaks, no final full stop."""
        words = self.words(n)
        rng = self.rng
        i = 0
        sentences = []
        while i < len(words):
            length = rng.randint(9, 22)
            if len(words) - (i + length) < 5:  # no stub sentence at the end
                length = len(words) - i
            part = words[i:i + length]
            i += length
            part[0] = part[0].capitalize()
            sentences.append(" ".join(part))
        return ". ".join(sentences)

    def lower_clause(self, n: int) -> str:
        body = self.clause(n)
        return body[0].lower() + body[1:]


def generate_document(index: int, n_paragraphs: int, seed: int = DEFAULT_SEED) -> GeneratedDocument:
    """Document number `index` of the corpus for `seed`, with n_paragraphs paragraphs."""
    t = tables(seed)
    rng = random.Random(f"doc:{seed}:{index}")
    w = _Writer(t, rng)
    date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    is_html = rng.random() < HTML_SHARE
    curly = rng.random() < 0.5
    lq, rq = ("\u201c", "\u201d") if curly else ('"', '"')
    cast = rng.choices(t.speakers, cum_weights=t.speaker_weights, k=rng.randint(1, 4))
    introduced: set[str] = set()
    speakers: list[str] = []
    organisations: list[str] = []

    def org() -> str:
        name = rng.choices(t.organisations, cum_weights=t.org_weights)[0]
        organisations.append(name)
        return name

    def who(s: Speaker, comma: str) -> str:
        """First mention: name, role and organisation; later: the last name."""
        if s.name not in speakers:
            speakers.append(s.name)
        organisations.append(s.organisation)
        if s.name in introduced:
            return s.last
        introduced.add(s.name)
        joiner = "of" if rng.random() < 0.6 else "at"
        return f"{s.name}{comma} the {s.role} {joiner} the {s.organisation}"

    paragraphs = []
    for _ in range(n_paragraphs):
        n = rng.randint(*WORDS_PER_PARAGRAPH)
        kind = rng.random()
        s = rng.choice(cast)
        if kind < 0.35:  # "…," said NAME, the ROLE of ORG. More.
            quote_n = min(n - 6, rng.randint(15, 40))
            speech = rng.choice(SPEECH_VERBS)
            text = f"{lq}{w.clause(quote_n)},{rq} {speech} {who(s, ',')}."
            if n - quote_n > 10:
                text += f" {w.clause(n - quote_n - 6)}."
        elif kind < 0.55:  # NAME, the ROLE at ORG, said …
            verb = rng.choice(REPORTED_VERBS)
            if s.name in introduced:
                text = f"{who(s, ',')} {verb} that {w.lower_clause(n - 4)}."
            else:
                text = f"{who(s, ',')}, {verb} that {w.lower_clause(n - 8)}."
        elif kind < 0.70:  # …, according to ORG.
            if rng.random() < 0.5:
                text = f"{w.clause(n - 5)}, according to the {org()}."
            else:
                text = f"According to {s.name}, {w.lower_clause(n - 4)}."
                if s.name not in speakers:
                    speakers.append(s.name)
        elif kind < 0.78:  # a date in the text
            when = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            text = (f"On {when:%B} {when.day}, {when.year}, the {org()} said that "
                    f"{w.lower_clause(n - 10)}.")
        else:  # narrative
            opener = rng.choice(NARRATIVE_OPENERS).format(org=org()) if rng.random() < 0.5 else ""
            text = f"{opener} that {w.lower_clause(n)}." if opener else f"{w.clause(n)}."
        paragraphs.append(text)
    title_words = " ".join(w.words(rng.randint(3, 6))).title()
    title = f"{rng.choice(t.organisations)} {rng.choice(('on', 'warns of', 'backs', 'rejects'))} " \
            f"{title_words}"
    return GeneratedDocument(index, document_path(index, is_html), title, date, paragraphs,
                             speakers, sorted(set(organisations)), is_html)


def render(doc: GeneratedDocument) -> str:
    """The document as file text: the seed .txt layout, or an HTML article page."""
    date_line = f"{doc.date:%B} {doc.date.day}, {doc.date.year}"
    if not doc.is_html:
        return "\n\n".join([doc.title, date_line, *doc.paragraphs]) + "\n"
    esc = html.escape
    body = "\n".join(f"  <p>{esc(p, quote=False)}</p>" for p in doc.paragraphs)
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc(doc.title)} | Newsroom</title>\n</head>\n<body>\n"
        "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\n<main>\n<article>\n"
        f"  <h1>{esc(doc.title)}</h1>\n"
        f"  <time datetime=\"{doc.date.isoformat()}\">{date_line}</time>\n"
        f"{body}\n</article>\n</main>\n<footer><p>Newsroom</p></footer>\n</body>\n</html>\n"
    )


def _write_range(job: tuple[str, int, int, list[int], int]) -> int:
    out, start, seed, counts, _ = job
    root = Path(out)
    made_dirs: set[str] = set()
    for offset, n in enumerate(counts):
        doc = generate_document(start + offset, n, seed)
        folder = doc.path.split("/", 1)[0]
        if folder not in made_dirs:
            (root / folder).mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        (root / doc.path).write_text(render(doc), encoding="utf-8")
    return sum(counts)


def manifest_for(paragraphs: int, seed: int) -> dict:
    counts = paragraph_counts(paragraphs, seed)
    return {"generator_version": GENERATOR_VERSION, "seed": seed, "paragraphs": paragraphs,
            "documents": len(counts)}


def existing_manifest(out: Path) -> dict | None:
    try:
        return json.loads((Path(out) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def generate_corpus(out: Path, paragraphs: int, seed: int = DEFAULT_SEED, processes: int = 2,
                    progress=None) -> dict:
    """Write the corpus into `out` (reused as is when its manifest already matches)."""
    out = Path(out)
    wanted = manifest_for(paragraphs, seed)
    found = existing_manifest(out)
    if found and all(found.get(k) == v for k, v in wanted.items()):
        return {**found, "reused": True}
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} exists and holds something other than this corpus; "
                         "choose an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counts = paragraph_counts(paragraphs, seed)
    jobs = [(str(out), start, seed, counts[start:start + FILES_PER_FOLDER], 0)
            for start in range(0, len(counts), FILES_PER_FOLDER)]
    done = 0
    if processes > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for written in pool.imap_unordered(_write_range, jobs):
                done += written
                if progress:
                    progress(done, paragraphs)
    else:
        for job in jobs:
            done += _write_range(job)
            if progress:
                progress(done, paragraphs)
    manifest = {**wanted, "seconds": round(time.perf_counter() - started, 2),
                "html_share": HTML_SHARE, "files_per_folder": FILES_PER_FOLDER}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return {**manifest, "reused": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    info = generate_corpus(args.out, args.paragraphs, args.seed, args.processes)
    json.dump(info, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
