"""The one place between the figures and anything a person reads (docs/privacy.md,
"Disclosure control").

A :class:`Disclosure` holds the policy (k, dominance, testing) and the perturbation key. Every
output goes through it: :meth:`~Disclosure.metrics` for the analytics, :meth:`~Disclosure.count`
and :meth:`~Disclosure.total` for single figures, :meth:`~Disclosure.table` and
:meth:`~Disclosure.text` for plugin sections and outputs for people, :meth:`~Disclosure.section`
and :meth:`~Disclosure.findings` as the last check before writing. What did not pass through it
is withheld there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..extensions import ReportSection
from ..findings import Finding
from ..privacy.suppression import COMPLEMENTARY, SUPPRESSED, fewer_than, groups_to_hide
from ..store.history import disclosure_key
from .cellkey import derive_secret, perturb_count, perturb_subcount, perturb_total
from .metrics import publish_metrics
from .policy import DisclosurePolicy

if TYPE_CHECKING:
    from ..analytics.model import Metrics
    from ..config import PrivacySettings

log = logging.getLogger(__name__)

WITHHELD = {
    "en": "(Figures withheld: this section was not released through the disclosure layer.)",
    "de": "(Zahlen zurückgehalten: dieser Abschnitt kam nicht durch die Offenlegungskontrolle.)",
}
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s?(%)?")


def _fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _numbers(value: Any) -> Iterable[float]:
    """Every number in a (nested) dataclass, mapping or sequence."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if math.isfinite(value):
            yield float(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("settings", "largest"):
                yield from _numbers(getattr(value, f.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


class Disclosure:
    """The disclosure layer of one configuration: k, dominance and the cell key."""

    def __init__(self, policy: DisclosurePolicy, secret: bytes) -> None:
        self.policy = policy
        self._secret = secret
        self._released: set[str] = set()
        self._withheld: dict[int, tuple[set[float], set[float]]] = {}
        self._raw: dict[int, tuple[Metrics, Metrics]] = {}

    @classmethod
    def from_settings(cls, privacy: PrivacySettings, key: bytes | None) -> Disclosure:
        """The layer of ``[privacy]``, keyed with ``key`` (the store's disclosure key)."""
        policy = DisclosurePolicy(
            k=privacy.min_group_size,
            dominance=privacy.dominance_share,
            testing=privacy.testing_small_groups,
        )
        return cls(policy, derive_secret(key))

    @classmethod
    def of_store(cls, conn: sa.Connection, privacy: PrivacySettings) -> Disclosure:
        """The layer of ``[privacy]`` keyed with the store's disclosure key: what
        :attr:`e20kit.Kit.disclosure` and every service that writes figures use."""
        return cls.from_settings(privacy, disclosure_key(conn))

    @classmethod
    def unkeyed(cls, k: int) -> Disclosure:
        """For figures published without a configuration (library calls on raw metrics): the
        same rules with a key anyone could recompute; a k under 5 is taken as testing."""
        return cls(DisclosurePolicy(k=k, testing=k < 5), derive_secret(None))

    @property
    def k(self) -> int:
        return self.policy.k

    # -- single figures ------------------------------------------------------------------------

    def count(self, cell: str, value: int | None) -> int | None:
        """A count of people as published: ``None`` under k, else perturbed (0 stays 0)."""
        if value is None:
            return None
        return perturb_count(self._secret, cell, int(value), self.k)

    def subcount(self, cell: str, value: int | None, *, within: int | None = None) -> int | None:
        """A count of people within a group of at least k (active, creators, users of a
        feature) as published: perturbed, never exact, 0 stays 0, never above the published
        size of the group it is ``within``; the figures of the people it counts
        (:meth:`total`) and shares out of it (:meth:`share`) need it to reach k."""
        if value is None:
            return None
        published = perturb_subcount(self._secret, cell, int(value))
        if within is None or published <= within:
            return published
        # the group's published size moved down below this count's upward move: stop one under
        # it when it is the true count, so that the clamp never publishes the exact figure
        return within if within != value else max(1, within - 1)

    def share(self, part: int | None, whole: int | None, *, people: int | None) -> float | None:
        """``part / whole`` of published counts, only when the whole's true number of ``people``
        reaches k (a share out of fewer people is a figure of a small group)."""
        if part is None or not whole or people is None or people < self.k:
            return None
        return min(1.0, part / whole)

    def total(
        self,
        cell: str,
        value: int | None,
        *,
        people: int | None = None,
        largest: int | None = None,
    ) -> int | None:
        """A total (contributions, actions) as published: hidden when fewer than k ``people``
        make it up, or when its ``largest`` single member holds more than the dominance share;
        else perturbed."""
        if value is None:
            return None
        if people is not None and 0 < people < self.k:
            return None
        if largest is not None and value > 0 and largest > self.policy.dominance * value:
            return None
        return perturb_total(self._secret, cell, int(value))

    def show(self, value: int | None) -> str:
        """A published count as text: "<k" when hidden."""
        return fewer_than(self.k) if value is None else str(value)

    # -- what plugins and outputs for people build with ------------------------------------------

    def table(
        self,
        name: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        size: str,
        keep: Sequence[str] = (),
        counts: Sequence[str] = (),
        totals: Sequence[str] = (),
        drop_hidden: bool = False,
        hidden: Collection[str] = (),
    ) -> list[dict[str, Any]]:
        """Sibling groups as published: ``size`` (people in the group) and the ``counts`` of
        people within it are perturbed (as :meth:`count` and :meth:`subcount`), ``totals``
        perturbed and hidden with fewer than k people; groups under k, and siblings that would
        let one be computed, keep only their ``keep`` columns and are marked ``suppressed`` (or
        are left out with ``drop_hidden``); so are the groups whose label (``keep`` joined by
        "/") is in ``hidden``, e.g. the departments the report hides. Columns named in none of
        these are copied as they are: pass only labels and settings there."""
        rows = [dict(r) for r in rows]
        labels = ["/".join(str(r.get(c)) for c in keep) for r in rows]
        sizes = {i: int(r[size]) for i, r in enumerate(rows) if r.get(size) is not None}
        hide = groups_to_hide(sizes, self.k, {i for i, name in enumerate(labels) if name in hidden})
        hide |= {i for i, r in enumerate(rows) if r.get(size) is None}
        out: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            label = labels[i]
            if i in hide:
                if not drop_hidden:
                    blank = {c: (v if c in keep else None) for c, v in row.items()}
                    out.append(
                        {**blank, SUPPRESSED: True, COMPLEMENTARY: sizes.get(i, 0) >= self.k}
                    )
                continue
            published = dict(row)
            published[size] = self.count(f"{name}/{label}/{size}", row.get(size))
            for column in counts:
                published[column] = self.subcount(
                    f"{name}/{label}/{column}", row.get(column), within=published[size]
                )
            for column in totals:
                published[column] = self.total(
                    f"{name}/{label}/{column}", row.get(column), people=row.get(size)
                )
            out.append({**published, SUPPRESSED: False, COMPLEMENTARY: False})
        self._released.add(_fingerprint(out))
        return out

    def text(
        self,
        name: str,
        template: str,
        *,
        labels: Mapping[str, object] | None = None,
        **counts: int | None,
    ) -> str:
        """``template`` with each count of people published ("<k" when hidden) and the
        ``labels`` (words, or numbers that describe no person) as they are."""
        shown: dict[str, object] = dict(labels or {})
        shown |= {
            key: self.show(self.count(f"{name}/{key}", value)) for key, value in counts.items()
        }
        text = template.format(**shown)
        self.release_text(text)
        return text

    def release_text(self, text: str) -> str:
        """Vouch for ``text``: it holds no figure of people, or only figures published here
        (a plugin's own counts of tickets or pages, say); it is then written as it is."""
        self._released.add(_fingerprint(text))
        return text

    def release_table(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Vouch for a table whose figures describe no person (see :meth:`release_text`);
        tables of people go through :meth:`table`."""
        out = [dict(r) for r in rows]
        self._released.add(_fingerprint(out))
        return out

    def released(self, value: Any) -> bool:
        """Whether ``value`` (a table or text) came out of this layer."""
        return _fingerprint(value) in self._released

    # -- reports ---------------------------------------------------------------------------------

    def metrics(self, raw: Metrics) -> Metrics:
        """``raw`` as published; remembers what it withheld, for :meth:`findings`."""
        if raw.disclosure:
            return raw
        published = publish_metrics(self, raw)
        shown = {round(v, 4) for v in _numbers(published)}
        withheld = {round(v, 4) for v in _numbers(raw)} - shown
        self._withheld[id(published)] = (withheld, shown)
        self._raw[id(published)] = (published, raw)  # holding both keeps the id theirs
        return published

    def raw(self, published: Metrics) -> Metrics | None:
        """The raw figures :meth:`metrics` published as ``published`` (``None`` when this
        layer did not publish them): what the diagnosis' rules read, never an output."""
        held = self._raw.get(id(published))
        return held[1] if held is not None and held[0] is published else None

    def section(self, section: ReportSection, lang: str = "en") -> ReportSection:
        """A plugin section as written: tables not made by :meth:`table` are withheld, and so
        is text with digits not made by :meth:`text` (each logged as a warning)."""
        tables: dict[str, Sequence[Mapping[str, Any]]] = {}
        for name, rows in section.tables.items():
            plain = [dict(r) for r in rows]
            if not plain or self.released(plain) or not _has_figures(plain):
                tables[name] = rows
            else:
                log.warning("section %s: table %s withheld (not released)", section.id, name)
        markdown = section.markdown
        if re.search(r"\d", markdown) and not self.released(markdown):
            log.warning("section %s: text withheld (not released)", section.id)
            markdown = WITHHELD.get(lang, WITHHELD["en"])
        return dataclasses.replace(section, tables=tables, markdown=markdown)

    def findings(self, findings: Sequence[Finding], metrics: Metrics) -> list[Finding]:
        """Findings as written. Rules read the raw figures (:meth:`e20kit.Kit.diagnose`: the
        perturbation never feeds back into them); what they print leaves through here: a figure
        equal to one the layer withheld from ``metrics`` and to none it published is blanked in
        the evidence, and in the text unless the finding's remaining evidence states it (a
        rule cannot quote what the report hides)."""
        withheld, shown = self._withheld.get(id(metrics), (set(), set()))
        if not withheld:
            return list(findings)
        return [_FindingGuard(withheld, shown).guard(f) for f in findings]

    def printable(self, decided: Sequence[Finding], shown: Sequence[Finding]) -> list[Finding]:
        """The findings the rules ``decided`` on raw figures, each printed as the same rule
        states it on the published figures (``shown``), so that no figure a finding prints is
        computed from raw ones; a finding the published figures do not state keeps its words
        without its figures. The decision (which findings, their severity) stays the raw one."""
        stated = {(f.rule, f.reason): f for f in reversed(shown)}
        out = []
        for f in decided:
            printed = stated.get((f.rule, f.reason))
            if printed is None:
                out.append(_without_figures(f))
            else:
                out.append(printed.model_copy(update={"severity": f.severity}))
        return out

    def testing_note(self, lang: str = "en") -> str | None:
        return self.policy.testing_note(lang)

    def describe(self) -> str:
        """The rules in one line (``Metrics.disclosure``)."""
        return self.policy.describe()


class _FindingGuard:
    """Blanks withheld figures in one finding's evidence and text (:meth:`Disclosure.findings`)."""

    def __init__(self, withheld: set[float], shown: set[float]) -> None:
        self.withheld = withheld
        self.shown = shown
        self.near = {round(v, 2) for v in withheld} - {round(v, 2) for v in shown}

    def secret(self, value: float | None) -> bool:
        return value is not None and round(value, 4) in self.withheld - self.shown

    def guard(self, f: Finding) -> Finding:
        evidence = tuple(
            e.model_copy(
                update={
                    n: None for n in ("value", "reference", "trend") if self.secret(getattr(e, n))
                }
            )
            for e in f.evidence
        )
        ruled = [
            r.model_copy(
                update={n: None for n in ("value", "reference") if self.secret(getattr(r, n))}
            )
            for r in f.ruled_out
        ]
        stated = {
            round(v, 2)
            for item in (*evidence, *ruled)
            for v in _numbers(
                [getattr(item, n, None) for n in ("value", "reference", "trend", "threshold")]
            )
        }
        scrub = self.scrubber(stated)
        return f.model_copy(
            update={
                "title": scrub(f.title),
                "detail": scrub(f.detail),
                "evidence": evidence,
                "ruled_out": tuple(r.model_copy(update={"text": scrub(r.text)}) for r in ruled),
            }
        )

    def scrubber(self, stated: set[float]) -> Callable[[str], str]:
        """Blank percentages and decimals in text that match a withheld figure and nothing the
        finding states."""

        def hide(value: float) -> bool:
            return round(value, 2) in self.near and round(value, 2) not in stated

        return lambda text: _scrub(text, hide)


def _scrub(text: str, hide: Callable[[float], bool]) -> str:
    """``text`` with each percentage (as a share: 40 % is 0.4) or decimal for which ``hide``
    holds blanked to "-"; whole numbers stay (weeks, days, thresholds)."""

    def one(match: re.Match[str]) -> str:
        digits, percent = match.group(1), match.group(2)
        if not percent and not any(c in digits for c in ".,"):
            return match.group(0)
        number = float(digits.replace(",", "."))
        return "-" if hide(number / 100 if percent else number) else match.group(0)

    return _NUMBER.sub(one, text)


def _without_figures(f: Finding) -> Finding:
    """``f`` without its evidence's figures and with its shares and decimals blanked in text
    (whole numbers stay: weeks, days)."""

    def blank(text: str) -> str:
        return _scrub(text, lambda _: True)

    return f.model_copy(
        update={
            "title": blank(f.title),
            "detail": blank(f.detail),
            "evidence": tuple(
                e.model_copy(update={"value": None, "reference": None, "trend": None})
                for e in f.evidence
            ),
            "ruled_out": tuple(
                r.model_copy(update={"value": None, "reference": None, "text": blank(r.text)})
                for r in f.ruled_out
            ),
        }
    )


def _has_figures(rows: list[dict[str, Any]]) -> bool:
    """Whether any cell of the rows is a number (labels alone need no release)."""
    return any(
        isinstance(v, int | float) and not isinstance(v, bool) for row in rows for v in row.values()
    )


__all__ = ["WITHHELD", "Disclosure"]
