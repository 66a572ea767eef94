"""Every text of an application has a limit that its page states and that the doors
enforce, and a single-line text refuses direction controls (applications.limits and
regionet.texts)."""

import pytest
from django.urls import reverse
from django.utils import translation

from regionet.applications import limits, services
from regionet.applications.models import Partner
from regionet.applications.services import ApplicationError
from regionet.questionnaires.models import Question
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    QuestionFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

MEGABYTE_OF_TEXT = 1_048_576
RTL_OVERRIDE = "\u202e"
DIRECTION_MESSAGE = (
    "Remove the invisible characters that change the direction of text (such as U+202E): "
    "they would make the text read differently from what you typed."
)


def too_long(limit: int, length: int) -> str:
    return f"Write at most {limit:,} characters: now there are {length:,}."


def url(name, application, **kwargs):
    with translation.override("en"):
        return reverse(f"applications:{name}", kwargs={"pk": application.pk, **kwargs})


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def coordinator_client(client, application):
    client.force_login(application.created_by)
    return client


# --- The basics page -----------------------------------------------------------------------


def test_the_basics_page_states_the_limits_of_the_title_and_the_summary(
    coordinator_client, application
):
    page = coordinator_client.get(url("basics", application)).content.decode()

    assert '<div class="field__help" id="id_title_helptext">At most 300 characters.</div>' in page
    assert (
        '<div class="field__help" id="id_summary_helptext">What the network does, with whom '
        "and for what, in plain language. At most 2,000 characters.</div>"
    ) in page
    assert 'data-character-count-for="id_summary" data-limit="2000"' in page
    assert 'data-character-count-for="id_title" data-limit="300"' in page


