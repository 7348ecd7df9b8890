"""Citizens sit as themselves (issue 11): a membership names a person and no organisation, through the page and
the API, with the same refusals; nothing is written when the input is refused."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from concertation.actions import instances as actions
from concertation.actions import meetings as meeting_actions
from concertation.models import Attendance, Meeting, Membership
from core.models import ApiToken, AuditEvent
from registry.models import Person
from tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/v1/memberships/"


def api(user) -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def state() -> dict:
    return {
        "memberships": list(Membership.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.exclude(action__in=["view", "export", "login", "login_failed", "logout"]).count(),
    }


def page_add(client, instance, data: dict):
    return client.post(reverse("concertation:membership_add", args=[instance.pk]), data)


# Through the page -----------------------------------------------------------------------------------------------


def test_coordinator_enters_a_new_citizen_on_the_page(client, world, ves):
    client.force_login(world.coordinator)
    response = page_add(
        client, ves["local"],
        {"seat": "citizen", "citizen_first_name": "Monique", "citizen_last_name": "Tardif",
         "citizen_email": "monique.tardif@courriel.example", "role": "member", "start_date": "2024-03-01"},
    )  # fmt: skip
    assert response.status_code == 302
    seat = Membership.objects.get(instance=ves["local"], organization=None)
    assert (seat.role, seat.start_date) == (Membership.Role.CITIZEN, D(2024, 3, 1))
    person = seat.person
    assert (person.first_name, person.last_name, person.decision_level) == ("Monique", "Tardif", "citizen")
    assert not person.affiliations.exists()  # a citizen need not be affiliated with any organisation
    # Both writes are in the history: the person entered, and the seat on the instance.
    assert AuditEvent.objects.filter(object_id=str(person.pk), action=AuditEvent.Action.CREATE).exists()
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert "Citizen seat" in page or "Siège citoyen" in page
    assert "Monique Tardif" in page


def test_a_person_affiliated_elsewhere_may_sit_as_themself(client, world, ves):
    client.force_login(world.coordinator)
    response = page_add(
        client, ves["local"], {"seat": "citizen", "person": world.person_b.pk, "role": "member",
                               "start_date": "2024-03-01"}
    )  # fmt: skip
    assert response.status_code == 302
    seat = Membership.objects.get(instance=ves["local"], person=world.person_b)
    assert seat.organization is None and seat.role == Membership.Role.CITIZEN


def test_page_refuses_a_seat_naming_nobody_and_changes_nothing(client, world, ves):
    client.force_login(world.coordinator)
    before = state()
    for seat in ("citizen", "organization"):
        response = page_add(client, ves["local"], {"seat": seat, "role": "member", "start_date": "2024-03-01"})
        assert response.status_code == 400, seat
    assert state() == before


def test_page_refuses_a_list_choice_and_a_new_citizen_together(client, world, ves):
    client.force_login(world.coordinator)
    before = state()
    response = page_add(
        client, ves["local"],
        {"seat": "citizen", "person": world.person_b.pk, "citizen_first_name": "Monique",
         "citizen_last_name": "Tardif", "role": "member", "start_date": "2024-03-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "not both" in response.content.decode() or "pas les deux" in response.content.decode()
    assert state() == before


def test_page_and_action_refuse_an_unaffiliated_representative_as_before(client, world, ves):
    client.force_login(world.coordinator)
    before = state()
    response = page_add(
        client, ves["local"], {"seat": "organization", "organization": world.org_a.pk, "person": world.person_b.pk,
                               "role": "member", "start_date": "2024-03-01"}
    )  # fmt: skip
    assert response.status_code == 400
    assert state() == before


# Through the API ------------------------------------------------------------------------------------------------


def test_api_accepts_a_person_without_organisation(world, ves):
    response = api(world.coordinator).post(
        API, {"instance": ves["coordination"].pk, "person": world.person_a.pk, "start_date": "2024-01-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["organization"], body["seat"], body["role"]) == (None, "citizen", "citizen")
    seat = Membership.objects.get(pk=body["id"])
    assert seat.organization is None and seat.person == world.person_a
    client = api(world.coordinator)
    citizens = client.get(API, {"seat": "citizen"}).json()["results"]
    assert [row["id"] for row in citizens] == [seat.pk]
    assert seat.pk not in [row["id"] for row in client.get(API, {"seat": "organization"}).json()["results"]]
    assert client.get(API, {"seat": "nobody"}).status_code == 400


def test_api_enters_a_new_citizen_who_can_then_be_named_again(world, ves):
    client = api(world.coordinator)
    response = client.post(
        API, {"instance": ves["local"].pk, "new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"},
              "start_date": "2024-01-01"}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    citizen = Membership.objects.get(pk=response.json()["id"]).person
    assert citizen.decision_level == "citizen" and not citizen.affiliations.exists()
    # Unaffiliated, the citizen is still someone the RLS's coordinator may name: on another instance, and on the
    # page's list.
    again = client.post(
        API, {"instance": ves["coordination"].pk, "person": citizen.pk, "role": "observer",
              "start_date": "2024-02-01"}, format="json",
    )  # fmt: skip
    assert again.status_code == 201, again.json()
    assert again.json()["role"] == "observer"
    from concertation.forms import MembershipForm

    assert citizen in MembershipForm(instance_obj=ves["assembly"]).fields["person"].queryset


def test_api_refuses_neither_person_nor_organisation_and_changes_nothing(world, ves):
    before = state()
    response = api(world.coordinator).post(
        API, {"instance": ves["local"].pk, "start_date": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert state() == before


def test_api_refuses_an_unaffiliated_representative_as_before(world, ves):
    before = state()
    response = api(world.coordinator).post(
        API, {"instance": ves["local"].pk, "organization": world.org_a.pk, "person": world.person_b.pk,
              "start_date": "2024-01-01"}, format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "person" in response.json()
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        # The citizen role with an organisation.
        {"organization": "org_b", "role": "citizen"},
        # A new citizen and a person named at once.
        {"person": "person_a", "new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"}},
        # A new citizen without a last name, or with an address that is not one.
        {"new_citizen": {"first_name": "Gilles"}},
        {"new_citizen": {"first_name": "Gilles", "last_name": "Ouimet", "email": "pas une adresse"}},
    ],
)
def test_api_bad_citizen_input_is_refused_and_changes_nothing(world, ves, body):
    refs = {"org_b": world.org_b.pk, "person_a": world.person_a.pk}
    body = {key: refs.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    before = state()
    response = api(world.coordinator).post(
        API, {"instance": ves["local"].pk, "start_date": "2024-01-01", **body}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert state() == before


def test_the_action_rolls_the_new_citizen_back_with_a_refused_seat(world, ves):
    before = state()
    with pytest.raises(Exception, match="end date"):
        actions.add_membership(
            world.coordinator, ves["local"],
            {"new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"}, "start_date": D(2024, 1, 1),
             "end_date": D(2023, 1, 1)},
        )  # fmt: skip
    assert state() == before


# Scope: who may add a citizen seat, and whom --------------------------------------------------------------------


@pytest.mark.parametrize(("user", "page_status", "api_status"), [
    ("rep_a", 403, 403),  # a member's representative reads the instance but does not run it
    ("analyst", 403, 403),
    ("other_coordinator", 404, 400),  # another RLS's coordinator does not see the private instance
    ("nobody", 404, 400),
])  # fmt: skip
def test_only_the_instances_coordinators_add_a_citizen_seat(client, world, ves, user, page_status, api_status):
    before = state()
    client.force_login(getattr(world, user))
    page = page_add(
        client, ves["local"], {"seat": "citizen", "citizen_first_name": "Gilles", "citizen_last_name": "Ouimet",
                               "role": "member", "start_date": "2024-03-01"}
    )  # fmt: skip
    assert page.status_code == page_status
    response = api(getattr(world, user)).post(
        API, {"instance": ves["local"].pk, "new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"},
              "start_date": "2024-01-01"}, format="json",
    )  # fmt: skip
    assert response.status_code == api_status
    assert state() == before


def test_a_person_of_another_rls_cannot_be_seated_as_a_citizen(world, ves):
    stranger = PersonFactory(first_name="Zoé", last_name="Ailleurs")
    AffiliationFactory(person=stranger, organization=world.org_elsewhere)
    before = state()
    response = api(world.coordinator).post(
        API, {"instance": ves["local"].pk, "person": stranger.pk, "start_date": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400 and "person" in response.json()
    with pytest.raises(Exception, match="Choose among"):
        actions.add_membership(world.coordinator, ves["local"], {"person": stranger, "start_date": D(2024, 1, 1)})
    assert state() == before


def test_another_rls_cannot_name_a_citizen_seated_here(world, ves):
    seat = actions.add_membership(
        world.coordinator, ves["local"],
        {"new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"}, "start_date": D(2024, 1, 1)},
    )  # fmt: skip
    theirs = actions.create_instance(
        world.other_coordinator,
        {"name": "Table des Collines", "kind": "table", "basis": "thematic", "theme": "Aînés", "level": "local",
         "rls": world.other_rls},
    )  # fmt: skip
    response = api(world.other_coordinator).post(
        API, {"instance": theirs.pk, "person": seat.person_id, "start_date": "2024-01-01"}, format="json"
    )
    assert response.status_code == 400 and "person" in response.json()


# The seat in use: attendance, delegation, minutes ----------------------------------------------------------------


def test_a_citizen_attends_in_person_and_is_delegated(client, world, ves):
    seat = actions.add_membership(
        world.coordinator, ves["local"],
        {"new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"}, "start_date": D(2024, 1, 1)},
    )  # fmt: skip
    meeting = Meeting.objects.create(
        instance=ves["local"], title="Rencontre", starts_at=datetime.datetime(2024, 5, 1, 13, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 5, 1, 15, tzinfo=datetime.UTC), status=Meeting.Status.HELD,
    )  # fmt: skip
    with pytest.raises(Exception, match="citizen"):
        meeting_actions.record_attendance(world.coordinator, meeting, [(seat, "present", world.person_a)])
    assert not Attendance.objects.exists()
    meeting_actions.record_attendance(world.coordinator, meeting, [(seat, "present", None)])
    attendance = Attendance.objects.get()
    assert attendance.organization_id is None and attendance.membership == seat
    client.force_login(world.coordinator)
    assert "Gilles Ouimet" in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(reverse("concertation:meeting_attendance", args=[meeting.pk])).status_code == 200

    delegation = actions.delegate(world.coordinator, seat, ves["coordination"], D(2024, 6, 1))
    assert delegation.seat.organization is None and delegation.seat.person == seat.person
    assert delegation.seat.role == Membership.Role.DELEGATE
    assert client.get(ves["coordination"].get_absolute_url()).status_code == 200
    assert client.get(reverse("concertation:structure", args=[world.rls.pk])).status_code == 200
