"""Fake records as the JSON bodies Mattermost answers (field names as in the vendor schemas)."""

from __future__ import annotations

from typing import Any

from .state import Channel, FakeData, Post, Team, User

Json = dict[str, Any]


def user(u: User) -> Json:
    body: Json = {
        "id": u.id,
        "create_at": u.create_at,
        "update_at": u.update_at,
        "delete_at": u.delete_at,
        "username": u.username,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "nickname": u.nickname,
        "email": u.email,
        "email_verified": True,
        "auth_service": "",
        "roles": u.roles,
        "locale": u.locale,
        "position": u.position,
        "props": {},
        "last_picture_update": u.last_picture_update,
        "failed_attempts": 0,
        "mfa_active": False,
    }
    if u.is_bot:
        body["is_bot"] = True
    return body


def team(t: Team) -> Json:
    return {
        "id": t.id,
        "create_at": t.create_at,
        "update_at": t.create_at,
        "delete_at": 0,
        "display_name": t.display_name,
        "name": t.name,
        "description": "",
        "email": "",
        "type": "O",
        "allowed_domains": "",
        "invite_id": "",
        "allow_open_invite": True,
    }


def team_member(team_id: str, user_id: str) -> Json:
    return {
        "team_id": team_id,
        "user_id": user_id,
        "roles": "team_user",
        "delete_at": 0,
        "scheme_user": True,
        "scheme_admin": False,
        "explicit_roles": "",
    }


def channel(c: Channel) -> Json:
    return {
        "id": c.id,
        "create_at": c.create_at,
        "update_at": c.update_at,
        "delete_at": c.delete_at,
        "team_id": c.team_id,
        "type": c.type,
        "display_name": c.display_name,
        "name": c.name,
        "header": "",
        "purpose": "",
        "last_post_at": c.last_post_at,
        "total_msg_count": c.total_msg_count,
        "extra_update_at": c.create_at,
        "creator_id": c.creator_id,
    }


def channel_with_team(c: Channel, data: FakeData) -> Json:
    t = data.teams.get(c.team_id)
    return {
        **channel(c),
        "team_display_name": t.display_name if t else "",
        "team_name": t.name if t else "",
        "team_update_at": t.create_at if t else 0,
    }


def channel_member(c: Channel, user_id: str) -> Json:
    return {
        "channel_id": c.id,
        "user_id": user_id,
        "roles": "channel_user",
        "last_viewed_at": c.last_post_at,
        "msg_count": c.total_msg_count,
        "mention_count": 0,
        "last_update_at": c.update_at,
    }


def post(p: Post) -> Json:
    body: Json = {
        "id": p.id,
        "create_at": p.create_at,
        "update_at": p.update_at,
        "delete_at": p.delete_at,
        "edit_at": p.edit_at,
        "user_id": p.user_id,
        "channel_id": p.channel_id,
        "root_id": p.root_id,
        "original_id": "",
        "message": "" if p.delete_at else p.message,
        "type": p.type,
        "props": dict(p.props),
        "hashtag": "",
        "file_ids": [],
        "pending_post_id": "",
        "metadata": {},
    }
    if p.reactions:
        body["metadata"] = {
            "reactions": [
                {
                    "user_id": r.user_id,
                    "post_id": r.post_id,
                    "emoji_name": r.emoji_name,
                    "create_at": r.create_at,
                }
                for r in p.reactions
            ]
        }
    return body


def post_list(posts: list[Post], *, has_next: bool = False) -> Json:
    return {
        "order": [p.id for p in posts],
        "posts": {p.id: post(p) for p in posts},
        "next_post_id": "",
        "prev_post_id": "",
        "has_next": has_next,
    }


def status(u: User, now_ms: int) -> Json:
    idle = now_ms - u.last_activity_at
    state = "online" if idle < 300_000 else "away" if idle < 1_800_000 else "offline"
    return {
        "user_id": u.id,
        "status": state,
        "manual": False,
        "last_activity_at": u.last_activity_at,
    }


def app_error(status_code: int, error_id: str, message: str, request_id: str) -> Json:
    return {
        "id": error_id,
        "message": message,
        "detailed_error": "",
        "request_id": request_id,
        "status_code": status_code,
        "is_oauth": False,
    }


__all__ = [
    "app_error",
    "channel",
    "channel_member",
    "channel_with_team",
    "post",
    "post_list",
    "status",
    "team",
    "team_member",
    "user",
]
