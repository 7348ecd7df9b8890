"""The organisation chooses who reads the detail of its funding lines; its ACA status is the eight criteria with the
date checked; organisations carry their predecessors and successors; territories have the RTS level."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registry import actions
from registry import rules as perms
from registry.models import Organization, OrganizationLink, Territory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "other_coordinator", "analyst", "rep_a", "rep_b", "nobody"]
#              admin coord other analyst rep_a rep_b nobody   (detail of organisation A's funding lines)
SEES = {
    "coordinators": "yes yes no no yes no no",
    "organization": "yes no no no yes no no",
    "readers": "yes yes no yes yes no no",
}
CASES = [
    pytest.param(choice, role, seen == "yes", id=f"{choice}-{role}")
    for choice, row in SEES.items()
    for role, seen in zip(ROLES, row.split(), strict=True)
]


@pytest.mark.parametrize(("choice", "role", "sees"), CASES)
def test_funding_detail_per_choice_and_role(world, client, api_as, choice, role, sees):
    Organization.objects.filter(pk=world.org_a.pk).update(funding_visibility=choice)
    user = getattr(world, role)
    response = api_as(user).get(f"/api/v1/organizations/{world.org_a.pk}/")
    if response.status_code == 404:  # outside the user's scope: nothing at all
        assert not sees
        return
    funding = response.json()["funding"]
    assert (funding is not None and len(funding) == 1) is sees
    client.force_login(user)
    page = client.get(reverse("registry:organization_detail", args=[world.org_a.pk]))
    assert bool(page.context["funding_by_year"]) is sees
    assert perms.funding_lines_for(user).filter(organization=world.org_a).exists() is sees


def test_the_default_shows_the_coordinators(world):
    assert world.org_a.funding_visibility == Organization.FundingVisibility.COORDINATORS


@pytest.mark.parametrize(("role", "allowed"), [("rep_a", True), ("admin", True), ("coordinator", False)])
def test_only_the_organisation_sets_its_funding_visibility(world, api_as, registry_state, role, allowed):
    before = registry_state()
    response = api_as(getattr(world, role)).patch(
        f"/api/v1/organizations/{world.org_a.pk}/", {"funding_visibility": "organization"}, format="json"
    )
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert registry_state() == before


def test_a_coordinator_cannot_choose_for_an_organisation_without_representative(world, maintained):
    with pytest.raises(PermissionDenied):
        actions.set_funding_visibility(world.coordinator, maintained, "readers")


def test_the_page_sets_the_funding_visibility(world, client):
    client.force_login(world.rep_a)
    response = client.post(reverse("registry:funding_visibility", args=[world.org_a.pk]), {"funding_visibility": "x"})
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.funding_visibility == "coordinators"
    client.post(reverse("registry:funding_visibility", args=[world.org_a.pk]), {"funding_visibility": "readers"})
    world.org_a.refresh_from_db()
    assert world.org_a.funding_visibility == "readers"


# ACA ---------------------------------------------------------------------------------------------------------


def test_the_eight_criteria_make_an_organisation_aca(world):
    codes = Organization.AcaCriterion.values
    org = actions.update_organization(
        world.rep_a, world.org_a, {"aca_criteria": codes[:7], "aca_verified_on": datetime.date(2025, 3, 1)}
    )
    assert not org.is_aca and len(org.aca_criteria) == 7
    org = actions.update_organization(world.rep_a, org, {"aca_criteria": codes})
    org.refresh_from_db()
    assert org.is_aca and org.aca_verified_on == datetime.date(2025, 3, 1)
    assert Organization.objects.filter(is_aca=True, pk=org.pk).exists()  # lists and filters read the same column


def test_the_single_flag_of_imports_ticks_all_eight(world, maintained):
    org = actions.update_organization(world.coordinator, maintained, {"is_aca": True})
    assert sorted(org.aca_criteria) == sorted(Organization.AcaCriterion.values)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sector": "public", "aca_criteria": ["aca_rooted"]}, "aca_criteria"),
        ({"aca_criteria": ["nope"]}, "aca_criteria"),
        ({"aca_verified_on": datetime.date(2999, 1, 1)}, "aca_verified_on"),
    ],
)
def test_bad_aca_input_is_refused_and_changes_nothing(world, registry_state, data, field):
    before = registry_state()
    with pytest.raises(ValidationError) as refused:
        actions.update_organization(world.rep_a, Organization.objects.get(pk=world.org_a.pk), data)
    assert field in refused.value.message_dict
    assert registry_state() == before


def test_the_api_reads_and_writes_the_criteria(world, api_as):
    response = api_as(world.rep_a).patch(
        f"/api/v1/organizations/{world.org_a.pk}/",
        {"aca_criteria": ["aca_rooted", "aca_non_profit"], "aca_verified_on": "2025-01-15"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["aca_criteria"], body["aca_verified_on"], body["is_aca"]) == (
        ["aca_non_profit", "aca_rooted"],
        "2025-01-15",
        False,
    )


def test_the_page_form_offers_the_criteria(world, client):
    client.force_login(world.rep_a)
    data = {
        "name": world.org_a.name, "sector": "community", "rls": world.rls.pk, "territories": [world.town.pk],
        "aca_criteria": Organization.AcaCriterion.values, "aca_verified_on": "2025-02-01",
    }  # fmt: skip
    response = client.post(reverse("registry:organization_edit", args=[world.org_a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    world.org_a.refresh_from_db()
    assert world.org_a.is_aca


# Predecessors and successors, RTS -----------------------------------------------------------------------------


def test_predecessors_and_successors_on_the_page_and_in_the_api(world, client, api_as):
    csss = OrganizationFactory(name="CSSS du Val", rls=world.rls, sector="public")
    cisss = OrganizationFactory(name="CISSS des Rivières", rls=world.rls, sector="public")
    hidden = OrganizationFactory(name="Agence des Collines", rls=world.other_rls, sector="public")
    OrganizationLink.objects.create(predecessor=csss, successor=cisss, kind="merger", date=datetime.date(2015, 4, 1))
    OrganizationLink.objects.create(predecessor=hidden, successor=cisss, kind="merger", date=datetime.date(2015, 4, 1))
    body = api_as(world.coordinator).get(f"/api/v1/organizations/{cisss.pk}/").json()
    # An organisation the user may not read is not named.
    assert body["predecessors"] == [{"id": csss.pk, "name": "CSSS du Val", "kind": "merger", "date": "2015-04-01"}]
    assert api_as(world.coordinator).get(f"/api/v1/organizations/{csss.pk}/").json()["successors"][0]["id"] == cisss.pk
    client.force_login(world.coordinator)
    page = client.get(reverse("registry:organization_detail", args=[csss.pk]))
    assert "CISSS des Rivières" in page.content.decode()


def test_the_rts_sits_between_the_region_and_the_rls(world):
    rts = actions.create_territory(world.admin, {"name": "RTS de l'Est", "kind": "rts", "parent": world.region})
    rls = actions.create_territory(world.admin, {"name": "RLS de l'Est", "kind": "rls", "parent": rts})
    assert rls.ancestors().filter(kind=Territory.Kind.RTS).get() == rts
    with pytest.raises(ValidationError):
        actions.create_territory(world.admin, {"name": "RTS mal placé", "kind": "rts", "parent": world.rls})
