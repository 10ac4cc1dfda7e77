"""A union branch's page, on another origin, frames the petition: the embed shows and signs
inside the frame, with no cookie; the petition's own page refuses to be framed.

The branch's page is served by a small http.server on 127.0.0.1, the site by the live server
on localhost: two origins, and two sites, as a branch's site and ours are."""

import functools
import http.server
import re
import threading

import pytest
from django.core import mail
from django.test.utils import override_settings
from playwright.sync_api import expect

from petitions.models import Petition, Signature

from .helpers import assert_accessible, load_page

pytestmark = pytest.mark.browser

SLUG = "kazminerals-workers-demands"
TITLE = "KazMinerals: decent wages, safe work, reinstate Erlan Tabinov"
EMBED_MAX_BYTES = 30 * 1024


@pytest.fixture
def branch_site(tmp_path, live_server):
    """The union branch's page, framing our embed and, to show it is refused, our
    petition page; served from another origin than the live server's."""
    assert "localhost" in live_server.url  # the branch's page is on 127.0.0.1: another site
    (tmp_path / "index.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Trades council</title></head>
<body><h1>Our branch supports the oil workers</h1>
<iframe id="embed" src="{live_server.url}/petitions/{SLUG}/embed/" title="Petition" width="100%" height="640"></iframe>
<iframe id="detail" src="{live_server.url}/petitions/{SLUG}/" title="Petition page" width="100%" height="400"></iframe>
</body></html>""",
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def signing_settings(live_server):
    # Links in the email point at the live server; the test types faster than a person.
    with override_settings(SITE_URL=live_server.url, SIGN_MIN_SECONDS=0):
        yield


def frame_of(page, element_id):
    return page.locator(f"#{element_id}").element_handle().content_frame()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_branchs_page_shows_the_embed_and_signs_through_it_with_no_cookie(
    browser, live_server, branch_site, demo_content, signing_settings, javascript
):
    context = browser.new_context(locale="en-GB", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(branch_site, wait_until="networkidle")
        embed = page.frame_locator("#embed")
        assert embed.get_by_role("heading", name=TITLE).is_visible()
        assert embed.locator("progress").is_visible()
        count_text = embed.locator(".embed__count").inner_text()
        assert re.search(r"\d+ signatures", count_text), count_text

        # Signing inside the frame: "check your email" comes back inside it.
        embed.get_by_label("Your name").fill("Branch Member")
        embed.get_by_label("Your email").fill("branch.member@example.org")
        embed.get_by_label("Country").select_option("GB")
        embed.get_by_role("button", name="Sign").click()
        expect(embed.get_by_role("heading", name="Check your email")).to_be_visible()
        assert page.get_by_role("heading", name="Our branch supports the oil workers").is_visible()

        signature = Signature.objects.named("Branch Member").get()
        assert signature.status == Signature.Status.PENDING
        assert [message.to for message in mail.outbox] == [["branch.member@example.org"]]
        # Not a cookie from us, for the branch's site to see or for anyone to follow.
        assert context.cookies() == []
    finally:
        context.close()


def test_the_petitions_own_page_is_refused_in_a_frame(browser, live_server, branch_site, demo_content):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "frame-ancestors" in message.text else None)
    try:
        page.goto(branch_site, wait_until="networkidle")
        detail = frame_of(page, "detail")
        # Chromium puts its own error page where the refused page would be.
        assert detail.locator("h1").filter(has_text=TITLE).count() == 0
        assert blocked, "Chromium should report the refusal under frame-ancestors"
        embed = frame_of(page, "embed")
        assert embed.locator("h1").filter(has_text=TITLE).count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/ru", "/kk"])
def test_the_embed_weighs_under_30_kb_and_passes_axe(page, demo_content, prefix):
    load = load_page(page, f"{prefix}/petitions/{SLUG}/embed/")
    assert load.status == 200
    assert load.total_bytes < EMBED_MAX_BYTES, load.report()
    assert load.request_count <= 3, load.report()  # the page, its stylesheet, the browser's favicon request
    assert_accessible(page)


def test_a_closed_petitions_embed_says_so_and_links_to_the_page(page, demo_content):
    Petition.objects.filter(slug=SLUG).update(status=Petition.Status.CLOSED)
    page.goto(f"/ru/petitions/{SLUG}/embed/")
    assert page.get_by_role("status").is_visible()
    assert page.locator("form").count() == 0
    link = page.locator("a.embed__button")
    assert link.get_attribute("href").endswith(f"/ru/petitions/{SLUG}/")
    assert link.get_attribute("target") == "_blank"
    assert_accessible(page)
