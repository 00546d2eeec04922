"""Shared fixtures: the seed corpus indexed once per session into a temporary directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEED_IDS = ("000_7a805d2e677f27ad.txt", "001_fe20d1ebee7ccec9.txt")


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory) -> Path:
    """A folder holding just the two seed documents (copied from corpus/)."""
    folder = tmp_path_factory.mktemp("seeds")
    for name in SEED_IDS:
        shutil.copy(CORPUS / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """The bundled corpus indexed once; tests must not write to it."""
    from search.sync import build_index

    index_dir = tmp_path_factory.mktemp("index")
    build_index([CORPUS], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, seed_corpus) -> Path:
    """Just the two seeds, indexed once; tests must not write to it."""
    from search.sync import build_index

    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index([seed_corpus], index_dir)
    return index_dir
