"""English and German texts of the playbook: finding titles, evidence lines and remedies."""

from __future__ import annotations

from ..findings import Reason

LANGS = ("en", "de")

TITLES: dict[Reason, dict[str, str]] = {
    Reason.COMPLICATED: {
        "en": "The tools seem complicated or buggy",
        "de": "Die Werkzeuge wirken kompliziert oder fehlerhaft",
    },
    Reason.NO_TIME: {
        "en": "People have no time for the tools beside their projects",
        "de": "Neben den Projekten bleibt keine Zeit für die Werkzeuge",
    },
    Reason.TRAINING: {
        "en": "Too little training",
        "de": "Zu wenig Schulung",
    },
    Reason.UNCLEAR_BENEFIT: {
        "en": "The benefit is unclear",
        "de": "Der Nutzen ist unklar",
    },
    Reason.CLOSED_CULTURE: {
        "en": "Closed culture: leaders are not role models",
        "de": "Geschlossene Kultur: Führungskräfte sind keine Vorbilder",
    },
    Reason.DATA_GAP: {"en": "No data for this period", "de": "Keine Daten für diesen Zeitraum"},
}

REMEDIES: dict[Reason, dict[str, tuple[str, ...]]] = {
    Reason.COMPLICATED: {
        "en": (
            "Run a pilot with only a few features before rolling out more",
            "Track bugs and usability problems systematically and fix them visibly",
            "Offer a help line people can call or message",
        ),
        "de": (
            "Mit einem Pilotprojekt und wenigen Funktionen beginnen, bevor mehr ausgerollt wird",
            "Fehler und Bedienprobleme systematisch erfassen und sichtbar beheben",
            "Eine Hotline einrichten, die man anrufen oder anschreiben kann",
        ),
    },
    Reason.NO_TIME: {
        "en": (
            "Leaders free up working time for the tools",
            "Give people time to browse and read, not only to produce",
            "Make using the tools an explicit priority, not an extra",
        ),
        "de": (
            "Führungskräfte schaffen Arbeitszeit für die Werkzeuge",
            "Zeit zum Stöbern und Lesen geben, nicht nur zum Produzieren",
            "Die Nutzung ausdrücklich zur Priorität machen, nicht zur Zusatzaufgabe",
        ),
    },
    Reason.TRAINING: {
        "en": (
            "Hold short webcasts on the everyday tasks",
            "Publish quick guides and cheat sheets",
            "Record short how-to videos",
            "Offer face-to-face sessions for newcomers and teams",
        ),
        "de": (
            "Kurze Webcasts zu den alltäglichen Aufgaben anbieten",
            "Kurzanleitungen und Spickzettel veröffentlichen",
            "Kurze Anleitungsvideos aufnehmen",
            "Präsenzschulungen für neue Kolleginnen und Kollegen und für Teams anbieten",
        ),
    },
    Reason.UNCLEAR_BENEFIT: {
        "en": (
            "Hold information sessions on what the tools are for",
            "Tell success stories from colleagues",
            "Develop more concrete use cases with the departments",
        ),
        "de": (
            "Informationsveranstaltungen zum Zweck der Werkzeuge durchführen",
            "Erfolgsgeschichten von Kolleginnen und Kollegen erzählen",
            "Mit den Fachbereichen mehr konkrete Anwendungsfälle entwickeln",
        ),
    },
    Reason.CLOSED_CULTURE: {
        "en": (
            "Leaders use the tools visibly and act as role models",
            "Accompany the introduction with change management",
        ),
        "de": (
            "Führungskräfte nutzen die Werkzeuge sichtbar und sind Vorbilder",
            "Die Einführung mit Change-Management begleiten",
        ),
    },
    Reason.DATA_GAP: {
        "en": (
            "Run `e20kit collect` and read its warnings: a connector that brings no data says so",
            "Choose a period the collected data covers (`--period`), or widen "
            "`[collect] lookback_days` and collect again",
        ),
        "de": (
            "`e20kit collect` ausführen und die Warnungen lesen: ein Connector ohne Daten meldet "
            "das",
            "Einen Zeitraum wählen, den die gesammelten Daten abdecken (`--period`), oder "
            "`[collect] lookback_days` vergrößern und neu sammeln",
        ),
    },
}

OPEN_WEEKS = "headline.active_days_per_week.open"
"""The wording of active days a week counted over the weeks the organisation was open."""

