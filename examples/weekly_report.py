"""A weekly cron job: collect, diagnose, write the HTML and Markdown reports.

    E20KIT_PSEUDONYM_SECRET=... python examples/weekly_report.py /etc/e20kit.toml /srv/reports

To try it without real servers, run ``e20kit sandbox --out sandbox`` in another shell, then
``. sandbox/sandbox.env && python examples/weekly_report.py sandbox/e20kit.toml reports``.

Exit code 0 when everything worked, 6 when a platform failed (the others were collected), and
the code of any e20kit error otherwise, so cron mails only what needs a look.
"""

from __future__ import annotations

import sys
from pathlib import Path

from e20kit import E20KitError, Kit


def main(argv: list[str]) -> int:
    config, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    try:
        with Kit.from_config(config) as kit, kit.lock("weekly-report"):
            collected = kit.collect()
            for run in collected.failed:
                print(f"{run.name} failed: {run.error}", file=sys.stderr)
            findings = kit.diagnose(lang="en")
            kit.report("html", out / "adoption.html")
            kit.report("md", out / "adoption.md")
    except E20KitError as err:
        print(f"e20kit: {err}", file=sys.stderr)
        return err.exit_code
    for finding in findings:
        print(f"[{finding.severity}] {finding.title}")
        for remedy in finding.remedies:
            print(f"    - {remedy}")
    return 0 if collected.ok else 6


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
