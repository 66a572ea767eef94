"""The staff interface: translated, limited to the own funder, read-only once published."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regionet.accounts.models import Organisation
from regionet.audit.models import AuditEvent
from regionet.questionnaires.models import Question, Questionnaire
from regionet.questionnaires.services import freeze_version
from tests.factories import (
    CallFactory,
    FunderFactory,
    FunderRoleFactory,
    InstrumentFactory,
    PhaseFactory,
    ProgrammeFactory,
    QuestionnaireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"admin:questionnaires_{name}", args=args)


@pytest.fixture
def tem():
    return FunderFactory(
        name_fi="Työ- ja elinkeinoministeriö", name_sv="Arbets- och näringsministeriet"
    )


@pytest.fixture
def tillvaxtverket():
    return FunderFactory(country_code="SE", name_fi="Tillväxtverket", name_sv="Tillväxtverket")


@pytest.fixture
def officer(tem):
    user = UserFactory(is_staff=True)
    FunderRoleFactory(user=user, funder=tem, role="programme_officer")
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def own_version(version, tem):
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(funder=tem)
    version.questionnaire.refresh_from_db()
    return version


def test_changelist_shows_only_the_officers_own_funders_questionnaires(
    officer_client, tem, tillvaxtverket
):
    QuestionnaireFactory(funder=tem, name_en="Network application", code="network")
    QuestionnaireFactory(funder=tillvaxtverket, name_en="Uppföljning", code="follow-up")
    page = officer_client.get(url("questionnaire_changelist"))
    assert page.status_code == 200
    assert [q.code for q in page.context["cl"].result_list] == ["network"]
    assert "Uppföljning" not in page.content.decode()


def test_another_funders_questionnaire_is_not_found(officer_client, tillvaxtverket, version):
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(funder=tillvaxtverket)
    question = version.questions.first()
    for address in (
        url("questionnaire_change", version.questionnaire_id),
        url("questionnaire_delete", version.questionnaire_id),
        url("questionnaireversion_change", version.pk),
        url("question_change", question.pk),
    ):
        assert officer_client.get(address).status_code == 404
    response = officer_client.post(url("questionnaireversion_publish", version.pk))
    assert response.status_code == 404
    assert version.questionnaire.versions.get().frozen_at is None


def test_changelist_queries_do_not_grow_with_questionnaires(officer_client, tem):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(url("questionnaire_changelist")).status_code == 200
        return len(queries)

    QuestionnaireFactory(funder=tem)
    one = count()
    QuestionnaireFactory.create_batch(4, funder=tem)
    assert count() == one


def test_version_changelist_queries_do_not_grow(officer_client, own_version, tem):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(url("questionnaireversion_changelist")).status_code == 200
        return len(queries)

    one = count()
    for questionnaire in QuestionnaireFactory.create_batch(3, funder=tem):
        questionnaire.versions.create(number=1)
    assert count() == one


def test_the_admin_is_translated(officer_client, own_version):
    finnish = officer_client.get(url("questionnaireversion_change", own_version.pk, language="fi"))
    swedish = officer_client.get(url("questionnaireversion_change", own_version.pk, language="sv"))
    assert "Julkaise tämä versio" in finnish.content.decode()
    assert "Publicera den här versionen" in swedish.content.decode()
    assert 'name="questions-0-label_sv"' in finnish.content.decode()


def test_an_officer_creates_a_questionnaire_with_its_first_draft(officer_client, tem, officer):
    response = officer_client.post(
        url("questionnaire_add"),
        {
            "funder": tem.pk,
            "code": "network-application",
            "name_fi": "Verkostohakemus",
            "name_sv": "Nätverksansökan",
            "name_en": "Network application",
            "purpose": "application",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get(code="network-application")
    assert questionnaire.funder == tem
    assert list(questionnaire.versions.values_list("number", "frozen_at")) == [(1, None)]


def test_an_officer_cannot_create_for_another_funder(officer_client, tillvaxtverket):
    response = officer_client.post(
        url("questionnaire_add"),
        {
            "funder": tillvaxtverket.pk,
            "code": "x",
            "name_fi": "X",
            "name_sv": "X",
            "purpose": "application",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "funder" in response.context["adminform"].form.errors
    assert Questionnaire.objects.filter(code="x").count() == 0


def _inline_data(version, **changes):
    """The POST data of the version page as it is, with ``changes`` to the first question."""
    data = {
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    questions = list(version.questions.filter(table__isnull=True).order_by("pk"))
    data["questions-TOTAL_FORMS"] = str(len(questions))
    data["questions-INITIAL_FORMS"] = str(len(questions))
    for index, question in enumerate(questions):
        prefix = f"questions-{index}-"
        fields = {
            "id": question.pk,
            "version": version.pk,
            "section": question.section_id,
            "order": question.order,
            "key": question.key,
            "kind": question.kind,
            "label_fi": question.label_fi,
            "label_sv": question.label_sv,
            "label_en": question.label_en,
            "help_text_fi": question.help_text_fi or "",
            "help_text_sv": question.help_text_sv or "",
            "help_text_en": question.help_text_en or "",
            "visibility": question.visibility,
            "max_length": question.max_length or "",
            "min_value": question.min_value if question.min_value is not None else "",
            "max_value": question.max_value if question.max_value is not None else "",
        }
        if question.required:
            fields["required"] = "on"
        if index == 0:
            fields.update(changes)
        data.update({prefix + name: value for name, value in fields.items()})
    return data


def test_a_draft_is_edited_inline_and_validated(officer_client, own_version):
    address = url("questionnaireversion_change", own_version.pk)
    first = own_version.questions.filter(table__isnull=True).order_by("pk").first()
    response = officer_client.post(address, _inline_data(own_version, label_fi="Yhteyshenkilö"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.label_fi == "Yhteyshenkilö"

    response = officer_client.post(address, _inline_data(own_version, key="title"))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.errors[0]
    assert errors == {
        "key": [
            "“title” is a typed field of the application (title, summary, theme or zone, "
            "amounts, municipalities, partners), not a question."
        ]
    }
    response = officer_client.post(address, _inline_data(own_version, key="staff_years"))
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.key == "contact_person"


def test_a_published_version_is_read_only_with_a_new_version_button(
    officer_client, own_version, officer, now
):
    freeze_version(own_version, by=officer, now=now)
    address = url("questionnaireversion_change", own_version.pk)
    page = officer_client.get(address)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="questions-0-label_fi"' not in body
    assert "Make a new version" in body
    assert "Publish this version" not in body
    first = own_version.questions.filter(table__isnull=True).order_by("pk").first()
    assert (
        officer_client.post(address, _inline_data(own_version, label_fi="Muutos")).status_code
        == 403
    )
    first.refresh_from_db()
    assert first.label_fi == "contact_person fi"
    assert officer_client.post(url("question_change", first.pk), {}).status_code == 403

    response = officer_client.post(url("questionnaireversion_new_version", own_version.pk))
    draft = own_version.questionnaire.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == url("questionnaireversion_change", draft.pk)
    assert draft.questions.count() == own_version.questions.count()
    assert (
        'name="questions-0-label_fi"' in officer_client.get(response["Location"]).content.decode()
    )


def test_publishing_a_draft_from_its_page(officer_client, own_version, officer):
    response = officer_client.post(url("questionnaireversion_publish", own_version.pk))
    assert response.status_code == 302
    own_version.refresh_from_db()
    assert own_version.frozen_by == officer
    assert AuditEvent.objects.for_target(own_version).get().verb == "questionnaire.version_frozen"
    assert (
        officer_client.get(url("questionnaireversion_publish", own_version.pk)).status_code == 405
    )


def test_an_incomplete_draft_is_not_published_and_says_why(officer_client, own_version):
    Question.objects.filter(version=own_version, key="staff_years").update(label_sv="")
    response = officer_client.post(
        url("questionnaireversion_publish", own_version.pk, language="en"), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Question 'staff_years en' has no Swedish question"
    ]
    own_version.refresh_from_db()
    assert own_version.frozen_at is None


def test_a_questionnaire_with_a_published_version_cannot_be_deleted(
    officer_client, own_version, officer, now
):
    freeze_version(own_version, by=officer, now=now)
    address = url("questionnaire_delete", own_version.questionnaire_id)
    assert officer_client.get(address).status_code == 403


def test_reviewers_have_no_access(client, tem, version):
    reviewer = UserFactory(is_staff=True)
    FunderRoleFactory(user=reviewer, funder=tem, role="reviewer")
    TOTP.activate(reviewer, generate_totp_secret())
    client.force_login(reviewer)
    assert client.get(url("questionnaire_changelist")).status_code == 403


def test_a_superuser_sees_every_funder(admin_client, tem, tillvaxtverket):
    QuestionnaireFactory(funder=tem)
    QuestionnaireFactory(funder=tillvaxtverket)
    page = admin_client.get(url("questionnaire_changelist"))
    assert len(page.context["cl"].result_list) == 2
    assert Organisation.objects.funders().count() >= 2


def _column_data(table, **new_column):
    data = {
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
        "section": table.section_id,
        "order": table.order,
        "key": table.key,
        "kind": table.kind,
        "label_fi": table.label_fi,
        "label_sv": table.label_sv,
        "label_en": table.label_en,
        "visibility": table.visibility,
    }
    columns = list(table.columns.order_by("pk"))
    data["columns-TOTAL_FORMS"] = str(len(columns) + 1)
    data["columns-INITIAL_FORMS"] = str(len(columns))
    for index, column in enumerate(columns):
        prefix = f"columns-{index}-"
        data.update(
            {
                prefix + "id": column.pk,
                prefix + "table": table.pk,
                prefix + "order": column.order,
                prefix + "key": column.key,
                prefix + "kind": column.kind,
                prefix + "label_fi": column.label_fi,
                prefix + "label_sv": column.label_sv,
                prefix + "visibility": column.visibility,
            }
        )
        if column.required:
            data[prefix + "required"] = "on"
        if column.min_value is not None:
            data[prefix + "min_value"] = column.min_value
    prefix = f"columns-{len(columns)}-"
    data.update({prefix + "table": table.pk, prefix + "visibility": "public"})
    data.update({prefix + name: value for name, value in new_column.items()})
    return data


def test_columns_are_added_on_the_tables_page(officer_client, own_version):
    table = own_version.questions.get(key="members")
    address = url("question_change", table.pk)
    page = officer_client.get(address).content.decode()
    assert 'name="columns-0-label_sv"' in page
    assert 'value="file"' not in page.split('name="columns-0-kind"')[1].split("</select>")[0]

    response = officer_client.post(
        address,
        _column_data(
            table, order=5, key="phone", kind="short_text", label_fi="Puhelin", label_sv="Telefon"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url("questionnaireversion_change", own_version.pk)
    phone = table.columns.get(key="phone")
    assert (phone.version_id, phone.section_id, phone.label_sv) == (
        own_version.pk,
        table.section_id,
        "Telefon",
    )

    response = officer_client.post(
        address,
        _column_data(table, order=6, key="email", kind="short_text", label_fi="X", label_sv="X"),
    )
    assert response.status_code == 200
    assert table.columns.filter(key="email").count() == 1


def test_choices_are_edited_on_the_questions_page_until_published(
    officer_client, own_version, officer, now
):
    focus = own_version.questions.get(key="focus")
    page = officer_client.get(url("question_change", focus.pk)).content.decode()
    assert 'name="choices-0-label_sv"' in page
    freeze_version(own_version, by=officer, now=now)
    page = officer_client.get(url("question_change", focus.pk)).content.decode()
    assert 'name="choices-0-label_sv"' not in page
    assert "Vätgasekonomi" in page


@pytest.mark.parametrize("model", ["questionnaire", "questionnaireversion", "question"])
def test_every_page_opens_for_a_superuser(admin_client, version, model):
    obj = {
        "questionnaire": version.questionnaire,
        "questionnaireversion": version,
        "question": version.questions.get(key="members"),
    }[model]
    assert admin_client.get(url(f"{model}_changelist")).status_code == 200
    assert admin_client.get(url(f"{model}_change", obj.pk)).status_code == 200


def test_phase_links_are_limited_to_the_officers_funder(officer_client, tem, tillvaxtverket):
    own_call = CallFactory(programme=ProgrammeFactory(funder=tem))
    own_phase = PhaseFactory(call=own_call)
    own_instrument = InstrumentFactory(call=own_call)
    other_phase = PhaseFactory(call=CallFactory(programme=ProgrammeFactory(funder=tillvaxtverket)))
    questionnaire = QuestionnaireFactory(funder=tem)
    form = officer_client.get(url("questionnaireuse_add")).context["adminform"].form
    assert list(form.fields["phase"].queryset) == [own_phase]
    assert list(form.fields["instrument"].queryset) == [own_instrument]
    assert list(form.fields["questionnaire"].queryset) == [questionnaire]
    response = officer_client.post(
        url("questionnaireuse_add"),
        {
            "phase": other_phase.pk,
            "instrument": own_instrument.pk,
            "questionnaire": questionnaire.pk,
        },
    )
    assert response.status_code == 200
    response = officer_client.post(
        url("questionnaireuse_add"),
        {"phase": own_phase.pk, "instrument": own_instrument.pk, "questionnaire": questionnaire.pk},
    )
    assert response.status_code == 302
    assert questionnaire.uses.get().phase == own_phase
