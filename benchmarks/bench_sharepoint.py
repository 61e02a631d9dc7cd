"""Microsoft 365 connector against its loopback fake: a 30-day backfill within the report quota.

``sharepoint_backfill``: 500 users (25 sites, every other one dormant) and 30 days of every
``date=`` usage report (SharePoint, OneDrive, Teams, Viva Engage and Outlook activity, the apps,
site usage) plus one read of the beta Copilot report (``period=``), every day already available
(no latency), Microsoft's budget of 14 requests per report function and window with the window
scaled from 600 s down to 4 s (long enough that the quota, not the parsing and storing of each
day, is what paces the run). ``requests`` are the Graph
requests made (directory pages and report calls; the report downloads and the one token request
are counted apart); ``minimum_requests`` is one per report and day plus the directory's pages
(100 users a page with ``$expand=manager``) and one Copilot read; ``quota_use`` is the mean
share of the budget used per report function and full window while days were left;
``quota_429s`` the 429s received. ``sharepoint_daily``: the next day's run on the same store
(one new day per report, the Copilot read, the directory): its requests against the same
minimum, its 429s, and whether it fits one quota window (a daily run never waits).
``sharepoint_publish``: the backfilled report published as a SharePoint page and a Teams card
(``--publish sharepoint:... teams:...``): Graph requests the first time and for an unchanged
rerun, webhook posts the first time and on a rerun in the same period, and the seconds each
publish took (the first one draws the charts as PNG).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from e20kit_sharepoint.copilot import COPILOT_USAGE
from e20kit_sharepoint.fake import GraphFake, synthetic_tenant
from e20kit_sharepoint.reports import REPORTS

from e20kit import Kit, load_config

USERS, DAYS, BUDGET, WINDOW_S = 500, 30, 14, 4.0
TODAY = dt.date(2026, 11, 1)
SECRET_ENV = "BENCH_M365_SECRET"
HOOK_ENV = "BENCH_TEAMS_WEBHOOK"
PAGE = "sharepoint:contoso.sharepoint.com:/sites/intranet/Adoption report"


def _kit(fake: GraphFake, folder: Path) -> Kit:
    table = fake.table(SECRET_ENV, quota_window_s=WINDOW_S, history_days=DAYS, reread_days=0)
    lines = "".join(f"{k} = {_toml(v)}\n" for k, v in table.items())
    path = folder / "bench.toml"
    path.write_text(f"[collect]\nlookback_days = {DAYS}\n\n[connectors.m365]\n{lines}")
    env = {
        SECRET_ENV: str(fake.tenant.app.client_secret),
        HOOK_ENV: fake.webhook_url,
        "E20KIT_PSEUDONYM_SECRET": "bench-secret-16-bytes",
    }
    return Kit(load_config(path, env=env), store_url=f"sqlite:///{folder / 'bench.sqlite'}")


def _toml(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower()


def _quota_use(log: list[tuple[str, float]]) -> float:
    """Mean requests per full window over the budget, per function (the last window, which
    holds what was left, is not full by design)."""
    shares = []
    for report in REPORTS:
        times = sorted(t for f, t in log if f == report.function)
        windows: list[int] = []
        start = None
        for t in times:
            if start is None or t >= start + WINDOW_S:
                start = t
                windows.append(0)
            windows[-1] += 1
        shares += [n / BUDGET for n in windows[:-1]]
    return round(sum(shares) / len(shares), 3) if shares else 0.0


def _daily(kit_factory: Any, fake: GraphFake, pages: int) -> dict[str, Any]:
    """The next day's run after the backfill, in a fresh quota window."""
    time.sleep(WINDOW_S)  # the backfill's last window passes, as a day would
    fake.tenant.today += dt.timedelta(days=1)
    before, rejected = len(fake.server.requests), sum(fake.quota.rejected.values())
    asked = len(fake.graph.asked)
    kit = kit_factory()
    started = time.perf_counter()
    result = kit.collect(today=fake.tenant.today)
    seconds = time.perf_counter() - started
    kit.close()
    if not result.ok:
        raise RuntimeError(f"daily run failed: {result.as_dict()}")
    requests = len(fake.server.requests) - before
    minimum = len(REPORTS) + 1 + pages
    return {
        "requests": requests,
        "minimum_requests": minimum,
        "ratio": round(requests / minimum, 3),
        "quota_429s": sum(fake.quota.rejected.values()) - rejected,
        "copilot_reads": sum(1 for f, _ in fake.graph.asked[asked:] if f == COPILOT_USAGE.function),
        "within_one_window": seconds < WINDOW_S,
        "seconds": round(seconds, 2),
    }


def _publish(kit: Kit, fake: GraphFake, folder: Path) -> dict[str, Any]:
    """The report as a page and a card, then again unchanged (a rerun of the same period)."""
    metrics = kit.metrics(today=fake.tenant.today)
    kit.report("md", folder / "report.md", metrics=metrics)
    text = (folder / "report.md").read_text(encoding="utf-8")
    out: dict[str, Any] = {}
    for run in ("first", "rerun"):
        requests, posts = len(fake.pages.requests), len(fake.workflows.posts)
        started = time.perf_counter()
        kit.publish_all([PAGE, f"teams:{HOOK_ENV}"], text, metrics=metrics)
        out[f"{run}_seconds"] = round(time.perf_counter() - started, 2)
        out[f"{run}_page_requests"] = len(fake.pages.requests) - requests
        out[f"{run}_teams_posts"] = len(fake.workflows.posts) - posts
    return out


def run() -> dict[str, dict[str, Any]]:
    tenant = synthetic_tenant(users=USERS, days=DAYS, today=TODAY, latency_days=0)
    with tempfile.TemporaryDirectory() as tmp, GraphFake(tenant, window_s=WINDOW_S) as fake:
        kit = _kit(fake, Path(tmp))
        started = time.perf_counter()
        result = kit.collect(today=TODAY)
        seconds = time.perf_counter() - started
        kit.close()
        if not result.ok:
            raise RuntimeError(f"backfill failed: {result.as_dict()}")
        requests = len(fake.server.requests)
        pages = math.ceil(len(tenant.users) / 100)
        minimum = len(REPORTS) * DAYS + 1 + pages
        rejected = sum(fake.quota.rejected.values())
        daily = _daily(kit_factory=lambda: _kit(fake, Path(tmp)), fake=fake, pages=pages)
        publisher = _kit(fake, Path(tmp))
        published = _publish(publisher, fake, Path(tmp))
        publisher.close()
        return {
            "sharepoint_publish": published,
            "sharepoint_daily": daily,
            "sharepoint_backfill": {
                "users": len(tenant.users),
                "days": DAYS,
                "reports": len(REPORTS) + 1,
                "requests": requests,
                "minimum_requests": minimum,
                "ratio": round(requests / minimum, 3),
                "quota_429s": rejected,
                "quota_use": _quota_use(fake.quota.log),
                "busiest_window": fake.quota.busiest(),
                "budget": BUDGET,
                "window_s": WINDOW_S,
                "downloads": len(fake.downloads.headers),
                "token_requests": fake.authority.token_posts,
                "facts_written": result.facts_written,
                "seconds": round(seconds, 2),
            },
        }
