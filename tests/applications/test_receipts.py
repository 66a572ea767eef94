"""The receipt: a submission's snapshot in display values, as a tagged PDF, and in the e-mail."""

import copy
import io
import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from regionet.accounts.models import Organisation
from regionet.applications import receipts, services
from regionet.applications.models import CostCategory, IncomeRow, Partner
from regionet.notifications.models import Notice
from regionet.questionnaires.models import Question
from tests.factories.applications import AttachmentFactory, eligible_draft, open_phase
from tests.factories.programmes import CallContactFactory
from tests.factories.questionnaires import ChoiceFactory, QuestionFactory, SectionFactory

NBSP = "\u00a0"
HELSINKI = "Europe/Helsinki"
# 16.14.59 in Helsinki (summer time, UTC+3).
RECEIVED = datetime(2021, 4, 15, 13, 14, 59, tzinfo=UTC)
PLAN_SHA = "ab" * 32
LETTER_SHA = "cd" * 32
Kind = Question.Kind


@pytest.fixture(autouse=True)
def _receipt_generator():
    receipts.register()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "15.4.2021 klo 16.14.59 Suomen aikaa"),
        ("sv", "15.4.2021 kl. 16.14.59 finsk tid"),
        ("en", "15 April 2021 at 16:14:59 Finnish time"),
    ],
)
def test_an_instant_reads_to_the_second_with_the_zone_named(language, expected):
    assert receipts.format_instant_seconds(RECEIVED, HELSINKI, language) == expected


def test_the_repeated_autumn_hour_names_summer_and_standard_time():
    # On 31.10.2021 the clocks in Helsinki go back from 4.00 to 3.00: 3.30.05 happens twice.
    summer = datetime(2021, 10, 31, 0, 30, 5, tzinfo=UTC)
    standard = datetime(2021, 10, 31, 1, 30, 5, tzinfo=UTC)
    assert (
        receipts.format_instant_seconds(summer, HELSINKI, "fi")
        == "31.10.2021 klo 3.30.05 Suomen kesäaikaa"
    )
    assert (
        receipts.format_instant_seconds(standard, HELSINKI, "fi")
        == "31.10.2021 klo 3.30.05 Suomen normaaliaikaa"
    )
    assert (
        receipts.format_instant_seconds(standard, HELSINKI, "sv")
        == "31.10.2021 kl. 3.30.05 finsk normaltid"
    )


def test_a_stockholm_instant_is_named_in_swedish_time():
    assert (
        receipts.format_instant_seconds(RECEIVED, "Europe/Stockholm", "sv")
        == "15.4.2021 kl. 15.14.59 svensk tid"
    )


@pytest.mark.parametrize(
    ("size", "language", "expected"),
    [
        (46, "fi", f"46{NBSP}B"),
        (123_456, "fi", f"123,5{NBSP}kB"),
        (2_500_000, "sv", f"2,5{NBSP}MB"),
        (2_500_000, "en", f"2.5{NBSP}MB"),
    ],
)
def test_file_sizes_use_the_languages_decimal_mark(size, language, expected):
    assert receipts.format_size(size, language) == expected


def test_the_receipt_file_is_named_by_the_record_number_in_the_notices_language():
    assert receipts.receipt_file_name("TEM/1/2021", "fi") == "kuittaus-TEM-1-2021.pdf"
    assert receipts.receipt_file_name("TEM/1/2021", "sv") == "kvitto-TEM-1-2021.pdf"
    assert receipts.receipt_file_name("TEM/1/2021", "en") == "receipt-TEM-1-2021.pdf"


# --- A submitted application with a questionnaire ----------------------------------------


