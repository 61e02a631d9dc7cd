"""The plugin manager, behind a typed facade.

Nothing happens at import time: :class:`Plugins` loads entry points of the group ``e20kit`` on
first use, each inside its own guard, so one broken plugin is reported and skipped (``strict``
makes that fatal). The built-in plugin is an entry point like any other. The rest of e20kit
calls the typed methods here; they call every hook through pluggy's hook callers (so
``E20KIT_TRACE_HOOKS`` shows each call), plugin by plugin where one plugin's failure must be told
apart from another's.
"""

from __future__ import annotations

import importlib.metadata as md
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from . import hookspecs
from .connector import ConnectorType
from .errors import PluginError
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

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "e20kit"
DISABLE_ENV = "E20KIT_DISABLE_PLUGINS"
"""Comma-separated plugin names not to load (``*`` disables all third-party plugins)."""

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT_NAME)
"""Decorator for hook implementations: ``@hookimpl def e20kit_connectors(): ...``."""

T = TypeVar("T")

REGISTRATION_HOOKS = (
    "e20kit_connectors",
    "e20kit_checks",
    "e20kit_notifiers",
    "e20kit_champion_signals",
    "e20kit_sandboxes",
    "e20kit_survey_sources",
)
EVENT_HOOKS = ("e20kit_collect_finished", "e20kit_step_completed", "e20kit_champion_nominated")
UNWRAPPABLE_HOOKS = REGISTRATION_HOOKS + EVENT_HOOKS
"""Hooks called plugin by plugin: a wrapper there would wrap nothing, so it is refused."""


