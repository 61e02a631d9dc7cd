"""Stated beside observed: the survey's reasons combined with the usage findings.

Behaviour alone cannot always tell the reasons apart (few people creating is the symptom of too
little training, an unclear benefit and a closed culture alike); asking is the other half of the
evidence (issue 23, docs/survey.md). :func:`combine` runs after every rule, the playbook's and
plugins', and reads the survey's results:

- **agreement** strengthens a usage finding (a ``watch`` becomes a ``warning``) and every
  finding says which evidence it rests on (:attr:`Finding.rests_on`: usage, survey or both);
  a mild (``watch``) usage finding whose reason staff clearly do not give is kept as ``info``;
- **undecided** findings (the usage data cannot tell two reasons apart) are decided when the
  staff's answers clearly separate the two, and stay undecided otherwise;
- a mild usage finding is weighed against the reason staff give most clearly: when staff give
  that reason clearly more often, the finding is **re-read** as it where the two share a
  symptom (and no other finding names it yet), and kept in sight as ``info`` otherwise;
- **disagreement** is itself a finding: staff say they have no time, their use shows time is
  not what is missing;
- **leaders and staff** are compared: when leaders name one reason and staff another.

Decisions read exact counts (``results_raw``) judged at the end of their Wilson interval that
argues against the decision (:data:`~.signals.EVIDENCE_Z`), with at least
:data:`MIN_ANSWERED` answers; the figures a finding prints are the published ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analytics.model import Metrics
from ..findings import Evidence, Finding, Reason, RuledOut, Severity
from ..survey import REASONS
from .neighbours import CONTRASTS, NEIGHBOURS
from .signals import EVIDENCE_Z, share_bound
from .stated_texts import (
    AGREES,
    DECIDES,
    LEADERS_DIFFER,
    LEADERS_DIFFER_DETAIL,
    NAMES,
    NOT_DECIDED,
    NOT_NAMED,
    OUTWEIGHED,
    REREAD,
    ROLE,
    ROLE_OF,
    SAY,
    SHARE,
    SHARE_AGAINST,
    SHARE_BARE,
    STATED_NOT_SEEN,
    STATED_UNSEEN,
    USE_SHOWS_NOT,
)
from .texts import REMEDIES, TITLES, lang_of, localise

if TYPE_CHECKING:
    from ..survey.results import SurveyResults
    from ..survey.service import SurveyService

__all__ = [
    "MIN_ANSWERED",
    "SAID",
    "STATED",
    "Stated",
    "WaveRead",
    "combine",
    "read_wave",
    "wave_for",
]

STATED: tuple[Reason, ...] = REASONS
"""The reasons the survey asks about."""
SAID = 0.3
"""A role *says* a reason when at least this share agrees, at the lower end of the interval
(one in three people agreeing is far beyond what healthy organisations show, about one in
five for "no time", the reason everybody gives)."""
MIN_ANSWERED = 10
"""Fewer answers to a statement decide nothing, whatever their interval."""
USAGE, SURVEY = "usage", "survey"

Role = str
Key = tuple[Role, Reason]


@dataclass(frozen=True)
class Stated:
    """What a survey wave says, as the diagnosis reads it.

    ``counts``: exact (agreed, answered) per (role, reason), what decisions read and never
    printed; ``shown``: the published (agree share, respondents) per (role, reason), ``None``
    figures where the results withheld them: what findings print.
    """

    counts: Mapping[Key, tuple[int, int]]
    shown: Mapping[Key, tuple[float | None, int | None]]

    @classmethod
    def of_results(cls, raw: Any, published: Any) -> Stated:
        """From ``kit.survey.results_raw()`` and ``kit.survey.results()`` (``overall``)."""
        counts = {}
        for (role, reason), score in raw.overall.items():
            n = score.respondents or 0
            share = score.agree_share or 0.0
            counts[(role, Reason(reason))] = (round(share * n), n)
        shown = {
            (role, Reason(reason)): (score.agree_share, score.respondents)
            for (role, reason), score in published.overall.items()
        }
        return cls(counts=counts, shown=shown)

    @classmethod
    def of_answers(cls, responses: Iterable[Any]) -> Stated:
        """Straight from responses (the benchmark and tests): shown figures are exact."""
        agreed: dict[Key, int] = {}
        answered: dict[Key, int] = {}
        for r in responses:
            for reason, score in r.answers.items():
                if score is None:
                    continue
                key = (r.role, Reason(reason))
                answered[key] = answered.get(key, 0) + 1
                agreed[key] = agreed.get(key, 0) + (score >= 4)
        counts = {k: (agreed[k], n) for k, n in answered.items()}
        return cls(counts=counts, shown={k: (a / n, n) for k, (a, n) in counts.items()})

    # -- decisions on exact counts ---------------------------------------------------------

    def _bound(self, role: Role, reason: Reason, *, upper: bool) -> float | None:
        agreed, answered = self.counts.get((role, reason), (0, 0))
        if answered < MIN_ANSWERED or self.shown.get((role, reason), (None, None))[0] is None:
            return None  # too few answers, or a score the results hide: it decides nothing
        return share_bound(agreed, answered, upper=upper, z=EVIDENCE_Z)

    def says(self, role: Role, reason: Reason) -> bool:
        """Clearly at least :data:`SAID` of ``role`` agree."""
        low = self._bound(role, reason, upper=False)
        return low is not None and low >= SAID

    def denies(self, role: Role, reason: Reason) -> bool:
        """Clearly fewer than :data:`SAID` of ``role`` agree."""
        high = self._bound(role, reason, upper=True)
        return high is not None and high < SAID

    def above(self, role: Role, first: Reason, second: Reason) -> bool:
        """``role`` clearly agrees with ``first`` more than with ``second``: the intervals
        do not overlap."""
        low = self._bound(role, first, upper=False)
        high = self._bound(role, second, upper=True)
        return low is not None and high is not None and low > high

    def top(self, role: Role) -> Reason | None:
        """The reason ``role`` says most clearly (highest lower bound), if any is said."""
        said = [r for r in STATED if self.says(role, r)]
        return max(said, key=lambda r: self._bound(role, r, upper=False) or 0.0, default=None)

    # -- printing published figures --------------------------------------------------------

    def sentence(self, role: Role, reason: Reason, lang: str, *, against: bool = False) -> str:
        """What ``role`` said about ``reason`` with its published figures; ``against``: the
        short form of the second figure of a comparison."""
        share, n = self.shown.get((role, reason), (None, None))
        say = SAY[reason][lang]
        if share is None or n is None:
            return SHARE_BARE[lang].format(role=ROLE[role][lang], say=say)
        template = SHARE_AGAINST if against else SHARE
        return template[lang].format(
            share=localise(f"{share:.0%}", lang), role=ROLE_OF[role][lang], say=say, n=n
        )

    def evidence(self, role: Role, reason: Reason) -> Evidence:
        share, _ = self.shown.get((role, reason), (None, None))
        other = "leader" if role == "staff" else "staff"
        return Evidence(
            metric=f"survey.{role}.{reason}",
            value=share,
            threshold=SAID,
            comparison=">",
            reference=self.shown.get((other, reason), (None, None))[0],
        )


def wave_for(survey: SurveyService, until: dt.date) -> str | None:
    """The wave the diagnosis and the report read for a period ending ``until`` (exclusive):
    the latest opened before it, as the survey's own report section picks it."""
    from ..survey.store import latest_wave

    with survey.engine.connect() as conn:
        wave = latest_wave(conn, until=until)
    return None if wave is None else wave.wave_id


