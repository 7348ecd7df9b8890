"""The back-office keeps the registry's invariants: tree paths, and the history of what the administrator changed."""

from django.urls import reverse

from core.models import AuditEvent
from registry import rules as perms
from registry.models import Organization, RoleAssignment, Territory
from tests.factories import UserFactory, grant

INLINE = {
    "populations-TOTAL_FORMS": "0",
    "populations-INITIAL_FORMS": "0",
    "populations-MIN_NUM_FORMS": "0",
    "populations-MAX_NUM_FORMS": "1000",
}


def test_a_territory_added_in_the_administration_gets_its_place_in_the_tree(client, world):
    client.force_login(world.admin)
    data = {"name": "RLS du Lac", "kind": "rls", "parent": world.region.pk, "code": "", "description": "", **INLINE}
    response = client.post(reverse("admin:registry_territory_add"), data)
    assert response.status_code == 302
    lake = Territory.objects.get(name="RLS du Lac")
    assert lake.path == f"{world.region.path}{lake.pk}/"

    # Its coordinator gets that RLS, not the whole province.
    coordinator = grant(UserFactory(), RoleAssignment.Role.COORDINATOR, rls=lake)
    assert list(perms.editable_territories_for(coordinator)) == [lake]
    assert list(lake.descendants()) == [lake]
    assert AuditEvent.objects.filter(action="create", object_id=str(lake.pk), actor=world.admin).exists()


def test_moving_a_territory_is_done_on_the_registry_page_not_in_the_administration(client, world):
    client.force_login(world.admin)
    data = {"name": "MRC du Val", "kind": "mrc", "parent": world.other_rls.pk, "code": "", "description": "", **INLINE}
    client.post(reverse("admin:registry_territory_change", args=[world.mrc.pk]), data)
    world.mrc.refresh_from_db()
    world.town.refresh_from_db()
    assert world.mrc.parent == world.rls
    assert world.town.path.startswith(world.mrc.path)


def test_changes_made_in_the_administration_appear_in_the_history(client, world):
    client.force_login(world.admin)
    url = reverse("admin:registry_organization_change", args=[world.org_a.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"territories", "archived_at"}}
    data.update(
        {
            "name": world.org_a.name,
            "rls": world.rls.pk,
            "territories": [world.town.pk],
            "phone": "819 555-0123",
            "funding_lines-TOTAL_FORMS": "0",
            "funding_lines-INITIAL_FORMS": "0",
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organization.objects.get(pk=world.org_a.pk).phone == "819 555-0123"
    event = AuditEvent.objects.get(action="update", object_id=str(world.org_a.pk))
    assert event.actor == world.admin
    assert event.changes == {"phone": ["", "819 555-0123"]}
