"""A representative of organisation B tries every object URL of organisation A (and of its person),
pages and API alike, by changing the id in the URL. Each answers 404 or 403 and changes nothing.

The URLs come from the resolver: a new URL with an id is tried automatically, and one that this test cannot
place fails it until someone says whose data it shows."""

import pytest
from django.urls import reverse

from core.models import ApiToken
from registry.models import ImportBatch

ID_PARAMS = {"pk", "id", "object_id", "line_pk", "affiliation_pk"}
# URLs with an id that do not show an organisation's data, with the reason.
NOT_ORGANISATION_DATA = {
    "territor": "territories are shared reference data, readable by every signed-in user",
    "legal-bases": "the Acts and articles agreements rest on are public law, readable by every signed-in user",
}
PAYLOAD = {
    "name": "Piraté",
    "first_name": "Piraté",
    "last_name": "Piraté",
    "sector": "community",
    "decision_level": "staff",
    "year": "2024",
    "source": "other",
    "amount": "1",
    "start_date": "2020-01-01",
    "end_date": "2024-01-01",
}


def targets(world) -> dict[str, dict[str, list]]:
    """Which of A's objects each kind of URL is about."""
    token, _ = ApiToken.issue(world.rep_a, "rep A's token")
    batch = ImportBatch.objects.create(
        kind="organizations", filename="a.csv", rows=[{"name": "X"}], created_by=world.rep_a
    )
    line = world.org_a.funding_lines.get().pk
    affiliation = world.person_a.affiliations.get().pk
    common = {"format": ["json"], "kind": ["organizations"], "line_pk": [line], "affiliation_pk": [affiliation]}
    concertation = concertation_targets(world, common)
    return (
        agreement_targets(world, common)
        | concertation
        | evaluation_targets(world, common, concertation["instances"]["pk"][0])
        | {
            "organi": {**common, "pk": [world.org_a.pk], "id": [world.org_a.pk], "object_id": [world.org_a.pk]},
            "funding": {**common, "pk": [world.org_a.pk]},
            "people": {
                **common,
                "pk": [world.person_a.pk],
                "id": [world.person_a.pk],
                "object_id": [world.person_a.pk],
            },
            "person": {
                **common,
                "pk": [world.person_a.pk],
                "id": [world.person_a.pk],
                "object_id": [world.person_a.pk],
            },
            "token": {**common, "pk": [token.pk]},
            "import": {**common, "pk": [batch.pk]},
            "change": {**common, "pk": [proposal_to_a(world).pk]},
        }
    )


def proposal_to_a(world):
    """A change the coordinator proposed to A's record (A keeps its own): B's representative must not reach it."""
    from registry import change_requests

    return change_requests.propose_organization_change(world.coordinator, world.org_a, {"mission": "Proposée à A"})


def concertation_targets(world, common: dict) -> dict[str, dict[str, list]]:
    """A private instance of which only A is a member: B's representative must not reach it."""
    import datetime

    from django.utils import timezone

    from concertation.actions import instances as actions
    from concertation.actions import meetings as meeting_actions
    from concertation.actions import plans as plan_actions
    from concertation.actions import priorities as priority_actions

    instance = actions.create_instance(
        world.admin, {"name": "Comité privé de A", "kind": "working_group", "basis": "thematic", "level": "local",
               "rls": world.rls, "is_public": False},
    )  # fmt: skip
    membership = actions.add_membership(
        world.admin, instance, {"organization": world.org_a, "start_date": datetime.date(2020, 1, 1)}
    )
    from concertation.actions import timeline

    event = timeline.add_context_event(world.admin, {
        "rls": world.rls, "instance": instance, "date": datetime.date(2021, 4, 1), "kind": "other",
        "title": "Événement de A",
    })  # fmt: skip
    ids = {**common, "pk": [instance.pk], "id": [instance.pk], "membership_pk": [membership.pk],
           "event_pk": [event.pk], "event_id": [event.pk]}  # fmt: skip
    start = timezone.now() + datetime.timedelta(days=7)
    meeting = meeting_actions.schedule_meeting(
        world.admin,
        instance,
        {"title": "Réunion de A", "starts_at": start, "ends_at": start + datetime.timedelta(hours=2)},
    )
    item = meeting_actions.add_agenda_item(world.admin, meeting, {"title": "Point de A"})
    decision = meeting_actions.record_decision(world.admin, meeting, {"text": "Décision de A", "mode": "consensus"})
    follow_up = meeting_actions.add_follow_up(world.admin, meeting, {"description": "Suivi de A"})
    demarche = plan_actions.start_demarche(world.admin, instance, {"title": "Démarche de A"})
    plan = plan_actions.create_plan(world.admin, instance, {"title": "Plan de A"})
    objective = plan_actions.add_objective(world.admin, plan, {"title": "Objectif de A"})
    action = plan_actions.add_action(world.admin, objective, {"title": "Action de A"})
    indicator = plan_actions.add_indicator(world.admin, objective, {"name": "Indicateur de A"})
    exercise = priority_actions.create_exercise(world.admin, instance, {"title": "Priorités de A"})
    candidate = priority_actions.add_candidate(
        world.admin, exercise, {"title": "Besoin de A", "origin": "local_actors"}
    )
    workshop = priority_actions.add_workshop(world.admin, exercise, {"name": "Équipe de A"})
    # More specific keywords first: the first keyword found in a URL decides its object.
    return {
        "instances": ids,
        "api/v1/demarches": {**common, "pk": [demarche.pk], "stage_pk": [demarche.stages.first().pk]},
        "stages": {**common, "pk": [demarche.stages.first().pk]},
        "exercises": {**common, "pk": [exercise.pk], "workshop_pk": [workshop.pk], "candidate_pk": [candidate.pk]},
        "demarches": {**common, "pk": [demarche.pk]},
        "api/v1/action-plans": {
            **common,
            "pk": [plan.pk],
            "objective_pk": [objective.pk],
            "action_pk": [action.pk],
            "indicator_pk": [indicator.pk],
        },
        "objectives": {**common, "pk": [objective.pk]},
        "indicators": {**common, "pk": [indicator.pk]},
        "plans/actions": {**common, "pk": [action.pk]},
        "plans": {**common, "pk": [plan.pk]},
        "memberships": {**common, "pk": [membership.pk], "id": [membership.pk]},
        "meetings": {
            **common,
            "pk": [meeting.pk],
            "id": [meeting.pk],
            "follow_up_pk": [follow_up.pk],
            "item_pk": [item.pk],
            "decision_pk": [decision.pk],
        },
        "agenda": {**common, "pk": [item.pk]},
        "decisions": {**common, "pk": [decision.pk]},
        "follow": {**common, "pk": [follow_up.pk]},
    }


