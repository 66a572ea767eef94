"""A superuser (Regionet's platform administrator) is kept out of applicants' drafts and
their attachments, page by page, as any stranger is: drafts are the applicants' own."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from tests.factories import AttachmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DRAFT_PAGES = [
    "detail",
    "basics",
    "partners",
    "municipalities",
    "budget",
    "financing",
    "attachments",
    "check",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def superuser_client(client):
    """A signed-in superuser who has set up TOTP (so two-factor set-up is not what stops it)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"applications:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", DRAFT_PAGES)
def test_a_superuser_gets_404_on_a_drafts_pages(superuser_client, name):
    attachment = AttachmentFactory()
    response = superuser_client.get(url(name, pk=attachment.application_id))
    assert response.status_code == 404


def test_a_superuser_cannot_download_a_drafts_attachment(superuser_client):
    attachment = AttachmentFactory()
    response = superuser_client.get(
        url("download_attachment", pk=attachment.application_id, attachment=attachment.pk)
    )
    assert response.status_code == 404


def test_the_applicant_still_downloads_it(client):
    attachment = AttachmentFactory()
    client.force_login(attachment.application.created_by)
    response = client.get(
        url("download_attachment", pk=attachment.application_id, attachment=attachment.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
