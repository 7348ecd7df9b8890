"""The evaluation pages as their users meet them: a coordinator adapts an instrument and launches a campaign,
members answer through their personal links, and nobody outside sees what they may not."""

import datetime

import pytest
from django.utils import timezone, translation

from concertation.models import Decision, Meeting
from evaluation import links
from evaluation.actions import campaigns as campaign_actions
from evaluation.models import Answer, Campaign, Instrument, Invitation, Response
from registry.models import RoleAssignment
from tests.evaluation.conftest import items
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def launch(world, assembly, instrument, **extra) -> Campaign:
    data = {"title": "Bilan 2026", "instrument": instrument, "instances": [assembly.instance],
            "opens_on": TODAY(), "closes_on": TODAY() + datetime.timedelta(days=14), **extra}  # fmt: skip
    return campaign_actions.create_campaign(world.coordinator, data)


def link(campaign: Campaign, n: int = 0) -> str:
    invitation = campaign.invitations.order_by("pk")[n]
    return f"/evaluation/r/{links.token_for(invitation)}/"


def state() -> dict:
    return {m.__name__: m.objects.count() for m in (Response, Answer)} | {
        "used": Invitation.objects.filter(used=True).count()
    }


def test_a_coordinator_launches_a_campaign_from_the_page(client, world, assembly, instrument):
    client.force_login(world.coordinator)
    page = client.get("/evaluation/campaigns/new/")
    assert page.status_code == 200 and "Assemblée des partenaires du Val" in page.content.decode()
    response = client.post("/evaluation/campaigns/new/", {
        "title": "Bilan 2026", "instrument": instrument.pk, "instances": [assembly.instance.pk], "mode": "individual",
        "privacy": "anonymous", "opens_on": TODAY().isoformat(),
        "closes_on": (TODAY() + datetime.timedelta(days=14)).isoformat(), "min_group_size": 5,
    })  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert campaign.invitations.count() == 8
    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert "0 answers out of 8 people invited" in detail or "0 réponse sur 8 personnes invitées" in detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_group_size", 2, "The smallest group shown cannot be below 3 respondents."),
        ("closes_on", "2020-01-01", "The end date cannot be before the start date."),
    ],
)
def test_a_campaign_with_bad_settings_is_refused(client, world, assembly, instrument, field, value, message):
    client.force_login(world.coordinator)
    data = {
        "title": "Bilan", "instrument": instrument.pk, "instances": [assembly.instance.pk], "mode": "individual",
        "privacy": "anonymous", "opens_on": TODAY().isoformat(), "closes_on": "2030-01-01", "min_group_size": 5,
        field: value,
    }  # fmt: skip
    response = client.post("/evaluation/campaigns/new/", data)
    assert response.status_code == 400
    assert fr(message) in response.context["form"].errors[field]
    assert not Campaign.objects.exists()


