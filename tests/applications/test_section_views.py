"""The applicant's section pages: who may read and edit them, saving and autosaving through
``services.save_section`` with the section's version, conflicts, amounts with decimal commas,
the consortium and attachments."""

import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from regionet.applications import services
from regionet.applications.models import (
    Attachment,
    BudgetRow,
    CostCategory,
    IncomeRow,
    Partner,
    RefusedSave,
    Section,
)
from regionet.applications.uploads import MESSAGES
from regionet.places.models import Municipality
from regionet.programmes.money import format_money
from regionet.questionnaires.models import Question
from tests.factories import (
    ApplicationFactory,
    ChoiceFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    QuestionFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
    ThemeFactory,
    municipalities_in_regions,
)
from tests.factories.documents import make_pdf

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_HX_REQUEST": "true"}
FIXED_SECTIONS = ["basics", "partners", "municipalities", "budget", "financing", "attachments"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def coordinator_client(client, application):
    client.force_login(application.created_by)
    return client


@pytest.fixture
def questionnaire(application):
    """Two questionnaire sections: the first with a required text, a choice and a file
    question, the second with one text question."""
    version = QuestionnaireVersionFactory()
    first = SectionFactory(version=version, order=1)
    second = SectionFactory(version=version, order=2)
    goals = QuestionFactory(
        section=first, kind=Question.Kind.LONG_TEXT, max_length=2000, required=True
    )
    scale = QuestionFactory(section=first, kind=Question.Kind.SINGLE_CHOICE)
    ChoiceFactory(question=scale, value="local", label_fi="Paikallinen")
    ChoiceFactory(question=scale, value="national", label_fi="Valtakunnallinen")
    plan = QuestionFactory(section=first, kind=Question.Kind.FILE, required=True)
    other = QuestionFactory(section=second, kind=Question.Kind.SHORT_TEXT)
    application.questionnaire_version = version
    application.save()
    return {
        "first": first,
        "second": second,
        "goals": goals,
        "scale": scale,
        "plan": plan,
        "other": other,
    }


def url(name, application, language="en", **kwargs):
    """The page's address in ``language``: English by default, so that texts compare with
    their msgids."""
    with translation.override(language):
        return reverse(f"applications:{name}", kwargs={"pk": application.pk, **kwargs})


def minimal_pdf() -> bytes:
    # A PDF reader opens it: the upload check parses every file it accepts.
    return make_pdf()


# --- Who may see and edit --------------------------------------------------------------


@pytest.mark.parametrize("name", FIXED_SECTIONS)
def test_the_coordinators_member_gets_each_section_as_a_form(coordinator_client, application, name):
    response = coordinator_client.get(url(name, application))

    assert response.status_code == 200
    assert response.context["editable"] is True
    assert b'method="post"' in response.content
    assert b"read-only-notice" not in response.content


def test_the_answers_page_shows_only_its_sections_questions(
    coordinator_client, application, questionnaire
):
    response = coordinator_client.get(
        url("answers", application, section=questionnaire["first"].pk)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == [questionnaire["goals"].key, questionnaire["scale"].key]
    content = response.content.decode()
    assert f'name="{questionnaire["other"].key}"' not in content
    # The file question is answered on the attachments page.
    attach_link = url("attachments", application) + f"?question={questionnaire['plan'].key}"
    assert escape(attach_link) in content


def test_an_answers_page_of_another_questionnaire_is_not_found(
    coordinator_client, application, questionnaire
):
    stranger = SectionFactory()

    assert (
        coordinator_client.get(url("answers", application, section=stranger.pk)).status_code == 404
    )


def all_urls(application, questionnaire_section):
    return [url(name, application) for name in FIXED_SECTIONS] + [
        url("answers", application, section=questionnaire_section.pk)
    ]


def test_another_organisations_member_gets_404_on_every_section(client, application, questionnaire):
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(outsider)

    for address in all_urls(application, questionnaire["first"]):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"title": "x", "version": 0}).status_code == 404, address
        assert client.post(address, {"autosave": "1"}, **AUTOSAVE).status_code == 404, address
    application.refresh_from_db()
    assert application.section_versions == {}


