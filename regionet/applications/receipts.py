"""The receipt of a submission: its snapshot made readable, as HTML and as an accessible PDF.

``snapshot_context`` turns the plain JSON of ``Submission.content`` into display values in one
language (names, labels, amounts, times), which ``applications/includes/snapshot.html`` shows
wherever a snapshot is read. ``receipt_pdf`` renders the receipt with WeasyPrint as a tagged
PDF/UA-1 document, and ``register`` makes it the attachment of the receipt e-mail.
"""

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, pgettext

from regionet.accounts.models import Organisation
from regionet.programmes.deadlines import date_pattern, format_deadline
from regionet.programmes.money import LOCALES, format_money
from regionet.programmes.queries import call_guidance
from regionet.questionnaires.models import Question
from regionet.questionnaires.queries import questions_of

from .models import CostCategory, Partner

RECEIPT_PDF = "applications.receipt_pdf"
PDF_TEMPLATE = "applications/pdf/receipt.html"
# File names do not wait for the translation catalogues: "kuittaus-TEM-1-2021.pdf".
FILE_NAME_PREFIXES = {"fi": "kuittaus", "sv": "kvitto", "en": "receipt"}

Kind = Question.Kind


def _language(language: str | None) -> str:
    codes = [code for code, _ in settings.LANGUAGES]
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in codes else settings.LANGUAGE_CODE


def format_instant_seconds(instant: datetime, time_zone: str, language: str | None = None) -> str:
    """``instant`` to the second in the programme's time zone, the zone named:
    "15.4.2021 klo 16.14.59 Suomen aikaa" (see ``deadlines.format_deadline``)."""
    return format_deadline(instant, time_zone, _language(language), seconds=True)


