"""/api/v1/agreements: the same rules as the pages, answered in JSON."""

import datetime

import pytest
from django.utils import translation

from agreements.models import Agreement
from tests.agreements.conftest import TEXTS, draft, ready_to_sign

API = "/api/v1/agreements/"


@pytest.fixture
def api(client, world):
    client.force_login(world.coordinator)
    return client


def test_list_and_detail_have_the_stable_fields(api, world):
    agreement = draft(world)
    body = api.get(API).json()
    assert body["count"] == 1 and set(body) == {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert {"id", "title", "kind", "status", "parties", "start_date", "end_date", "sections", "amounts",
            "joint_committee"} <= set(row)  # fmt: skip
    assert row["kind"] == "service" and row["status"] == "draft"
    assert row["sections"]["obligations"] == "" and "obligations" in row["missing_sections"]
    assert [p["organization"] for p in row["parties"]] == [world.org_a.pk, world.org_b.pk]
    assert api.get(f"{API}{agreement.pk}/").json()["id"] == agreement.pk


@pytest.mark.parametrize(("role", "count"), [("rep_a", 1), ("rep_b", 1), ("analyst", 0), ("other_coordinator", 0)])
def test_each_role_lists_what_it_may_see(client, world, role, count):
    draft(world)
    client.force_login(getattr(world, role))
    assert client.get(API).json()["count"] == count


def test_anonymous_gets_nothing(client, world):
    draft(world)
    assert client.get(API).status_code in (401, 403)


def test_create_refuses_a_single_party_in_the_callers_language(api, world):
    payload = {"title": "Seule", "kind": "service", "rls": world.rls.pk, "organizations": [world.org_a.pk]}
    response = api.post(API, payload, content_type="application/json")
    assert response.status_code == 400
    with translation.override("fr"):
        assert response.json()["organizations"] == [translation.gettext("An agreement needs at least two parties.")]
    world.coordinator.language = "en"  # a user's saved language decides
    world.coordinator.save(update_fields=["language"])
    english = api.post(API, payload, content_type="application/json")
    assert english.json()["organizations"] == ["An agreement needs at least two parties."]
    assert not Agreement.objects.exists()


def test_create_refuses_an_end_before_the_start(api, world):
    parties = [world.org_a.pk, world.org_b.pk]
    payload = {"title": "Dates", "kind": "service", "rls": world.rls.pk, "organizations": parties,
               "start_date": "2026-01-01", "end_date": "2025-01-01"}  # fmt: skip
    response = api.post(API, payload, content_type="application/json")
    assert response.status_code == 400 and "end_date" in response.json()
    assert not Agreement.objects.exists()


def test_a_representative_cannot_draft_for_others(client, world):
    from tests.factories import OrganizationFactory

    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    client.force_login(world.rep_b)
    payload = {
        "title": "Pour A",
        "kind": "service",
        "rls": world.rls.pk,
        "organizations": [world.org_a.pk, third.pk],
    }
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 400
    with translation.override("fr"):
        assert response.json()["organizations"] == [
            translation.gettext("Your organisation must be one of the parties.")
        ]
    assert not Agreement.objects.exists()


def test_transition_answers_409_with_the_missing_sections(api, world):
    agreement = ready_to_sign(world)
    api.patch(f"{API}{agreement.pk}/sections/", {"sections": {"obligations": "", "complaints": "x"}},
              content_type="application/json")  # fmt: skip
    response = api.post(f"{API}{agreement.pk}/transition/", {"to": "signed"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["missing_sections"] == ["obligations"]
    api.patch(f"{API}{agreement.pk}/sections/", {"sections": {"obligations": "Les obligations."}},
              content_type="application/json")  # fmt: skip
    response = api.post(f"{API}{agreement.pk}/transition/", {"to": "signed"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    assert (
        api.post(f"{API}{agreement.pk}/transition/", {"to": "draft"}, content_type="application/json").status_code
        == 409
    )


def test_signed_text_changes_only_through_an_amendment(api, world):
    agreement = ready_to_sign(world)
    api.post(f"{API}{agreement.pk}/transition/", {"to": "signed"}, content_type="application/json")
    edit = api.patch(
        f"{API}{agreement.pk}/sections/", {"sections": {"obligations": "Autre"}}, content_type="application/json"
    )
    assert edit.status_code == 409
    response = api.post(
        f"{API}{agreement.pk}/amendments/",
        {"note": "Samedi", "sections": {"clientele_offer": "Aussi le samedi."}}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["number"] == 2
    versions = api.get(f"{API}{agreement.pk}/versions/").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["content"]["sections"]["clientele_offer"] == TEXTS["clientele_offer"]


def test_negotiation_log_and_reports(api, world):
    agreement = ready_to_sign(world)
    party_a, party_b = agreement.parties.order_by("pk")
    issue = {"subject": "Accueil des personnes", "compromise": "Chacun son rôle.",
             "positions": [{"party": party_a.pk, "initial_position": "Notre accueil", "concession": "Un formulaire"},
                           {"party": party_b.pk, "initial_position": "Formulaire", "concession": "Oui"}]}  # fmt: skip
    logged = api.post(f"{API}{agreement.pk}/negotiation/", issue, content_type="application/json")
    assert logged.status_code == 201
    assert logged.json()["compromise"] == "Chacun son rôle." and len(logged.json()["positions"]) == 2
    log = api.get(f"{API}{agreement.pk}/negotiation/").json()
    assert [row["id"] for row in log] == [logged.json()["id"]] and len(log[0]["positions"]) == 2
    stranger = {**issue, "positions": [{"party": 999999, "initial_position": "?"}]}
    assert api.post(f"{API}{agreement.pk}/negotiation/", stranger, content_type="application/json").status_code == 400
    report = api.post(f"{API}{agreement.pk}/reports/", {"title": "Bilan", "due_on": "2025-06-30"},
                      content_type="application/json")  # fmt: skip
    assert report.status_code == 201 and report.json()["is_late"] is True
    assert [r["id"] for r in api.get(f"{API}{agreement.pk}/reports/").json()] == [report.json()["id"]]
    submitted = api.post(f"{API}{agreement.pk}/reports/{report.json()['id']}/submit/", {"submitted_on": "2025-06-15"})
    assert submitted.json()["submitted_on"] == "2025-06-15" and submitted.json()["is_late"] is False
    again = api.post(f"{API}{agreement.pk}/reports/{report.json()['id']}/submit/", {"submitted_on": "2025-06-16"})
    assert again.status_code == 409


def test_documents_and_filters(api, world):
    agreement = ready_to_sign(world)
    assert api.get(f"{API}{agreement.pk}/document/pdf/").content.startswith(b"%PDF-")
    assert api.get(f"{API}{agreement.pk}/document/docx/").content.startswith(b"PK")
    assert api.get(f"{API}?status=negotiation").json()["count"] == 1
    assert api.get(f"{API}?status=in_force").json()["count"] == 0
    expiring = datetime.date.today() + datetime.timedelta(days=10)
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force", end_date=expiring)
    assert api.get(f"{API}?expiring=30").json()["count"] == 1


def test_bearer_token(client, world):
    from core.models import ApiToken

    draft(world)
    _, key = ApiToken.issue(world.rep_a, "test")
    assert client.get(API, headers={"Authorization": f"Bearer {key}"}).json()["count"] == 1


def test_the_list_answers_in_constant_queries(api, world, django_assert_max_num_queries):
    """The kinds' rules are read once per response, not once per agreement."""
    for _ in range(2):
        draft(world)
    with django_assert_max_num_queries(12) as small:
        api.get(API)
    for _ in range(8):
        draft(world, kind="collaboration")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(API).json()["count"] == 10


def test_links_only_instances_the_user_can_see(client, world):
    from concertation.actions import instances

    hidden = instances.create_instance(
        world.admin, {"name": "Comité des Collines", "kind": "joint_committee", "basis": "thematic", "level": "local",
               "rls": world.other_rls},
    )  # fmt: skip
    client.force_login(world.rep_a)
    parties = [world.org_a.pk, world.org_b.pk]
    payload = {"title": "Liée", "kind": "service", "rls": world.rls.pk, "organizations": parties,
               "instances": [hidden.pk]}  # fmt: skip
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 400 and "instances" in response.json()
    assert not Agreement.objects.exists()
