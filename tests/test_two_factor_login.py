import base64
import re
import time
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("roza", "roza@example.org", PASSWORD)


def app_code(device, seconds_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + seconds_ahead
    return f"{totp.token():06d}"


def log_in_with_password(client, username="roza"):
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def enrol(client):
    client.get(reverse("admin:two_factor_enrol"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("admin:two_factor_enrol"), {"code": app_code(device)})
    return device, response


def test_with_2fa_required_staff_without_an_authenticator_are_sent_to_enrol(client, staff, required):
    response = log_in_with_password(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_enrol"))
    assert client.get(reverse("admin:prisoners_prisoner_changelist")).status_code == 302


def test_the_enrolment_page_shows_a_qr_code_drawn_on_the_server_and_no_inline_script_or_style(client, staff, required):
    log_in_with_password(client)
    response = client.get(reverse("admin:two_factor_enrol"))
    html = response.content.decode()
    assert '<img class="two-factor-qr" src="data:image/svg+xml;base64,' in html
    img_src = next(d for d in response["Content-Security-Policy"].split(";") if d.strip().startswith("img-src"))
    assert "data:" in img_src
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = ET.fromstring(base64.b64decode(encoded))
    assert svg.tag.endswith("svg") and svg.find("{http://www.w3.org/2000/svg}path") is not None
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html.split('<div id="content-main">')[1]


def test_enrolling_with_a_code_from_the_app_opens_the_admin_and_shows_backup_codes_once(client, staff, required):
    log_in_with_password(client)
    device, response = enrol(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_backup_codes"))
    device.refresh_from_db()
    assert device.confirmed
    codes = StaticDevice.objects.get(user=staff).token_set.values_list("token", flat=True)
    assert len(codes) == 10
    page = client.get(response["Location"]).content.decode()
    assert all(code in page for code in codes)
    again = client.get(reverse("admin:two_factor_backup_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_does_not_enrol(client, staff, required):
    log_in_with_password(client)
    client.get(reverse("admin:two_factor_enrol"))
    response = client.post(reverse("admin:two_factor_enrol"), {"code": "000000x"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_after_enrolling_each_login_asks_for_a_code(client, staff, required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code below
    log_in_with_password(client)
    device, _response = enrol(client)
    other = Client()
    response = log_in_with_password(other)
    assert response["Location"].startswith(reverse("admin:two_factor_verify"))
    assert other.get(reverse("admin:index")).status_code == 302
    wrong = other.post(reverse("admin:two_factor_verify"), {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    ok = other.post(
        reverse("admin:two_factor_verify") + "?next=/admin/prisoners/", {"code": app_code(device, seconds_ahead=30)}
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/prisoners/"
    assert other.get(reverse("admin:index")).status_code == 200


def test_after_a_wrong_code_the_next_try_must_wait(client, staff, required):
    log_in_with_password(client)
    device, _response = enrol(client)
    other = Client()
    log_in_with_password(other)
    other.post(reverse("admin:two_factor_verify"), {"code": "123456"})
    response = other.post(reverse("admin:two_factor_verify"), {"code": app_code(device, seconds_ahead=30)})
    assert "Too many wrong codes" in response.content.decode()
    assert other.get(reverse("admin:index")).status_code == 302


def test_a_backup_code_works_once(client, staff, required):
    log_in_with_password(client)
    enrol(client)
    code = StaticDevice.objects.get(user=staff).token_set.first().token
    first = Client()
    log_in_with_password(first)
    assert first.post(reverse("admin:two_factor_verify"), {"code": code}).status_code == 302
    assert first.get(reverse("admin:index")).status_code == 200
    second = Client()
    log_in_with_password(second)
    response = second.post(reverse("admin:two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert second.get(reverse("admin:index")).status_code == 302


def test_a_second_authenticator_cannot_be_added_without_the_first(client, staff, required):
    log_in_with_password(client)
    enrol(client)
    other = Client()
    log_in_with_password(other)
    response = other.get(reverse("admin:two_factor_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_verify"))
    assert TOTPDevice.objects.count() == 1


def test_staff_who_owe_the_second_factor_can_still_log_out(client, staff, required):
    log_in_with_password(client)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_when_not_required_staff_without_an_authenticator_go_straight_in(client, staff):
    response = log_in_with_password(client)
    assert response.status_code == 200


def test_when_not_required_staff_with_an_authenticator_still_use_it(client, staff):
    log_in_with_password(client)
    enrol(client)
    other = Client()
    response = log_in_with_password(other)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_verify"))


def test_the_second_step_pages_are_for_staff_only(client, django_user_model):
    django_user_model.objects.create_user("visitor", "v@example.org", PASSWORD)
    for name in ["two_factor_enrol", "two_factor_verify", "two_factor_backup_codes"]:
        response = client.get(reverse(f"admin:{name}"))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.force_login(django_user_model.objects.get(username="visitor"))
    assert client.get(reverse("admin:two_factor_enrol")).status_code == 302
    assert not TOTPDevice.objects.exists()


def _setting(**env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REQUIRE_2FA", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE="campaign.settings",
        SECRET_KEY="x" * 50,
        SIGNATURE_HASH_KEY="y" * 50,
        DATA_ENCRYPTION_KEY="z" * 50,
        ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.REQUIRE_2FA)"],
        cwd=Path(__file__).resolve().parent.parent,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_2fa_is_required_by_default_in_production_and_not_locally():
    assert _setting(DEBUG="0") == "True"
    assert _setting() == "False"
    assert _setting(DEBUG="0", REQUIRE_2FA="0") == "False"
    assert _setting(REQUIRE_2FA="1") == "True"
