"""``e20kit report --format md --publish confluence:SPACE/Title`` against the fake."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from confluence_testkit import TOKEN_ENV, context_for, toml
from e20kit_confluence.fake import ConfluenceFake
from e20kit_confluence.publishing import parse_target, storage_format
from e20kit_confluence.publishing import publish as confluence_publish

from e20kit import ConfigError, Published, PublishRequest
from e20kit.sandbox import Org


def _config(fake: ConfluenceFake, tmp_path: Path) -> Path:
    path = tmp_path / "e20kit.toml"
    tables = {
        "store": {"url": f"sqlite:///{tmp_path / 'store.sqlite'}"},
        "connectors.wiki": fake.settings(),
    }
    path.write_text(toml(tables))
    return path


def _report(config: Path, out: Path, *extra: str) -> dict[str, Any]:
    env = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}
    args = ["--config", str(config), "--json", "report", "--format", "md", "--out", str(out)]
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "e20kit"]
    result = CliRunner(env=env).invoke(script.load(), [*args, "--today", "2026-10-30", *extra])
    assert result.exit_code == 8, result.output  # published; nothing collected: a data gap
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def site(org: Org, deployment: dict[str, Any]) -> Any:
    with ConfluenceFake.from_org(org, **deployment) as fake:
        yield fake


def test_publishing_twice_updates_one_page(
    site: ConfluenceFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, site.token)
    config = _config(site, tmp_path)
    space = next(k for k, s in site.data.spaces.items() if s.type == "global")
    target = f"confluence:{space}/Adoption report"
    dry = _report(config, tmp_path / "r.md", "--publish", target, "--dry-run")
    assert dry["published"]["action"] == "would create" and "<h" in dry["published"]["preview"]
    pages = lambda: [c for c in site.data.content.values() if c.title == "Adoption report"]  # noqa: E731
    assert pages() == []
    first = _report(config, tmp_path / "r.md", "--publish", target)
    assert first["published"]["action"] == "created"
    assert len(pages()) == 1 and pages()[0].body.startswith("<h1>")
    second = _report(config, tmp_path / "r.md", "--publish", f"wiki:{space}/Adoption report")
    # the report names the second it was generated at: the same page gets version 2, unless
    # both runs fell into one second (then nothing changed and nothing is written)
    versions = {"updated": [1, 2], "unchanged": [1]}[second["published"]["action"]]
    assert len(pages()) == 1 and [v.number for v in pages()[0].versions] == versions


def _publisher(site: ConfluenceFake) -> tuple[Callable[[str], Published], str]:
    """``publish(markdown)`` of the page ``Stories`` in a global space, and that space."""
    context = context_for(site)
    space = next(k for k, s in site.data.spaces.items() if s.type == "global")
    return lambda text: confluence_publish(context, PublishRequest(f"{space}/Stories", text)), space


def test_a_changed_report_is_a_new_version(site: ConfluenceFake) -> None:
    publish, _ = _publisher(site)
    assert publish("# One").action == "created"
    assert publish("# Two\n\n- a\n- b").action == "updated"
    page = next(c for c in site.data.content.values() if c.title == "Stories")
    assert [v.number for v in page.versions] == [1, 2] and "<li>a</li>" in page.body


def test_targets_and_storage_format() -> None:
    assert parse_target("ENG/Monthly adoption") == ("ENG", "Monthly adoption")
    with pytest.raises(ConfigError):
        parse_target("ENG")
    body = storage_format("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>\n")
    assert "<table>" in body and "<script>" not in body and "&lt;script&gt;" in body


def test_the_same_body_is_not_written_twice(site: ConfluenceFake) -> None:
    publish, _ = _publisher(site)
    assert publish("# Same").action == "created"
    assert publish("# Same").action == "unchanged"
