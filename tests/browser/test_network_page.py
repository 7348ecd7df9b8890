"""The network map in a real browser, on the demo network: a coordinator sees the map drawn (WebGL) under the strict
Content-Security-Policy, opens an organisation's panel from the list by keyboard and closes it with Escape,
downloads the map as PNG and the network as GraphML; axe-core finds no WCAG 2.1 A/AA violation and the page fits a
390 px phone, in French and in English.

The shared `browser` fixture turns the GPU off; the map needs WebGL, so this module launches Chromium with
SwiftShader (WebGL in software, no GPU needed) instead.
"""

import io
import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image  # WeasyPrint's dependency
from playwright.sync_api import Browser, Page, expect, sync_playwright

from evaluation.models import Instrument, Item, Section
from evaluation.shipped import install_shipped
from registry import demo_data
from registry.models import Organization, Territory
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, page_language, translated
from tests.browser.test_content_security_policy import REPORT_VIOLATIONS
from tests.browser.test_evaluation_pages import PHONE, axe_violations, overflow

WEBGL_ARGS = [arg for arg in CHROMIUM_ARGS if arg != "--disable-gpu"] + [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
SECTOR_COLOURS = ["#0b5394", "#a4161a", "#1e6b34", "#8a4b00", "#6a3d9a", "#00695c", "#ad1457", "#1b1f24", "#66661a"]
YEAR = 2012  # the demo's co-membership network is at its densest before the 2013 turn


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `make chromium`.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=WEBGL_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_rls(live_server) -> Territory:
    """The whole demo, in the live server's database (emptied after each test, the shipped instruments with it)."""
    install_shipped(Instrument, Section, Item)
    call_command("load_demo", stdout=StringIO())
    coordinator = next(account for account in demo_data.ACCOUNTS if account.role == "coordinator")
    return Territory.objects.get(pk=coordinator_rls(coordinator.username))


def coordinator_rls(username: str) -> int:
    from registry.models import RoleAssignment

    return RoleAssignment.objects.get(user__username=username, role=RoleAssignment.Role.COORDINATOR).rls_id


def sign_in_demo(page: Page, base: str, username: str = "coordination") -> None:
    page.goto(f"{base}/accounts/login/")
    language = page_language(page)
    page.get_by_label(translated("Username", language)).fill(username)
    page.get_by_label(translated("Password", language)).fill(demo_data.DEMO_PASSWORD)
    page.get_by_role("button", name=translated("Sign in", language), exact=True).click()
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()


def png_colours(path) -> int:
    """How many of the sector colours the image holds (WebGL layers copied too late come out blank)."""
    with Image.open(path) as image:
        assert image.format == "PNG"
        shown = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 24)}
    palette = {tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5)) for hex_ in SECTOR_COLOURS}
    return len(shown & palette)


def inside_a_node(image: Image.Image) -> tuple[int, int]:
    """A point well inside a drawn node: a 7×7 square of one sector colour."""
    rgb = image.convert("RGB")
    palette = {tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5)) for hex_ in SECTOR_COLOURS}
    width, height = rgb.size
    pixels = rgb.load()
    for y in range(3, height - 3, 2):
        for x in range(3, width - 3, 2):
            colour = pixels[x, y]
            if colour in palette and all(
                pixels[x + dx, y + dy] == colour for dx in range(-3, 4) for dy in range(-3, 4)
            ):
                return x, y
    raise AssertionError("no node found on the map")


