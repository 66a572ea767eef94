"""The notices the application doors queue: who gets them, in which language, with what.

Called inside the door's transaction; the outbox (``regionet.notifications``) sends after
commit. Contexts hold plain values only (texts of the call in all three languages, ISO
instants), so each notice is written in its recipient's language when it is sent.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from regionet.accounts.models import Membership
from regionet.notifications.attachments import attachment
from regionet.notifications.services import notify

from .snapshot import texts_of as _texts

RECEIPT_PDF = "applications.receipt_pdf"


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.REGIONET_SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _name(organisation, language: str) -> str:
    """The organisation's name in ``language`` (else in fi, sv, en, as modeltranslation falls
    back): a notice is written in its recipient's language, not in that of whoever acted."""
    with translation.override(language):
        return str(organisation)


def _context(application, language: str, **extra) -> dict:
    return {
        "application_title": application.title,
        "record_number": application.record_number or "",
        "call_name": _texts(application.phase.call, "name"),
        "organisation_name": _name(application.coordinator, language),
        "time_zone": application.phase.call.programme.time_zone,
        "url": _url("applications:detail", language, pk=application.pk),
        **extra,
    }


def _members(organisation_id):
    return [
        membership.user
        for membership in Membership.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("user__email")
    ]


def receipt(submission):
    """The receipt to the submitter, in the application's language, with the PDF attached.

    Names what was received as the snapshot froze it (title, call, coordinator), so the
    door does not read them again."""
    content = submission.content
    language = content["language"]
    coordinator = content["coordinator"]
    notify(
        kind="application.receipt",
        recipient=submission.submitted_by,
        language=language,
        context={
            "application_title": content["title"],
            "record_number": submission.record_number,
            "call_name": content["call"]["name"],
            "organisation_name": coordinator["name"] or coordinator["business_id"],
            "time_zone": content["time_zone"],
            "received_at": submission.received_at.isoformat(),
            "number": submission.number,
            "sha256": submission.sha256,
            # The message names the call's contact persons and next steps as they stand when
            # it is sent (notifications/email/call_guidance.txt).
            "call_id": content["call"]["id"],
            "phase_id": content["phase"]["id"],
            "url": _url(
                "applications:receipt",
                language,
                pk=submission.application_id,
                number=submission.number,
            ),
        },
        attachments=[attachment(RECEIPT_PDF, submission=submission.pk)],
        dedupe_key=f"receipt:{submission.pk}",
        new_dedupe_key=True,
    )


def item_labels(application, items) -> list[dict[str, str]]:
    """The requested parts as the applicant knows them, in fi, sv and en."""
    from regionet.questionnaires.models import Section as QuestionnaireSection

    from .models import Section

    sections = {}
    if application.questionnaire_version_id is not None:
        sections = {
            f"answers:{section.pk}": _texts(section, "title")
            for section in QuestionnaireSection.objects.filter(
                version=application.questionnaire_version_id
            )
        }
    labels = []
    for item in items:
        if item in sections:
            labels.append(sections[item])
            continue
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(Section(item).label) if item in Section.values else item
        labels.append(texts)
    return labels


def completion_requested(request):
    application = request.application
    for user in _members(application.coordinator_id):
        language = user.preferred_language or application.language
        notify(
            kind="application.completion_requested",
            recipient=user,
            language=language,
            context=_context(
                application,
                language,
                deadline=request.closes_at.isoformat(),
                message=request.message,
                items=item_labels(application, request.items),
            ),
            dedupe_key=f"completion:{request.pk}:{user.pk}",
        )


def partner_invited(partner):
    _to_members(
        partner.organisation_id,
        partner.application,
        "application.partner_invited",
        link=("applications:confirm_partner", {"pk": partner.pk}),
        partner=partner.organisation,
    )


def _to_members(organisation_id, application, kind: str, *, link=None, partner=None, **extra):
    """``kind`` to each member of the organisation in their language (else the application's).
    ``link`` (a URL name and its arguments) stands for the application's own link and
    ``partner`` (an organisation) gives ``partner_name``, both in the recipient's language."""
    for user in _members(organisation_id):
        language = user.preferred_language or application.language
        in_language = {}
        if link is not None:
            name, kwargs = link
            in_language["url"] = _url(name, language, **kwargs)
        if partner is not None:
            in_language["partner_name"] = _name(partner, language)
        notify(
            kind=kind,
            recipient=user,
            language=language,
            context=_context(application, language, **in_language, **extra),
        )


def _to_coordinator(application, kind: str, **options):
    _to_members(application.coordinator_id, application, kind, **options)


def withdrawn(application):
    _to_coordinator(application, "application.withdrawn")


def late_admission(admission):
    _to_coordinator(
        admission.application,
        "application.late_admission",
        deadline=admission.valid_until.isoformat(),
        message=admission.reason,
    )


def invited_to_full_phase(invitation):
    _to_coordinator(
        invitation.idea,
        "application.invited_to_full_phase",
        deadline=invitation.phase.closes_at.isoformat(),
        link=("applications:start", {"call": invitation.phase.call_id}),
    )


def partner_invitation(invitation):
    """The invitation to an organisation's contact person, who may have no account yet: to the
    address the coordinator gave, in the application's language (the application is written
    in it), with the link to answer."""
    application = invitation.application
    language = application.language
    notify(
        kind="application.partner_invitation",
        email=invitation.email,
        language=language,
        context=_context(
            application,
            language,
            url=_url("applications:partner_invitation", language, key=str(invitation.key)),
            partner_name=invitation.organisation_name,
            inviter_name=invitation.invited_by.get_full_name(),
            deadline=invitation.expires_at.isoformat(),
        ),
        dedupe_key=f"partner-invitation:{invitation.pk}",
        new_dedupe_key=True,
    )


def partner_confirmed(partner):
    """To the coordinator's members: a partner confirmed its participation."""
    _to_coordinator(
        partner.application,
        "application.partner_confirmed",
        link=("applications:partners", {"pk": partner.application_id}),
        partner=partner.organisation,
    )