@dataclass(frozen=True)
class WaveRead:
    """One read of the wave a report period is read beside: the exact results the diagnosis
    decides on and the published ones that findings and the report's "stated beside observed"
    section print, so both print the same figures from one read."""

    raw: SurveyResults
    published: SurveyResults

    @property
    def stated(self) -> Stated:
        return Stated.of_results(self.raw, self.published)


def read_wave(survey: SurveyService, until: dt.date) -> WaveRead | None:
    """The results of the wave for a period ending ``until`` (``None`` without a wave or
    without answers), read once."""
    wave = wave_for(survey, until)
    if wave is None:
        return None
    raw = survey.results_raw(wave)
    if raw.empty:
        return None
    return WaveRead(raw, survey.results(wave))


def _rests(f: Finding, *on: str) -> Finding:
    return f.model_copy(update={"rests_on": tuple(on)})


def _stronger(severity: Severity) -> Severity:
    return Severity.WARNING if severity is Severity.WATCH else severity


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _staff_rule_out(reason: Reason, stated: Stated, lang: str) -> RuledOut:
    """``reason`` ruled out by what staff say of it (its published share)."""
    return RuledOut(
        reason=reason,
        metric=f"survey.staff.{reason}",
        value=stated.shown.get(("staff", reason), (None, None))[0],
        text=_capital(stated.sentence("staff", reason, lang)),
    )


