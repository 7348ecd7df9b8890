"""The demo tells the ownership story: the public body is a CSSS until 2015, a CISSS until 2024, then Santé Québec's
establishment, linked as successors; the coordinator's change to the popote's record waits for the popote."""

import pytest
from django.db import transaction
from django.test import override_settings

from registry import demo_data
from registry.models import ChangeRequest, Organization, OrganizationLink, Territory
from tests.demo_fixtures import FAST_HASHING


@pytest.fixture(scope="module")
def registry_demo(django_db_setup, django_db_blocker):
    """The registry part of the demo alone (the other apps' loaders are stubbed): this story is the registry's."""
    from demo.management.commands import load_demo

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        for module in (load_demo.concertation_demo, load_demo.agreements_demo, load_demo.evaluation_demo):
            patch.setattr(module, "load", lambda admin, today=None: {})
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHING):
                load_demo.DemoLoader().load()
            rls = Territory.objects.get(kind="rls", name=demo_data.RLS["name"])
            demo_data.load_ownership_story(rls)  # load_demo is to call it last
            yield rls
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def story(registry_demo, db):
    return registry_demo


def test_the_public_body_follows_the_mergers(story):
    csss = Organization.objects.get(name__startswith="Centre de santé et de services sociaux (CSSS)")
    cisss = OrganizationLink.objects.get(predecessor=csss).successor
    assert cisss.name.startswith("CISSS des Trois-Versants")
    establishment = OrganizationLink.objects.get(predecessor=cisss, kind="replacement").successor
    assert establishment.name == demo_data.SANTE_QUEBEC
    assert str(OrganizationLink.objects.get(successor=establishment).date) == "2024-12-01"
    assert csss.archived_at is not None and establishment.archived_at is None


def test_the_popote_has_a_proposal_waiting(story):
    change = ChangeRequest.objects.get(organization__name__startswith="Popote roulante")
    assert change.status == "pending" and change.proposed_by.username == "coordination"
    assert "territories" in change.changes
    assert demo_data.load_ownership_story(story) == {"successions": 0, "proposals": 0}


def test_the_demo_accounts_see_it_on_the_popote_page(story, client):
    from django.contrib.auth import get_user_model

    popote = Organization.objects.get(name__startswith="Popote roulante")
    for username, answers in (("popote", True), ("coordination", False)):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get(popote.get_absolute_url())
        assert page.status_code == 200
        assert len(page.context["proposals"]) == 1 and page.context["can_answer"] is answers
