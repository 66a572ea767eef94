"""Demo data: the funders, about 35 organisations in real municipalities, one account per role.

The organisations are listed in ``data/organisations.csv``; their business IDs are made
valid by computing the check digit, they are not real ones. Staff accounts get a TOTP
authenticator with a secret derived from the e-mail address, printed by the demo, so that
two-factor sign-in can be tried with any authenticator app.
"""

import base64
import csv
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import transaction

from regionet.accounts import services as accounts
from regionet.accounts.business_ids import make_organisationsnummer, make_y_tunnus
from regionet.accounts.models import FunderRole, Membership, User
from regionet.demo.applications import load_applications
from regionet.demo.programmes import load_programmes
from regionet.places.models import Country, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "Demo-2026-salasana"  # noqa: S105 - printed to the demo user on purpose


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    language: str
    role_label: str
    organisation: tuple[str, str] | None = None  # (organisation key, membership role)
    funder_roles: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    superuser: bool = False

    @property
    def is_staff_role_holder(self) -> bool:
        """Staff rights, which need two-factor sign-in: a funder staff role or superuser."""
        return self.superuser or any(
            role in FunderRole.STAFF_ROLES for _, role in self.funder_roles
        )


Role = FunderRole.Role
ACCOUNTS = (
    DemoAccount(
        "yllapitaja@regionet.example",
        "Ylva Ylläpitäjä",
        "fi",
        "administrator",
        ("tem", Membership.Role.ADMIN),
        (("tem", Role.ADMINISTRATOR), ("tillvaxtverket", Role.ADMINISTRATOR)),
        superuser=True,
    ),
    DemoAccount(
        "valmistelija@tem.example",
        "Ville Valmistelija",
        "fi",
        "programme officer (TEM)",
        ("tem", Membership.Role.MEMBER),
        (("tem", Role.PROGRAMME_OFFICER),),
    ),
    DemoAccount(
        "esittelija@tem.example",
        "Eeva Esittelijä",
        "fi",
        "decision maker (TEM)",
        ("tem", Membership.Role.MEMBER),
        (("tem", Role.DECISION_MAKER),),
    ),
    DemoAccount(
        "arvioija@regionet.example",
        "Aino Arvioija",
        "fi",
        "reviewer (TEM)",
        None,
        (("tem", Role.REVIEWER),),
    ),
    DemoAccount(
        "hakija@oulu.example",
        "Hannu Hakija",
        "fi",
        "applicant, coordinator (Oulu)",
        ("oulu", Membership.Role.ADMIN),
        (("tem", Role.APPLICANT),),
    ),
    DemoAccount(
        "kumppani@kemi.example",
        "Kaisa Kumppani",
        "fi",
        "applicant, partner (Kemi)",
        ("kemi", Membership.Role.ADMIN),
        (("tem", Role.APPLICANT),),
    ),
    DemoAccount(
        "handlaggare@tillvaxtverket.example",
        "Hanna Handläggare",
        "sv",
        "programme officer (Tillväxtverket)",
        ("tillvaxtverket", Membership.Role.MEMBER),
        (("tillvaxtverket", Role.PROGRAMME_OFFICER),),
    ),
    DemoAccount(
        "rapportor@regionvasterbotten.example",
        "Rasmus Rapportör",
        "sv",
        "region reporting its follow-up (Västerbotten)",
        ("region-vasterbotten", Membership.Role.ADMIN),
        (("tillvaxtverket", Role.APPLICANT),),
    ),
)

# First digits of Swedish organisationsnummer by legal form: municipalities and regions
# start with 2, companies (aktiebolag) with 5, associations with 8.
_SE_PREFIX = {
    "municipality": 212000,
    "regional_council": 232100,
    "state_authority": 202100,
    "educational_institution": 202100,
    "company": 556000,
}


def places_missing() -> bool:
    return not Municipality.objects.exists()


def demo_totp_secret(email: str) -> str:
    return base64.b32encode(
        hashlib.sha256(f"regionet-demo:{email}".encode()).digest()[:20]
    ).decode()


def current_totp_code(email: str, at: float | None = None) -> str:
    """The TOTP code a demo staff account's authenticator app would show now."""
    return format_hotp_value(hotp_value(demo_totp_secret(email), int(at or time.time()) // 30))


def _business_id(country: str, type_: str, index: int) -> str:
    if country == "FI":
        body = 2_900_000 + 7_919 * index
        while (business_id := make_y_tunnus(body)) is None:
            body += 1
        return business_id
    prefix = _SE_PREFIX.get(type_, 802000)
    return make_organisationsnummer(prefix * 1000 + 17 * index + 1)


def _organisation_rows():
    with (DATA_DIR / "organisations.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def is_loaded() -> bool:
    return User.objects.filter(email=ACCOUNTS[0].email).exists()


@transaction.atomic
def load_demo() -> bool:
    """Create the demo organisations and accounts; returns False when they already exist."""
    if is_loaded():
        return False
    countries = {c.code: c for c in Country.objects.all()}
    users = {}
    for account in ACCOUNTS:
        user = User.objects.create_user(
            account.email,
            DEMO_PASSWORD,
            full_name=account.full_name,
            preferred_language=account.language,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if account.is_staff_role_holder:
            TOTP.activate(user, demo_totp_secret(account.email))
        users[account.email] = user

    admin = users[ACCOUNTS[0].email]
    organisations = {}
    for index, row in enumerate(_organisation_rows()):
        country = countries[row["country"]]
        municipality = Municipality.objects.get(country=country, code=row["municipality_code"])
        organisations[row["key"]] = accounts.register_organisation(
            by=None,
            country=country,
            type=row["type"],
            business_id=_business_id(row["country"], row["type"], index),
            home_municipality=municipality,
            name_fi=row["name_fi"],
            name_sv=row["name_sv"],
            name_en=row["name_en"],
            is_funder=row["funder"] == "yes",
        )

    for account in ACCOUNTS:
        user = users[account.email]
        if account.organisation:
            key, role = account.organisation
            Membership.objects.create(user=user, organisation=organisations[key], role=role)
    for account in ACCOUNTS:
        for funder_key, role in account.funder_roles:
            accounts.grant_funder_role(
                user=users[account.email], funder=organisations[funder_key], role=role, by=admin
            )
    load_programmes()
    load_applications()
    return True


def accounts_text(site_url: str) -> str:
    lines = [
        "",
        f"Regionet demo is at {site_url}",
        f"Every demo account's password is: {DEMO_PASSWORD}",
        "",
    ]
    width = max(len(a.email) for a in ACCOUNTS)
    for account in ACCOUNTS:
        line = f"  {account.email:<{width}}  {account.role_label}"
        if account.is_staff_role_holder:
            line += (
                f"\n  {'':<{width}}  two-factor (TOTP) secret: {demo_totp_secret(account.email)}"
            )
        lines.append(line)
    lines += [
        "",
        "Staff accounts sign in with a TOTP code: add the secret to an authenticator app, or",
        "run `DEBUG=true .venv/bin/regionet demo-totp EMAIL` for the current code.",
        "",
    ]
    return "\n".join(lines)


def has_demo_totp(email: str) -> bool:
    return Authenticator.objects.filter(
        user__email=email, type=Authenticator.Type.TOTP
    ).exists() and any(a.email == email and a.is_staff_role_holder for a in ACCOUNTS)
