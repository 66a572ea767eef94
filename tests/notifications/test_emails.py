"""The messages of notices, in the notice's language, from the context the applications app
passes: texts in three languages picked, instants shown in local time with the zone named."""

import pytest
from django.core import mail

from regionet.notifications import services
from regionet.notifications.emails import render_notice
from regionet.notifications.models import Notice
from tests.factories import UserFactory

from .conftest import RECEIPT_CONTEXT, SUBMITTED

pytestmark = pytest.mark.django_db

RECEIPTS = {
    "fi": (
        "[Regionet] Kuittaus: hakemus Vetovoimaiset seutukaupungit vastaanotettu (VN/1234/2021)",
        """Hei Maija Meikäläinen,

Hakemuksesi on vastaanotettu. Tämä viesti on kuittauksesi.

Hakemus: Vetovoimaiset seutukaupungit
Diaarinumero: VN/1234/2021
Haku: Alueiden välinen verkostoyhteistyö 2021–2023
Hakija: Seutukaupunkien kehitysyhtiö Oy
Vastaanotettu: 2.6.2021 klo 16.14.59 Suomen aikaa

Näet hakemuksen täällä:
https://regionet.example/applications/7/

Tämä ilmoitus on lakisääteinen, joten se lähetetään aina.

Regionet
""",
    ),
    "sv": (
        "[Regionet] Kvitto: ansökan Vetovoimaiset seutukaupungit mottagen (VN/1234/2021)",
        """Hej Maija Meikäläinen,

Din ansökan har tagits emot. Detta meddelande är ditt kvitto.

Ansökan: Vetovoimaiset seutukaupungit
Diarienummer: VN/1234/2021
Utlysning: Regionernas samarbetsnätverk 2021–2023
Sökande: Seutukaupunkien kehitysyhtiö Oy
Mottagen: 2.6.2021 kl. 16.14.59 finsk tid

Du ser ansökan här:
https://regionet.example/applications/7/

Detta meddelande är lagstadgat och skickas därför alltid.

Regionet
""",
    ),
    "en": (
        "[Regionet] Receipt: application Vetovoimaiset seutukaupungit received (VN/1234/2021)",
        """Hello Maija Meikäläinen,

Your application has been received. This message is your receipt.

Application: Vetovoimaiset seutukaupungit
Record number: VN/1234/2021
Call: Networks between regions 2021–2023
Applicant: Seutukaupunkien kehitysyhtiö Oy
Received: 2 June 2021 at 16:14:59 Finnish time

You can see the application here:
https://regionet.example/applications/7/

This notice is required by law, so it is always sent.

Regionet
""",
    ),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_receipt_in_the_users_language(on_commit, language):
    user = UserFactory(full_name="Maija Meikäläinen", preferred_language=language)
    with on_commit():
        services.notify(
            kind="application.receipt", recipient=user, context=RECEIPT_CONTEXT, now=SUBMITTED
        )
    (message,) = mail.outbox
    assert (message.subject, message.body) == RECEIPTS[language]


@pytest.mark.parametrize(
    ("language", "subject", "lines"),
    [
        (
            "fi",
            "[Regionet] Täydennyspyyntö: Vetovoimaiset seutukaupungit",
            "Valmistelijan viesti:\nLisää budjetin perustelut.\n\nTäydennä seuraavat:\n"
            "- Budjetti vuosittain\n- Sitoumuskirje\n\n"
            "Lähetä täydennys viimeistään 16.6.2021 klo 16.15 Suomen aikaa.",
        ),
        (
            "sv",
            "[Regionet] Begäran om komplettering: Vetovoimaiset seutukaupungit",
            "Meddelande från handläggaren:\nLisää budjetin perustelut.\n\nKomplettera följande:\n"
            "- Budjetti vuosittain\n- Sitoumuskirje\n\n"
            "Skicka kompletteringen senast 16.6.2021 kl. 16.15 finsk tid.",
        ),
        (
            "en",
            "[Regionet] Completion requested: Vetovoimaiset seutukaupungit",
            "Message from the programme officer:\nLisää budjetin perustelut.\n\n"
            "Please complete the following:\n- Budjetti vuosittain\n- Sitoumuskirje\n\n"
            "Send the completion by 16 June 2021 at 16:15 Finnish time.",
        ),
    ],
)
def test_a_completion_request_carries_the_message_the_items_and_the_deadline(
    language, subject, lines
):
    notice = Notice(
        kind="application.completion_requested",
        email="maija@example.fi",
        language=language,
        context={
            **RECEIPT_CONTEXT,
            "message": "Lisää budjetin perustelut.",
            "items": ["Budjetti vuosittain", "Sitoumuskirje"],
            "deadline": "2021-06-16T13:15:00+00:00",
        },
    )
    rendered_subject, body = render_notice(notice)
    assert rendered_subject == subject
    assert lines in body


@pytest.mark.parametrize(
    ("language", "footer"),
    [
        ("fi", "Voit valita, mitkä ilmoitukset saat:\n"
               "https://regionet.example/fi/notifications/preferences/\n\nRegionet\n"),
        ("sv", "Du kan välja vilka meddelanden du får:\n"
               "https://regionet.example/sv/notifications/preferences/\n\nRegionet\n"),
        ("en", "You can choose which notices you get:\n"
               "https://regionet.example/en/notifications/preferences/\n\nRegionet\n"),
    ],
)  # fmt: skip
def test_an_optional_notice_links_to_the_preferences_in_its_language(settings, language, footer):
    settings.REGIONET_SITE_URL = "https://regionet.example/"
    notice = Notice(
        kind="application.withdrawn",
        email="maija@example.fi",
        language=language,
        context=RECEIPT_CONTEXT,
    )
    assert render_notice(notice)[1].endswith(footer)


def test_a_call_name_missing_in_the_language_falls_back_to_finnish_and_no_record_number():
    notice = Notice(
        kind="application.receipt",
        email="maija@example.fi",
        language="sv",
        context={**RECEIPT_CONTEXT, "record_number": "", "call_name": {"fi": "Haku", "sv": ""}},
    )
    subject, body = render_notice(notice)
    assert subject == "[Regionet] Kvitto: ansökan Vetovoimaiset seutukaupungit mottagen"
    assert "Ansökan: Vetovoimaiset seutukaupungit\nUtlysning: Haku\n" in body
    assert "Diarienummer" not in body


def test_a_partner_invitation_names_the_inviting_organisation():
    notice = Notice(
        kind="application.partner_invited",
        email="partner@example.se",
        language="sv",
        context={**RECEIPT_CONTEXT, "deadline": "2021-05-26T12:00:00+00:00"},
    )
    subject, body = render_notice(notice)
    assert subject == "[Regionet] Inbjudan att bli partner: Vetovoimaiset seutukaupungit"
    assert (
        "Seutukaupunkien kehitysyhtiö Oy bjuder in din organisation att delta som partner i "
        "ansökan Vetovoimaiset seutukaupungit.\n"
    ) in body
    assert "Svara senast 26.5.2021 kl. 15.00 finsk tid.\n" in body
