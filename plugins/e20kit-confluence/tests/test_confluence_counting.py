"""Content and versions to daily counts, on recorded Confluence Server payloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from e20kit_confluence.counting import Tally, all_versions, needs_versions, tally_content
from e20kit_confluence.payloads import Content

from e20kit import Action, Feature
from e20kit.testing import shared_path


def _recorded(name: str) -> Any:
    path = shared_path("data", "perceval-recorded-payloads", "confluence", name)
    return json.loads(path.read_text(encoding="utf-8"))


def _content(name: str, **override: Any) -> Content:
    body = _recorded(name)
    body.setdefault("space", {"key": "TEST"})
    body.update(override)
    return Content.model_validate(body)


def test_a_recorded_page_counts_its_creation_and_each_later_version() -> None:
    page = _content("confluence_content_3.json")  # version 3, created 2019, edited 2021
    assert needs_versions(page)
    tally = Tally()
    versions = all_versions(
        [
            (3, "smith-key", dt.datetime(2021, 1, 12, 15, 46, tzinfo=dt.UTC)),
            (2, "other-key", dt.datetime(2021, 1, 11, 9, 0, tzinfo=dt.UTC)),
            (1, "a80255c66b579d45016b9b47dbf20051", dt.datetime(2019, 7, 26, tzinfo=dt.UTC)),
            (2, "other-key", dt.datetime(2021, 1, 11, 9, 0, tzinfo=dt.UTC)),  # repeated
        ]
    )
    tally_content(tally, page, versions, first=dt.date(2019, 1, 1))
    assert dict(tally.counts) == {
        (
            dt.date(2019, 7, 26),
            "a80255c66b579d45016b9b47dbf20051",
            Action.CREATE,
            Feature.WIKI,
            "TEST",
        ): 1,
        (dt.date(2021, 1, 11), "other-key", Action.EDIT, Feature.WIKI, "TEST"): 1,
        (dt.date(2021, 1, 12), "smith-key", Action.EDIT, Feature.WIKI, "TEST"): 1,
    }


def test_days_before_the_first_recollected_day_are_left_alone() -> None:
    page = _content("confluence_content_3.json")
    tally = Tally()
    versions = [(2, "editor", dt.datetime(2021, 1, 12, tzinfo=dt.UTC))]
    tally_content(tally, page, versions, first=dt.date(2020, 1, 1))
    assert list(tally.counts) == [
        (dt.date(2021, 1, 12), "editor", Action.EDIT, Feature.WIKI, "TEST")
    ]


def test_historical_content_is_skipped_and_version_one_needs_no_listing() -> None:
    old = _content("confluence_content_1_v1.json")  # status historical, version 1
    assert not needs_versions(old)
    tally = Tally()
    tally_content(tally, old, None, first=dt.date(2000, 1, 1))
    assert tally.skipped == 1 and not tally.counts


def test_attachments_and_anonymous_authors_count_for_nobody() -> None:
    tally = Tally()
    attachment = _content("confluence_content_att_v1.json")
    tally_content(tally, attachment, None, first=dt.date(2000, 1, 1))
    anonymous = _content("confluence_content_att_v1.json", type="comment")
    tally_content(tally, anonymous, None, first=dt.date(2000, 1, 1))
    assert not tally.counts and tally.skipped == 0


def test_a_comment_counts_as_discussion_for_its_creator() -> None:
    comment = _content("confluence_content_3.json", type="comment")
    tally = Tally()
    tally_content(tally, comment, None, first=dt.date(2019, 1, 1))
    assert list(tally.counts.items()) == [
        (
            (
                dt.date(2019, 7, 26),
                "a80255c66b579d45016b9b47dbf20051",
                Action.COMMENT,
                Feature.DISCUSSION,
                "TEST",
            ),
            1,
        )
    ]


def test_a_comment_on_ones_own_page_is_a_reply_on_someone_elses_a_comment() -> None:
    recorded = _recorded("confluence_content_3.json")
    author = recorded["history"]["createdBy"]
    other = {**author, "userKey": "someone-else", "username": "someone"}

    def on_page_by(creator: dict[str, Any]) -> Content:
        page = {"id": "1", "type": "page", "history": {**recorded["history"], "createdBy": creator}}
        return _content("confluence_content_3.json", type="comment", container=page)

    actions = {}
    for name, creator in (("own", author), ("other", other)):
        tally = Tally()
        tally_content(tally, on_page_by(creator), None, first=dt.date(2019, 1, 1))
        actions[name] = [key[2] for key in tally.counts]
    assert actions == {"own": [Action.REPLY], "other": [Action.COMMENT]}
