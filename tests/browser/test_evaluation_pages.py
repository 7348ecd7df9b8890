"""The evaluation pages in a real browser: a member answers a survey on a 390 px phone, and every evaluation page
passes axe-core's WCAG 2.1 A/AA rules and fits the phone's width, in French and in English.

axe-core is vendored in tests/browser/vendor (npm package axe-core, MPL-2.0): nothing is downloaded at test time.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from concertation.models import ContextEvent
from evaluation import links
from evaluation.actions import campaigns as campaign_actions
from evaluation.actions import responses
from evaluation.models import Instrument, Item, Response, Section
from evaluation.shipped import install_shipped
from tests.browser.conftest import in_french
from tests.evaluation.conftest import assembly, instrument, items  # noqa: F401 (fixtures)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]]


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def campaign(world, assembly, instrument):  # noqa: F811
    today = timezone.localdate()
    campaign = campaign_actions.create_campaign(world.coordinator, {
        "title": "Bilan 2026", "instrument": instrument, "instances": [assembly.instance],
        "opens_on": today, "closes_on": today + datetime.timedelta(days=14),
    })  # fmt: skip
    ecoute, egalite = items(instrument)["ecoute"], items(instrument)["egalite"]
    for n, invitation in enumerate(campaign.invitations.order_by("pk")[:6]):
        responses.submit_response(invitation, {ecoute.pk: str(2 + n % 3), egalite.pk: "ABC"[n % 3]})
    ContextEvent.objects.create(
        rls=world.rls, instance=assembly.instance, date=datetime.date(2025, 3, 1), kind="change_of_direction",
        title="Changement de direction",
    )  # fmt: skip
    return campaign


def test_a_member_answers_on_a_phone(new_context, live_server, campaign, instrument):  # noqa: F811
    page = new_context().new_page()
    page.set_viewport_size(PHONE)
    invitation = campaign.invitations.filter(used=False).order_by("pk").first()
    page.goto(f"{live_server.url}/evaluation/r/{links.token_for(invitation)}/")
    assert overflow(page) <= PHONE["width"]
    assert axe_violations(page) == []
    ecoute = items(instrument)["ecoute"]
    # Sending without the required question: the error says which, and nothing is written.
    page.get_by_role("button", name=in_french("Send my answers")).click()
    expect(page.get_by_text(in_french("This question needs an answer."), exact=True)).to_be_visible()
    expect(page.locator(".error-summary a")).to_have_attribute("href", f"#id_item_{ecoute.pk}_0")
    assert Response.objects.count() == 6
    page.locator(f"label[for=id_item_{ecoute.pk}_3]").click()
    page.get_by_role("button", name=in_french("Send my answers")).click()
    expect(page.get_by_text(in_french("Thank you: your answers are received."))).to_be_visible()
    assert Response.objects.count() == 7


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_evaluation_page_is_accessible_and_fits_a_phone(new_context, live_server, sign_in, campaign, language):
    context = new_context()
    page = context.new_page()
    sign_in(page, "coord")
    if language == "en":
        page.get_by_role("button", name="English").click()
    # The live server's database is emptied between tests, the shipped instruments with it: install them again.
    install_shipped(Instrument, Section, Item)
    shipped = Instrument.objects.get(code="action-partenariat")
    urls = [
        "/evaluation/campaigns/",
        f"/evaluation/campaigns/{campaign.pk}/",
        f"/evaluation/campaigns/{campaign.pk}/results/",
        "/evaluation/instruments/",
        f"/evaluation/instruments/{shipped.pk}/",
        "/evaluation/campaigns/new/",
        f"/evaluation/instances/{campaign.instances.get().pk}/diagnosis/",
        f"/evaluation/rls/{campaign.rls_id}/",
        f"/evaluation/rls/{campaign.rls_id}/diagnosis/",
    ]
    problems = []
    for size in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(size)
        for url in urls:
            page.goto(live_server.url + url)
            if (width := overflow(page)) > size["width"]:
                problems.append(f"{url} at {size['width']} px is {width} px wide")
            problems += [f"{url} at {size['width']} px: {v}" for v in axe_violations(page)]
    assert problems == []