def partner_member(application, sections):
    partner = PartnerFactory(application=application, editable_sections=sections)
    member = MembershipFactory(organisation=partner.organisation).user
    services.confirm_partnership(partner, commitment="Olemme mukana.", by=member)
    application.refresh_from_db()
    return member


def test_a_partner_member_edits_only_the_sections_opened_to_it(client, application):
    member = partner_member(application, [Section.BUDGET])
    client.force_login(member)
    year = application.phase.call.programme.first_year

    basics = client.get(url("basics", application))
    assert basics.status_code == 200
    assert basics.context["editable"] is False
    assert basics.context["form"] is None
    assert b"read-only-notice" in basics.content
    refused = client.post(url("basics", application), {"title": "Kaappaus", "version": 0})
    assert refused.status_code == 403

    saved = client.post(
        url("budget", application),
        {**empty_income(), f"cost_{year}_travel": "300", "version": 0},
    )
    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.title != "Kaappaus"
    assert list(application.budget_rows.values_list("category", "amount")) == [
        ("travel", Decimal("300.00"))
    ]


def test_anonymous_autosave_gets_the_sign_in_again_fragment(client, application):
    response = client.post(
        url("basics", application), {"title": "Kesken", "version": 0, "autosave": "1"}, **AUTOSAVE
    )

    assert response.status_code == 401
    assert response["X-Save-Status"] == "signed_out"
    content = response.content.decode()
    assert content.startswith(
        '<span class="save-status__problem" data-signed-out>Not saved: you have been signed '
        "out. Your text is still on this page."
    )
    with translation.override("en"):
        login = reverse("account_login")
    assert f'<a href="{login}?next={url("basics", application)}" target="_blank"' in content
    assert "<html" not in content


def test_anonymous_page_requests_go_to_the_sign_in_page(client, application):
    response = client.get(url("budget", application))

    assert response.status_code == 302
    with translation.override("en"):
        assert response.url == f"{reverse('account_login')}?next={url('budget', application)}"


# --- Saving ---------------------------------------------------------------------------


def test_basics_are_saved_and_the_user_returns_to_the_task_list(coordinator_client, application):
    theme = ThemeFactory(programme=application.phase.call.programme)

    response = coordinator_client.post(
        url("basics", application),
        {"title": "Vetyverkosto", "summary": "Yhteistyötä.", "theme": theme.pk, "version": 0},
    )

    assert response.status_code == 302
    assert response.url == url("detail", application)
    application.refresh_from_db()
    assert (application.title, application.summary, application.theme_id) == (
        "Vetyverkosto",
        "Yhteistyötä.",
        theme.pk,
    )
    assert application.section_version(Section.BASICS) == 1
    assert "zone" not in coordinator_client.get(url("basics", application)).context["form"].fields


def test_the_complete_checkbox_marks_the_section_complete(coordinator_client, application):
    coordinator_client.post(
        url("basics", application), {"title": "Valmis", "version": 0, "complete": "on"}
    )
    application.refresh_from_db()
    assert application.completed_sections == {"basics": True}

    coordinator_client.post(url("basics", application), {"title": "Valmis", "version": 1})
    application.refresh_from_db()
    assert application.completed_sections == {}


def test_municipalities_are_saved_and_their_regions_counted(coordinator_client, application):
    chosen = municipalities_in_regions(4, 2, year=services.facts_year(application))

    response = coordinator_client.post(
        url("municipalities", application),
        {"municipalities": [m.pk for m in chosen], "version": 0, "stay": "1"},
    )

    assert response.status_code == 302
    assert response.url == url("municipalities", application)
    assert sorted(application.municipalities.values_list("pk", flat=True)) == sorted(
        m.pk for m in chosen
    )
    page = coordinator_client.get(url("municipalities", application))
    assert page.context["chosen_count"] == 4
    assert len(page.context["chosen_regions"]) == 2
    assert page.context["municipalities_enough"] is True
    assert page.context["regions_enough"] is True
    content = page.content.decode()
    for municipality in chosen:
        assert f'value="{municipality.pk}" id="municipality-{municipality.pk}" checked' in content


