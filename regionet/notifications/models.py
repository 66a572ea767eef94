"""The outbox of notices (e-mail to users and other addresses) and users' notice preferences.

A notice is stored in the transaction of the change it tells about, and sent after that
transaction commits; a failed sending is retried later (see ``services``). Its ``context``
holds plain JSON values (ids, codes, ISO instants, texts typed by people), never translated
texts: the message is rendered in the notice's language when it is sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regionet.accounts.models import Language

from .kinds import kind_label


class Notice(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        SUPPRESSED = "suppressed", _("not sent: switched off")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    # The address the notice goes to: the recipient's at the time it was queued.
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set by callers for notices that must go only once (the receipt of one submission);
    # empty for the others.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notifications_notice_dedupe_key_unique",
            ),
            models.CheckConstraint(condition=~Q(email=""), name="notifications_notice_has_address"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notifications_notice_due"),
            models.Index(fields=["recipient", "-created_at"], name="notifications_notice_user"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.email}"

    @property
    def kind_label(self):
        return kind_label(self.kind)


class NoticePreference(models.Model):
    """A user's choice to get (or not) notices of one kind; no row means "get them"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_preference_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'on' if self.enabled else 'off'}"
