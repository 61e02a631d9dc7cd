"""The ``[survey_sources.<name>]`` table with ``type = "limesurvey"``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from e20kit import ServiceUrl

RPC_PATH = "/index.php/admin/remotecontrol"
"""Where LimeSurvey serves RemoteControl 2 (JSON-RPC must be enabled in its global settings)."""


class LimeSurveySettings(BaseModel):
    """Where the LimeSurvey server is and which account e20kit uses there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: ServiceUrl
    """The LimeSurvey installation, e.g. ``https://survey.example.org`` (the RemoteControl
    path is appended); plain ``http://`` only for a loopback fake."""
    username: str = Field(min_length=1)
    """The LimeSurvey account e20kit logs in with (create surveys, read responses)."""
    password: SecretStr
    """Its password; give it as ``password_env = "NAME"``."""
    auth_plugin: str = "Authdb"
    """LimeSurvey's authentication plugin (``Authdb``: its own users; ``AuthLDAP``...)."""
    survey_id: int | None = Field(default=None, ge=1)
    """Use this existing survey (made by hand) instead of creating one; it is checked
    (anonymised, the twelve question codes present). All its answers belong to one wave: set
    it anew for the next wave."""
    title_prefix: str = Field(default="e20kit pulse", min_length=1, max_length=100)
    """Surveys e20kit creates are titled ``<prefix> <wave id>``; a rerun finds its survey by
    this title instead of creating a second one."""
    public_url: ServiceUrl | None = None
    """Base of the links people open (default ``url``), for a server reached under another
    name from inside."""

    @field_validator("url", "public_url")
    @classmethod
    def _without_rpc_path(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.removesuffix(RPC_PATH).rstrip("/")

    @property
    def rpc_url(self) -> str:
        """The RemoteControl 2 endpoint."""
        return self.url + RPC_PATH

    def survey_url(self, survey_id: int) -> str:
        """Where a participant answers survey ``survey_id``."""
        return f"{self.public_url or self.url}/index.php/{survey_id}"


__all__ = ["RPC_PATH", "LimeSurveySettings"]
