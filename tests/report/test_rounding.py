"""Changes are rounded honestly: no -0, the sign and colour follow the value as shown."""

from __future__ import annotations

import pytest

from e20kit.report.html import _direction
from e20kit.report.labels import show, show_change


@pytest.mark.parametrize(
    ("figure", "change", "shown"),
    [
        ("participation_rate", -0.0004, "±0 pp"),
        ("participation_rate", -0.004, "-0.4 pp"),
        ("participation_rate", 0.0004, "±0 pp"),
        ("participation_rate", 0.004, "+0.4 pp"),  # 24.4 % -> 24.8 %, not "+0 pp"
        ("participation_rate", -0.012, "-1 pp"),
        ("participation_rate", 0.0996, "+10 pp"),
        ("gini", -0.004, "±0"),
        ("gini", 0.031, "+0.03"),
        ("dau", -0.04, "±0"),
        ("dau", 2.26, "+2.3"),
        ("active_members", -244.0, "-244"),
        ("active_members", None, "-"),
    ],
)
def test_show_change(figure: str, change: float | None, shown: str) -> None:
    assert show_change(figure, change) == shown


def test_a_change_that_reads_zero_is_not_coloured() -> None:
    assert _direction("participation_rate", -0.0004) == "flat"
    assert _direction("gini", 0.004) == "flat"
    assert _direction("participation_rate", 0.004) == "up"


def test_24_to_25_percent_reads_as_a_rise() -> None:
    before, after = 0.244, 0.246
    assert (show("participation_rate", before), show("participation_rate", after)) == (
        "24%",
        "25%",
    )
    assert show_change("participation_rate", after - before) == "+0.2 pp"
