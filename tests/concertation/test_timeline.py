"""The context timeline (dated events of an instance or of its whole RLS), exit reasons on memberships and the
object of an instance (Bourque): pages, API, who may write, bad input, the participation curve, page/API parity."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from concertation.actions import instances as instance_actions
from concertation.actions import timeline
from concertation.models import ContextEvent, Instance, Membership
from core.models import AuditEvent
from tests.parity import ACCEPTED, Case, api_as, check, state_of

pytestmark = pytest.mark.django_db

TURNOVER = {"date": "2021-04-12", "kind": "manager_turnover", "title": "Départ de la directrice du CSSS",
            "description": "Trois gestionnaires changent en un an."}  # fmt: skip


def french(message: str) -> str:
    """A message as the pages and the API (asked in French) say it."""
    with translation.override("fr"):
        return translation.gettext(message)


def add_url(instance: Instance) -> str:
    return reverse("concertation:context_event_add", args=[instance.pk])


def timeline_url(instance: Instance, event: ContextEvent | None = None) -> str:
    return f"/api/v1/instances/{instance.pk}/timeline/" + (f"{event.pk}/" if event else "")


def record(world, instance: Instance, **data) -> ContextEvent:
    values = {**TURNOVER, "date": datetime.date(2021, 4, 12), "rls": world.rls, "instance": instance, **data}
    return timeline.add_context_event(world.admin, values)


def end_membership(world, membership: Membership, **data) -> Membership:
    return instance_actions.update_membership(world.admin, membership, data)


# Pages -----------------------------------------------------------------------------------------------------


def test_coordinator_adds_an_event_through_the_page_and_it_shows_in_the_context(client, world, ves):
    client.force_login(world.coordinator)
    response = client.post(add_url(ves["local"]), TURNOVER)
    assert response.status_code == 302
    event = ContextEvent.objects.get()
    assert (event.instance, event.rls, event.created_by) == (ves["local"], world.rls, world.coordinator)
    assert event.date == datetime.date(2021, 4, 12) and event.kind == "manager_turnover"
    assert AuditEvent.objects.filter(object_id=str(event.pk), action=AuditEvent.Action.CREATE).exists()
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert 'id="context"' in page and "Départ de la directrice du CSSS" in page
    # An event of one instance is not in the context of another.
    assert "Départ de la directrice" not in client.get(ves["assembly"].get_absolute_url()).content.decode()


def test_an_event_of_the_whole_rls_shows_on_each_of_its_instances_newest_first(client, world, ves):
    client.force_login(world.coordinator)
    data = {**TURNOVER, "kind": "ministerial_directive", "title": "Directive ministérielle", "whole_rls": "on"}
    assert client.post(add_url(ves["local"]), data).status_code == 302
    assert ContextEvent.objects.get().instance is None
    record(world, ves["assembly"], date=datetime.date(2023, 1, 9), title="Fusion des CSSS", kind="merger")
    page = client.get(ves["assembly"].get_absolute_url()).content.decode()
    assert "Directive ministérielle" in page and "Fusion des CSSS" in page
    assert page.index("Fusion des CSSS") < page.index("Directive ministérielle")


def test_coordinator_edits_and_deletes_an_event_through_the_pages(client, world, ves):
    event = record(world, ves["local"])
    client.force_login(world.coordinator)
    edit = reverse("concertation:context_event_edit", args=[ves["local"].pk, event.pk])
    response = client.post(edit, {**TURNOVER, "title": "Départ du directeur général", "date": "2021-05-01"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.date) == ("Départ du directeur général", datetime.date(2021, 5, 1))
    delete = reverse("concertation:context_event_delete", args=[ves["local"].pk, event.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not ContextEvent.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(event.pk), action=AuditEvent.Action.DELETE).exists()


def test_an_event_is_reached_only_through_an_instance_it_concerns(client, world, ves):
    event = record(world, ves["local"])
    client.force_login(world.coordinator)
    # The assembly's address does not reach an event of the local committee.
    edit = reverse("concertation:context_event_edit", args=[ves["assembly"].pk, event.pk])
    assert client.get(edit).status_code == 404
    assert api_as(world.coordinator).delete(timeline_url(ves["assembly"], event)).status_code == 404
    assert ContextEvent.objects.filter(pk=event.pk).exists()


def test_a_coordinator_of_another_rls_gets_404_and_the_action_refuses_the_rls(client, world, ves):
    client.force_login(world.other_coordinator)
    assert client.get(add_url(ves["local"])).status_code == 404
    assert client.post(add_url(ves["local"]), TURNOVER).status_code == 404
    assert api_as(world.other_coordinator).post(timeline_url(ves["local"]), TURNOVER).status_code == 404
    day = datetime.date(2021, 4, 12)
    with pytest.raises(ValidationError) as error:
        timeline.add_context_event(world.other_coordinator, {**TURNOVER, "date": day, "rls": world.rls,
                                                             "instance": ves["local"]})  # fmt: skip
    assert "instance" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        timeline.add_context_event(world.other_coordinator, {**TURNOVER, "date": day, "rls": world.rls})
    assert "rls" in error.value.message_dict
    assert not ContextEvent.objects.exists()


def test_a_representative_of_a_non_member_reaches_nothing_of_a_private_instance(client, world, ves):
    event = record(world, ves["local"])
    client.force_login(world.rep_b)  # org B sits on no instance of the VES fixture but the coordination committee
    pages = [add_url(ves["local"])] + [
        reverse(f"concertation:context_event_{verb}", args=[ves["local"].pk, event.pk]) for verb in ("edit", "delete")
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, TURNOVER).status_code == 404, url
    api = api_as(world.rep_b)
    assert api.get(timeline_url(ves["local"])).status_code == 404
    assert api.post(timeline_url(ves["local"]), TURNOVER, format="json").status_code == 404
    assert api.patch(timeline_url(ves["local"], event), {"title": "X"}, format="json").status_code == 404
    assert api.delete(timeline_url(ves["local"], event)).status_code == 404
    assert list(ContextEvent.objects.values_list("title", flat=True)) == [TURNOVER["title"]]


def test_the_instance_must_belong_to_the_rls_of_the_event(world, ves):
    with pytest.raises(ValidationError) as error:
        timeline.add_context_event(
            world.admin, {**TURNOVER, "date": datetime.date(2021, 4, 12), "rls": world.other_rls,
                          "instance": ves["local"]},
        )  # fmt: skip
    assert "instance" in error.value.message_dict
    assert not ContextEvent.objects.exists()


def test_a_representative_cannot_add_change_or_delete_events(client, world, ves):
    event = record(world, ves["local"])
    client.force_login(world.rep_a)  # org A sits on the local committee: rep_a reads its page
    assert client.get(ves["local"].get_absolute_url()).status_code == 200
    assert client.post(add_url(ves["local"]), TURNOVER).status_code == 403
    api = api_as(world.rep_a)
    assert api.post(timeline_url(ves["local"]), TURNOVER, format="json").status_code == 403
    assert api.post(timeline_url(ves["local"]), {**TURNOVER, "whole_rls": True}, format="json").status_code == 403
    assert api.patch(timeline_url(ves["local"], event), {"title": "X"}, format="json").status_code == 403
    assert api.delete(timeline_url(ves["local"], event)).status_code == 403
    assert list(ContextEvent.objects.values_list("title", flat=True)) == [TURNOVER["title"]]


def test_a_coordinator_named_on_an_instance_records_its_events_but_not_the_rls(client, world, ves):
    world.rep_b.coordinated_instances.add(ves["local"])
    rls_event = record(world, None, title="Perte du mandat de soutien", kind="lost_mandate")
    api = api_as(world.rep_b)
    assert api.post(timeline_url(ves["local"]), TURNOVER, format="json").status_code == 201
    assert api.post(timeline_url(ves["local"]), {**TURNOVER, "whole_rls": True}, format="json").status_code == 403
    assert api.delete(timeline_url(ves["local"], rls_event)).status_code == 403
    client.force_login(world.rep_b)
    form = client.get(add_url(ves["local"])).content.decode()
    assert 'name="whole_rls"' not in form  # the page does not offer what the action would refuse
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    edit = reverse("concertation:context_event_edit", args=[ves["local"].pk, rls_event.pk])
    assert "Perte du mandat de soutien" in page and edit not in page
    assert client.get(edit).status_code == 403


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("1989-12-31", "The date cannot be before 1990."),
        ((timezone.localdate() + datetime.timedelta(days=400)).isoformat(),
         "The date cannot be more than a year from today."),
    ],
)  # fmt: skip
def test_bad_dates_are_refused_with_their_message_and_nothing_is_written(client, world, ves, day, message):
    client.force_login(world.coordinator)
    audits = AuditEvent.objects.count()
    page = client.post(add_url(ves["local"]), {**TURNOVER, "date": day})
    assert page.status_code == 400
    assert page.context["form"].errors["date"] == [french(message)]
    api = api_as(world.coordinator).post(timeline_url(ves["local"]), {**TURNOVER, "date": day}, format="json")
    assert api.status_code == 400 and api.json()["date"] == [french(message)]
    assert not ContextEvent.objects.exists() and AuditEvent.objects.count() == audits


def test_a_date_a_few_months_ahead_is_accepted(world, ves):
    ahead = timezone.localdate() + datetime.timedelta(days=120)
    assert record(world, ves["local"], date=ahead).date == ahead


def test_an_edit_with_a_bad_date_changes_nothing(world, ves):
    event = record(world, ves["local"])
    with pytest.raises(ValidationError) as error:
        timeline.update_context_event(world.coordinator, event, {"date": datetime.date(1985, 1, 1)})
    assert "date" in error.value.message_dict
    event.refresh_from_db()
    assert event.date == datetime.date(2021, 4, 12)


# Exit reasons ----------------------------------------------------------------------------------------------


def test_an_exit_reason_without_an_end_date_is_refused(client, world, ves):
    member = ves["member_a"]
    client.force_login(world.coordinator)
    url = reverse("concertation:membership_edit", args=[ves["local"].pk, member.pk])
    data = {"organization": world.org_a.pk, "person": world.person_a.pk, "role": "member",
            "start_date": "2020-01-01", "exit_reason": "lost_funding"}  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 400
    expected = [french("An exit reason needs the end date of the membership.")]
    assert page.context["form"].errors["exit_reason"] == expected
    api = api_as(world.coordinator).patch(f"/api/v1/memberships/{member.pk}/", {"exit_reason": "lost_funding"},
                                          format="json")  # fmt: skip
    assert api.status_code == 400 and api.json()["exit_reason"] == expected
    member.refresh_from_db()
    assert (member.exit_reason, member.end_date) == ("", None)


def test_an_ended_membership_keeps_its_reason_and_note(client, world, ves):
    member = ves["member_a"]
    client.force_login(world.coordinator)
    url = reverse("concertation:membership_edit", args=[ves["local"].pk, member.pk])
    assert "exit_reason" in client.get(url).content.decode()
    data = {"organization": world.org_a.pk, "person": world.person_a.pk, "role": "member", "start_date": "2020-01-01",
            "end_date": "2023-06-30", "exit_reason": "over_solicitation",
            "exit_note": "Trop de tables à la fois."}  # fmt: skip
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.exit_reason, member.exit_note) == ("over_solicitation", "Trop de tables à la fois.")
    body = api_as(world.coordinator).get(f"/api/v1/memberships/{member.pk}/").json()
    assert (body["exit_reason"], body["exit_note"], body["end_date"]) == (
        "over_solicitation", "Trop de tables à la fois.", "2023-06-30",
    )  # fmt: skip
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert "Trop de tables à la fois." in page  # among the former members


# API -------------------------------------------------------------------------------------------------------


def test_api_timeline_lists_events_and_exits_in_date_order(world, ves):
    rls_event = record(world, None, date=datetime.date(2022, 3, 1), title="Directive", kind="ministerial_directive")
    own = record(world, ves["local"], date=datetime.date(2021, 4, 12))
    record(world, ves["assembly"], date=datetime.date(2021, 1, 1), title="Autre instance")
    member_b = instance_actions.add_membership(
        world.admin, ves["local"], {"organization": world.org_b, "start_date": datetime.date(2020, 1, 1)}
    )
    end_membership(world, member_b, end_date=datetime.date(2021, 9, 30), exit_reason="lost_funding")
    body = api_as(world.rep_a).get(timeline_url(ves["local"]))  # a member organisation's representative reads it
    assert body.status_code == 200
    entries = body.json()
    assert [(e["type"], e["date"]) for e in entries] == [
        ("event", "2021-04-12"), ("exit", "2021-09-30"), ("event", "2022-03-01"),
    ]  # fmt: skip
    assert entries[0]["event"]["id"] == own.pk and entries[0]["event"]["whole_rls"] is False
    assert entries[2]["event"]["id"] == rls_event.pk and entries[2]["event"]["whole_rls"] is True
    assert entries[1]["exit"] == {
        "membership": member_b.pk, "date": "2021-09-30", "organization": world.org_b.pk,
        "organization_name": world.org_b.name, "exit_reason": "lost_funding", "exit_note": "",
    }  # fmt: skip
    assert api_as(world.other_coordinator).get(timeline_url(ves["local"])).status_code == 404  # hidden


def test_api_adds_changes_and_deletes_an_event(world, ves):
    api = api_as(world.coordinator)
    created = api.post(timeline_url(ves["local"]), {**TURNOVER, "whole_rls": True}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["rls"], body["instance"], body["whole_rls"]) == (world.rls.pk, None, True)
    event = ContextEvent.objects.get(pk=body["id"])
    changed = api.patch(timeline_url(ves["local"], event), {"title": "Nouvelle direction", "whole_rls": False},
                        format="json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["title"] == "Nouvelle direction"
    event.refresh_from_db()
    assert event.title == "Nouvelle direction" and event.instance is None  # stays an event of the RLS
    assert api.delete(timeline_url(ves["local"], event)).status_code == 204
    assert not ContextEvent.objects.exists()


def test_api_instance_takes_its_bourque_object(world, ves):
    api = api_as(world.coordinator)
    url = f"/api/v1/instances/{ves['local'].pk}/"
    response = api.patch(url, {"bourque_object": "population"}, format="json")
    assert response.status_code == 200 and response.json()["bourque_object"] == "population"
    assert api.patch(url, {"bourque_object": "everything"}, format="json").status_code == 400
    ves["local"].refresh_from_db()
    assert ves["local"].bourque_object == "population"
    assert api.delete(url).status_code == 405  # DELETE on an instance is still not offered


def test_instance_form_offers_the_bourque_object_with_its_help(client, world, ves):
    client.force_login(world.coordinator)
    edit = reverse("concertation:instance_edit", args=[ves["assembly"].pk])
    form = client.get(edit).content.decode()
    assert 'name="bourque_object"' in form and 'value="programme"' in form
    data = {"name": "Assemblée des partenaires", "kind": "assembly", "basis": "territorial", "level": "local",
            "rls": world.rls.pk, "territory": world.rls.pk, "bourque_object": "population"}  # fmt: skip
    assert client.post(edit, data).status_code == 302
    ves["assembly"].refresh_from_db()
    assert ves["assembly"].bourque_object == "population"


# The participation curve -----------------------------------------------------------------------------------


def test_the_participation_curve_marks_the_events_and_the_exits_by_reason(client, world, ves):
    record(world, ves["local"], date=datetime.date(2021, 4, 12), title="Départ de la directrice")
    record(world, None, date=datetime.date(2022, 3, 1), title="Directive sur les tables", kind="ministerial_directive")
    member_b = instance_actions.add_membership(
        world.admin, ves["local"], {"organization": world.org_b, "start_date": datetime.date(2020, 1, 1)}
    )
    end_membership(world, member_b, end_date=datetime.date(2022, 6, 30), exit_reason="over_solicitation")
    client.force_login(world.rep_a)
    page = client.get(reverse("concertation:instance_analytics", args=[ves["local"].pk])).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    # Numbered markers in date order, their titles in tooltips, the exits under their year.
    assert "<title>1. 2021-04-12 — Départ de la directrice</title>" in svg
    assert "<title>2. 2022-03-01 — Directive sur les tables</title>" in svg
    assert 'stroke-dasharray="4 3"' in svg
    with translation.override("fr"):
        too_many = str(Membership.ExitReason.OVER_SOLICITATION.label)
    assert too_many in svg
    # The same, said in text under the chart.
    legend = page[page.index("</svg>") :]
    assert "Départ de la directrice" in legend and "Directive sur les tables" in legend and too_many in legend


def test_the_instance_page_curve_has_the_markers_too(client, world, ves):
    record(world, ves["local"], date=datetime.date(2021, 4, 12), title="Départ de la directrice")
    client.force_login(world.coordinator)
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert "<title>1. 2021-04-12 — Départ de la directrice</title>" in page


# The same input through the page and the API ---------------------------------------------------------------


def _event(o):
    fields = ["rls", "instance", "date", "kind", "title", "description", "created_by"]
    return list(ContextEvent.objects.values(*fields))


def _exit(o):
    return Membership.objects.filter(pk=o["member_a"].pk).values("end_date", "exit_reason", "exit_note").get()


MEMBER_A = {"organization": "ORG_A", "person": "PERSON_A", "role": "member", "start_date": "2020-01-01"}

CASES = {
    "event": Case("coordinator", ("concertation:context_event_add", "local"), "post /instances/{local}/timeline/",
                  TURNOVER, read=_event),
    "event_of_the_whole_rls": Case("coordinator", ("concertation:context_event_add", "local"),
                                   "post /instances/{local}/timeline/", {**TURNOVER, "whole_rls": True}, read=_event),
    "event_before_1990": Case("coordinator", ("concertation:context_event_add", "local"),
                              "post /instances/{local}/timeline/", {**TURNOVER, "date": "1989-06-01"}, "date"),
    "event_by_a_representative": Case("rep_a", ("concertation:context_event_add", "local"),
                                      "post /instances/{local}/timeline/", TURNOVER, 403),
    "exit_with_its_reason": Case("coordinator", ("concertation:membership_edit", "local", "member_a"),
                                 "patch /memberships/{member_a}/",
                                 {**MEMBER_A, "end_date": "2023-06-30", "exit_reason": "lost_funding",
                                  "exit_note": "Fin du financement PSOC"}, read=_exit),
    "exit_reason_without_end": Case("coordinator", ("concertation:membership_edit", "local", "member_a"),
                                    "patch /memberships/{member_a}/", {**MEMBER_A, "exit_reason": "lost_funding"},
                                    "exit_reason"),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_page_and_api_answer_alike(client, world, ves, name):
    case = CASES[name]
    user = getattr(world, case.user)
    client.force_login(user)
    objects = {"rls": world.rls, "org_a": world.org_a, "person_a": world.person_a, "local": ves["local"],
               "member_a": ves["member_a"]}  # fmt: skip
    check(case, client, api_as(user), objects, state_of("concertation"))


def test_the_actions_refuse_what_the_pages_hide(world, ves):
    """The action is the guard: a representative calling it directly is refused too."""
    with pytest.raises(PermissionDenied):
        timeline.add_context_event(
            world.rep_a, {**TURNOVER, "date": datetime.date(2021, 4, 12), "rls": world.rls, "instance": ves["local"]}
        )
    assert not ContextEvent.objects.exists()


def test_the_parity_table_has_accepted_writes_and_refusals():
    accepted = [case for case in CASES.values() if case.expect == ACCEPTED]
    assert len(accepted) >= 3 and len(CASES) - len(accepted) >= 3
