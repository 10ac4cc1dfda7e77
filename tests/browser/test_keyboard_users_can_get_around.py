"""Someone on a keyboard alone can skip the header and always sees where the focus is."""

import pytest

pytestmark = pytest.mark.browser


def test_the_first_tab_reaches_a_visible_skip_link_that_moves_focus_to_the_content(page, demo_content):
    page.goto("/prisoners/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    assert skip.is_visible()
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "All"


def test_a_focused_case_card_link_shows_an_outline(page, demo_content):
    page.goto("/prisoners/")
    link = page.get_by_role("link", name="Roza Tuletaeva")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus from the keyboard, so :focus-visible applies
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Roza Tuletaeva"
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
