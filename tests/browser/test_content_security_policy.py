"""The main pages run under the Content-Security-Policy without a single violation (no inline script or style)."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import in_french

# Also catch violations the console might word differently: the browser fires this event for each one.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
});"""


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, f"{url} has no strict CSP header"
    page.wait_for_load_state("load")


def test_main_pages_have_no_content_security_policy_violation(page, console, live_server, world, sign_in):
    world.org_a.is_public = True
    world.org_a.save(update_fields=["is_public"])
    page.add_init_script(REPORT_VIOLATIONS)
    base = live_server.url

    visit(page, f"{base}/accounts/login/")
    visit(page, f"{base}/public/organisations/{world.org_a.pk}/")
    sign_in(page, "coord")
    for path in [
        "/",
        "/registry/organisations/",
        f"/registry/organisations/{world.org_a.pk}/",
        f"/registry/organisations/{world.org_a.pk}/history/",
        f"/registry/organisations/{world.org_a.pk}/propose/",  # A has a representative: it keeps its record
        "/registry/people/",
        f"/registry/people/{world.person_a.pk}/",
        "/registry/people/new/",
        "/registry/territories/",
        f"/registry/territories/{world.rls.pk}/",
        "/registry/territories/new/",
        "/registry/import/organizations/",
        "/accounts/profile/",
        "/accounts/password/",
    ]:
        visit(page, base + path)

    # HTMX at work: a live search swaps the rows; an invalid form comes back with its error summary.
    visit(page, f"{base}/registry/organisations/")
    page.get_by_role("search").locator("#id_search").press_sequentially("Popote", delay=30)
    expect(page.locator("#results").get_by_role("row")).to_have_count(2)
    visit(page, f"{base}/registry/organisations/new/")
    page.locator("#id_neq").fill("123")
    page.get_by_role("button", name=in_french("Save"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()

    assert console.csp_violations() == []
    assert console.page_errors == []
    # The refused form answers 400 on purpose; the browser logs that status, and nothing else may be logged.
    assert [text for text in console.texts("error") if "status of 400" not in text] == []

    # The check can see a violation when there is one: an injected inline style is refused and reported.
    page.evaluate("""() => { const s = document.createElement("style"); s.textContent = "body{}";
                             document.head.append(s); }""")
    page.wait_for_timeout(200)
    assert console.csp_violations(), "an inline style should have been reported as a CSP violation"
