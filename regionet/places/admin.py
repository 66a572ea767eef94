"""Admin views of the reference geography: read-only, because the importer owns the data."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import (
    Country,
    Municipality,
    MunicipalityBoundary,
    MunicipalityPeriod,
    Region,
    SubRegion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Places change only through ``regionet import-places``."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ["code", "name", "time_zone"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "country",
        "nuts3_code_2024",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["country", "kind"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    exclude = ["boundary"]


@admin.register(SubRegion)
class SubRegionAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ["code", "name", "region", "valid_from", "valid_until"]
    list_filter = ["region"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    exclude = ["boundary"]


class MunicipalityPeriodInline(ReadOnlyInline):
    model = MunicipalityPeriod
    fields = [
        "valid_from",
        "valid_until",
        "region",
        "sub_region",
        "urban_rural_group",
        "language_status",
    ]


class MunicipalityBoundaryInline(ReadOnlyInline):
    model = MunicipalityBoundary
    fields = ["source", "vintage", "valid_from", "valid_until"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ["code", "name", "country", "valid_from", "valid_until"]
    list_filter = ["country"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    inlines = [MunicipalityPeriodInline, MunicipalityBoundaryInline]


@admin.register(MunicipalityPeriod)
class MunicipalityPeriodAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "valid_from", "valid_until", "region", "sub_region"]
    list_filter = ["region__country", "region"]
    list_select_related = ["municipality", "region", "sub_region"]
    search_fields = ["municipality__code", "municipality__name_fi", "municipality__name_sv"]