@dataclass(frozen=True)
class PluginInfo:
    """What ``e20kit plugins`` shows about one loaded plugin."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


@dataclass(frozen=True)
class LoadFailure:
    name: str
    distribution: str | None
    error: str


@dataclass
class Plugins:
    """Loads plugins lazily and calls hooks with typed results."""

    strict: bool = False
    trace: bool = False
    extra: tuple[object, ...] = ()
    """Plugin objects registered besides entry points (handy in tests and scripts)."""
    load_entry_points: bool = True
    _pm: pluggy.PluginManager | None = field(default=None, init=False, repr=False)
    _dists: dict[str, md.Distribution | None] = field(default_factory=dict, init=False)
    failures: list[LoadFailure] = field(default_factory=list, init=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def manager(self) -> pluggy.PluginManager:
        if self._pm is None:
            self._pm = self._load()
        return self._pm

    def _load(self) -> pluggy.PluginManager:
        pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        pm.add_hookspecs(hookspecs)
        disabled = {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}
        if self.load_entry_points:
            for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if ep.name in disabled or ("*" in disabled and ep.name != "builtin"):
                    log.info("plugin %s disabled by %s", ep.name, DISABLE_ENV)
                    continue
                if pm.has_plugin(ep.name):
                    continue
                dist = ep.dist
                try:
                    plugin = ep.load()
                    pm.register(plugin, name=ep.name)
                except Exception as err:  # one broken plugin must not stop the others
                    dist_name = dist.metadata["Name"] if dist else None
                    message = (
                        f"plugin {ep.name!r} from distribution {dist_name or 'unknown'} failed "
                        f"to load and was skipped: {err.__class__.__name__}: {err}"
                    )
                    if self.strict:
                        raise PluginError(message, plugin=ep.name, distribution=dist_name) from err
                    log.warning(message)
                    self.failures.append(LoadFailure(ep.name, dist_name, str(err)))
                    continue
                self._dists[ep.name] = dist
        for index, plugin in enumerate(self.extra):
            name = getattr(plugin, "__name__", None) or f"extra-{index}"
            if not pm.is_registered(plugin):
                pm.register(plugin, name=name)
                self._dists[name] = None
        try:
            pm.check_pending()
        except pluggy.PluginValidationError as err:
            raise PluginError(f"a plugin implements an unknown hook: {err}") from err
        _refuse_wrappers(pm)
        if self.trace or os.environ.get("E20KIT_TRACE_HOOKS"):
            pm.trace.root.setwriter(lambda text: log.debug("hook: %s", text.rstrip()))
            pm.enable_tracing()
        return pm

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register one more plugin object (clears cached registrations)."""
        self.manager.register(plugin, name=name)
        try:
            _refuse_wrappers(self.manager)
        except PluginError:
            self.manager.unregister(plugin)
            raise
        self._dists.setdefault(name or self.manager.get_name(plugin) or "", None)
        self._cache.clear()

    def info(self) -> list[PluginInfo]:
        out = []
        for name, plugin in self.manager.list_name_plugin():
            dist = self._dists.get(name)
            hooks = tuple(sorted(h.name for h in self.manager.get_hookcallers(plugin) or ()))
            out.append(
                PluginInfo(
                    name=name,
                    distribution=dist.metadata["Name"] if dist else None,
                    version=dist.version if dist else None,
                    hooks=hooks,
                )
            )
        return sorted(out, key=lambda p: p.name)

    # -- registrations -------------------------------------------------------------------------

    def _collect(self, hook: str, kind: type[T], key: Callable[[T], str]) -> dict[str, T]:
        if hook in self._cache:
            return dict(self._cache[hook])
        found: dict[str, T] = {}
        owners: dict[str, str] = {}
        for plugin_name, call in self._callers(hook):
            try:
                items = [item for result in call() for item in result or ()]
            except Exception as err:
                message = (
                    f"plugin {plugin_name!r} failed in {hook}: {err.__class__.__name__}: {err}"
                )
                if self.strict:
                    raise PluginError(message, plugin=plugin_name, hook=hook) from err
                log.warning(message)
                continue
            for item in items:
                if not isinstance(item, kind):
                    raise PluginError(
                        f"plugin {plugin_name!r} returned {type(item).__name__} from {hook}; "
                        f"expected {kind.__name__}",
                        plugin=plugin_name,
                        hook=hook,
                    )
                name = key(item)
                if name in found:
                    raise PluginError(
                        f"{kind.__name__} {name!r} is registered twice: by plugin "
                        f"{owners[name]!r} and by plugin {plugin_name!r}",
                        plugin=plugin_name,
                        hook=hook,
                    )
                found[name] = item
                owners[name] = plugin_name
        self._cache[hook] = found
        return dict(found)

    def connector_types(self) -> dict[str, ConnectorType]:
        return self._collect("e20kit_connectors", ConnectorType, lambda c: c.name)

    def notifier_types(self) -> dict[str, NotifierType]:
        return self._collect("e20kit_notifiers", NotifierType, lambda n: n.name)

    def checks(self) -> dict[str, Check]:
        return self._collect("e20kit_checks", Check, lambda c: c.id)

    def champion_signals(self) -> dict[str, ChampionSignal]:
        return self._collect("e20kit_champion_signals", ChampionSignal, lambda s: s.name)

    def sandboxes(self) -> dict[str, Sandbox]:
        return self._collect("e20kit_sandboxes", Sandbox, lambda s: s.name)

    def survey_source_types(self) -> dict[str, SurveySourceType]:
        return self._collect("e20kit_survey_sources", SurveySourceType, lambda s: s.name)

    def publishers(self) -> dict[str, Publisher]:
        return self._collect("e20kit_publishers", Publisher, lambda p: p.name)

    # -- calls ---------------------------------------------------------------------------------

    def enrich_person(self, person: Person) -> Person:
        updates: dict[str, Any] = {}
        for result in reversed(self.manager.hook.e20kit_enrich_person(person=person)):
            if result:
                updates.update(result)
        if not updates:
            return person
        return Person.model_validate({**person.model_dump(), **updates})

    @property
    def enriches_people(self) -> bool:
        return bool(self.manager.hook.e20kit_enrich_person.get_hookimpls())

    def diagnose(self, metrics: Metrics, lang: str) -> list[Finding]:
        return _flatten(self.manager.hook.e20kit_diagnose(metrics=metrics, lang=lang), Finding)

    def report_sections(self, metrics: Metrics, context: ReportContext) -> list[ReportSection]:
        hook = self.manager.hook.e20kit_report_sections
        return _flatten(hook(metrics=metrics, lang=context.lang, context=context), ReportSection)

    def collect_finished(self, result: CollectResult) -> None:
        self._notify("e20kit_collect_finished", result=result)

    def step_completed(self, event: StepCompleted) -> None:
        self._notify("e20kit_step_completed", event=event)

    def champion_nominated(self, event: ChampionNominated) -> None:
        self._notify("e20kit_champion_nominated", event=event)

    def _notify(self, hook: str, **kwargs: Any) -> None:
        """Call an event hook plugin by plugin: one raising listener never silences the others.

        ``strict`` re-raises the first failure as a :class:`PluginError` after every listener ran.
        """
        failures: list[tuple[str, Exception]] = []
        for plugin_name, call in self._callers(hook):
            try:
                call(**kwargs)
            except Exception as err:  # a listener's bug must not stop the run
                log.warning(
                    "plugin %r failed in %s: %s: %s", plugin_name, hook, err.__class__.__name__, err
                )
                failures.append((plugin_name, err))
        if failures and self.strict:
            name, first = failures[0]
            raise PluginError(f"plugin {name!r} failed in {hook}: {first}", plugin=name) from first

    def _callers(self, hook: str) -> list[tuple[str, pluggy.HookCaller]]:
        """One hook caller per implementing plugin, in pluggy's call order.

        Each is a pluggy subset caller, so a call goes through the plugin manager (tracing and
        monitoring see it) yet reaches one plugin only, whose name an error can then carry.
        """
        manager = self.manager
        impls = getattr(manager.hook, hook).get_hookimpls()
        plugins = [impl.plugin for impl in impls]
        return [
            (
                impl.plugin_name,
                manager.subset_hook_caller(hook, [p for p in plugins if p is not impl.plugin]),
            )
            for impl in reversed(impls)
        ]


def _refuse_wrappers(pm: pluggy.PluginManager) -> None:
    """A wrapper on a hook the core calls plugin by plugin is a mistake: say so at load time."""
    for hook in UNWRAPPABLE_HOOKS:
        for impl in getattr(pm.hook, hook).get_hookimpls():
            if impl.wrapper or impl.hookwrapper:
                kind = "wrapper=True" if impl.wrapper else "hookwrapper=True"
                raise PluginError(
                    f"plugin {impl.plugin_name!r} implements {hook} with @hookimpl({kind}); "
                    f"{hook} takes plain implementations only (return the records, or listen "
                    "to the event, without wrapping other plugins)",
                    plugin=impl.plugin_name,
                    hook=hook,
                )


def _flatten(results: Iterable[Iterable[T] | None], kind: type[T]) -> list[T]:
    out: list[T] = []
    for group in results:
        for item in group or ():
            if not isinstance(item, kind):
                raise PluginError(
                    f"a plugin returned {type(item).__name__}; expected {kind.__name__}"
                )
            out.append(item)
    return out


def describe(plugins: Plugins) -> list[Mapping[str, Any]]:
    """Plain data for ``e20kit plugins --json``."""
    return [
        {
            "name": p.name,
            "distribution": p.distribution,
            "version": p.version,
            "hooks": list(p.hooks),
        }
        for p in plugins.info()
    ]


__all__ = ["DISABLE_ENV", "ENTRY_POINT_GROUP", "PluginInfo", "Plugins", "describe", "hookimpl"]
