"""/api/v1/action-plans, /api/v1/demarches, participation and concertation-load endpoints."""

import datetime

import pytest
from rest_framework.test import APIClient

from concertation.actions import instances as instance_actions
from concertation.models import ActionPlan
from core.models import ApiToken

pytestmark = pytest.mark.django_db


def api(user, language="fr") -> APIClient:
    _, key = ApiToken.issue(user, "test")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_participation_counts_member_organisations_per_year(world, ves):
    instance_actions.add_membership(
        world.admin, ves["local"], {"organization": world.org_b, "start_date": datetime.date(2021, 3, 1),
                             "end_date": datetime.date(2022, 6, 30)},
    )  # fmt: skip
    body = api(world.coordinator).get(f"/api/v1/instances/{ves['local'].pk}/participation").json()
    years = {row["year"]: row["organizations"] for row in body["years"]}
    assert years[2020] == 1 and years[2021] == 2 and years[2022] == 2 and years[2023] == 1
    assert api(world.other_coordinator).get(f"/api/v1/instances/{ves['local'].pk}/participation").status_code == 404


def test_concertation_load_is_scoped_and_validated(world, ves):
    ok = api(world.coordinator).get(f"/api/v1/analytics/concertation-load?territory={world.rls.pk}&year=2024")
    assert ok.status_code == 200, ok.json()
    body = ok.json()
    assert {"organizations", "people", "concentration", "totals"} <= set(body)
    refused = api(world.other_coordinator).get(
        f"/api/v1/analytics/concertation-load?territory={world.rls.pk}&year=2024"
    )
    assert refused.status_code == 400 and "territory" in refused.json()
    missing = api(world.coordinator, "en").get("/api/v1/analytics/concertation-load?territory=&year=")
    assert missing.status_code == 400 and {"territory", "year"} <= set(missing.json())


def test_action_plan_through_the_api(world, ves):
    client = api(world.coordinator)
    created = client.post(
        "/api/v1/action-plans/",
        {
            "instance": ves["local"].pk,
            "title": "Plan d'action 2025",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/action-plans/{created.json()['id']}/"
    plan = client.post(url + "objectives/", {"title": "Briser l'isolement"}, format="json").json()
    objective = plan["objectives"][0]["id"]
    action = {"title": "Visites d'amitié", "lead": world.org_a.pk, "deadline": "2025-06-30", "status": "in_progress"}
    assert client.post(f"{url}objectives/{objective}/actions/", action, format="json").status_code == 200
    indicator = {"name": "Aînés visités", "unit": "personnes", "target": "100", "measured": "40"}
    body = client.post(f"{url}objectives/{objective}/indicators/", indicator, format="json").json()
    assert body["objectives"][0]["indicators"][0]["progress"] == 40
    progress = client.get(url + "progress/").json()
    assert progress["actions"] == 1


def test_plan_dates_and_permissions(world, ves):
    payload = {"instance": ves["local"].pk, "title": "X", "start_date": "2025-05-01", "end_date": "2025-01-01"}
    response = api(world.coordinator).post("/api/v1/action-plans/", payload, format="json")
    assert response.status_code == 400 and "end_date" in response.json()
    member = api(world.rep_a).post("/api/v1/action-plans/", {**payload, "end_date": None}, format="json")
    assert member.status_code == 403
    assert not ActionPlan.objects.exists()
