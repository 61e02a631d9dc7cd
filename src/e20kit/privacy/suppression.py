"""Minimum group sizes: which groups a report hides, and how a hidden group reads.

Primary suppression hides every group smaller than k. A hidden group could still be computed
when its siblings add up to a total shown elsewhere (departments to all members, cohorts to the
pooled row, each department's leaders to all leaders): so the hidden siblings must be at least
two and together at least k, and until they are, the smallest shown sibling is hidden as well
(secondary suppression; docs/privacy.md, "Complementary disclosure").
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

SUPPRESSED = "suppressed"
"""Name of the flag set on rows hidden because their group is below the minimum size."""
COMPLEMENTARY = "complementary"
"""Set (besides ``suppressed``) on a row hidden although its group is large enough, so that a
smaller sibling cannot be computed from a total; its size reads "hidden", not "<k"."""

G = TypeVar("G", bound=Hashable)


def groups_to_hide(sizes: Mapping[G, int], k: int, hidden: Collection[G] = ()) -> set[G]:
    """Siblings to hide: those under ``k`` (and ``hidden``), then the smallest others until the
    hidden ones are none, or at least two adding up to at least ``k``, or all of them."""
    out = {g for g, n in sizes.items() if n < k} | {g for g in hidden if g in sizes}
    shown = sorted((g for g in sizes if g not in out), key=lambda g: (sizes[g], str(g)))
    while out and shown and (len(out) < 2 or sum(sizes[g] for g in out) < k):
        out.add(shown.pop(0))
    return out


def fewer_than(k: int) -> str:
    """How a hidden group's size reads in every text format."""
    return f"<{k}"


def suppress_small_groups(
    rows: Iterable[Mapping[str, Any]],
    *,
    size_field: str,
    min_size: int,
    keep: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Copy ``rows`` (sibling groups), blanking every value of the groups to hide.

    ``keep`` names the columns that identify the group (e.g. the department label) and stay
    visible; every other value of a hidden group, its size included, becomes ``None`` and
    ``suppressed`` is ``True``. Rows without a size count as hidden.
    """
    rows = list(rows)
    sizes = {
        i: int(row[size_field]) for i, row in enumerate(rows) if row.get(size_field) is not None
    }
    unsized = [i for i, row in enumerate(rows) if row.get(size_field) is None]
    hide = groups_to_hide(sizes, min_size) | set(unsized)
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        if i in hide:
            hidden = {k: (v if k in keep else None) for k, v in row.items()}
            hidden[SUPPRESSED] = True
            hidden[COMPLEMENTARY] = sizes.get(i, 0) >= min_size
            out.append(hidden)
        else:
            out.append({**row, SUPPRESSED: False, COMPLEMENTARY: False})
    return out


__all__ = ["COMPLEMENTARY", "SUPPRESSED", "fewer_than", "groups_to_hide", "suppress_small_groups"]
