"""The registries of notice kinds and attachment generators."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from regionet.notifications import attachments, kinds


@pytest.fixture
def registry(monkeypatch):
    """Kinds registered in a test are forgotten after it."""
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))


def test_the_kinds_of_applications_and_exports_and_which_the_law_requires():
    assert [(kind.code, kind.legally_required) for kind in kinds.all_kinds()][:7] == [
        ("application.receipt", True),
        ("application.completion_requested", True),
        ("application.partner_invited", False),
        ("application.withdrawn", False),
        ("application.late_admission", False),
        ("application.invited_to_full_phase", False),
        ("export.ready", False),
    ]
    # The consortium's kinds (issue 11, item 30) came later.
    assert [kind.code for kind in kinds.all_kinds()][7:9] == [
        "application.partner_invitation",
        "application.partner_confirmed",
    ]
    receipt = kinds.get_kind("application.receipt")
    assert (receipt.subject_template, receipt.message_template) == (
        "notifications/email/application.receipt_subject.txt",
        "notifications/email/application.receipt_message.txt",
    )


def test_another_app_registers_its_kind(registry):
    kind = kinds.register_kind("grant.payment_made", "Payment made", description="Money sent.")
    assert kinds.get_kind("grant.payment_made") is kind
    assert (kind.label, kind.description, kind.legally_required) == (
        "Payment made",
        "Money sent.",
        False,
    )


def test_a_code_is_registered_once(registry):
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        kinds.register_kind("application.receipt", "Again")


def test_a_decision_kind_must_be_registered_as_required_by_law(registry):
    with pytest.raises(ImproperlyConfigured, match="required by law"):
        kinds.register_kind("decision.made", "Decision")
    assert kinds.register_kind("decision.made", "Decision", legally_required=True).code == (
        "decision.made"
    )


def test_an_unknown_kind_is_a_lookup_error():
    with pytest.raises(LookupError, match=re.escape("Unknown notice kind 'application.nonsense'.")):
        kinds.get_kind("application.nonsense")
    assert kinds.kind_label("application.nonsense") == "application.nonsense"


def test_generators_are_found_by_registered_name_or_dotted_path(monkeypatch):
    monkeypatch.setattr(attachments, "_GENERATORS", {})

    def receipt_pdf(notice):
        return "receipt.pdf", b"%PDF", "application/pdf"

    attachments.register_attachment("applications.receipt_pdf", receipt_pdf)
    attachments.register_attachment("applications.receipt_pdf", receipt_pdf)
    assert attachments.get_generator("applications.receipt_pdf") is receipt_pdf
    assert attachments.get_generator("json.dumps").__name__ == "dumps"
    with pytest.raises(ImproperlyConfigured):
        attachments.register_attachment("applications.receipt_pdf", lambda notice: None)
    with pytest.raises(LookupError):
        attachments.get_generator("applications.decision_pdf")
