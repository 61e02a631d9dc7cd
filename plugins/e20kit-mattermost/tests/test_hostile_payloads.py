"""Malformed Mattermost answers are one typed error naming connector, endpoint and field.

A directory that is not a list of people stores nothing of the run; posts with broken fields
fail the connector without a traceback; facts of ids the directory does not list are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e20kit_mattermost.fake import MattermostFake
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from e20kit import Kit
from e20kit.sandbox import Request, Response
from e20kit.testing import store_rows

KitFactory = Callable[..., Kit]
Mutation = Callable[[Any], Any]


def garble(fake: MattermostFake, path: str, mutate: Mutation, *, times: int | None = None) -> None:
    """Answers of ``path`` (a regular expression on the request path) go through ``mutate``.

    ``times`` limits how many answers are garbled (None: all of them).
    """
    original = fake.api.router
    pattern = re.compile(path)
    left = [times]

    def router(request: Request) -> Response:
        response = original(request)
        if response.status != 200 or not pattern.fullmatch(request.path) or left[0] == 0:
            return response
        if left[0] is not None:
            left[0] -= 1
        return Response.json(mutate(json.loads(response.body)))

    fake.api.router = router  # type: ignore[assignment]


def first_post(mutate: Callable[[dict[str, Any]], Any]) -> Mutation:
    """A PostList mutation that changes its first post (when it has one)."""

    def change(body: Any) -> Any:
        posts = body.get("posts") or {}
        if posts:
            key = next(iter(posts))
            posts[key] = mutate(dict(posts[key]))
        return body

    return change


POSTS = r"/api/v4/channels/[^/]+/posts"


def _set(**fields: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda item: {**item, **fields}


def _drop(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda item: {k: v for k, v in item.items() if k != name}


def _first(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return lambda items: [change(items[0]), *items[1:]] if items else items


CASES: dict[str, tuple[str, Mutation, str]] = {
    "users_strings": ("/api/v4/users", lambda _: ["alice", "bob", 3], "] malformed response: 0: "),
    "users_empty": ("/api/v4/users", lambda _: [], "does not include the token's own user"),
    "users_object": ("/api/v4/users", lambda _: {"users": []}, "(root)"),
    "team_delete_at_object": ("/api/v4/teams", _first(_set(delete_at={"at": 1})), "0.delete_at"),
    "team_without_id": ("/api/v4/teams", _first(_drop("id")), "0.id: "),
    "member_user_id_object": (
        r"/api/v4/teams/[^/]+/members",
        _first(_set(user_id={"id": "x"})),
        "0.user_id",
    ),
    "post_user_id_object": (POSTS, first_post(_set(user_id={"id": 1})), ".user_id"),
    "post_values_strings": (POSTS, first_post(lambda _: "a post"), "posts."),
    "order_number": (POSTS, lambda body: {**body, "order": 5}, "order: "),
    "create_at_text": (POSTS, first_post(_set(create_at="yesterday")), ".create_at"),
    "create_at_huge": (POSTS, first_post(_set(create_at=1e20)), ".create_at"),
    "create_at_year_30000": (POSTS, first_post(_set(create_at=884_541_340_800_000)), ".create_at"),
    "create_at_missing": (POSTS, first_post(_drop("create_at")), ".create_at"),
    "channel_last_post_text": (
        "/api/v4/channels",
        _first(_set(last_post_at="soon")),
        "0.last_post_at",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_answer_is_one_typed_error(
    case: str, fake: MattermostFake, make_kit: KitFactory, sqlite_url: str, today: dt.date
) -> None:
    path, mutate, field = CASES[case]
    garble(fake, path, mutate)
    kit = make_kit(fake.url, sqlite_url)
    run = kit.collect(today=today).runs[0]
    assert not run.ok and run.error_type == "ConnectorPayloadError", run.error
    error = run.error or ""
    assert error.startswith("[chat /api/v4/") and "malformed response" in error
    assert field in error, error
    if path in ("/api/v4/users", "/api/v4/teams") or "members" in path:
        # the directory failed: nothing of the run is stored, no fact keyed to a guess
        assert store_rows(kit, "facts") == []
        assert store_rows(kit, "identities") == []


def test_a_fact_of_an_unlisted_id_is_skipped_and_counted(
    fake: MattermostFake, make_kit: KitFactory, sqlite_url: str, today: dt.date
) -> None:
    ghost = "ghost0000000000000000000000"
    garble(fake, POSTS, first_post(_set(user_id=ghost)))
    kit = make_kit(fake.url, sqlite_url)
    run = kit.collect(today=today).runs[0]
    assert run.ok, run.error
    assert run.facts_skipped >= 1
    ids = {row["person_id"] for row in store_rows(kit, "identities")}
    assert ghost not in ids


def test_one_bad_directory_user_is_skipped_and_named_never_quoted(
    fake: MattermostFake, make_kit: KitFactory, sqlite_url: str, today: dt.date
) -> None:
    """Issue 25: one user whose name the core refuses failed the whole directory (0 people)
    with pydantic's text quoting the name (``input_value='Bad\\x00Name'``)."""
    victim: list[str] = []

    def poison(body: Any) -> Any:
        if isinstance(body, list) and body and not victim:
            victim.append(body[0]["id"])
            body[0] = {**body[0], "first_name": "Bad\x00Name", "last_name": "", "nickname": ""}
        return body

    garble(fake, "/api/v4/users", poison, times=1)
    kit = make_kit(fake.url, sqlite_url)
    result = kit.collect(today=today)
    run = result.runs[0]
    assert run.ok, run.error
    assert run.people == len(fake.data.users) - 1 - sum(u.is_bot for u in fake.data.users.values())
    text = json.dumps(result.as_dict())
    assert victim[0] in text and "display_name" in text
    assert "Bad" not in text and "\\u0000" not in text


