"""A count inside a group is never published above the group's published size, and the clamp
that keeps it there never publishes the true count either."""

from __future__ import annotations

from e20kit import Disclosure


def test_the_clamp_to_the_group_never_gives_the_true_count() -> None:
    layer = Disclosure.unkeyed(5)
    clamped = 0
    for n in range(6, 60):
        for cell in (f"g{i}/active" for i in range(40)):
            within = layer.count(cell.replace("active", "members"), n + 1)
            published = layer.subcount(cell, n, within=within)
            assert within is not None and published is not None
            assert published <= within and published != n
            clamped += layer.subcount(cell, n) > within  # type: ignore[operator]
    assert clamped  # the case arises: groups of n + 1 published as n, all n active as n + 1
