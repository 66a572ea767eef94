from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "questionnaire.version_created": _("Questionnaire version created"),
    "questionnaire.version_frozen": _("Questionnaire version frozen"),
}


class QuestionnairesConfig(AppConfig):
    name = "regionet.questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)
