"""The registry of notice kinds: what each notice is, whether the law requires it, its templates.

A kind is a code ("application.receipt") with a label and description for the preferences
page. Receipts, completion requests and decisions are required by law: they are sent even when
the recipient would rather not get them, and the preferences page shows them switched on.
Other apps register their kinds with ``register_kind`` (in their ``AppConfig.ready``); the
kinds the applications app sends are registered here, so their templates live with this app.

Their context: ``application_title``; ``record_number`` (may be empty); ``call_name`` as
``{"fi": …, "sv": …, "en": …}``; ``url`` (absolute); ``organisation_name`` (the applicant,
i.e. the coordinating organisation; in ``application.partner_invited`` the one inviting);
``received_at`` and ``deadline`` (optional) as ISO instants with ``time_zone``; ``message``
(the officer's free text, optional); ``items`` (a list of strings, optional); ``call_id`` and
``phase_id`` (optional: the receipt names the call's contact persons and next steps as they
stand when it is sent); ``partner_name`` (the partner organisation) and, in
``application.partner_invitation``, ``inviter_name``.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every decision is served on its party, so no decision kind may be switched off.
REQUIRED_PREFIXES = ("decision.",)


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str | Promise
    description: str | Promise
    legally_required: bool

    @property
    def subject_template(self) -> str:
        return f"notifications/email/{self.code}_subject.txt"

    @property
    def message_template(self) -> str:
        return f"notifications/email/{self.code}_message.txt"


_KINDS: dict[str, NoticeKind] = {}


def register_kind(code, label, *, legally_required=False, description="") -> NoticeKind:
    """Register the notice kind ``code``; its templates are
    ``notifications/email/<code>_subject.txt`` and ``<code>_message.txt``.

    ``label`` and ``description`` are lazy translations. A code under ``decision.`` must be
    registered as legally required.
    """
    if code in _KINDS:
        raise ImproperlyConfigured(f"The notice kind {code!r} is already registered.")
    if code.startswith(REQUIRED_PREFIXES) and not legally_required:
        raise ImproperlyConfigured(f"The notice kind {code!r} is required by law.")
    kind = NoticeKind(code, label, description, legally_required)
    _KINDS[code] = kind
    return kind


def get_kind(code) -> NoticeKind:
    """The registered kind ``code``; LookupError for a code nobody registered."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown notice kind {code!r}.") from None


def all_kinds() -> list[NoticeKind]:
    """Every registered kind, in the order of registration."""
    return list(_KINDS.values())


def kind_label(code) -> str | Promise:
    """The label of ``code``, or the code itself for a kind no longer registered."""
    kind = _KINDS.get(code)
    return kind.label if kind else code


APPLICATION_RECEIPT = register_kind(
    "application.receipt",
    _("Receipt of a submitted application"),
    legally_required=True,
    description=_("Confirms that your application was received, with its record number."),
).code
APPLICATION_COMPLETION_REQUESTED = register_kind(
    "application.completion_requested",
    _("Completion request"),
    legally_required=True,
    description=_("The programme officer asks you to complete an application."),
).code
APPLICATION_PARTNER_INVITED = register_kind(
    "application.partner_invited",
    _("Invitation to be a partner"),
    description=_("Your organisation is invited to take part in an application as a partner."),
).code
APPLICATION_WITHDRAWN = register_kind(
    "application.withdrawn",
    _("Withdrawn application"),
    description=_("An application you take part in has been withdrawn."),
).code
APPLICATION_LATE_ADMISSION = register_kind(
    "application.late_admission",
    _("Permission to submit late"),
    description=_(
        "The programme officer allows an application to be submitted after the deadline."
    ),
).code
APPLICATION_INVITED_TO_FULL_PHASE = register_kind(
    "application.invited_to_full_phase",
    _("Invitation to the full application phase"),
    description=_("Your idea was selected and you are invited to send a full application."),
).code
EXPORT_READY = register_kind(
    "export.ready",
    _("Export ready"),
    description=_("A file you asked to be exported is ready for downloading."),
).code
APPLICATION_PARTNER_INVITATION = register_kind(
    "application.partner_invitation",
    _("Invitation to an organisation not yet in Regionet"),
    description=_(
        "An applicant invites your organisation by e-mail to take part in an application; "
        "you answer by registering it in Regionet or choosing it."
    ),
).code
APPLICATION_PARTNER_CONFIRMED = register_kind(
    "application.partner_confirmed",
    _("A partner confirmed its participation"),
    description=_("A partner organisation confirmed its participation in your application."),
).code
