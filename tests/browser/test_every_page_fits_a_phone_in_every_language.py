"""Every public page fits a 390 px phone in every language: nothing is wider than the screen,
so nobody has to scroll sideways to read a Kazakh status badge or a Russian button.

A page is too wide when the document scrolls further than the viewport
(document.documentElement.scrollWidth > innerWidth). The phone is a mobile browser, which
may zoom out to show a too-wide page whole, so the width is also held to the phone's own
390 px, not only to innerWidth."""

import pytest

from .conftest import PHONE
from .public_pages import LANGUAGES, PUBLIC_PAGES, in_language

pytestmark = pytest.mark.browser

# Pages made to sit inside other sites' pages are held to their own frame's width elsewhere.
PAGES = [in_language(page, language) for language in LANGUAGES for page in PUBLIC_PAGES if not page.framed]

WIDTHS = """
() => {
  const root = document.documentElement;
  // The elements that stick out past the right edge, to say what to fix.
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > root.clientWidth + 0.5 && box.width > 0) {
      const classes = String(element.className || '').trim().split(/\\s+/).filter(Boolean);
      wide.push([element.tagName.toLowerCase(), ...classes].join('.'));
    }
  }
  return {scroll: root.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 5)};
}
"""


def assert_fits(page, what):
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["inner"] and widths["scroll"] <= PHONE["width"], (
        f"{what} is {widths['scroll']} px wide on a {PHONE['width']} px phone "
        f"(innerWidth {widths['inner']}); too wide: {widths['wide']}"
    )


@pytest.mark.parametrize("public_page", PAGES, ids=str)
def test_a_public_page_is_no_wider_than_a_phone(phone_page, demo_content, public_page):
    response = phone_page.goto(public_page.path)
    assert response.status == public_page.status
    assert_fits(phone_page, public_page.path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_letter_page_is_no_wider_than_a_phone(phone_page, demo_content, language):
    prefix = "" if language == "en" else f"/{language}"
    # A letter to the embassy and to the President, with a long name and organisation, from
    # a country the directory has no embassy for (so the page explains where it goes).
    phone_page.goto(f"{prefix}/appeals/oil-workers-model-letter-of-protest/")
    phone_page.locator("#id_name").fill("Айгерім Сапарбекова-Нұрмағамбетова")
    phone_page.locator("#id_organisation").fill("Жаңаөзен мұнайшыларының тәуелсіз кәсіподағы")
    phone_page.locator("#id_town").fill("Жаңаөзен")
    phone_page.locator("#id_country").select_option("DK")
    phone_page.locator("form.letter-form button[type=submit]").click()
    phone_page.wait_for_selector("section.letter")
    assert_fits(phone_page, f"the letter page ({language})")
    # Copy-then-open, opened, fits too.
    for summary in phone_page.locator("details.copy-then-open:not([hidden]) > summary").all():
        summary.click()
    assert_fits(phone_page, f"the letter page with copy-then-open open ({language})")


def test_the_check_can_fail(phone_page, demo_content):
    phone_page.goto("/")
    # Set through the DOM: the Content-Security-Policy rightly ignores a style attribute.
    phone_page.evaluate(
        "() => { const d = document.createElement('div'); d.style.width = '461px'; d.textContent = 'x';"
        " document.body.append(d); }"
    )
    with pytest.raises(AssertionError, match="461 px wide"):
        assert_fits(phone_page, "/")
