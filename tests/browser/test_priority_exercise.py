"""A coordinator runs a priority exercise in the browser: candidates, plenary vote, results."""

import datetime

from playwright.sync_api import Page, expect

from concertation.actions import instances as instance_actions
from concertation.models import Instance
from tests.browser.conftest import in_french
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def assembly_with_members(world) -> tuple[Instance, list]:
    assembly = instance_actions.create_instance(
        world.admin, {"name": "Assemblée des partenaires", "kind": "assembly", "basis": "thematic", "level": "local",
               "rls": world.rls, "is_public": True},
    )  # fmt: skip
    people = []
    for i in range(3):
        org = OrganizationFactory(name=f"Partenaire {i}", rls=world.rls)
        person = PersonFactory(first_name=f"Membre{i}", last_name="Votant")
        AffiliationFactory(person=person, organization=org)
        instance_actions.add_membership(
            world.admin, assembly, {"organization": org, "person": person, "start_date": datetime.date(2020, 1, 1)}
        )
        people.append(person)
    return assembly, people


def test_coordinator_runs_an_exercise_from_candidates_to_results(page: Page, live_server, world, sign_in):
    assembly, people = assembly_with_members(world)
    sign_in(page, "coord")
    page.goto(f"{live_server.url}{assembly.get_absolute_url()}")
    page.get_by_role("link", name=in_french("Open a priority exercise")).click()
    page.get_by_label(in_french("title").capitalize(), exact=False).first.fill("Priorités 2026")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorités 2026")

    for title, origin in [("Transport collectif rural", "local_actors"), ("Soins à domicile", "institution")]:
        form = page.locator("form[action$='/candidates/']")
        if not form.is_visible():  # the section opens by itself while there is no candidate yet
            page.get_by_text(in_french("Add a candidate priority")).click()
        form.locator("[name=title]").fill(title)
        form.locator("[name=origin]").select_option(origin)
        form.get_by_role("button", name=in_french("Add"), exact=True).click()
        expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()

    page.get_by_role("button", name=in_french("Open the plenary vote")).click()
    ballot = page.locator("form[action$='/ballots/']")
    for person, ticks in zip(
        people, [["Transport collectif rural"], ["Transport collectif rural", "Soins à domicile"], []], strict=True
    ):
        ballot.locator("[name=voter]").select_option(str(person.pk))
        for title in ticks:
            ballot.get_by_label(title).check()
        ballot.get_by_role("button", name=in_french("Record the vote")).click()
        expect(page.get_by_role("status").first).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=in_french("Close the vote")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priorités 2026")
    expect(page.locator("svg").first).to_be_visible()
    rows = page.locator("table").last
    transport = rows.get_by_role("row").filter(has_text="Transport collectif rural")
    expect(transport).to_contain_text(in_french("retained"))
    expect(rows.get_by_role("row").filter(has_text="Soins à domicile")).not_to_contain_text(in_french("retained"))
