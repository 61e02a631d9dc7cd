"""The entry object of the Python API: everything the CLI does is one call here."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import sqlalchemy as sa

from .collect import Collector, CollectResult, Progress, prepare_connectors
from .config import Config, load_config
from .lock import run_lock
from .plugins import Plugins
from .privacy import Pseudonymiser
from .store import create_engine, default_store_url


class Kit:
    """Config, store and plugins, opened once; methods return typed results, never text.

    >>> kit = Kit.from_config("e20kit.toml")          # doctest: +SKIP
    >>> result = kit.collect()                         # doctest: +SKIP
    """

    def __init__(
        self,
        config: Config,
        *,
        plugins: Plugins | None = None,
        store_url: str | None = None,
    ) -> None:
        self.config = config
        self.plugins = plugins or Plugins()
        self.store_url = store_url or config.settings.store.url or default_store_url()
        self._engine: sa.Engine | None = None
        self._pseudonymiser: Pseudonymiser | None = None

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        store_url: str | None = None,
        plugins: Iterable[object] = (),
        strict: bool = False,
    ) -> Kit:
        """Open the kit described by a TOML file (or ``$E20KIT_CONFIG``, or defaults)."""
        config = load_config(path, env=env)
        return cls(
            config, plugins=Plugins(strict=strict, extra=tuple(plugins)), store_url=store_url
        )

    @property
    def engine(self) -> sa.Engine:
        """The store, opened and migrated on first use."""
        if self._engine is None:
            self._engine = create_engine(self.store_url)
        return self._engine

    @property
    def pseudonymiser(self) -> Pseudonymiser:
        if self._pseudonymiser is None:
            self._pseudonymiser = Pseudonymiser(self.config.pseudonym_secret())
        return self._pseudonymiser

    @contextlib.contextmanager
    def lock(self, command: str = "run") -> Iterator[None]:
        """Hold the store's run lock (raises :class:`~e20kit.LockError` when taken)."""
        with run_lock(self.engine, command):
            yield

    def collect(
        self,
        connectors: Sequence[str] | None = None,
        *,
        today: dt.date | None = None,
        progress: Progress | None = None,
    ) -> CollectResult:
        """Collect people and activity from the configured (or named) connectors."""
        prepared = prepare_connectors(self.config, self.plugins, connectors)
        pseudonymiser = self.pseudonymiser
        collector = Collector(
            self.engine, self.config, self.plugins, pseudonymiser, today=today, progress=progress
        )
        return collector.run(prepared)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Kit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Kit"]
