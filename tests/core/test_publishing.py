"""``e20kit_publishers`` and ``report --publish``: resolving the target, dry runs, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from e20kit import Kit, PluginContext, PluginError, Published, Publisher, PublishRequest, hookimpl
from e20kit.cli import main
from e20kit.plugins import Plugins

CALLS: list[tuple[str, PublishRequest]] = []


def _publish(context: PluginContext, request: PublishRequest) -> Published:
    CALLS.append((context.name, request))
    if request.dry_run:
        return Published("would create", f"csv:{request.target}", preview=request.document[:20])
    return Published("created", f"csv:{request.target}")


class Board:
    @hookimpl
    def e20kit_publishers(self) -> list[Publisher]:
        return [Publisher(name="board", connector_type="csv", publish=_publish)]


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> None:
    CALLS.clear()
    original = Plugins.__init__

    def with_board(self: Plugins, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.extra = (*self.extra, Board())

    monkeypatch.setattr(Plugins, "__init__", with_board)


def _config(tmp_path: Path, *names: str) -> Path:
    (tmp_path / "export").mkdir(exist_ok=True)
    text = f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n'
    for name in names:
        text += f'[connectors.{name}]\ntype = "csv"\npath = "{tmp_path / "export"}"\n'
    path = tmp_path / "e20kit.toml"
    path.write_text(text)
    return path


def _run(config: Path, out: Path, *extra: str) -> Any:
    args = ["--config", str(config), "--json", "report", "--out", str(out), *extra]
    return CliRunner(env={"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}).invoke(main, args)


def test_publish_goes_to_the_publisher_with_the_connectors_settings(
    board: None, tmp_path: Path
) -> None:
    config = _config(tmp_path, "files")
    result = _run(
        config,
        tmp_path / "r.md",
        "--format",
        "md",
        "--publish",
        "board:Team/Report",
        "--requester",
        "comms team",
    )
    assert result.exit_code == 8, result.output  # published; the empty store is a data gap
    data = json.loads(result.stdout)
    assert data["published"] == {"action": "created", "location": "csv:Team/Report"}
    name, request = CALLS[-1]
    assert name == "files" and request.target == "Team/Report" and not request.dry_run
    assert request.document == (tmp_path / "r.md").read_text(encoding="utf-8")
    dry = _run(config, tmp_path / "r.md", "--format", "md", "--publish", "files:X/Y", "--dry-run")
    assert json.loads(dry.stdout)["published"]["action"] == "would create"
    assert CALLS[-1][1].dry_run and CALLS[-1][0] == "files"
    # the destination is audited (not on 8bc5a9f), with the period's dates; a dry run is not
    env = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}
    with Kit.from_config(config, env=env) as kit:
        published = [e for e in kit.privacy.audit() if e.action == "report_published"]
    assert [e.target for e in published] == ["board:Team/Report -> csv:Team/Report"]
    assert published[0].period_start and published[0].period_end
    assert published[0].requester == "comms team"


def test_publish_needs_markdown_and_a_known_unambiguous_target(board: None, tmp_path: Path) -> None:
    config = _config(tmp_path, "a", "b")
    html = _run(config, tmp_path / "r.html", "--publish", "board:T/R")
    assert html.exit_code != 0 and "--format md" in html.output
    assert _run(config, tmp_path / "r.md", "--format", "md", "--dry-run").exit_code != 0
    two = _run(config, tmp_path / "r.md", "--format", "md", "--publish", "board:T/R")
    assert two.exit_code != 0 and "name one instead" in two.output
    unknown = _run(config, tmp_path / "r.md", "--format", "md", "--publish", "nowhere:T/R")
    assert unknown.exit_code != 0 and "known: a, b, board" in unknown.output
    assert not CALLS


def test_publisher_names_are_unique(board: None) -> None:
    assert Plugins().publishers()["board"].connector_type == "csv"
    with pytest.raises(PluginError, match="registered twice"):
        Plugins(extra=(Board(),)).publishers()