def test_a_minimum_the_instrument_does_not_set_is_not_shown(coordinator_client, application):
    instrument = application.instrument
    instrument.min_municipalities = instrument.min_regions = 0
    instrument.save(update_fields=["min_municipalities", "min_regions"])
    chosen = municipalities_in_regions(2, 1, year=services.facts_year(application))
    application.municipalities.set(chosen)

    page = coordinator_client.get(url("municipalities", application))

    summary = re.search(
        r'<div id="municipality-summary".*?</ul>', page.content.decode(), re.S
    ).group(0)
    items = [
        re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]
    assert items == ["2 municipalities chosen", "1 region"]


def test_an_empty_financing_plan_asks_for_the_costs_first(coordinator_client, application):
    page = coordinator_client.get(url("financing", application))

    content = page.content.decode()
    assert (
        "The budget has no costs to cover yet. Enter the costs in the budget first: the "
        "financing plan is checked against them." in content
    )
    assert "covers the costs exactly" not in content
    assert "not within the limit" not in content


def empty_income(rows=0, total=1):
    return {
        "income-TOTAL_FORMS": str(total),
        "income-INITIAL_FORMS": str(rows),
        "income-MIN_NUM_FORMS": "0",
        "income-MAX_NUM_FORMS": "1000",
    }


def test_budget_amounts_with_decimal_commas_and_totals_to_the_cent(coordinator_client, application):
    programme = application.phase.call.programme
    first, second = programme.first_year, programme.first_year + 1

    response = coordinator_client.post(
        url("budget", application, language="fi"),
        {
            **empty_income(),
            f"cost_{first}_personnel": "1 250,55",
            f"cost_{first}_travel": "99,9",
            # A phone's keyboard may offer only the point: before cents it is read as the comma.
            f"cost_{second}_other": "1 000.25",
            f"cost_{second}_purchased_services": "2\u00a0000",
            "income-0-year": str(first),
            "income-0-description": "Osallistumismaksut",
            "income-0-amount": "100,10",
            "version": 0,
            "stay": "1",
        },
    )

    assert response.status_code == 302
    rows = {
        (r.year, r.category): r.amount for r in BudgetRow.objects.filter(application=application)
    }
    # 15 % of 1 250,55 is 187,5825: to the cent 187,58.
    assert rows == {
        (first, CostCategory.PERSONNEL): Decimal("1250.55"),
        (first, CostCategory.TRAVEL): Decimal("99.90"),
        (first, CostCategory.INDIRECT): Decimal("187.58"),
        (second, CostCategory.OTHER): Decimal("1000.25"),
        (second, CostCategory.PURCHASED_SERVICES): Decimal("2000.00"),
    }
    assert list(
        IncomeRow.objects.filter(application=application).values_list(
            "year", "description", "amount"
        )
    ) == [(first, "Osallistumismaksut", Decimal("100.10"))]
    page = coordinator_client.get(url("budget", application, language="fi"))
    assert page.context["year_totals"][:2] == [Decimal("1538.03"), Decimal("3000.25")]
    assert page.context["total_costs"] == Decimal("4538.28")
    assert page.context["net_costs"] == Decimal("4438.18")
    content = page.content.decode()
    assert format_money(Decimal("4538.28"), "EUR", "fi") == "4\u00a0538,28\u00a0€"
    assert "<strong>4\u00a0538,28\u00a0€</strong>" in content
    assert '<td class="number">187,58\u00a0€</td>' in content
    # The saved amounts are shown as the language writes them, and the empty row is there.
    assert 'value="1\u00a0250,55"' in content
    assert page.context["form"].income.total_form_count() == 2