def evaluation_targets(world, common: dict, instance_pk: int) -> dict[str, dict[str, list]]:
    """A campaign sent to A's private instance, and an instrument adapted for the RLS (read by its coordinators and
    analysts, not by the representatives)."""
    import datetime

    from concertation.models import Instance
    from evaluation.actions import campaigns, instruments
    from evaluation.models import Instrument, Item

    shipped = Instrument.objects.filter(rls__isnull=True).order_by("pk").first()
    copy = instruments.copy_instrument(world.admin, shipped, world.rls)
    item = Item.objects.filter(section__instrument=copy).first()
    campaign = campaigns.create_campaign(world.admin, {
        "title": "Sondage de A", "instrument": copy, "instances": [Instance.objects.get(pk=instance_pk)],
        "opens_on": datetime.date(2026, 1, 1), "closes_on": datetime.date(2026, 2, 1),
    })  # fmt: skip
    from evaluation.actions.notes import annotate_placement

    note = annotate_placement(
        world.rep_a, instance=Instance.objects.get(pk=instance_pk), dimension="risks", placement="none_detected",
        stance="contest", text="Note de A",
    )  # fmt: skip
    from evaluation.actions.reports import request_bilan

    # A's RLS's bilan, asked for by its coordinator (not built: it would name A).
    report = request_bilan(world.coordinator, world.rls, datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), "fr")
    return {
        "evaluation/reports": {**common, "pk": [report.pk]},
        "api/v1/reports": {**common, "pk": [report.pk], "id": [report.pk]},
        "diagnosis-notes": {**common, "pk": [note.pk], "id": [note.pk]},
        r"diagnosis\-notes": {**common, "pk": [note.pk]},  # the pages' regex escapes the dash
        # The RLS's diagnosis reads every instance of the RLS, A's private one included.
        "rls/": {**common, "pk": [world.rls.pk], "id": [world.rls.pk]},
        "evaluation/items": {**common, "pk": [item.pk]},
        "instruments": {**common, "pk": [copy.pk], "id": [copy.pk], "item_id": [item.pk]},
        "campaigns": {**common, "pk": [campaign.pk], "id": [campaign.pk]},
    }


