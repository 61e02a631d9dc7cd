"""Pairing and digests read onboarding's progress: stalled steps and step titles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from e20kit.champions.roster import RosterState

from .helpers import NOW, TODAY, add_fact, add_member, make_kit, sent_messages

CHECKLIST = """
[onboarding.nudges]
enabled = false
stuck_days = 3

[[onboarding.checklists]]
id = "newcomers"
audience = { joined_within_days = 60 }

[[onboarding.checklists.steps]]
id = "first_post"
check = "activity"
params = { actions = ["post", "reply"] }
title = { en = "Say hello in a channel", de = "Sagen Sie Hallo in einem Kanal" }

[[onboarding.checklists.steps]]
id = "intro_session"
check = "manual"
title = { en = "Attend the intro webcast", de = "Einführungs-Webcast besuchen" }
"""


def test_onboarding_decides_who_is_stalled_and_digests_name_its_steps(
    tmp_path: Path, store_url: str
) -> None:
    kit = make_kit(tmp_path, store_url, "stalled_days = 14", extra=CHECKLIST)
    add_member(kit.engine, "champ", "Sales", joined_on=TODAY - dt.timedelta(days=900))
    kit.champions.set_state("champ", RosterState.ACTIVE, by="hr", now=NOW)
    joined = TODAY - dt.timedelta(days=20)
    add_member(kit.engine, "quiet", "Sales", joined_on=joined)
    add_member(kit.engine, "poster", "Sales", joined_on=joined)  # contributed, yet stuck
    add_member(kit.engine, "done", "Sales", joined_on=joined)
    add_fact(kit.engine, "poster", joined + dt.timedelta(days=1), "post")
    add_fact(kit.engine, "done", joined + dt.timedelta(days=1), "post")
    kit.onboarding.mark_step("done", "intro_session", at=NOW - dt.timedelta(days=10))
    kit.onboarding.run(now=NOW - dt.timedelta(days=10))
    kit.onboarding.run(now=NOW)
    result = kit.champions.pair_buddies(now=NOW)
    assert {p.newcomer_key for p in result.new} == {"quiet", "poster"}
    digest = kit.champions.send_digests(now=NOW)
    assert digest.ok and len(digest.outcomes) == 1
    (message,) = [m for m in sent_messages(tmp_path) if m["kind"] == "champions.digest"]
    body = message["body"]
    assert "- Done: nothing yet\n- Open: Say hello in a channel, Attend the intro webcast" in body
    assert "- Done: Say hello in a channel\n- Open: Attend the intro webcast" in body
    assert "- Stuck on: Attend the intro webcast" in body
    assert "- Stuck on: Say hello in a channel" in body
