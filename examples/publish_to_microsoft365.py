"""Publish this week's adoption report where Microsoft 365 users read it: a SharePoint page
(created once, updated in place every week), then a card in a Teams channel that links to it.

    export E20KIT_TEAMS_WEBHOOK='https://...'   # the channel's Workflows webhook URL (a secret)
    python examples/publish_to_microsoft365.py /etc/e20kit.toml contoso.sharepoint.com:/sites/hr

The config's ``[connectors.*]`` table of type ``sharepoint`` lends the page its app registration
(Sites.ReadWrite.All, or Sites.Selected with write on the site). Both show only what the report
renders: figures through the disclosure rules, no names. The card goes out once per week's
report; running the script again the same day updates nothing and posts nothing twice.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from e20kit import E20KitError, Kit

TITLE = "Adoption report"
WEBHOOK_ENV = "E20KIT_TEAMS_WEBHOOK"


def main(argv: list[str]) -> int:
    config, site = Path(argv[0]), argv[1]
    targets = [f"sharepoint:{site}/{TITLE}", f"teams:{WEBHOOK_ENV}"]
    try:
        with Kit.from_config(config) as kit, tempfile.TemporaryDirectory() as tmp:
            # built once: the file, the page and the card show the same sections
            built = kit.prepare_report("last-7d")
            written = kit.report(
                "md",
                Path(tmp) / "report.md",
                metrics=built.metrics,
                findings=built.findings,
                sections=built.sections,
            )
            assert isinstance(written, Path)
            done = kit.publish_all(
                targets,
                written.read_text(encoding="utf-8"),
                metrics=built.metrics,
                findings=built.findings,
                sections=built.sections,
                requester="weekly job",
            )
    except E20KitError as err:
        print(f"e20kit: {err}", file=sys.stderr)
        return err.exit_code
    for target, published in done:
        print(f"{target}: {published.action} {published.location}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
