"""Config tables of the Microsoft 365 connector and the Graph mail notifier."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from e20kit import CONTEXT_PREFIX, ServiceUrl

PLATFORM = "sharepoint"
"""The platform name people and ``Recipient.platform_ids`` use (all of Microsoft 365), and the
facts of SharePoint, OneDrive and Teams."""
VIVA_ENGAGE = "vivaengage"
"""The platform of Viva Engage (formerly Yammer) facts: an enterprise social network of its own."""
COPILOT = "copilot"
"""The platform of Microsoft 365 Copilot facts (days of use, from a beta report)."""
OUTLOOK = CONTEXT_PREFIX + "outlook"
"""Outlook mail and meetings: context, never participation (see docs/metrics.md)."""
M365_APPS = CONTEXT_PREFIX + "m365apps"
"""Which Microsoft 365 apps a member used on a day: context, never participation."""

GRAPH_URL = "https://graph.microsoft.com/v1.0"
AUTHORITY_URL = "https://login.microsoftonline.com"


class GraphCredentials(BaseModel):
    """The app registration both the connector and the notifier sign in with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: str = Field(min_length=1)
    """Directory (tenant) id or verified domain of the Microsoft 365 tenant."""
    client_id: str = Field(min_length=1)
    """Application (client) id of the app registration."""
    client_secret: SecretStr | None = None
    """Client secret; give it as ``client_secret_env = "NAME"``. Or use a certificate."""
    certificate_path: str | None = None
    """PEM file holding the certificate's private key (instead of a client secret)."""
    certificate_thumbprint: str | None = None
    """SHA-1 thumbprint (hex) of that certificate, as the app registration shows it."""
    certificate_password: SecretStr | None = None
    """Passphrase of an encrypted private key; ``certificate_password_env = "NAME"``."""
    graph_url: ServiceUrl = GRAPH_URL
    """Graph base URL including the version (a loopback fake in tests)."""
    authority_url: ServiceUrl = AUTHORITY_URL
    """Entra ID authority host; the tenant is appended. Always https (msal requires it)."""
    ca_bundle: str | None = None
    """CA bundle that signs the authority's certificate (tests: the fake authority's CA).
    It wins over ``REQUESTS_CA_BUNDLE``; leave it unset in production."""

    @field_validator("authority_url")
    @classmethod
    def _authority(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("must start with https:// (msal refuses other authorities)")
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> Self:
        has_cert = self.certificate_path is not None
        if (self.client_secret is None) == (not has_cert):
            raise ValueError(
                "give exactly one credential: client_secret_env, or certificate_path with "
                "certificate_thumbprint"
            )
        if has_cert and not self.certificate_thumbprint:
            raise ValueError("certificate_path needs certificate_thumbprint")
        return self


class SharePointSettings(GraphCredentials):
    """``[connectors.<name>]`` with ``type = "sharepoint"``."""

    reports_per_window: int = Field(default=14, ge=1)
    """CSV requests each report function allows per app and tenant in one quota window."""
    quota_window_s: float = Field(default=600.0, gt=0)
    """Length of that window (Microsoft: 10 minutes)."""
    reread_days: int = Field(default=3, ge=0, le=27)
    """The newest days before the report's refresh date that every run reads again, because
    Microsoft fills them in late."""
    history_days: int = Field(default=28, ge=1, le=30)
    """How far back the ``date=`` form is asked for (Microsoft keeps about 30 days)."""
    include_guests: bool = False
    """Count guest accounts (``userType = Guest``) as members."""
    include_disabled: bool = False
    """Count disabled accounts (``accountEnabled = false``) as members."""
    managers: bool = True
    """Read each user's manager with ``$expand=manager`` (pages of 100 instead of 999)."""
    viva_engage: bool = True
    """Read the Viva Engage activity report (posts, reads and likes per member and day)."""
    outlook_and_apps: bool = True
    """Read the Outlook activity and Microsoft 365 apps reports as context (never counted as
    participation)."""
    copilot: bool = True
    """Read the beta Microsoft 365 Copilot usage report (days of use per app); skipped with a
    notice when Graph no longer serves it at either known path."""


class GraphMailSettings(GraphCredentials):
    """``[notifiers.<name>]`` with ``type = "sharepoint"``: mail through Graph ``sendMail``."""

    mailbox: str = Field(min_length=3)
    """User principal name (or id) of the mailbox the messages are sent from."""
    platform: str = PLATFORM
    """Which ``Recipient.platform_ids`` entry holds the member's Graph user id or address."""
    lookback: int = Field(default=50, ge=1, le=999)
    """How many Sent Items ``was_sent`` searches at most for the message key."""


__all__ = [
    "AUTHORITY_URL",
    "COPILOT",
    "GRAPH_URL",
    "M365_APPS",
    "OUTLOOK",
    "PLATFORM",
    "VIVA_ENGAGE",
    "GraphCredentials",
    "GraphMailSettings",
    "SharePointSettings",
]
