"""An appeal's admin page, with its demands in three languages, fits a 1366 px laptop screen
in each language: nothing (the Russian and Kazakh demands, the delete boxes) off to the right."""

import pytest
from django.urls import reverse
from django.utils import translation

from appeals.models import Appeal

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_appeal_page_is_no_wider_than_the_screen(browser, live_server, demo_content, django_user_model, language):
    django_user_model.objects.create_superuser("organiser", "organiser@example.org", "a-long-pass-phrase")
    context = browser.new_context(viewport=LAPTOP, locale="en-GB", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        prefix = "" if language == "en" else f"/{language}"
        page.goto(f"{prefix}/admin/login/")
        page.locator("#id_username").fill("organiser")
        page.locator("#id_password").fill("a-long-pass-phrase")
        page.locator("input[type=submit]").click()
        page.wait_for_url(f"**{prefix}/admin/")
        appeal = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
        with translation.override("en"):
            change = prefix + reverse("admin:appeals_appeal_change", args=[appeal.pk])
        page.goto(change)
        assert page.locator('textarea[name="demands-0-text_kk"]').is_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"], f"{change} is {width} px wide at {LAPTOP['width']}"
        # The last demand's Kazakh text and its delete box are on the screen, not beyond it.
        for selector in ('textarea[name="demands-0-text_kk"]', 'input[name="demands-0-DELETE"]'):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], selector
    finally:
        context.close()
