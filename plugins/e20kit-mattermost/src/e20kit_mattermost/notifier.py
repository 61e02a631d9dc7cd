"""Direct messages from a bot: the Mattermost notifier for nudges and invitations.

``send`` opens (or reuses) the DM channel of the bot and the member with
``POST /api/v4/channels/direct`` and posts the message with ``POST /api/v4/posts``, putting the
message's idempotency key in the post's ``props``. Only the documented success (``201`` with the
``Post`` made) counts as sent; any other success answer is :class:`~e20kit.DeliveryUnconfirmed`
(the ledger's ``unknown``, checked before a resend). ``was_sent`` looks for that key among the DM
channel's recent posts, so the core's ledger can deliver at most once even after a crash between
sending and recording. ``send`` itself checks first, so asking twice still sends one DM.
"""

from __future__ import annotations

import threading

from e20kit import (
    ConnectorAuthError,
    ConnectorError,
    DataSource,
    DeliveryUnconfirmed,
    Message,
    NotifierAuthError,
    NotifierError,
    NotifierType,
    PluginContext,
)

from .client import MattermostClient
from .ratelimit import MattermostRatePolicy
from .settings import MattermostNotifierSettings

KEY_PROP = "e20kit_key"
"""The post ``props`` entry holding the message's idempotency key."""


class MattermostNotifier:
    def __init__(self, context: PluginContext[MattermostNotifierSettings]) -> None:
        self.name = context.name
        self.settings = settings = context.settings
        session = context.http(base_url=settings.url, rate_policy=MattermostRatePolicy())
        self.client = MattermostClient(
            session, token=settings.token.get_secret_value(), connector=context.name
        )
        self._bot_id = settings.bot_user_id
        self._channels: dict[str, str] = {}
        self._sent: set[str] = set()
        self._lock = threading.Lock()

    def _stop_if_rejected(self, err: ConnectorError) -> None:
        """A 401 (the token) stops the whole delivery run; anything else fails one message."""
        if isinstance(err, ConnectorAuthError) and err.context.get("status") == 401:
            raise NotifierAuthError(
                f"[{self.name}] {self.settings.url} rejected the token (HTTP 401): fix "
                f"notifiers.{self.name}.token_env; delivery stopped, nothing was sent",
                notifier=self.name,
                url=self.settings.url,
            ) from None

    def _user_id(self, message: Message) -> str:
        uid = message.recipient.platform_ids.get(self.settings.platform)
        if not uid:
            raise NotifierError(
                f"[{self.name}] member {message.recipient.member_key} has no "
                f"{self.settings.platform} account; cannot send message {message.key}",
                notifier=self.name,
                key=message.key,
            )
        return uid

    def _channel(self, user_id: str) -> str:
        with self._lock:
            if self._bot_id is None:
                self._bot_id = self.client.me().id
            bot = self._bot_id
            if user_id not in self._channels:
                self._channels[user_id] = self.client.direct_channel(bot, user_id).id
            return self._channels[user_id]

    def send(self, message: Message) -> None:
        """Post the message unless a post with its key is already in the DM channel."""
        user = self._user_id(message)
        text = f"**{message.subject}**\n\n{message.body}" if message.subject else message.body
        if message.key in self._sent or self.was_sent(message):
            return
        try:
            channel = self._channel(user)
            made = self.client.create_post(channel, text, {KEY_PROP: message.key})
        except ConnectorError as err:
            self._stop_if_rejected(err)
            raise NotifierError(
                f"[{self.name}] could not send message {message.key}: {err}",
                notifier=self.name,
                key=message.key,
            ) from None
        if made is None:
            raise DeliveryUnconfirmed(
                f"[{self.name}] POST /api/v4/posts did not answer 201 with the post: message "
                f"{message.key} may or may not have gone out; the next run looks for it in the "
                "direct channel before sending again",
                notifier=self.name,
                key=message.key,
            )
        self._sent.add(message.key)

    def was_sent(self, message: Message) -> bool | None:
        user = self._user_id(message)
        try:
            channel = self._channel(user)
            posts = self.client.recent_posts(channel, self.settings.lookback_posts)
        except ConnectorError as err:
            self._stop_if_rejected(err)
            raise NotifierError(
                f"[{self.name}] could not tell whether message {message.key} was sent: {err}",
                notifier=self.name,
                key=message.key,
            ) from None
        return any(p.props.get(KEY_PROP) == message.key for p in posts)


MATTERMOST_NOTIFIER = NotifierType(
    name="mattermost",
    settings=MattermostNotifierSettings,
    factory=MattermostNotifier,
    description="Direct messages from a Mattermost bot, at most once per message key.",
    description_de="Direktnachrichten eines Mattermost-Bots, jede Nachricht höchstens einmal.",
    data_sources=(
        DataSource(
            "POST /api/v4/channels/direct, POST /api/v4/posts",
            "a bot account's token (create direct channels, post)",
            "a direct message to the member (nudge, invitation, digest) from the bot",
            "das Token eines Bot-Kontos (Direktkanäle anlegen, Beiträge schreiben)",
            "eine Direktnachricht des Bots an die Person (Erinnerung, Einladung, Übersicht)",
        ),
        DataSource(
            "GET /api/v4/channels/{id}/posts",
            "the same bot token",
            "the bot's own recent posts, to tell whether a message already went out",
            "dasselbe Bot-Token",
            "die eigenen letzten Beiträge des Bots, um doppelte Nachrichten zu vermeiden",
        ),
    ),
)

__all__ = ["KEY_PROP", "MATTERMOST_NOTIFIER", "MattermostNotifier"]
