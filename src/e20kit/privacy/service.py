"""``kit.privacy``: the works-council features as one service of the Python API.

Every ``e20kit privacy ...`` command is one call here; the CLI only parses and prints. Like the
onboarding and champions services it gets its dependencies explicitly (store, config, plugins,
the pseudonymiser on demand, the organisation's clock), not the whole Kit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..clock import OrgClock
from ..clockguard import refuse_purge
from ..config import MIN_SECRET_BYTES, Config, PrivacySettings
from ..errors import ConfigError
from ..plugins import Plugins
from . import audit, subjects
from .audit import Verification
from .pseudonyms import Pseudonymiser
from .retention import PurgeResult, purge
from .rotation import RotationPlan, check_secret

if TYPE_CHECKING:
    from ..champions.roster import RosterEntry, RosterState
    from ..models import Person
    from ..store.scrub import ScrubResult
    from .names import NamedEntry

OLD_SECRET_ENV = "E20KIT_PSEUDONYM_SECRET_OLD"
"""Where ``privacy rotate-secret`` reads the secret the store's keys are made with."""
NEW_SECRET_ENV = "E20KIT_PSEUDONYM_SECRET_NEW"
"""Where ``privacy rotate-secret`` reads the secret to re-key to."""

Roster = Callable[[tuple["RosterState", ...]], list["RosterEntry"]]


