"""Run a pulse survey wave from cron: invite once, remind when due, read the answers back.

    export E20KIT_PSEUDONYM_SECRET=... LIMESURVEY_PASSWORD=...
    python examples/pulse_survey.py /etc/e20kit.toml 2026-12      # e.g. daily at 10:00

The first run opens the wave in the configured survey source (an anonymised LimeSurvey survey,
docs/connectors/limesurvey.md) and invites everyone through `[survey.invitations] notifier`;
later runs send the reminders that are due (`remind_after_days`, at most `max_reminders`) and
import the answers so far. Nobody is messaged twice, also after a crash, and quiet hours hold
everything back to the next run. What it prints holds counts and published scores only.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from e20kit import E20KitError, Kit


def run_wave(kit: Kit, wave_id: str, *, now: dt.datetime | None = None) -> list[str]:
    """One run of the wave: invitations (first run) or reminders, then the answers so far."""
    with kit.lock("survey"):
        sent = kit.survey.send(wave_id, now=now)
        if sent.survey_ref is not None and not sent.outcomes and not sent.deferred:
            sent = kit.survey.send(wave_id, remind=True, now=now)
        lines = [
            f"{wave_id}: {sent.count('sent')} messages sent"
            + (f" ({sent.deferred}: {sent.held} held)" if sent.deferred else "")
        ]
        if sent.survey_ref is not None:
            stored = kit.survey.collect(wave_id)
            lines.append(f"{wave_id}: {stored.added} new answers, {stored.already} read before")
    return lines


def main(argv: list[str]) -> int:
    config, wave_id = Path(argv[0]), argv[1]
    try:
        with Kit.from_config(config) as kit:
            for line in run_wave(kit, wave_id):
                print(line)
    except E20KitError as err:  # one line, never a traceback (and never a secret)
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
