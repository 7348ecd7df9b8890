"""Citizen seats in what reads the memberships: the participation analytics count citizens apart from the
organisations; the networks (of organisations) and the diagnosis (of organisations and sectors) leave them out;
the instance page, the analytics page and the minutes name them without failing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from concertation import analytics
from concertation.actions import instances as actions
from concertation.actions import meetings as meeting_actions
from concertation.models import Meeting, Membership
from evaluation.diagnosis import diagnose_instance
from evaluation.diagnosis.facts import Scope as DiagnosisScope
from evaluation.diagnosis.facts import gather_before_period
from evaluation.network.graphs import Scope, co_membership
from evaluation.network.instances import instance_map
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def seats(world, ves):
    """The local committee: Popote (org_a, from 2020, the fixture), the CAB (org_b, 2021), two citizens (one from
    2021, one only in 2022) and, on the coordination committee, the CAB and one of the citizens in 2022."""
    local = ves["local"]
    actions.add_membership(world.admin, local, {"organization": world.org_b, "start_date": D(2021, 1, 1)})
    first = actions.add_membership(
        world.admin, local, {"new_citizen": {"first_name": "Monique", "last_name": "Tardif"},
                             "start_date": D(2021, 3, 1)},
    )  # fmt: skip
    second = actions.add_membership(
        world.admin, local, {"new_citizen": {"first_name": "Gilles", "last_name": "Ouimet"},
                             "start_date": D(2022, 2, 1), "end_date": D(2022, 11, 30)},
    )  # fmt: skip
    actions.add_membership(
        world.admin, ves["coordination"], {"person": first.person, "role": "observer", "start_date": D(2022, 1, 1)}
    )
    return {"first": first, "second": second}


def test_participation_counts_citizens_apart(world, ves, seats):
    series = {row["year"]: row for row in analytics.participation_by_year(ves["local"], until=2023)}
    assert series[2020] == {"year": 2020, "organizations": 1, "citizens": 0}
    assert series[2021] == {"year": 2021, "organizations": 2, "citizens": 1}
    assert series[2022] == {"year": 2022, "organizations": 2, "citizens": 2}
    assert series[2023] == {"year": 2023, "organizations": 2, "citizens": 1}


def test_turnover_is_of_organisations_only(world, ves, seats):
    turnover = {row["year"]: row for row in analytics.turnover_by_year(ves["local"], until=2023)}
    assert turnover[2022]["members"] == 2 and turnover[2022]["joined"] == 0 and turnover[2022]["left"] == 0
    assert all(None not in row["joined_names"] + row["left_names"] for row in turnover.values())


def test_attendance_of_citizens_is_apart_from_the_organisations(client, world, ves, seats):
    meeting = Meeting.objects.create(
        instance=ves["local"], title="Rencontre", starts_at=datetime.datetime(2022, 5, 4, 13, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2022, 5, 4, 15, tzinfo=datetime.UTC), status=Meeting.Status.HELD,
    )  # fmt: skip
    rows = [(m, "present", None) for m in meeting_actions.attendance_memberships(meeting)]
    rows[-1] = (rows[-1][0], "excused", None)
    meeting_actions.record_attendance(world.admin, meeting, rows)
    by_org = analytics.attendance_by_organization(ves["local"])
    assert [row["organization_id"] for row in by_org] == sorted(
        [world.org_a.pk, world.org_b.pk], key=lambda pk: {world.org_a.pk: "Popote", world.org_b.pk: "Centre"}[pk]
    )
    citizens = analytics.attendance_of_citizens(ves["local"], year=2022)
    assert {row["name"] for row in citizens} == {"Monique Tardif", "Gilles Ouimet"}
    assert sum(row["recorded"] for row in citizens) == 2
    assert analytics.attendance_of_citizens(ves["local"], year=2021) == []

    client.force_login(world.coordinator)
    page = client.get(reverse("concertation:instance_analytics", args=[ves["local"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Monique Tardif" in text and "Gilles Ouimet" in text
    detail = client.get(meeting.get_absolute_url())
    assert detail.status_code == 200 and "Gilles Ouimet" in detail.content.decode()
    for name in ("meeting_pdf", "meeting_docx"):
        assert client.get(reverse(f"concertation:{name}", args=[meeting.pk])).status_code == 200, name


def test_instance_page_counts_citizens_apart_from_the_sector_mix(client, world, ves, seats):
    client.force_login(world.coordinator)
    page = client.get(ves["local"].get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Monique Tardif" in text
    # Two organisations in the mix, one citizen today (the second left in 2022).
    assert page.context["citizens"] == 1
    assert sum(row["count"] for row in page.context["mix"]) == 2


def test_the_networks_of_organisations_ignore_citizen_seats(world, ves, seats):
    network = co_membership(Scope(world.rls, 2022))
    assert set(network.organizations) == {world.org_a.pk, world.org_b.pk}
    assert None not in network.organizations
    for_instance = co_membership(Scope(world.rls, 2022, instance=ves["local"]))
    assert set(for_instance.organizations) == {world.org_a.pk, world.org_b.pk}
    found = instance_map(world.coordinator, Scope(world.rls, 2022))
    # The CAB sits on both committees; the citizen on both too, but is not an organisation.
    assert [row["organization"] for row in found["organizations"]] == [world.org_b.pk]
    members = {node["id"]: node["members"] for node in found["nodes"]}
    assert members[ves["local"].pk] == 2  # organisations, not the two citizens
    assert members[ves["coordination"].pk] == 1


def test_the_diagnosis_reads_the_organisations_seats(world, ves, seats):
    facts = gather_before_period(DiagnosisScope(rls=world.rls, instance=ves["local"]))
    assert {seat.organization_id for seat in facts.seats} == {world.org_a.pk, world.org_b.pk}
    diagnosis = diagnose_instance(ves["local"])
    assert diagnosis.period


def test_a_citizen_may_vote_in_the_plenary(world, ves, seats):
    from concertation.rules import eligible_voters

    exercise = ves["local"].priority_exercises.create(title="Priorités")
    assert seats["first"].person in eligible_voters(exercise)


def test_a_citizen_seat_needs_its_person(world, ves, seats):
    with translation.override("en"), pytest.raises(ValidationError, match="Name the organisation"):
        actions.update_membership(world.admin, seats["first"], {"person": None})
    assert Membership.objects.get(pk=seats["first"].pk).person is not None
    other = PersonFactory()  # affiliated with no organisation of the RLS, and holding no seat in it
    with pytest.raises(ValidationError) as refused:
        actions.update_membership(world.coordinator, seats["first"], {"person": other})
    assert list(refused.value.message_dict) == ["person"]
