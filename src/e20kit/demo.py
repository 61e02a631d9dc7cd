"""``e20kit demo``: the whole cycle on a synthetic organisation, against loopback fakes.

Every platform plugin that registers a sandbox (``e20kit_sandboxes``) serves its share of the
synthetic organisation from a fake on 127.0.0.1; platforms without one are imported through the
built-in csv connector. Each fake answers what its vendor's API answers, no more: Confluence's
page views arrive as counts that name nobody. Then the real cycle runs: collect, onboarding
nudges, champion nomination, invitations and buddies, diagnosis and the reports. Nothing leaves
the machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .collect import Progress
from .cycle import CycleResult
from .effects.rollout import plan
from .kit import Kit
from .plugins import Plugins
from .publishing import Published
from .runs import collect_counts
from .sandbox import EFFECTS, Org, Programme, build_org
from .sandbox_setup import (
    SANDBOX_SECRET_ENV,
    StartedSandboxes,
    environment,
    start_sandboxes,
    toml_table,
    toml_value,
)
from .wording import counted

TIMEZONE = "Europe/Berlin"
MIN_NEWCOMERS = 10
STALE = ("e20kit.sqlite", "e20kit.sqlite-wal", "e20kit.sqlite-shm", "messages.jsonl")
"""Files of an earlier run in the output folder, removed so every run starts afresh."""
"""The demo's ``analytics.diagnosis.min_newcomers``: newcomers seen in their first week."""


@dataclass
class DemoResult:
    """What the demo did and where it wrote it."""

    out: Path
    members: int
    served: list[str]
    imported: list[str]
    first: CycleResult
    """The first run: collects everything, enrols newcomers, nominates and invites champions."""
    cycle: CycleResult
    """A week later: nudges, buddies and digests; its reports are the demo's reports."""
    messages: list[str] = field(default_factory=list)
    preset: str | None = None
    """The known reason for low use the synthetic organisation was built to show."""
    effects: list[str] = field(default_factory=list)
    """"Did it work?": the planted rollout (conclusive) and the new experiment (inconclusive)."""
    published: list[tuple[str, Published]] = field(default_factory=list)
    """The Markdown report published to the fakes' pages and channels (target, what was done)."""
    survey: list[str] = field(default_factory=list)
    """The pulse survey wave (when a fake serves surveys): invited, answered, read back."""

    def summary_lines(self) -> list[str]:
        c = self.cycle
        fakes = ", ".join(self.served) or "none"
        csv = ", ".join(self.imported) or "none"
        lines = [
            f"synthetic organisation: {self.members} members (fakes: {fakes}; csv: {csv})",
            f"preset: {self.preset or 'none'}: {preset_note(self.preset)}",
        ]
        lines += ["first run:", *_lines(self.first), "a week later:", *_lines(c, findings=False)]
        if self.survey:
            lines.append("pulse survey:")
            lines.extend(f"  {line}" for line in self.survey)
        lines.append("did it work?")
        lines.extend(f"  {line}" for line in self.effects)
        lines.append(f"findings for the 30 days up to the first run: {len(c.findings)}")
        for finding in c.findings:
            lines.append(f"  [{finding.severity}] {finding.title}")
            lines.extend(f"      - {remedy}" for remedy in finding.remedies[:3])
        shown: list[Path] = []
        for path in c.reports:
            where = path.parent if path.suffix == ".csv" else path
            if where not in shown:
                shown.append(where)
        lines.extend(f"report: {path}" for path in shown)
        lines.extend(
            f"published ({target}): {p.action} {p.location}" for target, p in self.published
        )
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "members": self.members,
            "preset": self.preset,
            "served_by_fakes": self.served,
            "imported_from_csv": self.imported,
            "first_run": self.first.as_dict(),
            "week_later": self.cycle.as_dict(),
            "effects": list(self.effects),
            "published": [
                {"target": target, "action": p.action, "location": p.location, "url": p.url}
                for target, p in self.published
            ],
            "survey": list(self.survey),
        }


def preset_note(preset: str | None) -> str:
    """Says that a finding of the demo was built in, so it is not read as a real result."""
    if preset in (None, "healthy"):
        return "built to show a healthy organisation (no finding expected)"
    return f"built to show '{preset}' on purpose; its findings describe made-up data"


def organisation_name(preset: str | None) -> str:
    """The demo's organisation name, which every report shows in its header."""
    return f"Demo Ltd (synthetic, preset {preset or 'none'})"


