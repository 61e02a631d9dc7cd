"""A loopback fake of the Mattermost REST v4 endpoints e20kit uses, for tests and the demo.

>>> from e20kit.sandbox import build_org          # doctest: +SKIP
>>> with MattermostFake.from_org(build_org(members=40)) as fake:  # doctest: +SKIP
...     print(fake.url)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from e20kit.sandbox import Fake, FaultPlan, LoopbackServer

from .api import FakeApi, RateLimiter
from .org import ADMIN_TOKEN, BOT_TOKEN, Accounts, load_org, load_synthetic
from .state import FakeData, make_id


class MattermostFake(Fake):
    """The fake's data, its API and the loopback server serving it (started on creation)."""

    def __init__(
        self,
        data: FakeData,
        accounts: Accounts,
        *,
        rate_limit_per_s: float | None = None,
        report_dialect: str = "server",
        faults: FaultPlan | None = None,
    ) -> None:
        self.data = data
        self.accounts = accounts
        self.api = FakeApi(data, rate_limit_per_s=rate_limit_per_s, report_dialect=report_dialect)
        self.server = LoopbackServer(self.api, faults=faults)

    @classmethod
    def from_org(cls, org: Any, **options: Any) -> MattermostFake:
        data, accounts = load_org(org)
        return cls(data, accounts, **options)

    @classmethod
    def synthetic(
        cls,
        *,
        members: int,
        channels: int,
        posts: int,
        days: int = 30,
        end: dt.date | None = None,
        **options: Any,
    ) -> MattermostFake:
        """Plain numbers (benchmarks): ``posts`` spread over ``channels`` and the ``days``
        before ``end`` (default: tomorrow, so the content is recent)."""
        end = end or dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        data, accounts = load_synthetic(
            members=members, channels=channels, posts=posts, days=days, end=end
        )
        return cls(data, accounts, **options)

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()


__all__ = [
    "ADMIN_TOKEN",
    "BOT_TOKEN",
    "Accounts",
    "FakeApi",
    "FakeData",
    "MattermostFake",
    "RateLimiter",
    "load_org",
    "load_synthetic",
    "make_id",
]
