from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from e20kit.privacy import SUPPRESSED, Pseudonymiser, groups_to_hide, suppress_small_groups


def test_member_key_is_keyed_hash_of_normalised_email() -> None:
    p = Pseudonymiser(b"one secret")
    key = p.member_key(email="Ann@Example.org ", platform="a", person_id="1")
    assert key == p.member_key(email="ann@example.org", platform="b", person_id="2")
    assert "ann" not in key and len(key) == 32
    assert key != Pseudonymiser(b"another").member_key(
        email="ann@example.org", platform="a", person_id="1"
    )


def test_without_email_the_platform_id_is_keyed() -> None:
    p = Pseudonymiser(b"s")
    assert p.member_key(email=None, platform="mm", person_id="x") != p.member_key(
        email=None, platform="mm", person_id="y"
    )


def test_pseudonymisation_off_keeps_email() -> None:
    assert Pseudonymiser(None).member_key(email="A@b.org", platform="p", person_id="1") == "a@b.org"


@given(
    st.lists(st.tuples(st.text(max_size=5), st.integers(0, 20)), max_size=30), st.integers(2, 10)
)
def test_every_group_under_k_is_suppressed(groups: list[tuple[str, int]], k: int) -> None:
    rows = [{"department": d, "members": n, "active": n // 2} for d, n in groups]
    out = suppress_small_groups(rows, size_field="members", min_size=k, keep=("department",))
    for row, original in zip(out, rows, strict=True):
        assert row["department"] == original["department"]
        if original["members"] < k:
            assert row[SUPPRESSED] is True
        if row[SUPPRESSED]:
            assert row["members"] is None and row["active"] is None
        else:
            assert row["members"] == original["members"] and row["active"] == original["active"]
    hidden = [r for r, o in zip(out, rows, strict=True) if r[SUPPRESSED]]
    hidden_total = sum(o["members"] for r, o in zip(out, rows, strict=True) if r[SUPPRESSED])
    # no hidden group follows from the total less the shown ones
    assert not hidden or len(hidden) == len(rows) or (len(hidden) >= 2 and hidden_total >= k)


def test_complementary_suppression_hides_the_smallest_other_group() -> None:
    assert groups_to_hide({"a": 20, "b": 12, "c": 2}, 5) == {"b", "c"}
    assert groups_to_hide({"a": 20, "b": 12, "c": 1, "d": 2}, 5) == {"b", "c", "d"}
    assert groups_to_hide({"a": 20, "b": 12, "c": 3, "d": 4}, 5) == {"c", "d"}
    assert groups_to_hide({"a": 20, "b": 12}, 5) == set()
    assert groups_to_hide({"a": 3}, 5) == {"a"}
    assert groups_to_hide({"a": 20, "b": 12}, 5, hidden={"a"}) == {"a", "b"}
