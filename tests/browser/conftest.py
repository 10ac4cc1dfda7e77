"""Real-browser tests: Playwright for Python driving Debian's Chromium.

Playwright's own browser downloads cannot be fetched here, so we drive the system
Chromium (CHROMIUM_PATH, else the first of chromium, chromium-browser, google-chrome on
PATH). Without one the tests skip, except under CI=true, where a missing browser fails
the run: CI installs Chromium so these tests must really run there.

The live server serves static files the way production does: collected by
CompressedManifestStaticFilesStorage and served, compressed, by WhiteNoise. The page
weight test then measures what a supporter's browser really downloads.
"""

import io
import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from .helpers import AXE_PATH

CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def find_chromium():
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def cannot_run(reason):
    """Skip on a developer's machine, fail in CI, where the browser tests must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        cannot_run(
            "No Chromium found for the browser tests: install Debian's package "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
    if not AXE_PATH.exists():
        cannot_run(f"axe-core is missing at {AXE_PATH}")
    return path


# Playwright and the browser live as long as this package's tests, not the session: the
# event loop and DJANGO_ALLOW_ASYNC_UNSAFE below must be gone before the other tests run
# (manage.py check --deploy, for one, rightly refuses that variable).
@pytest.fixture(scope="package")
def playwright(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        cannot_run("Playwright is not installed: run make install-dev")
    # Playwright's sync API keeps an asyncio event loop running in this thread, which
    # makes Django refuse ORM calls from the test itself. Our tests are plain sync code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright, chromium_path):
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def production_static_files(tmp_path_factory):
    """Collect the static files as the Docker image does, so the live server sends the
    compressed, hashed files a supporter's browser gets in production."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=static_root, STORAGES=storages, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield static_root


@pytest.fixture(scope="package")
def live_server(request, production_static_files):
    """pytest-django's live server, but with static files left to WhiteNoise (as in
    production) instead of Django's uncompressed development handler."""
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


def _new_page(browser, **options):
    context = browser.new_context(locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop browser with JavaScript, fresh (empty cache, no cookies) for each test."""
    context, page = _new_page(browser, viewport=DESKTOP, base_url=live_server.url)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _new_page(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, base_url=live_server.url
    )
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context, page = _new_page(browser, viewport=DESKTOP, java_script_enabled=False, base_url=live_server.url)
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def page_at_each_width(request):
    """The same test at a phone's width and at a desktop's."""
    return request.getfixturevalue("phone_page" if request.param == "phone" else "page")


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def supporter_page(request):
    """For the supporters' journeys, which must also work with JavaScript off."""
    return request.getfixturevalue("page" if request.param == "with JavaScript" else "page_without_js")


@pytest.fixture
def demo_content(transactional_db):
    """The demo content and the embassy directory, as `make run` has them, committed so that
    the live server's thread sees them."""
    call_command("load_embassies", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
