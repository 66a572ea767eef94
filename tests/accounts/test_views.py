"""Organisation pages through the test client: registration, members, access by role."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from regionet.accounts.models import Invitation, Membership, Organisation
from regionet.audit.models import AuditEvent
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def registration_data(**overrides):
    data = {
        "type": "development_organisation",
        "name_fi": "Testikehitys Oy",
        "name_sv": "",
        "name_en": "",
        "business_id": "0112038-9",
        "home_municipality": "091",
    }
    data.update(overrides)
    return data


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- registration -------------------------------------------------------------------------


def test_registration_needs_sign_in(client):
    response = client.get(url("accounts:organisation_register", country="fi"))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_choose_country_page_links_to_both_countries(client):
    client.force_login(UserFactory())
    response = client.get(url("accounts:organisation_register_country"))
    assert response.status_code == 200
    assert url("accounts:organisation_register", country="fi") in text(response)
    assert url("accounts:organisation_register", country="se") in text(response)


def test_unknown_country_is_404(client):
    client.force_login(UserFactory())
    assert client.get(url("accounts:organisation_register", country="no")).status_code == 404


def test_register_organisation_end_to_end(client, helsinki):
    user = UserFactory()
    client.force_login(user)
    page = client.get(url("accounts:organisation_register", country="fi"))
    assert page.status_code == 200
    assert '<option value="091">Helsinki</option>' in text(page)
    # Pertunmaa merged into Mäntyharju in 2025: not offered any more.
    assert '<option value="588">' not in text(page)

    response = client.post(
        url("accounts:organisation_register", country="fi"),
        registration_data(business_id="FI01120389"),
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("accounts:organisation_detail", pk=organisation.pk)
    assert (organisation.business_id, organisation.home_municipality) == ("0112038-9", helsinki)
    assert list(Membership.objects.values_list("user", "role")) == [(user.pk, "admin")]

    detail = client.get(response["Location"])
    assert "Testikehitys Oy is registered. You are its administrator." in text(detail)


def test_register_swedish_organisation(client, stockholm):
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", country="se"),
        registration_data(
            name_fi="", name_sv="Testbolaget AB", business_id="2120000142", home_municipality="0180"
        ),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.business_id, organisation.home_municipality) == ("212000-0142", stockholm)


def error_summary(response):
    match = re.search(
        r'<div class="error-summary" role="alert".*?<ul class="error-summary__list">(.*?)</ul>',
        response.content.decode(),
        re.S,
    )
    assert match, "no error summary"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", match[1], re.S)
    ]


def test_invalid_registration_lists_errors_in_finnish(client):
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", "fi", country="fi"),
        registration_data(business_id="0112038-8", home_municipality="999", name_fi=""),
    )
    assert response.status_code == 200
    # Each entry names its field, whatever its message says.
    assert error_summary(response) == [
        "Nimi suomeksi: Anna organisaation nimi suomeksi tai ruotsiksi.",
        "Y-tunnus: Y-tunnus 0112038-8 ei kelpaa: sen tarkistusmerkki (viimeinen numero) ei "
        "täsmää muihin numeroihin. Tarkista tunnus.",
        "Kotikunta: Suomessa ei ole kuntaa, jonka koodi on 999.",
    ]
    body = response.content.decode()
    assert '<a href="#id_business_id">' in body
    assert 'aria-describedby="id_business_id_helptext id_business_id_error"' in body
    assert 'id="id_business_id_error"' in body
    assert 'aria-invalid="true"' in body
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_invalid_registration_lists_errors_in_swedish(client):
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", "sv", country="se"),
        registration_data(business_id="212000-0143", home_municipality="091", name_fi="Nimi"),
    )
    assert error_summary(response) == [
        "Namn på svenska: Ange organisationens namn på svenska.",
        "Organisationsnummer: Organisationsnumret 212000-0143 är inte giltigt: dess "
        "kontrollsiffra (den sista siffran) stämmer inte med de andra siffrorna. Kontrollera "
        "numret.",
        "Hemkommun: Det finns ingen kommun i Sverige med koden 091.",
    ]


def test_duplicate_registration_names_the_existing_organisation(client):
    OrganisationFactory(business_id="0112038-9", name_fi="Olemassa Oy")
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", "fi", country="fi"), registration_data()
    )
    assert error_summary(response) == [
        "Y-tunnus: Tunnuksella 0112038-9 on jo rekisteröity organisaatio Regionetiin: Olemassa Oy. "
        "Pyydä sen pääkäyttäjää kutsumaan sinut jäseneksi."
    ]
    assert Organisation.objects.count() == 1


# --- organisation pages -------------------------------------------------------------------


def test_organisation_list_shows_my_organisations_only(client):
    mine = MembershipFactory(role="admin", organisation__name_fi="Minun Oy")
    MembershipFactory(organisation__name_fi="Muiden Oy")
    client.force_login(mine.user)
    response = client.get(url("accounts:organisation_list"))
    assert response.status_code == 200
    assert "Minun Oy" in text(response)
    assert "Muiden Oy" not in text(response)


def test_organisation_list_query_count_does_not_grow(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    MembershipFactory(user=user)
    # Session, user, verified address, memberships.
    with django_assert_num_queries(5) as captured:
        client.get(url("accounts:organisation_list"))
    for _ in range(5):
        organisation = MembershipFactory(user=user).organisation
        MembershipFactory(organisation=organisation)
    with django_assert_num_queries(len(captured)):
        response = client.get(url("accounts:organisation_list"))
    assert len(response.context["memberships"]) == 6


def test_member_list_query_count_does_not_grow(client, django_assert_num_queries):
    admin = MembershipFactory(role="admin")
    organisation = admin.organisation
    client.force_login(admin.user)
    with django_assert_num_queries(9) as captured:
        client.get(url("accounts:organisation_detail", pk=organisation.pk))
    MembershipFactory.create_batch(5, organisation=organisation)
    InvitationFactory.create_batch(3, organisation=organisation)
    with django_assert_num_queries(len(captured)):
        response = client.get(url("accounts:organisation_detail", pk=organisation.pk))
    assert len(response.context["memberships"]) == 6
    assert len(response.context["pending_invitations"]) == 3


def test_admin_sees_members_invitations_and_invite_form(client):
    admin = MembershipFactory(role="admin", user__email="admin@example.fi")
    MembershipFactory(organisation=admin.organisation, user__email="jasen@example.fi")
    InvitationFactory(organisation=admin.organisation, email="tuleva@example.fi")
    client.force_login(admin.user)
    body = text(client.get(url("accounts:organisation_detail", pk=admin.organisation.pk)))
    for expected in ("admin@example.fi", "jasen@example.fi", "tuleva@example.fi", 'name="email"'):
        assert expected in body
    # The only administrator has no remove link.
    assert "Remove admin@example.fi" not in body
    assert "Remove jasen@example.fi" in body


def test_member_sees_members_but_no_management(client):
    member = MembershipFactory(role="member")
    InvitationFactory(organisation=member.organisation, email="tuleva@example.fi")
    client.force_login(member.user)
    response = client.get(url("accounts:organisation_detail", pk=member.organisation.pk))
    assert response.status_code == 200
    assert member.user.email in text(response)
    assert "tuleva@example.fi" not in text(response)
    assert 'name="email"' not in text(response)


def test_invite_through_the_page(client, on_commit):
    admin = MembershipFactory(role="admin")
    client.force_login(admin.user)
    with on_commit():
        response = client.post(
            url("accounts:invite_member", pk=admin.organisation.pk),
            {"email": "uusi@example.fi", "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "uusi@example.fi"
    assert "An invitation has been sent to uusi@example.fi." in text(
        client.get(response["Location"])
    )


def test_invalid_invitation_rerenders_the_page_with_errors(client):
    admin = MembershipFactory(role="admin")
    client.force_login(admin.user)
    response = client.post(
        url("accounts:invite_member", pk=admin.organisation.pk),
        {"email": admin.user.email, "role": "member"},
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        f"E-mail address of the person to invite: {admin.user.email} is already a member "
        f"of the organisation {admin.organisation.name}."
    ]
    assert Invitation.objects.count() == 0


def test_remove_member_asks_first_then_removes(client):
    admin = MembershipFactory(role="admin")
    member = MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    remove_url = url("accounts:remove_member", pk=admin.organisation.pk, membership_pk=member.pk)
    assert client.get(remove_url).status_code == 200
    assert Membership.objects.count() == 2
    response = client.post(remove_url)
    assert response.status_code == 302
    assert list(Membership.objects.all()) == [admin]


def test_revoke_invitation_through_the_page(client):
    admin = MembershipFactory(role="admin")
    invitation = InvitationFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    response = client.post(
        url("accounts:revoke_invitation", pk=admin.organisation.pk, invitation_pk=invitation.pk)
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_by == admin.user


# --- every role against other organisations' objects -------------------------------------


@pytest.fixture
def org_a(db):
    admin = MembershipFactory(role="admin", organisation__name_fi="A Oy")
    member = MembershipFactory(organisation=admin.organisation)
    invitation = InvitationFactory(organisation=admin.organisation)
    return admin.organisation, admin, member, invitation


def pages(organisation, member, invitation):
    """(method, url) of every organisation page that needs a permission."""
    pk = organisation.pk
    return [
        ("get", url("accounts:organisation_detail", pk=pk)),
        ("post", url("accounts:invite_member", pk=pk)),
        ("post", url("accounts:revoke_invitation", pk=pk, invitation_pk=invitation.pk)),
        ("get", url("accounts:remove_member", pk=pk, membership_pk=member.pk)),
        ("post", url("accounts:remove_member", pk=pk, membership_pk=member.pk)),
    ]


def test_outsider_and_admin_of_another_organisation_get_404_everywhere(client, org_a):
    """A stranger learns nothing, not even that the organisation exists: 404 as for one
    that does not (issue 11, item 17)."""
    organisation, _admin, member, invitation = org_a
    admin_of_b = MembershipFactory(role="admin").user
    for user in (UserFactory(), admin_of_b):
        client.force_login(user)
        for method, page in pages(organisation, member, invitation):
            data = {"email": "x@example.fi", "role": "admin"} if "invitations/" in page else {}
            response = getattr(client, method)(page, data)
            assert response.status_code == 404, (user, method, page)
            missing = page.replace(f"/{organisation.pk}/", "/999999/", 1)
            assert getattr(client, method)(missing, data).status_code == 404, missing
    assert Membership.objects.filter(organisation=organisation).count() == 2
    assert Invitation.objects.pending().filter(organisation=organisation).count() == 1


def test_member_can_view_but_gets_403_on_management(client, org_a):
    organisation, _admin, member, invitation = org_a
    client.force_login(member.user)
    expected = [200, 403, 403, 403, 403]
    statuses = [
        getattr(client, method)(page).status_code
        for method, page in pages(organisation, member, invitation)
    ]
    assert statuses == expected
    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_anonymous_is_sent_to_sign_in(client, org_a):
    """Whether the organisation exists or not: the answer tells nothing about it."""
    organisation, _admin, member, invitation = org_a
    for method, page in pages(organisation, member, invitation):
        for address in (page, page.replace(f"/{organisation.pk}/", "/999999/", 1)):
            response = getattr(client, method)(address)
            assert response.status_code == 302, address
            assert response["Location"].startswith("/en/accounts/login/")


def test_admin_of_b_cannot_reach_a_through_b_urls(client, org_a):
    """Ids of A's membership and invitation under B's URL are 404, and nothing changes."""
    organisation_a, _admin, member_a, invitation_a = org_a
    admin_b = MembershipFactory(role="admin")
    client.force_login(admin_b.user)
    pk_b = admin_b.organisation.pk
    assert (
        client.post(url("accounts:remove_member", pk=pk_b, membership_pk=member_a.pk)).status_code
        == 404
    )
    assert (
        client.post(
            url("accounts:revoke_invitation", pk=pk_b, invitation_pk=invitation_a.pk)
        ).status_code
        == 404
    )
    assert Membership.objects.filter(organisation=organisation_a).count() == 2
    invitation_a.refresh_from_db()
    assert invitation_a.revoked_at is None


def test_unknown_organisation_is_404(client):
    client.force_login(UserFactory())
    assert client.get(url("accounts:organisation_detail", pk=999999)).status_code == 404


def test_register_a_municipality_without_typing_its_names(client, helsinki):
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", country="fi"),
        registration_data(type="municipality", name_fi="", business_id="0201256-6"),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.municipality, organisation.name_fi, organisation.name_sv) == (
        helsinki,
        "Helsinki",
        "Helsingfors",
    )


def test_every_error_shows_at_once_even_without_a_type(client):
    client.force_login(UserFactory())
    response = client.post(
        url("accounts:organisation_register", country="fi"),
        registration_data(type="", business_id="123", home_municipality=""),
    )
    assert list(re.findall(r'<li><a href="#(\w+)">', response.content.decode())) == [
        "id_type",
        "id_business_id",
        "id_home_municipality",
    ]


def test_organisation_list_is_sorted_by_the_name_in_the_page_language(client):
    user = UserFactory()
    MembershipFactory(user=user, organisation__name_fi="Aakkonen Oy", organisation__name_sv="Ö Ab")
    MembershipFactory(user=user, organisation__name_fi="Böle Oy", organisation__name_sv="")
    client.force_login(user)
    names = [
        m.organisation.name
        for m in client.get(url("accounts:organisation_list", "sv")).context["memberships"]
    ]
    assert names == ["Böle Oy", "Ö Ab"]
    names = [
        m.organisation.name
        for m in client.get(url("accounts:organisation_list", "fi")).context["memberships"]
    ]
    assert names == ["Aakkonen Oy", "Böle Oy"]
