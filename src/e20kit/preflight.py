"""Everything a run needs from the config, checked before the store is opened or created.

Exit 2 promises that nothing was written: so the whole config (every connector's and notifier's
table, every ``*_env`` secret, the pseudonym secret and the store's folder) is validated before
the first file, folder or table exists.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from .collect import prepare_connectors
from .config import Config
from .errors import ConfigError
from .instances import notifier_type
from .plugins import Plugins


def check_store_folder(config: Config, url: str) -> None:
    """An SQLite store given by URL must be in an existing folder (a typo creates nothing)."""
    try:
        parsed = make_url(url)
    except Exception:  # the store reports a malformed URL itself, with its own message
        return
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    folder = Path(parsed.database).expanduser().parent
    if not folder.is_dir():
        raise ConfigError(
            f"config error in {config.where}: store.url names the SQLite file "
            f"{parsed.database}, but its folder {folder} does not exist; create it first "
            "(only the default data folder is created automatically)",
            file=config.where,
            key="store.url",
        )


def check_config(config: Config, plugins: Plugins, store_url: str, *, default: bool) -> None:
    """Raise :class:`ConfigError` on the first problem in any part of the config.

    Platform secrets are not needed here: every table's shape is checked, but an unset
    ``*_env`` variable is left to the commands that call a platform (:func:`check_secrets`,
    run by :meth:`e20kit.Kit.lock`). The pseudonym secret is checked when it is set; it is
    required by the commands that write member keys, which check it there too.
    """
    if config.env.get(config.settings.privacy.secret_env):
        config.pseudonym_secret()
    if not default:
        check_store_folder(config, store_url)
    check_plugin_tables(config, plugins, secrets=False)


def check_plugin_tables(config: Config, plugins: Plugins, *, secrets: bool) -> None:
    """Validate every ``[connectors.*]`` and ``[notifiers.*]`` table (with their secrets
    resolved from the environment when ``secrets``)."""
    prepare_connectors(config, plugins, secrets=secrets)
    for name in config.settings.notifiers:
        ntype = notifier_type(config, plugins, name, key=f"notifiers.{name}")
        config.plugin_settings("notifiers", name, ntype.settings, secrets=secrets)


def check_secrets(config: Config, plugins: Plugins) -> None:
    """Every platform secret the config names is set (before a command that calls a platform
    opens or creates the store, so that its exit 2 writes nothing)."""
    check_plugin_tables(config, plugins, secrets=True)


__all__ = ["check_config", "check_plugin_tables", "check_secrets", "check_store_folder"]
