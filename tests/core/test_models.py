from __future__ import annotations

import ast
import datetime as dt
import inspect
import itertools

import pytest
from pydantic import ValidationError

from e20kit import Action, Activity, Feature, Person, Window, vocab
from e20kit.vocab import CONSUMPTION_ACTIONS, CONTRIBUTION_ACTIONS, HELPING_ACTIONS


def test_person_normalises_email_and_is_frozen() -> None:
    person = Person(platform="csv", person_id="1", email="  Ann@Example.ORG ", department="")
    assert person.email == "ann@example.org"
    assert person.department is None
    with pytest.raises(ValidationError):
        person.email = "x@example.org"  # type: ignore[misc]


def test_activity_rejects_unknown_action_and_negative_counts() -> None:
    base = {"day": "2026-01-01", "platform": "csv", "person_id": "1", "feature": "wiki"}
    assert Activity.model_validate({**base, "action": "view", "count": 2}).action is Action.VIEW
    with pytest.raises(ValidationError, match="action"):
        Activity.model_validate({**base, "action": "download", "count": 1})
    with pytest.raises(ValidationError, match="count"):
        Activity.model_validate({**base, "action": "view", "count": -1})
    with pytest.raises(ValidationError, match="extra"):
        Activity.model_validate({**base, "action": "view", "count": 1, "text": "no content"})


def test_window_is_half_open_and_ordered() -> None:
    window = Window(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 3))
    assert dt.date(2026, 1, 2) in window
    assert dt.date(2026, 1, 3) not in window
    assert window.days == 2
    with pytest.raises(ValidationError, match="before its start"):
        Window(start=dt.date(2026, 1, 3), end=dt.date(2026, 1, 1))


def test_action_classes_partition_sensibly() -> None:
    assert CONTRIBUTION_ACTIONS.isdisjoint(CONSUMPTION_ACTIONS)
    assert HELPING_ACTIONS <= CONTRIBUTION_ACTIONS
    assert Action.REPLY.is_helping and Action.POST.is_contribution
    assert not Action.VIEW.is_contribution


@pytest.mark.parametrize("enum", [Action, Feature])
def test_every_vocabulary_value_is_documented(enum: type) -> None:
    """Each enum member is followed by a docstring in vocab.py (the vocabulary reference)."""
    tree = ast.parse(inspect.getsource(vocab))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == enum.__name__)
    documented = set()
    body = cls.body
    for node, following in itertools.pairwise(body):
        is_doc = isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
        if isinstance(node, ast.Assign) and is_doc:
            documented.add(node.targets[0].id)  # type: ignore[attr-defined]
    assert documented == {m.name for m in enum}
