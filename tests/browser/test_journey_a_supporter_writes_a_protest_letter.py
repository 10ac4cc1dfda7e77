"""Journey 1: a supporter opens the home page, reaches Roza Tuletaeva's case, goes to an
appeal about her, fills in the letter form, gets the letter, and checks the mailto: link
and the printable version. With JavaScript and without, in English, Russian and Kazakh.

Appeals are not built yet: the journey goes as far as the case page. When they land,
carry on from the case page in this test (and add the appeal and letter pages to
public_pages.py).
"""

import pytest
from django.utils import translation

from .helpers import assert_accessible

pytestmark = pytest.mark.browser

# Her case as the demo content writes it in each language.
ROZA = {
    "en": {
        "name": "Roza Tuletaeva",
        "hunger strike": "hunger strike in the women’s prison colony in Atyrau",
        "held": "Women’s prison colony, Atyrau",
    },
    "ru": {
        "name": "Роза Тулетаева",
        "hunger strike": "В женской исправительной колонии в Атырау она объявила голодовку",
        "held": "Женская исправительная колония, Атырау",
    },
    "kk": {
        "name": "Роза Тулетаева",
        "hunger strike": "Атыраудағы әйелдер түзеу колониясында",
        "held": "Әйелдер түзеу колониясы, Атырау",
    },
}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_supporter_goes_from_the_home_page_to_roza_tuletaevas_case(supporter_page, demo_content, language, request):
    page = supporter_page
    with_js = request.node.callspec.params["supporter_page"] == "with JavaScript"
    prefix = "" if language == "en" else f"/{language}"
    with translation.override(language):
        heading = translation.gettext("Free Kazakhstan's political prisoners")
        cases_link = translation.gettext("Read the prisoners' cases")

    page.goto(f"{prefix}/")
    assert page.evaluate("() => document.documentElement.lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == heading
    if with_js:
        assert_accessible(page)

    page.get_by_role("link", name=cases_link).click()
    page.get_by_role("link", name=ROZA[language]["name"]).click()

    assert page.url.endswith(f"{prefix}/prisoners/roza-tuletaeva/")
    assert page.get_by_role("heading", level=1).inner_text() == ROZA[language]["name"]
    timeline = page.locator("ol.timeline")
    assert ROZA[language]["hunger strike"] in timeline.inner_text()
    assert ROZA[language]["held"] in page.locator("section[aria-labelledby=write]").inner_text()
    if with_js:
        assert_accessible(page)
    # Next, when appeals land: follow the case page's link to the appeal about her.


def test_a_russian_browser_is_sent_to_russian_pages_until_english_is_chosen(browser, live_server, demo_content):
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/prisoners/roza-tuletaeva/")
        assert page.url.endswith("/ru/prisoners/roza-tuletaeva/")
        assert page.evaluate("() => document.documentElement.lang") == "ru"

        page.get_by_role("link", name="English", exact=True).click()
        assert page.url == f"{live_server.url}/prisoners/roza-tuletaeva/"
        assert page.evaluate("() => document.documentElement.lang") == "en"
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Prisoners").click()
        assert page.url == f"{live_server.url}/prisoners/"

        page.get_by_role("link", name="Қазақша").click()
        assert page.url == f"{live_server.url}/kk/prisoners/"
        assert page.evaluate("() => document.documentElement.lang") == "kk"
    finally:
        context.close()
