"""The relations-survey network: who reads it (released results only for an analyst) and the ratings of a named
organisation, shown only when at least five organisations rated it."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from evaluation.actions import campaigns as campaign_actions
from evaluation.actions.responses import submit_response
from evaluation.models import Instrument, Item, Scale


def answered_campaign(world, assembly):
    """Members 1 to 7 each name member 0 (rated 4 useful, 2 trust) and member 1 is also named by 2 and 3."""
    today = timezone.localdate()
    survey = Instrument.objects.get(code="relations", rls__isnull=True)
    campaign = campaign_actions.create_campaign(world.coordinator, {
        "title": "Nos liens", "instrument": survey, "instances": [assembly.instance], "opens_on": today,
        "closes_on": today + datetime.timedelta(days=14), "privacy": "confidential",
    })  # fmt: skip
    item = Item.objects.get(section__instrument=survey, scale=Scale.RELATIONS)
    organizations = [org for org, _person in assembly.members]
    invitations = {i.organization_id: i for i in campaign.invitations.all()}
    for n in range(1, 8):
        named = [{"organization": organizations[0].pk, "frequency": 4, "usefulness": 4, "trust": 2}]
        if n in (2, 3):
            named.append({"organization": organizations[1].pk, "frequency": 2, "usefulness": 5, "trust": 5})
        submit_response(invitations[organizations[n].pk], {item.pk: named})
    return campaign, organizations


def network(user, world) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    year = timezone.localdate().year
    response = client.get("/api/v1/network/", {"territory": world.rls.pk, "year": year, "graph": "relations"})
    assert response.status_code == 200
    return response.json()


def test_ratings_show_only_for_an_organisation_rated_by_five_or_more(world, assembly):
    _campaign, organizations = answered_campaign(world, assembly)
    found = network(world.coordinator, world)
    by_org = {node["organization"]: node for node in found["nodes"]}
    assert by_org[organizations[0].pk]["ratings"] == {"raters": 7, "usefulness": 4.0, "trust": 2.0}
    assert by_org[organizations[1].pk]["ratings"] is None  # two raters: hidden
    assert found["metrics"]["edges"] == 9  # 7 ties to member 0, 2 to member 1
    assert found["survey"] == {"invited": 8, "answered": 7, "rate": 0.875}


def test_an_analyst_reads_the_relations_only_once_the_members_released_them(world, assembly):
    answered_campaign(world, assembly)
    assert network(world.analyst, world)["nodes"] == []  # not released: as the campaign's results
    assert network(world.coordinator, world)["metrics"]["nodes"] == 8
