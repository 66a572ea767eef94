"""Factories for programmes, calls, instruments, phases and criteria.

Every factory makes a publishable object: texts in fi, sv and en, a programme whose yearly
budgets sum to its total (7 000 000,00 € over 2021–2023 unless told otherwise), phases in
order. ``network_programme()`` builds the whole Finnish inter-regional network programme of
2021 with its call, two instruments, two phases, themes and zones, unpublished.
"""

from datetime import UTC, datetime
from decimal import Decimal

import factory

from regionet.accounts.models import Organisation
from regionet.programmes.models import (
    AssessmentThreshold,
    Call,
    CallContact,
    Criterion,
    Earmark,
    Instrument,
    Phase,
    Programme,
    Theme,
    YearlyBudget,
    Zone,
)

from .accounts import OrganisationFactory, country

__all__ = [
    "AssessmentThresholdFactory",
    "CallContactFactory",
    "CallFactory",
    "CriterionFactory",
    "EarmarkFactory",
    "InstrumentFactory",
    "PhaseFactory",
    "ProgrammeFactory",
    "ThemeFactory",
    "YearlyBudgetFactory",
    "ZoneFactory",
    "network_programme",
]

NETWORK_APPLICANT_TYPES = [
    Organisation.Type.MUNICIPALITY,
    Organisation.Type.JOINT_MUNICIPAL_AUTHORITY,
    Organisation.Type.DEVELOPMENT_ORGANISATION,
    Organisation.Type.EDUCATIONAL_INSTITUTION,
    Organisation.Type.NGO,
    Organisation.Type.LEADER_GROUP,
]


def _split(total: Decimal, years: int) -> list[Decimal]:
    """``total`` in ``years`` shares to the cent, the remainder in the last year."""
    share = (total / years).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [share] * (years - 1) + [total - share * (years - 1)]


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A draft programme of a new funder; ``budgets=False`` leaves out the yearly budgets."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    funder = factory.SubFactory(
        OrganisationFactory,
        is_funder=True,
        type=Organisation.Type.STATE_AUTHORITY,
        name_fi=factory.Sequence(lambda n: f"Rahoittajaministeriö {n}"),
        name_sv=factory.Sequence(lambda n: f"Finansieringsministeriet {n}"),
    )
    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_fi = factory.Sequence(lambda n: f"Verkosto-ohjelma {n}")
    name_sv = factory.Sequence(lambda n: f"Nätverksprogram {n}")
    name_en = factory.Sequence(lambda n: f"Network programme {n}")
    description_fi = "Ohjelma tukee alueiden välistä yhteistyötä."
    description_sv = "Programmet stöder samarbete mellan regioner."
    description_en = "The programme supports cooperation between regions."
    appropriation_code = "AKKE"
    total_budget = Decimal("7000000.00")
    currency = "EUR"
    max_aid_percent = Decimal("80.00")
    min_own_financing_percent = Decimal("20.00")
    time_zone = "Europe/Helsinki"
    first_year = 2021
    last_year = 2023

    @factory.post_generation
    def budgets(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        years = list(self.years)
        for year, amount in zip(years, _split(self.total_budget, len(years)), strict=True):
            YearlyBudget.objects.create(programme=self, year=year, amount=amount)


class YearlyBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyBudget

    programme = factory.SubFactory(ProgrammeFactory, budgets=False)
    year = 2021
    amount = Decimal("1000000.00")


class EarmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Earmark

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"earmark-{n}")
    name_fi = factory.Sequence(lambda n: f"Korvamerkintä {n}")
    name_sv = factory.Sequence(lambda n: f"Öronmärkning {n}")
    name_en = factory.Sequence(lambda n: f"Earmark {n}")
    amount = Decimal("500000.00")
    regional_towns_only = False


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"theme-{n}")
    name_fi = factory.Sequence(lambda n: f"Teema {n}")
    name_sv = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(lambda n: n)


class ZoneFactory(factory.django.DjangoModelFactory):
    """A zone; ``regions=[…]`` and ``municipalities=[…]`` set its members."""

    class Meta:
        model = Zone
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"zone-{n}")
    name_fi = factory.Sequence(lambda n: f"Kehittämisvyöhyke {n}")
    name_sv = factory.Sequence(lambda n: f"Utvecklingsområde {n}")
    name_en = factory.Sequence(lambda n: f"Development zone {n}")
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    name_fi = factory.Sequence(lambda n: f"Haku {n}")
    name_sv = factory.Sequence(lambda n: f"Utlysning {n}")
    name_en = factory.Sequence(lambda n: f"Call {n}")


