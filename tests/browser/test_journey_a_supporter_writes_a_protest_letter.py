"""Journey 1: a supporter opens the home page, reaches Roza Tuletaeva's case, goes to an
appeal about her, fills in the letter form, gets the letter, and checks the mailto: link
and the printable version. With JavaScript and without.

Appeals are not built yet: the journey goes as far as the case page. When they land,
carry on from the case page in this test (and add the appeal and letter pages to
public_pages.py).
"""

import pytest

pytestmark = pytest.mark.browser


def test_a_supporter_goes_from_the_home_page_to_roza_tuletaevas_case(supporter_page, demo_content):
    page = supporter_page
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Free Kazakhstan's political prisoners"

    page.get_by_role("link", name="Read the prisoners' cases").click()
    page.get_by_role("link", name="Roza Tuletaeva").click()

    assert page.url.endswith("/prisoners/roza-tuletaeva/")
    assert page.get_by_role("heading", level=1).inner_text() == "Roza Tuletaeva"
    timeline = page.locator("ol.timeline")
    assert "hunger strike in the women’s prison colony in Atyrau" in timeline.inner_text()
    assert "Women’s prison colony, Atyrau" in page.locator("section[aria-labelledby=write]").inner_text()
    # Next, when appeals land: follow the case page's link to the appeal about her.
