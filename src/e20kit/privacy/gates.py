"""Decisions of the agreement that a feature needs before it runs (``[privacy]`` switches)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..config import Config


def require_setting(config: Config, name: str, what: str) -> None:
    """Refuse ``what`` unless ``[privacy] name = true`` (an explicit decision, default off)."""
    if not getattr(config.settings.privacy, name):
        raise ConfigError(
            f"config error in {config.where}: {what} needs privacy.{name} = true "
            "(off by default: an explicit decision of the agreement, see docs/privacy.md)",
            file=config.where,
            key=f"privacy.{name}",
        )


__all__ = ["require_setting"]
