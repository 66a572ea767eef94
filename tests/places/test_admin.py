"""The admin shows the reference geography read-only: the importer owns it."""

import pytest

from regionet.places.models import Municipality, Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["country", "region", "subregion", "municipality", "municipalityperiod"]
)
def test_change_lists_open(admin_client, model):
    response = admin_client.get(f"/en/admin/places/{model}/")
    assert response.status_code == 200


def test_a_municipality_is_shown_with_its_periods_and_cannot_be_changed(admin_client):
    heinavesi = Municipality.objects.get(country__code="FI", code="090")
    response = admin_client.get(f"/en/admin/places/municipality/{heinavesi.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Heinävesi" in html
    assert "North Karelia" in html  # the period from 2021, shown inline
    assert 'name="_save"' not in html
    assert (
        admin_client.post(
            f"/en/admin/places/municipality/{heinavesi.pk}/change/", {"name_fi": "X"}
        ).status_code
        == 403
    )
    assert admin_client.get("/en/admin/places/region/add/").status_code == 403
    region = Region.objects.get(country__code="FI", code="12")
    assert admin_client.get(f"/en/admin/places/region/{region.pk}/delete/").status_code == 403
