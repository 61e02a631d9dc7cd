"""The slice of CQL the fake understands: what the connector sends, and nothing more.

``type in (page,blogpost,comment) and lastmodified >= "2026-10-01 00:00" and space in ("A","B")
order by lastmodified asc``; ``=``, ``>``, ``>=`` and ``in`` on ``type``, ``space`` and
``lastmodified``. Anything else is a 400, as a real site answers a query it cannot parse.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .state import Content

_CLAUSE = re.compile(
    r"^\s*(?P<field>type|space|lastmodified|lastModified)\s*(?P<op>>=|<=|=|>|<|in)\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_ORDER = re.compile(r"\s+order\s+by\s+lastmodified(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


class CqlError(ValueError):
    pass


def _values(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1]
    return [v.strip().strip('"').strip("'") for v in raw.split(",") if v.strip()]


def _minute(raw: str) -> int:
    text = raw.strip().strip('"').strip("'")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            at = dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        return int(at.timestamp() * 1000)
    raise CqlError(f"cannot parse date {text!r}")


@dataclass
class Query:
    types: set[str] | None = None
    spaces: set[str] | None = None
    bounds: list[tuple[str, int]] = field(default_factory=list)
    descending: bool = False

    def matches(self, item: Content) -> bool:
        if self.types is not None and item.type not in self.types:
            return False
        if self.spaces is not None and item.space not in self.spaces:
            return False
        at = item.modified_at
        for op, ms in self.bounds:
            if (op == ">=" and at < ms) or (op == ">" and at < ms + 60_000):
                return False
            if (op == "<" and at >= ms) or (op == "<=" and at >= ms + 60_000):
                return False
        return True


def parse(cql: str) -> Query:
    query = Query()
    order = _ORDER.search(cql)
    if order:
        query.descending = (order.group(1) or "asc").lower() == "desc"
        cql = cql[: order.start()]
    for part in re.split(r"\s+and\s+", cql.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(part)
        if not match:
            raise CqlError(f"Could not parse cql : {part}")
        name, op, value = match["field"].lower(), match["op"].lower(), match["value"]
        if name == "lastmodified":
            if op == "in":
                raise CqlError("Could not parse cql : lastmodified in")
            query.bounds.append((op, _minute(value)))
        elif op not in ("=", "in"):
            raise CqlError(f"Could not parse cql : {name} {op}")
        elif name == "type":
            query.types = set(_values(value))
        else:
            query.spaces = set(_values(value))
    return query


__all__ = ["CqlError", "Query", "parse"]