class PrivacyService:
    """Retention, subject requests, the audit trail, names and the data inventory."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        pseudonymiser: Callable[[], Pseudonymiser],
        clock: OrgClock,
        *,
        store_url: str,
        roster: Roster,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self._pseudonymiser = pseudonymiser
        self.clock = clock
        self.store_url = store_url
        self._roster = roster

    @property
    def settings(self) -> PrivacySettings:
        return self.config.settings.privacy

    # -- retention -------------------------------------------------------------------------------

    def purge(self, *, today: dt.date | None = None, force: bool = False) -> PurgeResult:
        """Delete what the retention rules no longer keep (the rollups follow). The audit
        trail is never purged here (only by :meth:`prune_audit`).

        Without ``force`` a reference day after the real clock, a system clock behind the last
        collect, or a purge of more than ``max_purge_share`` of the facts raises
        :class:`~e20kit.clockguard.ClockGuardError` and deletes nothing."""
        today = today or self.clock.today()
        if not force:
            refuse_purge(self.engine, self.config.settings, self.clock, today=today)
        result = purge(self.engine, self.settings, today=today)
        with self.engine.begin() as conn:
            self._note_settings(conn)  # the trail always states the settings in force
        return result

    # -- the audit trail -------------------------------------------------------------------------

    def _note_settings(self, conn: sa.Connection) -> None:
        audit.note_settings(conn, self.settings.model_dump(mode="json"))

    def audit_subject(self, member_key: str) -> str:
        """Whom an individual look-up was about, as the audit trail names them: a keyed hash of
        the member key (neither the key the facts use nor an address; recomputable from the
        e-mail with the secret, see ``privacy audit --about``)."""
        return self._pseudonymiser().tombstone(f"audit:{member_key}")[:64]

    def record(
        self,
        action: str,
        *,
        period: str | None = None,
        period_start: dt.date | None = None,
        period_end: dt.date | None = None,
        format: str | None = None,
        target: str | None = None,
        requester: str | None = None,
        reason: str | None = None,
        about: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append a row to the audit trail (and one for changed privacy settings first);
        ``about`` is the member key of whom an individual view or look-up shows."""
        subject = None if about is None else self.audit_subject(about)
        with self.engine.begin() as conn:
            self._note_settings(conn)
            audit.record(
                conn,
                action,
                period=period,
                period_start=period_start,
                period_end=period_end,
                format=format,
                target=target,
                requester=requester,
                reason=reason,
                subject=subject,
                detail=detail,
            )

    def audit(
        self, *, limit: int | None = None, about_email: str | None = None
    ) -> list[audit.AuditEntry]:
        """The audit trail, oldest first (only the rows about one person's e-mail when given)."""
        subject = None
        if about_email is not None:
            key = self._pseudonymiser().member_key(email=about_email, platform="", person_id="")
            subject = self.audit_subject(key)
        with self.engine.connect() as conn:
            return audit.entries(conn, limit=limit, subject=subject)

    def verify_audit(self, *, expect_head: str | None = None) -> Verification:
        """Walk the hash chain: an edited, deleted or re-ordered row is a problem."""
        with self.engine.connect() as conn:
            return audit.verify(conn, expect_head=expect_head)

    def prune_audit(
        self, before: dt.date | None, *, requester: str | None = None, reason: str | None = None
    ) -> int:
        """Remove audit rows older than ``before`` (at least :data:`audit.FLOOR_DAYS` ago;
        ``None``: today minus ``[privacy] audit_retention_days``), leaving a checkpoint row so
        that the rest still verifies; returns the rows removed."""
        if before is None:
            days = self.settings.audit_retention_days
            if not days:
                raise ConfigError(
                    "privacy audit prune: give --before YYYY-MM-DD (privacy.audit_retention_days "
                    "is 0: the trail is kept forever)",
                    key="privacy.audit_retention_days",
                )
            before = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
        with self.engine.begin() as conn:
            self._note_settings(conn)
            return audit.prune(conn, before, requester=requester, reason=reason)

    # -- names, only when asked -----------------------------------------------------------------

    def champion_roster_with_names(
        self,
        states: tuple[RosterState, ...] = (),
        *,
        requester: str | None = None,
        reason: str | None = None,
    ) -> list[NamedEntry]:
        """The champion roster with display names read live from the platforms (never stored);
        needs ``[privacy] allow_name_lookup`` and writes an audit row naming whose names were
        looked up (pseudonymised)."""
        from .names import NamedEntry, display_names, require_lookup

        require_lookup(self.config)
        entries = self._roster(states)
        keys = [e.member_key for e in entries]
        names = display_names(self.engine, self.config, self.plugins, keys)
        self.record(
            "name_lookup",
            target="champions list",
            requester=requester,
            reason=reason,
            detail={
                "members": len(entries),
                "resolved": len(names),
                "subjects": sorted(self.audit_subject(k) for k in keys),
            },
        )
        return [NamedEntry(e, names.get(e.member_key)) for e in entries]

    # -- the data inventory ----------------------------------------------------------------------

    def inventory(self, *, lang: str = "en") -> dict[str, Any]:
        """The data inventory from the live schema and config (JSON-ready; see
        :func:`e20kit.privacy.inventory.render_markdown` for the document)."""
        from .inventory import build

        return build(self.engine, self.config, self.plugins, store_url=self.store_url, lang=lang)

    # -- data-subject requests -------------------------------------------------------------------

    def subject(
        self, *, email: str | None = None, account: str | None = None, platform: str | None = None
    ) -> subjects.Subject:
        with self.engine.begin() as conn:
            check_secret(conn, self._pseudonymiser())  # another secret finds nobody
            return subjects.find_subject(
                conn, self._pseudonymiser(), email=email, account=account, platform=platform
            )

    def export(
        self,
        *,
        email: str | None = None,
        account: str | None = None,
        platform: str | None = None,
        target: str | None = None,
        requester: str | None = None,
        reason: str | None = None,
    ) -> subjects.SubjectExport:
        """Everything stored under the person's key (access request), audited."""
        subject = self.subject(email=email, account=account, platform=platform)
        with self.engine.connect() as conn:
            result = subjects.export(conn, subject)
        self.record(
            "subject_export",
            format="json",
            target=target or "stdout",
            requester=requester,
            reason=reason,
            about=subject.member_keys[0] if subject.member_keys else None,
            detail=result.counts,
        )
        return result

    def forget(
        self,
        *,
        email: str | None = None,
        account: str | None = None,
        platform: str | None = None,
        dry_run: bool = False,
        containers: tuple[str, ...] = (),
        database_step: bool = True,
        requester: str | None = None,
        reason: str | None = None,
    ) -> subjects.ForgetResult:
        """Erase the person (erasure request) in one transaction and leave tombstones on every
        identifier they had; rewrite the notifier files, list other files that name them, then
        run the database step (:func:`e20kit.store.scrub.scrub`) unless deferred."""
        from ..store.scrub import scrub
        from .files import sweep

        subject = self.subject(email=email, account=account, platform=platform)
        with self.engine.begin() as conn:
            spaces = subjects.personal_containers(conn, subject, containers)
            # a digest names a newcomer by the key's first 8 characters ("Newcomer 550d1782")
            shown = {k[:8] for k in subject.member_keys if len(k) == 32}
            needles = subject.needles() | set(spaces) | shown
            found = sweep(conn, self.config, needles, dry_run=dry_run)
            result = subjects.forget(
                conn, subject, self._pseudonymiser(), dry_run=dry_run, containers=containers
            )
            if not dry_run:
                self._note_settings(conn)
                redacted = audit.redact(
                    conn,
                    texts=sorted(subjects.redactable(subject) | set(spaces)),
                    subjects=[self.audit_subject(k) for k in subject.member_keys],
                    requester=requester,
                    reason=reason or "erasure request",
                )
                result = dataclasses.replace(result, audit_redacted=redacted)
                audit.record(
                    conn,
                    "subject_forget",
                    requester=requester,
                    reason=reason,
                    detail=result.deleted,
                )
        database = scrub(self.engine) if database_step and not dry_run else None
        return dataclasses.replace(result, files=found, database=database)

    def rotate_secret(
        self,
        *,
        old_env: str = OLD_SECRET_ENV,
        new_env: str = NEW_SECRET_ENV,
        dry_run: bool = False,
        directories: bool = True,
        unlink_unmapped: bool = False,
        drop_legacy_tombstones: bool = False,
        requester: str | None = None,
        reason: str | None = None,
    ) -> RotationPlan:
        """Re-key members, tombstones and every row keyed by a member from the secret in
        ``old_env`` to the one in ``new_env``, in one transaction; a check first (the dry run)
        refuses, changing nothing, when a key cannot be recomputed. The connectors' directories
        are read (people only, nothing written) for e-mail addresses the store does not keep."""
        from . import rotation

        old = Pseudonymiser(self._secret(old_env))
        new = Pseudonymiser(self._secret(new_env))
        directory = self._directory_emails() if directories else {}
        with self.engine.begin() as conn:
            check_secret(conn, old)
            found = rotation.plan(
                conn, old, new, directory=directory, unlink_unmapped=unlink_unmapped
            )
            problems = []
            if found.unmapped and not unlink_unmapped:
                problems.append(
                    f"{len(found.unmapped)} member keys cannot be recomputed (no stored e-mail, "
                    "no directory lists them): pass --unlink-unmapped to give them unlinked keys"
                )
            if found.legacy_tombstones and not drop_legacy_tombstones:
                problems.append(
                    f"{found.legacy_tombstones} tombstones from before every identifier was "
                    "covered cannot be re-keyed: pass --drop-legacy-tombstones (those people "
                    "could then be collected again) or keep the secret"
                )
            if problems:
                raise ConfigError(
                    "rotate-secret refused, nothing was changed: " + "; ".join(problems),
                    key="privacy.secret_env",
                )
            if dry_run:
                return found
            assert old.secret is not None and new.secret is not None
            rotation.apply(conn, found, old.secret, new.secret, drop_legacy=drop_legacy_tombstones)
            self._note_settings(conn)
            audit.record(
                conn,
                "secret_rotated",
                requester=requester,
                reason=reason,
                detail=found.as_dict(),
            )
        return found

    def _secret(self, env: str) -> bytes:
        value = self.config.env.get(env)
        if not value:
            raise ConfigError(
                f"rotate-secret: the environment variable {env} is not set",
                key="privacy.secret_env",
            )
        if len(value.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"rotate-secret: the secret in {env} is shorter than {MIN_SECRET_BYTES} bytes",
                key="privacy.secret_env",
            )
        return value.encode()

    def _directory_emails(self) -> dict[tuple[str, str], str]:
        """(connector, person id) -> e-mail from every configured connector's people (and the
        identity map), as a collection would see them."""
        from ..collect import prepare_connectors
        from ..identity_map import load_identity_map

        identity_map = load_identity_map(self.config.settings.identities.map, self.config.path)
        listed: list[tuple[str, Person]] = []
        for item in prepare_connectors(self.config, self.plugins, clock=self.clock):
            connector = item.type.factory(item.context)
            try:
                if "people" not in getattr(connector, "capabilities", frozenset({"people"})):
                    continue
                for person in connector.people():
                    if self.plugins.enriches_people:
                        person = self.plugins.enrich_person(person)
                    if identity_map is not None:
                        person = identity_map.apply(person)
                    listed.append((item.name, person))
            finally:
                connector.close()
        from .rotation import directory_emails

        return directory_emails(listed)

    def scrub(self) -> ScrubResult:
        """The database step of an erasure on its own (after ``forget --defer-database-step``,
        or once after several)."""
        from ..store.scrub import scrub

        return scrub(self.engine)


__all__ = ["PrivacyService"]
