"""Graph mail against the fake: one message per key, even across a crash; the member's language."""

from __future__ import annotations

import pytest
from e20kit_sharepoint.fake import MAILBOX, GraphFake
from e20kit_sharepoint.notifier import KEY_PROPERTY, SHAREPOINT_NOTIFIER, GraphMailNotifier
from sharepoint_helpers import SECRET_ENV

from e20kit import Message, NotifierError, Recipient
from e20kit.testing import build_notifier


def _notifier(fake: GraphFake) -> GraphMailNotifier:
    notifier = build_notifier(
        SHAREPOINT_NOTIFIER,
        fake.table(SECRET_ENV, mailbox=MAILBOX),
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
        name="mail",
    )
    assert isinstance(notifier, GraphMailNotifier)
    return notifier


def _message(key: str = "onboarding:m1:visit", locale: str = "en") -> Message:
    return Message(
        key=key,
        recipient=Recipient(member_key="m1", email="julia.carter@example.org", locale=locale),
        subject="Visit the intranet",
        body="The team site has the handbook.",
        kind="onboarding.nudge",
    )


def _sent(fake: GraphFake) -> list[dict[str, object]]:
    return fake.tenant.sent_items[MAILBOX]


def test_a_key_is_sent_once_even_by_a_new_process_after_a_crash(fake: GraphFake) -> None:
    first = _notifier(fake)
    message = _message()
    assert first.was_sent(message) is False
    first.send(message)
    first.send(message)  # asked twice by the same process
    # the process dies before the ledger records the delivery; the next one asks again
    second = _notifier(fake)
    assert second.was_sent(message) is True
    second.send(message)
    [mail] = _sent(fake)
    assert mail["singleValueExtendedProperties"] == [{"id": KEY_PROPERTY, "value": message.key}]
    assert mail["toRecipients"] == [{"emailAddress": {"address": "julia.carter@example.org"}}]
    assert second.was_sent(_message(key="onboarding:m1:other")) is False


def test_keys_with_quotes_are_found_again(fake: GraphFake) -> None:
    notifier = _notifier(fake)
    message = _message(key="champions:m1:it's-you")
    notifier.send(message)
    assert notifier.was_sent(message) is True


@pytest.mark.parametrize(
    ("locale", "greeting"), [("de-DE", "Guten Tag,"), ("en", "Hello,"), ("fr", "Hello,")]
)
def test_the_mail_is_framed_in_the_members_language(
    fake: GraphFake, locale: str, greeting: str
) -> None:
    _notifier(fake).send(_message(locale=locale))
    [mail] = _sent(fake)
    body = mail["body"]
    assert isinstance(body, dict)
    assert body["content"].startswith(greeting)
    assert "The team site has the handbook." in body["content"]


def test_a_member_without_an_address_is_a_notifier_error(fake: GraphFake) -> None:
    message = Message(key="k", recipient=Recipient(member_key="m9"), subject="s", body="b")
    with pytest.raises(NotifierError, match="m9 has no e-mail address"):
        _notifier(fake).send(message)
    assert _sent(fake) == []


def test_an_unknown_mailbox_is_a_notifier_error(fake: GraphFake) -> None:
    notifier = build_notifier(
        SHAREPOINT_NOTIFIER,
        fake.table(SECRET_ENV, mailbox="nobody@example.org"),
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )
    with pytest.raises(NotifierError, match="could not tell whether"):
        notifier.send(_message())