def test_an_amount_that_would_be_three_decimals_on_a_finnish_page_is_refused_and_kept(
    coordinator_client, application
):
    first = application.phase.call.programme.first_year
    field = f"cost_{first}_travel"

    response = coordinator_client.post(
        url("budget", application, language="fi"),
        {**empty_income(), field: "12,345", "version": 0, "stay": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "”12,345” olisi luku, jossa on yli kaksi desimaalia: desimaalierotin on pilkku ja "
        "tuhannet erotetaan välilyönnillä. Tarkoititko 12\u00a0345,00?"
    ]
    assert 'value="12,345"' in response.content.decode()
    assert BudgetRow.objects.filter(application=application).count() == 0


def test_a_malformed_amount_keeps_everything_typed_and_saves_nothing(
    coordinator_client, application
):
    response = coordinator_client.post(
        url("financing", application),
        {"aid_requested": "80 000,00", "own_financing": "kaksikymmentä", "version": 0},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="80 000,00"' in content
    assert 'value="kaksikymmentä"' in content
    assert 'class="error-summary"' in content
    assert 'href="#id_own_financing"' in content
    application.refresh_from_db()
    assert application.aid_requested == Decimal("0.00")
    assert application.section_version(Section.FINANCING) == 0


def test_financing_is_saved_and_its_shares_shown(coordinator_client, application):
    year = application.phase.call.programme.first_year
    BudgetRow.objects.create(
        application=application, year=year, category=CostCategory.OTHER, amount=Decimal("1000")
    )

    coordinator_client.post(
        url("financing", application, language="fi"),
        {
            "aid_requested": "800",
            "own_financing": "200,00",
            "other_public_funding": "",
            "version": 0,
        },
    )

    page = coordinator_client.get(url("financing", application))
    financing = page.context["financing"]
    assert (financing.net_costs, financing.total_financing) == (Decimal("1000"), Decimal("1000.00"))
    assert (financing.aid_percent, financing.own_percent) == (Decimal("80.00"), Decimal("20.00"))
    assert financing.balanced is True


def test_answers_are_saved_without_the_required_ones_and_keep_the_file_answer(
    coordinator_client, application, questionnaire
):
    goals, scale, plan = questionnaire["goals"], questionnaire["scale"], questionnaire["plan"]
    other = questionnaire["other"]
    application.answers = {plan.key: 17, other.key: "Toinen osio"}
    application.save()

    response = coordinator_client.post(
        url("answers", application, section=questionnaire["first"].pk),
        {scale.key: "national", "version": 0},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers == {scale.key: "national", plan.key: 17, other.key: "Toinen osio"}
    assert goals.key not in application.answers
    assert application.section_version(f"answers:{questionnaire['first'].pk}") == 1


# --- Autosave and conflicts ----------------------------------------------------------


def test_autosave_answers_with_the_saved_time_and_the_new_version(coordinator_client, application):
    response = coordinator_client.post(
        url("basics", application),
        {"title": "Luonnos", "summary": "", "version": 0, "autosave": "1"},
        **AUTOSAVE,
    )

    assert response.status_code == 200
    assert response["X-Save-Status"] == "saved"
    application.refresh_from_db()
    assert (application.title, application.section_version(Section.BASICS)) == ("Luonnos", 1)
    local = application.updated_at.astimezone(ZoneInfo("Europe/Helsinki"))
    content = response.content.decode()
    assert content.startswith(f"Saved at {local.hour:02d}:{local.minute:02d}\n")
    assert (
        '<input type="hidden" name="version" id="section-version" value="1" hx-swap-oob="true">'
        in content
    )
    assert "<html" not in content


def test_autosave_of_the_budget_refreshes_its_totals(coordinator_client, application):
    year = application.phase.call.programme.first_year

    response = coordinator_client.post(
        url("budget", application),
        {**empty_income(), f"cost_{year}_personnel": "1000", "version": 0, "autosave": "1"},
        **AUTOSAVE,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<div id="budget-totals" class="summary-box" hx-swap-oob="true">' in content
    # 1 000,00 of personnel costs and 15 % of it as indirect costs.
    assert "<strong>€1,150.00</strong>" in content


def test_autosave_with_errors_says_not_saved_and_saves_nothing(coordinator_client, application):
    response = coordinator_client.post(
        url("financing", application),
        {"aid_requested": "-5", "version": 0, "autosave": "1"},
        **AUTOSAVE,
    )

    assert response.status_code == 422
    assert response["X-Save-Status"] == "invalid"
    assert response.content.decode().strip() == (
        '<span class="save-status__problem">Not saved: Aid requested: An amount cannot be '
        "negative: enter it without a minus sign.</span>"
    )
    application.refresh_from_db()
    assert application.section_version(Section.FINANCING) == 0


def test_autosave_of_a_part_not_open_to_the_user_is_refused_with_a_fragment(client, application):
    client.force_login(partner_member(application, [Section.BUDGET]))

    response = client.post(
        url("financing", application),
        {"aid_requested": "5", "version": 0, "autosave": "1"},
        **AUTOSAVE,
    )

    assert response.status_code == 403
    assert response["X-Save-Status"] == "refused"
    application.refresh_from_db()
    assert application.aid_requested == Decimal("0.00")


def save_basics(client, application, title, **extra):
    return client.post(
        url("basics", application),
        {"title": title, "version": 0, **extra},
        **(AUTOSAVE if extra.get("autosave") else {}),
    )


def test_a_stale_save_is_refused_with_both_texts_and_the_first_save_kept(client, application):
    first_user = application.created_by
    second_user = MembershipFactory(organisation=application.coordinator).user
    client.force_login(first_user)
    assert save_basics(client, application, "Ensimmäisen teksti").status_code == 302

    client.force_login(second_user)
    response = save_basics(client, application, "Toisen teksti")

    assert response.status_code == 409
    content = response.content.decode()
    assert "Ensimmäisen teksti" in content  # theirs, saved
    assert content.count("Toisen teksti") == 2  # in the conflict box and still in the form
    assert 'id="section-conflict"' in content
    # Saving again after seeing both texts replaces theirs on purpose.
    assert response.context["version"] == 1
    application.refresh_from_db()
    assert application.title == "Ensimmäisen teksti"
    assert application.section_version(Section.BASICS) == 1
    refused = RefusedSave.objects.get(application=application)
    assert (refused.section, refused.user, refused.based_on_version) == ("basics", second_user, 0)
    assert refused.data["title"] == "Toisen teksti"


def test_a_stale_autosave_gets_the_conflict_fragment(client, application):
    client.force_login(application.created_by)
    save_basics(client, application, "Ensimmäisen teksti")

    response = save_basics(client, application, "Toisen teksti", autosave="1")

    assert response.status_code == 409
    content = response.content.decode()
    assert '<div id="section-conflict" hx-swap-oob="true">' in content
    assert "Ensimmäisen teksti" in content and "Toisen teksti" in content
    assert 'id="section-version"' not in content  # the base stays: no silent overwrite
    application.refresh_from_db()
    assert application.title == "Ensimmäisen teksti"


# --- Consortium ------------------------------------------------------------------------


def test_a_registered_partner_is_added_by_its_business_id(
    coordinator_client, application, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("partners", application),
            {
                "action": "add",
                "add-business_id": organisation.business_id.replace("-", ""),
                "add-role": Partner.Role.EXPERT,
                "add-tasks": "Asiantuntija-apu",
                "add-editable_sections": ["budget", "financing"],
            },
        )

    assert response.status_code == 302
    partner = Partner.objects.get(application=application)
    assert (partner.organisation, partner.role, partner.tasks, partner.editable_sections) == (
        organisation,
        Partner.Role.EXPERT,
        "Asiantuntija-apu",
        ["budget", "financing"],
    )


def test_an_unregistered_business_id_tells_to_register_first(coordinator_client, application):
    response = coordinator_client.post(
        url("partners", application),
        {"action": "add", "add-business_id": "0112038-9", "add-role": Partner.Role.PARTNER},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        '<a href="#id_add-business_id">Business ID of the partner: No organisation with the '
        "business ID 0112038-9 is registered in Regionet. The partner must register its "
        "organisation first.</a>"
    ) in content
    with translation.override("en"):
        register = reverse("accounts:organisation_register_country")
    assert f'<a href="{register}">Register an organisation</a>' in content
    assert 'value="0112038-9"' in content
    assert not Partner.objects.filter(application=application).exists()


def test_a_partner_is_removed_after_confirmation(coordinator_client, application):
    partner = PartnerFactory(application=application)

    confirm = coordinator_client.get(url("partners", application) + f"?remove={partner.pk}")
    assert confirm.context["removing"] == partner
    assert Partner.objects.filter(pk=partner.pk).exists()
    response = coordinator_client.post(
        url("partners", application), {"action": "remove", "partner": partner.pk}
    )

    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()


def test_the_sections_a_partner_may_edit_are_saved(coordinator_client, application):
    partner = PartnerFactory(application=application)

    coordinator_client.post(
        url("partners", application),
        {
            "action": "sections",
            "partner": partner.pk,
            f"partner-{partner.pk}-sections": ["basics", "attachments"],
        },
    )

    partner.refresh_from_db()
    assert partner.editable_sections == ["attachments", "basics"]


def test_a_partner_member_cannot_change_the_consortium(client, application):
    client.force_login(partner_member(application, [Section.BUDGET]))

    page = client.get(url("partners", application))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert (
        client.post(
            url("partners", application),
            {"action": "add", "add-business_id": "0112038-9", "add-role": "partner"},
        ).status_code
        == 403
    )


def test_the_consortium_page_asks_the_same_queries_for_one_and_five_partners(
    coordinator_client, application, django_assert_num_queries
):
    PartnerFactory(application=application)
    coordinator_client.get(url("partners", application))  # warm up caches (content types)
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(url("partners", application))
    for _ in range(4):
        PartnerFactory(application=application)

    with django_assert_num_queries(len(one.captured_queries)):
        response = coordinator_client.get(url("partners", application))

    assert len(response.context["rows"]) == 5


# --- Attachments ----------------------------------------------------------------------


def test_a_small_pdf_is_attached_and_listed(coordinator_client, application):
    response = coordinator_client.post(
        url("attachments", application),
        {
            "action": "upload",
            "description": "Hankesuunnitelma",
            "file": SimpleUploadedFile("suunnitelma.pdf", minimal_pdf(), "application/pdf"),
        },
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)
    assert (attachment.name, attachment.kind, attachment.size, attachment.description) == (
        "suunnitelma.pdf",
        "pdf",
        len(minimal_pdf()),
        "Hankesuunnitelma",
    )
    page = coordinator_client.get(url("attachments", application))
    with translation.override("en"):
        download = reverse(
            "applications:download_attachment",
            kwargs={"pk": application.pk, "attachment": attachment.pk},
        )
    assert f'<a href="{download}">suunnitelma.pdf</a>' in page.content.decode()


def test_a_program_renamed_to_pdf_is_refused_with_the_reason(coordinator_client, application):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

    response = coordinator_client.post(
        url("attachments", application),
        {"action": "upload", "file": SimpleUploadedFile("tarjous.pdf", program, "application/pdf")},
    )

    assert response.status_code == 200
    with translation.override("en"):
        message = str(MESSAGES["unsupported_type"]) % {"name": "tarjous.pdf"}
    assert f'<a href="#id_file">File: {escape(message)}</a>' in response.content.decode()
    assert not Attachment.objects.filter(application=application).exists()


def test_an_attachment_is_removed(coordinator_client, application):
    coordinator_client.post(
        url("attachments", application),
        {
            "action": "upload",
            "file": SimpleUploadedFile("liite.pdf", minimal_pdf(), "application/pdf"),
        },
    )
    attachment = Attachment.objects.get(application=application)

    response = coordinator_client.post(
        url("attachments", application), {"action": "remove", "attachment": attachment.pk}
    )

    assert response.status_code == 302
    assert not Attachment.objects.filter(application=application).exists()


def test_the_limits_are_shown_before_the_file_input(coordinator_client, application):
    content = coordinator_client.get(url("attachments", application)).content.decode()

    assert 'enctype="multipart/form-data"' in content
    assert content.index("20 MB") < content.index('type="file"')


def test_a_save_after_the_session_ended_shows_the_typed_text_back(client, application):
    """Without JavaScript the login page would drop the form: the text is shown instead."""
    response = client.post(
        url("basics", application),
        {
            "title": "Kesken jäänyt otsikko",
            "summary": "Pitkä tiivistelmä, jota ei saa hukata.",
            "version": 0,
        },
    )

    assert response.status_code == 401
    assert [value for _name, value in response.context["posted"]] == [
        "Kesken jäänyt otsikko",
        "Pitkä tiivistelmä, jota ei saa hukata.",
    ]
    assert "Pitkä tiivistelmä, jota ei saa hukata.</textarea>" in response.content.decode()
    application.refresh_from_db()
    assert application.summary != "Pitkä tiivistelmä, jota ei saa hukata."


# --- The municipality chooser ------------------------------------------------------------


def finnish(code):
    return Municipality.objects.get(country__code="FI", code=code)


def chooser_regions(page) -> list[tuple[str, bool, list[str]]]:
    """(region, open, [municipalities]) per <details> of the chooser, in order."""
    regions = []
    for attributes, body in re.findall(
        r'<details class="municipality-region"([^>]*)>(.*?)</details>', page.content.decode(), re.S
    ):
        legend = re.search(r'<legend class="visually-hidden">(.*?)</legend>', body).group(1)
        names = re.findall(r'<label for="municipality-\d+">(.*?)</label>', body)
        regions.append((legend, attributes.endswith(" open"), names))
    return regions


def test_the_municipalities_are_grouped_by_region_closed_unless_one_is_ticked(
    coordinator_client, application
):
    application.municipalities.set([finnish("091")])  # Helsinki, Uusimaa

    page = coordinator_client.get(url("municipalities", application))

    regions = chooser_regions(page)
    assert [name for name, _open, _names in regions][:3] == [
        "Uusimaa",
        "Southwest Finland",
        "Satakunta",
    ]
    assert len(regions) == 19
    assert [name for name, is_open, _names in regions if is_open] == ["Uusimaa"]
    assert "Helsinki" in regions[0][2]
    assert sum(len(names) for _name, _open, names in regions) == len(page.context["form"].periods)
    # The region's summary says how many are ticked; a region with none says nothing.
    content = page.content.decode()
    assert re.search(
        r"<summary><span class=\"municipality-region__name\">Uusimaa</span>"
        r"<span class=\"municipality-region__count\" data-chosen> \(chosen: "
        r"<span data-chosen-count>1</span>\)</span></summary>",
        content,
    )
    assert "data-chosen hidden" in content


def test_the_filter_narrows_the_list_on_the_server_and_keeps_what_is_ticked(
    coordinator_client, application
):
    helsinki, turku = finnish("091"), finnish("853")
    application.municipalities.set([helsinki])

    page = coordinator_client.get(url("municipalities", application) + "?q=TURK")

    assert chooser_regions(page) == [("Southwest Finland", True, ["Turku"])]
    content = page.content.decode()
    # Helsinki is not shown but still sent: saving the narrowed list does not drop it.
    assert f'<input type="hidden" name="municipalities" value="{helsinki.pk}">' in content
    assert 'name="q" value="TURK"' in content
    assert "Municipalities shown: 1" in content

    response = coordinator_client.post(
        url("municipalities", application) + "?q=TURK",
        {"q": "TURK", "municipalities": [helsinki.pk, turku.pk], "version": 0, "stay": "filter"},
    )

    assert response.status_code == 302
    assert response.url == url("municipalities", application) + "?q=TURK"
    assert sorted(application.municipalities.values_list("pk", flat=True)) == sorted(
        [helsinki.pk, turku.pk]
    )
    response = coordinator_client.post(
        url("municipalities", application),
        {"q": "TURK", "municipalities": [helsinki.pk, turku.pk], "version": 1, "stay": "all"},
    )
    assert response.url == url("municipalities", application)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Another language's name, and the region's name in any language.
        ("helsingfors", [("Uusimaa", ["Helsinki"])]),
        ("tammerfors", [("Pirkanmaa", ["Tampere"])]),
        (
            "kainuu",
            [
                (
                    "Kainuu",
                    [
                        "Hyrynsalmi",
                        "Kajaani",
                        "Kuhmo",
                        "Paltamo",
                        "Puolanka",
                        "Ristijärvi",
                        "Sotkamo",
                        "Suomussalmi",
                    ],
                )
            ],
        ),
    ],
)
def test_the_filter_finds_names_in_every_language(coordinator_client, application, query, expected):
    page = coordinator_client.get(url("municipalities", application), {"q": query})
    assert [(name, names) for name, _open, names in chooser_regions(page)] == expected


def test_a_filter_that_finds_nothing_says_so(coordinator_client, application):
    page = coordinator_client.get(url("municipalities", application), {"q": "x" * 101})
    # Longer than any name may be: no filter at all.
    assert len(chooser_regions(page)) == 19
    page = coordinator_client.get(url("municipalities", application), {"q": "Atlantis"})
    assert chooser_regions(page) == []
    assert "No municipality's name contains “Atlantis”." in page.content.decode()
