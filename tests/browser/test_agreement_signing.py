"""A community representative logs a negotiated compromise and cannot record another party's signature; the
coordinator records one with the signed page; the signature of the agreement is refused while a required section
is empty, then accepted once it is written; the coordinator then amends it, compares the versions, downloads the
document and files a report."""

import re

from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from agreements.actions import agreements as actions
from agreements.actions import follow_up
from agreements.models import Agreement, PartyContact, SectionCode
from tests.agreements.conftest import ready_to_sign
from tests.browser.conftest import in_french
from tests.factories import AffiliationFactory, PersonFactory


def label(model, name: str) -> str:
    return capfirst(in_french(model._meta.get_field(name).verbose_name))


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
    # Parties act for themselves: A's representative is offered nothing for B's signatories.
    add_contact = in_french("Add a signatory or respondent")
    expect(page.get_by_role("link", name=f"{add_contact} — {world.org_b.name}", exact=True)).to_have_count(0)
    sign_out(page)

    # The coordinator records the signature of B's director, with the signed page.
    director = PersonFactory(first_name="Chantal", last_name="Roy")
    AffiliationFactory(person=director, organization=world.org_b)
    sign_in(page, "coord")
    page.goto(url)
    page.get_by_role("link", name=f"{add_contact} — {world.org_b.name}", exact=True).click()
    page.get_by_label(label(PartyContact, "person")).select_option(label=str(director))
    page.get_by_label(label(PartyContact, "role")).select_option("signatory")
    page.get_by_label(label(PartyContact, "signed_on")).fill("2025-01-02")
    page.get_by_label(in_french("Signed page")).set_input_files(
        files=[{"name": "signature-roy.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed page"}]
    )
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    signed_page = f"{in_french('signed page')} — {director}"
    expect(page.get_by_role("link", name=signed_page, exact=True)).to_be_visible()
    assert PartyContact.objects.get(person=director).recorded_by == world.coordinator
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
    assert Agreement.objects.get(pk=agreement.pk).versions.count() == 1

    # The signed text changes through an amendment, which the versions page compares.
    page.get_by_role("link", name=in_french("Amend"), exact=True).click()
    page.get_by_label(in_french("What the amendment changes and why")).fill("Ajout du samedi")
    offer = in_french(SectionCode.CLIENTELE_OFFER.label)
    page.get_by_label(re.compile(rf"^{re.escape(offer)}")).fill("Repas du lundi au samedi.")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    page.get_by_role("button", name=in_french("Compare"), exact=True).click()
    expect(page.locator("ins")).to_have_text("Repas du lundi au samedi.")
    page.go_back()

    # The documents download, and a report is filed with its file.
    with page.expect_download() as download:
        page.get_by_role("link", name=in_french("Download (DOCX)"), exact=True).click()
    assert download.value.suggested_filename.endswith("-v2.docx")
    follow_up.add_report(world.coordinator, agreement, {"title": "Bilan annuel", "due_on": agreement.start_date})
    page.reload()
    page.get_by_role("link", name=re.compile(re.escape(in_french("File the report")))).click()
    page.get_by_label(in_french("Report file")).set_input_files(
        files=[{"name": "bilan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bilan"}]
    )
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    expect(page.get_by_role("link", name="bilan.pdf")).to_be_visible()
