"""``Fake``: what every plugin's loopback fake shares, so each one only says how it stops."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Fake:
    """Base class of a plugin's fake: ``with MyFake.from_org(org) as fake: ...`` stops it."""

    def stop(self) -> None:
        """Stop every server the fake started; subclasses say how."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["Fake"]
