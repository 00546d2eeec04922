"""bench/chaos.py end to end, briefly: a few random kills of each kind, then the index must
hold exactly the corpus's paragraphs (the full run, `python bench/chaos.py`, makes 24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import chaos

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="chaos.py follows processes through /proc")


def test_a_short_chaos_run_survives_its_kills(tmp_path, capsys):
    code = chaos.main(["--kills", "3", "--paragraphs", "2200", "--seed", "3",
                       "--workdir", str(tmp_path), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert result["problems"] == [] and code == 0
    assert result["kills"] >= 3 and sum(result["kills_by_kind"].values()) == result["kills"]
    assert result["indexed_paragraphs"] == result["expected_paragraphs"] > 1500
    assert result["duplicates"] == 0