def test_a_member_answers_once_through_the_personal_link(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    ecoute, gain, egalite, commentaire = (items(instrument)[c] for c in ("ecoute", "gain", "egalite", "commentaire"))
    page = client.get(link(campaign))
    assert page.status_code == 200
    body = page.content.decode()
    assert fr("Your answers are anonymous: they are kept without any link to you, not even by the platform. "
              "Results are shown only for groups of enough people.") in body  # fmt: skip
    answers = {f"item_{ecoute.pk}": "4", f"item_{gain.pk}": "2", f"item_{egalite.pk}": "B",
               f"item_{commentaire.pk}": "Plus de temps pour la discussion."}  # fmt: skip
    assert client.post(link(campaign), answers).status_code == 200
    response = Response.objects.get()
    assert response.sector == "community" and response.submitted_on == TODAY() and response.invitation is None
    assert {a.item.code: a.value or a.text for a in response.answers.all()} == {
        "ecoute": "4",
        "gain": "2",
        "egalite": "B",
        "commentaire": "Plus de temps pour la discussion.",
    }
    before = state()
    again = client.post(link(campaign), answers)
    assert again.status_code == 409 and state() == before


def test_bad_answers_are_refused_and_nothing_is_written(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    ecoute, egalite = items(instrument)["ecoute"], items(instrument)["egalite"]
    before = state()
    outside = client.post(link(campaign), {f"item_{ecoute.pk}": "7", f"item_{egalite.pk}": "D"})
    assert outside.status_code == 400
    assert outside.context["form"].errors[f"item_{ecoute.pk}"] == [fr("Choose one of the answers offered.")]
    assert outside.context["form"].errors[f"item_{egalite.pk}"] == [fr("Choose one of the answers offered.")]
    missing = client.post(link(campaign), {f"item_{egalite.pk}": "A"})
    assert missing.context["form"].errors[f"item_{ecoute.pk}"] == [fr("This question needs an answer.")]
    assert state() == before


def test_a_forged_or_foreign_link_finds_nothing(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    invitation = campaign.invitations.first()
    assert client.get(f"/evaluation/r/{invitation.pk}.{'0' * 64}/").status_code == 404
    assert client.get("/evaluation/r/nothing/").status_code == 404
    assert client.get(link(campaign)).status_code == 200


def test_a_closed_survey_takes_no_answer(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    campaign_actions.close_campaign(world.coordinator, campaign)
    ecoute = items(instrument)["ecoute"]
    before = state()
    response = client.post(link(campaign), {f"item_{ecoute.pk}": "4"})
    assert response.status_code == 409 and state() == before
    assert fr("This survey is closed: answers are no longer accepted.") in response.content.decode()


def test_who_sees_a_campaign(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    member_org = assembly.members[0][0]
    member = grant(UserFactory(username="membre"), RoleAssignment.Role.REPRESENTATIVE, organization=member_org)
    url = campaign.get_absolute_url()
    expected = {world.coordinator: 200, member: 200, world.analyst: 404, world.other_coordinator: 404,
                world.rep_a: 404, world.nobody: 404}  # fmt: skip
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user
    # The member sees but does not run it.
    client.force_login(member)
    assert client.post(f"{url}close/").status_code == 403
    assert not Campaign.objects.get().closed_at
    # Once the members decide to release the results, the RLS's analyst sees them too.
    now = timezone.now()
    meeting = Meeting.objects.create(
        instance=assembly.instance, starts_at=now, ends_at=now + datetime.timedelta(hours=2), title="AGA"
    )
    decision = Decision.objects.create(meeting=meeting, text="Diffuser les résultats", mode="consensus")
    client.force_login(world.coordinator)
    assert client.post(f"{url}release/", {"decision": decision.pk}).status_code == 302
    client.force_login(world.analyst)
    assert client.get(url).status_code == 200


def test_another_rls_coordinator_cannot_send_a_campaign_to_this_instance(client, world, assembly, instrument):
    client.force_login(world.other_coordinator)
    response = client.post("/evaluation/campaigns/new/", {
        "title": "Intrus", "instrument": instrument.pk, "instances": [assembly.instance.pk], "mode": "individual",
        "privacy": "anonymous", "opens_on": "2026-01-01", "closes_on": "2026-02-01", "min_group_size": 5,
    })  # fmt: skip
    assert response.status_code == 400 and "instances" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_a_coordinator_adapts_a_copy_and_the_thresholds_are_checked(client, world):
    shipped = Instrument.objects.filter(rls__isnull=True).first()
    assert shipped is not None, "the shipped instruments are installed by the migrations"
    client.force_login(world.coordinator)
    response = client.post(
        f"/evaluation/instruments/{shipped.pk}/copy/", {"rls": world.rls.pk, "title_fr": "Notre version"}
    )
    copy = Instrument.objects.get(title_fr="Notre version")
    assert response.status_code == 302 and response.url == copy.get_absolute_url()
    assert copy.rls == world.rls and copy.sections.count() == shipped.sections.count()
    edit = f"/evaluation/instruments/{copy.pk}/edit/"
    data = {"title_fr": "Notre version", "strength_min": "3.5", "concern_below": "4.0"}
    refused = client.post(edit, data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["concern_below"] == [
        fr("The concern threshold cannot be above the strength threshold.")
    ]
    assert client.post(edit, {**data, "strength_min": "6"}).status_code == 400
    assert client.post(edit, {**data, "concern_below": "3.0"}).status_code == 302
    copy.refresh_from_db()
    assert str(copy.strength_min) == "3.5" and str(copy.concern_below) == "3.0"
    # The shipped instrument stays as it was, and another RLS's coordinator cannot edit the copy.
    assert client.get(f"/evaluation/instruments/{shipped.pk}/edit/").status_code == 403
    client.force_login(world.other_coordinator)
    assert client.get(edit).status_code == 404


def test_a_group_answer_with_its_notes(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument, mode="group")
    assert not campaign.invitations.exists()
    ecoute, egalite = items(instrument)["ecoute"], items(instrument)["egalite"]
    client.force_login(world.coordinator)
    url = f"/evaluation/campaigns/{campaign.pk}/group-answer/"
    response = client.post(url, {f"item_{ecoute.pk}": "3", f"note_{ecoute.pk}": "Avis partagés",
                                 f"item_{egalite.pk}": "C", "summary": "Discussion riche"})  # fmt: skip
    assert response.status_code == 302
    group = Response.objects.get(is_group=True)
    assert group.answers.get(item=ecoute).note == "Avis partagés"
    campaign.refresh_from_db()
    assert campaign.group_notes == "Discussion riche"


def test_questions_of_an_answered_instrument_do_not_change(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument)
    ecoute = items(instrument)["ecoute"]
    client.force_login(world.coordinator)
    assert (
        client.post(f"/evaluation/items/{ecoute.pk}/edit/", {"text_fr": "Autre", "scale": "likert"}).status_code == 302
    )
    client.logout()
    client.post(link(campaign), {f"item_{ecoute.pk}": "5"})
    client.force_login(world.coordinator)
    refused = client.post(f"/evaluation/items/{ecoute.pk}/edit/", {"text_fr": "Encore", "scale": "likert"})
    assert refused.status_code == 409
    ecoute.refresh_from_db()
    assert ecoute.text_fr == "Autre"


def test_the_results_page_hides_what_would_expose_someone(client, world, assembly, instrument):
    campaign = launch(world, assembly, instrument, min_group_size=5)
    ecoute, commentaire = items(instrument)["ecoute"], items(instrument)["commentaire"]
    for n in range(4):
        client.post(link(campaign, n), {f"item_{ecoute.pk}": "4", f"item_{commentaire.pk}": f"Idée {n}"})
    client.force_login(world.coordinator)
    url = f"/evaluation/campaigns/{campaign.pk}/results/"
    few = client.get(url).content.decode()
    assert fr("Too few respondents to show any result without exposing someone. The results appear once enough "
              "people have answered.") in few and "Idée 0" not in few  # fmt: skip
    assert (
        client.get(f"/evaluation/campaigns/{campaign.pk}/results.csv?format=csv").getvalue().decode().count("\n") == 1
    )
    client.logout()
    for n in range(4, 8):
        client.post(link(campaign, n), {f"item_{ecoute.pk}": "2", f"item_{commentaire.pk}": f"Idée {n}"})
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "3,00" in page or "3.00" in page  # the mean of four 4s and four 2s
    assert "Idée 7" in page
    # Four community members answered 4, three public and one municipal 2: every sector is under five.
    assert page.count(fr("hidden (too few respondents)")) == 3
    campaign_actions.update_campaign(world.coordinator, campaign, {"min_group_size": 3})
    # With three, the municipal group (1) is hidden, and so is the public one: the total minus the community
    # group would give the municipal answer back.
    assert client.get(url).content.decode().count(fr("hidden (too few respondents)")) == 2
    csv = client.get(f"/evaluation/campaigns/{campaign.pk}/results.csv?format=csv").getvalue().decode()
    assert csv.count("\n") == 9 and "municipal" not in csv
    client.force_login(world.other_coordinator)
    assert client.get(url).status_code == 404


def test_a_coordinator_builds_a_section_of_their_own_through_the_page_and_the_api(client, world, instrument):

    client.force_login(world.coordinator)
    refused = client.post(f"/evaluation/instruments/{instrument.pk}/sections/add/", {"title_fr": " "})
    assert refused.status_code == 400
    assert refused.context["form"].errors["title_fr"] == [fr("Give the section a French title.")]
    assert instrument.sections.count() == 2
    page = client.post(f"/evaluation/instruments/{instrument.pk}/sections/add/", {"title_fr": "Mobilisation"})
    assert page.status_code == 302
    api = client.post(
        f"/api/v1/instruments/{instrument.pk}/sections/", {"title_fr": "Mobilisation", "title_en": "Mobilising"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 201 and api.json()["code"] == "mobilisation-2"
    assert list(instrument.sections.order_by("position").values_list("code", flat=True))[-2:] == [
        "mobilisation", "mobilisation-2",
    ]  # fmt: skip
    # A question goes in the new section, and the section stays the instrument's own.
    section = instrument.sections.get(code="mobilisation")
    added = client.post(f"/evaluation/instruments/{instrument.pk}/items/add/", {
        "section": section.pk, "text_fr": "Nous passons à l’action", "scale": "likert", "position": 1,
    })  # fmt: skip
    assert added.status_code == 302 and section.items.get().text_fr == "Nous passons à l’action"
    client.force_login(world.other_coordinator)
    assert client.post(f"/api/v1/instruments/{instrument.pk}/sections/", {"title_fr": "X"},
                       content_type="application/json").status_code == 404  # fmt: skip
