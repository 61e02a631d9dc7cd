"""Files e20kit wrote that may name an erased person, and what ``forget`` does with them.

The store is not the only copy: the ``log`` notifier appends every message (with the
recipient's member key) to a JSON-lines file, and reports, subject exports and roster CSV files
are written where the operator said (the audit trail records where). ``forget`` rewrites the
notifier files without the person's lines; every other file that mentions one of the person's
identifiers is listed to be deleted or edited by hand (e20kit does not delete what it cannot
tell is only the person's, and a report someone already forwarded is beyond its reach).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..config import Config
from ..store import schema
from .needles import identifier_pattern


@dataclass(frozen=True)
class FileSweep:
    rewritten: dict[str, int]
    """Notifier files rewritten without the person: path -> lines removed."""
    by_hand: tuple[str, ...]
    """Other files that mention the person: delete or edit them by hand."""

    def as_dict(self) -> dict[str, object]:
        return {"rewritten": self.rewritten, "delete_by_hand": list(self.by_hand)}


def notifier_files(config: Config) -> list[Path]:
    """The JSON-lines files of the configured ``log`` notifiers."""
    out = []
    for raw in config.settings.notifiers.values():
        path = raw.get("path")
        if str(raw.get("type", "")) == "log" and path:
            out.append(Path(str(path)).expanduser())
    return out


def written_files(conn: sa.Connection, config: Config) -> list[Path]:
    """Every file e20kit recorded writing (audit targets) and the identity-map file."""
    log = schema.audit_log
    targets = conn.execute(sa.select(log.c.target).where(log.c.target.is_not(None))).scalars()
    paths = {Path(t) for t in targets if t and t != "stdout" and "://" not in t}
    identity_map = config.settings.identities.map
    if identity_map is not None:
        base = config.path.parent if config.path else Path.cwd()
        paths.add(identity_map if identity_map.is_absolute() else base / identity_map)
    return sorted(paths)


def _mentions(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text) is not None


def _rewrite(path: Path, pattern: re.Pattern[str]) -> int:
    """Drop the lines of ``path`` that mention the person; returns how many went."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not _mentions(line, pattern)]
    if len(kept) == len(lines):
        return 0
    tmp = path.with_name(path.name + ".e20kit-tmp")
    tmp.write_text("".join(kept), "utf-8")
    os.replace(tmp, path)
    return len(lines) - len(kept)


def _is_log_line(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def sweep(
    conn: sa.Connection,
    config: Config,
    needles: set[str],
    *,
    dry_run: bool = False,
) -> FileSweep:
    """Rewrite the notifier files and list the other files that mention the person.

    ``needles`` are the identifiers (member keys, account ids, addresses, personal spaces);
    read before the audit trail's free text is redacted, which is where the paths come from."""
    rewritten: dict[str, int] = {}
    pattern = identifier_pattern(needles)
    if pattern is None:
        return FileSweep({}, ())
    notifiers = {p.resolve() for p in notifier_files(config)}
    for path in sorted(notifiers):
        if path.is_file():
            lines = path.read_text("utf-8").splitlines()
            hits = sum(1 for line in lines if _is_log_line(line) and _mentions(line, pattern))
            if hits:
                rewritten[str(path)] = hits if dry_run else _rewrite(path, pattern)
    by_hand = []
    for path in written_files(conn, config):
        if path.resolve() in notifiers:
            continue
        named = _mentions(str(path), pattern)
        if named or (path.is_file() and _readable_mentions(path, pattern)):
            by_hand.append(str(path))
    return FileSweep(rewritten, tuple(by_hand))


def _readable_mentions(path: Path, pattern: re.Pattern[str]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    text = data.decode("utf-8", errors="ignore")
    return _mentions(text, pattern)


__all__ = ["FileSweep", "notifier_files", "sweep", "written_files"]