def _lines(c: CycleResult, *, findings: bool = True) -> list[str]:
    lines: list[str] = []
    for run in c.collect.runs:
        state = f"{run.people} people, {run.facts_written} facts" if run.ok else run.error
        lines.append(f"  collected {run.name}: {state}")
    if c.onboarding is not None:
        enrolled = sum(c.onboarding.enrolled.values())
        lines.append(
            f"  onboarding: {counted(enrolled, 'newcomer')} enrolled, "
            f"{counted(len(c.onboarding.completed), 'step')} completed, "
            f"{counted(len(c.onboarding.sent), 'nudge')} sent"
        )
    if c.nominations is not None:
        lines.append(f"  champions: {len(c.nominations.nominated)} nominated")
    if c.invitations is not None:
        lines.append(
            f"  invitations sent: {sum(o.state == 'sent' for o in c.invitations.outcomes)}"
        )
    if c.pairing is not None:
        lines.append(f"  buddy pairs: {len(c.pairing.pairs)}")
    if c.digests is not None:
        lines.append(f"  digests sent: {sum(o.state == 'sent' for o in c.digests.outcomes)}")
    if not findings:
        return lines
    lines.append(f"  findings: {len(c.findings)}")
    for finding in c.findings:
        lines.append(f"    [{finding.severity}] {finding.title}")
        lines.extend(f"        - {remedy}" for remedy in finding.remedies[:3])
    return lines


def _checklist(notifier_platform: str | None, checks: set[str]) -> str:
    """A newcomer checklist using what the installed plugins can check."""
    chat = notifier_platform or "csv"
    steps: list[dict[str, Any]] = []
    if "mattermost.profile_picture" in checks:
        steps.append(
            {
                "id": "profile_picture",
                "check": "mattermost.profile_picture",
                "title": {"en": "Add a profile picture", "de": "Profilbild hinzufügen"},
                "help_url": "https://intranet.example.org/guides/profile",
                "due_days": 3,
            }
        )
    if "confluence.watching_space" in checks:
        # Confluence names no reader (its analytics count views), so "read the handbook" cannot
        # be checked there; who watches a space it does say.
        steps.append(
            {
                "id": "watch_space",
                "check": "confluence.watching_space",
                "title": {
                    "en": "Watch your team's space in the wiki",
                    "de": "Den Bereich Ihres Teams im Wiki beobachten",
                },
                "help_url": "https://intranet.example.org/videos/wiki-tour",
                "due_days": 5,
            }
        )
    else:  # Confluence from a csv export, which names its readers
        steps.append(
            {
                "id": "read_wiki",
                "check": "activity",
                "params": {"actions": ["view"], "feature": "wiki", "min_count": 1},
                "title": {
                    "en": "Read the team handbook in the wiki",
                    "de": "Das Team-Handbuch im Wiki lesen",
                },
                "help_url": "https://intranet.example.org/videos/wiki-tour",
                "due_days": 5,
            }
        )
    steps += [
        {
            "id": "first_post",
            "check": "activity",
            "params": {"platform": chat, "actions": ["post", "reply"], "min_count": 1},
            "title": {"en": "Say hello in a channel", "de": "In einem Kanal Hallo sagen"},
            "help_url": "https://intranet.example.org/guides/chat",
            "due_days": 7,
        },
        {
            "id": "first_page",
            "check": "activity",
            "params": {"actions": ["create", "edit"], "min_count": 1},
            "title": {
                "en": "Write or improve a wiki page",
                "de": "Eine Wiki-Seite schreiben oder verbessern",
            },
            "help_url": "https://intranet.example.org/webcasts/first-page",
            "due_days": 14,
        },
    ]
    text = '[[onboarding.checklists]]\nid = "newcomers"\n'
    text += 'title = { en = "Welcome aboard", de = "Willkommen an Bord" }\n'
    text += "audience = { joined_within_days = 90 }\n\n"
    for step in steps:
        text += "[[onboarding.checklists.steps]]\n"
        text += "".join(f"{k} = {toml_value(v)}\n" for k, v in step.items()) + "\n"
    return text


