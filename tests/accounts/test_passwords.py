"""Passwords at sign-up: at least 12 characters and none of the common ones (ASVS 2.1.1)."""

import pytest

from regionet.accounts.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, password):
    return client.post(
        "/fi/accounts/signup/",
        {
            "email": "uusi.hakija@example.fi",
            "full_name": "Uusi Hakija",
            "preferred_language": "fi",
            "password1": password,
            "password2": password,
        },
    )


def errors_of(response) -> list[str]:
    return response.context["form"].errors["password1"]


def test_an_eleven_character_password_is_refused_in_finnish(client):
    response = sign_up(client, "Kuusi-Koivu")  # 11 characters
    assert response.status_code == 200
    assert errors_of(response) == [
        "Salasana on liian lyhyt. Sen tulee sisältää vähintään 12 merkkiä."
    ]
    assert "Salasana on liian lyhyt. Sen tulee sisältää vähintään 12 merkkiä." in (
        response.content.decode()
    )
    assert User.objects.count() == 0


def test_a_common_password_is_refused_in_finnish(client):
    response = sign_up(client, "qwertyuiop123")  # 13 characters, in Django's common list
    assert response.status_code == 200
    assert errors_of(response) == ["Tämä salasana on liian yleinen."]
    assert User.objects.count() == 0


def test_a_twelve_character_password_is_accepted(client):
    response = sign_up(client, "Kuusi-Koivu7")
    assert response.status_code == 302
    assert User.objects.get().email == "uusi.hakija@example.fi"
