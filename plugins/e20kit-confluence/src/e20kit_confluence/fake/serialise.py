"""Fake records as the JSON bodies Confluence answers, Cloud or Data Center flavoured.

Field names follow Atlassian's Cloud OpenAPI documents (v1 ``User``, ``Content``, ``Version``,
``Space``; v2 ``Space``, ``PageVersion``). Data Center answers carry ``username`` and
``userKey`` instead of ``accountId`` (there is no public DC OpenAPI; see confluence-rest.md §6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .state import Content, FakeData, Space, User, Version

Json = dict[str, Any]


def iso(ms: int) -> str:
    """Confluence's timestamp format, e.g. ``2026-10-01T09:12:00.000Z``."""
    at = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Site:
    """How one fake instance speaks: Cloud (``/wiki``) or DC (with or without a context)."""

    cloud: bool
    origin: str
    context: str
    """``/wiki`` on Cloud; ``""`` or e.g. ``/confluence`` on Data Center."""

    @property
    def base(self) -> str:
        return self.origin + self.context

    def links(self, self_path: str, next_path: str | None = None) -> Json:
        """v1 ``_links``: ``next`` relative to ``base`` (so without the context path)."""
        out: Json = {"base": self.base, "context": self.context, "self": self.base + self_path}
        if next_path:
            out["next"] = next_path
        return out


def picture(user: User) -> Json:
    if user.has_picture:
        path = f"/download/attachments/1/user-avatar?name={user.username}"
    else:
        path = "/images/icons/profilepics/default.svg"
    return {"path": path, "width": 48, "height": 48, "isDefault": not user.has_picture}


def user(site: Site, u: User) -> Json:
    if site.cloud:
        return {
            "type": "known",
            "accountId": u.key,
            "accountType": "atlassian",
            "email": u.email if u.email_visible else "",
            "publicName": u.display_name,
            "displayName": u.display_name,
            "profilePicture": picture(u),
            "isExternalCollaborator": False,
            "_links": {"self": f"{site.base}/rest/api/user?accountId={u.key}"},
        }
    return {
        "type": "known",
        "username": u.username,
        "userKey": u.key,
        "displayName": u.display_name,
        "email": u.email,
        "profilePicture": picture(u),
        "_links": {"self": f"{site.base}/rest/api/user?key={u.key}"},
    }


def space_watch(site: Site, space: Space, u: User) -> Json:
    """A Cloud ``SpaceWatch`` (not in the OpenAPI subsets: shape from the v1 reference)."""
    return {"type": "space", "spaceKey": space.key, "watcher": user(site, u)}


def space_v1(site: Site, s: Space) -> Json:
    body: Json = {
        "id": s.id,
        "key": s.key,
        "name": s.name,
        "type": s.type,
        "status": "current",
        "_expandable": {"homepage": "", "description": ""},
        "_links": {"webui": f"/spaces/{s.key}", "self": f"{site.base}/rest/api/space/{s.key}"},
    }
    return body


def space_v2(site: Site, s: Space) -> Json:
    body: Json = {
        "id": str(s.id),
        "key": s.key,
        "name": s.name,
        "type": s.type,
        "status": "current",
        "createdAt": iso(s.created_at),
        "_links": {"webui": f"/spaces/{s.key}"},
    }
    if s.owner:
        body["authorId"] = s.owner
    return body


def version_v1(site: Site, v: Version, users: dict[str, User]) -> Json:
    return {
        "by": user(site, users[v.by]),
        "when": iso(v.when),
        "friendlyWhen": iso(v.when),
        "message": "",
        "number": v.number,
        "minorEdit": False,
        "_links": {},
    }


def version_v2(v: Version, item: Content) -> Json:
    return {
        "createdAt": iso(v.when),
        "message": "",
        "number": v.number,
        "minorEdit": False,
        "authorId": v.by,
        "page" if item.type == "page" else "blogpost": {"id": item.id, "title": item.title},
    }


def content(
    site: Site,
    c: Content,
    spaces: dict[str, Space],
    users: dict[str, User],
    expand: set[str],
    parent: Content | None = None,
) -> Json:
    body: Json = {
        "id": c.id,
        "type": c.type,
        "status": c.status,
        "title": c.title,
        "_links": {
            "webui": f"/spaces/{c.space}/pages/{c.id}",
            "self": f"{site.base}/rest/api/content/{c.id}",
        },
        "_expandable": {},
    }
    if "space" in expand:
        body["space"] = space_v1(site, spaces[c.space])
    if "history" in expand:
        body["history"] = {
            "latest": True,
            "createdBy": user(site, users[c.created_by]),
            "createdDate": iso(c.created_at),
        }
    if "version" in expand:
        body["version"] = version_v1(site, c.versions[-1], users)
    if c.type == "comment":
        body["extensions"] = {"location": c.location}
    if parent is not None and ({"container", "container.history"} & expand):
        # a comment's container is its page or blog post; "container.history" expands that
        # page's history (who created it) in the same answer
        held: Json = {"id": parent.id, "type": parent.type, "title": parent.title}
        if "container.history" in expand:
            held["history"] = {
                "latest": True,
                "createdBy": user(site, users[parent.created_by]),
                "createdDate": iso(parent.created_at),
            }
        body["container"] = held
    return body


def page_v2(c: Content, spaces: dict[str, Space], with_body: bool) -> Json:
    body: Json = {
        "id": c.id,
        "status": c.status,
        "title": c.title,
        "spaceId": str(spaces[c.space].id),
        "authorId": c.created_by,
        "createdAt": iso(c.created_at),
        "version": {
            "number": c.versions[-1].number,
            "createdAt": iso(c.modified_at),
            "authorId": c.versions[-1].by,
            "minorEdit": False,
            "message": "",
        },
        "_links": {"webui": f"/spaces/{c.space}/pages/{c.id}"},
    }
    if with_body:
        body["body"] = {"storage": {"value": c.body, "representation": "storage"}}
    return body


def page_v1(site: Site, c: Content, data: FakeData, expand: set[str]) -> Json:
    body = content(site, c, data.spaces, data.users, expand)
    if "body.storage" in expand:
        body["body"] = {"storage": {"value": c.body, "representation": "storage"}}
    return body


def error(site: Site, status: int, message: str) -> Json:
    if site.cloud:
        return {"statusCode": status, "message": message, "data": {"authorized": status != 401}}
    return {"statusCode": status, "message": message, "reason": _REASONS.get(status, "Error")}


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
}

__all__ = [
    "Site",
    "content",
    "error",
    "iso",
    "space_v1",
    "space_v2",
    "space_watch",
    "user",
    "version_v1",
    "version_v2",
]
