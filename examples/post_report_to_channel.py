"""Post this week's Markdown adoption report to a Mattermost channel.

    export MATTERMOST_URL=https://chat.example.org MATTERMOST_TOKEN=...   # a bot's token
    python examples/post_report_to_channel.py /etc/e20kit.toml CHANNEL_ID

The report holds only aggregated, k-suppressed figures (no names, no member keys), so it is fit
for a channel. The HTTP session is e20kit's own: timeouts, retries on 429/5xx, the token redacted
from every error and log line.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from e20kit import E20KitError, Kit, make_session, raise_for_status

MAX_MESSAGE = 16_383
"""Mattermost's limit on a post's message length."""


def post_markdown(url: str, token: str, channel_id: str, text: str) -> str:
    """Post ``text`` to the channel; returns the new post's id."""
    session = make_session("report-poster", base_url=url, secrets=(token,))
    session.headers["Authorization"] = f"Bearer {token}"
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 40].rsplit("\n", 1)[0] + "\n\n… (full report on the wiki)"
    response = session.post("/api/v4/posts", json={"channel_id": channel_id, "message": text})
    raise_for_status(response, connector="report-poster")
    return str(response.json()["id"])


def main(argv: list[str]) -> int:
    config, channel_id = Path(argv[0]), argv[1]
    try:
        url, token = os.environ["MATTERMOST_URL"], os.environ["MATTERMOST_TOKEN"]
    except KeyError as err:
        print(f"set {err.args[0]}", file=sys.stderr)
        return 2
    try:
        with Kit.from_config(config) as kit, tempfile.TemporaryDirectory() as tmp:
            written = kit.report("md", Path(tmp) / "report.md", period="last-7d")
            assert isinstance(written, Path)
            post_id = post_markdown(url, token, channel_id, written.read_text(encoding="utf-8"))
    except E20KitError as err:
        print(f"e20kit: {err}", file=sys.stderr)
        return err.exit_code
    print(f"posted {post_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
