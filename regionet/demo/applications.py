"""Demo applications in the open round, made through the applications' doors.

Oulu's applicant (hakija@oulu.example) has submitted an idea application of a hydrogen-economy
network with Kemi (whose applicant confirmed), Tornio and Raahe, so the
programme officer finds it in the workspace with its record number and the applicant has a
receipt; a second idea, a development-zone draft, waits for Kemi's confirmation
(kumppani@kemi.example). The texts and amounts are illustrative.
"""

from django.utils import timezone

from regionet.accounts.models import Organisation, User
from regionet.applications import services
from regionet.applications.models import Section
from regionet.places.models import Municipality
from regionet.programmes.models import Phase, Programme

ROUND = "network-cooperation-new-round"
TEXTS = {
    "objectives": "Verkosto rakentaa Perämeren kaaren kunnista vetytalouden osaamiskeskittymän: "
    "yhteiset kokeilut, tutkimus ja yritysyhteistyö kolmessa vuodessa.",
    "cooperation": "Kunnat, ammattikorkeakoulu ja kehitysyhtiöt tapaavat neljännesvuosittain ja "
    "jakavat työn teemaryhmiin: tuotanto, logistiikka ja osaaminen.",
    "results": "Kolme yhteistä pilottia, osaamiskartoitus ja 40 yritystä mukana verkostossa; "
    "mittarina pilottien määrä ja yritysten osallistuminen.",
    "contact_person": "Hannu Hakija, hakija@oulu.example, 040 123 4567",
}


def _organisation(name_fi: str) -> Organisation:
    return Organisation.objects.get(country__code="FI", name_fi=name_fi)


def _municipalities(*names: str) -> list[int]:
    return list(
        Municipality.objects.filter(country__code="FI", name_fi__in=names).values_list(
            "pk", flat=True
        )
    )


def load_applications(now=None) -> None:
    """Create the demo applications; expects the demo accounts and programmes."""
    now = now or timezone.now()
    programme = Programme.objects.get(slug=ROUND)
    call = programme.calls.get()
    phase = call.phases.get(kind=Phase.Kind.IDEA)
    network = call.instruments.get(code="thematic-network")
    zone_instrument = call.instruments.get(code="development-zone")
    coordinator = _organisation("Oulun kaupunki")
    applicant = User.objects.get(email="hakija@oulu.example")
    kemi = _organisation("Kemin kaupunki")

    application = services.start_application(
        phase=phase,
        instrument=network,
        coordinator=coordinator,
        by=applicant,
        language="fi",
        now=now,
    )

    def save(section, data):
        services.save_section(
            application,
            section,
            data,
            base_version=application.section_version(section),
            by=applicant,
            now=now,
        )
        application.refresh_from_db()

    save(
        Section.BASICS,
        {
            "title": "Perämeren kaaren vetytalousverkosto",
            "summary": "Kunnat, korkeakoulu ja yritykset kehittävät yhdessä vetytaloutta "
            "Perämeren kaarella.",
            "theme": programme.themes.get(code="hydrogen-economy").pk,
        },
    )
    save(
        Section.MUNICIPALITIES,
        {"municipalities": _municipalities("Oulu", "Kemi", "Tornio", "Raahe")},
    )
    year = programme.first_year
    save(
        Section.BUDGET,
        {
            "costs": {
                (year, "personnel"): "60000.00",
                (year, "purchased_services"): "20000.00",
                (year, "travel"): "5000.00",
                (year + 1, "personnel"): "60000.00",
                (year + 1, "other"): "6000.00",
            },
            "income": [],
        },
    )
    # 169 000,00 € of costs, 18 000,00 € of it flat-rate indirect (15 % of personnel): 80 % aid.
    save(
        Section.FINANCING,
        {"aid_requested": "135200.00", "own_financing": "33800.00", "other_public_funding": "0"},
    )
    version = application.questionnaire_version
    for section in version.sections.all():
        keys = set(section.questions.values_list("key", flat=True))
        save(f"answers:{section.pk}", {k: v for k, v in TEXTS.items() if k in keys})
    partner = services.add_partner(
        application,
        kemi,
        role="partner",
        tasks="Pilotit ja osaamisen kehittäminen.",
        by=applicant,
        now=now,
    )
    services.confirm_partnership(
        partner,
        commitment="Kemin kaupunki osallistuu verkostoon ja sen kustannuksiin hakemuksen "
        "mukaisesti.",
        by=User.objects.get(email="kumppani@kemi.example"),
        now=now,
    )
    services.submit_application(application, by=applicant, now=now)

    draft = services.start_application(
        phase=phase,
        instrument=zone_instrument,
        coordinator=coordinator,
        by=applicant,
        language="fi",
        now=now,
    )
    services.save_section(
        draft,
        Section.BASICS,
        {
            "title": "Perämerenkaaren kehittämisvyöhyke 2.0",
            "summary": "Vyöhykkeen kunnat kehittävät yhteistä liikenne- ja elinkeinopolitiikkaa.",
            "zone": programme.zones.get(code="perameri").pk,
        },
        base_version=0,
        by=applicant,
        now=now,
    )
    services.add_partner(draft, kemi, role="partner", by=applicant, now=now)
