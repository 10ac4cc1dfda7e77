"""Supporters may browse with JavaScript off (Tor Browser's safest level, old phones):
every page reads and every link works without it. Nothing inline either: the
Content-Security-Policy allows no inline script or style, and the browser blocks nothing."""

import pytest

from .public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_a_public_page_reads_without_javascript(public_page, page_without_js, demo_content):
    response = page_without_js.goto(public_page.path)
    assert response.status == public_page.status
    assert page_without_js.locator("h1").count() == 1
    assert page_without_js.locator("h1").is_visible()
    # Styled by our stylesheet, not the browser's defaults: the header is the campaign's red
    # (a framed page has no header: its line naming the campaign is grey, in capitals).
    if public_page.framed:
        name = page_without_js.locator(".embed__from")
        assert name.evaluate("el => getComputedStyle(el).color") == "rgb(89, 95, 102)"
        assert name.evaluate("el => getComputedStyle(el).textTransform") == "uppercase"
        return
    header = page_without_js.locator("header.site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(94, 17, 17)"


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_a_public_page_loads_with_no_console_error_and_nothing_inline(public_page, page, demo_content):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(public_page.path, wait_until="networkidle")
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    if public_page.status >= 400:  # Chromium logs the page's own 404 (or 400) as an error
        errors = [text for text in errors if f"status of {public_page.status}" not in text]
    # A style, script or image the Content-Security-Policy blocks shows up here.
    assert errors == []
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[style]").count() == 0
    assert page.locator("[onclick], [onload], [onsubmit], [onchange]").count() == 0


def test_the_prisoner_filters_work_without_javascript(page_without_js, demo_content):
    page_without_js.goto("/prisoners/")
    page_without_js.get_by_role("link", name="Released", exact=True).click()
    # The click returns once the new page has begun to arrive, before its cards are parsed:
    # wait for it to load, or the cards are read from a page still coming in.
    page_without_js.wait_for_url("**/prisoners/?status=released", wait_until="load")
    cards = page_without_js.locator("article.prisoner-card h2")
    assert "Roza Tuletaeva" in cards.all_inner_texts()
    assert "Vadim Kuramshin" not in cards.all_inner_texts()