EVIDENCE: dict[str, dict[str, str]] = {
    "newcomers.dropout_excess": {
        "en": "{dropout} of newcomers active in their first week were not seen in weeks 2-4, "
        "against {reference} of established members over three weeks: at least {value} more, "
        "allowing for chance "
        "(threshold {threshold})",
        "de": "{dropout} der in der ersten Woche aktiven neuen Mitglieder waren in den Wochen "
        "2-4 nicht mehr aktiv, gegenüber {reference} der langjährigen Mitglieder über drei "
        "Wochen: mindestens {value} mehr, den Zufall eingerechnet (Schwelle {threshold})",
    },
    "contrasts.feature_depth": {
        "en": "active members used {value} of the {features} features in use on average "
        "(threshold {threshold})",
        "de": "aktive Mitglieder nutzten im Schnitt {value} der {features} genutzten Funktionen "
        "(Schwelle {threshold})",
    },
    "headline.active_days_per_week": {
        "en": "members active in a week used the tools on {value} days of it on average "
        "(threshold {threshold})",
        "de": "in einer Woche aktive Mitglieder nutzten die Werkzeuge im Schnitt an {value} Tagen "
        "(Schwelle {threshold})",
    },
    OPEN_WEEKS: {
        "en": "members active in a week the organisation was open used the tools on {value} days "
        "of it on average (threshold {threshold})",
        "de": "in einer Woche, in der die Organisation geöffnet war, aktive Mitglieder nutzten die "
        "Werkzeuge im Schnitt an {value} Tagen (Schwelle {threshold})",
    },
    "weekly.collapse": {
        "en": "the quietest seven days in a row had at most {value} of a typical seven days' "
        "activity (active member-days), allowing for chance (threshold {threshold})",
        "de": "die ruhigsten sieben aufeinanderfolgenden Tage hatten höchstens {value} der "
        "Aktivität typischer sieben Tage (aktive Mitgliedstage), den Zufall eingerechnet "
        "(Schwelle {threshold})",
    },
    "onboarding.stall_share": {
        "en": "{value} of the members who reached onboarding step {step} got stuck there "
        "(threshold {threshold})",
        "de": "{value} der Mitglieder, die den Onboarding-Schritt {step} erreichten, blieben "
        "dort stehen (Schwelle {threshold})",
    },
    "newcomers.creator_ratio": {
        "en": "{stayed} of newcomers who stayed past their first week contributed, against "
        "{reference} of established members: at most {value} of their rate, allowing for chance "
        "(threshold {threshold})",
        "de": "{stayed} der neuen Mitglieder, die über die erste Woche hinaus blieben, haben "
        "beigetragen, gegenüber {reference} der langjährigen Mitglieder: höchstens {value} "
        "ihrer Quote, den Zufall eingerechnet "
        "(Schwelle {threshold})",
    },
    "established.creator_share": {
        "en": "at most {value} of established members created, edited or replied, allowing for "
        "chance, and {reference} of newcomers who stayed: few contribute at any tenure "
        "(threshold {threshold})",
        "de": "höchstens {value} der langjährigen Mitglieder haben erstellt, bearbeitet oder "
        "geantwortet, den Zufall eingerechnet, und {reference} der gebliebenen neuen "
        "Mitglieder: wenige tragen bei, gleich wie lange sie dabei sind (Schwelle {threshold})",
    },
    "headline.top10_share": {
        "en": "the top 10 % of members made {value} of all contributions (threshold {threshold})",
        "de": "die obersten 10 % der Mitglieder leisteten {value} aller Beiträge "
        "(Schwelle {threshold})",
    },
    "leaders.participation_ratio": {
        "en": "leaders took part at most {value} as often as staff, allowing for chance in a "
        "group this size (threshold {threshold})",
        "de": "Führungskräfte beteiligten sich höchstens {value} so häufig wie die übrigen "
        "Mitglieder, den Zufall in einer Gruppe dieser Größe eingerechnet (Schwelle {threshold})",
    },
    "leaders.creator_ratio": {
        "en": "leaders contributed at most {value} as often as staff, allowing for chance in a "
        "group this size (threshold {threshold})",
        "de": "Führungskräfte trugen höchstens {value} so häufig bei wie die übrigen Mitglieder, "
        "den Zufall in einer Gruppe dieser Größe eingerechnet (Schwelle {threshold})",
    },
    "headline.helping_share": {
        "en": "at most {value} of contributions replied to or commented on others' content, "
        "allowing for chance among {creators} contributors (threshold {threshold})",
        "de": "höchstens {value} der Beiträge waren Antworten oder Kommentare zu Inhalten "
        "anderer, den Zufall unter {creators} Beitragenden eingerechnet (Schwelle {threshold})",
    },
}

