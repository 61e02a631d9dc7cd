"""The store's tables (SQLAlchemy Core). One ``MetaData``; migrations live in ``migrate.py``."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

KEY = sa.String(64)
"""Member keys: 32 hex chars of HMAC-SHA256 when pseudonymised, else an e-mail (<= 64 chars)."""

ANONYMOUS_KEY = ""
"""The ``facts.member_key`` of anonymous counts (``Activity(person_id=None)``): views of a
container that name no reader. No member, identity or rollup pair ever has this key; the day
totals include these facts, every per-member figure leaves them out (see docs/metrics.md)."""

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("department", sa.String(200)),
    sa.Column("title", sa.String(200)),
    sa.Column("manager_key", KEY),
    sa.Column("joined_on", sa.Date),
    sa.Column("locale", sa.String(20)),
    sa.Column("is_leader", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

identities = sa.Table(
    "identities",
    metadata,
    sa.Column("source", sa.String(100), primary_key=True),
    sa.Column("person_id", sa.String(200), primary_key=True),
    sa.Column("platform", sa.String(100), nullable=False),
    sa.Column("member_key", KEY, nullable=False, index=True),
    sa.Column("manager_id", sa.String(200)),
    sa.Column("email", sa.String(320)),
    sa.Column("display_name", sa.String(300)),
    sa.Column("attributes", sa.JSON, nullable=False, default=dict),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("platform", sa.String(100), primary_key=True),
    sa.Column("action", sa.String(20), primary_key=True),
    sa.Column("feature", sa.String(20), primary_key=True),
    sa.Column("container", sa.String(300), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Index("ix_facts_member_day", "member_key", "day"),
)

activity_pairs = sa.Table(
    "activity_pairs",
    metadata,
    # a small number for each member and platform with activity, so that activity_spans rows
    # (read by the thousand for every report) hold integers only
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_key", KEY, nullable=False),
    sa.Column("platform", sa.String(100), nullable=False),
    sa.UniqueConstraint("member_key", "platform", name="uq_activity_pairs"),
)

activity_spans = sa.Table(
    "activity_spans",
    metadata,
    # one row per member and platform (pair) and 32-day span (days since 1970-01-01 // 32);
    # each of q0..q3 holds 8 days, one byte per day (lowest byte first): the day's feature bits
    # and the creator bit (see e20kit.store.rollup)
    sa.Column("span", sa.Integer, primary_key=True),
    sa.Column("pair", sa.Integer, primary_key=True),
    sa.Column("q0", sa.BigInteger, nullable=False),
    sa.Column("q1", sa.BigInteger, nullable=False),
    sa.Column("q2", sa.BigInteger, nullable=False),
    sa.Column("q3", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

span_packs = sa.Table(
    "span_packs",
    metadata,
    # activity_spans and contribution_days of one 32-day span packed for reading in one go
    # (layout in e20kit.store.packs); rewritten whenever a day of the span changes
    sa.Column("span", sa.Integer, primary_key=True),
    sa.Column("pairs", sa.LargeBinary, nullable=False),
    sa.Column("days", sa.LargeBinary, nullable=False),
    sa.Column("contributions", sa.LargeBinary, nullable=False),
)

activity_containers = sa.Table(
    "activity_containers",
    metadata,
    # a small number for each space, channel or site with contributions (see contribution_days)
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(100), nullable=False),
    sa.Column("container", sa.String(300), nullable=False),
    sa.UniqueConstraint("platform", "container", name="uq_activity_containers"),
)

contribution_days = sa.Table(
    "contribution_days",
    metadata,
    # contributions with a positive count, summed per day (days since 1970-01-01), pair and
    # container (0: none, as in chat); read for per-member totals and containers' contributors
    sa.Column("day", sa.Integer, primary_key=True),
    sa.Column("pair", sa.Integer, primary_key=True),
    sa.Column("container", sa.Integer, primary_key=True),
    sa.Column("con", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

day_totals = sa.Table(
    "day_totals",
    metadata,
    # the facts' counts summed over members: actions, contributions and helping contributions
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("platform", sa.String(100), primary_key=True),
    sa.Column("feature", sa.String(20), primary_key=True),
    sa.Column("container", sa.String(300), primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
    sa.Column("con", sa.BigInteger, nullable=False),
    sa.Column("hlp", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

rollup_dirty = sa.Table(
    "rollup_dirty",
    metadata,
    # days whose facts changed since the rollups were last refreshed (see e20kit.store.rollup)
    sa.Column("day", sa.Date, primary_key=True),
    sqlite_with_rowid=False,
)

rollup_state = sa.Table(
    "rollup_state",
    metadata,
    # on SQLite, ``facts_rowid``: the greatest facts rowid the rollups have seen
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

bookmarks = sa.Table(
    "bookmarks",
    metadata,
    sa.Column("connector", sa.String(100), primary_key=True),
    sa.Column("stream", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

ledger = sa.Table(
    "ledger",
    metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("member_key", KEY, nullable=False, index=True),
    sa.Column("notifier", sa.String(100), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

opt_outs = sa.Table(
    "opt_outs",
    metadata,
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("scope", sa.String(50), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

onboarding_progress = sa.Table(
    "onboarding_progress",
    metadata,
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("checklist", sa.String(100), primary_key=True),
    sa.Column("step", sa.String(100), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("stalled_since", sa.DateTime(timezone=True)),
    sa.Column("in_audience", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_onboarding_progress_step", "checklist", "step"),
)

onboarding_marks = sa.Table(
    "onboarding_marks",
    metadata,
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("checklist", sa.String(100), primary_key=True),  # '' = every checklist
    sa.Column("step", sa.String(100), primary_key=True),
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
)

champion_roster = sa.Table(
    "champion_roster",
    metadata,
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("department", sa.String(200)),
    sa.Column("state", sa.String(20), nullable=False, index=True),
    sa.Column("score", sa.Float, nullable=False, server_default="0"),
    sa.Column("invite_attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("nominated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
)

champion_history = sa.Table(
    "champion_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_key", KEY, nullable=False, index=True),
    sa.Column("from_state", sa.String(20)),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(100), nullable=False),
    sa.Column("note", sa.String(300)),
)

champion_buddies = sa.Table(
    "champion_buddies",
    metadata,
    sa.Column("newcomer_key", KEY, primary_key=True),
    sa.Column("champion_key", KEY, nullable=False, index=True),
    sa.Column("paired_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command", sa.String(50), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("detail", sa.JSON),
)

forgotten = sa.Table(
    "forgotten",
    metadata,
    # people erased before tombstones covered every identifier: an HMAC of the member key
    # only; still honoured by collection, but no rotation can re-key it (see ``tombstones``)
    sa.Column("tombstone", sa.String(64), primary_key=True),
    sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=False),
)

tombstones = sa.Table(
    "tombstones",
    metadata,
    # one row per identifier an erased person had (member key, platform account, e-mail): a
    # key-homomorphic mark (e20kit.privacy.tombstones), never the identifier, re-keyable when the
    # pseudonym secret changes; collection skips every record carrying a marked identifier
    sa.Column("mark", sa.String(600), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=False),
)


def audit_chain_columns() -> tuple[sa.Column[object], ...]:
    """The audit trail's columns added with its hash chain (new each call: a Column belongs to
    one table, and the migration adds them to an existing one)."""
    return (
        sa.Column("requester", sa.String(200)),
        sa.Column("reason", sa.String(1000)),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("subject", sa.String(64)),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("row_hash", sa.String(64)),
    )


secret_check = sa.Table(
    "secret_check",
    metadata,
    # which pseudonym secret the store's member keys are made with: an HMAC of a fixed text
    # under it (never the secret); collection and subject requests refuse another one
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # who saw or produced what about whom (e20kit.privacy.audit): append-only, hash-chained,
    # never purged by the retention rules; shortened only by `privacy audit prune`
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("os_user", sa.String(100), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("period", sa.String(100)),
    sa.Column("format", sa.String(20)),
    sa.Column("target", sa.String(1000)),
    sa.Column("detail", sa.JSON),
    *audit_chain_columns(),
)

experiments = sa.Table(
    "experiments",
    metadata,
    # each randomised hold-out's question, frozen at its first assignment (e20kit.effects)
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("definition", sa.JSON, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
)

experiment_assignments = sa.Table(
    "experiment_assignments",
    metadata,
    # the arm each member was drawn into, once and for good; (stratum, seq) is the member's
    # place in their department's permuted blocks, from which the draw can be re-derived
    sa.Column("experiment", sa.String(100), primary_key=True),
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("arm", sa.String(20), nullable=False),
    sa.Column("stratum", sa.String(200), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("assigned_on", sa.Date, nullable=False),
    sa.UniqueConstraint("experiment", "stratum", "seq", name="uq_experiment_assignments_seq"),
)

interventions = sa.Table(
    "interventions",
    metadata,
    # remedies rolled out per department (trainings, info sessions...): one row per department
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("what", sa.String(300), nullable=False),
    sa.Column("department", sa.String(200), nullable=False),
    sa.Column("from_day", sa.Date, nullable=False),
    sa.Column("design", sa.String(30), nullable=False),
    sa.Column("seed", sa.String(100)),
    sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
)

member_history = sa.Table(
    "member_history",
    metadata,
    # a member's attributes as they were: one row per stretch of days (valid_from inclusive,
    # valid_to exclusive, None: open); written by collect when an attribute changes, read by
    # the analytics so a period is always grouped as it was (docs/privacy.md)
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_key", KEY, nullable=False, index=True),
    sa.Column("valid_from", sa.Date),  # None: since before the store recorded history
    sa.Column("valid_to", sa.Date),
    sa.Column("department", sa.String(200)),
    sa.Column("is_leader", sa.Boolean, nullable=False),
    sa.Column("joined_on", sa.Date),
    sa.Column("active", sa.Boolean, nullable=False),
)

disclosure_key = sa.Table(
    "disclosure_key",
    metadata,
    # the random key of the disclosure layer's cell key (e20kit.disclosure): created with the
    # store, never exported, never shown
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(64), nullable=False),
)

survey_waves = sa.Table(
    "survey_waves",
    metadata,
    # one round of the pulse survey (e20kit.survey): where its answers are collected
    sa.Column("wave_id", sa.String(100), primary_key=True),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Column("survey_ref", sa.String(300)),
    sa.Column("opened", sa.Date, nullable=False),
    sa.Column("closes", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

survey_responses = sa.Table(
    "survey_responses",
    metadata,
    # one answer of one anonymous response: no person column, no time finer than the wave; the
    # tool's response id only as a keyed hash (to count nothing twice), rows written in the
    # order of that hash (never in the order people answered)
    sa.Column("wave_id", sa.String(100), primary_key=True),
    sa.Column("response_hash", sa.String(64), primary_key=True),
    sa.Column("reason", sa.String(30), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("unit", sa.String(200)),
    sa.Column("score", sa.SmallInteger),
)

survey_invitations = sa.Table(
    "survey_invitations",
    metadata,
    # that a member was invited to a wave (and reminded), nothing about whether or what they
    # answered; erased with the member (e20kit.privacy.subjects)
    sa.Column("wave_id", sa.String(100), primary_key=True),
    sa.Column("member_key", KEY, primary_key=True),
    sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reminders", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
)