def config_text(
    org: Org,
    started: StartedSandboxes,
    out: Path,
    preset: str | None,
    checks: set[str],
    extra: str = "",
) -> str:
    """The config that points e20kit at the started fakes, with a store and checklist in ``out``
    (and ``extra`` tables at the end)."""
    notifier = started.notifier
    return (
        "# Written by e20kit: a synthetic organisation served by loopback fakes.\n"
        + toml_table("store", {"url": f"sqlite:///{out / 'e20kit.sqlite'}"})
        # The demo opts in to what an agreement must decide (off by default, docs/privacy.md):
        # scoring members to nominate champions and showing individual scores.
        + "# The demo opts in to champion scoring and individual views; a real deployment\n"
        "# decides both in its agreement (off by default, docs/privacy.md).\n"
        + toml_table(
            "privacy",
            {
                "secret_env": SANDBOX_SECRET_ENV,
                "min_group_size": 5,
                "champion_scoring": True,
                "allow_individual_views": True,
            },
        )
        + toml_table("organisation", {"name": organisation_name(preset), "timezone": TIMEZONE})
        + toml_table("collect", {"lookback_days": org.days + 1})
        # Confluence names no reader, so newcomers who only read the wiki in their first
        # week are not seen then; judge newcomers' drop-out on ten of them at least
        # (docs/sandbox.md, "What the demo shows").
        + toml_table("analytics.diagnosis", {"min_newcomers": MIN_NEWCOMERS})
        + toml_table("http", {"retries": 3, "backoff_factor": 0.1, "backoff_max_s": 2})
        + "".join(started.tables)
        + toml_table("onboarding.nudges", {"notifier": notifier, "send_on_weekends": True})
        + _checklist(started.notifier_platform, checks)
        + toml_table("champions", {"notifier": notifier, "send_on_weekends": True})
        + _survey_tables(started)
        + extra
    )


def _survey_tables(started: StartedSandboxes) -> str:
    """``[survey.invitations]`` through the demo's notifier, when a fake serves surveys."""
    if not started.survey_sources:
        return ""
    values = {"notifier": started.notifier, "source": started.survey_sources[0]}
    return toml_table("survey.invitations", {**values, "send_on_weekends": True})


@dataclass
class OpenSandbox:
    """Fakes serving a synthetic organisation, and the config and environment that reach them."""

    org: Org
    config: Path
    started: StartedSandboxes
    text: str


@contextlib.contextmanager
def open_sandbox(
    out: Path,
    *,
    last_day: dt.date,
    members: int = 120,
    days: int = 120,
    preset: str = "healthy",
    config: Path | None = None,
) -> Iterator[OpenSandbox]:
    """Serve an organisation whose data ends on ``last_day`` (what ``e20kit sandbox`` does):
    a fresh store in ``out``, the config written to ``config`` (default ``out/e20kit.toml``).
    The fakes stop when the context ends; the caller sets ``started.env`` where it runs e20kit.
    """
    out.mkdir(parents=True, exist_ok=True)
    for stale in STALE:
        (out / stale).unlink(missing_ok=True)
    end = last_day + dt.timedelta(days=1)
    org = build_org(7, members=members, days=days, end=end, preset=preset)
    plugins = Plugins()
    target = config or out / "e20kit.toml"
    with contextlib.ExitStack() as stack:
        started = start_sandboxes(org, stack, out, plugins)
        text = config_text(org, started, out, preset, set(plugins.checks()))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        yield OpenSandbox(org=org, config=target, started=started, text=text)


SURVEY_WAVE = "demo-pulse-1"
"""The demo's survey wave: invited through the chat fake, answered in the LimeSurvey fake."""
SURVEY_AGO = dt.timedelta(days=14)
"""How long before the demo's run its survey wave opened ([survey.invitations] wave_days)."""


def _survey_wave(kit: Kit, started: StartedSandboxes, now: dt.datetime) -> list[str]:
    """Invite everyone to a pulse survey, let the synthetic organisation answer (in line with
    its preset) and read the answers back; the reports then show stated beside observed."""
    if not started.survey_sources:
        return []
    # Sent two weeks before the run and closed on its day, so the reported period holds it.
    sent = kit.survey.send(SURVEY_WAVE, now=now - SURVEY_AGO)
    stored = kit.survey.collect(SURVEY_WAVE)
    return [
        f"wave {SURVEY_WAVE} in {sent.source}: {sent.count('sent')} invited through "
        f"{started.notifier} ({sent.units} departments named in links), "
        f"{stored.added} responses read back"
    ]


ROLLOUT_SEED = "demo-wiki-training"
ROLLOUT_WHAT = "Wiki training"
ROLLOUT_EFFECT = "large"
"""The effect the demo plants for the wiki training (docs/effects.md)."""
UNTRAINABLE = frozenset({"no_time"})
"""Presets whose reason a training cannot remove: a wiki training gives nobody time, so the
no-time organisation does not react to it. (Fifteen points more chance of being active on a day
would lift its active days per week out of the no-time band, and the demo would hide the very
reason its preset plants.)"""


