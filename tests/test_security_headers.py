import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def policy(response):
    return dict((directive.split(" ", 1) + [""])[:2] for directive in response["Content-Security-Policy"].split("; "))


def assert_locked_down(response):
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # What the policy would block must not be on the page in the first place.
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group()
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group()


def test_public_pages_carry_a_content_security_policy_without_unsafe_inline(client, make_prisoner):
    prisoner = make_prisoner(events=1, charges=1)
    for url in ("/", reverse("prisoners:list"), prisoner.get_absolute_url()):
        assert_locked_down(client.get(url))


def test_the_admin_login_page_works_under_the_same_policy(client):
    response = client.get(reverse("admin:login"))
    assert_locked_down(response)
    assert 'name="password"' in response.content.decode()


def test_the_admin_forms_work_under_the_same_policy(organiser_client, make_prisoner):
    prisoner = make_prisoner(events=1)
    assert_locked_down(organiser_client.get(reverse("admin:index")))
    assert_locked_down(organiser_client.get(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])))


def test_the_policy_lets_a_form_hand_a_letter_to_the_mail_program(client):
    assert policy(client.get("/"))["form-action"] == "'self' mailto:"
