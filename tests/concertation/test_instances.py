"""Instances: creation, Bourque type, memberships, delegations, visibility, structure diagram, bad input."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from concertation.actions import instances as actions
from concertation.diagnosis import derive_bourque_type
from concertation.models import Delegation, Instance, Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "bourque_object", "kind", "expected"),
    [
        ("national", "political", "table", "politique"),
        ("regional", "planning", "table", "planification_orientation"),
        # The object decides: a regional table on the whole population is territorial, not planning.
        ("regional", "population", "table", "operationnel_territoire"),
        ("local", "population", "assembly", "operationnel_territoire"),
        ("local", "programme", "table", "operationnel_programme"),
        ("local", "", "joint_committee", "partenariat_gestion"),
        ("regional", "agreement", "table", "partenariat_gestion"),
        ("regional", "", "table", "insufficient_evidence"),
    ],
)
def test_bourque_type_is_read_from_the_object_and_the_level(level, bourque_object, kind, expected):
    diagnosis = derive_bourque_type(level, bourque_object, kind)
    assert diagnosis.type == expected
    assert diagnosis.reason


def test_coordinator_creates_an_instance_through_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:instance_create"),
        {"name": "Table des aînés", "kind": "table", "basis": "thematic", "theme": "Aînés", "level": "local",
         "rls": world.rls.pk, "is_public": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    instance = Instance.objects.get(name="Table des aînés")
    page = client.get(instance.get_absolute_url())
    assert page.status_code == 200
    assert "Table des aînés" in page.content.decode()


def test_territorial_instance_shows_its_type_and_reason(client, world, ves):
    client.force_login(world.coordinator)
    actions.add_membership(
        world.admin, ves["local"], {"organization": world.org_b, "start_date": datetime.date(2021, 1, 1)}
    )
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert page.count("<h1>") == 1
    assert "Popote roulante du Val" in page


def test_override_needs_a_justification_and_stays_on_record(client, world, ves):
    client.force_login(world.coordinator)
    url = reverse("concertation:bourque_override", args=[ves["assembly"].pk])
    client.post(url, {"bourque_type": "planification_orientation", "reason": ""})
    ves["assembly"].refresh_from_db()
    assert ves["assembly"].bourque_override == ""
    client.post(url, {"bourque_type": "planification_orientation", "reason": "Assemblée qui oriente le plan clinique"})
    ves["assembly"].refresh_from_db()
    assert ves["assembly"].bourque_override == "planification_orientation"
    history = client.get(reverse("concertation:instance_history", args=[ves["assembly"].pk])).content.decode()
    assert "Assemblée qui oriente le plan clinique" in history


def test_a_cycle_of_parent_instances_is_refused(world, ves):
    with pytest.raises(ValidationError) as error:
        actions.update_instance(world.admin, ves["assembly"], {"parent": ves["local"]})
    assert "parent" in error.value.message_dict
    ves["assembly"].refresh_from_db()
    assert ves["assembly"].parent is None


def test_a_cycle_is_refused_through_the_page_with_a_message(client, world, ves):
    client.force_login(world.coordinator)
    data = {"name": "Assemblée des partenaires", "kind": "assembly", "basis": "territorial", "level": "local",
            "rls": world.rls.pk, "territory": world.rls.pk, "parent": ves["local"].pk}  # fmt: skip
    response = client.post(reverse("concertation:instance_edit", args=[ves["assembly"].pk]), data)
    assert response.status_code == 400
    assert "sous-instances" in response.content.decode() or "sub-instances" in response.content.decode()
    ves["assembly"].refresh_from_db()
    assert ves["assembly"].parent is None


def test_membership_ending_before_it_starts_is_refused(client, world, ves):
    client.force_login(world.coordinator)
    before = Membership.objects.count()
    client.post(
        reverse("concertation:membership_add", args=[ves["assembly"].pk]),
        {"organization": world.org_a.pk, "role": "member", "start_date": "2024-05-01", "end_date": "2024-01-01"},
    )
    assert Membership.objects.count() == before


def test_delegation_to_an_instance_outside_the_rls_is_refused(world, ves):
    elsewhere = actions.create_instance(
        world.admin,
        {"name": "Table des Collines", "kind": "table", "basis": "thematic", "level": "local", "rls": world.other_rls},
    )
    with pytest.raises(ValidationError) as error:
        actions.delegate(world.admin, ves["member_a"], elsewhere, datetime.date(2022, 1, 1))
    assert "to_instance" in error.value.message_dict
    assert not Delegation.objects.exists()


def test_delegation_creates_a_delegate_seat_and_appears_on_the_diagram(client, world, ves):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:delegation_add", args=[ves["local"].pk, ves["member_a"].pk]),
        {"to_instance": ves["coordination"].pk, "start_date": "2022-01-01"},
    )
    assert response.status_code == 302
    seat = Delegation.objects.get().seat
    assert seat.instance == ves["coordination"] and seat.role == Membership.Role.DELEGATE
    diagram = client.get(reverse("concertation:structure", args=[world.rls.pk])).content.decode()
    assert "<svg" in diagram and "delegation-edge" in diagram
    # French number formatting must not reach SVG coordinates ("20,0" is not a length).
    assert not re.search(r'(?:x|y|x1|y1|x2|y2)="-?\d+,\d', diagram)
    assert "Comité d&#x27;action locale de Saint-Clément" in diagram


def test_private_instances_are_seen_by_members_and_coordinators_only(client, world, ves):
    url = ves["local"].get_absolute_url()
    client.force_login(world.rep_a)  # org A is a member of the local committee
    assert client.get(url).status_code == 200
    client.force_login(world.rep_b)  # org B is not
    assert client.get(url).status_code == 404
    client.force_login(world.other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(world.analyst)
    assert client.get(url).status_code == 200


def test_only_the_instance_coordinators_edit_it(client, world, ves):
    edit = reverse("concertation:instance_edit", args=[ves["local"].pk])
    client.force_login(world.rep_a)
    assert client.get(edit).status_code == 403
    client.force_login(world.analyst)
    assert client.get(edit).status_code == 403
    ves["local"].coordinators.add(world.rep_a)
    client.force_login(world.rep_a)
    assert client.get(edit).status_code == 200


def test_decision_level_gap_warning(client, world, ves):
    world.person_a.decision_level = "executive"
    world.person_a.save()
    volunteer = world.person_b
    volunteer.decision_level = "volunteer"
    volunteer.save()
    actions.add_membership(
        world.admin,
        ves["local"],
        {"organization": world.org_b, "person": volunteer, "start_date": datetime.date(2020, 1, 1)},
    )
    client.force_login(world.coordinator)
    page = client.get(ves["local"].get_absolute_url())
    assert page.context["gap"] is not None
