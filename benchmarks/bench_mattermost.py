"""Mattermost connector against its loopback fake: requests per sync, and pacing under a limit.

``mattermost_full_sync``: 1,000 members, 300 channels, 50,000 posts; ``requests`` made against
``minimum_requests``, the count the listings imply at ``per_page`` 200 (a page listing of n items
needs n // 200 + 1 requests to see its end; statuses go 200 ids a request; reports 100 rows a
page; direct messages can only be listed per member, one request per member who wrote since
the start). ``mattermost_unchanged``: a rerun with nothing changed (listings only, no DM listing).
``mattermost_incremental``: the same after 1 % new posts. ``mattermost_rate``: 20 ms
latency per request and a server limit of 10 requests/s: the achieved rate and 429s received.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from e20kit_mattermost.fake import ADMIN_TOKEN, MattermostFake
from e20kit_mattermost.fake.org import DAY_MS, ms

from benchmarks.loopback import rate_figures, sync_figures
from e20kit import Kit, load_config
from e20kit.sandbox import FaultPlan

MEMBERS, CHANNELS, POSTS, DAYS = 1_000, 300, 50_000, 30
END = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
TODAY = END - dt.timedelta(days=1)
PER_PAGE = 200


def _kit(url: str, folder: Path, name: str, **extra: str) -> Kit:
    lines = "".join(f"{k} = {v}\n" for k, v in extra.items())
    path = folder / f"{name}.toml"
    path.write_text(
        f"""
[collect]
lookback_days = {DAYS}

[connectors.chat]
type = "mattermost"
url = "{url}"
token_env = "BENCH_MM_TOKEN"
{lines}"""
    )
    env = {"BENCH_MM_TOKEN": ADMIN_TOKEN, "E20KIT_PSEUDONYM_SECRET": "bench-secret-16-bytes"}
    return Kit(load_config(path, env=env), store_url=f"sqlite:///{folder / name}.sqlite")


def _pages(n: int, size: int = PER_PAGE) -> int:
    return n // size + 1


def _minimum(fake: MattermostFake, *, since_ms: int | None, active_from_ms: int) -> dict[str, int]:
    """Requests the data implies; ``since_ms`` None for a first run (page every channel)."""
    d = fake.data
    users = list(d.users.values())
    people = [u for u in users if not u.is_bot]
    channels = [c for c in d.channels.values() if c.type in ("O", "P") and not c.delete_at]
    team_members = {u for t in d.teams.values() for u in t.members}
    need = {
        "me": 1,
        "users": _pages(len(users)),
        "teams": _pages(len(d.teams)),
        "team_members": sum(_pages(len(t.members)) for t in d.teams.values()),
        "channels": _pages(len(channels)),
        "channel_members": sum(_pages(len(c.members)) for c in channels),
        "statuses": math.ceil(len(people) / 200),
        "reports": _pages(len(people), 100),
        "direct_message_listings": len(
            {
                p.user_id
                for posts in d.channel_posts.values()
                for p in posts
                if p.create_at >= active_from_ms and p.user_id in team_members
            }
            - {u.id for u in users if u.is_bot}
        ),
    }
    if since_ms is None:
        window_start = ms(TODAY - dt.timedelta(days=DAYS))
        need["posts"] = sum(
            _pages(sum(1 for p in d.live_posts(c.id) if p.create_at >= window_start))
            for c in channels
            if c.last_post_at
        )
    else:
        need["posts"] = sum(1 for c in channels if c.last_post_at > since_ms)
    return need


def _sync_benches(folder: Path) -> dict[str, dict[str, Any]]:
    with MattermostFake.synthetic(
        members=MEMBERS, channels=CHANNELS, posts=POSTS, days=DAYS, end=END
    ) as fake:
        kit = _kit(fake.url, folder, "sync", direct_messages="true")
        window_start = ms(TODAY - dt.timedelta(days=DAYS))
        full = sync_figures(
            fake.server,
            kit,
            _minimum(fake, since_ms=None, active_from_ms=window_start),
            today=TODAY,
        )
        # Nothing changed since: the listings only, no post and no direct-message listing.
        unchanged = sync_figures(fake.server, kit, _unchanged_minimum(fake), today=TODAY)
        unchanged["by_endpoint"] = _by_endpoint(fake)
        # 1 % new posts, on the last day, by random channel members.
        rng = random.Random(5)
        data = fake.data
        before = max(c.last_post_at for c in data.channels.values())
        channels = [c for c in data.channels.values() if c.type in ("O", "P")]
        now = before + 60_000
        for i in range(POSTS // 100):
            channel = rng.choice(channels)
            uid = rng.choice(channel.members)
            data.add_post(channel.id, uid, now + i)
            data.users[uid].last_activity_at = now + i
        from_ms = ms(TODAY) if before >= ms(TODAY) else (before // DAY_MS) * DAY_MS
        incremental = sync_figures(
            fake.server, kit, _minimum(fake, since_ms=before, active_from_ms=from_ms), today=TODAY
        )
        incremental["by_endpoint"] = _by_endpoint(fake)
        kit.close()
    return {
        "mattermost_full_sync": full,
        "mattermost_unchanged": unchanged,
        "mattermost_incremental": incremental,
    }


def _unchanged_minimum(fake: MattermostFake) -> dict[str, int]:
    """A rerun with nothing new needs the listings only (no posts, no DM listing)."""
    need = _minimum(fake, since_ms=None, active_from_ms=0)
    need["posts"] = need["direct_message_listings"] = 0
    return need


def _by_endpoint(fake: MattermostFake) -> dict[str, int]:
    """Requests of the last sync by endpoint kind (ids replaced by ``{id}``)."""
    kinds: Counter[str] = Counter()
    for request in fake.server.requests:
        parts = request.path.removeprefix("/api/v4/").split("/")
        kinds["/".join(p if len(p) < 20 else "{id}" for p in parts)] += 1
    return dict(sorted(kinds.items()))


def _rate_bench(folder: Path) -> dict[str, Any]:
    limit = 10.0
    with MattermostFake.synthetic(
        members=300,
        channels=40,
        posts=500,
        days=DAYS,
        end=END,
        rate_limit_per_s=limit,
        faults=FaultPlan(latency_s=0.02),
    ) as fake:
        kit = _kit(fake.url, folder, "rate", direct_messages="false", reports="false")
        figures = rate_figures(fake.server, kit, limit, today=TODAY)
        kit.close()
    return figures


def run() -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = _sync_benches(folder)
        results["mattermost_rate"] = _rate_bench(folder)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
