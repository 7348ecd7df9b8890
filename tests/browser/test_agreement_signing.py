"""A community representative logs a negotiated compromise; the coordinator's signature is refused while a
required section is empty, then accepted once it is written; the page then offers the amendment."""

import re

from playwright.sync_api import Page, expect

from agreements.actions import agreements as actions
from agreements.models import Agreement, SectionCode
from tests.agreements.conftest import ready_to_sign
from tests.browser.conftest import in_french


def test_signing_refused_then_accepted(page: Page, live_server, world, sign_in, sign_out):
    agreement = ready_to_sign(world)
    actions.update_section(world.coordinator, agreement, "access_coordination", "")
    url = f"{live_server.url}{agreement.get_absolute_url()}"

    sign_in(page, "rep_a")
    page.goto(url)
    page.get_by_role("link", name=in_french("Log a negotiated issue"), exact=True).click()
    page.get_by_label(in_french("Issue negotiated")).fill("Porte d'entrée des demandes")
    page.get_by_label(in_french("Compromise reached")).fill("Chacun son rôle : l'organisme garde son accueil.")
    page.get_by_label(in_french("What %(party)s conceded") % {"party": world.org_a.name}).fill("Un formulaire commun")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    expect(page.get_by_role("heading", name="Porte d'entrée des demandes")).to_be_visible()
    sign_out(page)

    sign_in(page, "coord")
    page.goto(url)
    page.get_by_label(in_french("New status")).select_option("signed")
    page.get_by_role("button", name=in_french("Change the state"), exact=True).click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(in_french("This change of state was refused"))
    missing = in_french(SectionCode.ACCESS_COORDINATION.label)
    expect(refusal.get_by_role("link", name=missing)).to_be_visible()
    assert Agreement.objects.get(pk=agreement.pk).status == "negotiation"

    refusal.get_by_role("link", name=missing).click()
    page.get_by_label(re.compile(rf"^{re.escape(missing)}")).fill("Le CLSC oriente les usagers vers l'organisme.")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    page.get_by_label(in_french("New status")).select_option("signed")
    page.get_by_role("button", name=in_french("Change the state"), exact=True).click()
    expect(page.locator("#status")).to_have_text(in_french(Agreement.Status.SIGNED.label))
    expect(page.get_by_role("link", name=in_french("Amend"), exact=True)).to_be_visible()
    assert Agreement.objects.get(pk=agreement.pk).versions.count() == 1
