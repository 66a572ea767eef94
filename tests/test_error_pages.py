"""Error pages speak the visitor's language in the site's layout, with a way onwards; the
server-error page renders without touching the database."""

import pytest
from django.test import Client
from django.utils import translation
from django.views.defaults import server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading"),
    [("/fi/ei-ole/", "Sivua ei löytynyt"), ("/sv/finns-inte/", "Sidan hittades inte")],
)
def test_a_missing_page_answers_404_in_the_site_layout(client, path, heading):
    response = client.get(path)
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert f"<h1>{heading}</h1>" in response.content.decode()
    assert 'rel="stylesheet"' in response.content.decode()


@pytest.mark.django_db
def test_a_post_without_csrf_token_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fi/accounts/login/", {"login": "x@example.org", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Lomaketta ei voitu lähettää</h1>" in page
    assert "lataa sivu uudelleen" in page


def test_the_server_error_page_renders_without_a_database(rf):
    """No django_db mark: a query would raise instead of rendering."""
    request = rf.get("/sv/")
    with translation.override("sv"):
        response = server_error(request)
    assert response.status_code == 500
    assert "<h1>Fel i tjänsten</h1>" in response.content.decode()
