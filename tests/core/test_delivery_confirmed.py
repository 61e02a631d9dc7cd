"""Deliveries are marked sent only on the vendor's documented success (issue 25): Graph
``sendMail`` 202 with an empty body, a Mattermost post 201 with the post. Anything else is
``unknown`` and checked in the channel before a resend, as after a crash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from e20kit import Message, Recipient
from e20kit.delivery import DeliveryState, deliver
from e20kit.sandbox import Request, Response, build_org
from e20kit.store import create_engine, schema
from e20kit.testing import build_notifier

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(store_url: str) -> Iterator[sa.Engine]:
    engine = create_engine(store_url)
    yield engine
    engine.dispose()


def _ledger(engine: sa.Engine, key: str) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                sa.select(schema.ledger.c.state).where(schema.ledger.c.key == key)
            ).scalar_one()
        )


def _intercept(
    server: object, when: Callable[[Request], bool], answer: Response
) -> Callable[[], None]:
    real = server.app  # type: ignore[attr-defined]

    def app(request: Request) -> Response:
        return answer if when(request) else real(request)

    server.app = app  # type: ignore[attr-defined]

    def undo() -> None:
        server.app = real  # type: ignore[attr-defined]

    return undo


# -- Microsoft Graph mail ------------------------------------------------------------------------

graph = pytest.importorskip("e20kit_sharepoint.fake")
graph_notifier = pytest.importorskip("e20kit_sharepoint.notifier")
SECRET_ENV = "E20KIT_TEST_GRAPH_SECRET"
HTML = Response(
    200, b"<html><body>Welcome to the proxy</body></html>", {"Content-Type": "text/html"}
)


@pytest.fixture
def graph_fake() -> Iterator[object]:
    org = build_org(seed=3, members=20, days=14)
    with graph.GraphFake.from_org(org) as fake:
        yield fake


def _mail(fake: object) -> object:
    return build_notifier(
        graph_notifier.SHAREPOINT_NOTIFIER,
        fake.table(SECRET_ENV, mailbox=graph.MAILBOX),  # type: ignore[attr-defined]
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},  # type: ignore[attr-defined]
        name="mail",
    )


def _mail_message(key: str = "onboarding:m1:visit") -> Message:
    return Message(
        key=key,
        recipient=Recipient(member_key="m1", email="julia.carter@example.org"),
        subject="Visit the intranet",
        body="The team site has the handbook.",
        kind="onboarding.nudge",
    )


def _sent_items(fake: object) -> list[object]:
    return list(fake.tenant.sent_items.get(graph.MAILBOX, []))  # type: ignore[attr-defined]


def test_send_mail_answering_200_html_is_unknown_then_checked_and_sent(
    graph_fake: object, engine: sa.Engine
) -> None:
    server = graph_fake.server  # type: ignore[attr-defined]
    undo = _intercept(server, lambda r: r.path.endswith("/sendMail"), HTML)
    message = _mail_message()
    first = deliver(engine, "mail", _mail(graph_fake), message, dry_run=False, now=NOW)
    assert first.state is DeliveryState.UNKNOWN  # 8bc5a9f: sent, and no mail ever arrived
    assert _ledger(engine, message.key) == "unknown" and _sent_items(graph_fake) == []
    assert "202" in str(first.error)
    undo()
    second = deliver(engine, "mail", _mail(graph_fake), message, dry_run=False, now=NOW)
    assert second.state is DeliveryState.SENT and len(_sent_items(graph_fake)) == 1
    third = deliver(engine, "mail", _mail(graph_fake), message, dry_run=False, now=NOW)
    assert third.state is DeliveryState.ALREADY_SENT and len(_sent_items(graph_fake)) == 1


def test_sent_items_answering_a_non_list_cannot_tell_and_the_mail_goes_out(
    graph_fake: object, engine: sa.Engine
) -> None:
    server = graph_fake.server  # type: ignore[attr-defined]
    _intercept(server, lambda r: "SentItems" in r.path, Response.json({"value": "yes"}))
    message = _mail_message()
    outcome = deliver(engine, "mail", _mail(graph_fake), message, dry_run=False, now=NOW)
    assert outcome.state is DeliveryState.SENT
    assert len(_sent_items(graph_fake)) == 1  # 8bc5a9f: "sent", 0 mails arrived


def test_an_unknown_delivery_is_not_resent_while_the_mailbox_cannot_tell(
    graph_fake: object, engine: sa.Engine
) -> None:
    server = graph_fake.server  # type: ignore[attr-defined]
    undo = _intercept(server, lambda r: r.path.endswith("/sendMail"), HTML)
    message = _mail_message()
    assert deliver(engine, "mail", _mail(graph_fake), message, dry_run=False).state is (
        DeliveryState.UNKNOWN
    )
    undo()
    _intercept(server, lambda r: "SentItems" in r.path, Response.json({"value": "yes"}))
    again = deliver(engine, "mail", _mail(graph_fake), message, dry_run=False)
    assert again.state is DeliveryState.UNKNOWN and _sent_items(graph_fake) == []


# -- Mattermost direct messages ------------------------------------------------------------------

mm = pytest.importorskip("e20kit_mattermost.fake")
mm_notifier = pytest.importorskip("e20kit_mattermost.notifier")


@pytest.fixture
def mm_fake() -> Iterator[object]:
    org = build_org(seed=3, members=20, days=14)
    with mm.MattermostFake.from_org(org) as fake:
        yield fake


def _dm(fake: object) -> object:
    table = {"url": fake.url, "token_env": "MM_BOT_TOKEN"}  # type: ignore[attr-defined]
    return build_notifier(
        mm_notifier.MATTERMOST_NOTIFIER,
        table,
        env={"MM_BOT_TOKEN": mm.BOT_TOKEN},
        name="dm",
        sleep=lambda _s: None,
    )


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(Response.json({"id": "abcdefghijklmnopqrstuvwxyz"}), id="200-not-a-post"),
        pytest.param(HTML, id="200-html"),
    ],
)
def test_a_post_not_answered_201_is_unknown_then_checked_and_sent(
    mm_fake: object, engine: sa.Engine, answer: Response
) -> None:
    data = mm_fake.data  # type: ignore[attr-defined]
    uid = next(u.id for u in data.users.values() if not u.is_bot and "admin" not in u.roles)
    message = Message(
        key="onboarding:m1:profile",
        recipient=Recipient(member_key="m1", platform_ids={"mattermost": uid}),
        subject="Set a profile picture",
        body="It helps colleagues recognise you.",
        kind="onboarding.nudge",
    )
    server = mm_fake.server  # type: ignore[attr-defined]
    undo = _intercept(server, lambda r: r.method == "POST" and r.path == "/api/v4/posts", answer)
    first = deliver(engine, "dm", _dm(mm_fake), message, dry_run=False, now=NOW)
    assert first.state is DeliveryState.UNKNOWN and _ledger(engine, message.key) == "unknown"
    undo()
    second = deliver(engine, "dm", _dm(mm_fake), message, dry_run=False, now=NOW)
    assert second.state is DeliveryState.SENT
    channel = data.direct_channel(mm_fake.accounts.bot_id, uid)  # type: ignore[attr-defined]
    assert len(data.posts_in(channel.id)) == 1
