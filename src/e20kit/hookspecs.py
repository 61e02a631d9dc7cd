"""The hooks e20kit calls, with what each receives and returns.

Plugins implement them with :data:`e20kit.hookimpl`. Registration hooks return iterables of small
frozen records (:class:`~e20kit.ConnectorType`, :class:`~e20kit.Check`...) that the plugin manager
flattens and validates at load time; event hooks return nothing. ``docs/hooks.md`` documents each
hook with a runnable example and a test checks that it stays in step with this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

from .connector import ConnectorType
from .extensions import (
    ChampionNominated,
    ChampionSignal,
    Check,
    ReportContext,
    ReportSection,
    Sandbox,
    StepCompleted,
)
from .findings import Finding
from .models import Person
from .notifier import NotifierType
from .publishing import Publisher
from .results import CollectResult
from .survey.model import SurveySourceType

if TYPE_CHECKING:
    from .analytics import Metrics

PROJECT_NAME = "e20kit"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def e20kit_connectors() -> Iterable[ConnectorType]:
    """Register platform connectors.

    :returns: connector types, each with a unique ``name``, a settings model and a factory.

    Example::

        @hookimpl
        def e20kit_connectors():
            yield ConnectorType(name="wiki", settings=WikiSettings, factory=WikiConnector)
    """
    raise NotImplementedError


@hookspec
def e20kit_checks() -> Iterable[Check]:
    """Register onboarding step checks that checklists can name in ``check = "..."``.

    :returns: checks, each with a unique dotted ``id``, a params model and an ``evaluate``.

    Example::

        @hookimpl
        def e20kit_checks():
            yield Check(id="wiki.has_avatar",
                        evaluate=lambda ctx, params: bool(ctx.attributes("wiki").get("avatar")))
    """
    raise NotImplementedError


@hookspec
def e20kit_notifiers() -> Iterable[NotifierType]:
    """Register delivery channels for nudges, invitations and digests.

    :returns: notifier types, each with a unique ``name``, a settings model and a factory.

    Example::

        @hookimpl
        def e20kit_notifiers():
            yield NotifierType(name="pager", settings=PagerSettings, factory=PagerNotifier)
    """
    raise NotImplementedError


@hookspec
def e20kit_survey_sources() -> Iterable[SurveySourceType]:
    """Register survey tools the pulse survey's answers can come from (docs/survey.md).

    :returns: survey source types, each with a unique ``name``, a settings model, a factory
        building a :class:`~e20kit.SurveySource` (``prepare`` an anonymised survey for a wave,
        read its ``responses``) and the ``data_sources`` it touches, for the data inventory.

    Example::

        @hookimpl
        def e20kit_survey_sources():
            yield SurveySourceType(name="pulse", settings=PulseSettings, factory=PulseSource,
                                   data_sources=(DataSource("GET /responses", "an API key",
                                                            "anonymous answers"),))
    """
    raise NotImplementedError


@hookspec
def e20kit_enrich_person(person: Person) -> Mapping[str, Any] | None:
    """Add or correct directory facts (department, title, manager) from an HR source.

    Called for every person a connector yields, before it is stored. Results of all plugins
    are merged in registration order; later plugins win on the same field.

    :param person: the person as the connector described them.
    :returns: field values to replace (``{"department": "Sales"}``) or ``None``.

    Example::

        @hookimpl
        def e20kit_enrich_person(person):
            if person.email in HR:
                return {"department": HR[person.email]}
            return None
    """
    raise NotImplementedError


@hookspec
def e20kit_champion_signals() -> Iterable[ChampionSignal]:
    """Register extra scoring signals for the champion programme.

    :returns: signals, each with a unique ``name``, a weight and a ``compute`` callable that
        returns member key -> value in 0..1.

    Example::

        @hookimpl
        def e20kit_champion_signals():
            yield ChampionSignal(name="trainer", weight=0.5,
                                 compute=lambda ctx: {key: 1.0 for key in TRAINERS})
    """
    raise NotImplementedError


@hookspec
def e20kit_diagnose(metrics: Metrics, lang: str) -> Iterable[Finding]:
    """Add findings beyond the built-in playbook.

    :param metrics: every metric of the period being diagnosed.
    :param lang: ``"en"`` or ``"de"``; write ``title`` and ``remedies`` in it.
    :returns: findings (possibly none).

    Example::

        @hookimpl
        def e20kit_diagnose(metrics, lang):
            if metrics.headline.active_members == 0:
                yield Finding(rule="site.empty", reason=Reason.OTHER, title="Nobody is active")
    """
    raise NotImplementedError


@hookspec
def e20kit_report_sections(
    metrics: Metrics, lang: str, context: ReportContext
) -> Iterable[ReportSection]:
    """Add sections to every report format; ``e20kit report --publish`` and ``e20kit run``
    call it once per report, whatever number of formats and publishers it goes to.

    :param metrics: every metric of the report's period.
    :param lang: ``"en"`` or ``"de"``.
    :param context: a read-only :class:`~e20kit.ReportContext` for sections that read the store
        (``context.connection``, rolled back after the call), the period or the config
        (``context.settings``); take it only when needed.
    :returns: sections with a unique ``id``; tables must hold no personal data.

    Example::

        @hookimpl
        def e20kit_report_sections(metrics, lang):
            yield ReportSection(id="helpdesk", title="Help desk", markdown="12 tickets closed")
    """
    raise NotImplementedError


@hookspec
def e20kit_sandboxes() -> Iterable[Sandbox]:
    """Register a loopback fake of a platform for ``e20kit demo`` and end-to-end tests.

    :returns: sandboxes, each with a unique ``name`` and a ``start(org, stack)`` that serves the
        synthetic organisation on 127.0.0.1 and returns the config tables aimed at it (a
        ``SandboxRun`` with a ``connector``, ``notifier`` and/or ``survey_source`` table).

    Example::

        @hookimpl
        def e20kit_sandboxes():
            def start(org, stack):
                server = stack.enter_context(LoopbackServer(make_fake(org)))
                return SandboxRun(connector={"type": "wiki", "url": server.url})
            yield Sandbox(name="wiki", start=start)
    """
    raise NotImplementedError


@hookspec
def e20kit_publishers() -> Iterable[Publisher]:
    """Register a place ``e20kit report --publish NAME:TARGET`` can publish the report to.

    :returns: publishers, each with a unique ``name`` (the scheme of the target), the
        ``connector_type`` whose configured connector lends it the site URL and credentials, and
        ``publish(context, request) -> Published``. Publishing the same target again must update
        what the first run created (never duplicate it); ``request.dry_run`` must change nothing
        and return a ``preview`` of the body it would write.

    Example::

        @hookimpl
        def e20kit_publishers():
            def publish(context, request):
                return Published(action="would create", location=request.target)
            yield Publisher(name="wiki", connector_type="wiki", publish=publish)
    """
    raise NotImplementedError


@hookspec
def e20kit_collect_finished(result: CollectResult) -> None:
    """Event: a collect run finished (also when some connectors failed).

    :param result: per-connector counts and errors of the run.

    Example::

        @hookimpl
        def e20kit_collect_finished(result):
            print(result.facts_written)
    """


@hookspec
def e20kit_step_completed(event: StepCompleted) -> None:
    """Event: a member completed an onboarding step; fired exactly once per member and step.

    :param event: the member key, checklist id, step id and when it was first seen completed.

    Example::

        @hookimpl
        def e20kit_step_completed(event):
            log.info("%s finished %s", event.member_key, event.step)
    """


@hookspec
def e20kit_champion_nominated(event: ChampionNominated) -> None:
    """Event: a member was nominated as champion candidate; fired once per nomination.

    :param event: the member key, department and score.

    Example::

        @hookimpl
        def e20kit_champion_nominated(event):
            log.info("nominated %s in %s", event.member_key, event.department)
    """


__all__ = ["PROJECT_NAME", "hookspec"]
