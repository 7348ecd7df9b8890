"""A coordinator signs in, creates an organisation in French and finds it with the list's live search."""

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from registry.filters import OrganizationFilter
from registry.forms import OrganizationForm
from registry.models import Organization
from tests.browser.conftest import in_french

NAME = "Entraide des aînés du Val-Saint-Clément"


def field(page: Page, form: OrganizationForm, name: str):
    """The control whose label is the French label of the form field (a "(required)" mark may follow)."""
    label = in_french(form.fields[name].label)
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def test_coordinator_creates_an_organisation_in_french_then_finds_it_by_search(page, live_server, world, sign_in):
    sign_in(page, "coord")
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")

    menu = page.get_by_role("navigation", name=in_french("Main menu"))
    menu.get_by_role("link", name=in_french("Organisations"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_french("Organisations"))
    page.get_by_role("link", name=in_french("New organisation"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_french("New organisation"))

    form = OrganizationForm(user=world.coordinator)
    community = in_french(Organization.Sector.COMMUNITY.label)
    field(page, form, "name").fill(NAME)
    field(page, form, "sector").select_option(label=community)
    for _code, criterion in Organization.AcaCriterion.choices:  # the eight ACA criteria make it ACA
        page.get_by_role("checkbox", name=in_french(criterion)).check()
    expect(field(page, form, "rls")).to_have_value(str(world.rls.pk))  # the coordinator's only RLS is preselected
    page.get_by_role("checkbox", name=world.town.name).check()  # "Saint-Clément (Municipality)"
    field(page, form, "mission").fill("Briser l'isolement des aînés par des visites d'amitié et des appels.")
    field(page, form, "founded_year").fill("1992")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()

    # Shown its page, with a confirmation and the French sector label.
    expect(page).to_have_url(re.compile(r"/registry/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    expect(page.locator(".messages [role=status]")).to_contain_text(NAME)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(community)
    expect(facts.get_by_role("link", name=world.town.name)).to_be_visible()
    created = Organization.objects.get(name=NAME)
    assert (created.rls, created.sector, created.is_aca) == (world.rls, "community", True)
    assert list(created.territories.all()) == [world.town]

    # Back to the list, type part of the name: the rows are replaced in place (HTMX), the page is not reloaded.
    page.get_by_role("navigation", name=in_french("Breadcrumb")).get_by_role(
        "link", name=in_french("Organisations")
    ).click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name=world.org_a.name)).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    search_label = in_french(OrganizationFilter().form.fields["search"].label)
    search = page.get_by_role("search").get_by_label(search_label, exact=True)
    search.press_sequentially("aînés du Val", delay=40)

    expect(results.get_by_role("link", name=NAME)).to_be_visible()
    expect(results.get_by_role("link", name=world.org_a.name)).to_have_count(0)
    expect(results.get_by_role("row")).to_have_count(2)  # header + the one match
    with translation.override("fr"):
        one = translation.ngettext("%(n)s organisation", "%(n)s organisations", 1) % {"n": 1}
    expect(page.locator("#result-count")).to_have_text(one)
    expect(page).to_have_url(re.compile(r"search=a%C3%AEn%C3%A9s"))  # the search is in the address, to share it
    assert page.evaluate("window.stillTheSamePage === true"), "the list was reloaded instead of updated in place"

    results.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
