"""Factories of applications: drafts, and ``eligible_draft`` that can be submitted at once."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.apps import apps
from django.utils import timezone

from regionet.accounts.models import Membership, Organisation
from regionet.applications.models import (
    Application,
    Attachment,
    BudgetRow,
    CostCategory,
    Partner,
)
from regionet.programmes.models import Phase, PublicationState

from .accounts import MembershipFactory, OrganisationFactory, UserFactory
from .programmes import CallFactory, InstrumentFactory, PhaseFactory, ProgrammeFactory

__all__ = [
    "ApplicationFactory",
    "AttachmentFactory",
    "PartnerFactory",
    "coordinator_member",
    "eligible_draft",
    "municipalities_in_regions",
    "open_phase",
]


def open_phase(*, now=None, closes_in=timedelta(days=7), funder=None, **phase_fields) -> Phase:
    """An idea phase of a call and programme published a month before ``now``, open at ``now``.

    The programme runs over the years of ``now``, with the Finnish network rules (at least 4
    municipalities in at least 2 regions), aid at most 80 % and own financing at least 20 %.
    """
    now = now or timezone.now()
    year = timezone.localtime(now).year
    extra = {"funder": funder} if funder is not None else {}
    published_at = now - timedelta(days=31)
    programme = ProgrammeFactory(
        state=PublicationState.PUBLISHED,
        published_at=published_at,
        first_year=year,
        last_year=year + 2,
        record_number_format="TEM/{number}/{year}",
        indirect_cost_percent=Decimal("15.00"),
        **extra,
    )
    call = CallFactory(
        programme=programme, state=PublicationState.PUBLISHED, published_at=published_at
    )
    InstrumentFactory(call=call, code="thematic-network")
    fields = {
        "opens_at": now - timedelta(days=30),
        "closes_at": now + closes_in,
        **phase_fields,
    }
    return PhaseFactory(call=call, **fields)


def municipalities_in_regions(count=4, regions=2, year=None):
    """``count`` Finnish municipalities spread over ``regions`` regions (valid in ``year``)."""
    year = year or timezone.localdate().year
    Period = apps.get_model("places", "MunicipalityPeriod")
    by_region = {}
    periods = (
        Period.objects.valid_in(year)
        .filter(municipality__country__code="FI")
        .select_related("municipality")
        .order_by("region__code", "municipality__code")
    )
    for period in periods:
        by_region.setdefault(period.region_id, []).append(period.municipality)
    chosen_regions = list(by_region.values())[:regions]
    chosen = []
    index = 0
    while len(chosen) < count:
        pool = chosen_regions[index % regions]
        position = index // regions
        if position < len(pool):
            chosen.append(pool[position])
        index += 1
    return chosen


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft of a new development organisation in an open idea phase."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    phase = factory.LazyFunction(open_phase)
    instrument = factory.LazyAttribute(lambda o: o.phase.call.instruments.first())
    coordinator = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    language = "fi"
    title = factory.Sequence(lambda n: f"Verkostohanke {n}")
    summary = "Hanke verkostoi alueiden toimijat."

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        """The creator is an admin member of the coordinator."""
        if create:
            Membership.objects.get_or_create(
                user=self.created_by,
                organisation=self.coordinator,
                defaults={"role": Membership.Role.ADMIN},
            )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Partner.Role.PARTNER


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small real PDF attached to a draft."""

    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(
        filename="liite.pdf",
        data=b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    )
    name = "liite.pdf"
    kind = "pdf"
    content_type = "application/pdf"
    size = 46
    sha256 = factory.LazyAttribute(lambda o: "0" * 64)
    uploaded_by = factory.LazyAttribute(lambda o: o.application.created_by)


def coordinator_member(application):
    return application.created_by


def eligible_draft(phase=None, *, confirmed_partner=True, **fields) -> Application:
    """A complete draft that passes every check: 4 municipalities in 2 regions, a confirmed
    partner (unless told otherwise), 100 000,00 € of costs in the first year and a balanced
    financing plan (80 % aid, 20 % own financing)."""
    phase = phase or open_phase()
    application = ApplicationFactory(phase=phase, **fields)
    year = application.phase.call.programme.first_year
    application.municipalities.set(municipalities_in_regions(4, 2))
    personnel = Decimal("60000.00")
    indirect = (personnel * application.phase.call.programme.indirect_cost_percent / 100).quantize(
        Decimal("0.01")
    )
    other = Decimal("100000.00") - personnel - indirect
    BudgetRow.objects.bulk_create(
        [
            BudgetRow(
                application=application,
                year=year,
                category=CostCategory.PERSONNEL,
                amount=personnel,
            ),
            BudgetRow(
                application=application, year=year, category=CostCategory.INDIRECT, amount=indirect
            ),
            BudgetRow(
                application=application, year=year, category=CostCategory.OTHER, amount=other
            ),
        ]
    )
    application.aid_requested = Decimal("80000.00")
    application.own_financing = Decimal("20000.00")
    application.save()
    partner_org = OrganisationFactory(type=Organisation.Type.EDUCATIONAL_INSTITUTION)
    partner = PartnerFactory(application=application, organisation=partner_org)
    if confirmed_partner:
        confirmer = MembershipFactory(organisation=partner_org).user
        partner.confirmed_at = timezone.now()
        partner.confirmed_by = confirmer
        partner.commitment = "Osallistumme hankkeeseen."
        partner.save()
    return application