def _pick(texts, language: str) -> str:
    """The text in ``language``, else in Finnish, else in any language that has one."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return (
        texts.get(language) or texts.get("fi") or next((t for t in texts.values() if t), "") or ""
    )


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def format_size(size: int, language: str) -> str:
    """A file size as people read it: "46 B", "12,3 kB", "1,5 MB" (SI units)."""
    locale = LOCALES.get(language, "en_GB")
    if size < 1000:
        return f"{size}\u00a0B"
    if size < 1000**2:
        return f"{format_decimal(Decimal(size) / 1000, '#,##0.0', locale=locale)}\u00a0kB"
    return f"{format_decimal(Decimal(size) / 1000**2, '#,##0.0', locale=locale)}\u00a0MB"


def _percent(value: str, language: str) -> str:
    locale = LOCALES.get(language, "en_GB")
    pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.00")
    return format_percent(Decimal(value) / 100, pattern, locale=locale)


def snapshot_context(content: dict, language: str) -> dict:
    """Display values of a submission's ``content`` in ``language`` for the snapshot template.

    Two queries: the questions and the choices of the questionnaire version answered.
    """
    language = _language(language)
    with translation.override(language):
        return _context(content, language)


def _context(content: dict, language: str) -> dict:
    currency = content["currency"]
    time_zone = content["time_zone"]

    def money(amount) -> str:
        return format_money(Decimal(amount), currency, language)

    def instant(value) -> str:
        return value and format_instant_seconds(datetime.fromisoformat(value), time_zone, language)

    attachments = content.get("attachments", [])
    questions = _questions(content)
    territories = Locale.parse(LOCALES.get(language, "en_GB")).territories

    def organisation(data, role) -> dict:
        return {
            "name": data["name"],
            "business_id": data["business_id"],
            "type": _label(Organisation.Type, data["type"]),
            "country": territories.get(data["country"], data["country"]),
            "role": role,
        }

    coordinator = {
        **organisation(content["coordinator"], pgettext("consortium role", "coordinator")),
        "is_coordinator": True,
    }
    partners = [
        {
            **organisation(partner, _label(Partner.Role, partner["role"])),
            "is_coordinator": False,
            "tasks": partner.get("tasks", ""),
            "confirmed_at": instant(partner.get("confirmed_at")),
            "commitment": partner.get("commitment", ""),
        }
        for partner in content.get("partners", [])
    ]
    phase = content["phase"]
    municipalities = _municipalities(content.get("municipalities", []), language)
    return {
        "language": language,
        "content_language": content.get("language") or settings.LANGUAGE_CODE,
        "record_number": content["record_number"],
        "number": content["number"],
        "received_at": instant(content["received_at"]),
        "time_zone": time_zone,
        "currency": currency,
        "programme": _pick(content["programme"]["name"], language),
        "call": _pick(content["call"]["name"], language),
        "phase": _pick(phase["name"], language),
        "phase_closes_at": phase.get("closes_at")
        and format_deadline(datetime.fromisoformat(phase["closes_at"]), time_zone, language),
        "instrument": _pick(content["instrument"]["name"], language),
        "title": content.get("title", ""),
        "summary": content.get("summary", ""),
        "theme": content.get("theme") and _pick(content["theme"]["name"], language),
        "zone": content.get("zone") and _pick(content["zone"]["name"], language),
        "coordinator": coordinator,
        "partners": partners,
        "consortium": [coordinator, *partners],
        "municipalities": municipalities,
        "municipality_count": len(content.get("municipalities", [])),
        "region_count": len([group for group in municipalities if group["region"]]),
        "budget": _budget(content["budget"], money),
        "financing": {
            "aid_requested": money(content["financing"]["aid_requested"]),
            "own_financing": money(content["financing"]["own_financing"]),
            "other_public_funding": money(content["financing"]["other_public_funding"]),
            "aid_percent": content["financing"].get("aid_percent")
            and _percent(content["financing"]["aid_percent"], language),
        },
        "answer_sections": _answer_sections(
            questions, content.get("answers") or {}, attachments, language, currency
        ),
        "attachments": [
            {
                "name": attachment["name"],
                "description": attachment.get("description", ""),
                "question": _question_label(questions, attachment.get("question"), language),
                "size": format_size(attachment["size"], language),
                "sha256": attachment["sha256"],
            }
            for attachment in attachments
        ],
    }


def _municipalities(municipalities: list[dict], language: str) -> list[dict]:
    """Municipalities grouped by region, regions in code order; any without a region last."""
    groups: dict = {}
    for municipality in municipalities:
        region = municipality.get("region")
        key = (region is None, region["code"] if region else "")
        group = groups.setdefault(
            key, {"region": _pick(region["name"], language) if region else "", "municipalities": []}
        )
        group["municipalities"].append(_pick(municipality["name"], language))
    return [groups[key] for key in sorted(groups)]


def _budget(budget: dict, money) -> dict:
    years = sorted(
        {int(year) for year in budget.get("costs_by_year", {})}
        | {row["year"] for row in budget.get("rows", [])}
    )
    amounts: dict[str, dict[int, Decimal]] = {}
    for row in budget.get("rows", []):
        by_year = amounts.setdefault(row["category"], {})
        by_year[row["year"]] = by_year.get(row["year"], Decimal(0)) + Decimal(row["amount"])
    order = [category for category in CostCategory.values if category in amounts]
    order += sorted(category for category in amounts if category not in CostCategory.values)
    zero = Decimal("0.00")
    rows = [
        {
            "category": _label(CostCategory, category),
            "amounts": [money(amounts[category].get(year, zero)) for year in years],
            "total": money(sum(amounts[category].values(), zero)),
        }
        for category in order
    ]
    year_totals = [
        money(sum((amounts[category].get(year, zero) for category in order), zero))
        for year in years
    ]
    return {
        "years": years,
        "rows": rows,
        "year_totals": year_totals,
        "total_costs": money(budget["total_costs"]),
        "income": [
            {"year": row["year"], "description": row["description"], "amount": money(row["amount"])}
            for row in budget.get("income", [])
        ],
        "total_income": money(budget["total_income"]),
        "net_costs": money(budget["net_costs"]),
    }


def _questions(content: dict) -> list:
    questionnaire = content.get("questionnaire")
    if not questionnaire:
        return []
    return questions_of(questionnaire["id"])


def _text(obj, field: str, language: str) -> str:
    return (
        getattr(obj, f"{field}_{language}", "")
        or getattr(obj, f"{field}_fi", "")
        or getattr(obj, field, "")
        or ""
    )


def _question_label(questions, key, language) -> str:
    if not key:
        return ""
    for question in questions:
        if question.key == key:
            return _text(question, "label", language)
    return key


def _answer_sections(questions, answers, attachments, language, currency) -> list[dict]:
    sections: list[dict] = []
    for question in questions:
        if not sections or sections[-1]["id"] != question.section_id:
            sections.append(
                {
                    "id": question.section_id,
                    "title": _text(question.section, "title", language),
                    "answers": [],
                }
            )
        value = answers.get(question.key)
        sections[-1]["answers"].append(
            {
                "key": question.key,
                "label": _text(question, "label", language),
                "free_text": question.kind in Question.TEXT_KINDS,
                **_answer(question, value, attachments, language, currency),
            }
        )
    return sections


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _answer(question, value, attachments, language, currency) -> dict:
    """How one answer shows: ``display`` is text, paragraphs, list, table or empty."""
    if _is_empty(value):
        if question.kind == Kind.FILE:
            names = [a["name"] for a in attachments if a.get("question") == question.key]
            if names:
                return {"display": "list", "items": names}
        return {"display": "empty"}
    if question.kind == Kind.LONG_TEXT:
        return {"display": "paragraphs", "text": str(value)}
    if question.kind == Kind.MULTIPLE_CHOICE:
        return {
            "display": "list",
            "items": [_cell(question, item, language, currency) for item in value],
        }
    if question.kind == Kind.FILE:
        return {"display": "list", "items": _file_names(question, value, attachments)}
    if question.kind == Kind.TABLE:
        columns = question.column_list
        return {
            "display": "table",
            "table": {
                "columns": [_text(column, "label", language) for column in columns],
                "rows": [
                    [
                        _cell(column, row.get(column.key), language, currency)
                        if isinstance(row, dict)
                        else ""
                        for column in columns
                    ]
                    for row in value
                ],
            },
        }
    return {"display": "text", "text": _cell(question, value, language, currency)}


def _file_names(question, value, attachments) -> list[str]:
    """A file answer refers to an attachment by id or by name; shown by the file's name."""
    by_id = {a["id"]: a["name"] for a in attachments}
    references = value if isinstance(value, list) else [value]
    names = []
    for reference in references:
        if isinstance(reference, int) and not isinstance(reference, bool):
            names.append(by_id.get(reference, str(reference)))
        elif isinstance(reference, dict):
            names.append(reference.get("name") or by_id.get(reference.get("id"), ""))
        else:
            names.append(str(reference))
    return names


