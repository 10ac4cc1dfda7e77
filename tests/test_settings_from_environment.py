import ast
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaign.settings import cache_settings, email_settings

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SIGNATURE_HASH_KEY", "DATA_ENCRYPTION_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="campaign.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_email_url_becomes_smtp_settings():
    settings = email_settings("smtp+tls://user%40mail:p%40ss@mail.example.org:2525")
    assert settings["EMAIL_HOST"] == "mail.example.org"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["EMAIL_HOST_USER"] == "user@mail"
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert settings["EMAIL_USE_TLS"] and not settings["EMAIL_USE_SSL"]
    assert email_settings("smtp+ssl://mail.example.org")["EMAIL_PORT"] == 465
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured):
        email_settings("carrier-pigeon://")


def test_cache_url_chooses_the_backend():
    assert cache_settings("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    assert cache_settings("db://")["LOCATION"] == "django_cache"
    assert cache_settings("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured):
        cache_settings("memcached://x")


def test_with_debug_off_the_app_refuses_to_start_without_a_secret_key():
    result = run_check(DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_with_debug_off_the_app_refuses_to_start_without_a_key_for_signers_fingerprints():
    # Never SECRET_KEY by default.
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SIGNATURE_HASH_KEY must be set" in result.stderr


def test_with_debug_off_the_app_refuses_to_start_without_a_key_for_signers_personal_data():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, SIGNATURE_HASH_KEY="y" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DATA_ENCRYPTION_KEY must be set" in result.stderr
    same = run_check(
        DEBUG="0", SECRET_KEY="x" * 50, SIGNATURE_HASH_KEY="y" * 50, DATA_ENCRYPTION_KEY="x" * 50, ALLOWED_HOSTS="e.org"
    )
    assert same.returncode != 0
    assert "DATA_ENCRYPTION_KEY must be a value of its own" in same.stderr


def test_with_debug_off_the_app_refuses_to_start_without_allowed_hosts():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, SIGNATURE_HASH_KEY="y" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_with_nothing_set_the_local_defaults_work():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_a_yes_no_variable_set_to_anything_else_stops_the_site_naming_it():
    result = run_check(SECURE_SSL_REDIRECT="ture")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be one of" in result.stderr
    assert "'ture'" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False), ("", "default")]
)
def test_yes_no_variables_take_the_usual_words(monkeypatch, value, expected):
    from campaign.settings import env_bool

    monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH", default="default") == expected


def run_entrypoint(tmp_path, run_migrations):
    """The image's entrypoint, with `python` and `gunicorn` stubs that only say they ran."""
    for program in ("python", "gunicorn"):
        stub = tmp_path / program
        stub.write_text(f'#!/bin/sh\necho "{program} $*"\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "RUN_MIGRATIONS": run_migrations}
    return subprocess.run(
        ["sh", ROOT / "docker" / "entrypoint.sh", "web"], env=env, capture_output=True, text=True, timeout=30
    )


def test_the_image_refuses_a_run_migrations_that_is_not_yes_or_no(tmp_path):
    result = run_entrypoint(tmp_path, "ture")
    assert result.returncode != 0
    assert "RUN_MIGRATIONS must be one of" in result.stderr
    assert "'ture'" in result.stderr
    assert "gunicorn" not in result.stdout


@pytest.mark.parametrize(("value", "migrates"), [("1", True), ("Yes", True), ("0", False), ("off", False), ("", False)])
def test_the_image_migrates_first_only_when_asked(tmp_path, value, migrates):
    result = run_entrypoint(tmp_path, value)
    assert result.returncode == 0, result.stderr
    assert ("python manage.py migrate --noinput" in result.stdout) is migrates
    assert result.stdout.splitlines()[-1].startswith("gunicorn --config")


def gunicorn_config(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py"))


def test_gunicorn_refuses_an_access_log_switch_that_is_not_yes_or_no(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_ACCESS_LOG must be one of .* not 'of'"):
        gunicorn_config(monkeypatch, GUNICORN_ACCESS_LOG="of")


@pytest.mark.parametrize(("value", "accesslog"), [("", "-"), ("1", "-"), ("0", None), ("OFF", None)])
def test_gunicorn_keeps_the_access_log_unless_told_no(monkeypatch, value, accesslog):
    assert gunicorn_config(monkeypatch, GUNICORN_ACCESS_LOG=value)["accesslog"] == accesslog


def test_the_middleware_list_in_settings_is_the_one_that_runs():
    # Read as written: nothing appends or inserts into it further down the file.
    from django.conf import settings

    tree = ast.parse((ROOT / "campaign" / "settings.py").read_text())
    written = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["MIDDLEWARE"]
    )
    assert ast.literal_eval(written) == settings.MIDDLEWARE


def database_settings(**env):
    """DATABASES["default"] as the settings make it from `env`, in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_POOLER"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="campaign.settings")
    code = (
        "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_on_postgresql_the_timeouts_go_with_each_connection():
    database = database_settings(DATABASE_URL="postgres://campaign@db.example.org:5432/campaign")
    assert "statement_timeout=10000" in database["OPTIONS"]["options"]
    assert not database.get("DISABLE_SERVER_SIDE_CURSORS")


def test_behind_a_pooler_in_transaction_mode_no_server_side_cursors_and_no_startup_options():
    # PgBouncer answers "unsupported startup parameter: options", and a server-side cursor
    # could be fetched from on another server connection than the one that opened it.
    database = database_settings(
        DATABASE_URL="postgres://campaign@pgbouncer.example.org:6432/campaign", DATABASE_POOLER="transaction"
    )
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "options" not in database["OPTIONS"]
    assert database["OPTIONS"]["connect_timeout"] == 3


def test_an_unknown_pooler_stops_the_site_naming_it():
    result = run_check(DATABASE_POOLER="pgbouncer-please")
    assert result.returncode != 0
    assert "DATABASE_POOLER must be transaction or none" in result.stderr
