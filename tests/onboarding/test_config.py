"""Config errors name the checklist and the step, before anything is read, written or sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit import ConfigError
from e20kit.store import schema

from .helpers import CHECKLIST, NOW, add_member, days_ago, ledger, make_kit, rows, sent


def broken(old: str, new: str) -> str:
    assert old in CHECKLIST
    return CHECKLIST.replace(old, new)


def test_unknown_check_names_checklist_and_step(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, body=broken('check = "manual"', 'check = "manul"'))
    add_member(kit.engine, "a", days_ago(10))
    with pytest.raises(ConfigError) as err:
        kit.onboarding.run(now=NOW)
    text = str(err.value)
    assert "checklist 'newcomers'" in text and "step 'intro_session'" in text
    assert "unknown check 'manul'" in text and "manual" in text  # lists the known checks
    assert err.value.key == "onboarding.checklists[0].steps[1].check"
    assert err.value.checklist == "newcomers" and err.value.step == "intro_session"
    assert sent(tmp_path) == [] and ledger(kit.engine) == {}
    assert rows(kit.engine, schema.onboarding_progress) == 0


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("min_count = 1 }", "min_count = 0 }", "min_count"),
        ('actions = ["post", "reply"]', 'actions = ["shout"]', "actions"),
        ("min_count = 1 }", "min_count = 1, colour = 'red' }", "colour: unknown parameter"),
        ('platform = "chat", ', "", None),  # fine: platform is optional
    ],
)
def test_bad_params_name_checklist_and_step(
    tmp_path: Path, sqlite_url: str, old: str, new: str, problem: str | None
) -> None:
    kit = make_kit(tmp_path, sqlite_url, body=broken(old, new))
    if problem is None:
        kit.onboarding.run(now=NOW, dry_run=True)
        return
    with pytest.raises(ConfigError) as err:
        kit.onboarding.run(now=NOW)
    text = str(err.value)
    assert "checklist 'newcomers', step 'first_post': bad params for check 'activity'" in text
    assert problem in text
    assert err.value.key == "onboarding.checklists[0].steps[0].params"


def test_params_on_a_check_without_params(tmp_path: Path, sqlite_url: str) -> None:
    body = broken('check = "manual"', 'check = "manual"\nparams = {{ when = "monday" }}')
    with pytest.raises(ConfigError, match=r"step 'intro_session'.*when: unknown parameter"):
        make_kit(tmp_path, sqlite_url, body=body).onboarding.run(now=NOW)


def test_unknown_notifier(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, body=broken('notifier = "out"', 'notifier = "pager"'))
    with pytest.raises(ConfigError, match=r"onboarding.nudges.notifier = 'pager'.*known types"):
        kit.onboarding.run(now=NOW)


def test_duplicate_step_ids_are_rejected_at_load(tmp_path: Path, sqlite_url: str) -> None:
    with pytest.raises(ConfigError, match="step id 'first_post' appears twice"):
        make_kit(tmp_path, sqlite_url, body=broken('id = "first_page"', 'id = "first_post"'))


def test_broken_override_template_is_a_config_error(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "nudge.de.md.j2").write_text("{% set subject = 'x' %}{{ no_such_variable }}")
    extra = f'\n[onboarding.templates]\ndirectory = "{folder}"\n'
    with pytest.raises(ConfigError, match=r"template 'nudge' \(de\).*no_such_variable"):
        make_kit(tmp_path, sqlite_url, extra).onboarding.run(now=NOW)


def test_mark_of_an_unknown_step(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    with pytest.raises(
        ConfigError,
        match=r"no step 'intro' in any configured checklist; known steps: newcomers/first_page",
    ):
        kit.onboarding.mark_step("a", "intro")
