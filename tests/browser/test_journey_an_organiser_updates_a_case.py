"""Journey 3: an organiser logs into admin, adds a timeline event to a prisoner, publishes
a new appeal, and finds both on the public site. In English, Russian and Kazakh: the admin
speaks the organiser's language too.

Appeals are not built yet: the journey adds the timeline event. When appeals land, add
"publishes a new appeal" here between the admin steps and the look at the public site.
"""

import datetime

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from prisoners.models import Precision, format_fuzzy_date

pytestmark = pytest.mark.browser

NEW_EVENT = {
    "en": "Supporters' letters reached the colony; she wrote back to thank them.",
    "ru": "Письма сторонников дошли до колонии; она ответила и поблагодарила их.",
    "kk": "Қолдаушылардың хаттары колонияға жетті; ол оларға алғыс айтып жауап жазды.",
}
# How the admin's list names her: in the organiser's language.
NAME = {"en": "Roza Tuletaeva", "ru": "Роза Тулетаева", "kk": "Роза Тулетаева"}


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


def log_in_to_admin(page, username, password, language="en"):
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{prefix}/admin/")
    # Django's login form labels its fields with the user model's verbose names.
    page.get_by_label(in_language(language, "username")).fill(username)
    page.get_by_label(in_language(language, "password")).fill(password)
    page.get_by_role("button", name=in_language(language, "Log in")).click()
    # The click only starts the navigation: wait for the page it leads to.
    expect(page.get_by_role("heading", name=in_language(language, "Dashboard"))).to_be_visible()


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_an_organiser_adds_a_timeline_event_that_supporters_then_read(page, demo_content, django_user_model, language):
    django_user_model.objects.create_superuser("organiser", "organiser@example.org", "a-long-pass-phrase")
    log_in_to_admin(page, "organiser", "a-long-pass-phrase", language)
    assert page.evaluate("() => document.documentElement.lang") == language

    page.get_by_role("link", name=in_language(language, "Prisoners"), exact=True).click()
    page.get_by_role("searchbox").fill("Tuletaeva")
    page.get_by_role("button", name=in_language(language, "Search")).click()
    page.get_by_role("link", name=NAME[language], exact=True).click()

    index = int(page.locator("#id_events-TOTAL_FORMS").input_value())
    page.locator("#events-group .add-row a, #events-group .add-row button").first.click()
    page.locator(f"#id_events-{index}-date").fill("2014-12-01")
    page.locator(f"#id_events-{index}-precision").select_option("month")
    page.locator(f"#id_events-{index}-kind").select_option("statement")
    # The English text is the original, always written; the organiser's own language beside it.
    page.locator(f"#id_events-{index}-text_en").fill(NEW_EVENT["en"])
    if language != "en":
        page.locator(f"#id_events-{index}-text_{language}").fill(NEW_EVENT[language])
    page.get_by_role("button", name=in_language(language, "Save"), exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_count(1)

    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{prefix}/prisoners/roza-tuletaeva/")
    last_event = page.locator("ol.timeline > li").last
    assert NEW_EVENT[language] in last_event.inner_text()
    with translation.override(language):
        month = capfirst(format_fuzzy_date(datetime.date(2014, 12, 1), Precision.MONTH))
        kind = str(translation.gettext("Statement"))
    assert month in last_event.inner_text()
    assert kind in last_event.inner_text()