def rollout_effect(preset: str | None) -> float:
    """The added daily chance the demo's wiki training plants in ``preset``'s organisation."""
    return EFFECTS["none" if preset in UNTRAINABLE else ROLLOUT_EFFECT]


DEMO_EXPERIMENT = """
[[experiments]]
id = "demo-nudges"
checklist = "newcomers"
holdout_share = 0.2
outcome = "active_last_week"
horizon_days = 28
planned_size = 20
"""


def _first_start(org: Org) -> dt.date:
    """The Monday ten weeks before the window's end: the wiki training's first department."""
    day = org.end - dt.timedelta(weeks=10)
    return day - dt.timedelta(days=day.weekday())


def _now(org: Org) -> dt.datetime:
    """Mid-morning of the organisation's last day, in the demo's time zone."""
    last = org.end - dt.timedelta(days=1)
    return dt.datetime.combine(last, dt.time(10, 0), tzinfo=zoneinfo.ZoneInfo(TIMEZONE))


def run_demo(
    out: Path,
    *,
    members: int = 300,
    seed: int = 7,
    preset: str | None = "closed_culture",
    progress: Progress | None = None,
    interactive: bool = False,
) -> DemoResult:
    """Build the organisation, start every sandbox, run the cycle and write the reports."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in STALE:
        (out / stale).unlink(missing_ok=True)
    org = build_org(seed, members=members, preset=preset)
    rollout = plan(org.departments, seed=ROLLOUT_SEED, start=_first_start(org), step_weeks=1)
    org = org.with_programme(
        Programme(rollout={s.department: (s.from_day, rollout_effect(preset)) for s in rollout})
    )
    plugins = Plugins()
    with contextlib.ExitStack() as stack:
        started = start_sandboxes(org, stack, out, plugins)
        config = out / "e20kit.toml"
        text = config_text(org, started, out, preset, set(plugins.checks()), DEMO_EXPERIMENT)
        config.write_text(text, "utf-8")
        with environment(started.env), Kit.from_config(config) as kit, kit.lock("demo") as record:
            now = _now(org)
            # The wiki training was rolled out department by department in an order drawn
            # by the stepped-wedge planner; the synthetic organisation reacts to it with a
            # planted effect, which "Did it work?" finds. The nudges experiment starts now:
            # inconclusive until its newcomers reach day 28.
            kit.effects.plan(
                seed=ROLLOUT_SEED,
                start=_first_start(org),
                departments=list(org.departments),
                step_weeks=1,
                log_as=ROLLOUT_WHAT,
                now=now,
            )
            first = kit.run_cycle(invite=True, now=now, progress=progress)
            record.counts = collect_counts(first.collect)  # for `e20kit status`
            # The demo plays the invitees' part (everyone accepts), then lets a week pass:
            # the second run collects nothing new, nudges whoever is still stuck, pairs stalled
            # newcomers with the new champions and sends their weekly digests.
            for entry in kit.champions.roster():
                if entry.state == "invited":
                    kit.champions.set_state(entry.member_key, "active", by="demo", now=now)
            cycle = kit.run_cycle(now=now + dt.timedelta(days=7))
            survey = _survey_wave(kit, started, now)
            # The synthetic data ends on the first run's day: report the 30 days up to it.
            metrics = kit.metrics(today=now.date())
            cycle.findings = kit.diagnose(metrics=metrics)
            effects = kit.effects(today=now.date() + dt.timedelta(days=1)).lines()
            for fmt in ("html", "md", "json", "csv"):
                target = out / ("report" if fmt == "csv" else f"report.{fmt}")
                written = kit.report(fmt, target, metrics=metrics, findings=cycle.findings)
                cycle.reports.extend(written if isinstance(written, list) else [written])
            # where the organisation reads it: the fakes' page and channel (SharePoint, Teams)
            published = (
                kit.publish_all(
                    started.publish,
                    (out / "report.md").read_text(encoding="utf-8"),
                    metrics=metrics,
                    findings=cycle.findings,
                    now=now,
                )
                if started.publish
                else []
            )
    return DemoResult(
        out=out,
        members=len(org.people),
        served=started.served,
        imported=started.imported,
        first=first,
        cycle=cycle,
        preset=preset,
        effects=effects,
        published=published,
        survey=survey,
    )


__all__ = [
    "DemoResult",
    "OpenSandbox",
    "config_text",
    "open_sandbox",
    "organisation_name",
    "run_demo",
]
