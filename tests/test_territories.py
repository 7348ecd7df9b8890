"""The territorial tree through the pages: moving a subtree, territories of belonging, who may create what."""

from html import unescape

import pytest
from django.urls import reverse

from core.models import AuditEvent
from registry.models import Organization, Territory
from tests.factories import OrganizationFactory, make_territory


@pytest.fixture
def subtree(world):
    """MRC du Val > Saint-Clément > Quartier du Moulin, served by an organisation; and a second MRC."""
    quarter = make_territory("Quartier du Moulin", "community", world.town)
    org_c = OrganizationFactory(name="Cuisine collective du Moulin", rls=world.rls)
    org_c.territories.set([quarter])
    other_mrc = make_territory("MRC des Sources", "mrc", world.rls)
    return quarter, org_c, other_mrc


def organisations_in(client, territory: Territory) -> set[str]:
    response = client.get(reverse("registry:organization_list"), {"territory": territory.pk})
    assert response.status_code == 200
    return {org.name for org in response.context["page"]}


def test_moving_a_municipality_moves_what_is_below_it(client, world, subtree):
    quarter, org_c, other_mrc = subtree
    client.force_login(world.coordinator)
    assert organisations_in(client, world.mrc) == {world.org_a.name, org_c.name}
    assert organisations_in(client, other_mrc) == set()

    response = client.post(
        reverse("registry:territory_edit", args=[world.town.pk]),
        {"name": world.town.name, "kind": "municipality", "parent": other_mrc.pk},
    )
    assert response.status_code == 302

    world.town.refresh_from_db()
    quarter.refresh_from_db()
    assert world.town.path == f"{other_mrc.path}{world.town.pk}/"
    assert quarter.path == f"{world.town.path}{quarter.pk}/"
    assert list(quarter.ancestors()) == [world.province, world.region, world.rls, other_mrc, world.town]
    assert organisations_in(client, other_mrc) == {world.org_a.name, org_c.name}
    assert organisations_in(client, world.mrc) == set()
    # The figures stay with the municipality.
    assert world.town.latest_population().population == 3000

    history = unescape(client.get(reverse("registry:territory_history", args=[world.town.pk])).content.decode())
    assert "MRC du Val" in history
    assert "MRC des Sources" in history
    assert "coord" in history
    event = AuditEvent.objects.get(action="update", object_id=str(world.town.pk))
    assert event.changes["parent"] == ["MRC du Val", "MRC des Sources"]


def test_coordinator_groups_municipalities_into_a_territory_of_belonging(client, world):
    second = make_territory("Sainte-Anne", "municipality", world.mrc)
    client.force_login(world.coordinator)
    data = {
        "name": "Territoire des Deux-Rives",
        "kind": "community",
        "parent": world.mrc.pk,
        "grouped_municipalities": [world.town.pk, second.pk],
        "description": "Deux villages qui partagent l'école et l'épicerie.",
    }
    response = client.post(reverse("registry:territory_create"), data)
    assert response.status_code == 302
    group = Territory.objects.get(name="Territoire des Deux-Rives")
    assert set(group.grouped_municipalities.all()) == {world.town, second}
    assert group.path.startswith(world.rls.path)
    page = client.get(reverse("registry:territory_detail", args=[world.town.pk])).content.decode()
    assert "Territoire des Deux-Rives" in page
    assert AuditEvent.objects.filter(action="create", object_id=str(group.pk), actor=world.coordinator).exists()


def test_coordinator_cannot_create_a_territory_in_another_rls(client, world, registry_state):
    client.force_login(world.other_coordinator)
    before = registry_state()
    data = {
        "name": "Annexion",
        "kind": "community",
        "parent": world.mrc.pk,
        "grouped_municipalities": [world.town.pk],
    }
    response = client.post(reverse("registry:territory_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "parent" in errors
    assert "grouped_municipalities" in errors
    assert registry_state() == before


def test_coordinator_cannot_create_a_territory_outside_the_tree(client, world, registry_state):
    """Without a parent, a territory would sit outside every RLS: only the platform administrator may do that."""
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:territory_create"), {"name": "Ma province", "kind": "province"})
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert registry_state() == before

    client.force_login(world.admin)
    response = client.post(reverse("registry:territory_create"), {"name": "Ontario", "kind": "province"})
    assert response.status_code == 302


def test_coordinator_updates_the_figures_of_their_rls(client, world):
    client.force_login(world.coordinator)
    data = {
        "name": world.rls.name,
        "kind": "rls",
        "parent": world.region.pk,
        "year": 2025,
        "population": 61000,
        "population_65_plus": 17000,
    }
    response = client.post(reverse("registry:territory_edit", args=[world.rls.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    world.rls.refresh_from_db()
    assert world.rls.parent == world.region
    assert world.rls.latest_population().population == 61000


def test_coordinator_cannot_move_their_rls_elsewhere(client, world, registry_state):
    client.force_login(world.coordinator)
    before = registry_state()
    data = {"name": world.rls.name, "kind": "rls", "parent": world.province.pk}
    response = client.post(reverse("registry:territory_edit", args=[world.rls.pk]), data)
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert registry_state() == before


def test_territory_filter_on_the_organisation_list_is_limited_to_the_users_rls(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:organization_list"), {"territory": world.other_rls.pk})
    names = {org.name for org in response.context["page"]}
    assert world.org_elsewhere.name not in names
    assert Organization.objects.filter(rls=world.other_rls).exists()
