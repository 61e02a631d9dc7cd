"""The survey e20kit creates, as a LimeSurvey structure file (``.lss``) for ``import_survey``.

RemoteControl 2 cannot add a question by itself (only import one), so the whole survey goes in
one ``import_survey`` call: one group, a 1-5 choice question (LimeSurvey type ``5``) per reason
and audience, shown only to that audience, and two hidden short-text questions ``role`` and
``unit`` that the invitation link prefills (``?role=staff&unit=Sales``). The survey is
anonymised (``anonymized = Y``: LimeSurvey keeps no link from a response to a participant), saves
no IP address, referrer or timings, and has no datestamp, so a response carries nothing finer
than the wave. Texts in English (base language) and German.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from e20kit import Reason
from e20kit.survey import SurveyQuestion

Audience = Literal["staff", "leader"]
AUDIENCES: tuple[Audience, ...] = ("staff", "leader")
ROLE_CODE = "role"
UNIT_CODE = "unit"
LANGUAGES = ("en", "de")
DB_VERSION = "600"
"""The LimeSurvey 6 structure version the document declares."""

THEMES = {"5": "5pointchoice", "S": "shortfreetext"}
"""LimeSurvey's core question theme of each question type e20kit uses."""

PRIVACY_PROPERTIES: Mapping[str, str] = {
    "anonymized": "Y",
    "datestamp": "N",
    "ipaddr": "N",
    "refurl": "N",
    "savetimings": "N",
}
"""Survey properties e20kit sets on a survey it creates; ``anonymized`` is also required of a
survey it is given."""

_PREFIX = {"staff": "st", "leader": "ld"}
_INTRO = {
    "en": "Five short statements about our collaboration tools. There are no right answers; "
    "your answers are anonymous and only shown for groups large enough that nobody stands out.",
    "de": "Fünf kurze Aussagen zu unseren Kollaborationswerkzeugen. Es gibt keine richtigen "
    "Antworten; Ihre Antworten sind anonym und werden nur für Gruppen gezeigt, die groß genug "
    "sind, dass niemand auffällt.",
}
_SCALE = {
    "en": "1 = strongly disagree, 5 = strongly agree",
    "de": "1 = stimme gar nicht zu, 5 = stimme voll zu",
}


def question_code(audience: str, reason: Reason | str) -> str:
    """The LimeSurvey question code of a reason's statement (letters only, as LimeSurvey wants):
    ``stnotime`` for staff and ``no_time``."""
    return _PREFIX[audience] + str(reason).replace("_", "")


def expected_codes(questions: Iterable[SurveyQuestion]) -> set[str]:
    """Every question code a survey for ``questions`` has, the hidden ones included."""
    return {ROLE_CODE, UNIT_CODE} | {question_code(q.audience, q.reason) for q in questions}


def _rows(parent: ET.Element, tag: str, rows: Sequence[Mapping[str, object]]) -> None:
    """One table as LimeSurvey exports it: ``<fields>`` naming the columns, then ``<rows>``."""
    element = ET.SubElement(parent, tag)
    fields = ET.SubElement(element, "fields")
    for name in dict.fromkeys(key for values in rows for key in values):
        ET.SubElement(fields, "fieldname").text = name
    table = ET.SubElement(element, "rows")
    for values in rows:
        row = ET.SubElement(table, "row")
        for key, value in values.items():
            ET.SubElement(row, key).text = str(value)


def build_lss(title: str, questions: Sequence[SurveyQuestion]) -> bytes:
    """The ``.lss`` document of an anonymised survey asking ``questions`` (UTF-8 XML)."""
    doc = ET.Element("document")
    ET.SubElement(doc, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(doc, "DBVersion").text = DB_VERSION
    languages = ET.SubElement(doc, "languages")
    for lang in LANGUAGES:
        ET.SubElement(languages, "language").text = lang
    sid, gid = 1, 1
    _rows(doc, "groups", [{"gid": gid, "sid": sid, "group_order": 0, "grelevance": "1"}])
    _rows(
        doc,
        "group_l10ns",
        [
            {"gid": gid, "group_name": "e20kit", "description": "", "language": lang}
            for lang in LANGUAGES
        ],
    )
    question_rows: list[dict[str, object]] = []
    texts: list[dict[str, object]] = []
    attributes: list[dict[str, object]] = []
    hidden = [(ROLE_CODE, "Role"), (UNIT_CODE, "Unit")]
    for order, (code, label) in enumerate(hidden, start=1):
        question_rows.append(_question(order, gid, sid, code, "S", "1"))
        attributes.append({"qid": order, "attribute": "hidden", "value": "1", "language": ""})
        texts.extend(
            {"qid": order, "question": label, "help": "", "language": lang} for lang in LANGUAGES
        )
    for order, q in enumerate(questions, start=len(hidden) + 1):
        code = question_code(q.audience, q.reason)
        relevance = f'{ROLE_CODE}.NAOK == "{q.audience}"'
        question_rows.append(_question(order, gid, sid, code, "5", relevance))
        for lang, text in (("en", q.text), ("de", q.text_de)):
            texts.append({"qid": order, "question": text, "help": _SCALE[lang], "language": lang})
    _rows(doc, "questions", question_rows)
    _rows(doc, "question_l10ns", texts)
    _rows(doc, "question_attributes", attributes)
    survey: dict[str, object] = {
        "sid": sid,
        "language": LANGUAGES[0],
        "additional_languages": " ".join(LANGUAGES[1:]),
        "format": "G",
        "active": "N",
        "tokenanswerspersistence": "N",
        "allowregister": "N",
        "usecookie": "N",
        **PRIVACY_PROPERTIES,
    }
    _rows(doc, "surveys", [survey])
    _rows(
        doc,
        "surveys_languagesettings",
        [
            {
                "surveyls_survey_id": sid,
                "surveyls_language": lang,
                "surveyls_title": title,
                "surveyls_description": _INTRO[lang],
            }
            for lang in LANGUAGES
        ],
    )
    return bytes(ET.tostring(doc, encoding="utf-8", xml_declaration=True))


def _question(
    qid: int, gid: int, sid: int, code: str, kind: str, relevance: str
) -> dict[str, object]:
    return {
        "qid": qid,
        "parent_qid": 0,
        "sid": sid,
        "gid": gid,
        "type": kind,
        "title": code,
        "mandatory": "N",
        "other": "N",
        "question_order": qid,
        "scale_id": 0,
        "same_default": 0,
        "relevance": relevance,
        "question_theme_name": THEMES[kind],
        "encrypted": "N",
    }


__all__ = [
    "AUDIENCES",
    "PRIVACY_PROPERTIES",
    "ROLE_CODE",
    "UNIT_CODE",
    "build_lss",
    "expected_codes",
    "question_code",
]
