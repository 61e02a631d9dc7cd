"""``GET /api/v4/reports/users`` of the fake, in either ``date_range`` dialect.

The published spec names ``last30days``, ``previousmonth``, ``last6months`` and ``alltime``; the
server's Go model knows ``last_30_days``, ``previous_month`` and ``last_6_months`` and treats
anything else as all time. ``dialect`` picks which one the fake understands.
"""

from __future__ import annotations

from typing import Any

from .state import FakeData

DAY_MS = 86_400_000
RANGES = {
    "server": {"last_30_days": 30, "previous_month": 31, "last_6_months": 183},
    "spec": {"last30days": 30, "previousmonth": 31, "last6months": 183},
}


def user_reports(
    data: FakeData, *, date_range: str, dialect: str, after: tuple[str, str], size: int
) -> list[dict[str, Any]]:
    """One page sorted by username, after the cursor ``(from_column_value, from_id)``."""
    days = RANGES[dialect].get(date_range)
    now = data.now_ms()
    since = now - days * DAY_MS if days else 0
    with data.lock:
        users = sorted(
            (u for u in data.users.values() if not u.is_bot), key=lambda u: (u.username, u.id)
        )
        if after[0] or after[1]:
            users = [u for u in users if (u.username, u.id) > after]
        page = users[:size]
        mine: dict[str, list[int]] = {u.id: [] for u in page}
        for posts in data.channel_posts.values():
            for post in posts:
                if post.user_id in mine and not post.delete_at and post.create_at >= since:
                    mine[post.user_id].append(post.create_at)
    rows = []
    for u in page:
        stamps = mine[u.id]
        rows.append(
            {
                "id": u.id,
                "create_at": u.create_at,
                "username": u.username,
                "email": u.email,
                "display_name": f"{u.first_name} {u.last_name}".strip() or u.username,
                "roles": u.roles,
                "last_login_at": u.last_activity_at,
                "last_status_at": u.last_activity_at,
                "last_post_date": max(stamps, default=0),
                "days_active": len({t // DAY_MS for t in stamps}),
                "total_posts": len(stamps),
            }
        )
    return rows


__all__ = ["RANGES", "user_reports"]
