"""The public pages, the language prefixes and the language switch."""

import re

import pytest

pytestmark = pytest.mark.django_db


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_root_redirects_to_finnish_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


@pytest.mark.parametrize(
    ("url", "lang", "title"),
    [
        ("/fi/", "fi", "Rahoitusta alueiden väliseen yhteistyöhön"),
        ("/sv/", "sv", "Finansiering för samarbete mellan regioner"),
        ("/en/", "en", "Funding for cooperation between regions"),
    ],
)
def test_front_page_in_three_languages(client, url, lang, title):
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
    assert h1(response) == title


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/fi/accessibility/", "Saavutettavuusseloste"),
        ("/sv/accessibility/", "Tillgänglighetsutlåtande"),
        ("/en/accessibility/", "Accessibility statement"),
        ("/fi/privacy/", "Tietosuojaseloste"),
        ("/sv/privacy/", "Dataskyddsbeskrivning"),
        ("/en/privacy/", "Privacy notice"),
    ],
)
def test_statutory_notices_exist_in_three_languages(client, url, title):
    response = client.get(url)
    assert response.status_code == 200
    assert h1(response) == title


def test_every_page_links_to_the_notices_and_has_a_skip_link(client):
    html = client.get("/sv/").content.decode()
    assert '<a class="skip-link" href="#main">Hoppa till huvudinnehållet</a>' in html
    assert 'href="/sv/accessibility/"' in html
    assert 'href="/sv/privacy/"' in html
    assert '<main id="main"' in html


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/fi/accessibility/"})
    assert response.status_code == 302
    assert response["Location"] == "/sv/accessibility/"


def test_language_switch_offers_the_three_languages(client):
    html = client.get("/en/").content.decode()
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)"', html)
    assert buttons == ["fi", "sv", "en"]
    assert 'value="en" lang="en"\n        aria-current="true"' in html


def test_my_pages_require_sign_in(client):
    response = client.get("/fi/my/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=/fi/my/"