def _cell(question, value, language, currency) -> str:
    """One value of ``question`` (or of a table column, or one item of a choice) as text."""
    if _is_empty(value):
        return ""
    locale = LOCALES.get(language, "en_GB")
    kind = question.kind
    if kind == Kind.MONEY:
        return format_money(Decimal(str(value)), currency, language)
    if kind == Kind.NUMBER:
        return format_decimal(Decimal(str(value)), locale=locale, decimal_quantization=False)
    if kind == Kind.DATE:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return format_date(day, date_pattern(language), locale=language)
    if kind == Kind.YES_NO:
        return gettext("Yes") if value else gettext("No")
    if kind in Question.CHOICE_KINDS:
        labels = {choice.value: _text(choice, "label", language) for choice in question.choice_list}
        if isinstance(value, list):
            return ", ".join(labels.get(item, item) for item in value)
        return labels.get(value, value)
    return str(value)


# --- The PDF and the e-mail attachment ---------------------------------------------------


def receipt_pdf(submission, language: str | None = None) -> bytes:
    """The receipt of ``submission`` as a tagged PDF/UA-1 document in ``language``
    (default: the application's language)."""
    from weasyprint import HTML

    content = submission.content
    language = _language(language or content.get("language"))
    funder = Organisation.objects.filter(programmes=content["programme"]["id"]).first()
    with translation.override(language):
        snapshot = _context(content, language)
        submitter = submission.submitted_by
        html = render_to_string(
            PDF_TEMPLATE,
            {
                "language": language,
                "snapshot": snapshot,
                # Who to ask and what happens next as the funder says now (not frozen in the
                # snapshot, which holds what the applicant sent).
                "guidance": call_guidance(content["call"]["id"], content["phase"]["id"]),
                "funder": _text(funder, "name", language) if funder else "",
                "submission": submission,
                "submitter": submitter.full_name or submitter.email,
                "submitter_email": submitter.email,
                "sha256": submission.sha256,
                "record_number": submission.record_number,
                "received_at": format_instant_seconds(
                    submission.received_at, content["time_zone"], language
                ),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def receipt_file_name(record_number: str, language: str) -> str:
    """ "kuittaus-TEM-1-2021.pdf": the record number with its slashes as hyphens."""
    prefix = FILE_NAME_PREFIXES.get(_language(language), FILE_NAME_PREFIXES["en"])
    return f"{prefix}-{record_number.replace('/', '-')}.pdf"


def receipt_attachment(notice, submission) -> tuple[str, bytes, str]:
    """The attachment generator of the receipt e-mail, in the notice's language."""
    from .models import Submission

    submission = Submission.objects.select_related("submitted_by").get(pk=submission)
    return (
        receipt_file_name(submission.record_number, notice.language),
        receipt_pdf(submission, notice.language),
        "application/pdf",
    )


def register() -> None:
    """Make ``receipt_attachment`` the generator ``applications.receipt_pdf``."""
    from regionet.notifications.attachments import register_attachment

    register_attachment(RECEIPT_PDF, receipt_attachment)
