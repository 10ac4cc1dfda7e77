"""When the database, the cache or the email worker fails, visitors get a clear answer, no
500, and nothing acknowledged is lost (bench/failures.py measures it live)."""

import contextlib
import secrets
import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from campaign import views
from campaign.urls import urlpatterns as site_urlpatterns
from lib import ratelimit
from lib.cache import ResilientRedisCache
from petitions.models import Signature

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: DATABASE_URL=postgres://… make test"
)


def slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("never")


urlpatterns = [path("slow/", slow), *site_urlpatterns]


@contextlib.contextmanager
def database_down():
    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", broken)
        yield


def is_try_again_page(response):
    page = response.content.decode()
    return (
        response.status_code == 503
        and response["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
        and "no-store" in response["Cache-Control"]
        and "Please try again in a moment" in page
        and "Kazakhstan Solidarity" in page
    )


# --- the database down ---------------------------------------------------------------------


def test_a_public_page_answers_try_again_in_a_moment_while_the_database_is_down(db, make_petition):
    client = Client(raise_request_exception=False)
    with database_down():
        for url in ("/", "/petitions/", reverse("petitions:detail", args=["anything"])):
            assert is_try_again_page(client.get(url)), url


def test_signing_while_the_database_is_down_answers_try_again_and_saves_nothing(db, make_petition):
    petition = make_petition()
    client = Client(raise_request_exception=False)
    page = client.get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    started = page.split('name="started" value="')[1].split('"')[0]

    with database_down():
        response = client.post(
            reverse("petitions:sign", args=[petition.slug]),
            {"name": "Ann", "email": "ann@example.org", "country": "GB", "started": started},
        )
    assert is_try_again_page(response)
    assert "your signature may not have been saved" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_failure_in_a_middleware_is_a_503_too(rf):
    # handler500 runs inside Django's except block: an outage met by the session or the
    # login middleware, outside any view, gets the same page.
    with database_down():
        try:
            raise OperationalError("the database is restarting")
        except OperationalError:
            response = views.server_error(rf.get("/"))
    assert is_try_again_page(response)


def test_any_other_error_is_still_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        assert views.server_error(rf.get("/")).status_code == 500


# --- a slow or stuck query ---------------------------------------------------------------


def test_the_statement_and_lock_timeouts_come_from_the_environment(monkeypatch):
    import subprocess
    import sys

    from campaign.settings import BASE_DIR

    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    env = {
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "DATABASE_STATEMENT_TIMEOUT": "2.5",
        "DATABASE_LOCK_TIMEOUT": "1",
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "-c statement_timeout=2500" in out and "-c lock_timeout=1000" in out


def test_manage_py_commands_run_without_the_timeouts():
    from campaign.settings import BASE_DIR

    text = (BASE_DIR / "manage.py").read_text()
    assert 'setdefault("DATABASE_STATEMENT_TIMEOUT", "0")' in text
    assert 'setdefault("DATABASE_LOCK_TIMEOUT", "0")' in text


@on_postgresql
@pytest.mark.urls(__name__)
def test_a_query_longer_than_the_statement_timeout_is_cut_off_with_the_try_again_page(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "0"  # the settings' default reached the connection
        cursor.execute("SET statement_timeout = '200ms'")
    begin = time.monotonic()
    response = Client(raise_request_exception=False).get("/slow/")
    assert time.monotonic() - begin < 3
    assert is_try_again_page(response)


@on_postgresql
def test_a_table_locked_by_someone_else_costs_a_visitor_the_lock_timeout_not_a_worker(transactional_db, make_petition):
    import psycopg

    petition = make_petition()
    settings_dict = connection.settings_dict
    holder = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
    )
    try:
        holder.execute("LOCK TABLE petitions_petition IN ACCESS EXCLUSIVE MODE")  # an admin's long action
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        begin = time.monotonic()
        response = Client(raise_request_exception=False).get(reverse("petitions:detail", args=[petition.slug]))
        assert time.monotonic() - begin < 3
        assert is_try_again_page(response)
    finally:
        holder.rollback()
        holder.close()
    assert Client().get(reverse("petitions:detail", args=[petition.slug])).status_code == 200


# --- Redis stopped ----------------------------------------------------------------------------


@pytest.fixture
def unreachable_redis(settings):
    # Nothing listens on port 1: every call is refused at once, as with a stopped Redis.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    ratelimit._salts.clear()
    yield caches["default"]
    ratelimit._salts.clear()


def test_the_cache_answers_from_memory_while_redis_is_unreachable(unreachable_redis):
    cache = unreachable_redis
    assert isinstance(cache, ResilientRedisCache)
    assert cache.get("missing", "default") == "default"
    cache.set("k", 1)
    assert cache.get("k") == 1 and cache.incr("k") == 2
    assert cache.add("k", 5) is False
    assert cache.degraded


def test_it_tries_redis_again_a_few_seconds_later(unreachable_redis, monkeypatch):
    cache = unreachable_redis
    cache.get("k")
    assert cache.degraded
    monkeypatch.setattr("lib.cache.time.monotonic", lambda: time.monotonic_ns() / 1e9 + 3600)
    assert not cache.degraded  # the next call goes to Redis again (and, here, fails again)


def test_pages_and_signing_work_while_redis_is_unreachable(db, unreachable_redis, make_petition, settings):
    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    client = Client(raise_request_exception=False)
    assert client.get("/").status_code == 200
    page = client.get(reverse("petitions:detail", args=[petition.slug]))
    assert page.status_code == 200
    started = page.content.decode().split('name="started" value="')[1].split('"')[0]
    response = client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {"name": "Ann", "email": "ann@example.org", "country": "GB", "started": started},
    )
    assert response.status_code == 302 and response["Location"].endswith("/check-your-email/")
    assert Signature.objects.filter(petition=petition).count() == 1


def test_the_rate_limit_still_holds_per_process_while_redis_is_unreachable(unreachable_redis):
    results = [ratelimit.over_limit("sign", "203.0.113.9", 3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert ratelimit._salts == {}  # not kept: once Redis is back, every process shares the hour's salt


def redis_on_this_machine():
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/13", socket_connect_timeout=0.2).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not redis_on_this_machine(), reason="needs Redis at 127.0.0.1:6379")
def test_on_redis_the_rate_limit_counts_in_one_step_and_its_counter_expires(settings):
    prefix = f"test-{secrets.token_hex(4)}"  # a Redis others may share: only this test's keys
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": prefix,
        },
    }
    import redis as redis_client

    cache = caches["default"]
    redis = redis_client.Redis.from_url("redis://127.0.0.1:6379/13")  # to look at what the cache stored
    ratelimit._salts.clear()
    try:
        assert [ratelimit.over_limit("sign", "203.0.113.9", 3) for _ in range(5)] == [False] * 3 + [True] * 2
        (key,) = redis.keys(f"{prefix}:1:rate:sign:*")
        assert b"203.0.113.9" not in key
        assert 3590 < redis.ttl(key) <= 3600  # gone with the hour
        # A plain integer, as the cache stores one: read and counted on by the cache's own methods.
        name = key.decode().split(":", 2)[2]
        assert cache.get(name) == 5 and cache.incr(name) == 6
        assert not cache.degraded
    finally:
        for key in redis.keys(f"{prefix}:*"):
            redis.delete(key)
        ratelimit._salts.clear()


# --- the email worker killed --------------------------------------------------------------------


def test_an_email_a_dead_worker_left_running_is_queued_again_and_sent(
    db,
    make_petition,
    settings,
    mailoutbox,
    monkeypatch,
):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from petitions import services
    from petitions.management.commands.email_worker import requeue_interrupted

    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a signal resets the backends
    petition = make_petition()
    services.sign(petition, {"name": "Ann", "email": "ann@example.org", "country": "GB"})
    services.sign(petition, {"name": "Bob", "email": "bob@example.org", "country": "GB"})
    assert services.queue_due_mail() == 2  # the email worker does this every second
    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in queued] == ["petitions.tasks.send_confirmation"] * 2
    # A worker called "web-1" claimed the first and was killed before it finished; another
    # one, long ago, the second.
    queued[0].claim("web-1")
    queued[1].claim("elsewhere")
    DBTaskResult.objects.filter(pk=queued[1].pk).update(started_at=timezone.now() - timedelta(hours=1))

    assert requeue_interrupted("someone-else") == 1  # only the stale one
    assert requeue_interrupted("web-1") == 1  # the restarted worker takes back its own
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

    # The worker closes connections between tasks, as a request does; not the test's own.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="web-1",
        excluded_queue_names=[],
    ).run()
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bob@example.org"]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_a_second_confirmation_email_is_harmless_confirming_twice_counts_once(db, make_petition):
    from petitions import services
    from petitions.tokens import make_token

    petition = make_petition()
    signature = Signature.objects.get(
        pk=services.sign(petition, {"name": "Ann", "email": "ann@example.org", "country": "GB"})
    )
    first, second = make_token(signature, "confirm"), make_token(signature, "confirm")
    client = Client()
    client.post(reverse("petitions:confirm", args=[first]))
    client.post(reverse("petitions:confirm", args=[second]))
    assert petition.confirmed_count() == 1


def test_a_long_running_task_of_a_live_worker_is_left_alone(db):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from petitions.management.commands.email_worker import requeue_interrupted

    DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=30),
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="petitions.tasks.send_confirmation",
        worker_ids=["web-2"],
        backend_name="default",
        run_after=timezone.now(),
    )
    assert requeue_interrupted("web-1") == 0
