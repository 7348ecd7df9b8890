"""The language switch: French by default, English on request, and the choice follows the person."""

from playwright.sync_api import expect


def test_english_persists_after_signing_out_and_in_again(page, new_context, live_server, world, sign_in, sign_out):
    html = page.locator("html")
    sign_in(page, "coord")
    expect(html).to_have_attribute("lang", "fr-CA")

    page.get_by_role("button", name="English", exact=True).click()
    expect(html).to_have_attribute("lang", "en-CA")
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "en"

    sign_out(page)
    expect(html).to_have_attribute("lang", "en-CA")  # the sign-in page keeps the choice too
    sign_in(page, "coord")
    expect(html).to_have_attribute("lang", "en-CA")
    expect(page.get_by_role("button", name="Français", exact=True)).to_be_visible()

    # Another browser, no cookie: French until the person signs in, then their saved English.
    elsewhere = new_context().new_page()
    elsewhere.goto(f"{live_server.url}/accounts/login/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "fr-CA")
    sign_in(elsewhere, "coord")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "en-CA")

    # And back to French, kept on the next page.
    elsewhere.get_by_role("button", name="Français", exact=True).click()
    expect(elsewhere.locator("html")).to_have_attribute("lang", "fr-CA")
    elsewhere.goto(f"{live_server.url}/accounts/profile/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "fr-CA")
