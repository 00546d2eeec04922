"""The README's promises: its first two commands, and CI running exactly its test command."""

from __future__ import annotations

from .conftest import REPO


def _code_lines(text: str) -> list[str]:
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line.startswith("python3 -m venv")]


def test_readme_opens_with_run_and_test_commands():
    commands = _code_lines((REPO / "README.md").read_text())
    assert len(commands) >= 2
    run, test = commands[:2]
    assert run.endswith("docsearch serve")
    assert "'.[test]'" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    readme_test = _code_lines((REPO / "README.md").read_text())[1]
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    ci_test = next(line for line in ci_lines if line.startswith("python3 -m venv"))
    assert ci_test == readme_test
