import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("natalia", "n@example.org", PASSWORD)


def log_in(client, password, username="natalia"):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def fail(client, times, username="natalia"):
    return [log_in(client, "wrong-password", username).status_code for _ in range(times)]


def test_the_default_limit_is_five_failures_and_half_an_hour(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_logins_are_locked_after_the_failure_limit_with_a_clear_message(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    statuses = fail(client, 3)
    assert statuses[:2] == [200, 200]  # the login form again, with its error
    assert statuses[2] == 429
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html
    assert "3 wrong passwords" in html and "30 minutes" in html
    assert "_auth_user_id" not in client.session


def test_a_lock_on_one_account_leaves_the_others_alone(client, staff, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_superuser("vadim", "v@example.org", PASSWORD)
    fail(client, 3)
    assert log_in(client, PASSWORD, username="vadim").status_code == 302


def test_axes_reset_lifts_the_lock(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, 3)
    assert log_in(client, PASSWORD).status_code == 429
    call_command("axes_reset")
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_successful_login_clears_earlier_failures(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(client, 2)
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, 2) == [200, 200]


def test_failures_are_logged_with_the_account_name_but_not_the_password(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    fail(client, 1)
    failures = [record.getMessage() for record in caplog.records if "login failure" in record.getMessage().lower()]
    assert failures
    assert any("natalia" in message for message in failures)
    assert not any("wrong-password" in record.getMessage() for record in caplog.records)


def test_behind_a_proxy_failures_from_elsewhere_do_not_lock_the_organiser_out(client, staff, settings):
    # Every request comes from the proxy's address; the lockout must key on
    # the visitor's address the proxy reports, as the rate limits do.
    settings.NUM_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 3
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    organiser = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    url = reverse("admin:login")
    statuses = [
        client.post(url, {"username": "natalia", "password": "wrong-password"}, **attacker).status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429  # the attacker is locked out
    response = client.post(url, {"username": "natalia", "password": PASSWORD}, **organiser)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_name_longer_than_any_accounts_gets_the_login_form_back_and_is_not_recorded(client, staff):
    # Axes recorded every failed name in a column of 255 characters: on PostgreSQL a longer
    # one was a 500 (the admin login is a public form, and no input may give a 500).
    from axes.models import AccessAttempt

    response = log_in(client, PASSWORD, username="n" * 5000)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exclude(username__regex=r"^.{0,255}$").exists()
