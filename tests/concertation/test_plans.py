"""Démarches and action plans: stages in order, dates, the few-objectives advice, progress, CRUD through the
pages, permissions (coordinators write, readers see, others 404) and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concertation import analytics
from concertation.actions import plans as actions
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Objective
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = datetime.date
STAGES = ["mobilisation", "consensus", "analysis", "projects", "action_plan", "implementation", "evaluation"]


@pytest.fixture
def plan(world, ves) -> ActionPlan:
    """A plan of the private local action committee (org A is a member; org B sits elsewhere)."""
    plan = actions.create_plan(world.admin, ves["local"], {"title": "Plan d'action 2024-2026"})
    objective = actions.add_objective(world.admin, plan, {"title": "Briser l'isolement des aînés"})
    actions.add_action(
        world.admin, objective,
        {"title": "Appels d'amitié", "lead": world.org_a, "contributors": [world.org_b], "resources": "2 bénévoles",
         "deadline": D(2024, 6, 30), "status": "in_progress"},
    )  # fmt: skip
    actions.add_indicator(
        world.admin, objective, {"name": "Aînés joints", "unit": "personnes", "target": 100, "measured": 40}
    )
    return plan


# Démarche ---------------------------------------------------------------------------------------------------


def test_coordinator_starts_a_demarche_with_the_seven_stages_in_order(client, world, ves):
    client.force_login(world.coordinator)
    response = client.post(reverse("concertation:demarche_create", args=[ves["local"].pk]), {"title": "Démarche VES"})
    demarche = Demarche.objects.get(title="Démarche VES")
    assert response.status_code == 302 and response["Location"] == demarche.get_absolute_url()
    stages = list(demarche.stages.order_by("order"))
    assert [s.kind for s in stages] == STAGES
    assert [s.order for s in stages] == list(range(1, 8))
    assert all(s.status == "not_started" for s in stages)
    page = client.get(demarche.get_absolute_url()).content.decode()
    positions = [page.index(reverse("concertation:stage_edit", args=[s.pk])) for s in stages]
    assert positions == sorted(positions)
    assert '<ol class="stages">' in page and 'aria-current="step"' in page
    assert AuditEvent.objects.filter(object_id=str(demarche.pk), action="create").exists()


def test_a_stage_is_updated_and_the_progress_follows(client, world, ves):
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche"})
    first = demarche.stages.get(kind="mobilisation")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:stage_edit", args=[first.pk]),
        {"status": "done", "start_date": "2024-01-10", "end_date": "2024-03-01", "deliverables": "Liste des acteurs"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.end_date, first.deliverables) == ("done", D(2024, 3, 1), "Liste des acteurs")
    page = client.get(demarche.get_absolute_url())
    assert page.context["done"] == 1
    assert page.context["current"].kind == "consensus"
    assert "Liste des acteurs" in page.content.decode()


def test_a_stage_ending_before_it_starts_is_refused_with_a_message(client, world, ves):
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche"})
    stage = demarche.stages.get(kind="analysis")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:stage_edit", args=[stage.pk]),
        {"status": "in_progress", "start_date": "2024-05-01", "end_date": "2024-04-01", "deliverables": ""},
    )
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
    assert "error-summary" in response.content.decode()
    stage.refresh_from_db()
    assert stage.start_date is None and stage.status == "not_started"
    with pytest.raises(ValidationError) as error:
        actions.update_stage(world.admin, stage, {"start_date": D(2024, 5, 1), "end_date": D(2024, 4, 1)})
    assert "end_date" in error.value.message_dict


def test_a_plan_ending_before_it_starts_is_refused(client, world, ves):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:plan_create", args=[ves["local"].pk]),
        {"title": "Plan", "start_date": "2025-01-01", "end_date": "2024-01-01"},
    )
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
    assert not ActionPlan.objects.exists()
    with pytest.raises(ValidationError):
        actions.create_plan(
            world.admin, ves["local"], {"title": "Plan", "start_date": D(2025, 1, 1), "end_date": D(2024, 1, 1)}
        )
    assert not ActionPlan.objects.exists()


def test_a_plan_cannot_come_from_another_instances_demarche(world, ves):
    other = actions.start_demarche(world.admin, ves["assembly"], {"title": "Démarche de l'assemblée"})
    with pytest.raises(ValidationError) as error:
        actions.create_plan(world.admin, ves["local"], {"title": "Plan", "demarche": other})
    assert "demarche" in error.value.message_dict


# Action plans --------------------------------------------------------------------------------------------


def test_coordinator_builds_a_plan_through_the_pages(client, world, ves):
    client.force_login(world.coordinator)
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche"})
    response = client.post(
        reverse("concertation:plan_create", args=[ves["local"].pk]),
        {"title": "Plan 2025", "demarche": demarche.pk, "start_date": "2025-01-01", "end_date": "2026-12-31"},
    )
    plan = ActionPlan.objects.get(title="Plan 2025")
    assert response["Location"] == plan.get_absolute_url()
    assert plan.demarche == demarche
    client.post(reverse("concertation:objective_create", args=[plan.pk]), {"title": "Rompre l'isolement", "order": 1})
    objective = plan.objectives.get()
    response = client.post(
        reverse("concertation:action_create", args=[objective.pk]),
        {"title": "Popote mobile", "lead": world.org_a.pk, "contributors": [world.org_b.pk, world.org_a.pk],
         "resources": "Camion, 3 bénévoles", "deadline": "2025-06-30", "status": "not_started"},
    )  # fmt: skip
    assert response.status_code == 302
    action = objective.actions.get()
    assert action.lead == world.org_a
    assert list(action.contributors.all()) == [world.org_b]  # the lead is not also a contributor
    client.post(
        reverse("concertation:indicator_create", args=[objective.pk]),
        {"name": "Repas livrés", "unit": "repas", "target": "500", "measured": "125", "measured_on": "2025-03-31"},
    )
    indicator = objective.indicators.get()
    assert indicator.progress == 25
    # Edit, then delete, each through its page.
    client.post(
        reverse("concertation:action_edit", args=[action.pk]),
        {"title": "Popote mobile", "lead": world.org_a.pk, "resources": "", "deadline": "2025-06-30",
         "status": "done"},
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "done"
    client.post(
        reverse("concertation:indicator_edit", args=[indicator.pk]),
        {"name": "Repas livrés", "unit": "repas", "target": "500", "measured": "510", "measured_on": "2025-09-30"},
    )
    indicator.refresh_from_db()
    assert indicator.measured == Decimal("510") and indicator.progress == 100
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Popote mobile" in page and "Repas livrés" in page and world.org_a.name in page
    history = client.get(reverse("concertation:plan_history", args=[plan.pk])).content.decode()
    assert "Popote mobile" in history
    assert client.get(reverse("concertation:indicator_delete", args=[indicator.pk])).status_code == 200
    client.post(reverse("concertation:indicator_delete", args=[indicator.pk]))
    client.post(reverse("concertation:action_delete", args=[action.pk]))
    client.post(reverse("concertation:objective_delete", args=[objective.pk]))
    assert not Objective.objects.exists() and not Action.objects.exists() and not Indicator.objects.exists()
    response = client.post(reverse("concertation:plan_delete", args=[plan.pk]))
    assert response["Location"] == ves["local"].get_absolute_url()
    assert not ActionPlan.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="delete").exists()


def test_an_action_lead_outside_the_rls_is_refused(client, world, ves, plan):
    objective = plan.objectives.get()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("concertation:action_create", args=[objective.pk]),
        {"title": "Action", "lead": world.org_elsewhere.pk, "status": "not_started"},
    )
    assert response.status_code == 400
    assert "lead" in response.context["form"].errors
    assert objective.actions.count() == 1


def test_more_than_five_objectives_shows_the_advice(client, world, ves):
    plan = actions.create_plan(world.admin, ves["local"], {"title": "Plan"})
    for i in range(5):
        actions.add_objective(world.admin, plan, {"title": f"Objectif {i + 1}"})
    client.force_login(world.coordinator)
    page = client.get(plan.get_absolute_url())
    assert not page.context["too_many_objectives"]
    assert 'id="few-objectives"' not in page.content.decode()
    actions.add_objective(world.admin, plan, {"title": "Objectif 6"})
    page = client.get(plan.get_absolute_url())
    assert page.context["too_many_objectives"]
    html = page.content.decode()
    assert 'id="few-objectives"' in html and 'role="note"' in html
    assert plan.objectives.count() == 6  # advice, not a refusal


def test_objectives_are_numbered_in_order(world, ves):
    plan = actions.create_plan(world.admin, ves["local"], {"title": "Plan"})
    first = actions.add_objective(world.admin, plan, {"title": "A"})
    second = actions.add_objective(world.admin, plan, {"title": "B"})
    assert (first.order, second.order) == (1, 2)


# Progress --------------------------------------------------------------------------------------------------


def test_plan_progress_counts_actions_by_status_flags_overdue_and_measures_indicators(world, ves):
    plan = actions.create_plan(world.admin, ves["local"], {"title": "Plan"})
    one = actions.add_objective(world.admin, plan, {"title": "Un"})
    two = actions.add_objective(world.admin, plan, {"title": "Deux"})
    today = D(2025, 6, 1)
    specs = [
        ("Faite", "done", D(2025, 1, 1)),
        ("Faite aussi", "done", None),
        ("En retard", "in_progress", D(2025, 5, 1)),
        ("Pas commencée, échue", "not_started", D(2025, 3, 1)),
        ("À venir", "not_started", D(2025, 9, 1)),
        ("Annulée", "cancelled", D(2025, 1, 1)),
    ]
    for i, (title, status, deadline) in enumerate(specs):
        actions.add_action(world.admin, one if i % 2 else two, {"title": title, "status": status, "deadline": deadline})
    actions.add_indicator(world.admin, one, {"name": "Atteint", "target": 10, "measured": 12})
    actions.add_indicator(world.admin, one, {"name": "À moitié", "target": 200, "measured": 100})
    actions.add_indicator(world.admin, two, {"name": "Pas mesuré", "target": 5})
    progress = analytics.plan_progress(plan, today)
    counts = {row["status"]: row["count"] for row in progress["by_status"]}
    assert counts == {"not_started": 2, "in_progress": 1, "done": 2, "late": 0, "cancelled": 1}
    assert progress["actions"] == 6
    assert progress["done_share"] == 40  # 2 done of 5 not cancelled
    assert [a.title for a in progress["overdue"]] == ["Pas commencée, échue", "En retard"]
    by_name = {row["indicator"].name: row for row in progress["indicators"]}
    assert by_name["Atteint"]["progress"] == 100 and by_name["Atteint"]["reached"]
    assert by_name["À moitié"]["progress"] == 50 and not by_name["À moitié"]["reached"]
    assert by_name["Pas mesuré"]["progress"] is None
    assert (progress["indicators_reached"], progress["indicators_measured"]) == (1, 2)


def test_progress_page_flags_overdue_actions(client, world, ves, plan):
    client.force_login(world.rep_a)
    response = client.get(reverse("concertation:plan_progress", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert [a.title for a in response.context["progress"]["overdue"]] == ["Appels d'amitié"]
    assert "badge warn" in html and "<svg" in html and "<progress" in html
    assert response.context["progress"]["overdue"][0].days_late == (timezone.localdate() - D(2024, 6, 30)).days


def test_empty_plan_progress_page(client, world, ves):
    plan = actions.create_plan(world.admin, ves["local"], {"title": "Vide"})
    client.force_login(world.coordinator)
    response = client.get(reverse("concertation:plan_progress", args=[plan.pk]))
    assert response.status_code == 200
    assert response.context["progress"]["done_share"] is None


# Permissions ----------------------------------------------------------------------------------------------


def read_urls(plan, demarche) -> list[str]:
    return [
        reverse("concertation:plan_detail", args=[plan.pk]),
        reverse("concertation:plan_progress", args=[plan.pk]),
        reverse("concertation:plan_history", args=[plan.pk]),
        reverse("concertation:demarche_detail", args=[demarche.pk]),
        reverse("concertation:demarche_history", args=[demarche.pk]),
    ]


def write_urls(plan, demarche, stage) -> list[str]:
    objective = plan.objectives.get()
    action, indicator = objective.actions.get(), objective.indicators.get()
    instance = plan.instance
    return [
        reverse("concertation:demarche_create", args=[instance.pk]),
        reverse("concertation:demarche_edit", args=[demarche.pk]),
        reverse("concertation:demarche_delete", args=[demarche.pk]),
        reverse("concertation:stage_edit", args=[stage.pk]),
        reverse("concertation:plan_create", args=[instance.pk]),
        reverse("concertation:plan_edit", args=[plan.pk]),
        reverse("concertation:plan_delete", args=[plan.pk]),
        reverse("concertation:objective_create", args=[plan.pk]),
        reverse("concertation:objective_edit", args=[objective.pk]),
        reverse("concertation:objective_delete", args=[objective.pk]),
        reverse("concertation:action_create", args=[objective.pk]),
        reverse("concertation:action_edit", args=[action.pk]),
        reverse("concertation:action_delete", args=[action.pk]),
        reverse("concertation:indicator_create", args=[objective.pk]),
        reverse("concertation:indicator_edit", args=[indicator.pk]),
        reverse("concertation:indicator_delete", args=[indicator.pk]),
    ]


def snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Demarche, DemarcheStage, ActionPlan, Objective, Action, Indicator)
    ]


# user -> (status when reading, status when writing)
MATRIX = {
    "admin": (200, 200),
    "coordinator": (200, 200),
    "analyst": (200, 403),  # reads the RLS's instances, runs none
    "rep_a": (200, 403),  # org A is a member of the private local committee
    "rep_b": (404, 404),  # org B sits on another instance: the private committee stays hidden
    "other_coordinator": (404, 404),
    "nobody": (404, 404),
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items())
def test_role_matrix_on_plans_and_demarches(client, world, ves, plan, who, expected):
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche"})
    stage = demarche.stages.first()
    client.force_login(getattr(world, who))
    read, write = expected
    for url in read_urls(plan, demarche):
        assert client.get(url).status_code == read, url
    before = snapshot()
    for url in write_urls(plan, demarche, stage):
        assert client.get(url).status_code == write, url
        if write != 200:
            assert client.post(url, {"title": "Piraté", "name": "Piraté", "status": "done"}).status_code == write, url
    assert snapshot() == before
    if read == 200:
        page = client.get(reverse("concertation:plan_detail", args=[plan.pk])).content.decode()
        assert (reverse("concertation:objective_create", args=[plan.pk]) in page) == (write == 200)


def test_instance_page_lists_plans_with_create_buttons_for_coordinators_only(client, world, ves, plan):
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche du comité"})
    create_plan = reverse("concertation:plan_create", args=[ves["local"].pk])
    client.force_login(world.coordinator)
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in page and demarche.get_absolute_url() in page
    assert create_plan in page and reverse("concertation:demarche_create", args=[ves["local"].pk]) in page
    client.force_login(world.rep_a)
    page = client.get(ves["local"].get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in page
    assert create_plan not in page


def test_plan_of_a_public_instance_is_readable_by_the_rls_representatives(client, world, ves):
    ves["assembly"].is_public = True
    ves["assembly"].save()
    plan = actions.create_plan(world.admin, ves["assembly"], {"title": "Plan public"})
    client.force_login(world.rep_b)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(reverse("concertation:plan_edit", args=[plan.pk])).status_code == 403


# Query counts ---------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_plan_pages_query_counts_do_not_grow_with_objectives_and_actions(client, world, ves, plan):
    client.force_login(world.coordinator)
    demarche = actions.start_demarche(world.admin, ves["local"], {"title": "Démarche"})
    urls = [
        plan.get_absolute_url(),
        reverse("concertation:plan_progress", args=[plan.pk]),
        demarche.get_absolute_url(),
        ves["local"].get_absolute_url(),
    ]
    before = [count_queries(client, url) for url in urls]
    for i in range(6):
        objective = actions.add_objective(world.admin, plan, {"title": f"Objectif {i}"})
        for j in range(3):
            actions.add_action(
                world.admin, objective,
                {"title": f"Action {i}.{j}", "lead": world.org_a, "contributors": [world.org_b],
                 "deadline": D(2024, 1, 1 + j), "status": "in_progress"},
            )  # fmt: skip
        actions.add_indicator(world.admin, objective, {"name": f"Indicateur {i}", "target": 10, "measured": i})
    actions.create_plan(world.admin, ves["local"], {"title": "Un autre plan", "demarche": demarche})
    after = [count_queries(client, url) for url in urls]
    assert after == before
