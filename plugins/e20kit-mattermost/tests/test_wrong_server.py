"""Issue 24: a Confluence URL in the Mattermost table read "credentials rejected" (exit 6, "retry
later"), and a rejected Mattermost token did not name ``connectors.chat.token_env``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from e20kit_mattermost.fake import MattermostFake

from e20kit import ConfigError, ConnectorError, Kit
from e20kit.sandbox import LoopbackServer, Request, Response

KitFactory = Callable[..., Kit]


def _confluence(_request: Request) -> Response:
    """What a Confluence Cloud site answers a request without its credentials."""
    return Response.json(
        {"statusCode": 401, "message": "Client must be authenticated to access this resource."},
        status=401,
    )


def test_a_server_that_is_not_mattermost_says_so(make_kit: KitFactory, today: dt.date) -> None:
    with LoopbackServer(_confluence) as wiki:
        result = make_kit(wiki.url).collect(today=today)
    run = result.runs[0]
    assert "does not answer like Mattermost" in (run.error or "")
    assert "credentials rejected" not in (run.error or "")
    assert result.exit_code == ConnectorError.exit_code


def test_a_rejected_token_names_the_key_and_is_not_retry_later(
    fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    result = make_kit(fake.url, token="not-the-token-at-all").collect(today=today)
    run = result.runs[0]
    assert "credentials rejected" in (run.error or "")
    assert "connectors.chat.token_env" in (run.error or "")
    assert result.exit_code == ConfigError.exit_code
