"""The invitation and reminder to a survey wave, in English and German.

Reminders go to everyone invited who has not had the last one: the survey is anonymous, so
nobody (e20kit included) knows who has answered, and the reminder says so.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBJECTS = {
    ("en", False): "{organisation}: two minutes on our collaboration tools",
    ("de", False): "{organisation}: zwei Minuten zu unseren Kollaborationswerkzeugen",
    ("en", True): "Reminder from {organisation}: two minutes on our collaboration tools",
    ("de", True): "Erinnerung von {organisation}: zwei Minuten zu unseren Kollaborationswerkzeugen",
}
ABOUT = {
    ("en", "staff"): "what makes our collaboration tools easy or hard to use for you",
    ("de", "staff"): "was Ihnen die Arbeit mit unseren Kollaborationswerkzeugen leicht oder "
    "schwer macht",
    ("en", "leader"): "what makes our collaboration tools easy or hard to use for your team",
    ("de", "leader"): "was Ihrem Team die Arbeit mit unseren Kollaborationswerkzeugen leicht "
    "oder schwer macht",
}
BODY = {
    "en": (
        "Hello,\n\n{organisation} would like to know {about}. Five short statements, about two "
        "minutes:\n\n{link}\n\nThe survey is anonymous: it runs in {tool}, which keeps no link "
        "from an answer to a person, and results are shown only for groups of at least {k} "
        "people. It is open until {closes}.{reminder}\n"
    ),
    "de": (
        "Guten Tag,\n\n{organisation} möchte wissen, {about}. Fünf kurze Aussagen, etwa zwei "
        "Minuten:\n\n{link}\n\nDie Befragung ist anonym: Sie läuft in {tool}, das keine "
        "Verbindung zwischen Antwort und Person speichert, und Ergebnisse werden nur für Gruppen "
        "von mindestens {k} Personen gezeigt. Sie ist bis {closes} geöffnet.{reminder}\n"
    ),
}
REMINDER = {
    "en": "\n\nIf you have already answered: thank you, and please ignore this reminder. We "
    "cannot tell who answered, so everyone invited gets it.",
    "de": "\n\nFalls Sie schon geantwortet haben: vielen Dank, bitte ignorieren Sie diese "
    "Erinnerung. Wir können nicht sehen, wer geantwortet hat, deshalb erhalten sie alle "
    "Eingeladenen.",
}
DATE_FORMAT = {"en": "%d %B %Y", "de": "%d.%m.%Y"}


@dataclass(frozen=True)
class InvitationText:
    subject: str
    body: str


def invitation_text(
    *,
    lang: str,
    role: str,
    link: str,
    organisation: str,
    tool: str,
    k: int,
    closes_on: str,
    reminder: bool,
) -> InvitationText:
    """The message for one language and role (``lang`` ``en`` or ``de``)."""
    lang = lang if lang in BODY else "en"
    subject = SUBJECTS[(lang, reminder)].format(organisation=organisation)
    body = BODY[lang].format(
        organisation=organisation,
        about=ABOUT[(lang, role)],
        link=link,
        tool=tool,
        k=k,
        closes=closes_on,
        reminder=REMINDER[lang] if reminder else "",
    )
    return InvitationText(subject, body)


__all__ = ["DATE_FORMAT", "InvitationText", "invitation_text"]