def agreement_targets(world, common: dict) -> dict[str, dict[str, list]]:
    """An agreement between A and the institution of their RLS: B is no party."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.actions import agreements as actions
    from agreements.actions import follow_up
    from tests.factories import OrganizationFactory

    institution = OrganizationFactory(name="CISSS du Val", sector="public", rls=world.rls)
    admin = world.admin
    agreement = actions.create_agreement(
        admin, {"title": "Entente de A", "kind": "service", "rls": world.rls, "parties": [world.org_a, institution]}
    )
    party = agreement.parties.get(organization=world.org_a)
    contact = actions.add_contact(admin, party, {"person": world.person_a, "role": "respondent"})
    issue = follow_up.log_issue(admin, agreement, {"subject": "Enjeu de A"})
    line = follow_up.set_amount(admin, agreement, {"year": 2025, "amount": "1000"})
    payment = follow_up.add_payment(admin, agreement, {"due_on": datetime.date(2025, 4, 1), "amount": "500"})
    report = follow_up.add_report(admin, agreement, {"title": "Rapport de A", "due_on": datetime.date(2025, 6, 30)})
    attachment = follow_up.attach(admin, agreement, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 A")})
    ids = {**common, "pk": [agreement.pk], "id": [agreement.pk], "number": [1], "extension": ["pdf"]}
    parts = {"report_id": [report.pk], "party_id": [party.pk], "contact_id": [contact.pk], "issue_id": [issue.pk],
             "amount_id": [line.pk], "payment_id": [payment.pk], "attachment_id": [attachment.pk]}  # fmt: skip
    return {
        "api/v1/agreements": {**ids, **parts},
        "agreements/parties": {**common, "pk": [party.pk]},
        "agreements/contacts": {**common, "pk": [contact.pk]},
        "agreements/negotiation/": {**common, "pk": [issue.pk]},
        "agreements/funding/": {**common, "pk": [line.pk]},
        "agreements/payments/": {**common, "pk": [payment.pk]},
        "agreements/reports/": {**common, "pk": [report.pk]},
        "agreements/attachments/": {**common, "pk": [attachment.pk]},
        "agreements/dependence": {**common, "pk": [world.org_a.pk]},
        "agreements": ids,
    }


def object_routes(routes):
    """Routes with an id, outside the administration (staff only; checked below)."""
    return [r for r in routes if r.params & ID_PARAMS and not r.name.startswith("admin:") and "admin/" not in r.regex]


def test_representative_of_b_cannot_reach_anything_of_a(client, world, routes, registry_state):
    client.force_login(world.rep_b)
    by_keyword = targets(world)
    before = registry_state()
    problems, tried = [], []
    for route in object_routes(routes):
        if any(keyword in route.regex for keyword in NOT_ORGANISATION_DATA):
            continue
        keyword = next((k for k in by_keyword if k in route.regex), None)
        url = route.url(by_keyword[keyword]) if keyword else None
        if url is None:
            problems.append(f"{route.name} ({route.regex}): say which object of A it shows in targets()")
            continue
        tried.append(route.name)
        api = route.regex.startswith("api/")
        methods = ("get", "post", "put", "patch", "delete") if api else ("get", "post")
        refused_by_object = False
        for method in methods:
            if api:
                response = getattr(client, method)(url, PAYLOAD, content_type="application/json")
            else:
                response = getattr(client, method)(url, PAYLOAD)
            # 405 only means the method does not exist there (e.g. GET on a form's POST target).
            if response.status_code not in (403, 404, 405):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
            refused_by_object |= response.status_code in (403, 404)
            if world.org_a.name in response.content.decode(errors="replace"):
                problems.append(f"{method.upper()} {url}: shows A's name")
        if not refused_by_object:
            problems.append(f"{url}: never reached the object check")
    assert not problems, "\n".join(problems)
    assert registry_state() == before
    assert {"registry:organization_edit", "registry:funding_delete", "registry:affiliation_end"} <= set(tried)


@pytest.mark.parametrize("probe", [-1, 1, 1000])
def test_guessing_neighbouring_ids_finds_nothing_outside_scope(client, world, probe):
    client.force_login(world.rep_b)
    pk = world.org_b.pk + probe
    response = client.get(f"/registry/organisations/{pk}/")
    assert response.status_code == 404


def test_bearer_token_of_b_cannot_read_a(client, world, routes):
    _, key = ApiToken.issue(world.rep_b, "b")
    detail = [r for r in object_routes(routes) if r.regex.startswith("api/") and "organi" in r.regex]
    for route in detail:
        url = route.url({"pk": [world.org_a.pk], "format": ["json"]})
        response = client.get(url, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code in (403, 404), url


def test_administration_is_closed_to_representatives(client, world):
    client.force_login(world.rep_b)
    response = client.get(f"/admin/registry/organization/{world.org_a.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_shared_person_representative_of_a_cannot_end_the_affiliation_with_b(client, world, registry_state):
    """Alice also volunteers at B: A's representative manages her A affiliation, not her B one."""
    from tests.factories import AffiliationFactory

    at_b = AffiliationFactory(person=world.person_a, organization=world.org_b)
    at_a = world.person_a.affiliations.get(organization=world.org_a)
    client.force_login(world.rep_a)
    before = registry_state()
    url = reverse("registry:affiliation_end", args=[world.person_a.pk, at_b.pk])
    assert client.post(url, {"end_date": "2024-06-30"}).status_code == 403
    assert registry_state() == before

    url = reverse("registry:affiliation_end", args=[world.person_a.pk, at_a.pk])
    assert client.post(url, {"end_date": "2024-06-30"}).status_code == 302
    at_a.refresh_from_db()
    assert at_a.end_date.isoformat() == "2024-06-30"
