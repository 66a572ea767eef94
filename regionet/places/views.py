"""Public pages of the reference geography: regions by country, and one region's municipalities."""

from django.shortcuts import get_object_or_404, render

from . import queries
from .forms import YearForm
from .models import Region


def region_list(request):
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    countries = list(queries.countries_with_regions(year))
    for country in countries:
        country.municipality_total = sum(r.municipality_count for r in country.regions_in_year)
    return render(
        request, "places/region_list.html", {"form": form, "year": year, "countries": countries}
    )


def region_detail(request, country, code):
    region = get_object_or_404(
        Region.objects.select_related("country"), country__code=country, code=code
    )
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    periods = list(queries.municipality_periods_in_region(region, year))
    context = {
        "form": form,
        "year": year,
        "region": region,
        "valid": region.is_valid_in(year),
        "periods": periods,
        # Finnish municipalities carry sub-regions and classifications; Swedish ones do not.
        "classified": any(p.sub_region_id or p.urban_rural_group is not None for p in periods),
    }
    return render(request, "places/region_detail.html", context)