RULED_OUT: dict[Reason, dict[str, str]] = {
    Reason.COMPLICATED: {
        "en": "newcomers dropped out after their first week no more often than established "
        "members lapsed ({value} against {reference}): the tools do not put newcomers off",
        "de": "neue Mitglieder brachen nach der ersten Woche nicht häufiger ab, als langjährige "
        "pausierten ({value} gegenüber {reference}): die Werkzeuge schrecken neue Mitglieder "
        "nicht ab",
    },
    Reason.NO_TIME: {
        "en": "members active in a week came on {value} days of it, and no week collapsed: "
        "time is not what is missing",
        "de": "in einer Woche aktive Mitglieder kamen an {value} Tagen, und keine Woche brach "
        "ein: an Zeit fehlt es nicht",
    },
    Reason.TRAINING: {
        "en": "newcomers who stayed contributed about as often as established members "
        "({value} against {reference}): not a training gap",
        "de": "gebliebene neue Mitglieder trugen etwa so oft bei wie langjährige ({value} "
        "gegenüber {reference}): keine Schulungslücke",
    },
    Reason.UNCLEAR_BENEFIT: {
        "en": "{value} of established members contributed (newcomers who stayed: {reference}): "
        "the benefit is seen",
        "de": "{value} der langjährigen Mitglieder trugen bei (gebliebene neue Mitglieder: "
        "{reference}): der Nutzen wird gesehen",
    },
    Reason.CLOSED_CULTURE: {
        "en": "leaders took part {value} as often as staff: they are visible on the tools",
        "de": "Führungskräfte beteiligten sich {value} so häufig wie die übrigen Mitglieder: "
        "sie sind auf den Werkzeugen sichtbar",
    },
}
"""Per reason, the sentence that rules it out (the reason's deciding contrast is healthy)."""

UNDECIDED: dict[frozenset[Reason], dict[str, str]] = {
    frozenset({Reason.UNCLEAR_BENEFIT, Reason.TRAINING}): {
        "en": "Unclear benefit or too little training: the usage data cannot tell; a survey can",
        "de": "Unklarer Nutzen oder zu wenig Schulung: die Nutzungsdaten können das nicht "
        "unterscheiden, eine Befragung kann es",
    },
}
"""Titles of the findings that name two reasons the usage data cannot tell apart."""

UNDECIDED_DETAIL = {
    "en": "Newcomers who stayed contribute clearly less often than established members, but "
    "how often the established members themselves contribute is too close to what healthy "
    "organisations show to tell a training gap from a benefit nobody sees; ask the members why "
    "they do not contribute (a short survey with the stated reasons) before choosing remedies",
    "de": "Gebliebene neue Mitglieder tragen deutlich seltener bei als langjährige, doch wie "
    "oft die langjährigen selbst beitragen, liegt zu nah an dem, was gesunde Organisationen "
    "zeigen, um eine Schulungslücke von einem nicht gesehenen Nutzen zu unterscheiden; vor der "
    "Wahl der Maßnahmen die Mitglieder fragen, warum sie nicht beitragen (eine kurze Befragung "
    "nach den genannten Gründen)",
}

WHY_NOT = {"en": "Why not another reason", "de": "Warum kein anderer Grund"}

TREND = {
    "en": "change against the previous period: {change}",
    "de": "Veränderung zur Vorperiode: {change}",
}


_GERMAN_DIGITS = str.maketrans({",": ".", ".": ","})


def localise(number: str, lang: str) -> str:
    """A formatted number with German punctuation (``1.234,5``) for ``de``; else unchanged."""
    return number.translate(_GERMAN_DIGITS) if lang == "de" else number


def lang_of(lang: str) -> str:
    """``lang`` when e20kit has texts in it, else English."""
    return lang if lang in LANGS else "en"


__all__ = [
    "EVIDENCE",
    "LANGS",
    "OPEN_WEEKS",
    "REMEDIES",
    "RULED_OUT",
    "TITLES",
    "TREND",
    "UNDECIDED",
    "UNDECIDED_DETAIL",
    "WHY_NOT",
    "lang_of",
    "localise",
]
