"""Opening a wave in a survey source and inviting people to it (``kit.survey.send``).

A wave not yet in the store is opened here: the source prepares (creates or finds and checks)
its anonymised survey, offered the departments that have at least k members of a role, and the
wave is stored with the source's reference. A dry run prepares nothing and stores nothing: its
links show where the survey's address will go. Every real run is written to the audit trail
(how many were invited or reminded, never who).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ..clock import OrgClock
from ..config import Config
from ..errors import ConfigError
from ..instances import make_notifier
from ..plugins import Plugins
from . import store
from .invitation_settings import InvitationSettings
from .invitations import Sender, SendResult, labelled_cells, members_by_cell
from .model import SurveySource, SurveyWave
from .questions import configured_questions

AUDIT_ACTION = "survey_send"
PENDING_LINK = "<survey link: created on the first real send>"

Record = Callable[..., None]
"""``record(action, target=..., detail=...)``: appends to the audit trail."""


def _settings(config: Config) -> InvitationSettings:
    return config.settings.survey.invitations


def _source_name(config: Config, source: str | None) -> str:
    if source is not None:
        return source
    default = _settings(config).source
    if default is not None:
        return default
    configured = sorted(config.settings.survey_sources)
    if len(configured) == 1:
        return configured[0]
    raise ConfigError(
        f"config error in {config.where}: say which survey source to ask in (--source, or "
        f"[survey.invitations] source); configured: {', '.join(configured) or 'none'}",
        file=config.where,
        key="survey.invitations.source",
    )


def send_wave(
    engine: sa.Engine,
    config: Config,
    plugins: Plugins,
    clock: OrgClock,
    record: Record,
    make_source: Callable[[str], SurveySource],
    wave_id: str,
    *,
    source: str | None = None,
    dry_run: bool = False,
    remind: bool = False,
    now: dt.datetime | None = None,
) -> SendResult:
    """Invite (or with ``remind`` remind) everyone due for wave ``wave_id``; see the module."""
    now = clock.now(now)
    settings = _settings(config)
    k = config.settings.privacy.min_group_size
    members = members_by_cell(engine)
    labelled = labelled_cells(members, k)
    units = sorted({dept for dept, _ in labelled})
    with engine.connect() as conn:
        stored = store.find_wave(conn, wave_id)
    if stored is None:
        name = _source_name(config, source)
        today = clock.today(now)
        wave = SurveyWave(
            wave_id=wave_id,
            opened=today,
            closes=today + dt.timedelta(days=settings.wave_days),
            source=name,
        )
    else:
        wave, _ = stored
        name = wave.source
        if source is not None and source != name:
            raise ConfigError(
                f"wave {wave_id} is asked in survey source {name!r}, not {source!r}",
                key="--source",
            )
    result = SendResult(wave_id, name, None, dry_run, remind, units=len(units))
    organisation = config.settings.organisation
    sender = Sender(
        engine=engine,
        settings=settings,
        notifier_name=settings.notifier,
        notifier=make_notifier(
            config, plugins, settings.notifier, key="survey.invitations.notifier", clock=clock
        ),
        organisation=organisation.name,
        tool=_tool(config, name),
        k=k,
        timezone=clock.timezone,
        default_locale=organisation.default_locale,
    )
    link: Callable[[str | None, str, str], str] = _pending_link
    # Nothing is created in the survey tool on a dry run, in quiet hours or after the wave.
    if not (dry_run and stored is None) and not sender.quiet(now) and now.date() <= wave.closes:
        questions = configured_questions(config.settings.survey.questions)
        handle = make_source(name).prepare(wave, questions, units)
        result.survey_ref, link = handle.survey_ref, handle.link
        if stored is None:
            with engine.begin() as conn:
                store.save_wave(conn, wave, survey_ref=handle.survey_ref, now=now)
    sender.send(result, link=link, closes=wave.closes, now=now, labelled=labelled, members=members)
    if not dry_run:
        record(AUDIT_ACTION, target=f"survey wave {wave_id} ({name})", detail=_audit(result))
    return result


def _pending_link(unit: str | None, role: str, lang: str) -> str:
    label = f"unit={unit}, " if unit else ""
    return f"{PENDING_LINK} ({label}role={role}, lang={lang})"


def _tool(config: Config, name: str) -> str:
    kind = str(config.settings.survey_sources.get(name, {}).get("type", name))
    return {"limesurvey": "LimeSurvey"}.get(kind, kind)


def _audit(result: SendResult) -> dict[str, Any]:
    return {
        "invited": result.count("sent") - _reminders(result),
        "reminded": _reminders(result),
        "already_sent": result.count("already_sent"),
        "failed": result.count("failed", "unknown"),
        "deferred": result.deferred,
        "units_labelled": result.units,
    }


def _reminders(result: SendResult) -> int:
    return sum(o.reminder and o.state == "sent" for o in result.outcomes)


__all__ = ["AUDIT_ACTION", "send_wave"]
