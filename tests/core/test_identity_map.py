"""The identity map file: parsing, filling hidden e-mails, unknown rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit import ConfigError, Person
from e20kit.identity_map import IdentityMap, load_identity_map


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_mapped_emails_fill_only_hidden_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(
        tmp_path,
        "platform,person_id,email\nconfluence,acc-1,Ann@Example.org\n"
        "confluence,acc-2,bob@example.org\nconfluence,ghost,ghost@example.org\n\n"
        "mattermost,u9,x@example.org\n",
    )
    identities = load_identity_map(Path("people.csv"), tmp_path / "e20kit.toml")
    assert identities is not None
    hidden = identities.apply(Person(platform="confluence", person_id="acc-1"))
    assert hidden.email == "ann@example.org"
    shown = identities.apply(
        Person(platform="confluence", person_id="acc-2", email="robert@example.org")
    )
    assert shown.email == "robert@example.org"
    other = identities.apply(Person(platform="confluence", person_id="acc-3"))
    assert other.email is None
    missing = identities.report()
    assert [(r.person_id, r.line) for r in missing] == [("ghost", 4)]  # mattermost not collected
    assert "people.csv: 1 rows name accounts no connector returned (lines 4" in caplog.text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id,email\n", 1),
        ("platform,person_id,email\nconfluence,acc-1\n", 2),
        ("platform,person_id,email\nconfluence,acc-1,ok@example.org\nconfluence,acc-2,nope\n", 3),
    ],
)
def test_a_malformed_map_is_a_config_error_naming_file_and_line(
    tmp_path: Path, text: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        IdentityMap.load(_write(tmp_path, text))
    assert f"people.csv:{line}:" in str(caught.value)


def test_a_missing_map_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"identities\.map: cannot read"):
        IdentityMap.load(tmp_path / "absent.csv")
    assert load_identity_map(None, None) is None
