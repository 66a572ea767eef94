"""The benchmark's world: a fresh PostgreSQL database, the reference places, one published
programme with an open phase, and N applicants, each with a complete eligible draft and a
signed-in session.

Plain ORM with ``bulk_create`` (no test factories): the drafts are those of
``tests/factories/applications.py:eligible_draft`` — 4 municipalities in 2 regions, a
confirmed partner (an educational institution), 100 000,00 € of costs in the first year
(60 000 personnel, 15 % flat-rate indirect costs, the rest other costs) and a balanced
financing plan (80 % aid, 20 % own financing).
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import psycopg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.utils import timezone
from django.utils.crypto import get_random_string

from regionet.accounts.business_ids import make_y_tunnus
from regionet.accounts.models import Membership, Organisation, User
from regionet.applications.models import Application, BudgetRow, CostCategory, Partner
from regionet.places.models import Country, MunicipalityPeriod
from regionet.programmes.models import Call, Instrument, Phase, Programme, PublicationState

RECORD_NUMBER_FORMAT = "BENCH/{number}/{year}"
NETWORK_APPLICANT_TYPES = [
    Organisation.Type.MUNICIPALITY,
    Organisation.Type.JOINT_MUNICIPAL_AUTHORITY,
    Organisation.Type.DEVELOPMENT_ORGANISATION,
    Organisation.Type.EDUCATIONAL_INSTITUTION,
    Organisation.Type.NGO,
    Organisation.Type.LEADER_GROUP,
]
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Applicant:
    index: int
    user_id: int
    application_id: int
    # The cookies a signed-in browser holds, and the CSRF token its forms carry.
    session_key: str
    csrf_token: str
    # Submits only after the deadline.
    late: bool
    # Clicks "Submit" twice.
    double_click: bool

    @property
    def cookie(self) -> str:
        return (
            f"{settings.SESSION_COOKIE_NAME}={self.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf_token}"
        )


@dataclass
class World:
    programme_id: int
    funder_id: int
    phase_id: int
    applicants: list[Applicant]


def recreate_database(url: str) -> None:
    """Drop and create the database of ``url`` (postgres://user@host:port/name)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("regionet_bench"):
        raise SystemExit(f"Refusing to drop {name!r}: the benchmark's database is regionet_bench*.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def migrate_and_import_places() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("import-places", str(settings.REFERENCE_DATA_DIR), verbosity=0)


def _y_tunnus(n: int) -> str:
    # Ten consecutive bodies have ten different remainders: one of them has a check digit.
    return next(filter(None, (make_y_tunnus(4_000_000 + n * 10 + i) for i in range(10))))


def _municipality_pairs(year: int) -> list[list[int]]:
    """Finnish municipalities valid in ``year``, grouped by region (ids, by code)."""
    by_region: dict[int, list[int]] = {}
    periods = (
        MunicipalityPeriod.objects.valid_in(year)
        .filter(municipality__country__code="FI")
        .order_by("region__code", "municipality__code")
        .values_list("region_id", "municipality_id")
    )
    for region_id, municipality_id in periods:
        by_region.setdefault(region_id, []).append(municipality_id)
    return [ids for ids in by_region.values() if len(ids) >= 2]


def build_world(
    count: int, *, late_share: float, double_click_share: float, seed: int = 2021
) -> World:
    """The programme, call, open phase and ``count`` applicants with eligible drafts.

    The phase closes in a day; the runner moves ``closes_at`` just before the rush.
    """
    now = timezone.now()
    year = timezone.localdate().year
    finland = Country.objects.get(code="FI")
    regions = _municipality_pairs(year)
    home = regions[0][0]

    funder = Organisation.objects.create(
        name_fi="Benchmark-ministeriö",
        name_sv="Benchmarkministeriet",
        type=Organisation.Type.STATE_AUTHORITY,
        country=finland,
        business_id=_y_tunnus(0),
        home_municipality_id=home,
        is_funder=True,
    )
    programme = Programme.objects.create(
        funder=funder,
        slug="bench",
        name_fi="Kuormitusohjelma",
        name_sv="Belastningsprogram",
        name_en="Benchmark programme",
        appropriation_code="AKKE",
        total_budget=Decimal("7000000.00"),
        max_aid_percent=Decimal("80.00"),
        min_own_financing_percent=Decimal("20.00"),
        indirect_cost_percent=Decimal("15.00"),
        record_number_format=RECORD_NUMBER_FORMAT,
        time_zone="Europe/Helsinki",
        first_year=year,
        last_year=year + 2,
        state=PublicationState.PUBLISHED,
        published_at=now,
    )
    call = Call.objects.create(
        programme=programme,
        slug="rush",
        name_fi="Ruuhkahaku",
        name_sv="Rusningsutlysning",
        name_en="Rush call",
        state=PublicationState.PUBLISHED,
        published_at=now,
    )
    instrument = Instrument.objects.create(
        call=call,
        code="thematic-network",
        kind=Instrument.Kind.THEMATIC_NETWORK,
        name_fi="Teemaverkosto",
        name_sv="Temanätverk",
        name_en="Thematic network",
        allowed_applicant_types=[str(t) for t in NETWORK_APPLICANT_TYPES],
        min_municipalities=4,
        min_regions=2,
    )
    instrument.countries.set([finland])
    phase = Phase.objects.create(
        call=call,
        kind=Phase.Kind.IDEA,
        order=1,
        name_fi="Ideahaku",
        name_sv="Idéefterlysning",
        name_en="Idea phase",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=1),
    )

    # Two organisations per applicant: the coordinator and its partner, each with a member.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"{role}{i}@bench.example",
            full_name=f"{role.title()} {i}",
            preferred_language="fi",
            password=unusable,
        )
        for i in range(count)
        for role in ("coordinator", "partner")
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name_fi=f"{'Kehitysyhtiö' if role == 'c' else 'Oppilaitos'} {i}",
            name_sv=f"{'Utvecklingsbolag' if role == 'c' else 'Läroanstalt'} {i}",
            type=(
                Organisation.Type.DEVELOPMENT_ORGANISATION
                if role == "c"
                else Organisation.Type.EDUCATIONAL_INSTITUTION
            ),
            country=finland,
            business_id=_y_tunnus(1 + 2 * i + (role == "p")),
            home_municipality_id=home,
        )
        for i in range(count)
        for role in ("c", "p")
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=organisation,
            role=Membership.Role.ADMIN,
        )
        for user, organisation in zip(users, organisations, strict=True)
    )
    coordinators, partner_users = users[0::2], users[1::2]
    coordinator_orgs, partner_orgs = organisations[0::2], organisations[1::2]

    applications = Application.objects.bulk_create(
        Application(
            phase=phase,
            instrument=instrument,
            coordinator=organisation,
            funder_id=phase.call.programme.funder_id,
            created_by=user,
            created_at=now,
            updated_at=now,
            language="fi",
            title=f"Verkostohanke {i}",
            summary="Hanke verkostoi alueiden toimijat.",
            aid_requested=Decimal("80000.00"),
            own_financing=Decimal("20000.00"),
        )
        for i, (user, organisation) in enumerate(zip(coordinators, coordinator_orgs, strict=True))
    )
    through = Application.municipalities.through
    links = []
    for i, application in enumerate(applications):
        first, second = regions[i % len(regions)], regions[(i + 1) % len(regions)]
        for municipality_id in (*first[:2], *second[:2]):
            links.append(through(application=application, municipality_id=municipality_id))
    through.objects.bulk_create(links)

    personnel = Decimal("60000.00")
    indirect = (personnel * programme.indirect_cost_percent / 100).quantize(Decimal("0.01"))
    other = Decimal("100000.00") - personnel - indirect
    BudgetRow.objects.bulk_create(
        BudgetRow(application=application, year=year, category=category, amount=amount)
        for application in applications
        for category, amount in (
            (CostCategory.PERSONNEL, personnel),
            (CostCategory.INDIRECT, indirect),
            (CostCategory.OTHER, other),
        )
    )
    Partner.objects.bulk_create(
        Partner(
            application=application,
            organisation=organisation,
            role=Partner.Role.PARTNER,
            confirmed_at=now,
            confirmed_by=user,
            commitment="Osallistumme hankkeeseen.",
        )
        for application, organisation, user in zip(
            applications, partner_orgs, partner_users, strict=True
        )
    )

    rng = random.Random(seed)
    order = list(range(count))
    rng.shuffle(order)
    late_count = round(count * late_share)
    late = set(order[:late_count])
    double_click = set(order[late_count : late_count + round(count * double_click_share)])

    sessions, applicants = [], []
    store = SessionStore()
    expires = now + timedelta(days=1)
    for i, (user, application) in enumerate(zip(coordinators, applications, strict=True)):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: SESSION_BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        applicants.append(
            Applicant(
                index=i,
                user_id=user.pk,
                application_id=application.pk,
                session_key=key,
                # An unmasked CSRF secret is a valid form token too (Django ≥ 4.1).
                csrf_token=get_random_string(32, CSRF_ALLOWED_CHARS),
                late=i in late,
                double_click=i in double_click,
            )
        )
    Session.objects.bulk_create(sessions)
    return World(
        programme_id=programme.pk,
        funder_id=funder.pk,
        phase_id=phase.pk,
        applicants=applicants,
    )


def move_deadline(world: World, closes_at) -> None:
    """Set the phase's deadline (the clock of the rush starts now)."""
    Phase.objects.filter(pk=world.phase_id).update(closes_at=closes_at)
