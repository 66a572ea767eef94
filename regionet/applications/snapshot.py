"""The registry's snapshot of an application: everything received, as plain JSON, and its hash.

The snapshot names texts of the call in all three languages (so a receipt can be written in
any of them later) and stores amounts as strings with two decimals. ``content_hash`` is the
SHA-256 of the canonical serialisation (sorted keys, no spaces, UTF-8): the same content
always gives the same hash, and anyone can recompute it from the stored JSON.
"""

import hashlib
import json

from django.conf import settings
from django.utils import translation

from .eligibility import (
    application_checks,
    budget_totals,
    financing_check,
    municipality_regions,
)

SCHEMA = 1


def texts_of(obj, field: str) -> dict[str, str]:
    """A translated field in every language: {"fi": …, "sv": …, "en": …}."""
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code, _ in settings.LANGUAGES}


def _money(value) -> str:
    return f"{value:.2f}"


def received(content: dict, *, record_number: str, number: int, received_at) -> dict:
    """``content`` of a draft (``draft_content``) as submission ``number`` received at
    ``received_at`` under ``record_number``."""
    return {
        **content,
        "record_number": record_number,
        "number": number,
        "received_at": received_at.isoformat(),
    }


def draft_content(application, *, checks=None) -> dict:
    """What a submission of the draft as it stands would freeze, less the three facts only
    the submission gives (record number, number, instant); ``checks`` if already computed.
    Reads the lists prefetched by ``services._with_contents`` (or queries them)."""
    if checks is None:
        checks = application_checks(application)
    phase = application.phase
    call = phase.call
    programme = call.programme
    instrument = application.instrument
    version = application.questionnaire_version
    partners = application.partners.all()
    municipalities = sorted(application.municipalities.all(), key=lambda m: m.code)

    regions = municipality_regions(application)
    totals = budget_totals(application)
    financing = financing_check(application, totals)
    return {
        "schema": SCHEMA,
        "time_zone": programme.time_zone,
        "currency": programme.currency,
        "language": application.language,
        "programme": {"id": programme.pk, "name": texts_of(programme, "name")},
        "call": {"id": call.pk, "name": texts_of(call, "name")},
        "phase": {
            "id": phase.pk,
            "kind": phase.kind,
            "name": texts_of(phase, "name"),
            "closes_at": phase.closes_at.isoformat(),
        },
        "instrument": {
            "id": instrument.pk,
            "code": instrument.code,
            "name": texts_of(instrument, "name"),
        },
        "coordinator": _organisation(application.coordinator, application.language),
        "partners": [
            {
                **_organisation(partner.organisation, application.language),
                "role": partner.role,
                "tasks": partner.tasks,
                "confirmed_at": partner.confirmed_at and partner.confirmed_at.isoformat(),
                "confirmed_by": partner.confirmed_by and partner.confirmed_by.email,
                "commitment": partner.commitment,
            }
            for partner in partners
        ],
        "municipalities": [
            {
                "id": municipality.pk,
                "code": municipality.code,
                "name": texts_of(municipality, "name"),
                "region": _region(regions.get(municipality.pk)),
            }
            for municipality in municipalities
        ],
        "title": application.title,
        "summary": application.summary,
        "theme": application.theme
        and {"code": application.theme.code, "name": texts_of(application.theme, "name")},
        "zone": application.zone
        and {"code": application.zone.code, "name": texts_of(application.zone, "name")},
        "questionnaire": version
        and {
            "id": version.pk,
            "code": version.questionnaire.code,
            "version": version.number,
        },
        "answers": application.answers,
        "budget": {
            "rows": [
                {"year": row.year, "category": row.category, "amount": _money(row.amount)}
                for row in sorted(application.budget_rows.all(), key=lambda r: (r.year, r.category))
            ],
            "income": [
                {"year": row.year, "description": row.description, "amount": _money(row.amount)}
                for row in sorted(application.income_rows.all(), key=lambda r: (r.year, r.pk))
            ],
            "total_costs": _money(totals.total_costs),
            "total_income": _money(totals.total_income),
            "net_costs": _money(totals.net_costs),
            "costs_by_year": {str(y): _money(totals.costs_in(y)) for y in totals.years},
        },
        "financing": {
            "aid_requested": _money(application.aid_requested),
            "own_financing": _money(application.own_financing),
            "other_public_funding": _money(application.other_public_funding),
            "aid_percent": None if financing.aid_percent is None else _money(financing.aid_percent),
        },
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.name,
                "description": attachment.description,
                "question": attachment.question_key,
                "kind": attachment.kind,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
            for attachment in application.attachments.all()
            if attachment.removed_at is None
        ],
        "checks": [{"code": check.code, "passed": check.passed} for check in checks],
    }


def _organisation(organisation, language: str) -> dict:
    # The name in the application's language (or its fallback), whoever's page prepared the
    # snapshot: the receipt and the registry show it as the applicant wrote the application.
    with translation.override(language):
        name = organisation.name
    return {
        "id": organisation.pk,
        "name": name,
        "business_id": organisation.business_id,
        "type": organisation.type,
        "country": organisation.country.code,
    }


def _region(region) -> dict | None:
    if region is None:
        return None
    return {"id": region.pk, "code": region.code, "name": texts_of(region, "name")}


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()
