"""Every kind of public page has no axe-core violations at WCAG 2.1 AA, on a phone and on
a desktop."""

import pytest

from .helpers import assert_accessible, save_screenshot
from .public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_a_public_page_has_no_accessibility_violations(public_page, page_at_each_width, demo_content, request):
    response = page_at_each_width.goto(public_page.path)
    assert response.status == public_page.status
    save_screenshot(page_at_each_width, request.node.callspec.id)
    assert_accessible(page_at_each_width)
