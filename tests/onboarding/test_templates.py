"""Nudge templates render in English and German; overrides replace one language."""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit.onboarding import messages

CONTEXT = dict(messages.SAMPLE)


@pytest.mark.parametrize(
    ("locale", "subject", "phrase"),
    [
        ("en", "Your next step: Set a profile picture", "You have completed 1 of 4 steps"),
        ("de", "Ihr nächster Schritt: Set a profile picture", "Sie haben 1 von 4"),
        ("de-AT", "Ihr nächster Schritt: Set a profile picture", "Sie haben 1 von 4"),
        ("fr", "Your next step: Set a profile picture", "You have completed 1 of 4 steps"),
    ],
)
def test_built_in_templates(locale: str, subject: str, phrase: str) -> None:
    text = messages.render(messages.environment(), locale, CONTEXT)
    assert text.subject == subject
    assert phrase in " ".join(text.body.split())
    assert "https://intranet.example.org/guide" in text.body
    assert "**2. Set a profile picture**" in text.body
    assert "{{" not in text.body and "{%" not in text.body


def test_help_link_is_optional() -> None:
    text = messages.render(messages.environment(), "de", {**CONTEXT, "help_url": None})
    assert "Anleitung" not in text.body and "None" not in text.body


def test_override_directory_replaces_one_language(tmp_path: Path) -> None:
    (tmp_path / "nudge.de.md.j2").write_text(
        '{% set subject = "Hallo " ~ organisation %}Schritt {{ position }}', encoding="utf-8"
    )
    env = messages.environment(tmp_path)
    messages.validate(env)
    de = messages.render(env, "de", CONTEXT)
    assert (de.subject, de.body) == ("Hallo Example Ltd", "Schritt 2")
    assert messages.render(env, "en", CONTEXT).subject.startswith("Your next step")
