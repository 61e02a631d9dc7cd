"""English and German texts of stated beside observed: what people say next to what usage shows."""

from __future__ import annotations

from ..findings import Reason

SAY: dict[Reason, dict[str, str]] = {
    Reason.COMPLICATED: {"en": "the tools are complicated", "de": "die Werkzeuge kompliziert sind"},
    Reason.NO_TIME: {"en": "they have no time", "de": "ihnen die Zeit fehlt"},
    Reason.TRAINING: {"en": "they lack training", "de": "ihnen Schulung fehlt"},
    Reason.UNCLEAR_BENEFIT: {"en": "the benefit is unclear", "de": "der Nutzen unklar ist"},
    Reason.CLOSED_CULTURE: {
        "en": "posting openly feels risky",
        "de": "offenes Schreiben riskant wirkt",
    },
}
"""What agreeing with each statement says, as the end of "staff say ..."."""

NAMES: dict[Reason, dict[str, str]] = {
    Reason.COMPLICATED: {"en": "complicated tools", "de": "komplizierte Werkzeuge"},
    Reason.NO_TIME: {"en": "no time", "de": "keine Zeit"},
    Reason.TRAINING: {"en": "too little training", "de": "zu wenig Schulung"},
    Reason.UNCLEAR_BENEFIT: {"en": "unclear benefit", "de": "unklarer Nutzen"},
    Reason.CLOSED_CULTURE: {"en": "closed culture", "de": "geschlossene Kultur"},
}
"""Short names of the reasons, for tables and comparisons."""

USE_SHOWS_NOT: dict[Reason, dict[str, str]] = {
    Reason.COMPLICATED: {
        "en": "their use shows the tools do not put newcomers off",
        "de": "ihre Nutzung zeigt, dass die Werkzeuge neue Mitglieder nicht abschrecken",
    },
    Reason.NO_TIME: {
        "en": "their use shows time is not what is missing",
        "de": "ihre Nutzung zeigt, dass nicht die Zeit fehlt",
    },
    Reason.TRAINING: {
        "en": "their use shows newcomers contribute like established members",
        "de": "ihre Nutzung zeigt, dass neue Mitglieder wie langjährige beitragen",
    },
    Reason.UNCLEAR_BENEFIT: {
        "en": "their use shows enough people contribute",
        "de": "ihre Nutzung zeigt, dass genug Menschen beitragen",
    },
    Reason.CLOSED_CULTURE: {
        "en": "their use shows leaders take part as much as staff",
        "de": "ihre Nutzung zeigt, dass Führungskräfte wie alle anderen mitmachen",
    },
}
"""The second half of a disagreement, where the usage contrast rules the stated reason out."""

ROLE = {
    "staff": {"en": "staff", "de": "Mitarbeitende"},
    "leader": {"en": "leaders", "de": "Führungskräfte"},
}

ROLE_OF = {
    "staff": {"en": "staff", "de": "Mitarbeitenden"},
    "leader": {"en": "leaders", "de": "Führungskräfte"},
}
"""The role after "of" ("62 % der Mitarbeitenden")."""

STATED_NOT_SEEN = {
    "en": "{Role} say {say}; {shows}",
    "de": "{Role} sagen, dass {say}; {shows}",
}
"""Title of a disagreement finding."""
STATED_UNSEEN = {
    "en": "{Role} say {say}; the usage data cannot show whether it is so",
    "de": "{Role} sagen, dass {say}; die Nutzungsdaten können das weder zeigen noch widerlegen",
}
"""Title where people name a reason whose usage contrast cannot be judged."""

SHARE = {
    "en": "{share} of {role} agree that {say} ({n} answered)",
    "de": "{share} der {role} stimmen zu, dass {say} ({n} Antworten)",
}
SHARE_AGAINST = {
    "en": "{share} that {say} ({n} answered)",
    "de": "{share}, dass {say} ({n} Antworten)",
}
"""The second figure of a comparison ("..., against 22% that they lack training")."""
SHARE_BARE = {
    "en": "{role} were asked whether {say}",
    "de": "{role} wurden gefragt, ob {say}",
}
"""A stated figure the survey results withheld (too few respondents): named, not quoted."""

AGREES = {"en": "The survey agrees: {share}", "de": "Die Befragung bestätigt das: {share}"}
NOT_NAMED = {
    "en": "The survey does not: {share}",
    "de": "Die Befragung bestätigt das nicht: {share}",
}
OUTWEIGHED = {
    "en": "The survey names another reason: {first}, against {second}",
    "de": "Die Befragung nennt einen anderen Grund: {first}, dagegen {second}",
}
DECIDES = {
    "en": "The survey decides: {first}, against {second}",
    "de": "Die Befragung entscheidet: {first}, dagegen {second}",
}
NOT_DECIDED = {
    "en": "The survey does not tell them apart either: {first}, {second}",
    "de": "Auch die Befragung trennt sie nicht: {first}, {second}",
}
REREAD = {
    "en": "The usage data show a symptom {neighbour} shares ({usage}); the survey names the "
    "reason: {first}, against {second}",
    "de": "Die Nutzungsdaten zeigen ein Anzeichen, das auch {neighbour} hat ({usage}); die "
    "Befragung nennt den Grund: {first}, dagegen {second}",
}
LEADERS_DIFFER = {
    "en": "Leaders and staff give different reasons: leaders name {leaders}, staff {staff}",
    "de": "Führungskräfte und Mitarbeitende nennen verschiedene Gründe: Führungskräfte "
    "{leaders}, Mitarbeitende {staff}",
}
LEADERS_DIFFER_DETAIL = {
    "en": "Leaders: {leaders}. Staff: {staff}. Talk about the difference before choosing "
    "remedies: what leaders see about their teams is not what their teams say",
    "de": "Führungskräfte: {leaders}. Mitarbeitende: {staff}. Vor der Wahl der Maßnahmen über "
    "den Unterschied sprechen: was Führungskräfte bei ihren Teams sehen, ist nicht, was die "
    "Teams sagen",
}

RESTS_ON: dict[tuple[str, ...], dict[str, str]] = {
    ("usage",): {"en": "usage data", "de": "Nutzungsdaten"},
    ("survey",): {"en": "survey", "de": "Befragung"},
    ("usage", "survey"): {"en": "usage data and survey", "de": "Nutzungsdaten und Befragung"},
}
"""How the report names the evidence a finding rests on (:attr:`Finding.rests_on`)."""

__all__ = [
    "AGREES",
    "DECIDES",
    "LEADERS_DIFFER",
    "LEADERS_DIFFER_DETAIL",
    "NAMES",
    "NOT_DECIDED",
    "NOT_NAMED",
    "OUTWEIGHED",
    "REREAD",
    "RESTS_ON",
    "ROLE",
    "ROLE_OF",
    "SAY",
    "SHARE",
    "SHARE_AGAINST",
    "SHARE_BARE",
    "STATED_NOT_SEEN",
    "STATED_UNSEEN",
    "USE_SHOWS_NOT",
]
