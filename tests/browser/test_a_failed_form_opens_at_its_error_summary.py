"""After a failed submission the page opens at the error summary, on a phone as on a desktop,
with JavaScript (focus moves there) and without (the form's action ends in #error-summary)."""

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.browser


def _new_phone_page(browser, live_server, javascript):
    context = browser.new_context(
        locale="en-GB",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        java_script_enabled=javascript,
        base_url=live_server.url,
    )
    return context, context.new_page()


def _summary_in_view(page):
    # Bootstrap scrolls smoothly to a #fragment: the page glides there after it has loaded.
    page.wait_for_function(
        "() => { const r = document.getElementById('error-summary').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight / 2; }",
        timeout=5000,
    )
    box = page.locator("#error-summary").bounding_box()
    assert box is not None
    height = page.viewport_size["height"]
    assert 0 <= box["y"] < height / 2, f"the summary is at {box['y']}px, outside the first half of the screen"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_letter_without_a_name_reopens_at_the_summary_on_a_phone(browser, live_server, demo_content, javascript):
    context, page = _new_phone_page(browser, live_server, javascript)
    try:
        page.goto("/appeals/free-vadim-kuramshin/")
        # Wait for the answer to the POST, not for the page the click left.
        with page.expect_navigation(wait_until="load"):
            page.locator(".letter-form button[type=submit]").click()
        _summary_in_view(page)
        link = page.locator("#error-summary a[href='#id_name']")
        assert link.count() == 1
        if javascript:
            assert page.evaluate("document.activeElement.id") == "error-summary"
        link.click()
        assert page.evaluate("document.activeElement.id") == "id_name"
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_signature_without_an_email_reopens_at_the_summary_on_a_phone(browser, live_server, demo_content, javascript):
    context, page = _new_phone_page(browser, live_server, javascript)
    try:
        page.goto("/petitions/kazminerals-workers-demands/")
        page.fill("#id_name", "Jane Doe")
        page.select_option("#id_country", "GB")
        with page.expect_navigation(wait_until="load"):
            page.locator(".sign-form button[type=submit]").click()
        _summary_in_view(page)
        assert page.locator("#error-summary a[href='#id_email']").count() == 1
    finally:
        context.close()
