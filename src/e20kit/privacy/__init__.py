"""Privacy: pseudonymisation, minimum group sizes, and the works-council features (retention,
data inventory, data-subject requests, audit trail; see docs/privacy.md).

Every grouped figure that leaves e20kit goes through :func:`groups_to_hide` or
:func:`suppress_small_groups`.
"""

from __future__ import annotations

from .pseudonyms import Pseudonymiser
from .suppression import (
    COMPLEMENTARY,
    SUPPRESSED,
    fewer_than,
    groups_to_hide,
    suppress_small_groups,
)

__all__ = [
    "COMPLEMENTARY",
    "SUPPRESSED",
    "Pseudonymiser",
    "fewer_than",
    "groups_to_hide",
    "suppress_small_groups",
]