def _decide(f: Finding, stated: Stated, lang: str) -> Finding:
    """An undecided finding decided by the staff's answers, or kept undecided."""
    reasons = (f.reason, *f.undecided)
    best = max(reasons, key=lambda r: stated._bound("staff", r, upper=False) or 0.0)
    others = [r for r in reasons if r != best]
    first = stated.sentence("staff", best, lang)
    second = "; ".join(stated.sentence("staff", r, lang, against=True) for r in others)
    if not (stated.says("staff", best) and all(stated.above("staff", best, r) for r in others)):
        detail = f"{f.detail} {NOT_DECIDED[lang].format(first=first, second=second)}."
        return f.model_copy(update={"detail": detail, "rests_on": (USAGE, SURVEY)})
    usage = [e for e in f.evidence if not e.metric.startswith("survey.")]
    return Finding(
        rule=f"stated.decides.{best}",
        reason=best,
        severity=_stronger(f.severity),
        title=TITLES[best][lang],
        detail=f"{f.detail} {DECIDES[lang].format(first=first, second=second)}.",
        evidence=(*usage, *(stated.evidence("staff", r) for r in reasons)),
        remedies=REMEDIES[best][lang],
        ruled_out=tuple(_staff_rule_out(r, stated, lang) for r in others),
        rests_on=(USAGE, SURVEY),
    )


def _outweighed(f: Finding, stated: Stated) -> Reason | None:
    """The reason staff give most clearly, when it is not ``f``'s and staff clearly give it
    more often; only a mild usage finding (``watch``) is weighed against it: a clear one stands
    on its own evidence, and what staff say instead is then a finding of its own."""
    top = stated.top("staff")
    if f.severity is not Severity.WATCH or top in (None, f.reason):
        return None
    return top if top is not None and stated.above("staff", top, f.reason) else None


def _near(a: Reason, b: Reason) -> bool:
    """``a`` and ``b`` share a symptom (:data:`~.neighbours.NEIGHBOURS`)."""
    return b in NEIGHBOURS.get(a, ()) or a in NEIGHBOURS.get(b, ())


def _kept_in_sight(f: Finding, top: Reason, stated: Stated, lang: str) -> Finding:
    """A mild usage finding staff clearly give another reason over: a note, no longer naming
    its reason (the reason staff give is named by its own finding)."""
    line = OUTWEIGHED[lang].format(
        first=stated.sentence("staff", top, lang),
        second=stated.sentence("staff", f.reason, lang, against=True),
    )
    return f.model_copy(
        update={
            "detail": f"{f.detail} {line}.".strip(),
            "severity": Severity.INFO,
            "evidence": (*f.evidence, stated.evidence("staff", f.reason)),
            "rests_on": (USAGE,),
        }
    )


def _reread_finding(f: Finding, reason: Reason, stated: Stated, lang: str) -> Finding:
    text = REREAD[lang].format(
        neighbour=NAMES[f.reason][lang],
        usage=f.detail.rstrip("."),
        first=stated.sentence("staff", reason, lang),
        second=stated.sentence("staff", f.reason, lang, against=True),
    )
    return Finding(
        rule=f"stated.rereads.{f.reason}_as_{reason}",
        reason=reason,
        severity=f.severity,
        title=TITLES[reason][lang],
        detail=_capital(text) + ".",
        evidence=(
            *f.evidence,
            stated.evidence("staff", reason),
            stated.evidence("staff", f.reason),
        ),
        remedies=REMEDIES[reason][lang],
        ruled_out=(_staff_rule_out(f.reason, stated, lang),),
        rests_on=(USAGE, SURVEY),
    )


def _annotate(f: Finding, stated: Stated, lang: str) -> Finding:
    """A usage finding with what staff say about its reason."""
    if stated.says("staff", f.reason) or stated.says("leader", f.reason):
        role = "staff" if stated.says("staff", f.reason) else "leader"
        line = AGREES[lang].format(share=stated.sentence(role, f.reason, lang))
        return f.model_copy(
            update={
                "detail": f"{f.detail} {line}.".strip(),
                "severity": _stronger(f.severity),
                "evidence": (*f.evidence, stated.evidence(role, f.reason)),
                "rests_on": (USAGE, SURVEY),
            }
        )
    if stated.denies("staff", f.reason):
        # a mild usage sign that staff clearly do not recognise is kept in sight, not named
        line = NOT_NAMED[lang].format(share=stated.sentence("staff", f.reason, lang))
        return f.model_copy(
            update={
                "detail": f"{f.detail} {line}.".strip(),
                "severity": Severity.INFO if f.severity is Severity.WATCH else f.severity,
                "evidence": (*f.evidence, stated.evidence("staff", f.reason)),
                "rests_on": (USAGE,),
            }
        )
    return _rests(f, USAGE)


