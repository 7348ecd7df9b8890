"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

The browser is /usr/bin/chromium (installed by `make chromium`); Playwright never downloads one.
Expected texts come from the project's own translations (`in_french`), so the tests hold
before and after the French catalogue is completed.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-long-test-password-123"  # tests/factories.py UserFactory
TIMEOUT_MS = 10_000


def translated(text, language: str) -> str:
    """What users see in `language` for a source string or a lazy label (the source until the catalogue has it)."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def in_french(text) -> str:
    return translated(text, "fr")


def page_language(page: Page) -> str:
    return (page.locator("html").get_attribute("lang") or "fr")[:2]


@dataclass
class ConsoleLog:
    """Everything the page reported: console messages and uncaught script errors."""

    messages: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def texts(self, kind: str | None = None) -> list[str]:
        return [m.text for m in self.messages if kind is None or m.type == kind]

    def csp_violations(self) -> list[str]:
        return [text for text in self.texts() if "content security policy" in text.lower()]


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls from it.

    Module-scoped so that it spans the database flush after the last test, and set for the browser modules
    only: a process-wide value would leak into the subprocesses other tests start (`check --deploy` rejects it).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module; stopping Playwright afterwards lets the next (non-browser) tests use the ORM."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's Chromium. "
            "Install it with `make chromium` (apt-get install chromium); `make test` does it for you.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Fresh browser profiles (no cookies), closed after the test; call it twice for two visits."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(new_context, console: ConsoleLog) -> Page:
    page = new_context().new_page()
    page.on("console", lambda message: console.messages.append(message))
    page.on("pageerror", lambda error: console.page_errors.append(str(error)))
    return page


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, str], None]:
    """Sign in through the real login form, as a person would."""

    def sign_in(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        language = page_language(page)
        page.get_by_label(translated("Username", language)).fill(username)
        page.get_by_label(translated("Password", language)).fill(PASSWORD)
        page.get_by_role("button", name=translated("Sign in", language), exact=True).click()
        expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()

    return sign_in


@pytest.fixture
def sign_out() -> Callable[[Page], None]:
    def sign_out(page: Page) -> None:
        page.get_by_role("button", name=translated("Sign out", page_language(page)), exact=True).click()
        expect(page.locator("#id_username")).to_be_visible()

    return sign_out
