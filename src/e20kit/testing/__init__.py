"""The testing kit for e20kit and its plugin authors: a pytest plugin (loaded via ``pytest11``).

Everything in ``__all__`` is public API, documented in docs/testing.md:

- stores: the ``store_url`` fixture (one empty store on SQLite, one on PostgreSQL when
  ``E20KIT_TEST_POSTGRES_URL`` is set), ``sqlite_url``, ``secret_env``, and :func:`shared_path`
  for the project's ../shared reference data (skips where it is absent);
- kits: :func:`build_kit` opens a real :class:`~e20kit.Kit` from config tables given as
  mappings; :func:`run_cli` runs the command line on it; :func:`registrations` lists what the
  installed plugins register;
- connectors and notifiers: :func:`run_connector` / :func:`build_connector` /
  :func:`build_notifier` / :func:`build_context` build them exactly as the core does
  (validated settings, secrets from ``env``, the real HTTP session) without a store;
- checks: :class:`FakeCheckContext`;
- reading stores: :func:`fact_totals`, :func:`people_totals`, :func:`store_rows`,
  :func:`bookmarks`, :func:`store_snapshot` and :func:`assert_same_store`.
"""

from __future__ import annotations

from .checks import FakeCheckContext
from .kits import (
    FAST_HTTP,
    Registrations,
    build_kit,
    kit_notifier,
    registrations,
    run_cli,
    write_config,
)
from .logs import _e20kit_restore_root_logging as _e20kit_restore_root_logging  # autouse
from .run import ConnectorOutput, build_connector, build_context, build_notifier, run_connector
from .snapshots import (
    DEFAULT_IGNORE_COLUMNS,
    DEFAULT_IGNORE_TABLES,
    assert_same_store,
    bookmarks,
    fact_totals,
    people_totals,
    store_rows,
    store_snapshot,
)
from .stores import (
    PG_ENV,
    SHARED,
    TEST_SECRET,
    secret_env,
    shared_path,
    sqlite_url,
    store_url,
    table_rows,
)
from .stores import _postgres_admin_url as _postgres_admin_url  # fixtures store_url needs
from .stores import _postgres_db as _postgres_db

__all__ = [
    "DEFAULT_IGNORE_COLUMNS",
    "DEFAULT_IGNORE_TABLES",
    "FAST_HTTP",
    "PG_ENV",
    "SHARED",
    "TEST_SECRET",
    "ConnectorOutput",
    "FakeCheckContext",
    "Registrations",
    "assert_same_store",
    "bookmarks",
    "build_connector",
    "build_context",
    "build_kit",
    "build_notifier",
    "fact_totals",
    "kit_notifier",
    "people_totals",
    "registrations",
    "run_cli",
    "run_connector",
    "secret_env",
    "shared_path",
    "sqlite_url",
    "store_rows",
    "store_snapshot",
    "store_url",
    "table_rows",
    "write_config",
]