def _ruled_out_by_use(reason: Reason, metrics: Metrics | None) -> bool | None:
    """Whether the usage contrast rules ``reason`` out (``None``: it cannot be judged)."""
    if metrics is None:
        return None
    contrast = CONTRASTS[reason]
    judged = contrast.figure(metrics)[2]
    if judged is None:
        return None
    return contrast.within(judged, metrics.settings.diagnosis)


def _disagreement(reason: Reason, stated: Stated, metrics: Metrics | None, lang: str) -> Finding:
    """Staff name a reason the usage findings do not: a finding of its own. Where the usage
    contrast rules the reason out it is a disagreement (``info``); where the usage data cannot
    judge it (too few newcomers who stayed, a week that collapsed) the survey is the evidence
    there is: it names the reason (``watch``) when it is the one staff give most clearly, and
    is a note (``info``) beside another reason otherwise ("no time" is everybody's second)."""
    ruled_out = _ruled_out_by_use(reason, metrics)
    names = not ruled_out and stated.top("staff") is reason
    template = STATED_NOT_SEEN if ruled_out else STATED_UNSEEN
    title = template[lang].format(
        Role=_capital(ROLE["staff"][lang]), say=SAY[reason][lang], shows=USE_SHOWS_NOT[reason][lang]
    )
    return Finding(
        rule=f"stated.{'contradicted' if ruled_out else 'unseen'}.{reason}",
        reason=reason,
        severity=Severity.WATCH if names else Severity.INFO,
        title=title,
        detail=_capital(stated.sentence("staff", reason, lang)) + ".",
        evidence=(stated.evidence("staff", reason),),
        remedies=REMEDIES[reason][lang],
        rests_on=(SURVEY,),
    )


def _leaders_differ(stated: Stated, lang: str) -> Finding | None:
    leaders, staff = stated.top("leader"), stated.top("staff")
    if leaders is None or staff is None or leaders == staff:
        return None
    if not stated.above("staff", staff, leaders):
        return None
    lead_line = stated.sentence("leader", leaders, lang)
    staff_line = stated.sentence("staff", staff, lang)
    return Finding(
        rule="stated.leaders_differ",
        reason=staff,
        severity=Severity.INFO,
        title=LEADERS_DIFFER[lang].format(leaders=NAMES[leaders][lang], staff=NAMES[staff][lang]),
        detail=LEADERS_DIFFER_DETAIL[lang].format(leaders=lead_line, staff=staff_line) + ".",
        evidence=(stated.evidence("leader", leaders), stated.evidence("staff", staff)),
        rests_on=(SURVEY,),
    )


def _ours(f: Finding) -> bool:
    """A finding of the five reasons that nobody has read beside the survey yet."""
    return f.reason in STATED and not f.rests_on


def combine(
    findings: Sequence[Finding],
    stated: Stated | None,
    metrics: Metrics | None = None,
    lang: str = "en",
) -> list[Finding]:
    """``findings`` (usage rules, any plugin) read together with what people said.

    Without survey results every finding of one of the five reasons rests on usage alone.
    ``metrics`` (raw) let a disagreement say whether the usage contrast rules the stated
    reason out; without them it says the usage data cannot show it.
    """
    lang = lang_of(lang)
    if stated is None or not stated.counts:
        return [_rests(f, USAGE) if f.reason in STATED else f for f in findings]
    observed = {
        f.reason
        for f in findings
        if f.reason in STATED and not f.undecided and f.severity is not Severity.INFO
    }
    pending = {r for f in findings if f.undecided for r in (f.reason, *f.undecided)}
    decided = {id(f): _decide(f, stated, lang) for f in findings if _ours(f) and f.undecided}
    observed |= {f.reason for f in decided.values() if not f.undecided}
    out: list[Finding] = []
    for f in findings:
        if not _ours(f):
            out.append(f)
        elif f.undecided:
            out.append(decided[id(f)])
        elif (top := _outweighed(f, stated)) is not None:
            if top not in observed and _near(f.reason, top):
                out.append(_reread_finding(f, top, stated, lang))
                observed.add(top)
            else:
                out.append(_kept_in_sight(f, top, stated, lang))
        else:
            out.append(_annotate(f, stated, lang))
    named = {f.reason for f in out if USAGE in f.rests_on and not f.undecided}
    for reason in STATED:
        if reason not in named and reason not in pending and stated.says("staff", reason):
            out.append(_disagreement(reason, stated, metrics, lang))
    differ = _leaders_differ(stated, lang)
    return out + ([differ] if differ is not None else [])