@pytest.fixture
def questions():
    """One question of each kind in two sections of a version."""
    first = SectionFactory(title_fi="Tavoitteet", title_sv="Mål", title_en="Goals")
    second = SectionFactory(
        version=first.version, title_fi="Toteutus", title_sv="Genomförande", title_en="Work"
    )

    def question(key, kind, section=first, **fields):
        return QuestionFactory(
            section=section,
            key=key,
            kind=kind,
            label_fi=f"{key} fi",
            label_sv=f"{key} sv",
            label_en=f"{key} en",
            **fields,
        )

    made = {
        "goal": question("goal", Kind.SHORT_TEXT),
        "plan_text": question("plan_text", Kind.LONG_TEXT, max_length=2000),
        "staff": question("staff", Kind.NUMBER),
        "own_money": question("own_money", Kind.MONEY),
        "starts": question("starts", Kind.DATE),
        "field": question("field", Kind.SINGLE_CHOICE, section=second),
        "means": question("means", Kind.MULTIPLE_CHOICE, section=second),
        "new": question("new", Kind.YES_NO, section=second),
        "plan": question("plan", Kind.FILE, section=second),
        "events": question("events", Kind.TABLE, section=second),
        "unanswered": question("unanswered", Kind.SHORT_TEXT, section=second),
    }
    for value, fi, sv in [("culture", "Kulttuuri", "Kultur"), ("energy", "Energia", "Energi")]:
        ChoiceFactory(question=made["field"], value=value, label_fi=fi, label_sv=sv)
    for value, fi, sv in [("web", "Verkko", "Webb"), ("meet", "Tapaamiset", "Möten")]:
        ChoiceFactory(question=made["means"], value=value, label_fi=fi, label_sv=sv)
    QuestionFactory(
        table=made["events"], key="name", kind=Kind.SHORT_TEXT, label_fi="Nimi", label_sv="Namn"
    )
    QuestionFactory(
        table=made["events"], key="cost", kind=Kind.MONEY, label_fi="Hinta", label_sv="Pris"
    )
    return made


@pytest.fixture
def application(questions):
    application = eligible_draft(
        open_phase(now=RECEIVED), questionnaire_version=questions["goal"].version
    )
    plan = AttachmentFactory(
        application=application,
        name="suunnitelma.pdf",
        size=123_456,
        sha256=PLAN_SHA,
        question_key="plan",
    )
    AttachmentFactory(
        application=application,
        name="tukikirje.pdf",
        size=2_500_000,
        sha256=LETTER_SHA,
        description="Kunnan tukikirje",
    )
    IncomeRow.objects.create(
        application=application, year=2021, description="Pääsymaksut", amount=Decimal("1000.00")
    )
    application.answers = {
        "goal": "Yhteistyö",
        "plan_text": "Ensin.\n\nSitten.",
        "staff": "1234.5",
        "own_money": "2500.00",
        "starts": "2021-05-01",
        "field": "energy",
        "means": ["meet", "web"],
        "new": False,
        "plan": plan.pk,
        "events": [{"name": "Seminaari", "cost": "150.00"}, {"name": "Työpaja"}],
    }
    application.aid_requested = Decimal("79200.00")
    application.own_financing = Decimal("19800.00")
    application.save()
    return application


@pytest.fixture
def submission(application):
    return services.submit_application(application, by=application.created_by, now=RECEIVED)


@pytest.mark.django_db
def test_the_snapshot_reads_in_finnish(submission, django_assert_num_queries):
    application = submission.application
    partner = application.partners.get()
    with django_assert_num_queries(2):
        snapshot = receipts.snapshot_context(submission.content, "fi")

    with translation.override("fi"):
        personnel, other, indirect = (
            str(category.label)
            for category in (CostCategory.PERSONNEL, CostCategory.OTHER, CostCategory.INDIRECT)
        )
        partner_role = str(Partner.Role.PARTNER.label)
        partner_type = str(Organisation.Type.EDUCATIONAL_INSTITUTION.label)
    assert snapshot["record_number"] == "TEM/1/2021"
    assert snapshot["number"] == 1
    assert snapshot["received_at"] == "15.4.2021 klo 16.14.59 Suomen aikaa"
    assert snapshot["title"] == application.title
    assert snapshot["programme"] == application.phase.call.programme.name_fi
    assert snapshot["budget"] == {
        "years": [2021],
        "rows": [
            {
                "category": personnel,
                "amounts": [f"60{NBSP}000,00{NBSP}€"],
                "total": f"60{NBSP}000,00{NBSP}€",
            },
            {
                "category": other,
                "amounts": [f"31{NBSP}000,00{NBSP}€"],
                "total": f"31{NBSP}000,00{NBSP}€",
            },
            {
                "category": indirect,
                "amounts": [f"9{NBSP}000,00{NBSP}€"],
                "total": f"9{NBSP}000,00{NBSP}€",
            },
        ],
        "year_totals": [f"100{NBSP}000,00{NBSP}€"],
        "total_costs": f"100{NBSP}000,00{NBSP}€",
        "income": [{"year": 2021, "description": "Pääsymaksut", "amount": f"1{NBSP}000,00{NBSP}€"}],
        "total_income": f"1{NBSP}000,00{NBSP}€",
        "net_costs": f"99{NBSP}000,00{NBSP}€",
    }
    assert snapshot["financing"] == {
        "aid_requested": f"79{NBSP}200,00{NBSP}€",
        "own_financing": f"19{NBSP}800,00{NBSP}€",
        "other_public_funding": f"0,00{NBSP}€",
        "aid_percent": f"80,00{NBSP}%",
    }
    assert [(p["name"], p["role"], p["type"]) for p in snapshot["partners"]] == [
        (partner.organisation.name, partner_role, partner_type)
    ]
    assert snapshot["coordinator"]["name"] == application.coordinator.name
    assert snapshot["municipalities"] == [
        {"region": "Uusimaa", "municipalities": ["Askola", "Espoo"]},
        {"region": "Varsinais-Suomi", "municipalities": ["Aura", "Kaarina"]},
    ]
    assert (snapshot["municipality_count"], snapshot["region_count"]) == (4, 2)
    assert snapshot["attachments"] == [
        {
            "name": "suunnitelma.pdf",
            "description": "",
            "question": "plan fi",
            "size": f"123,5{NBSP}kB",
            "sha256": PLAN_SHA,
        },
        {
            "name": "tukikirje.pdf",
            "description": "Kunnan tukikirje",
            "question": "",
            "size": f"2,5{NBSP}MB",
            "sha256": LETTER_SHA,
        },
    ]


