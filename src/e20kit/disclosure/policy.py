"""The rules the disclosure layer enforces: k, the dominance share, and the testing switch."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError

PRODUCTION_K = 5
"""The smallest k accepted without ``[privacy] testing_small_groups``."""

TESTING_NOTE = {
    "en": "TESTING ONLY: groups of {k} (fewer than {min}) are published because "
    "[privacy] testing_small_groups is on. Never use this setting on employee data.",
    "de": "NUR ZUM TESTEN: Gruppen ab {k} (weniger als {min}) werden veröffentlicht, weil "
    "[privacy] testing_small_groups eingeschaltet ist. Nie mit Beschäftigtendaten verwenden.",
}


@dataclass(frozen=True)
class DisclosurePolicy:
    """``k``: the smallest group any figure describes; ``dominance``: the largest share of a
    total one member may hold before the total is hidden; ``testing``: allows ``k`` below
    :data:`PRODUCTION_K` (for public test data only, and every output says so)."""

    k: int = PRODUCTION_K
    dominance: float = 0.5
    testing: bool = False

    def __post_init__(self) -> None:
        if self.k < 2:
            raise ConfigError(f"[privacy] min_group_size must be at least 2, not {self.k}")
        if self.k < PRODUCTION_K and not self.testing:
            raise ConfigError(
                f"[privacy] min_group_size = {self.k} is below {PRODUCTION_K}: refused for "
                "employee data (set [privacy] testing_small_groups = true only for public "
                "test data)",
                key="privacy.min_group_size",
            )
        if not 0 < self.dominance <= 1:
            raise ConfigError(
                f"[privacy] dominance_share must be above 0 and at most 1, not {self.dominance}",
                key="privacy.dominance_share",
            )

    @property
    def small_k(self) -> bool:
        """A k below :data:`PRODUCTION_K` is in force (testing only)."""
        return self.k < PRODUCTION_K

    def testing_note(self, lang: str = "en") -> str | None:
        """The line every report and the inventory open with while a small k is in force."""
        if not self.small_k:
            return None
        return TESTING_NOTE.get(lang, TESTING_NOTE["en"]).format(k=self.k, min=PRODUCTION_K)

    def describe(self) -> str:
        """One line naming the method and its parameters (``Metrics.disclosure``)."""
        return f"cell-key k={self.k} dominance={self.dominance:g}" + (
            " testing" if self.small_k else ""
        )


__all__ = ["PRODUCTION_K", "TESTING_NOTE", "DisclosurePolicy"]
