"""The onboarding hooks: a plugin's own check (e20kit_checks) and e20kit_step_completed."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from e20kit import Check, CheckContext, ConfigError, hookimpl
from e20kit.extensions import StepCompleted
from e20kit.store import schema

from .helpers import NOW, add_member, days_ago, make_kit

BODY = """
[notifiers.out]
type = "log"
path = "{messages}"
[onboarding.nudges]
notifier = "out"
[[onboarding.checklists]]
id = "team"
[[onboarding.checklists.steps]]
id = "channels"
check = "chatplug.joined_channels"
params = {{ at_least = 3 }}
title = "Join three channels"
"""


class ChannelParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at_least: int = 1


class ChatPlugin:
    """A platform plugin: a check over stored attributes, and a congratulation on completion."""

    __name__ = "chatplug"

    def __init__(self) -> None:
        self.congratulated: list[StepCompleted] = []

    @hookimpl
    def e20kit_checks(self) -> list[Check]:
        def joined(ctx: CheckContext, params: ChannelParams) -> bool:
            value = ctx.attributes("chat").get("channels", 0)
            return isinstance(value, int) and value >= params.at_least

        return [Check(id="chatplug.joined_channels", evaluate=joined, params=ChannelParams)]

    @hookimpl
    def e20kit_step_completed(self, event: StepCompleted) -> None:
        self.congratulated.append(event)


class Grumpy:
    """Raises in e20kit_step_completed: the run must go on."""

    __name__ = "grumpy"

    @hookimpl
    def e20kit_step_completed(self, event: StepCompleted) -> None:
        raise RuntimeError("no congratulations today")


def set_channels(kit_engine: object, key: str, channels: int) -> None:
    import sqlalchemy as sa

    engine = kit_engine
    assert isinstance(engine, sa.Engine)
    with engine.begin() as conn:
        conn.execute(
            schema.identities.update()
            .where(schema.identities.c.member_key == key)
            .values(attributes={"channels": channels})
        )


def test_plugin_check_and_step_completed_once(tmp_path: Path, store_url: str) -> None:
    plugin = ChatPlugin()
    kit = make_kit(tmp_path, store_url, body=BODY)
    # pluggy calls the last registered first; a raising plugin ends that hook call (the core's
    # event hooks are not isolated per plugin), but never the onboarding run.
    kit.plugins.register(Grumpy(), name="grumpy")
    kit.plugins.register(plugin, name="chatplug")
    add_member(kit.engine, "a", days_ago(5))
    add_member(kit.engine, "b", days_ago(5))
    set_channels(kit.engine, "a", 4)
    set_channels(kit.engine, "b", 1)
    first = kit.onboarding.run(now=NOW)
    assert [(e.member_key, e.step) for e in first.completed] == [("a", "channels")]
    assert [n.member_key for n in first.nudges] == ["b"]
    set_channels(kit.engine, "b", 3)
    kit.onboarding.run(now=NOW.replace(hour=10))
    kit.onboarding.run(now=NOW.replace(hour=11))
    assert [(e.member_key, e.checklist, e.step) for e in plugin.congratulated] == [
        ("a", "team", "channels"),
        ("b", "team", "channels"),
    ]


def test_plugin_check_params_are_validated(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, body=BODY.replace("at_least = 3", "at_least = 'many'"))
    kit.plugins.register(ChatPlugin(), name="chatplug")
    try:
        kit.onboarding.run(now=NOW)
    except ConfigError as err:
        assert "checklist 'team', step 'channels'" in str(err) and "at_least" in str(err)
    else:  # pragma: no cover - the test must fail here
        raise AssertionError("bad params were accepted")
