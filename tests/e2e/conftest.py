"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without Chromium the tests skip on a workstation (with a message on how to enable them) and
fail the run when CI is set, because CI must run them.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an asyncio event loop in the main thread; Django then refuses
# database access from the test body (SynchronousOnlyOperation). The test body never runs
# inside that loop, so the documented escape hatch is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach a network that is closed on CI machines.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERIOUS_IMPACTS = {"serious", "critical"}
# Playwright waits up to this long for an element or a navigation (default 30 s).
TIMEOUT_MS = 10_000

_E2E_DIR = os.path.dirname(__file__)


def _is_e2e(item):
    return str(item.path).startswith(_E2E_DIR + os.sep)


def pytest_itemcollected(item):
    """Every test here is `e2e`, even one whose module forgets its pytestmark."""
    if _is_e2e(item) and item.get_closest_marker("e2e") is None:
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` deselection: only selected tests count
def pytest_collection_modifyitems(config, items):
    """Skip the e2e tests when Chromium is missing; under CI, fail the run instead."""
    e2e_items = [item for item in items if _is_e2e(item)]
    if CHROMIUM or not e2e_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "CI is set but Chromium was not found on PATH: the browser tests (tests/e2e) must "
            "run on CI. Install it (Debian: apt-get install chromium)."
        )
    skip = pytest.mark.skip(
        reason="Chromium not found on PATH; to run the browser tests install it "
        "(Debian: apt-get install chromium)."
    )
    for item in e2e_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:  # pragma: no cover - collection already skipped or failed
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium was not found (apt-get install chromium).")
        pytest.skip("Chromium not found; install it with: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def assert_no_serious_axe_violations(page):
    """Run axe-core on the page; fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS_IMPACTS]
    if not serious:
        return
    lines = [f"{len(serious)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in serious:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = ", ".join(str(t) for t in node["target"])
            lines.append(f"    * {target}: {node.get('html', '').strip()[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page, live_server, user, *, reauthenticated=False):
    """Replace the browser's session with one for `user`, by session cookie (the sign-in form
    itself is covered by the sign-up journey). `reauthenticated`: the session also records
    that the password was just confirmed on allauth's reauthentication form, so that the
    pages which ask for it (second factor, recovery codes) show themselves."""
    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.test import Client, RequestFactory

    client = Client()
    client.force_login(user)
    if reauthenticated:
        # What the reauthentication form records, written into the new session.
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        record_authentication(request, user, method="password", reauthenticated=True)
        request.session.save()
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