def map_is_drawn(page: Page) -> bool:
    """Sigma drew: its WebGL layers exist and the nodes' layer holds coloured pixels."""
    return page.evaluate("""() => {
        const map = document.getElementById("network-map");
        if (!map.classList.contains("is-drawn")) return false;
        const layers = [...map.querySelectorAll("canvas")];
        const gl = layers.map((c) => c.getContext("webgl2") || c.getContext("webgl")).filter(Boolean);
        return layers.length > 0 && gl.length > 0;
    }""")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_coordinator_explores_the_network_map(new_context, live_server, demo_rls, language):
    context = new_context()
    page = context.new_page()
    messages, errors = [], []
    page.on("console", lambda message: messages.append(message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(REPORT_VIOLATIONS)
    base = live_server.url
    sign_in_demo(page, base)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    t = lambda text: translated(text, language)  # noqa: E731

    url = f"{base}/evaluation/network/?territory={demo_rls.pk}&year={YEAR}&graph=co_membership"
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.locator("#network-map.is-drawn canvas").first).to_be_attached()
    assert map_is_drawn(page)
    expect(page.locator("#network-map")).to_have_attribute("role", "img")
    expect(page.locator("#network-legend")).to_be_visible()
    nodes = page.evaluate("JSON.parse(document.getElementById('network-data').textContent).nodes.length")
    assert nodes > 5, "the demo network should have organisations in 2012"

    # The list by keyboard: Tab reaches an organisation's button, Enter opens its panel, Escape closes it.
    first = page.locator("th[data-node] button").first
    name = first.inner_text()
    first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator("#network-panel")
    expect(panel.locator("#network-panel-title")).to_have_text(name)
    expect(panel.locator("#network-panel-title")).to_be_focused()
    expect(panel.get_by_role("heading", name=t("Strongest ties"))).to_be_visible()
    expect(panel.locator("[data-field=ties] li").first).to_be_visible()
    # A tie in the panel opens that organisation, still by keyboard.
    tie = panel.locator("[data-field=ties] button").first
    other = tie.inner_text()
    tie.focus()
    page.keyboard.press("Enter")
    expect(panel.locator("#network-panel-title")).to_have_text(other)
    page.keyboard.press("Escape")
    expect(panel.locator("[data-panel=body]")).to_be_hidden()
    expect(panel.locator("#network-panel-title")).to_have_text(t("An organisation up close"))
    expect(first).to_be_focused()

    # A click on a node of the map opens its panel too (a pointer leaves the focus where it was).
    with Image.open(io.BytesIO(page.locator("#network-map").screenshot())) as shot:
        x, y = inside_a_node(shot)
    page.locator("#network-map").click(position={"x": x, "y": y})
    expect(panel.locator("[data-panel=body]")).to_be_visible()
    names = page.evaluate("JSON.parse(document.getElementById('network-data').textContent).nodes.map((n) => n.name)")
    assert panel.locator("#network-panel-title").inner_text() in names
    page.keyboard.press("Escape")
    expect(panel.locator("[data-panel=body]")).to_be_hidden()

    # PNG of the map.
    with page.expect_download() as download:
        page.get_by_role("button", name=t("Download PNG")).click()
    png = download.value
    assert png.suggested_filename.endswith(".png")
    assert png_colours(png.path()) > 4, "the PNG should hold the coloured nodes, not a blank canvas"

    # GraphML: the link answers XML.
    href = page.get_by_role("link", name=t("Download GraphML")).get_attribute("href")
    graphml = context.request.get(base + href)
    assert graphml.ok
    assert "<graphml" in graphml.text()

    assert axe_violations(page) == []

    # On a phone: the page fits, the panel stacks under the map, and still no violation.
    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.locator("#network-map.is-drawn")).to_be_attached()
    assert overflow(page) <= PHONE["width"]
    map_box = page.locator("#network-map").bounding_box()
    panel_box = page.locator("#network-panel").bounding_box()
    assert panel_box["y"] >= map_box["y"] + map_box["height"]
    assert axe_violations(page) == []
    # Nothing refused by the Content-Security-Policy, no script error, on either page load.
    assert [m.text for m in messages if "content security policy" in m.text.lower()] == []
    assert errors == []
    assert [m.text for m in messages if m.type == "error"] == []


NO_WEBGL = """(() => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
    return String(kind).includes("webgl") ? null : getContext.call(this, kind, ...rest);
  };
})();"""


def test_without_webgl_the_page_says_so_and_the_list_still_works(new_context, live_server, demo_rls):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
    page.add_init_script(NO_WEBGL)
    base = live_server.url
    sign_in_demo(page, base)
    t = lambda text: translated(text, "fr")  # noqa: E731
    page.goto(f"{base}/evaluation/network/?territory={demo_rls.pk}&year={YEAR}")

    message = t(
        "This browser cannot draw the map (WebGL is turned off or missing). "
        "The list below gives the same organisations and their figures."
    )
    expect(page.locator("#network-map")).to_have_text(message)
    expect(page.locator("#network-map canvas")).to_have_count(0)
    expect(page.get_by_role("button", name=t("Download PNG"))).to_be_hidden()
    expect(page.locator("#network-legend")).to_be_hidden()
    first = page.locator("th[data-node] button").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#network-panel-title")).to_have_text(first.inner_text())
    page.keyboard.press("Escape")
    expect(first).to_be_focused()

    # Choosing a sector reloads the page with the list of that sector only (the hint under the select says so).
    expect(page.locator("#sector-hint")).to_be_visible()
    label = translated(Organization.Sector.MUNICIPAL.label, "fr")
    page.locator("#id_sector").select_option(label=label)
    expect(page).to_have_url(re.compile(r"sector=municipal"))
    expect(page.locator("#network-map")).to_have_attribute("data-sector", "municipal")
    sectors = page.locator("section[aria-labelledby=list-title] tbody td:nth-child(2)").all_inner_texts()
    assert sectors and set(sectors) == {label}
    # sigma.min.js itself probes WebGL as it loads and throws without it; network-map.js must add no error of its own.
    assert [error for error in errors if "sigma.min.js" not in error] == []
