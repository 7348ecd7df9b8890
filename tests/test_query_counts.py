"""The number of SQL queries of the main pages does not grow with the number of rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AffiliationFactory, FundingLineFactory, OrganizationFactory, PersonFactory, make_territory


def add_organisations(world, n: int) -> None:
    for i in range(n):
        org = OrganizationFactory(rls=world.rls, is_aca=i % 2 == 0, phone="819 555-0100", email=f"o{i}@x.example")
        org.territories.set([world.town, world.mrc])
        FundingLineFactory(organization=org)
        person = PersonFactory()
        AffiliationFactory(person=person, organization=org)
        AffiliationFactory(person=person, organization=world.org_a, start_date=datetime.date(2015, 1, 1))


def add_territories(world, n: int) -> None:
    for i in range(n):
        make_territory(
            f"Village {i}", "municipality", world.mrc, year=2024, population=1000 + i, population_65_plus=300
        )


def fetch(client, url: str, params: dict) -> None:
    response = client.get(url, params)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)  # a CSV export queries while it streams


def count_queries(client, url: str, params: dict) -> int:
    fetch(client, url, params)  # warm caches (content types, session) out of the measure
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url, params)
    return len(queries)


PAGES = [
    ("registry:organization_list", {}, add_organisations),
    ("registry:organization_list", {"territory": "mrc", "sector": "community"}, add_organisations),
    ("registry:organization_list", {"format": "csv"}, add_organisations),
    ("registry:organization_list", {"format": "xlsx"}, add_organisations),
    ("registry:person_list", {}, add_organisations),
    ("registry:person_list", {"search": "Nom", "format": "csv"}, add_organisations),
    ("registry:territory_list", {}, add_territories),
    ("registry:territory_list", {"format": "xlsx"}, add_territories),
    ("home", {}, add_organisations),
]


@pytest.mark.parametrize("role", ["admin", "coordinator", "rep_a"])
@pytest.mark.parametrize(("name", "params", "grow"), PAGES)
def test_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries, role, name, params, grow):
    client.force_login(getattr(world, role))
    params = {k: (world.mrc.pk if v == "mrc" else v) for k, v in params.items()}
    url = reverse(name)
    grow(world, 5)
    with_five = count_queries(client, url, params)
    grow(world, 25)
    with django_assert_max_num_queries(with_five):
        fetch(client, url, params)


DETAILS = [
    ("registry:organization_detail", lambda w: w.org_a.pk),
    ("registry:organization_history", lambda w: w.org_a.pk),
    ("registry:person_detail", lambda w: w.person_a.pk),
    ("registry:territory_detail", lambda w: w.mrc.pk),
    ("registry:territory_detail", lambda w: w.town.pk),
]


def grow_around_a(world, n: int) -> None:
    from registry import actions

    for i in range(n):
        FundingLineFactory(organization=world.org_a, year=2000 + i)
        person = PersonFactory()
        AffiliationFactory(person=person, organization=world.org_a)
        AffiliationFactory(person=world.person_a, organization=OrganizationFactory(rls=world.rls))
        make_territory(f"Hameau {i}", "municipality", world.mrc, year=2024, population=10, population_65_plus=1)
        group = make_territory(f"Groupe {i}", "community", world.mrc)
        group.grouped_municipalities.add(world.town)
        actions.update_organization(world.admin, world.org_a, {"mission": f"Version {i}"})


@pytest.mark.parametrize(("name", "pk"), DETAILS)
def test_detail_queries_do_not_grow_with_related_rows(client, world, django_assert_max_num_queries, name, pk):
    client.force_login(world.coordinator)
    url = reverse(name, args=[pk(world)])
    grow_around_a(world, 3)
    with_three = count_queries(client, url, {})
    grow_around_a(world, 20)
    with django_assert_max_num_queries(with_three):
        fetch(client, url, {})
