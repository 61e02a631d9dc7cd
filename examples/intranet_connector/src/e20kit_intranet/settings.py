"""The ``[connectors.<name>]`` table of an intranet connector, validated by the core."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from e20kit import ServiceUrl

PLATFORM = "intranet"


class IntranetSettings(BaseModel):
    """``url`` and ``token_env = "VAR"``; the core reads ``$VAR`` into ``token``."""

    model_config = ConfigDict(extra="forbid")

    url: ServiceUrl
    """``https://intranet.example.org`` (plain ``http://`` only on loopback, for the fake)."""
    token: SecretStr
    """An API token with read access to users and page views."""
    page_size: int = Field(default=100, ge=1, le=500)
