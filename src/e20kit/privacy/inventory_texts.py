"""What each stored table and column means, in English and German, for the data inventory.

Every table and column of the store must be described here: a test compares this with the live
schema, so a new column cannot ship undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass

Text = tuple[str, str]
"""(English, German)."""

PERSONAL = "personal"
PSEUDONYMOUS = "pseudonymous"
AGGREGATE = "aggregate"
TECHNICAL = "technical"
ANONYMOUS = "anonymous"

CATEGORIES: dict[str, Text] = {
    PERSONAL: ("personal data (directly identifying)", "personenbezogen (direkt identifizierend)"),
    PSEUDONYMOUS: ("pseudonymous (by member key)", "pseudonym (über den Mitgliedsschlüssel)"),
    AGGREGATE: ("aggregates over several members", "Summen über mehrere Beschäftigte"),
    TECHNICAL: ("technical, no personal data", "technisch, keine personenbezogenen Daten"),
    ANONYMOUS: (
        "anonymous answers, linked to no person",
        "anonyme Antworten, mit keiner Person verknüpft",
    ),
}

KEY: Text = ("member key (pseudonym)", "Mitgliedsschlüssel (Pseudonym)")
CHANGED: Text = ("last change", "letzte Änderung")
DEACTIVATED: Text = (
    "last collection; once deactivated: when first seen deactivated",
    "letztes Einlesen; nach Deaktivierung: wann zuerst deaktiviert gesehen",
)


@dataclass(frozen=True)
class TableText:
    category: str
    purpose: Text
    columns: dict[str, Text]
    kept: Text | None = None
    """How long rows stay when no retention rule applies to the table."""


TABLES: dict[str, TableText] = {
    "schema_version": TableText(
        TECHNICAL,
        ("schema versions applied to the store", "auf den Speicher angewandte Schemaversionen"),
        {"version": ("version number", "Versionsnummer"), "applied_at": ("applied at", "am")},
        ("forever", "dauerhaft"),
    ),
    "members": TableText(
        PSEUDONYMOUS,
        ("one row per person, as the directories describe them", "eine Zeile je Person"),
        {
            "member_key": KEY,
            "department": ("department", "Abteilung"),
            "title": ("job title", "Stellenbezeichnung"),
            "manager_key": ("the manager's member key", "Mitgliedsschlüssel der Führungskraft"),
            "joined_on": ("joining day", "Eintrittstag"),
            "locale": ("language of the platform account", "Sprache des Kontos"),
            "is_leader": ("has direct reports or a leader title", "Führungskraft"),
            "active": ("account not deactivated", "Konto nicht deaktiviert"),
            "updated_at": DEACTIVATED,
        },
        (
            "while active; departed members by retention_days",
            "solange aktiv; Ausgeschiedene nach retention_days",
        ),
    ),
    "identities": TableText(
        PERSONAL,
        (
            "platform accounts of each member (messages are delivered to them)",
            "Plattformkonten je Person (Nachrichten gehen an sie)",
        ),
        {
            "source": ("connector instance", "Connector-Instanz"),
            "person_id": ("account id on the platform", "Konto-ID auf der Plattform"),
            "platform": ("platform", "Plattform"),
            "member_key": KEY,
            "manager_id": ("the manager's account id", "Konto-ID der Führungskraft"),
            "email": (
                "e-mail address, only with store_contact_details",
                "E-Mail-Adresse, nur mit store_contact_details",
            ),
            "display_name": (
                "display name, only with store_contact_details",
                "Anzeigename, nur mit store_contact_details",
            ),
            "attributes": (
                "connector-specific account attributes",
                "weitere Kontoattribute des Connectors",
            ),
            "active": ("account not deactivated", "Konto nicht deaktiviert"),
            "updated_at": DEACTIVATED,
        },
        (
            "while active; deactivated accounts by retention_days",
            "solange aktiv; deaktivierte nach retention_days",
        ),
    ),
    "facts": TableText(
        PSEUDONYMOUS,
        (
            "daily activity counts per member (no content)",
            "tägliche Aktivitätszahlen je Person (keine Inhalte)",
        ),
        {
            "day": ("day", "Tag"),
            "member_key": KEY,
            "platform": ("platform", "Plattform"),
            "action": (
                "kind of action (view, create, reply, react, visit ...)",
                "Art der Aktion (lesen, erstellen, antworten ...)",
            ),
            "feature": ("feature (wiki, chat, files ...)", "Funktion (Wiki, Chat, Dateien ...)"),
            "container": ("space, channel or site", "Bereich, Kanal oder Site"),
            "count": ("how many", "Anzahl"),
            "source": ("connector instance", "Connector-Instanz"),
        },
    ),
    "activity_pairs": TableText(
        PSEUDONYMOUS,
        (
            "a number for each member and platform with activity (rollups)",
            "eine Nummer je Person und Plattform (Verdichtungen)",
        ),
        {"id": ("number", "Nummer"), "member_key": KEY, "platform": ("platform", "Plattform")},
        ("follows the facts", "folgt den Fakten"),
    ),
    "activity_spans": TableText(
        PSEUDONYMOUS,
        (
            "which days a member was active, 32 days per row (rollup of facts)",
            "an welchen Tagen eine Person aktiv war, 32 Tage je Zeile (Verdichtung)",
        ),
        {
            "span": ("32-day span", "32-Tage-Abschnitt"),
            "pair": ("member and platform number", "Nummer von Person und Plattform"),
            **{
                f"q{i}": (
                    f"days {8 * i}-{8 * i + 7}: feature bits",
                    f"Tage {8 * i}-{8 * i + 7}: Funktionsbits",
                )
                for i in range(4)
            },
        },
        ("follows the facts", "folgt den Fakten"),
    ),
    "span_packs": TableText(
        PSEUDONYMOUS,
        (
            "activity_spans and contribution_days packed per span for fast reading",
            "activity_spans und contribution_days je Abschnitt gepackt",
        ),
        {
            "span": ("32-day span", "32-Tage-Abschnitt"),
            "pairs": ("packed member numbers", "gepackte Personennummern"),
            "days": ("packed day bits", "gepackte Tagesbits"),
            "contributions": ("packed contribution counts", "gepackte Beitragszahlen"),
        },
        ("follows the facts", "folgt den Fakten"),
    ),
    "activity_containers": TableText(
        TECHNICAL,
        ("a number for each space, channel or site", "eine Nummer je Bereich, Kanal oder Site"),
        {
            "id": ("number", "Nummer"),
            "platform": ("platform", "Plattform"),
            "container": ("space, channel or site", "Bereich, Kanal oder Site"),
        },
        ("follows the facts", "folgt den Fakten"),
    ),
    "contribution_days": TableText(
        PSEUDONYMOUS,
        (
            "contributions per day, member and container (rollup of facts)",
            "Beiträge je Tag, Person und Bereich (Verdichtung)",
        ),
        {
            "day": ("day", "Tag"),
            "pair": ("member and platform number", "Nummer von Person und Plattform"),
            "container": ("container number", "Bereichsnummer"),
            "con": ("contributions", "Beiträge"),
        },
        ("follows the facts", "folgt den Fakten"),
    ),
    "day_totals": TableText(
        AGGREGATE,
        ("counts per day summed over every member", "Zahlen je Tag über alle Beschäftigten"),
        {
            "day": ("day", "Tag"),
            "platform": ("platform", "Plattform"),
            "feature": ("feature", "Funktion"),
            "container": ("space, channel or site", "Bereich, Kanal oder Site"),
            "n": ("actions", "Aktionen"),
            "con": ("contributions", "Beiträge"),
            "hlp": ("helping contributions (replies ...)", "helfende Beiträge (Antworten ...)"),
        },
        ("follows the facts", "folgt den Fakten"),
    ),
    "rollup_dirty": TableText(
        TECHNICAL,
        ("days whose rollups await a refresh", "Tage, deren Verdichtung aussteht"),
        {"day": ("day", "Tag")},
        ("until the next refresh", "bis zur nächsten Aktualisierung"),
    ),
    "rollup_state": TableText(
        TECHNICAL,
        ("rollup bookkeeping", "Verwaltung der Verdichtungen"),
        {"key": ("name", "Name"), "value": ("value", "Wert")},
        ("forever", "dauerhaft"),
    ),
    "bookmarks": TableText(
        TECHNICAL,
        ("where each connector's collection continues", "wo jeder Connector weiter einliest"),
        {
            "connector": ("connector instance", "Connector-Instanz"),
            "stream": ("stream", "Datenstrom"),
            "value": ("position (a time or cursor)", "Position (Zeit oder Cursor)"),
            "updated_at": CHANGED,
        },
        ("forever", "dauerhaft"),
    ),
    "ledger": TableText(
        PSEUDONYMOUS,
        (
            "every message sent or attempted, so that none goes out twice",
            "jede gesendete oder versuchte Nachricht, damit keine doppelt geht",
        ),
        {
            "key": (
                "message key (kind, step, member key, attempt)",
                "Nachrichtenschlüssel (Art, Schritt, Mitgliedsschlüssel, Versuch)",
            ),
            "kind": ("kind of message", "Art der Nachricht"),
            "member_key": KEY,
            "notifier": ("delivery channel", "Zustellkanal"),
            "state": (
                "pending, sent, failed or unknown",
                "ausstehend, gesendet, fehlgeschlagen, unklar",
            ),
            "attempts": ("attempts", "Versuche"),
            "error": ("last error", "letzter Fehler"),
            "created_at": ("first attempt", "erster Versuch"),
            "updated_at": CHANGED,
        },
    ),
    "opt_outs": TableText(
        PSEUDONYMOUS,
        (
            "members who asked not to be messaged (or nominated)",
            "Beschäftigte, die keine Nachrichten (oder Nominierung) wünschen",
        ),
        {
            "member_key": KEY,
            "scope": ("all, onboarding or champions", "alles, Onboarding oder Champions"),
            "created_at": ("since", "seit"),
        },
        (
            "until opted in again (needed to honour it)",
            "bis zum Widerruf (nötig, um ihn zu beachten)",
        ),
    ),
    "onboarding_progress": TableText(
        PSEUDONYMOUS,
        ("each newcomer's onboarding steps", "Onboarding-Schritte je neu eingetretener Person"),
        {
            "member_key": KEY,
            "checklist": ("checklist", "Checkliste"),
            "step": ("step", "Schritt"),
            "position": ("step's position", "Position des Schritts"),
            "enrolled_at": ("enrolled", "aufgenommen"),
            "completed_at": ("completed", "erledigt"),
            "stalled_since": ("stuck since", "hängt seit"),
            "in_audience": ("still in the checklist's audience", "noch in der Zielgruppe"),
            "updated_at": CHANGED,
        },
    ),
    "onboarding_marks": TableText(
        PSEUDONYMOUS,
        (
            "steps marked done by hand or import (e.g. attended a session)",
            "von Hand oder per Import erledigte Schritte",
        ),
        {
            "member_key": KEY,
            "checklist": ("checklist ('' = every one)", "Checkliste ('' = alle)"),
            "step": ("step", "Schritt"),
            "marked_at": ("marked at", "markiert am"),
            "source": ("who or which file marked it", "wer oder welche Datei"),
        },
    ),
    "champion_roster": TableText(
        PSEUDONYMOUS,
        (
            "candidates, invitees and champions of the champion programme",
            "Kandidaten, Eingeladene und Champions",
        ),
        {
            "member_key": KEY,
            "department": ("department", "Abteilung"),
            "state": (
                "candidate, invited, active, declined or retired",
                "Kandidat, eingeladen, aktiv, abgelehnt, beendet",
            ),
            "score": ("champion score at nomination", "Champion-Wert bei Nominierung"),
            "invite_attempt": ("invitation round", "Einladungsrunde"),
            "nominated_at": ("nominated", "nominiert"),
            "updated_at": CHANGED,
            "updated_by": (
                "who changed it (OS user or 'e20kit')",
                "wer änderte (Benutzer oder 'e20kit')",
            ),
        },
        ("while in the programme", "solange im Programm"),
    ),
    "champion_history": TableText(
        PSEUDONYMOUS,
        ("every state change of the roster", "jede Statusänderung im Programm"),
        {
            "id": ("number", "Nummer"),
            "member_key": KEY,
            "from_state": ("from", "von"),
            "to_state": ("to", "nach"),
            "changed_at": ("when", "wann"),
            "changed_by": ("who", "wer"),
            "note": ("note", "Notiz"),
        },
    ),
    "champion_buddies": TableText(
        PSEUDONYMOUS,
        (
            "newcomers paired with a champion",
            "neu eingetretenen Beschäftigten zugeordnete Champions",
        ),
        {
            "newcomer_key": (
                "the newcomer's member key",
                "Mitgliedsschlüssel der neu eingetretenen Person",
            ),
            "champion_key": ("the champion's member key", "Mitgliedsschlüssel des Champions"),
            "paired_at": ("paired", "zugeordnet"),
            "ended_at": ("ended", "beendet"),
        },
    ),
    "runs": TableText(
        TECHNICAL,
        ("command runs and their counts", "Programmläufe und ihre Zahlen"),
        {
            "id": ("number", "Nummer"),
            "command": ("command", "Befehl"),
            "started_at": ("started", "Beginn"),
            "finished_at": ("finished", "Ende"),
            "status": ("outcome", "Ergebnis"),
            "detail": ("counts", "Zahlen"),
        },
    ),
    "forgotten": TableText(
        PSEUDONYMOUS,
        (
            "people erased on request (neither key nor address): stops re-collection",
            "auf Antrag gelöschte Personen (weder Schlüssel noch Adresse): "
            "verhindert erneutes Einlesen",
        ),
        {
            "tombstone": (
                "keyed hash of the member key",
                "mit dem geheimen Schlüssel gebildeter Hash (HMAC) des Mitgliedsschlüssels",
            ),
            "forgotten_at": ("erased at", "gelöscht am"),
        },
        (
            "forever (needed to honour the erasure)",
            "dauerhaft (nötig, um die Löschung zu beachten)",
        ),
    ),
    "tombstones": TableText(
        PSEUDONYMOUS,
        (
            "people erased on request: one mark per identifier they had (member key, platform "
            "account, e-mail), never the identifier; stops re-collection",
            "auf Antrag gelöschte Personen: eine Marke je Kennung (Mitgliedsschlüssel, "
            "Plattformkonto, E-Mail-Adresse), nie die Kennung selbst; verhindert erneutes Einlesen",
        ),
        {
            "mark": (
                "keyed one-way mark of the identifier (re-keyed by privacy rotate-secret)",
                "mit Schlüssel gebildete Einwegmarke der Kennung (umgeschlüsselt durch "
                "privacy rotate-secret)",
            ),
            "kind": ("which identifier: member, account or email", "Art der Kennung"),
            "forgotten_at": ("erased at", "gelöscht am"),
        },
        (
            "forever (needed to honour the erasure)",
            "dauerhaft (nötig, um die Löschung zu beachten)",
        ),
    ),
    "secret_check": TableText(
        TECHNICAL,
        (
            "which pseudonym secret the member keys are made with (a fingerprint, not the secret)",
            "mit welchem Pseudonymisierungsschlüssel die Mitgliedsschlüssel gebildet sind "
            "(ein Fingerabdruck, nicht der Schlüssel)",
        ),
        {
            "name": ("which secret", "welcher Schlüssel"),
            "fingerprint": ("HMAC of a fixed text under the secret", "HMAC eines festen Textes"),
        },
        ("until the next rotation", "bis zum nächsten Schlüsselwechsel"),
    ),
    "audit_log": TableText(
        PERSONAL,
        (
            "audit trail (append-only, hash-chained): reports, publications, exports, "
            "erasures, name look-ups, individual views, setting changes",
            "Protokoll (nur anfügbar, durch Hashes verkettet): Berichte, Veröffentlichungen, "
            "Exporte, Löschungen, Namensabfragen, Einzelansichten, Einstellungsänderungen",
        ),
        {
            "id": ("number", "Nummer"),
            "at": ("when", "wann"),
            "os_user": (
                "operating-system user of the operator",
                "Betriebssystem-Benutzer des Betreibers",
            ),
            "action": ("what", "was"),
            "period": ("report period", "Berichtszeitraum"),
            "format": ("format", "Format"),
            "target": ("where it was written", "wohin geschrieben"),
            "detail": (
                "counts, settings, or the pseudonyms of whose names were looked up",
                "Zahlen, Einstellungen oder die Pseudonyme der Personen, deren Namen abgefragt "
                "wurden",
            ),
            "requester": ("on whose request (--requester)", "auf wessen Anfrage (--requester)"),
            "reason": ("why (--reason)", "warum (--reason)"),
            "period_start": ("first day of the period", "erster Tag des Zeitraums"),
            "period_end": ("last day of the period", "letzter Tag des Zeitraums"),
            "subject": (
                "pseudonym of the person an individual view was about",
                "Pseudonym der Person, die eine Einzelansicht betraf",
            ),
            "content_hash": ("SHA-256 of the row's content", "SHA-256 des Zeileninhalts"),
            "prev_hash": ("hash of the row before", "Hash der vorigen Zeile"),
            "row_hash": (
                "hash chaining the row to the one before",
                "Hash, der die Zeile an die vorige kettet",
            ),
        },
    ),
    "experiments": TableText(
        TECHNICAL,
        (
            "each experiment's question (outcome, horizon, planned size), fixed at its start",
            "die Frage jedes Experiments (Ergebnis, Stichtag, geplante Größe), bei Beginn fest",
        ),
        {
            "id": ("experiment id from the config", "Experiment-Kennung aus der Konfiguration"),
            "definition": ("the fixed question", "die festgelegte Frage"),
            "fingerprint": ("hash of the question", "Prüfsumme der Frage"),
            "started_at": ("first assignment", "erste Zuteilung"),
        },
        ("kept with the experiment's results", "so lange wie die Ergebnisse des Experiments"),
    ),
    "experiment_assignments": TableText(
        PSEUDONYMOUS,
        (
            "which arm of an experiment each newcomer was drawn into (nudged or hold-out), "
            "drawn once and never again; read only as counts per arm of at least k",
            "in welche Gruppe eines Experiments jede neu eingetretene Person gelost wurde (mit "
            "Erinnerungen oder zurückgehalten), einmal gelost und nie neu; nur als Zahlen je "
            "Gruppe von mindestens k gelesen",
        ),
        {
            "experiment": ("experiment id", "Experiment-Kennung"),
            "member_key": KEY,
            "arm": ("nudged or hold-out", "mit Erinnerungen oder zurückgehalten"),
            "stratum": (
                "department when drawn (the draw is balanced per department)",
                "Abteilung bei der Losung (ausgewogen je Abteilung)",
            ),
            "seq": (
                "place in the department's draw (re-derives the arm)",
                "Platz in der Losung der Abteilung (macht das Los nachprüfbar)",
            ),
            "assigned_at": ("drawn at", "gelost am"),
            "assigned_on": ("day 0 of the outcome", "Tag 0 des Ergebnisses"),
        },
        (
            "as long as the member is stored (erased with them)",
            "solange die Person gespeichert ist (mit ihr gelöscht)",
        ),
    ),
    "interventions": TableText(
        TECHNICAL,
        (
            "remedies rolled out per department (what, which department, from when)",
            "je Abteilung eingeführte Maßnahmen (was, welche Abteilung, ab wann)",
        ),
        {
            "id": ("number", "Nummer"),
            "what": ("the remedy", "die Maßnahme"),
            "department": ("department", "Abteilung"),
            "from_day": ("first day", "erster Tag"),
            "design": (
                "randomised order or observational",
                "zufällige Reihenfolge oder beobachtend",
            ),
            "seed": ("seed of the drawn order", "Startwert der gelosten Reihenfolge"),
            "logged_at": ("logged at", "erfasst am"),
        },
        ("kept until deleted by hand", "bis zur Löschung von Hand"),
    ),
    "member_history": TableText(
        PSEUDONYMOUS,
        (
            "each member's department, leader flag, joining day and status as they were over "
            "time, so that a period is always reported as it was",
            "Abteilung, Führungskraft-Merkmal, Eintrittstag und Status jedes Mitglieds im "
            "Zeitverlauf, damit ein Zeitraum immer so berichtet wird, wie er war",
        ),
        {
            "id": ("number", "Nummer"),
            "member_key": KEY,
            "valid_from": (
                "first day (empty: since history began)",
                "erster Tag (leer: seit Beginn)",
            ),
            "valid_to": (
                "day after the last (empty: still valid)",
                "Tag nach dem letzten (leer: gilt noch)",
            ),
            "department": ("department", "Abteilung"),
            "is_leader": ("leader flag", "Führungskraft-Merkmal"),
            "joined_on": ("joining day", "Eintrittstag"),
            "active": ("account active", "Konto aktiv"),
        },
        (
            "as long as the member is stored (erased with them)",
            "solange das Mitglied gespeichert ist (mit ihm gelöscht)",
        ),
    ),
    "disclosure_key": TableText(
        TECHNICAL,
        (
            "the random key of the disclosure layer's perturbation (never exported or shown)",
            "der Zufallsschlüssel der Überlagerung der Offenlegungskontrolle (nie exportiert "
            "oder angezeigt)",
        ),
        {"id": ("number", "Nummer"), "key": ("the key", "der Schlüssel")},
        ("kept with the store", "so lange wie der Speicher"),
    ),
    "survey_waves": TableText(
        TECHNICAL,
        (
            "each round of the pulse survey on the five reasons: where its answers are "
            "collected and when it runs",
            "jede Runde der Kurzbefragung zu den fünf Gründen: wo die Antworten gesammelt werden "
            "und wann sie läuft",
        ),
        {
            "wave_id": ("wave id", "Kennung der Befragungsrunde"),
            "source": ("survey tool (source)", "Befragungswerkzeug (Quelle)"),
            "survey_ref": ("the tool's survey id", "Kennung der Befragung im Werkzeug"),
            "opened": ("first day", "erster Tag"),
            "closes": ("last day", "letzter Tag"),
            "created_at": ("recorded at", "erfasst am"),
        },
        ("kept until deleted by hand", "bis zur Löschung von Hand"),
    ),
    "survey_responses": TableText(
        ANONYMOUS,
        (
            "anonymous survey answers, one row per response and statement: no person, no "
            "e-mail, no time finer than the wave, no free text; nothing links an answer to an "
            "invited person; shown only as scores of at least survey.min_respondents answers",
            "anonyme Befragungsantworten, eine Zeile je Antwort und Aussage: keine Person, keine "
            "E-Mail, keine Zeit genauer als die Befragungsrunde, kein Freitext; nichts verknüpft "
            "eine Antwort mit einer eingeladenen Person; gezeigt nur als Werte aus mindestens "
            "survey.min_respondents Antworten",
        ),
        {
            "wave_id": ("wave id", "Kennung der Befragungsrunde"),
            "response_hash": (
                "keyed hash of the tool's response id (to count a response once; the id itself "
                "is not stored)",
                "Hash mit geheimem Schlüssel über die Antwort-ID des Werkzeugs (damit eine "
                "Antwort einmal zählt; die ID selbst wird nicht gespeichert)",
            ),
            "reason": ("which of the five statements", "welche der fünf Aussagen"),
            "role": ("staff or leader", "Mitarbeitende oder Führungskraft"),
            "unit": (
                "unit label the tool passed (only units of at least k members are offered)",
                "Einheit, die das Werkzeug übergab (nur Einheiten ab k Mitgliedern)",
            ),
            "score": (
                "agreement 1-5 (empty: skipped)",
                "Zustimmung 1-5 (leer: übersprungen)",
            ),
        },
        ("kept until deleted by hand", "bis zur Löschung von Hand"),
    ),
    "survey_invitations": TableText(
        PSEUDONYMOUS,
        (
            "that a member was invited to a survey wave and reminded; never whether or what "
            "they answered",
            "dass ein Mitglied zu einer Befragungsrunde eingeladen und erinnert wurde; nie, ob "
            "oder was es antwortete",
        ),
        {
            "wave_id": ("wave id", "Kennung der Befragungsrunde"),
            "member_key": KEY,
            "invited_at": ("invited at", "eingeladen am"),
            "reminders": ("reminders sent", "gesendete Erinnerungen"),
            "last_sent_at": ("last invitation or reminder", "letzte Einladung oder Erinnerung"),
        },
        (
            "as long as the member is stored (erased with them)",
            "solange das Mitglied gespeichert ist (mit ihm gelöscht)",
        ),
    ),
}

__all__ = [
    "AGGREGATE",
    "ANONYMOUS",
    "CATEGORIES",
    "PERSONAL",
    "PSEUDONYMOUS",
    "TABLES",
    "TECHNICAL",
    "TableText",
]
