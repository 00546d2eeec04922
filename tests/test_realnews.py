"""The real-news development set and the seed gold as regression tests, scored by the official
scorer (../shared/realnews/score.py) on what `docsearch extract --json` would print.

Skipped when ../shared is not beside the repo. The floors are today's figures minus a margin;
raise them as extraction improves (the scorer's summary line is in every failure message).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.extraction import (
    document_paths,
    extraction_records,
    load_scorer,
    official_scores,
    read_and_extract,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
REALNEWS = SHARED / "realnews"
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold" / "seeds.json"

# Micro F1 floors per field (official scorer), just under what extraction reaches: measured
# 0.45 / 0.59 / 0.75 at commit 457c92a, 0.976 / 0.978 / 1.00 at the end of issue #11.
REALNEWS_F1_FLOORS = {"speakers": 0.96, "organisations": 0.96, "dates": 0.98}
# Gold paragraphs of the 606 that extraction's output does not contain (64 at 457c92a).
REALNEWS_MAX_MISSING_PARAGRAPHS = 0
SEED_F1_FLOORS = {"speakers": 0.95, "organisations": 0.90, "dates": 0.90}
SEED_MAX_MISSING_PARAGRAPHS = 0

needs_realnews = pytest.mark.skipif(
    not (REALNEWS / "score.py").is_file() or not (REALNEWS / "gold.json").is_file()
    or not (REALNEWS / "docs").is_dir(),
    reason="../shared/realnews (documents, gold and scorer) is not beside the repo")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir() or not SEED_GOLD.is_file(),
                                 reason="../shared/seeds or ../shared/gold/seeds.json is absent")


def official_figures(folder: Path, gold: Path) -> dict:
    """Read and extract every document of folder, then score them with the official scorer."""
    documents, _skipped = read_and_extract(document_paths(folder))
    return official_scores(load_scorer(REALNEWS), gold, extraction_records(documents))


@pytest.fixture(scope="module")
def realnews() -> dict:
    return official_figures(REALNEWS / "docs", REALNEWS / "gold.json")


@pytest.fixture(scope="module")
def seeds() -> dict:
    return official_figures(SEEDS, SEED_GOLD)


@needs_realnews
@pytest.mark.parametrize("field", sorted(REALNEWS_F1_FLOORS))
def test_realnews_f1_is_not_below_its_floor(realnews, field):
    assert realnews[field]["f1"] >= REALNEWS_F1_FLOORS[field], realnews["summary"]


@needs_realnews
def test_realnews_gold_paragraphs_are_found(realnews):
    missing = realnews["missing_paragraphs"]
    assert len(missing) <= REALNEWS_MAX_MISSING_PARAGRAPHS, missing
    assert realnews["boilerplate"] == []


@needs_realnews
@needs_seeds
@pytest.mark.parametrize("field", sorted(SEED_F1_FLOORS))
def test_seed_f1_is_not_below_its_floor(seeds, field):
    assert seeds[field]["f1"] >= SEED_F1_FLOORS[field], seeds["summary"]


@needs_realnews
@needs_seeds
def test_seed_gold_paragraphs_are_found(seeds):
    missing = seeds["missing_paragraphs"]
    assert len(missing) <= SEED_MAX_MISSING_PARAGRAPHS, missing