@pytest.mark.parametrize(("field", "limit"), [("title", limits.TITLE), ("summary", limits.SUMMARY)])
def test_exactly_the_limit_is_saved_and_one_more_refused_with_the_text_kept(
    coordinator_client, application, field, limit
):
    saved = coordinator_client.post(url("basics", application), {field: "a" * limit, "version": 0})
    assert saved.status_code == 302
    application.refresh_from_db()
    assert len(getattr(application, field)) == limit

    refused = coordinator_client.post(
        url("basics", application), {field: "b" * (limit + 1), "version": 1}
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors[field] == [too_long(limit, limit + 1)]
    assert ("b" * (limit + 1)) in refused.content.decode()
    application.refresh_from_db()
    assert getattr(application, field) == "a" * limit


def test_a_title_with_a_direction_control_is_refused(coordinator_client, application):
    title = application.title
    response = coordinator_client.post(
        url("basics", application), {"title": f"Vety{RTL_OVERRIDE}verkosto", "version": 0}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [DIRECTION_MESSAGE]
    application.refresh_from_db()
    assert application.title == title


def test_the_message_is_in_the_users_language(client, application):
    client.force_login(application.created_by)
    with translation.override("fi"):
        address = reverse("applications:basics", kwargs={"pk": application.pk})
    response = client.post(address, {"title": f"Vety{RTL_OVERRIDE}", "version": 0})

    assert response.context["form"].errors["title"] == [
        "Poista näkymättömät merkit, jotka muuttavat tekstin suuntaa (kuten U+202E): niiden "
        "takia teksti näkyisi toisin kuin kirjoitit sen."
    ]


def test_the_save_door_refuses_what_the_form_would(application):
    user = application.created_by
    before = (application.title, application.summary)
    with translation.override("en"):
        with pytest.raises(ApplicationError) as raised:
            services.save_section(
                application,
                "basics",
                {"title": "x", "summary": "y" * MEGABYTE_OF_TEXT},
                base_version=0,
                by=user,
            )
        assert raised.value.messages == [f"Summary: {too_long(2000, MEGABYTE_OF_TEXT)}"]

        with pytest.raises(ApplicationError) as raised:
            services.save_section(
                application, "basics", {"title": f"a{RTL_OVERRIDE}b"}, base_version=0, by=user
            )
        assert raised.value.messages == [f"Title: {DIRECTION_MESSAGE}"]
    application.refresh_from_db()
    assert (application.title, application.summary) == before


# --- Consortium --------------------------------------------------------------------------


def test_a_partners_tasks_are_limited_on_the_page_and_in_the_door(coordinator_client, application):
    organisation = OrganisationFactory()
    post = {
        "action": "add",
        "add-business_id": organisation.business_id,
        "add-role": Partner.Role.PARTNER,
    }

    refused = coordinator_client.post(
        url("partners", application), {**post, "add-tasks": "t" * (limits.PARTNER_TASKS + 1)}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["tasks"] == [too_long(2000, 2001)]
    assert "At most 2,000 characters." in refused.content.decode()
    assert not Partner.objects.filter(application=application).exists()

    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        services.add_partner(
            application,
            organisation,
            role=Partner.Role.PARTNER,
            tasks="t" * MEGABYTE_OF_TEXT,
            by=application.created_by,
        )
    assert raised.value.messages == [f"Tasks in the project: {too_long(2000, MEGABYTE_OF_TEXT)}"]

    saved = coordinator_client.post(
        url("partners", application), {**post, "add-tasks": "t" * limits.PARTNER_TASKS}
    )
    assert saved.status_code == 302
    assert len(Partner.objects.get(application=application).tasks) == 2000


def test_a_letter_of_commitment_is_limited_in_the_door(application):
    partner = PartnerFactory(application=application)
    member = MembershipFactory(organisation=partner.organisation).user

    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        services.confirm_partnership(partner, commitment="c" * 5001, by=member)

    assert raised.value.messages == [f"Letter of commitment: {too_long(5000, 5001)}"]
    partner.refresh_from_db()
    assert partner.confirmed_at is None


# --- Budget and attachments ----------------------------------------------------------------


def test_an_income_description_is_refused_not_cut(application):
    year = application.phase.call.programme.first_year
    row = {"year": year, "description": "d" * 201, "amount": "10"}
    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        services.save_section(
            application,
            "budget",
            {"costs": {}, "income": [row]},
            base_version=0,
            by=application.created_by,
        )

    assert raised.value.messages == [f"Description of income: {too_long(200, 201)}"]


# --- Questionnaire answers -----------------------------------------------------------------


@pytest.fixture
def questions(application):
    version = QuestionnaireVersionFactory()
    section = SectionFactory(version=version, order=1)
    long_text = QuestionFactory(section=section, kind=Question.Kind.LONG_TEXT, max_length=None)
    short_text = QuestionFactory(section=section, kind=Question.Kind.SHORT_TEXT, max_length=40)
    application.questionnaire_version = version
    application.save()
    return section, long_text, short_text


def test_an_answer_without_a_set_limit_still_has_one(coordinator_client, application, questions):
    section, long_text, _short = questions
    address = url("answers", application, section=section.pk)

    page = coordinator_client.get(address).content.decode()
    assert "At most 5,000 characters." in page

    refused = coordinator_client.post(
        address, {long_text.key: "a" * MEGABYTE_OF_TEXT, "version": 0}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors[long_text.key] == [too_long(5000, MEGABYTE_OF_TEXT)]

    saved = coordinator_client.post(address, {long_text.key: "a" * 5000, "version": 0})
    assert saved.status_code == 302
    application.refresh_from_db()
    assert len(application.answers[long_text.key]) == 5000


def test_the_answer_door_refuses_long_and_reversed_answers(application, questions):
    section, long_text, short_text = questions
    with translation.override("en"):
        with pytest.raises(ApplicationError) as raised:
            services.save_section(
                application,
                f"answers:{section.pk}",
                {long_text.key: "a" * 5001, short_text.key: f"Tampere{RTL_OVERRIDE}"},
                base_version=0,
                by=application.created_by,
            )
        labels = (long_text.label, short_text.label)

    assert raised.value.messages == [
        f"{labels[0]}: write at most 5000 characters (now 5001).",
        f"{labels[1]}: {DIRECTION_MESSAGE}",
    ]
    application.refresh_from_db()
    assert application.answers == {}