@pytest.mark.django_db
def test_the_answers_show_labels_of_the_questionnaire_version(submission):
    snapshot = receipts.snapshot_context(submission.content, "fi")
    sections = snapshot["answer_sections"]
    assert [section["title"] for section in sections] == ["Tavoitteet", "Toteutus"]
    shown = {
        answer["key"]: {k: v for k, v in answer.items() if k not in ("key", "free_text")}
        for section in sections
        for answer in section["answers"]
    }
    assert shown == {
        "goal": {"label": "goal fi", "display": "text", "text": "Yhteistyö"},
        "plan_text": {
            "label": "plan_text fi",
            "display": "paragraphs",
            "text": "Ensin.\n\nSitten.",
        },
        "staff": {"label": "staff fi", "display": "text", "text": f"1{NBSP}234,5"},
        "own_money": {"label": "own_money fi", "display": "text", "text": f"2{NBSP}500,00{NBSP}€"},
        "starts": {"label": "starts fi", "display": "text", "text": "1.5.2021"},
        "field": {"label": "field fi", "display": "text", "text": "Energia"},
        "means": {"label": "means fi", "display": "list", "items": ["Tapaamiset", "Verkko"]},
        "new": {"label": "new fi", "display": "text", "text": "Ei"},
        "plan": {"label": "plan fi", "display": "list", "items": ["suunnitelma.pdf"]},
        "events": {
            "label": "events fi",
            "display": "table",
            "table": {
                "columns": ["Nimi", "Hinta"],
                "rows": [["Seminaari", f"150,00{NBSP}€"], ["Työpaja", ""]],
            },
        },
        "unanswered": {"label": "unanswered fi", "display": "empty"},
    }


@pytest.mark.django_db
def test_the_snapshot_reads_in_swedish(submission):
    application = submission.application
    snapshot = receipts.snapshot_context(submission.content, "sv")
    call = application.phase.call
    assert snapshot["received_at"] == "15.4.2021 kl. 16.14.59 finsk tid"
    assert snapshot["programme"] == call.programme.name_sv
    assert snapshot["call"] == call.name_sv
    assert snapshot["instrument"] == application.instrument.name_sv
    assert snapshot["municipalities"] == [
        {"region": "Nyland", "municipalities": ["Askola", "Esbo"]},
        {"region": "Egentliga Finland", "municipalities": ["Aura", "S:t Karins"]},
    ]
    assert snapshot["budget"]["total_costs"] == f"100{NBSP}000,00{NBSP}€"
    answers = {a["key"]: a for s in snapshot["answer_sections"] for a in s["answers"]}
    assert answers["field"]["label"] == "field sv"
    assert answers["field"]["text"] == "Energi"
    assert answers["new"]["text"] == "Nej"
    assert answers["events"]["table"]["columns"] == ["Namn", "Pris"]
    assert [s["title"] for s in snapshot["answer_sections"]] == ["Mål", "Genomförande"]


@pytest.mark.django_db
def test_a_missing_swedish_name_falls_back_to_finnish(submission):
    content = copy.deepcopy(submission.content)
    content["call"]["name"]["sv"] = ""
    snapshot = receipts.snapshot_context(content, "sv")
    assert snapshot["call"] == content["call"]["name"]["fi"]


