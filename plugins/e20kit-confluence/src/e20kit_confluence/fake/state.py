"""The fake site's data: users, groups, spaces, content with versions, as plain records.

Times are epoch milliseconds (UTC). Tests and the org loader change it through
:class:`FakeData`'s methods, which keep what a real site derives (version numbers, the last
modification) consistent.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field


def make_account_id(*parts: object) -> str:
    """A deterministic id in Atlassian's account-id shape (``557058:<uuid-like hex>``)."""
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"557058:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


def make_user_key(*parts: object) -> str:
    """A deterministic DC user key (32 hex characters)."""
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=16).hexdigest()


@dataclass
class User:
    key: str
    """accountId on Cloud, userKey on Data Center."""
    username: str
    display_name: str
    email: str = ""
    email_visible: bool = True
    has_picture: bool = True
    active: bool = True


@dataclass
class Group:
    id: str
    name: str
    members: list[str] = field(default_factory=list)


@dataclass
class Space:
    id: int
    key: str
    name: str
    type: str = "global"
    owner: str = ""
    created_at: int = 0
    readable: bool = True
    """False: restricted for the connector's account (it never sees the space)."""
    watchers: list[str] = field(default_factory=list)
    """User keys of who watches the space, in the order they started."""


@dataclass
class Version:
    number: int
    by: str
    when: int


@dataclass
class Content:
    id: str
    type: str
    """``page``, ``blogpost`` or ``comment``."""
    space: str
    title: str
    versions: list[Version]
    status: str = "current"
    container: str = ""
    """The page or blog post a comment belongs to."""
    location: str = "footer"
    restricted: bool = False
    """Readable in search, but 403 on its versions (restricted after indexing)."""
    body: str = ""
    views: list[int] = field(default_factory=list)
    """When it was viewed (epoch ms, one entry a view): the analytics count these, nobody named."""

    @property
    def created_by(self) -> str:
        return self.versions[0].by

    @property
    def created_at(self) -> int:
        return self.versions[0].when

    @property
    def modified_at(self) -> int:
        return self.versions[-1].when


class FakeData:
    """The whole site; safe to change while the fake serves."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.spaces: dict[str, Space] = {}
        self.content: dict[str, Content] = {}
        self.credentials: dict[str, str] = {}
        """``"basic:<user>:<secret>"`` or ``"bearer:<token>"`` -> user key."""
        self._ids = itertools.count(65_537)
        self._space_ids = itertools.count(98_305)

    def add_user(self, key: str, username: str, display_name: str, **fields: object) -> User:
        with self.lock:
            user = User(key, username, display_name)
            for name, value in fields.items():
                setattr(user, name, value)
            self.users[key] = user
            return user

    def add_group(self, group_id: str, name: str) -> Group:
        with self.lock:
            group = Group(group_id, name)
            self.groups[group_id] = group
            return group

    def join(self, group_id: str, user_key: str) -> None:
        with self.lock:
            members = self.groups[group_id].members
            if user_key not in members:
                members.append(user_key)

    def add_space(self, key: str, name: str, **fields: object) -> Space:
        with self.lock:
            space = Space(next(self._space_ids), key, name)
            for attr, value in fields.items():
                setattr(space, attr, value)
            self.spaces[key] = space
            return space

    def add_content(
        self, type: str, space: str, by: str, when: int, *, title: str = "", **fields: object
    ) -> Content:
        with self.lock:
            cid = str(next(self._ids))
            item = Content(cid, type, space, title or f"{type} {cid}", [Version(1, by, when)])
            for attr, value in fields.items():
                setattr(item, attr, value)
            self.content[cid] = item
            return item

    def edit(self, content_id: str, by: str, when: int, body: str | None = None) -> Version:
        with self.lock:
            item = self.content[content_id]
            version = Version(item.versions[-1].number + 1, by, max(when, item.modified_at))
            item.versions.append(version)
            if body is not None:
                item.body = body
            return version

    def watch(self, space_key: str, user_key: str) -> None:
        with self.lock:
            watchers = self.spaces[space_key].watchers
            if user_key not in watchers:
                watchers.append(user_key)

    def view(self, content_id: str, when: int, count: int = 1) -> None:
        with self.lock:
            self.content[content_id].views.extend([when] * count)

    def comment(self, content_id: str, by: str, when: int, *, location: str = "footer") -> Content:
        parent = self.content[content_id]
        return self.add_content(
            "comment",
            parent.space,
            by,
            when,
            container=content_id,
            location=location,
            title=f"Re: {parent.title}",
        )


__all__ = [
    "Content",
    "FakeData",
    "Group",
    "Space",
    "User",
    "Version",
    "make_account_id",
    "make_user_key",
]
