"""A loopback fake of the Confluence REST endpoints e20kit uses, Cloud or Data Center.

>>> from e20kit.sandbox import build_org                          # doctest: +SKIP
>>> with ConfluenceFake.from_org(build_org(members=40), cloud=True) as fake:  # doctest: +SKIP
...     print(fake.url)                                           # http://127.0.0.1:PORT/wiki
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from e20kit.sandbox import Fake, FaultPlan, LoopbackServer

from .api import FakeApi
from .org import (
    CLOUD_API_TOKEN,
    CLOUD_EMAIL,
    DC_PASSWORD,
    DC_TOKEN,
    DC_USERNAME,
    Accounts,
    load_org,
    load_synthetic,
)
from .state import FakeData


class ConfluenceFake(Fake):
    """The fake's data, its API and the loopback server serving it (started on creation)."""

    def __init__(
        self,
        data: FakeData,
        accounts: Accounts,
        *,
        cloud: bool,
        context: str = "",
        rate_limit_per_s: float | None = None,
        dc_capacity: int | None = None,
        faults: FaultPlan | None = None,
    ) -> None:
        self.data = data
        self.accounts = accounts
        self.cloud = cloud
        self.api = FakeApi(
            data,
            cloud=cloud,
            context=context,
            rate_limit_per_s=rate_limit_per_s,
            dc_capacity=dc_capacity,
        )
        self.server = LoopbackServer(self.api, faults=faults)

    @classmethod
    def from_org(
        cls, org: Any, *, cloud: bool, hidden_emails: float = 0.0, **options: Any
    ) -> ConfluenceFake:
        data, accounts = load_org(org, cloud=cloud, hidden_emails=hidden_emails)
        return cls(data, accounts, cloud=cloud, **options)

    @classmethod
    def synthetic(
        cls,
        *,
        cloud: bool,
        members: int,
        spaces: int,
        pages: int,
        versions_and_comments: int,
        days: int = 30,
        end: dt.date | None = None,
        **options: Any,
    ) -> ConfluenceFake:
        end = end or dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        data, accounts = load_synthetic(
            cloud=cloud,
            members=members,
            spaces=spaces,
            pages=pages,
            versions_and_comments=versions_and_comments,
            days=days,
            end=end,
        )
        return cls(data, accounts, cloud=cloud, **options)

    @property
    def url(self) -> str:
        """The base URL a connector is given: origin plus ``/wiki`` or the DC context path."""
        return self.server.url + self.api.context

    def settings(self) -> dict[str, Any]:
        """A ``[connectors.<name>]`` table for this fake (secrets named by ``*_env``)."""
        if self.cloud:
            return {
                "type": "confluence",
                "deployment": "cloud",
                "url": self.url,
                "email": CLOUD_EMAIL,
                "api_token_env": "E20KIT_CONFLUENCE_TOKEN",
                "groups": [self.accounts.group_id],
            }
        return {
            "type": "confluence",
            "deployment": "datacenter",
            "url": self.url,
            "token_env": "E20KIT_CONFLUENCE_TOKEN",
        }

    @property
    def token(self) -> str:
        return CLOUD_API_TOKEN if self.cloud else DC_TOKEN

    def stop(self) -> None:
        self.server.stop()


__all__ = [
    "CLOUD_API_TOKEN",
    "CLOUD_EMAIL",
    "DC_PASSWORD",
    "DC_TOKEN",
    "DC_USERNAME",
    "Accounts",
    "ConfluenceFake",
    "FakeApi",
    "FakeData",
    "load_org",
    "load_synthetic",
]