@pytest.mark.django_db
def test_a_snapshot_without_a_questionnaire_needs_no_query(submission, django_assert_num_queries):
    content = copy.deepcopy(submission.content)
    content["questionnaire"] = None
    content["answers"] = {}
    with django_assert_num_queries(0):
        snapshot = receipts.snapshot_context(content, "en")
    assert snapshot["answer_sections"] == []
    assert snapshot["received_at"] == "15 April 2021 at 16:14:59 Finnish time"


@pytest.mark.django_db
def test_the_snapshot_template_uses_semantic_tables_and_headings(submission):
    snapshot = receipts.snapshot_context(submission.content, "fi")
    html = render_to_string("applications/includes/snapshot.html", {"snapshot": snapshot})
    assert re.findall(r'<h2 id="([a-z-]+)"', html) == [
        "snapshot-application",
        "snapshot-consortium",
        "snapshot-municipalities",
        "snapshot-budget",
        "snapshot-financing",
        "snapshot-answers",
        "snapshot-attachments",
    ]
    assert html.count("<caption") == 3  # costs, income and the table answer
    assert '<th scope="row">' in html
    assert PLAN_SHA in html
    assert re.findall(r"<h3>", html) == ["<h3>"] * 6  # 2 organisations, 2 sections, 2 files
    nested = render_to_string(
        "applications/includes/snapshot.html",
        {"snapshot": snapshot, "id_prefix": "old", "heading_level": 3},
    )
    assert re.findall(r'<h3 id="([a-z-]+)"', nested)[:2] == ["old-application", "old-consortium"]
    assert nested.count("<h2") == 0
    assert nested.count("<h4>") == 6


# --- The PDF ---------------------------------------------------------------------------


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages).replace(
        NBSP, " "
    )


@pytest.mark.django_db
def test_the_receipt_pdf_holds_the_whole_snapshot(submission):
    application = submission.application
    pdf = receipts.receipt_pdf(submission)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    expected = [
        "TEM/1/2021",
        "15.4.2021 klo 16.14.59 Suomen aikaa",
        application.title,
        application.coordinator.name,
        application.partners.get().organisation.name,
        "Askola",
        "Espoo",
        "Aura",
        "Kaarina",
        "100 000,00 €",
        submission.sha256,
        PLAN_SHA,
        LETTER_SHA,
        application.phase.call.programme.funder.name_fi,
        application.created_by.email,
    ]
    assert [value for value in expected if value not in text] == []


@pytest.mark.django_db
def test_the_receipt_pdf_is_tagged_with_its_language_and_title(submission):
    reader = PdfReader(io.BytesIO(receipts.receipt_pdf(submission, "en")))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"] == {"/DisplayDocTitle": True}
    assert reader.metadata.title == "Receipt of application TEM/1/2021"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()


@pytest.mark.django_db
def test_the_receipt_pdf_is_written_in_the_language_asked(submission):
    pdf = receipts.receipt_pdf(submission, "sv")
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "sv"
    text = _text(pdf)
    assert "15.4.2021 kl. 16.14.59 finsk tid" in text
    assert "Esbo" in text


