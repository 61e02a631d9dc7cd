"""The analytics' raw figures made publishable (docs/privacy.md, "Disclosure control").

Three kinds of figure, three rules:

* the size of a group (a department, leaders, a platform's members, a joining week, the
  newcomers, an onboarding step's members) is hidden under k and perturbed above it;
* a count of people within a group (active, creators, users of a feature) is perturbed, never
  exact, and a share out of it (creator share, drop-out) is only published when its true whole
  reaches k;
* a total (contributions, actions) is hidden when fewer than k people make it up or one member
  holds more than the dominance share of it, and perturbed otherwise.

Cell names say what a cell is (table, column, group, day) and never the period, so the same
true value of the same cell is published alike in every report (:mod:`.cellkey`). Shares are
computed from the published counts.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Protocol

from ..analytics.model import (
    Cohort,
    ContextFigures,
    Contrasts,
    DepartmentFigures,
    FeatureShare,
    FunnelStep,
    GroupFigures,
    Headline,
    HeatCell,
    Inequality,
    Metrics,
    Newcomers,
    PlatformFigures,
    TimePoint,
)
from ..analytics.trends import trends


class Layer(Protocol):
    """What publishing the metrics needs of :class:`~.layer.Disclosure` (a protocol, so that
    the layer may import this module and not the other way round)."""

    @property
    def k(self) -> int: ...

    def describe(self) -> str: ...

    def count(self, cell: str, value: int | None) -> int | None: ...

    def subcount(
        self, cell: str, value: int | None, *, within: int | None = None
    ) -> int | None: ...

    def share(self, part: int | None, whole: int | None, *, people: int | None) -> float | None: ...

    def total(
        self,
        cell: str,
        value: int | None,
        *,
        people: int | None = None,
        largest: int | None = None,
    ) -> int | None: ...


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _back(share: float | None, whole: int | None) -> int | None:
    """The count behind a share of a raw whole."""
    return None if share is None or whole is None else round(share * whole)


class _Protector:
    """Walks one period's raw :class:`Metrics` and publishes each part."""

    def __init__(self, layer: Layer, raw: Metrics) -> None:
        self.d = layer
        self.raw = raw
        self.k = layer.k

    def size(self, cell: str, value: int | None) -> int | None:
        """A group's size (hidden under k)."""
        return self.d.count(cell, value)

    def sub(self, cell: str, value: int | None, within: int | None = None) -> int | None:
        """A count within a group (perturbed, never hidden, never above ``within``)."""
        return self.d.subcount(cell, value, within=within)

    def share(self, part: int | None, whole: int | None, people: int | None) -> float | None:
        return self.d.share(part, whole, people=people)

    def top_share(self, share: float | None, population: int, fraction: float) -> float | None:
        """A top-N share only where the top group has at least k members (dominance)."""
        top = max(1, math.ceil(population * fraction - 1e-9))
        return _round(share, 2) if top >= self.k else None

    def headline(self, h: Headline, prefix: str, largest: int | None) -> Headline:
        members = self.size(f"{prefix}/members", h.members)
        active = self.sub(f"{prefix}/active", h.active_members, members)
        creators = self.sub(f"{prefix}/creators", h.creators, active)
        consumers = self.sub(f"{prefix}/consumers", h.consumers, active)
        contributions = self.d.total(
            f"{prefix}/contributions", h.contributions, people=h.creators, largest=largest
        )
        population = h.active_members or 0
        return Headline(
            members=members,
            active_members=active,
            participation_rate=self.share(active, members, h.members),
            dau=round(h.dau, 1),
            wau=round(h.wau, 1),
            mau=round(h.mau, 1),
            stickiness=_round(h.stickiness, 2),
            creators=creators,
            consumers=consumers,
            creator_share=self.share(creators, active, h.active_members),
            consumer_share=self.share(consumers, active, h.active_members),
            contributions=contributions,
            helping_share=_round(h.helping_share, 2) if contributions is not None else None,
            active_days_per_week=_round(h.active_days_per_week, 1),
            features_per_member=_round(h.features_per_member, 1),
            gini=_round(h.gini, 2) if population >= self.k else None,
            top1_share=self.top_share(h.top1_share, population, 0.01),
            top10_share=self.top_share(h.top10_share, population, 0.10),
        )

    def points(self, points: tuple[TimePoint, ...], series: str) -> tuple[TimePoint, ...]:
        out = []
        for p in points:
            cell = f"activity/{series}/{p.start.isoformat()}+{p.days}"
            out.append(
                TimePoint(
                    p.start,
                    p.days,
                    self.sub(f"{cell}/active", p.active),
                    self.sub(f"{cell}/creators", p.creators),
                    self.d.total(f"{cell}/contributions", p.contributions, people=p.creators),
                )
            )
        return tuple(out)

    def inequality(self, ineq: Inequality) -> Inequality:
        """The Lorenz curve keeps only points at least k members apart."""
        population = ineq.population or 0
        steps = population // self.k
        raw = ineq.lorenz
        lorenz: tuple[tuple[float, float], ...] = ()
        if raw and steps >= 1:
            points = len(raw) - 1
            every = next(
                s for s in range(1, points + 1) if points % s == 0 and points // s <= steps
            )
            lorenz = tuple((round(x, 3), round(y, 3)) for x, y in raw[::every])
        return Inequality(
            population=self.sub("inequality/population", ineq.population),
            contributors=self.sub("inequality/contributors", ineq.contributors),
            gini=_round(ineq.gini, 2) if population >= self.k else None,
            top1_share=self.top_share(ineq.top1_share, population, 0.01),
            top10_share=self.top_share(ineq.top10_share, population, 0.10),
            lorenz=lorenz,
        )

    def group(self, g: GroupFigures) -> GroupFigures:
        if g.suppressed:
            return g
        name = g.department or "*"
        cell = f"groups/{name}/{g.group}"
        members = self.size(f"{cell}/members", g.members)
        active = self.sub(f"{cell}/active", g.active, members)
        creators = self.sub(f"{cell}/creators", g.creators, members)
        contributions = self.d.total(
            f"{cell}/contributions",
            g.contributions,
            people=g.creators,
            largest=self.raw.largest.get(f"group/{name}/{g.group == 'leaders'}"),
        )
        return dataclasses.replace(
            g,
            members=members,
            active=active,
            creators=creators,
            contributions=contributions,
            participation_rate=self.share(active, members, g.members),
            contribution_rate=self.share(creators, members, g.members),
            contributions_per_member=(
                None if contributions is None or not members else contributions / members
            ),
        )

    def department(self, d: DepartmentFigures) -> DepartmentFigures:
        if d.suppressed:
            return d
        cell = f"departments/{d.department}"
        members = self.size(f"{cell}/members", d.members)
        active = self.sub(f"{cell}/active", d.active, members)
        creators = self.sub(f"{cell}/creators", d.creators, active)
        return dataclasses.replace(
            d,
            members=members,
            active=active,
            creators=creators,
            contributions=self.d.total(
                f"{cell}/contributions",
                d.contributions,
                people=d.creators,
                largest=self.raw.largest.get(f"department/{d.department}"),
            ),
            participation_rate=self.share(active, members, d.members),
            creator_share=self.share(creators, active, d.active),
        )

    def heat(self, cell: HeatCell, sizes: dict[str, tuple[int | None, int | None]]) -> HeatCell:
        if cell.suppressed:
            return cell
        published, raw = sizes.get(cell.department, (None, None))
        week = cell.week_start.isoformat()
        active = self.sub(f"heatmap/{cell.department}/{week}", cell.active, published)
        return dataclasses.replace(cell, active=active, rate=self.share(active, published, raw))

    def cohorts(self, rows: tuple[Cohort, ...]) -> tuple[Cohort, ...]:
        """Hidden cohorts are left out altogether: a row per week with a joiner would say that
        somebody joined that week."""
        out = []
        for c in rows:
            if c.suppressed and not c.pooled:
                continue
            name = "pooled" if c.pooled else c.week_start.isoformat()
            size = None if c.suppressed else self.size(f"cohorts/{name}/size", c.size)
            retention: dict[int, float | None] = {}
            for week, share in c.retention.items():
                if c.pooled:  # its whole differs by week: the share only, rounded
                    retention[week] = None if size is None else _round(share, 2)
                    continue
                active = self.sub(f"cohorts/{name}/week{week}", _back(share, c.size), size)
                retention[week] = self.share(active, size, c.size)
            out.append(dataclasses.replace(c, size=size, retention=retention))
        return tuple(out)

    def newcomers(self, n: Newcomers) -> Newcomers:
        total = self.size("newcomers/newcomers", n.newcomers)
        if not total:  # no newcomer, or fewer than k: no figure of them at all
            return Newcomers(total, None, None, None, None, None, None)
        active = self.sub("newcomers/active", n.active, total)
        creators = self.sub("newcomers/creators", n.creators, active)
        week1 = self.sub("newcomers/week1_active", n.week1_active, total)
        dropped = self.sub("newcomers/dropped", n.dropped, week1)
        return Newcomers(
            newcomers=total,
            active=active,
            creators=creators,
            creator_share=self.share(creators, active, n.active),
            week1_active=week1,
            dropped=dropped,
            dropout=self.share(dropped, week1, n.week1_active),
        )

    def contrasts(self, x: Contrasts | None) -> Contrasts | None:
        if x is None:
            return None
        s = self.sub
        established = s("contrasts/established_active", x.established_active)
        stayed = s("contrasts/stayed_newcomers", x.stayed_newcomers)
        checked = s("contrasts/established_checked", x.established_checked)
        est_creators = s(
            "contrasts/established_creators",
            _back(x.established_creator_share, x.established_active),
            established,
        )
        stayed_creators = s(
            "contrasts/stayed_creators", _back(x.stayed_creator_share, x.stayed_newcomers), stayed
        )
        lapsed = s(
            "contrasts/established_lapsed",
            _back(x.established_lapse, x.established_checked),
            checked,
        )
        return Contrasts(
            established_active=established,
            established_creator_share=self.share(est_creators, established, x.established_active),
            stayed_newcomers=stayed,
            stayed_creator_share=self.share(stayed_creators, stayed, x.stayed_newcomers),
            established_checked=checked,
            established_lapse=self.share(lapsed, checked, x.established_checked),
            features_in_use=x.features_in_use,
            feature_depth=_round(x.feature_depth, 2),
        )

    def features(self, rows: tuple[FeatureShare, ...]) -> tuple[FeatureShare, ...]:
        published = []
        for f in rows:
            cell = f"features/{f.feature}/{f.week_start.isoformat() if f.week_start else '*'}"
            anonymous = f.active == 0  # views naming nobody: no member's figure
            published.append(
                dataclasses.replace(
                    f,
                    active=self.sub(f"{cell}/active", f.active),
                    actions=self.d.total(
                        f"{cell}/actions", f.actions, people=None if anonymous else f.active
                    ),
                )
            )
        totals: dict[object, int] = {}
        for f in published:
            totals[f.week_start] = totals.get(f.week_start, 0) + (f.actions or 0)
        return tuple(
            dataclasses.replace(
                f,
                share=None
                if f.actions is None
                else self.share(f.actions, totals[f.week_start], self.k),
            )
            for f in published
        )

    def funnel(self, step: FunnelStep) -> FunnelStep:
        cell = f"onboarding/{step.checklist}/{step.step}"
        eligible = self.size(f"{cell}/eligible", step.eligible)
        if eligible is None:
            return dataclasses.replace(
                step, eligible=None, completed=None, stalled=None, stall_share=None
            )
        completed = self.sub(f"{cell}/completed", step.completed, eligible)
        stalled = self.sub(f"{cell}/stalled", step.stalled, eligible)
        both = None if completed is None or stalled is None else completed + stalled
        judged = (step.completed or 0) + (step.stalled or 0)
        return dataclasses.replace(
            step,
            eligible=eligible,
            completed=completed,
            stalled=stalled,
            stall_share=self.share(stalled, both, judged),
        )

    def platforms(self) -> tuple[tuple[PlatformFigures, ...], tuple[str, ...]]:
        shown, hidden = [], []
        for p in self.raw.platforms:
            if (p.headline.members or 0) < self.k:
                hidden.append(p.platform)
                continue
            largest = self.raw.largest.get(f"platform/{p.platform}")
            headline = self.headline(p.headline, f"platform/{p.platform}", largest)
            shown.append(PlatformFigures(p.platform, headline))
        return tuple(shown), tuple(hidden)

    def context(self, c: ContextFigures) -> ContextFigures:
        cell = f"context/{c.platform}"
        members = self.size(cell, c.members)
        writers = self.size(f"{cell}/writers", c.writers) if members is not None else None
        only = self.sub(f"{cell}/only", c.writers_only_there, writers)
        only = only if writers is not None else None
        return ContextFigures(
            c.platform, members, writers, only, self.share(only, writers, people=writers)
        )

    def publish(self) -> Metrics:
        m = self.raw
        headline = self.headline(m.headline, "headline", m.largest.get("headline"))
        previous = self.headline(m.previous_headline, "headline", m.largest.get("previous"))
        platforms, hidden = self.platforms()
        departments = tuple(self.department(d) for d in m.departments)
        sizes = {
            d.department: (d.members, r.members)
            for d, r in zip(departments, m.departments, strict=True)
        }
        as_of = tuple(
            dataclasses.replace(a, newest_day=None, oldest_day=None, as_of=None, age_days=None)
            if a.platform in hidden
            else a
            for a in m.as_of
        )
        return dataclasses.replace(
            m,
            headline=headline,
            previous_headline=previous,
            trends=trends(headline, previous),
            platforms=platforms,
            hidden_platforms=hidden,
            daily=self.points(m.daily, "daily"),
            weekly=self.points(m.weekly, "weekly"),
            monthly=self.points(m.monthly, "monthly"),
            inequality=self.inequality(m.inequality),
            leaders=tuple(self.group(g) for g in m.leaders),
            departments=departments,
            heatmap=tuple(self.heat(c, sizes) for c in m.heatmap),
            cohorts=self.cohorts(m.cohorts),
            newcomers=self.newcomers(m.newcomers),
            features=self.features(m.features),
            onboarding=tuple(self.funnel(s) for s in m.onboarding),
            contrasts=self.contrasts(m.contrasts),
            context=tuple(self.context(c) for c in m.context),
            as_of=as_of,
            largest={},
            disclosure=self.d.describe(),
        )


def publish_metrics(layer: Layer, raw: Metrics) -> Metrics:
    """``raw`` as it may be published under ``layer``'s rules (already published: as is)."""
    if raw.disclosure:
        return raw
    return _Protector(layer, raw).publish()


__all__ = ["publish_metrics"]
