import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check_deploy(**env):
    """`manage.py check --deploy` in a fresh process, as a production container would run it:
    DEBUG off, a real key and host, and none of this machine's own settings."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SIGNATURE_HASH_KEY", "DATA_ENCRYPTION_KEY", "ALLOWED_HOSTS"}
        and not k.startswith(("SECURE_", "AWS_", "CSRF_", "SESSION_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="campaign.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SIGNATURE_HASH_KEY=secrets.token_urlsafe(50),
        DATA_ENCRYPTION_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="solidarity.example.org",
        CSRF_TRUSTED_ORIGINS="https://solidarity.example.org",
        SECURE_PROXY_SSL_HEADER="1",
        TASKS_BACKEND="database",
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_deployment_check_finds_nothing_to_warn_about_with_production_settings():
    result = check_deploy()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in output


def test_the_deployment_check_finds_nothing_either_with_media_on_s3():
    result = check_deploy(AWS_STORAGE_BUCKET_NAME="campaign-photos", AWS_S3_ENDPOINT_URL="https://s3.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_check_warns_when_https_is_switched_off_for_a_plain_http_trial():
    result = check_deploy(SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W012" in result.stderr + result.stdout


def test_the_deployment_check_warns_when_mail_to_signers_is_sent_inside_the_request():
    # Inline, a new address is mailed during the request and an address mailed in
    # the last minutes is not, so the answer's time tells whether that address has signed.
    result = check_deploy(TASKS_BACKEND="immediate")
    assert result.returncode != 0
    assert "campaign.W001" in result.stderr + result.stdout
