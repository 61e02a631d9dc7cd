"""Payload validation: one typed error naming connector, redacted endpoint and field path."""

from __future__ import annotations

import pytest
import responses
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from e20kit import (
    ConnectorFatalError,
    ConnectorPayloadError,
    describe_validation_error,
    make_session,
    parse_payload,
)

BASE = "https://chat.example.test"
TOKEN = "tok-payload-5150"


class Post(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    create_at: int


class PostList(BaseModel):
    model_config = ConfigDict(extra="ignore")
    order: list[str]
    posts: dict[str, Post]


def test_the_first_error_names_its_field_path_and_no_input() -> None:
    data = {"order": ["abc"], "posts": {"abc": {"id": "abc", "create_at": "yesterday"}}}
    with pytest.raises(ConnectorPayloadError) as info:
        parse_payload(PostList, data, connector="chat", endpoint=f"{BASE}/api/v4/posts")
    err = info.value
    assert isinstance(err, ConnectorFatalError)
    assert str(err).startswith(f"[chat {BASE}/api/v4/posts] malformed response: ")
    assert "posts.abc.create_at: Input should be a valid integer" in str(err)
    assert "yesterday" not in str(err)
    assert err.field == "posts.abc.create_at"  # type: ignore[attr-defined]
    assert err.__cause__ is None and err.__context__ is None


def test_more_errors_are_counted_and_secrets_redacted() -> None:
    data = [{"id": 1, "create_at": 1}, {"create_at": "x"}]
    with pytest.raises(ConnectorPayloadError) as info:
        parse_payload(
            TypeAdapter(list[Post]),
            data,
            connector="chat",
            endpoint=f"{BASE}/api/v4/hooks/{TOKEN}?access_token={TOKEN}",
            secrets=[TOKEN],
        )
    message = str(info.value)
    assert "0.id: Input should be a valid string (and 2 more)" in message
    assert TOKEN not in message and "/hooks/***" in message


def test_a_plugin_validating_itself_words_the_error_as_parse_payload_does() -> None:
    """The public helper behind parse_payload's message, for a plugin that calls pydantic on a
    result a third-party client handed it (the LimeSurvey plugin does)."""
    data = {"order": ["a"], "posts": {TOKEN: {"create_at": "yesterday"}}}
    with pytest.raises(ValidationError) as info:
        PostList.model_validate(data)
    described = describe_validation_error(info.value, secrets=[TOKEN])
    assert described == "posts.***.id: Field required (and 1 more)"
    with pytest.raises(ConnectorPayloadError) as parsed:
        parse_payload(PostList, data, connector="chat", endpoint="/x", secrets=[TOKEN])
    assert str(parsed.value).endswith(f"malformed response: {described}")
    with pytest.raises(ValidationError) as root:
        TypeAdapter(list[int]).validate_python({"a": TOKEN})
    assert describe_validation_error(root.value) == "(root): Input should be a valid list"


def test_plain_types_and_a_valid_payload_pass() -> None:
    assert parse_payload(list[int], [1, 2], connector="c", endpoint="/x") == [1, 2]
    post = parse_payload(
        Post, {"id": "a", "create_at": 5, "extra": {}}, connector="c", endpoint="/"
    )
    assert post == Post(id="a", create_at=5)
    with pytest.raises(ConnectorPayloadError, match=r"\(root\): Input should be a valid list"):
        parse_payload(list[int], {"a": 1}, connector="c", endpoint="/x")


@responses.activate
def test_get_model_gets_parses_and_names_the_request() -> None:
    responses.get(f"{BASE}/api/v4/posts/1", json={"id": "1", "create_at": 7})
    responses.get(f"{BASE}/api/v4/posts/2", json={"id": "2", "create_at": {"a": 1}})
    session = make_session("chat", base_url=BASE)
    assert session.get_model("/api/v4/posts/1", Post) == Post(id="1", create_at=7)
    with pytest.raises(ConnectorPayloadError) as info:
        session.get_model("/api/v4/posts/2", Post, params={"page": 3})
    assert str(info.value).startswith(f"[chat {BASE}/api/v4/posts/2?page=3] malformed response:")
    assert "create_at: Input should be a valid integer" in str(info.value)
