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


# Every admin write is audited; records that hold history are never hard-deleted ----------------------------------


def test_every_registered_admin_writes_the_audit_log():
    from django.contrib import admin

    from core.admin import AuditedAdmin

    unaudited = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, AuditedAdmin)]
    assert not unaudited, f"register these with core.admin.AuditedAdmin (or ReadOnlyAdmin): {unaudited}"


# Archived or ended on their pages, or append-only: never deleted in the administration.
NEVER_DELETED = {
    "core.User",
    "core.ApiToken",
    "core.AuditEvent",
    "registry.Territory",
    "registry.Organization",
    "registry.Person",
    "agreements.Agreement",
    "agreements.LegalBasis",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


def test_records_that_hold_history_cannot_be_deleted_in_the_administration(rf, world):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = world.admin
    deletable = {m._meta.label for m, a in admin.site._registry.items() if a.has_delete_permission(request)}
    assert not deletable & NEVER_DELETED
    # Every model with history is registered (so this test sees it), and an unlisted new one is a conscious choice.
    assert {m._meta.label for m in admin.site._registry} >= NEVER_DELETED
    assert deletable <= {"registry.RoleAssignment", "agreements.KindRule", "axes.AccessAttempt"}


def test_the_agreements_administration_is_truly_read_only(client, world):
    from agreements.models import Agreement
    from tests.agreements.conftest import draft

    agreement = draft(world)
    before = list(Agreement.objects.values())
    client.force_login(world.admin)
    changelist = reverse("admin:agreements_agreement_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert page.context["action_form"] is None  # no bulk action at all, "delete selected" included
    assert client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).status_code == 200
    assert (
        client.post(reverse("admin:agreements_agreement_delete", args=[agreement.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:agreements_agreement_change", args=[agreement.pk]), {"title": "X"}).status_code
        == 403
    )
    assert client.get(reverse("admin:agreements_agreement_add")).status_code == 403
    client.post(changelist, {"action": "delete_selected", "_selected_action": [agreement.pk], "post": "yes"})
    assert list(Agreement.objects.values()) == before


def test_legal_bases_stay_editable_and_their_changes_are_audited(client, world):
    from agreements.models import LegalBasis

    basis = LegalBasis.objects.create(
        law="LSSSS", article="108", summary="Ententes de services", in_force_from="2010-01-01"
    )
    client.force_login(world.admin)
    url = reverse("admin:agreements_legalbasis_change", args=[basis.pk])
    data = {k: v for k, v in client.get(url).context["adminform"].form.initial.items() if v is not None}
    data.update({"in_force_from": "2010-01-01", "in_force_to": "2024-11-30"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="update", content_type__model="legalbasis")
    assert event.actor == world.admin
    assert event.changes == {"in_force_to": [None, "2024-11-30"]}
    assert (
        client.post(reverse("admin:agreements_legalbasis_delete", args=[basis.pk]), {"post": "yes"}).status_code == 403
    )


def test_rows_changed_in_an_inline_are_audited_each(client, world):
    from registry.models import FundingLine

    client.force_login(world.admin)
    url = reverse("admin:registry_organization_change", args=[world.org_a.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"territories", "archived_at"}}
    line = world.org_a.funding_lines.get()
    data.update(
        {
            "name": world.org_a.name,
            "rls": world.rls.pk,
            "territories": [world.town.pk],
            "funding_lines-TOTAL_FORMS": "2",
            "funding_lines-INITIAL_FORMS": "1",
            "funding_lines-0-id": line.pk,
            "funding_lines-0-organization": world.org_a.pk,
            "funding_lines-0-year": line.year,
            "funding_lines-0-source": line.source,
            "funding_lines-0-amount": "125000",
            "funding_lines-0-DELETE": "",
            "funding_lines-1-organization": world.org_a.pk,
            "funding_lines-1-year": "2025",
            "funding_lines-1-source": "programme",
            "funding_lines-1-amount": "5000",
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = AuditEvent.objects.filter(content_type__model="fundingline", actor=world.admin)
    changed = events.get(action="update", object_id=str(line.pk))
    assert changed.changes == {"amount": ["100000.00", "125000"]}
    added = events.get(action="create")
    new_line = FundingLine.objects.get(pk=added.object_id)
    assert new_line.amount == 5000 and added.changes["year"] == [None, 2025]


def test_every_administration_list_opens(client, world):
    from django.contrib import admin

    client.force_login(world.admin)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
