"""A small corpus for the journalist features: quotes, months, an undated document."""

from __future__ import annotations

from pathlib import Path

from search.sync import build_index

UNDATED_ID = "undated_note.txt"

JOURNALIST_DOCUMENTS = {
    "2019_03_harbour.txt": """Harbour authority opens new ferry terminal

March 12, 2019

"The terminal will double the number of crossings by summer," said Marta Olsen, the
director of the Northport Harbour Authority.

The ferry terminal cost less than planned, according to the city budget office.

"We expect the ferry timetable to change twice a year," Olsen added.
""",
    "2019_05_harbour.txt": """Ferry crossings delayed by storms

May 20, 2019

"No ferry will sail while the wind is above gale force," said Marta Olsen, the director
of the Northport Harbour Authority.

Passengers waited for hours at the terminal on Sunday.
""",
    "2020_01_council.txt": """Council debates the harbour budget

January 8, 2020

"The harbour budget must pay for flood defences first," said Tomas Reyes, the chair of
the Northport City Council.

Council members voted to delay the ferry subsidy until spring.

"There is no quick solution for the flooding," said Tomas Reyes.
""",
    UNDATED_ID: """Notes from the ferry users' meeting

"Ferry tickets are too expensive for students," said Ana Lindqvist, a spokesperson for the
Northport Student Union.

Several users asked for an earlier morning ferry.
""",
}


def write_journalist_corpus(folder: Path) -> Path:
    """The journalist test documents, written into folder."""
    for name, text in JOURNALIST_DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_journalist_index(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, index) of the journalist documents in fresh temporary folders."""
    corpus = write_journalist_corpus(tmp_path_factory.mktemp("journalist-corpus"))
    index_dir = tmp_path_factory.mktemp("journalist-index")
    build_index([corpus], index_dir)
    return corpus, index_dir
