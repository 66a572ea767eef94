"""The public places pages: regions by country, and one region's municipalities in a year."""

import re

import pytest
from django.utils import timezone

from tests.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def h1(response) -> str:
    return text_of(re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1))


def caption(response, index=0) -> str:
    return text_of(re.findall(r"<caption>(.*?)</caption>", response.content.decode(), re.S)[index])


def rows(response, table=0) -> list[list[str]]:
    """The body rows of the ``table``-th table, cell texts in order (th and td)."""
    html = re.findall(r"<table>(.*?)</table>", response.content.decode(), re.S)[table]
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def footer(response, table=0) -> list[str]:
    html = re.findall(r"<table>(.*?)</table>", response.content.decode(), re.S)[table]
    row = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


@pytest.mark.parametrize(
    ("language", "title", "finland", "sweden", "caption_fi", "pohjois_karjala"),
    [
        ("fi", "Alueet ja kunnat", "Suomi", "Ruotsi", "Suomi: alueet vuonna 2021",
         "Pohjois-Karjala"),
        ("sv", "Regioner och kommuner", "Finland", "Sverige", "Regioner i Finland år 2021",
         "Norra Karelen"),
        ("en", "Regions and municipalities", "Finland", "Sweden", "Regions of Finland in 2021",
         "North Karelia"),
    ],
)  # fmt: skip
def test_region_list_in_three_languages(
    client, language, title, finland, sweden, caption_fi, pohjois_karjala
):
    response = client.get(f"/{language}/places/?year=2021")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert h1(response) == title
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", response.content.decode())
    assert headings == [finland, sweden]
    assert caption(response) == caption_fi
    finnish_rows = rows(response, 0)
    assert [row[0] for row in finnish_rows] == [
        "01", "02", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
        "16", "17", "18", "19", "21",
    ]  # fmt: skip
    assert finnish_rows[10] == ["12", pohjois_karjala, "13"]
    assert footer(response, 0)[1:] == [
        {"fi": "Yhteensä", "sv": "Totalt", "en": "Total"}[language],
        "309",
    ]
    assert len(rows(response, 1)) == 21
    assert footer(response, 1)[2] == "290"


def test_municipality_counts_follow_the_year(client):
    before = rows(client.get("/en/places/?year=2020"), 0)
    after = rows(client.get("/en/places/?year=2025"), 0)
    counts_2020 = {row[0]: int(row[2]) for row in before}
    counts_2025 = {row[0]: int(row[2]) for row in after}
    moved_between = ("10", "12", "07", "08")  # Heinävesi, Joroinen, Iitti; Pertunmaa in 2025
    assert [counts_2020[code] for code in moved_between] == [14, 12, 9, 7]
    assert [counts_2025[code] for code in moved_between] == [11, 13, 10, 6]
    assert sum(counts_2020.values()) == 310
    assert sum(counts_2025.values()) == 308


def test_region_list_defaults_to_the_current_year(client):
    response = client.get("/en/places/")
    year = timezone.localdate().year
    assert f'value="{year}"' in response.content.decode()
    assert caption(response) == f"Regions of Finland in {year}"


def test_a_bad_year_is_reported_and_the_current_year_shown(client):
    response = client.get("/en/places/?year=twenty")
    year = timezone.localdate().year
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert f"Enter a whole number. Showing {year}." in text_of(html)
    assert caption(response) == f"Regions of Finland in {year}"


@pytest.mark.parametrize("year", [2020, 2025])
def test_region_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, year):
    with django_assert_num_queries(2):
        response = client.get(f"/en/places/?year={year}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "caption_text", "heinavesi"),
    [
        ("fi", "Pohjois-Karjala", "Pohjois-Karjala: 13 kuntaa vuonna 2021",
         ["090", "Heinävesi", "Joensuu", "Maaseutumainen", "Suomenkielinen"]),
        ("sv", "Norra Karelen", "Norra Karelen hade 13 kommuner år 2021",
         ["090", "Heinävesi", "Joensuu", "Landsbygdsbetonad", "Finskspråkig"]),
        ("en", "North Karelia", "North Karelia had 13 municipalities in 2021",
         ["090", "Heinävesi", "Joensuu", "Rural", "Finnish-speaking"]),
    ],
)  # fmt: skip
def test_region_detail_lists_the_municipalities_of_the_year(
    client, django_assert_num_queries, language, title, caption_text, heinavesi
):
    with django_assert_num_queries(2):
        response = client.get(f"/{language}/places/FI/12/?year=2021")
    assert response.status_code == 200
    assert h1(response) == title
    assert caption(response) == caption_text
    municipalities = rows(response)
    assert len(municipalities) == 13
    assert municipalities[0] == heinavesi


def test_region_detail_before_heinavesi_joined(client):
    response = client.get("/en/places/FI/12/?year=2020")
    assert caption(response) == "North Karelia had 12 municipalities in 2020"
    assert "090" not in [row[0] for row in rows(response)]


def test_swedish_county_detail(client):
    response = client.get("/sv/places/SE/14/?year=2021")
    assert h1(response) == "Västra Götalands län"
    assert caption(response) == "Västra Götalands län hade 49 kommuner år 2021"
    kommuner = rows(response)
    assert kommuner[0] == ["1401", "Härryda"]
    assert all(row[0].startswith("14") for row in kommuner)


def test_region_detail_query_count_is_the_same_for_a_larger_region(
    client, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get("/en/places/FI/01/?year=2021")
    assert caption(response) == "Uusimaa had 26 municipalities in 2021"


def test_a_region_outside_its_years(client):
    region = RegionFactory(valid_from=2010, valid_until=2019, name_en="Old region")
    MunicipalityFactory(valid_until=2019, period__region=region, name_en="Old town")
    response = client.get(f"/en/places/FI/{region.code}/?year=2021")
    assert "Old region did not exist in 2021." in text_of(response.content.decode())
    assert caption(response) == "Old region had 0 municipalities in 2021"
    earlier = client.get(f"/en/places/FI/{region.code}/?year=2019")
    assert rows(earlier)[0][1] == "Old town"
    assert "did not exist" not in earlier.content.decode()


def test_unknown_region_is_404(client):
    assert client.get("/en/places/FI/03/").status_code == 404
    assert client.get("/en/places/XX/01/").status_code == 404