@pytest.mark.django_db
def test_the_receipt_email_carries_one_pdf(application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=application.created_by, now=RECEIVED)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.created_by.email]
    assert len(message.attachments) == 1
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("kuittaus-TEM-1-2021.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    assert "15.4.2021 klo 16.14.59 Suomen aikaa" in _text(content)


@pytest.mark.django_db
def test_the_receipt_notice_names_what_the_snapshot_froze(submission):
    notice = Notice.objects.get(kind="application.receipt")
    content = submission.content
    assert notice.recipient == submission.submitted_by
    assert notice.language == submission.application.language
    assert notice.dedupe_key == f"receipt:{submission.pk}"
    assert notice.context == {
        "application_title": submission.application.title,
        "record_number": "TEM/1/2021",
        "call_name": content["call"]["name"],
        "organisation_name": submission.application.coordinator.name,
        "time_zone": "Europe/Helsinki",
        "received_at": RECEIVED.isoformat(),
        "number": 1,
        "sha256": submission.sha256,
        "call_id": submission.application.phase.call_id,
        "phase_id": submission.application.phase_id,
        "url": settings.REGIONET_SITE_URL.rstrip("/")
        + f"/fi/applications/{submission.application_id}/receipts/1/",
    }
    assert content["call"]["name"] == {
        "fi": submission.application.phase.call.name_fi,
        "sv": submission.application.phase.call.name_sv,
        "en": submission.application.phase.call.name_en,
    }


# --- Who to ask and what happens next ------------------------------------------------------


@pytest.fixture
def guidance(application):
    """The call's two contact persons, its next steps after the idea phase and when the
    decisions are expected (as the demo's TEM call says them)."""
    call, phase = application.phase.call, application.phase
    call.decisions_expected_fi = "Avustuspäätösten odotetaan valmistuvan kesäkuussa 2021."
    call.decisions_expected_sv = "Besluten om statsunderstöd väntas i juni 2021."
    call.decisions_expected_en = "The grant decisions are expected in June 2021."
    call.save()
    phase.next_steps_fi = "Valmistelijat arvioivat ideat."
    phase.next_steps_sv = "Beredarna bedömer idéerna."
    phase.next_steps_en = "The officers assess the ideas."
    phase.save()
    CallContactFactory(
        call=call,
        order=2,
        name="Johan Lindqvist",
        role_fi="Erityisasiantuntija: talousarvio",
        role_sv="Specialsakkunnig: budget",
        role_en="Senior specialist: budget",
        email="johan.lindqvist@tem.example",
        phone="+358 29 504 0102",
        languages=["fi", "sv", "en"],
    )
    CallContactFactory(
        call=call,
        order=1,
        name="Anna Virtanen",
        role_fi="Ohjelmapäällikkö: hakukelpoisuus",
        role_sv="Programchef: behörighet",
        role_en="Programme manager: eligibility",
        email="anna.virtanen@tem.example",
        phone="",
        languages=["fi", "en"],
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("guidance")
def test_the_receipt_pdf_says_what_happens_next_and_who_to_ask(submission):
    text = _text(receipts.receipt_pdf(submission, "fi"))
    next_steps = (
        "Mitä seuraavaksi tapahtuu Valmistelijat arvioivat ideat. "
        "Avustuspäätösten odotetaan valmistuvan kesäkuussa 2021. "
    )
    contacts = (
        "Keneltä kysyä Anna Virtanen Ohjelmapäällikkö: hakukelpoisuus "
        "Sähköposti anna.virtanen@tem.example Kielet suomi, englanti "
        "Johan Lindqvist Erityisasiantuntija: talousarvio "
        "Sähköposti johan.lindqvist@tem.example Puhelin +358 29 504 0102 "
        "Kielet suomi, ruotsi, englanti"
    )
    assert next_steps + contacts in text
    assert "Besluten om statsunderstöd väntas i juni 2021." in _text(
        receipts.receipt_pdf(submission, "sv")
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("guidance")
def test_the_receipt_email_says_what_happens_next_and_who_to_ask(
    application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=application.created_by, now=RECEIVED)
    (message,) = mail.outbox
    assert (
        "Mitä seuraavaksi tapahtuu\n"
        "Valmistelijat arvioivat ideat.\n"
        "Avustuspäätösten odotetaan valmistuvan kesäkuussa 2021.\n"
        "\n"
        "Keneltä kysyä\n"
        "- Anna Virtanen, Ohjelmapäällikkö: hakukelpoisuus: anna.virtanen@tem.example "
        "(suomi, englanti)\n"
        "- Johan Lindqvist, Erityisasiantuntija: talousarvio: johan.lindqvist@tem.example, "
        "+358 29 504 0102 (suomi, ruotsi, englanti)\n"
    ) in message.body


@pytest.mark.django_db
@pytest.mark.usefixtures("guidance")
def test_a_receipt_names_the_contacts_of_today_not_of_the_submission(submission, client):
    """The contacts are the funder's to keep current: they are read when the receipt is shown,
    and the snapshot (and so its hash) holds only what the applicant sent."""
    assert "contacts" not in json.dumps(submission.content)
    submission.application.phase.call.contacts.filter(name="Anna Virtanen").update(
        name="Liisa Uusi", email="liisa.uusi@tem.example"
    )
    client.force_login(submission.submitted_by)
    page = client.get(f"/en/applications/{submission.application_id}/receipts/1/")
    body = page.content.decode()
    assert "Liisa Uusi" in body
    assert '<a href="mailto:liisa.uusi@tem.example">liisa.uusi@tem.example</a>' in body
    assert "Anna Virtanen" not in body
    assert "<p><strong>The grant decisions are expected in June 2021.</strong></p>" in body
    assert "<p>The officers assess the ideas.</p>" in body
    assert "Liisa Uusi" in _text(receipts.receipt_pdf(submission, "en"))


@pytest.mark.django_db
def test_a_call_without_contacts_or_next_steps_leaves_the_sections_out(submission, client):
    client.force_login(submission.submitted_by)
    body = client.get(f"/en/applications/{submission.application_id}/receipts/1/").content
    assert b"Who to ask" not in body
    assert b"What happens next" not in body
    assert "Who to ask" not in _text(receipts.receipt_pdf(submission, "en"))
