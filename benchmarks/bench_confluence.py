"""Confluence connector against its loopback fake: requests per sync, and pacing under a limit.

``confluence_full_sync``: Cloud fake with 1,000 members, 100 spaces, 20,000 pages (a tenth blog
posts) and 60,000 versions and comments; ``requests`` against ``minimum_requests``, the count the
page limits imply (a listing of n items at limit L takes max(1, ceil(n / L)) requests: spaces
250, group members 200, CQL search 100; every page or blog post with more than one version needs
its v2 version list, 250 a page; every non-personal space its watcher listing, 200 a page,
which every run reads again: watching is state). ``confluence_incremental``: the same after 1 %
new edits and comments on the last day; the store keeps complete day counts, so the minimum is
the probe, the listings, and the content modified since the bookmark's day with its version
lists.
Page views are off in these two (their cost is exact: ``days + 1`` analytics requests per page
or blog post modified in the window, plus its search). ``confluence_rate``: the Data Center fake
with 20 ms latency per request and a token bucket of 10 requests/s advertised in
``X-RateLimit-*``: the achieved rate and the 429s received.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import tempfile
from pathlib import Path
from typing import Any

from e20kit_confluence.fake import ConfluenceFake
from e20kit_confluence.fake.org import ms

from benchmarks.loopback import rate_figures, sync_figures
from e20kit import Kit, load_config
from e20kit.sandbox import FaultPlan

MEMBERS, SPACES, PAGES, VERSIONS_AND_COMMENTS, DAYS = 1_000, 100, 20_000, 60_000, 30
END = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
TODAY = END - dt.timedelta(days=1)
TOKEN_ENV = "BENCH_CONFLUENCE_TOKEN"


def _kit(fake: ConfluenceFake, folder: Path, name: str) -> Kit:
    settings = fake.settings()
    if settings["deployment"] == "cloud":
        # the contribution sync only: page views cost days + 1 analytics requests per page
        # modified in the window (docs/connectors/confluence.md), a separate, known figure
        settings["page_views"] = False
    table = "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    path = folder / f"{name}.toml"
    path.write_text(f"[collect]\nlookback_days = {DAYS}\n\n[connectors.wiki]\n{table}")
    text = path.read_text().replace("E20KIT_CONFLUENCE_TOKEN", TOKEN_ENV)
    path.write_text(text)
    env = {TOKEN_ENV: fake.token, "E20KIT_PSEUDONYM_SECRET": "bench-secret-16-bytes"}
    return Kit(load_config(path, env=env), store_url=f"sqlite:///{folder / name}.sqlite")


def _pages(n: int, size: int) -> int:
    return max(1, math.ceil(n / size))


def _minimum(fake: ConfluenceFake, *, since_ms: int, probe: bool) -> dict[str, int]:
    d = fake.data
    members = [u for k in d.groups[fake.accounts.group_id].members if (u := d.users[k]).active]
    changed = [c for c in d.content.values() if c.modified_at >= since_ms]
    edited = [c for c in changed if c.type != "comment" and len(c.versions) > 1]
    need = {
        "current_user": 1,
        "spaces": _pages(len(d.spaces), 250),
        "group_members": _pages(len(members), 200),
        "search": _pages(len(changed), 100),
        "versions": sum(_pages(len(c.versions), 250) for c in edited),
        "space_watchers": sum(
            _pages(len(s.watchers), 200) for s in d.spaces.values() if s.type != "personal"
        ),
    }
    if probe:
        need["newest_change_probe"] = 1
    return need


def _sync_benches(folder: Path) -> dict[str, dict[str, Any]]:
    with ConfluenceFake.synthetic(
        cloud=True,
        members=MEMBERS,
        spaces=SPACES,
        pages=PAGES,
        versions_and_comments=VERSIONS_AND_COMMENTS,
        days=DAYS,
        end=END,
    ) as fake:
        kit = _kit(fake, folder, "sync")
        window_start = ms(TODAY - dt.timedelta(days=DAYS))
        full = sync_figures(
            fake.server, kit, _minimum(fake, since_ms=window_start, probe=False), today=TODAY
        )
        data = fake.data
        before = max(c.modified_at for c in data.content.values())
        rng = random.Random(5)
        items = [c for c in data.content.values() if c.type != "comment"]
        people = list(data.groups[fake.accounts.group_id].members)
        for i in range(VERSIONS_AND_COMMENTS // 100):
            target, who = rng.choice(items), rng.choice(people)
            if i % 3:
                data.edit(target.id, who, before + 1 + i)
            else:
                data.comment(target.id, who, before + 1 + i)
        midnight = ms(dt.datetime.fromtimestamp(before / 1000, dt.UTC).date())
        incremental = sync_figures(
            fake.server, kit, _minimum(fake, since_ms=midnight, probe=True), today=TODAY
        )
        kit.close()
    return {"confluence_full_sync": full, "confluence_incremental": incremental}


def _rate_bench(folder: Path) -> dict[str, Any]:
    limit = 10.0
    with ConfluenceFake.synthetic(
        cloud=False,
        members=300,
        spaces=20,
        pages=150,
        versions_and_comments=300,
        days=DAYS,
        end=END,
        rate_limit_per_s=limit,
        faults=FaultPlan(latency_s=0.02),
    ) as fake:
        kit = _kit(fake, folder, "rate")
        figures = rate_figures(fake.server, kit, limit, today=TODAY)
        kit.close()
    return figures


def run() -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = _sync_benches(folder)
        results["confluence_rate"] = _rate_bench(folder)
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