class CallContactFactory(factory.django.DjangoModelFactory):
    """A contact person of a call who serves in Finnish and English."""

    class Meta:
        model = CallContact

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Anna Yhteyshenkilö {n}")
    role_fi = "Ohjelmapäällikkö"
    role_sv = "Programchef"
    role_en = "Programme manager"
    email = factory.Sequence(lambda n: f"contact{n}@tem.example")
    phone = "+358 29 504 0101"
    languages = factory.LazyFunction(lambda: ["fi", "en"])


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A thematic network for the six Finnish applicant types in Finland, at least 4
    municipalities in at least 2 regions; ``countries=[…]`` and ``earmarks=[…]`` override."""

    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"instrument-{n}")
    kind = Instrument.Kind.THEMATIC_NETWORK
    name_fi = factory.Sequence(lambda n: f"Teemaverkosto {n}")
    name_sv = factory.Sequence(lambda n: f"Temanätverk {n}")
    name_en = factory.Sequence(lambda n: f"Thematic network {n}")
    allowed_applicant_types = factory.LazyFunction(lambda: list(NETWORK_APPLICANT_TYPES))
    min_municipalities = 4
    min_regions = 2
    min_partners = 0
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(extracted if extracted is not None else [country("FI")])

    @factory.post_generation
    def earmarks(self, create, extracted, **kwargs):
        if create and extracted:
            self.earmarks.set(extracted)


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class PhaseFactory(factory.django.DjangoModelFactory):
    """The idea phase of 2021: open 1.3.2021 10.00, closing 15.4.2021 16.15 Finnish time."""

    class Meta:
        model = Phase

    call = factory.SubFactory(CallFactory)
    kind = Phase.Kind.IDEA
    order = factory.Sequence(lambda n: n + 1)
    name_fi = "Ideahaku"
    name_sv = "Idéefterlysning"
    name_en = "Idea phase"
    opens_at = factory.LazyFunction(lambda: _utc(2021, 3, 1, 8, 0))
    closes_at = factory.LazyFunction(lambda: _utc(2021, 4, 15, 13, 15))
    requires_invitation = False


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    phase = factory.SubFactory(PhaseFactory)
    instrument = factory.SubFactory(InstrumentFactory, call=factory.SelfAttribute("..phase.call"))
    kind = Criterion.Kind.SCORED
    name_fi = factory.Sequence(lambda n: f"Arviointikriteeri {n}")
    name_sv = factory.Sequence(lambda n: f"Bedömningskriterium {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1.00")
    threshold = Decimal("2.5")
    order = factory.Sequence(lambda n: n)


class AssessmentThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentThreshold

    phase = factory.SubFactory(PhaseFactory)
    instrument = factory.SubFactory(InstrumentFactory, call=factory.SelfAttribute("..phase.call"))
    overall_threshold = Decimal("3.00")


def network_programme(funder=None) -> Programme:
    """The Finnish inter-regional network programme 2021–2023 as its documents describe it,
    in draft: 7 000 000,00 € from AKKE, a two-phase call with thematic networks (and an
    earmark for networks of regional towns) and development zones."""
    extra = {"funder": funder} if funder is not None else {}
    programme = ProgrammeFactory(
        name_fi="Alueiden välinen verkostoyhteistyö 2021–2023",
        name_sv="Regionernas samarbetsnätverk 2021–2023",
        name_en="Inter-regional network cooperation 2021–2023",
        appropriation_name_fi="Alueiden kestävän kasvun ja elinvoiman tukeminen (AKKE)",
        appropriation_name_sv="Stöd för hållbar tillväxt och livskraft i regionerna (AKKE)",
        legal_basis_fi="Valtionavustuslaki (688/2001)",
        legal_basis_sv="Statsunderstödslagen (688/2001)",
        **extra,
    )
    towns = EarmarkFactory(
        programme=programme,
        code="regional-towns",
        name_fi="Seutukaupunkien verkostot",
        name_sv="Regionstädernas nätverk",
        name_en="Networks of regional towns",
        amount=Decimal("1000000.00"),
        regional_towns_only=True,
    )
    for code, fi, sv, en in [
        ("remote-work", "Etätyökeskittymät", "Distansarbetsnav", "Remote-work hubs"),
        ("hydrogen", "Vetytalous", "Väteekonomi", "Hydrogen economy"),
    ]:
        ThemeFactory(programme=programme, code=code, name_fi=fi, name_sv=sv, name_en=en)
    ZoneFactory(
        programme=programme,
        code="perameri",
        name_fi="Perämerenkaaren kehittämisvyöhyke",
        name_sv="Bottenviksbågens utvecklingsområde",
        name_en="Bothnian Arc development zone",
    )
    call = CallFactory(
        programme=programme,
        slug="2021",
        name_fi="Verkostohaku 2021",
        name_sv="Nätverksutlysning 2021",
        name_en="Network call 2021",
    )
    InstrumentFactory(
        call=call,
        code="thematic-network",
        name_fi="Teemaverkosto",
        name_sv="Temanätverk",
        name_en="Thematic network",
        earmarks=[towns],
    )
    InstrumentFactory(
        call=call,
        code="development-zone",
        kind=Instrument.Kind.DEVELOPMENT_ZONE,
        name_fi="Kehittämisvyöhyke",
        name_sv="Utvecklingsområde",
        name_en="Development zone",
    )
    PhaseFactory(call=call, order=1)
    PhaseFactory(
        call=call,
        order=2,
        kind=Phase.Kind.FULL,
        name_fi="Varsinainen haku",
        name_sv="Egentlig ansökan",
        name_en="Full application",
        opens_at=_utc(2021, 4, 26, 6, 0),
        closes_at=_utc(2021, 6, 2, 13, 15),
        requires_invitation=True,
    )
    return programme
