"""/api/v1 instruments, campaigns and answers: the same actions as the pages, answered in JSON; a campaign shows
counts, never who was invited or who answered; a personal link answers without an account."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from concertation.models import Decision, Instance, Meeting
from evaluation import links
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Response
from registry.models import RoleAssignment
from tests.evaluation.conftest import ABC, items
from tests.factories import UserFactory, grant

INSTRUMENTS = "/api/v1/instruments/"
CAMPAIGNS = "/api/v1/campaigns/"
RESPONSES = "/api/v1/responses/"
JSON = "application/json"
TODAY = timezone.localdate()


@pytest.fixture
def api(client, world):
    client.force_login(world.coordinator)
    return client


@pytest.fixture
def other(db) -> Client:
    """A second signed-in client: `client` is the coordinator's (the `api` fixture)."""
    return Client()


@pytest.fixture
def public():
    """No account and no CSRF cookie, as a respondent's browser or script sends it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def shipped(db) -> Instrument:
    """One of the instruments shipped with Maillage (a data migration): no RLS, read by everyone with a role."""
    return Instrument.objects.filter(rls__isnull=True).order_by("pk").first()


def launch_body(instrument, assembly, **extra) -> dict:
    return {
        "instrument": instrument.pk,
        "instances": [assembly.instance.pk],
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=21)).isoformat(),
        **extra,
    }


def launch(client, instrument, assembly, **extra) -> dict:
    response = client.post(CAMPAIGNS, launch_body(instrument, assembly, **extra), content_type=JSON)
    assert response.status_code == 201, response.content
    return response.json()


def tokens(campaign_id: int) -> list[str]:
    return [links.token_for(i) for i in Invitation.objects.filter(campaign_id=campaign_id).order_by("pk")]


def answer(client, token: str, answers: dict):
    return client.post(RESPONSES, {"token": token, "answers": answers}, content_type=JSON)


def good_answers(instrument) -> dict:
    found = items(instrument)
    return {str(found["ecoute"].pk): "4", str(found["egalite"].pk): "B", str(found["commentaire"].pk): "Bien."}


def member_representative(assembly):
    organization = assembly.members[0][0]
    return grant(UserFactory(username="rep_member"), RoleAssignment.Role.REPRESENTATIVE, organization=organization)


def decision_of(instance: Instance) -> Decision:
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        instance=instance, title="Assemblée", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    return Decision.objects.create(meeting=meeting, text="Les résultats sont diffusés.", mode="consensus")


# Instruments ----------------------------------------------------------------------------------------------


def test_instruments_list_filters_shipped_and_refuses_a_bad_value(api, instrument):
    all_shipped = set(Instrument.objects.filter(rls__isnull=True).values_list("pk", flat=True))
    assert all_shipped and {row["id"] for row in api.get(INSTRUMENTS).json()["results"]} == {
        instrument.pk,
        *all_shipped,
    }
    only_shipped = api.get(INSTRUMENTS, {"shipped": "true"}).json()["results"]
    assert {row["id"] for row in only_shipped} == all_shipped and all(row["is_shipped"] for row in only_shipped)
    assert [row["id"] for row in api.get(INSTRUMENTS, {"shipped": "false"}).json()["results"]] == [instrument.pk]
    refused = api.get(INSTRUMENTS, {"shipped": "maybe"})
    assert refused.status_code == 400 and "shipped" in refused.json()


def test_another_rls_does_not_see_the_copy(client, world, instrument, shipped):
    client.force_login(world.other_coordinator)
    seen = {row["id"] for row in client.get(INSTRUMENTS).json()["results"]}
    assert shipped.pk in seen and instrument.pk not in seen
    assert client.get(f"{INSTRUMENTS}{instrument.pk}/").status_code == 404


def test_instrument_detail_has_sections_and_items_in_both_languages(api, instrument):
    body = api.get(f"{INSTRUMENTS}{instrument.pk}/").json()
    assert [s["code"] for s in body["sections"]] == ["climat", "pouvoir"]
    heard = body["sections"][0]["items"][0]
    assert heard["text_fr"] == "Je me sens écoutée ou écouté" and heard["text_en"] == "I feel heard"
    assert heard["scale"] == "likert" and heard["required"] is True and heard["position"] == 1
    assert heard["code"] == "ecoute" and heard["polarity"] == ""
    power = body["sections"][1]["items"][0]
    assert power["options"] == ABC
    assert body["strength_min"] == "4.0" and body["concern_below"] == "3.0"


def test_update_instrument_thresholds(api, instrument):
    payload = {"title_en": "Trial run", "strength_min": "4.5", "concern_below": "2.5"}
    response = api.patch(f"{INSTRUMENTS}{instrument.pk}/", payload, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["title_en"] == "Trial run" and response.json()["strength_min"] == "4.5"
    instrument.refresh_from_db()
    assert str(instrument.concern_below) == "2.5"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"strength_min": "7"}, "strength_min"),
        ({"concern_below": "0.5"}, "concern_below"),
        ({"strength_min": "3.5", "concern_below": "4.0"}, "concern_below"),
    ],
)
def test_thresholds_out_of_range_or_out_of_order_are_refused(api, instrument, payload, field):
    response = api.patch(f"{INSTRUMENTS}{instrument.pk}/", {**payload, "title_fr": "Changé"}, content_type=JSON)
    assert response.status_code == 400 and field in response.json()
    instrument.refresh_from_db()
    assert instrument.title_fr == "Essai" and str(instrument.strength_min) == "4.0"


def test_a_shipped_instrument_is_read_only(api, shipped):
    title = shipped.title_fr
    response = api.patch(f"{INSTRUMENTS}{shipped.pk}/", {"title_fr": "Autre"}, content_type=JSON)
    assert response.status_code == 403
    shipped.refresh_from_db()
    assert shipped.title_fr == title


def test_copy_an_instrument_into_the_rls(api, world, shipped):
    response = api.post(
        f"{INSTRUMENTS}{shipped.pk}/copy/", {"rls": world.rls.pk, "title_fr": "Notre"}, content_type=JSON
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != shipped.pk and body["title_fr"] == "Notre" and body["rls"] == world.rls.pk
    assert body["copied_from"] == shipped.pk and body["is_shipped"] is False
    source = Item.objects.filter(section__instrument=shipped).order_by("section__position", "position", "pk")
    assert [i["text_fr"] for s in body["sections"] for i in s["items"]] == [i.text_fr for i in source]


def test_copy_refuses_an_rls_the_user_does_not_coordinate(api, world, shipped):
    response = api.post(f"{INSTRUMENTS}{shipped.pk}/copy/", {"rls": world.other_rls.pk}, content_type=JSON)
    assert response.status_code == 400 and "rls" in response.json()
    assert not Instrument.objects.filter(copied_from=shipped).exists()


def test_a_representative_cannot_copy(client, world, shipped):
    client.force_login(world.rep_a)
    response = client.post(f"{INSTRUMENTS}{shipped.pk}/copy/", {"rls": world.rls.pk}, content_type=JSON)
    assert response.status_code == 403
    assert not Instrument.objects.filter(copied_from=shipped).exists()


def test_add_change_and_remove_an_item(api, instrument):
    section = instrument.sections.get(code="pouvoir")
    payload = {"section": section.pk, "text_fr": "Qui décide ?", "text_en": "Who decides?", "scale": "choice",
               "options": [{"value": "x", "fr": "Nous"}, {"value": "y", "fr": "Eux"}], "polarity": "benefit",
               "required": True, "position": 9}  # fmt: skip
    created = api.post(f"{INSTRUMENTS}{instrument.pk}/items/", payload, content_type=JSON)
    assert created.status_code == 201
    item = Item.objects.get(pk=created.json()["id"])
    assert item.section == section and item.options[1] == {"value": "y", "fr": "Eux"} and item.required
    url = f"{INSTRUMENTS}{instrument.pk}/items/{item.pk}/"
    changed = api.patch(url, {"text_en": "Who chooses?", "required": False}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["text_en"] == "Who chooses?"
    assert changed.json()["section"] == section.pk and changed.json()["text_fr"] == "Qui décide ?"
    assert api.delete(url).status_code == 204
    assert not Item.objects.filter(pk=item.pk).exists()


def test_add_item_refuses_a_section_of_another_instrument(api, instrument, shipped):
    other = shipped.sections.order_by("pk").first()
    before = other.items.count()
    payload = {"section": other.pk, "text_fr": "Ailleurs", "scale": "likert"}
    response = api.post(f"{INSTRUMENTS}{instrument.pk}/items/", payload, content_type=JSON)
    missing = api.post(f"{INSTRUMENTS}{instrument.pk}/items/", {**payload, "section": 999999}, content_type=JSON)
    assert response.status_code == missing.status_code == 400
    assert response.json()["section"] == [m.replace("999999", str(other.pk)) for m in missing.json()["section"]]
    assert other.items.count() == before and Item.objects.filter(text_fr="Ailleurs").count() == 0


def test_add_item_refuses_bad_options(api, instrument):
    section = instrument.sections.get(code="pouvoir")
    payload = {"section": section.pk, "text_fr": "Un seul choix", "scale": "choice", "options": [{"value": "x"}]}
    response = api.post(f"{INSTRUMENTS}{instrument.pk}/items/", payload, content_type=JSON)
    assert response.status_code == 400 and "options" in response.json()
    assert not Item.objects.filter(text_fr="Un seul choix").exists()


def test_an_item_of_another_instrument_is_not_found_here(api, instrument, shipped):
    other = Item.objects.filter(section__instrument=shipped).first()
    assert api.delete(f"{INSTRUMENTS}{instrument.pk}/items/{other.pk}/").status_code == 404
    assert Item.objects.filter(pk=other.pk).exists()


def test_items_are_not_edited_once_answered(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    assert answer(public, tokens(campaign["id"])[0], good_answers(instrument)).status_code == 201
    item = items(instrument)["gain"]
    response = api.patch(f"{INSTRUMENTS}{instrument.pk}/items/{item.pk}/", {"text_fr": "Autre"}, content_type=JSON)
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.text_fr == "Mon organisme y gagne"


# Campaigns ------------------------------------------------------------------------------------------------


def test_launch_a_campaign_shows_counts_and_never_the_invitations(api, instrument, assembly):
    body = launch(api, instrument, assembly)
    assert body["title"] == f"Essai {TODAY.year}"
    assert body["instrument"] == instrument.pk and body["instances"] == [assembly.instance.pk]
    assert (body["invited"], body["answered"], body["response_rate"]) == (8, 0, 0.0)
    assert body["is_open"] is True and body["is_closed"] is False and body["release_decision"] is None
    assert (body["mode"], body["privacy"], body["min_group_size"]) == ("individual", "anonymous", 5)
    assert set(body) == {
        "id", "title", "instrument", "rls", "instances", "opens_on", "closes_on", "closed_at", "mode", "privacy",
        "min_group_size", "invited", "answered", "response_rate", "is_open", "is_closed", "release_decision",
    }  # fmt: skip
    assert Invitation.objects.filter(campaign_id=body["id"]).count() == 8


def test_campaign_detail_counts_the_answers(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly, title="Bilan", min_group_size=3, privacy="confidential")
    for token in tokens(campaign["id"])[:2]:
        assert answer(public, token, good_answers(instrument)).status_code == 201
    body = api.get(f"{CAMPAIGNS}{campaign['id']}/").json()
    assert (body["title"], body["privacy"], body["min_group_size"]) == ("Bilan", "confidential", 3)
    assert (body["invited"], body["answered"], body["response_rate"]) == (8, 2, 0.25)


def test_launch_refuses_a_closing_before_the_opening(api, instrument, assembly):
    body = launch_body(instrument, assembly, closes_on=(TODAY - datetime.timedelta(days=1)).isoformat())
    response = api.post(CAMPAIGNS, body, content_type=JSON)
    assert response.status_code == 400 and "closes_on" in response.json()
    assert not Campaign.objects.exists() and not Invitation.objects.exists()


def test_launch_refuses_a_group_of_two(api, instrument, assembly):
    response = api.post(CAMPAIGNS, launch_body(instrument, assembly, min_group_size=2), content_type=JSON)
    assert response.status_code == 400 and "min_group_size" in response.json()
    assert not Campaign.objects.exists()


def test_launch_needs_instrument_instances_and_dates(api):
    response = api.post(CAMPAIGNS, {}, content_type=JSON)
    assert response.status_code == 400
    assert {"instrument", "instances", "opens_on", "closes_on"} <= set(response.json())


def test_another_coordinator_cannot_use_the_instance_nor_see_the_campaign(api, other, world, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    other.force_login(world.other_coordinator)
    shipped = Instrument.objects.create(code="commun", title_fr="Commun")
    hidden = other.post(CAMPAIGNS, launch_body(shipped, assembly), content_type=JSON)
    unknown = other.post(CAMPAIGNS, launch_body(shipped, assembly, instances=[999999]), content_type=JSON)
    assert hidden.status_code == unknown.status_code == 400
    pk = str(assembly.instance.pk)
    assert hidden.json()["instances"] == [m.replace("999999", pk) for m in unknown.json()["instances"]]
    assert Campaign.objects.count() == 1
    for url in (f"{CAMPAIGNS}{campaign['id']}/", f"{CAMPAIGNS}{campaign['id']}/results/"):
        assert other.get(url).status_code == 404
    assert other.post(f"{CAMPAIGNS}{campaign['id']}/close/").status_code == 404
    assert other.get(CAMPAIGNS).json()["count"] == 0


def test_a_member_representative_sees_the_campaign_but_does_not_run_it(api, other, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    other.force_login(member_representative(assembly))
    assert other.get(f"{CAMPAIGNS}{campaign['id']}/").status_code == 200
    assert other.get(f"{CAMPAIGNS}{campaign['id']}/results/").status_code == 200
    assert other.post(f"{CAMPAIGNS}{campaign['id']}/close/").status_code == 403
    assert other.post(f"{CAMPAIGNS}{campaign['id']}/remind/").status_code == 403
    patched = other.patch(f"{CAMPAIGNS}{campaign['id']}/", {"title": "Pris"}, content_type=JSON)
    assert patched.status_code == 403
    assert Campaign.objects.filter(closed_at__isnull=True, title=campaign["title"]).count() == 1
    assert other.post(CAMPAIGNS, launch_body(instrument, assembly), content_type=JSON).status_code == 403


def test_the_analyst_sees_the_campaign_once_the_members_release_it(api, other, world, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    url = f"{CAMPAIGNS}{campaign['id']}/"
    other.force_login(world.analyst)
    assert other.get(url).status_code == 404 and other.get(f"{url}results/").status_code == 404
    decision = decision_of(assembly.instance)
    released = api.post(f"{url}release/", {"decision": decision.pk}, content_type=JSON)
    assert released.status_code == 200 and released.json()["release_decision"] == decision.pk
    assert other.get(url).status_code == 200 and other.get(f"{url}results/").status_code == 200


def test_release_refuses_a_decision_of_another_instance(api, world, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    elsewhere = Instance.objects.create(name="Table", kind=Instance.Kind.ASSEMBLY, rls=world.rls, level="local")
    response = api.post(f"{CAMPAIGNS}{campaign['id']}/release/", {"decision": decision_of(elsewhere).pk},
                        content_type=JSON)  # fmt: skip
    assert response.status_code == 400 and "decision" in response.json()
    assert Campaign.objects.get().release_decision is None


def test_list_filters_and_refuses_bad_values(api, instrument, assembly):
    current = launch(api, instrument, assembly, title="En cours")
    later = launch(
        api, instrument, assembly, title="Plus tard", opens_on=(TODAY + datetime.timedelta(days=5)).isoformat()
    )
    ended = launch(api, instrument, assembly, title="Finie")
    api.post(f"{CAMPAIGNS}{ended['id']}/close/")

    def ids(**params) -> set[int]:
        response = api.get(CAMPAIGNS, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {current["id"], later["id"], ended["id"]}
    assert ids(status="open") == {current["id"]}
    assert ids(status="upcoming") == {later["id"]}
    assert ids(status="closed") == {ended["id"]}
    assert ids(instance=assembly.instance.pk, instrument=instrument.pk) == ids()
    assert ids(instance=999999) == set()
    for params in ({"status": "finished"}, {"instance": "abc"}, {"instrument": "-1"}, {"instance": 2**70}):
        response = api.get(CAMPAIGNS, params)
        assert response.status_code == 400 and set(params) <= set(response.json())


def test_change_a_campaign_but_not_its_mode(api, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    url = f"{CAMPAIGNS}{campaign['id']}/"
    closes = (TODAY + datetime.timedelta(days=30)).isoformat()
    response = api.patch(url, {"title": "Renommée", "closes_on": closes, "min_group_size": 6}, content_type=JSON)
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["closes_on"], response.json()["min_group_size"]) == (
        "Renommée", closes, 6,
    )  # fmt: skip
    assert api.patch(url, {"mode": "group"}, content_type=JSON).status_code == 409
    assert api.patch(url, {"min_group_size": 2}, content_type=JSON).status_code == 400
    assert Campaign.objects.get().mode == "individual" and Campaign.objects.get().min_group_size == 6


def test_close_then_close_again(api, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    closed = api.post(f"{CAMPAIGNS}{campaign['id']}/close/")
    assert closed.status_code == 200 and closed.json()["is_closed"] is True and closed.json()["is_open"] is False
    assert api.post(f"{CAMPAIGNS}{campaign['id']}/close/").status_code == 409


def test_remind_counts_those_who_have_not_answered(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    answer(public, tokens(campaign["id"])[0], good_answers(instrument))
    response = api.post(f"{CAMPAIGNS}{campaign['id']}/remind/")
    assert response.status_code == 200 and response.json() == {"reminded": 7}
    api.post(f"{CAMPAIGNS}{campaign['id']}/close/")
    assert api.post(f"{CAMPAIGNS}{campaign['id']}/remind/").status_code == 409


def test_record_the_group_answer(api, instrument, assembly):
    campaign = launch(api, instrument, assembly, mode="group")
    found = items(instrument)
    body = {"answers": {str(found["ecoute"].pk): "3", str(found["egalite"].pk): "A"},
            "notes": {str(found["ecoute"].pk): "Partagé"}, "summary": "Bonne discussion."}  # fmt: skip
    response = api.post(f"{CAMPAIGNS}{campaign['id']}/group-answer/", body, content_type=JSON)
    assert response.status_code == 201 and response.json() == {"recorded": 2}
    group = Response.objects.get(campaign_id=campaign["id"], is_group=True)
    assert group.answers.get(item=found["ecoute"]).note == "Partagé"
    assert Campaign.objects.get().group_notes == "Bonne discussion."


def test_group_answer_is_refused_for_individual_campaigns_and_bad_values(api, instrument, assembly):
    individual = launch(api, instrument, assembly)
    heard = str(items(instrument)["ecoute"].pk)
    refused = api.post(f"{CAMPAIGNS}{individual['id']}/group-answer/", {"answers": {heard: "3"}}, content_type=JSON)
    assert refused.status_code == 409
    group = launch(api, instrument, assembly, mode="group")
    bad = api.post(f"{CAMPAIGNS}{group['id']}/group-answer/", {"answers": {heard: "9"}}, content_type=JSON)
    assert bad.status_code == 400 and f"item_{heard}" in bad.json()
    assert not Response.objects.exists()


# Answering through a personal link ------------------------------------------------------------------------


def test_answer_through_a_personal_link_says_nothing_else(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    response = answer(public, tokens(campaign["id"])[0], good_answers(instrument))
    assert response.status_code == 201 and response.json() == {"received": True}
    stored = Response.objects.get()
    assert stored.invitation is None and stored.sector == "community"
    assert {a.value or a.text for a in stored.answers.all()} == {"4", "B", "Bien."}
    assert Invitation.objects.filter(used=True).count() == 1


def test_an_unknown_item_is_refused_and_nothing_is_written(api, public, instrument, assembly, shipped):
    campaign = launch(api, instrument, assembly)
    elsewhere = str(Item.objects.filter(section__instrument=shipped).first().pk)
    response = answer(public, tokens(campaign["id"])[0], {**good_answers(instrument), elsewhere: "3"})
    assert response.status_code == 400 and "answers" in response.json()
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Invitation.objects.filter(used=True).exists()


def test_a_value_outside_the_scale_is_refused_by_item(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    heard = items(instrument)["ecoute"].pk
    response = answer(public, tokens(campaign["id"])[0], {**good_answers(instrument), str(heard): "6"})
    assert response.status_code == 400 and list(response.json()) == [f"item_{heard}"]
    assert not Response.objects.exists() and not Invitation.objects.filter(used=True).exists()


def test_a_link_answers_once(api, public, instrument, assembly):
    token = tokens(launch(api, instrument, assembly)["id"])[0]
    assert answer(public, token, good_answers(instrument)).status_code == 201
    assert answer(public, token, good_answers(instrument)).status_code == 409
    assert Response.objects.count() == 1


def test_no_answer_after_closing(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly)
    api.post(f"{CAMPAIGNS}{campaign['id']}/close/")
    assert answer(public, tokens(campaign["id"])[0], good_answers(instrument)).status_code == 409
    assert not Response.objects.exists()


FORGERIES = {
    "signature changed": lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),
    "unknown id": lambda t: "999999." + t.partition(".")[2],
    "no signature": lambda t: t.partition(".")[0],
    "not digits": lambda t: "²." + t.partition(".")[2],
    "far too long": lambda t: "1" * 5000 + "." + t.partition(".")[2],
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_link_is_not_found(api, client, public, instrument, assembly, forge):
    token = tokens(launch(api, instrument, assembly)["id"])[0]
    response = answer(public, forge(token), good_answers(instrument))
    assert response.status_code == 404
    assert response.json() == client.get("/api/v1/no-such-thing/").json()
    assert not Response.objects.exists()


# Results --------------------------------------------------------------------------------------------------


def answer_all(public, instrument, campaign: dict, indexes, value: str = "4") -> None:
    found = items(instrument)
    for n in indexes:
        answers = {str(found["ecoute"].pk): value, str(found["gain"].pk): "2", str(found["egalite"].pk): "C",
                   str(found["commentaire"].pk): f"Avis {n}"}  # fmt: skip
        assert answer(public, tokens(campaign["id"])[n], answers).status_code == 201


def test_results_below_the_smallest_group_say_so_and_show_no_figure(api, public, world, instrument, assembly):
    world.coordinator.language = "en"
    world.coordinator.save(update_fields=["language"])
    campaign = launch(api, instrument, assembly)
    answer_all(public, instrument, campaign, range(4))
    body = api.get(f"{CAMPAIGNS}{campaign['id']}/results/").json()
    assert body["suppressed"] is True and body["respondents"] == 4 and body["min_group_size"] == 5
    assert body["reason"] == "Fewer than 5 respondents: no figure is shown, so that no one can be recognised."
    assert body["sections"] == body["by_sector"] == body["by_instance"] == body["comments"] == []
    assert body["abc"] is None and body["previous"] is None and body["sector_gap"] == {}
    assert "Avis 0" not in str(body)


def test_results_show_figures_and_say_which_groups_are_hidden(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly, min_group_size=3)
    answer_all(public, instrument, campaign, range(5))  # four community members and one public
    body = api.get(f"{CAMPAIGNS}{campaign['id']}/results/").json()
    assert body["suppressed"] is False and body["reason"] is None and body["respondents"] == 5
    climate, power = body["sections"]
    assert (climate["code"], climate["n"], climate["mean"], climate["level"]) == ("climat", 5, 3.0, "watch")
    heard = climate["items"][0]
    assert (heard["mean"], [row["count"] for row in heard["distribution"]]) == (4.0, [0, 0, 0, 5, 0])
    assert power["abc"] == {"A": 0, "B": 0, "C": 5} and power["items"][0]["unfavourable"] is True
    assert body["comments"] == [f"Avis {n}" for n in range(5)]
    # Public has one respondent; community, the only other group, would give it away: both hidden.
    groups = {g["sector"]: g for g in body["by_sector"]}
    assert set(groups) == {"community", "public"}
    for group in groups.values():
        assert group["suppressed"] is True and group["n"] is None and group["abc"] is None and group["reason"]
        assert group["means"] == {"climat": {"mean": None, "suppressed": True, "reason": group["reason"]}}
    assert body["sector_gap"] == {"climat": None}


def test_results_show_groups_large_enough(api, public, instrument, assembly):
    campaign = launch(api, instrument, assembly, min_group_size=3)
    answer_all(public, instrument, campaign, range(4), value="5")
    answer_all(public, instrument, campaign, range(4, 7), value="3")
    groups = {g["sector"]: g for g in api.get(f"{CAMPAIGNS}{campaign['id']}/results/").json()["by_sector"]}
    community, public_sector = groups["community"], groups["public"]
    assert (community["n"], community["suppressed"], community["reason"]) == (4, False, None)
    assert community["means"] == {"climat": {"mean": 3.5, "suppressed": False, "reason": None}}
    assert public_sector["means"]["climat"]["mean"] == 2.5
    assert public_sector["abc"] == {"pouvoir": {"A": 0, "B": 0, "C": 3}}


def test_the_answer_endpoint_reads_json_only(api, public, instrument, assembly):
    token = tokens(launch(api, instrument, assembly)["id"])[0]
    heard = items(instrument)["ecoute"].pk
    response = public.post(RESPONSES, {"token": token, f"answers[{heard}]": "4"})
    assert response.status_code == 415
    assert not Response.objects.exists()


def test_lists_read_a_fixed_number_of_queries(api, public, instrument, assembly, django_assert_max_num_queries):
    for n in range(3):
        campaign = launch(api, instrument, assembly, title=f"Campagne {n}")
        answer_all(public, instrument, campaign, range(n, n + 3))
    with django_assert_max_num_queries(6):  # session, user, roles, count, page, instances
        assert api.get(CAMPAIGNS).json()["count"] == 3
    with django_assert_max_num_queries(6):  # session, user, roles, instrument, sections, items
        assert api.get(f"{INSTRUMENTS}{instrument.pk}/").status_code == 200
