"""The ``limesurvey`` sandbox: a LimeSurvey fake that the synthetic organisation answers."""

from __future__ import annotations

import contextlib
from typing import Any

from e20kit import Sandbox, SandboxRun

from .fake import PASSWORD, USERNAME, LimeSurveyFake

PASSWORD_ENV = "E20KIT_DEMO_LIMESURVEY_PASSWORD"


def start(org: Any, stack: contextlib.ExitStack) -> SandboxRun:
    fake = stack.enter_context(LimeSurveyFake.from_org(org))
    return SandboxRun(
        survey_source={
            "type": "limesurvey",
            "url": fake.url,
            "username": USERNAME,
            "password_env": PASSWORD_ENV,
        },
        env={PASSWORD_ENV: PASSWORD},
    )


LIMESURVEY_SANDBOX = Sandbox(
    name="limesurvey",
    start=start,
    description="Loopback fake of LimeSurvey RemoteControl 2; the synthetic organisation "
    "answers the surveys e20kit creates.",
)

__all__ = ["LIMESURVEY_SANDBOX", "PASSWORD_ENV", "start"]
