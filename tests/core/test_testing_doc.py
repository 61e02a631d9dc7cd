"""docs/testing.md: every example is a test module that passes, and the names it lists exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import e20kit.sandbox
import e20kit.testing

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
SANDBOX_DOC = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")


def test_the_examples_run_as_test_modules(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The inner run must not touch this run's PostgreSQL databases (nor demand one under CI).
    monkeypatch.delenv(e20kit.testing.PG_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    blocks = re.findall(r"```python\n(.*?)```", DOC, flags=re.S)
    assert len(blocks) >= 5
    for n, block in enumerate(blocks):
        pytester.makepyfile(**{f"test_doc_example_{n}": block})
    tests = sum(len(re.findall(r"^def test_", block, flags=re.M)) for block in blocks)
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=tests, skipped=1)  # store_url's PostgreSQL half


def test_every_public_testing_name_is_documented() -> None:
    for name in e20kit.testing.__all__:
        assert f"`{name}" in DOC, name


def test_docs_sandbox_lists_exactly_the_public_sandbox_names() -> None:
    section = SANDBOX_DOC.split("## Public API", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(\w+)`", section.split("| names |", 1)[1].split("\n\n", 1)[0]))
    assert listed == set(e20kit.sandbox.__all__)
