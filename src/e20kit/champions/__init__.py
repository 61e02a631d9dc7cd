"""The champion programme: scoring, nomination, roster, buddies, invitations and digests.

Use it through ``kit.champions`` (``kit.champions.scores()``, ``.nominate()``...); the types its
methods return are re-exported here. See docs/champions.md.
"""

from .buddies import BuddyPair, PairingResult
from .nominate import DepartmentCoverage, Nomination, NominationResult
from .outreach import OutreachResult
from .roster import ChampionError, RosterEntry, RosterState, StateChange
from .scoring import ChampionScore, ScoringContext, SignalPart
from .settings import ChampionsSettings, SignalWeights

__all__ = [
    "BuddyPair",
    "ChampionError",
    "ChampionScore",
    "ChampionsSettings",
    "DepartmentCoverage",
    "Nomination",
    "NominationResult",
    "OutreachResult",
    "PairingResult",
    "RosterEntry",
    "RosterState",
    "ScoringContext",
    "SignalPart",
    "SignalWeights",
    "StateChange",
]