# -- fuzzing: any type-breaking change of any answer is either ignored or one typed error ----

ENDPOINTS = (
    "/api/v4/users/me",
    "/api/v4/users",
    "/api/v4/teams",
    r"/api/v4/teams/[^/]+/members",
    "/api/v4/channels",
    r"/api/v4/channels/[^/]+/members",
    "/api/v4/users/status/ids",
    POSTS,
    "/api/v4/reports/users",
)
BREAKING: dict[type, tuple[Any, ...]] = {
    int: ("12", 1.5, [1], {"a": 1}, 10**20, -5, True),
    float: ("x", [1.0]),
    str: (5, ["a"], {"a": "b"}, True),
    bool: ("true", 1, [True]),
    list: ({"a": 1}, "list", 7),
    dict: (["x"], "dict", 3),
    type(None): ({"a": 1}, [1]),
}


def _mutation(seeds: list[int], choice: int, neutral: bool) -> Mutation:
    """Walk into the answer by ``seeds`` and break the type found there (or add a key)."""

    def mutate(body: Any) -> Any:
        root = {"": body}
        parent: Any = root
        key: Any = ""
        for seed in seeds:
            node = parent[key]
            if isinstance(node, dict) and node and key != "props":
                parent, key = node, sorted(node)[seed % len(node)]
            elif isinstance(node, list) and node:
                parent, key = node, seed % len(node)
            else:
                break
        node = parent[key]
        if neutral:
            if isinstance(node, dict):
                node["e20kit_fuzz_extra"] = {"unused": [1, "x"]}
            return root[""]
        options = BREAKING[type(node)]
        parent[key] = options[choice % len(options)]
        return root[""]

    return mutate


def _hashable(row: dict[str, Any]) -> tuple[object, ...]:
    """A row without its write time, as a set member."""
    return tuple(
        json.dumps(v, sort_keys=True) if isinstance(v, dict) else v
        for k, v in sorted(row.items())
        if k != "updated_at"
    )


def _snapshot(kit: Kit) -> dict[str, set[tuple[object, ...]]]:
    """Every stored fact, identity and member but the write times."""
    return {
        t: {_hashable(r) for r in store_rows(kit, t)} for t in ("facts", "identities", "members")
    }


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # each example is a whole collect
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    seeds=st.lists(st.integers(0, 1000), max_size=6),
    choice=st.integers(0, 100),
    neutral=st.booleans(),
)
def test_a_broken_answer_is_ignored_or_one_typed_error_and_nothing_wrong_is_stored(
    endpoint: str,
    seeds: list[int],
    choice: int,
    neutral: bool,
    fake: MattermostFake,
    make_kit: KitFactory,
    tmp_path: Path,
    today: dt.date,
) -> None:
    if "clean" not in _CLEAN:
        kit = make_kit(fake.url, f"sqlite:///{tmp_path / 'clean.sqlite'}")
        assert kit.collect(today=today).ok
        _CLEAN["clean"] = _snapshot(kit)
    clean = _CLEAN["clean"]
    original = fake.api.router
    try:
        garble(fake, endpoint, _mutation(seeds, choice, neutral), times=1)
        with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
            kit = make_kit(fake.url, f"sqlite:///{Path(tmp) / 'store.sqlite'}")
            run = kit.collect(today=today).runs[0]
            got = _snapshot(kit)
            kit.close()
    finally:
        fake.api.router = original  # type: ignore[method-assign]
    if run.ok:
        assert got == clean
    else:
        assert not neutral, run.error
        assert run.error_type == "ConnectorPayloadError", run.error
        assert (run.error or "").startswith("[chat /api/v4/"), run.error
        for table, rows in got.items():
            assert rows <= clean[table], table  # whatever was stored is what a clean run stores


_CLEAN: dict[str, dict[str, set[tuple[object, ...]]]] = {}
