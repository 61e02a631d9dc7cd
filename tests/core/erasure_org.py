"""A small hand-written organisation for the erasure tests (issue 21).

``s3@example.org`` manages three colleagues, owns the personal space ``~s3`` (where a colleague
commented and anonymous readers looked), is the only one who wrote in ``proj-s3``, and has a
Mattermost account ``mm-s3`` that shows no e-mail (joined by the identity map).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from e20kit import Kit
from e20kit.store import schema

TODAY = dt.date(2026, 11, 30)
EMAIL = "s3@example.org"
ACCOUNT = "s3"
CHAT_ACCOUNT = "mm-s3"
SPACE = "~s3"
LONELY = "proj-s3"
NEEDLES_TEXT = (EMAIL, SPACE, LONELY, CHAT_ACCOUNT)
"""What must be found nowhere after the erasure (with the member key)."""

PEOPLE = [
    ("confluence", "b1", "b1@example.org", "Boss", "Eng", "Head", "", "2020-01-01", "de"),
    ("confluence", "s3", EMAIL, "Sam Three", "Eng", "Lead", "b1", "2021-01-01", "de"),
    *(
        (
            "confluence",
            f"c{i}",
            f"c{i}@example.org",
            f"C {i}",
            "Eng",
            "Dev",
            "s3",
            "2022-01-01",
            "en",
        )
        for i in range(1, 4)
    ),
]
CHAT_PEOPLE = [
    ("mattermost", CHAT_ACCOUNT, "", "", "", "", "", "", ""),
    ("mattermost", "mm-c1", "c1@example.org", "", "", "", "", "", ""),
]


def _day(offset: int) -> str:
    return (TODAY - dt.timedelta(days=offset)).isoformat()


ACTIVITY = [
    (_day(3), "confluence", "s3", "create", "wiki", SPACE, 2),
    (_day(3), "confluence", "c1", "comment", "wiki", SPACE, 1),
    (_day(2), "confluence", "", "view", "wiki", SPACE, 5),
    (_day(2), "confluence", "s3", "create", "wiki", LONELY, 1),
    (_day(2), "confluence", "s3", "view", "wiki", "ENG", 3),
    (_day(2), "confluence", "c1", "create", "wiki", "ENG", 1),
    (_day(1), "confluence", "c2", "edit", "wiki", "ENG", 1),
]
CHAT_ACTIVITY = [
    (_day(1), "mattermost", CHAT_ACCOUNT, "post", "discussion", "town-square", 4),
    (_day(1), "mattermost", "mm-c1", "post", "discussion", "town-square", 1),
]


def _write(folder: Path, people: list[tuple[str, ...]], activity: list[tuple[object, ...]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    people_head = (
        "platform,person_id,email,display_name,department,title,manager_id,joined_on,locale"
    )
    (folder / "people.csv").write_text(
        "\n".join([people_head, *(",".join(p) for p in people)]) + "\n", "utf-8"
    )
    head = "day,platform,person_id,action,feature,container,count"
    (folder / "activity.csv").write_text(
        "\n".join([head, *(",".join(map(str, a)) for a in activity)]) + "\n", "utf-8"
    )


def build(tmp_path: Path, store_url: str, *, extra: str = "") -> Kit:
    """The organisation collected into ``store_url``: connector ``wiki`` (Confluence export),
    ``chat`` (Mattermost export) and a ``log`` notifier file holding two messages."""
    _write(tmp_path / "wiki", PEOPLE, ACTIVITY)
    _write(tmp_path / "chat", CHAT_PEOPLE, CHAT_ACTIVITY)
    (tmp_path / "map.csv").write_text(
        f"platform,person_id,email\nmattermost,{CHAT_ACCOUNT},{EMAIL}\n", "utf-8"
    )
    config = tmp_path / "e20kit.toml"
    config.write_text(
        "[privacy]\nretention_days = 0\n\n[collect]\nlookback_days = 30\n\n"
        f'[identities]\nmap = "{tmp_path / "map.csv"}"\n\n'
        f'[connectors.wiki]\ntype = "csv"\npath = "{tmp_path / "wiki"}"\n\n'
        f'[connectors.chat]\ntype = "csv"\npath = "{tmp_path / "chat"}"\n\n'
        f'[notifiers.log]\ntype = "log"\npath = "{tmp_path / "sent.jsonl"}"\n' + extra,
        "utf-8",
    )
    kit = Kit.from_config(config, store_url=store_url)
    assert kit.collect(today=TODAY).ok
    kit.refresh()
    lines = [
        {"key": f"nudge:{member(kit, 's3@example.org')}", "member": member(kit, EMAIL)},
        {"key": f"nudge:{member(kit, 'c1@example.org')}", "member": member(kit, "c1@example.org")},
        {
            "key": "digest:b1",
            "member": member(kit, "b1@example.org"),
            "body": f"Newcomer {member(kit, EMAIL)[:8]} - since 2026-11-23 - stuck at: Edit a page",
        },
    ]
    (tmp_path / "sent.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    return kit


def member(kit: Kit, email: str) -> str:
    return kit.pseudonymiser.member_key(email=email, platform="", person_id="")


def text_mentions(kit: Kit, needles: list[str]) -> dict[str, int]:
    """Rows per table whose text columns contain one of ``needles``."""
    out: dict[str, int] = {}
    with kit.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            text = [
                c for c in table.c if isinstance(c.type, sa.String | sa.Text | sa.JSON | sa.Date)
            ]
            found = [sa.cast(c, sa.Text).contains(n) for c in text for n in needles]
            if found:
                where = sa.or_(*found)
                n = conn.execute(sa.select(sa.func.count()).select_from(table).where(where))
                if count := int(n.scalar_one()):
                    out[table.name] = count
    return out
