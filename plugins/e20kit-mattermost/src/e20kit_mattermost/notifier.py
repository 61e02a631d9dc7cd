"""Direct messages from a bot: the Mattermost notifier for nudges and invitations.

``send`` opens (or reuses) the DM channel of the bot and the member with
``POST /api/v4/channels/direct`` and posts the message with ``POST /api/v4/posts``, putting the
message's idempotency key in the post's ``props``. ``was_sent`` looks for that key among the DM
channel's recent posts, so the core's ledger can deliver at most once even after a crash between
sending and recording. ``send`` itself checks first, so asking twice still sends one DM.
"""

from __future__ import annotations

import threading

from e20kit import ConnectorError, Message, NotifierError, NotifierType, PluginContext

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
            self.client.create_post(channel, text, {KEY_PROP: message.key})
            self._sent.add(message.key)
        except ConnectorError as err:
            raise NotifierError(
                f"[{self.name}] could not send message {message.key}: {err}",
                notifier=self.name,
                key=message.key,
            ) from None

    def was_sent(self, message: Message) -> bool | None:
        user = self._user_id(message)
        try:
            channel = self._channel(user)
            posts = self.client.recent_posts(channel, self.settings.lookback_posts)
        except ConnectorError as err:
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
)

__all__ = ["KEY_PROP", "MATTERMOST_NOTIFIER", "MattermostNotifier"]
