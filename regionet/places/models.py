"""Reference geography: countries, regions, sub-regions and municipalities, each with its years.

Validity is kept in whole years, because the divisions change on 1 January: ``valid_from`` is
the first year a row holds, ``valid_until`` the last; ``None`` at either end means "beyond
what the data tells" (valid since before the first year the data covers, or still valid).
A municipality's region, sub-region, urban-rural group and language status can change
while it stays the same municipality, so those live in ``MunicipalityPeriod`` rows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def valid_in_year(year: int, prefix: str = "") -> Q:
    """The condition "valid in ``year``" for a model with valid_from/valid_until."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": year})
    ) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": year}))


class ValidityQuerySet(models.QuerySet):
    def valid_in(self, year: int):
        """Rows valid at any time during ``year``."""
        return self.filter(valid_in_year(year))


class MunicipalityQuerySet(ValidityQuerySet):
    def in_region(self, region, year: int):
        """Municipalities that belonged to ``region`` in ``year``."""
        return self.filter(
            valid_in_year(year),
            valid_in_year(year, "periods__"),
            periods__region=region,
        )


class Validity(models.Model):
    """The years a row holds (inclusive); ``None`` is open-ended."""

    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"),
        null=True,
        blank=True,
        help_text=_("Empty: valid since before the first year the data covers."),
    )
    valid_until = models.PositiveSmallIntegerField(
        _("valid until (year)"), null=True, blank=True, help_text=_("Empty: still valid.")
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="%(app_label)s_%(class)s_valid_years_ordered",
            )
        ]

    def is_valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_until is None or year <= self.valid_until
        )


class Country(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1"))
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class Region(Validity):
    """A Finnish maakunta or a Swedish län.

    ``code`` is the national code: Statistics Finland "01"…"21" or SCB "01"…"25". When the
    regions came from the registry-package fallback, Finnish codes are not known and the
    NUTS3 2021 code stands in (``code == nuts3_code_2021``) until real data re-keys them.
    """

    class Kind(models.TextChoices):
        MAAKUNTA = "maakunta", _("region (maakunta)")
        LAN = "lan", _("county (län)")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="regions", verbose_name=_("country")
    )
    code = models.CharField(_("code"), max_length=8)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    statfi_code = models.CharField(_("Statistics Finland code"), max_length=8, blank=True)
    nuts3_code_2021 = models.CharField(_("NUTS3 code (2021)"), max_length=5, blank=True)
    nuts3_code_2024 = models.CharField(_("NUTS3 code (2024)"), max_length=5, blank=True)
    nuts2_code = models.CharField(_("NUTS2 code"), max_length=4, blank=True)
    iso_3166_2 = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta(Validity.Meta):
        ordering = ["country__code", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            *Validity.Meta.constraints,
            models.UniqueConstraint(fields=["country", "code"], name="places_region_unique_code"),
        ]

    def __str__(self):
        return self.name


class SubRegion(Validity):
    """A Finnish seutukunta (Statistics Finland code "011", "SK011"); Sweden has none."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sub_regions", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=8, unique=True)
    statfi_code = models.CharField(_("Statistics Finland code"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=100)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta(Validity.Meta):
        ordering = ["code"]
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")

    def __str__(self):
        return self.name


class Municipality(Validity):
    """A municipality (kunta, kommun) as an identity; where it belongs is in its periods.

    Its validity spans all its periods. Swedish kommuner are named by their short name
    ("Ale"), with the long name ("Ale kommun") in ``official_name_sv``; for Finland that
    field holds the official Swedish name, while ``name_sv`` is the Swedish name Statistics
    Finland uses (e.g. "Alavo" for Alavus).
    """

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("country")
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    official_name_sv = models.CharField(_("official Swedish name"), max_length=100, blank=True)
    # The year of the division file the names came from, so that the newest one wins.
    names_as_of = models.PositiveSmallIntegerField(_("names as of (year)"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta(Validity.Meta):
        ordering = ["country__code", "code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            *Validity.Meta.constraints,
            models.UniqueConstraint(
                fields=["country", "code"], name="places_municipality_unique_code"
            ),
        ]

    def __str__(self):
        return self.name

    def period_in(self, year: int) -> "MunicipalityPeriod | None":
        """Where the municipality belonged in ``year`` (one query, or none if prefetched)."""
        if "periods" in getattr(self, "_prefetched_objects_cache", {}):
            return next((p for p in self.periods.all() if p.is_valid_in(year)), None)
        return self.periods.valid_in(year).select_related("region", "sub_region").first()

    def region_in(self, year: int) -> Region | None:
        period = self.period_in(year)
        return period.region if period else None


class UrbanRuralGroup(models.IntegerChoices):
    """Statistics Finland's statistical grouping of municipalities."""

    URBAN = 1, _("urban")
    SEMI_URBAN = 2, _("semi-urban")
    RURAL = 3, _("rural")


class LanguageStatus(models.IntegerChoices):
    """Official languages of a Finnish municipality (Statistics Finland codes)."""

    FINNISH = 0, _("Finnish-speaking")
    BILINGUAL_FINNISH_MAJORITY = 1, _("bilingual, Finnish-speaking majority")
    SWEDISH = 2, _("Swedish-speaking")
    BILINGUAL_SWEDISH_MAJORITY = 3, _("bilingual, Swedish-speaking majority")


class MunicipalityPeriod(Validity):
    """The years in which a municipality's region and classifications stayed the same."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipality_periods",
        verbose_name=_("region"),
    )
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipality_periods",
        verbose_name=_("sub-region"),
    )
    urban_rural_group = models.PositiveSmallIntegerField(
        _("urban-rural group"), choices=UrbanRuralGroup.choices, null=True, blank=True
    )
    language_status = models.PositiveSmallIntegerField(
        _("language status"), choices=LanguageStatus.choices, null=True, blank=True
    )

    class Meta(Validity.Meta):
        # An open start (None) is the earliest: first on SQLite and PostgreSQL alike.
        ordering = ["municipality", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("municipality period")
        verbose_name_plural = _("municipality periods")

    def __str__(self):
        return f"{self.municipality}: {self.region} ({self.valid_from}-{self.valid_until or ''})"


class MunicipalityBoundary(Validity):
    """A municipality's outline in one map layer; the layer's division gives its years."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="boundaries",
        verbose_name=_("municipality"),
    )
    source = models.CharField(_("source file"), max_length=200)
    vintage = models.PositiveSmallIntegerField(_("vintage (year)"), null=True, blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON)"))

    class Meta(Validity.Meta):
        # An open start (None) is the earliest: first on SQLite and PostgreSQL alike.
        ordering = ["municipality", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("municipality boundary")
        verbose_name_plural = _("municipality boundaries")
        constraints = [
            *Validity.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "source"], name="places_boundary_unique_source"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.source})"
