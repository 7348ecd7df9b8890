"""A keyboard-only pass on the organisation form: skip link, labels, tab order, error summary."""

import re

from django.forms import CheckboxSelectMultiple
from playwright.sync_api import Page, expect

from registry.forms import OrganizationForm
from registry.models import Organization, neq_validator
from tests.browser.conftest import in_french

# Every control inside <main> needs a name a screen reader can say: a <label>, aria-label or aria-labelledby.
UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea"))
  .filter((el) => !el.hidden && el.labels.length === 0
    && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
  .map((el) => el.id || el.name)"""


def label_pattern(text) -> re.Pattern:
    return re.compile(rf"^{re.escape(in_french(text))}(\s|$)")


def expected_tab_order(form: OrganizationForm) -> list[str]:
    ids = []
    for name, form_field in form.fields.items():
        if isinstance(form_field.widget, CheckboxSelectMultiple):
            count = form_field.queryset.count() if hasattr(form_field, "queryset") else len(form_field.choices)
            ids += [f"id_{name}_{i}" for i in range(count)]
        else:
            ids.append(f"id_{name}")
    return ids


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def test_organisation_form_works_with_the_keyboard_alone(page, live_server, world, sign_in):
    sign_in(page, "coord")
    page.goto(f"{live_server.url}/registry/organisations/new/")
    form = OrganizationForm(user=world.coordinator)
    before = Organization.objects.count()

    # The skip link is the first Tab stop and takes focus to the main content, just before the first field.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=in_french("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # Every field has a label that names it.
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    for name, form_field in form.fields.items():
        if isinstance(form_field.widget, CheckboxSelectMultiple):
            # A group of checkboxes: the group is named by its legend, each box by its own label.
            expect(page.get_by_role("group", name=label_pattern(form_field.label))).to_have_count(1)
            continue
        control = page.get_by_label(label_pattern(form_field.label))
        expect(control).to_have_count(1)
        expect(control).to_have_attribute("id", f"id_{name}")

    # Tab visits every field in reading order, then the Save button; fill three of them on the way.
    typed = {"id_name": "Maison de la famille du Val", "id_neq": "123"}
    community = in_french(Organization.Sector.COMMUNITY.label)
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        current = focused_id(page)
        if current in visited:
            continue
        if not current.startswith("id_"):
            break
        visited.append(current)
        if current in typed:
            page.keyboard.type(typed[current])
        elif current == "id_sector":
            page.keyboard.type(community)  # a closed <select> jumps to the option whose label is typed
            expect(page.locator("#id_sector")).to_have_value("community")
    assert visited == expected_tab_order(form)
    expect(page.get_by_role("button", name=in_french("Save"), exact=True)).to_be_focused()

    # Enter submits; the error summary takes focus, names the NEQ field and links to it.
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(page).to_have_title(re.compile(rf"^{re.escape(in_french('Error:'))}"))
    neq_label = in_french(form.fields["neq"].label)
    message = in_french(neq_validator.message)
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_contain_text(neq_label)
    expect(links).to_contain_text(message)
    expect(links).to_have_attribute("href", "#id_neq")

    page.keyboard.press("Tab")
    expect(links).to_be_focused()
    page.keyboard.press("Enter")
    neq = page.locator("#id_neq")
    expect(neq).to_be_focused()
    expect(neq).to_have_value("123")
    expect(neq).to_have_attribute("aria-invalid", "true")
    expect(neq).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_label(label_pattern(form.fields["name"].label))).to_have_value(typed["id_name"])
    assert Organization.objects.count() == before
