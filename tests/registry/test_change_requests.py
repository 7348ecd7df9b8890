"""An organisation with a representative account keeps its own record: the RLS coordinator proposes a change, the
organisation accepts it (applied and audited) or refuses it (the record stays as it was); the history keeps both.
Organisation A of the world has a representative (rep_a); `maintained` has none."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import AuditEvent
from registry import actions, change_requests
from registry.models import ChangeRequest, FundingLine, Organization

pytestmark = pytest.mark.django_db

OWNED = (
    "This organisation keeps its own record: propose the change, and one of its representatives will accept or "
    "refuse it."
)


def propose_mission(world, mission: str = "Repas chauds livrés à domicile") -> ChangeRequest:
    return change_requests.propose_organization_change(world.coordinator, world.org_a, {"mission": mission})


def test_a_refused_change_request_leaves_the_record_as_it_was(world, api_as, registry_state):
    change = propose_mission(world)
    before = registry_state()
    response = api_as(world.rep_a).post(
        f"/api/v1/change-requests/{change.pk}/refuse/", {"reason": "Notre mission reste la nôtre."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "refused"
    after = registry_state()
    after.pop("audit_writes"), before.pop("audit_writes")
    assert after == before
    change.refresh_from_db()
    assert (change.status, change.reason, change.decided_by) == (
        "refused",
        "Notre mission reste la nôtre.",
        world.rep_a,
    )
    # The history keeps the proposal and its refusal.
    events = AuditEvent.objects.filter(object_id=str(change.pk), content_type__model="changerequest")
    assert [e.action for e in events.order_by("at", "pk")] == ["create", "update"]


def test_an_accepted_change_request_applies_and_is_audited(world, client):
    change = propose_mission(world)
    assert change.changes == {"mission": [world.org_a.mission, "Repas chauds livrés à domicile"]}
    client.force_login(world.rep_a)
    response = client.post(reverse("registry:change_accept", args=[change.pk]))
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.mission == "Repas chauds livrés à domicile"
    event = AuditEvent.objects.filter(content_type__model="organization", object_id=str(world.org_a.pk)).latest("at")
    assert event.actor == world.rep_a
    assert event.changes["mission"][1] == "Repas chauds livrés à domicile"
    assert event.changes["change_request"][1].startswith(f"#{change.pk}")
    assert ChangeRequest.objects.get(pk=change.pk).status == "accepted"


def test_accepting_applies_only_what_was_proposed(world):
    """The organisation changed its phone after the proposal: accepting the mission keeps its phone."""
    change = propose_mission(world)
    actions.update_organization(world.rep_a, world.org_a, {"phone": "819 555-0199"})
    change_requests.accept_change(world.rep_a, change)
    world.org_a.refresh_from_db()
    assert (world.org_a.phone, world.org_a.mission) == ("819 555-0199", "Repas chauds livrés à domicile")


def test_a_coordinator_cannot_edit_an_owned_record_directly_page_and_api_alike(world, client, api_as, registry_state):
    before = registry_state()
    # In English: the lead fills the French catalogue at the end of the issue.
    response = api_as(world.coordinator, "en").patch(
        f"/api/v1/organizations/{world.org_a.pk}/", {"mission": "Autre"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": OWNED}
    client.force_login(world.coordinator)
    page = client.post(
        reverse("registry:organization_edit", args=[world.org_a.pk]),
        {"name": world.org_a.name, "sector": "community", "rls": world.rls.pk, "mission": "Autre"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 403
    assert OWNED in unescape(page.content.decode())
    funding = client.post(
        reverse("registry:funding_add", args=[world.org_a.pk]), {"year": 2025, "source": "programme", "amount": "5"}
    )
    assert funding.status_code == 403
    assert registry_state() == before


def test_the_coordinator_maintains_an_organisation_without_representative(world, maintained, client):
    actions.update_organization(world.coordinator, maintained, {"mission": "Lieu de rencontre"})
    client.force_login(world.coordinator)
    page = client.get(reverse("registry:organization_detail", args=[maintained.pk]))
    assert page.context["can_edit"] and not page.context["can_propose"] and not page.context["owned"]
    with pytest.raises(PermissionDenied):
        change_requests.propose_organization_change(world.coordinator, maintained, {"mission": "x"})


def test_the_administrator_keeps_direct_editing_audited(world):
    actions.update_organization(world.admin, world.org_a, {"mission": "Soutien technique"})
    event = AuditEvent.objects.filter(content_type__model="organization", object_id=str(world.org_a.pk)).latest("at")
    assert (event.actor, event.changes["mission"][1]) == (world.admin, "Soutien technique")


def test_propose_through_the_page_and_answer_through_the_api(world, client, api_as):
    client.force_login(world.coordinator)
    data = {
        "name": world.org_a.name, "sector": "community", "rls": world.rls.pk, "territories": [world.town.pk],
        "mission": world.org_a.mission, "email": "repas@popote.example",
    }  # fmt: skip
    response = client.post(reverse("registry:organization_propose", args=[world.org_a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    change = ChangeRequest.objects.get()
    assert change.payload == {"email": "repas@popote.example"}
    page = client.get(reverse("registry:organization_detail", args=[world.org_a.pk]))
    assert page.context["proposals"] == [change]
    listed = api_as(world.rep_a).get("/api/v1/change-requests/", {"status": "pending"}).json()
    assert [c["id"] for c in listed["results"]] == [change.pk]
    assert api_as(world.rep_a).post(f"/api/v1/change-requests/{change.pk}/accept/").status_code == 200
    assert Organization.objects.get(pk=world.org_a.pk).email == "repas@popote.example"
    # Answered once.
    again = api_as(world.rep_a).post(f"/api/v1/change-requests/{change.pk}/refuse/")
    assert again.status_code == 409


def test_funding_lines_are_proposed_added_and_removed(world, api_as):
    coordinator = api_as(world.coordinator)
    add = coordinator.post(
        "/api/v1/change-requests/",
        {"kind": "funding_add", "organization": world.org_a.pk,
         "proposal": {"year": 2025, "source": "collaboration", "amount": "1200", "funder": "CISSS"}},
        format="json",
    )  # fmt: skip
    assert add.status_code == 201, add.json()
    line = world.org_a.funding_lines.get()
    remove = coordinator.post(
        "/api/v1/change-requests/",
        {"kind": "funding_remove", "organization": world.org_a.pk, "funding_line": line.pk},
        format="json",
    )
    assert remove.status_code == 201, remove.json()
    assert world.org_a.funding_lines.count() == 1  # nothing applied yet
    for change in (add.json(), remove.json()):
        assert api_as(world.rep_a).post(f"/api/v1/change-requests/{change['id']}/accept/").status_code == 200
    assert list(world.org_a.funding_lines.values_list("source", "amount")) == [("collaboration", Decimal("1200"))]


def test_a_person_of_an_owned_organisation_is_changed_by_proposal(world, api_as):
    response = api_as(world.coordinator).patch(f"/api/v1/people/{world.person_a.pk}/", {"position": "Directrice"})
    assert response.status_code == 403
    proposed = api_as(world.coordinator).post(
        "/api/v1/change-requests/",
        {"kind": "person", "person": world.person_a.pk, "proposal": {"position": "Directrice"}},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["organization"] == world.org_a.pk
    change_requests.accept_change(world.rep_a, ChangeRequest.objects.get(pk=proposed.json()["id"]))
    world.person_a.refresh_from_db()
    assert world.person_a.position == "Directrice"


def test_the_coordinator_withdraws_a_pending_proposal(world, api_as):
    change = propose_mission(world)
    assert api_as(world.rep_b).post(f"/api/v1/change-requests/{change.pk}/withdraw/").status_code == 404
    assert api_as(world.rep_a).post(f"/api/v1/change-requests/{change.pk}/withdraw/").status_code == 403
    response = api_as(world.coordinator).post(f"/api/v1/change-requests/{change.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("role", "listed", "accept"),
    [
        ("admin", True, 403),
        ("coordinator", True, 403),
        ("other_coordinator", False, 404),
        ("analyst", False, 404),
        ("rep_a", True, 200),
        ("rep_b", False, 404),
        ("nobody", False, 404),
    ],
)
def test_who_sees_and_answers_a_proposal(world, api_as, role, listed, accept):
    change = propose_mission(world)
    client = api_as(getattr(world, role))
    ids = [c["id"] for c in client.get("/api/v1/change-requests/").json().get("results", [])]
    assert (change.pk in ids) is listed
    assert client.post(f"/api/v1/change-requests/{change.pk}/accept/").status_code == accept


@pytest.mark.parametrize("role", ["other_coordinator", "analyst", "rep_a", "rep_b", "admin"])
def test_only_the_rls_coordinator_proposes(world, api_as, registry_state, role):
    before = registry_state()
    response = api_as(getattr(world, role)).post(
        "/api/v1/change-requests/",
        {"kind": "organization", "organization": world.org_a.pk, "proposal": {"mission": "x"}},
        format="json",
    )
    # Outside the user's scope the organisation does not exist for them (400 on the field); inside, 403.
    assert response.status_code == (400 if role in {"other_coordinator", "rep_b"} else 403), response.json()
    assert registry_state() == before
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("proposal", "field"),
    [
        ({"founded_year": 1492}, "proposal"),
        ({"rls": 999999}, "proposal"),
        ({"name": "Centre d'action bénévole du Val"}, "name"),
        ({"funding_visibility": "readers"}, "funding_visibility"),
        ({"mission": None}, "proposal"),
    ],
)
def test_a_bad_proposal_is_refused_and_changes_nothing(world, api_as, registry_state, proposal, field):
    before = registry_state()
    response = api_as(world.coordinator).post(
        "/api/v1/change-requests/",
        {"kind": "organization", "organization": world.org_a.pk, "proposal": proposal},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert registry_state() == before
    assert not ChangeRequest.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused(world, api_as):
    response = api_as(world.coordinator).post(
        "/api/v1/change-requests/",
        {"kind": "organization", "organization": world.org_a.pk, "proposal": {"name": world.org_a.name}},
        format="json",
    )
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_the_organisation_page_says_who_maintains_the_record(world, maintained, client):
    client.force_login(world.coordinator)
    owned = client.get(reverse("registry:organization_detail", args=[world.org_a.pk]))
    assert owned.context["owned"] and owned.context["can_propose"] and not owned.context["can_edit"]
    assert reverse("registry:organization_propose", args=[world.org_a.pk]) in owned.content.decode()
    assert not client.get(reverse("registry:organization_detail", args=[maintained.pk])).context["owned"]
    assert FundingLine.objects.filter(organization=world.org_a).exists()
