"""Name material for the synthetic organisation (invented names, English and German)."""

from __future__ import annotations

import unicodedata

DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    # (name, short key, staff title)
    ("Engineering", "eng", "Software Engineer"),
    ("Sales", "sales", "Account Manager"),
    ("Marketing", "mkt", "Marketing Specialist"),
    ("Finance", "fin", "Financial Analyst"),
    ("Human Resources", "hr", "HR Partner"),
    ("Operations", "ops", "Operations Specialist"),
    ("Customer Support", "support", "Support Specialist"),
    ("Legal", "legal", "Legal Counsel"),
    ("Research", "research", "Research Scientist"),
    ("Product", "product", "Product Manager"),
    ("IT", "it", "Systems Administrator"),
    ("Procurement", "proc", "Buyer"),
)

FIRST_EN = (
    "Alice", "Ben", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Harry", "Isla", "Jack",
    "Kate", "Liam", "Mia", "Noah", "Olivia", "Peter", "Quinn", "Ruby", "Sam", "Tara",
    "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Aaron", "Bella", "Caleb", "Daisy",
    "Ethan", "Fiona", "George", "Hannah", "Ivan", "Julia", "Kevin", "Laura", "Mark", "Nora",
)  # fmt: skip
LAST_EN = (
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
    "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood",
    "Harris", "Clarke", "Jackson", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris",
    "King", "Baker", "Carter", "Parker", "Bennett", "Bailey", "Cook", "Price", "Foster",
)  # fmt: skip
FIRST_DE = (
    "Anna", "Bernd", "Clara", "Dieter", "Elke", "Felix", "Greta", "Hans", "Ilse", "Jürgen",
    "Katrin", "Lukas", "Maren", "Niklas", "Ottilie", "Paul", "Rainer", "Sabine", "Tobias",
    "Ulrike", "Volker", "Wiebke", "Jörg", "Sören", "Käthe", "Lena", "Moritz", "Frieda",
)  # fmt: skip
LAST_DE = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Weiß", "Köhler", "Maier", "Groß", "Jäger",
)  # fmt: skip

CHANNEL_TOPICS = ("general", "random", "help", "projects", "announcements", "social")
SPACE_TOPICS = ("Handbook", "Projects", "How-to", "Team Notes")
ORG_CHANNELS = ("town-square", "off-topic", "it-help", "ideas", "kudos", "events")
ORG_SPACES = (("KB", "Knowledge Base"), ("NEWS", "Company News"), ("HOWTO", "How We Work"))
ORG_SITES = (("intranet", "Intranet"), ("policies", "Policies"), ("templates", "Templates"))

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def email_local(first: str, last: str) -> str:
    """``first.last`` in ASCII, folding German letters the way mail admins usually do."""
    raw = f"{first}.{last}".lower().translate(_FOLD)
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_only if c.isalnum() or c == ".")


def department_table(count: int) -> list[tuple[str, str, str]]:
    """``count`` departments; beyond the twelve named ones, numbered copies."""
    table = []
    for index in range(count):
        name, key, title = DEPARTMENTS[index % len(DEPARTMENTS)]
        round_ = index // len(DEPARTMENTS)
        if round_:
            name, key = f"{name} {round_ + 1}", f"{key}{round_ + 1}"
        table.append((name, key, title))
    return table
