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


_seen: list[str] = []


def _post(context: PluginContext, request: PublishRequest) -> Published:
    _seen.append(context.settings.value.get_secret_value())
    assert request.summary is not None and request.report is not None  # the report's own data
    assert [p.action for p in request.earlier] == ["created"]  # the page published before it
    if request.dry_run:
        return Published("would post", "channel", preview="card")
    return Published("posted", f"channel (linking {request.earlier[0].location})")


class Channel:
    @hookimpl
    def e20kit_publishers(self) -> list[Publisher]:
        return [
            Publisher(
                name="channel",
                connector_type=None,
                publish=_post,
                target_secret_env=True,
                once_per_period=True,
            )
        ]


def test_a_publisher_without_a_connector_posts_once_per_period_after_the_page(
    board: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 92c0b22 every publisher needed a connector_type and --publish took one target."""
    _seen.clear()
    original = Plugins.__init__

    def with_channel(self: Plugins, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.extra = (*self.extra, Channel())

    monkeypatch.setattr(Plugins, "__init__", with_channel)
    config = _config(tmp_path, "files")
    secret = "https://hooks.example.org/w/1?sig=s3cr3t-signature-value"
    env = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret", "HOOK_URL": secret}

    def run(*extra: str) -> Any:
        args = ["--config", str(config), "--json", "report", "--out", str(tmp_path / "r.md")]
        args += [
            "--format",
            "md",
            "--publish",
            "board:Team/Report",
            "--publish",
            "channel:HOOK_URL",
        ]
        return CliRunner(env=env).invoke(main, [*args, *extra])

    first = run()
    assert first.exit_code == 8, first.output  # published; the empty store is a data gap
    shown = json.loads(first.stdout)["published_all"]
    assert [(p["target"], p["action"]) for p in shown] == [
        ("board:Team/Report", "created"),
        ("channel:HOOK_URL", "posted"),
    ]
    assert _seen == [secret]  # the core read the variable the target names
    again = json.loads(run().stdout)["published_all"]
    assert again[1]["action"] == "already posted" and _seen == [secret]  # not called again
    assert secret not in first.output
    pasted = CliRunner(env=env).invoke(
        main,
        [
            "--config",
            str(config),
            "report",
            "--format",
            "md",
            "--out",
            str(tmp_path / "r.md"),
            "--publish",
            f"channel:{secret}",
        ],
    )
    assert pasted.exit_code == 2 and "sig=" not in pasted.output and "NAME of the" in pasted.output
