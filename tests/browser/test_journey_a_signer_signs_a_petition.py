"""Journey 2: a signer signs the KazMinerals petition, gets the email, confirms with the
button, and sees the count rise and their name listed (they agreed to be listed). With
JavaScript and without, in English, Russian and Kazakh: the email comes in the language
the signer signed in, and its links open pages in that language.

The live server runs in this process: its tasks run inline (TASKS_BACKEND=immediate) and
its mail goes to django.core.mail.outbox (locmem), which the test reads.
"""

import re

import pytest
from django.core import mail
from django.test.utils import override_settings
from django.utils import translation

from petitions.models import Petition, Signature

from .helpers import assert_accessible, links_in_email, save_screenshot

pytestmark = pytest.mark.browser

SLUG = "kazminerals-workers-demands"
SIGNER = "Aigerim Nurlanovna"
ADDRESS = "aigerim.signer@example.org"


@pytest.fixture
def signing_settings(live_server):
    # The email's links point at the live server. The form refuses (silently, as it does a
    # bot) anything sent back faster than SIGN_MIN_SECONDS: the test types faster than that.
    with override_settings(SITE_URL=live_server.url, SIGN_MIN_SECONDS=0):
        yield


def count_on_page(page):
    """The count as the petition page shows it: "294 signatures of a goal of 1,000", "1 294
    подписи из 2 000"."""
    text = page.locator("#count").inner_text()
    match = re.search(r"\d[\d,\s]*", text)
    assert match, text
    return int(re.sub(r"\D", "", match.group(0)))


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_signer_signs_confirms_with_the_button_and_is_counted_and_listed(
    supporter_page, demo_content, signing_settings, live_server, request, language
):
    page = supporter_page
    with_js = request.node.callspec.params["supporter_page"] == "with JavaScript"
    prefix = "" if language == "en" else f"/{language}"
    petition = Petition.objects.get(slug=SLUG)
    before = petition.confirmed_count()

    def _(text):
        with translation.override(language):
            return translation.gettext(text)

    page.goto(f"{prefix}/petitions/")
    with translation.override(language):
        title = petition.title  # as the demo writes it in that language
    page.get_by_role("link", name=title).click()
    assert page.url.endswith(f"{prefix}/petitions/{SLUG}/")
    assert count_on_page(page) == before

    page.get_by_label(_("Your name")).fill(SIGNER)
    page.get_by_label(_("Your email")).fill(ADDRESS)
    page.get_by_role("combobox", name=re.compile("^" + re.escape(_("Country")))).select_option("GB")
    page.get_by_label(_("Town")).fill("Leeds")
    page.get_by_label(_("Organisation or trade union")).fill("Leeds Trades Council")
    page.get_by_label(_("List my name publicly")).check()
    page.get_by_role("button", name=_("Sign"), exact=True).click()

    # The form's action ends in #error-summary, which the redirect keeps: the path is what counts.
    assert page.url.split("#")[0].endswith(f"{prefix}/petitions/{SLUG}/check-your-email/")
    assert page.get_by_role("heading", level=1).inner_text() == _("Check your email")
    if with_js:
        assert_accessible(page)

    # Sent while the form was being answered: the task ran inline, after the commit.
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == _("Please confirm your signature: %(title)s") % {"title": title}
    confirm_links = [link for link in links_in_email(message) if "/petitions/confirm/" in link]
    assert len(set(confirm_links)) == 1, links_in_email(message)
    confirm_link = confirm_links[0]
    assert confirm_link.startswith(f"{live_server.url}{prefix}/petitions/confirm/")

    signature = Signature.objects.named(SIGNER).get(petition=petition)
    assert signature.status == Signature.Status.PENDING
    assert signature.public

    # Opening the link (as a mail scanner would) only shows the button.
    response = page.goto(confirm_link)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == _("Confirm your signature")
    assert SIGNER in page.locator(".signer-preview").inner_text()
    assert _("Your name will be listed publicly.") in page.locator(".signer-preview").inner_text()
    button = page.get_by_role("button", name=_("Confirm my signature"))
    assert button.is_visible()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    assert petition.confirmed_count() == before
    if with_js:
        assert_accessible(page)

    button.click()

    assert re.search(rf"{prefix}/petitions/{SLUG}/(#count)?$", page.url), page.url
    assert _("Thank you: your signature is confirmed and counted.") in page.get_by_role("status").first.inner_text()
    assert count_on_page(page) == before + 1
    assert petition.confirmed_count() == before + 1
    latest = page.locator("section[aria-labelledby=signers]")
    assert latest.get_by_role("heading", name=_("Latest signers")).is_visible()
    assert f"{SIGNER}, Leeds" in latest.locator("li").first.inner_text()
    if with_js:
        assert_accessible(page)
    save_screenshot(page, f"journey-2-confirmed-{request.node.callspec.id}")

    # The full list of signers has them too, newest first.
    latest.get_by_role("link", name=_("Everyone who chose to be listed")).click()
    assert SIGNER in page.locator("ul.signer-list li").first.inner_text()

    # The link, opened again, says it is done and counts nothing more.
    page.goto(confirm_link)
    assert page.get_by_role("heading", level=1).inner_text() == _("Your signature is confirmed")
    assert petition.confirmed_count() == before + 1


def test_on_a_phone_the_form_follows_the_petitions_text_before_the_counts_and_lists(phone_page, demo_content):
    phone_page.goto(f"/petitions/{SLUG}/")

    def top(name):
        return phone_page.get_by_role("heading", name=name, exact=True).bounding_box()["y"]

    assert top("The petition") < top("Sign the petition") < top("Signatures by country") < top("Latest signers")
