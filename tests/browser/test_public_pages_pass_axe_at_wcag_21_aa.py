"""Every kind of public page has no axe-core violations at WCAG 2.1 AA, on a phone and on
a desktop, in English, Russian and Kazakh."""

import pytest

from .helpers import assert_accessible, save_screenshot
from .public_pages import LANGUAGES, PUBLIC_PAGES_IN_EVERY_LANGUAGE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("public_page", PUBLIC_PAGES_IN_EVERY_LANGUAGE, ids=str)
def test_a_public_page_has_no_accessibility_violations(public_page, page_at_each_width, demo_content, request):
    response = page_at_each_width.goto(public_page.path)
    assert response.status == public_page.status
    save_screenshot(page_at_each_width, request.node.callspec.id)
    assert_accessible(page_at_each_width)


# Pages reached from a link in a signer's email: a demo signature's token opens them.
TOKEN_PAGES = {
    "confirm page": ("confirm", "pending", "Confirm your signature"),
    "confirm page once confirmed": ("confirm", "confirmed", "Your signature is confirmed"),
    "withdraw page": ("withdraw", "confirmed", "Withdraw your signature"),
    "stop-the-emails page": ("stop_updates", "confirmed", "Stop the emails about this petition"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", TOKEN_PAGES)
def test_a_page_from_a_signers_email_has_no_accessibility_violations(
    kind, language, page_at_each_width, demo_content, request
):
    from django.urls import reverse
    from django.utils import translation

    from petitions.models import Signature
    from petitions.tokens import make_token

    purpose, status, heading = TOKEN_PAGES[kind]
    signature = Signature.objects.filter(petition__slug="kazminerals-workers-demands", status=status).first()
    with translation.override(language):
        path = reverse(f"petitions:{purpose}", args=[make_token(signature, purpose)])
        heading = translation.gettext(heading)
    response = page_at_each_width.goto(path)
    assert response.status == 200
    assert page_at_each_width.get_by_role("heading", level=1).inner_text() == heading
    save_screenshot(page_at_each_width, request.node.callspec.id)
    assert_accessible(page_at_each_width)
