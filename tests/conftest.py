import datetime
import itertools

import pytest

from prisoners.models import CaseEvent, Charge, PlaceOfDetention, Prisoner

_counter = itertools.count()


@pytest.fixture
def make_prisoner(db):
    def make(events=0, charges=0, **fields):
        n = next(_counter)
        fields.setdefault("name", f"Prisoner {n}")
        fields.setdefault("slug", f"prisoner-{n}")
        fields.setdefault("summary", "Oil worker from Zhanaozen.")
        fields.setdefault("is_published", True)
        prisoner = Prisoner.objects.create(**fields)
        Charge.objects.bulk_create(
            Charge(prisoner=prisoner, article=f"Article {240 + i}", description="Organising mass disorder")
            for i in range(charges)
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(prisoner=prisoner, date=datetime.date(2012, 1, 1 + i % 28), kind="trial", text=f"Event {i}")
            for i in range(events)
        )
        return prisoner

    return make


@pytest.fixture
def place(db):
    return PlaceOfDetention.objects.create(
        name="Women's colony UG-157/11", town="Atyrau", postal_address="Atyrau, colony UG-157/11"
    )


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_superuser("org", "org@example.org", "pass-word-123")


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


# --- appeals -------------------------------------------------------------------------

MODEL_LETTER = (
    "{salutation}\n\nWe, {sender_name}, {sender_organisation}, protest. We demand:\n\n{demands}\n\n"
    "{sender_name}\n{sender_organisation}\n{sender_town}, {sender_country}\n{date}"
)


@pytest.fixture
def make_appeal(db):
    from appeals.models import Appeal, Demand, LetterText, Recipient, Target

    def make(demands=("Release Natalia Sokolova.",), to=None, cc=(), letter=MODEL_LETTER, **fields):
        n = next(_counter)
        fields.setdefault("title", f"Appeal {n}")
        fields.setdefault("slug", f"appeal-{n}")
        fields.setdefault("summary", "Protest against the repression of the oil workers.")
        fields.setdefault("status", Appeal.Status.ACTIVE)
        appeal = Appeal.objects.create(**fields)
        Demand.objects.bulk_create(Demand(appeal=appeal, text=text, position=i) for i, text in enumerate(demands))
        if to is None:
            to = [
                Target.objects.create(
                    kind="company",
                    name='AO "National company KazMunayGaz"',
                    postal_address="Kabanbye-batur 19\nAstana 010000",
                    email="info@kmg.kz",
                    fax="+7 (7172) 97 60 00",
                )
            ]
        for i, target in enumerate(to):
            Recipient.objects.create(appeal=appeal, target=target, role="to", position=i)
        for i, address in enumerate(cc):
            target = Target.objects.create(kind="other", name=address, email=address)
            Recipient.objects.create(appeal=appeal, target=target, role="cc", position=i)
        if letter:
            LetterText.objects.create(appeal=appeal, language="en", subject="Protest: {sender_name}", body=letter)
        return appeal

    return make


@pytest.fixture
def make_embassy(db):
    from appeals.models import Target

    def make(country, **fields):
        fields.setdefault("name", "Embassy of the Republic of Kazakhstan")
        fields.setdefault("email", f"embassy-{country.lower()}@example.org")
        return Target.objects.create(kind="embassy", country=country, **fields)

    return make


@pytest.fixture(autouse=True)
def _two_factor_as_in_make_run(settings):
    # REQUIRE_2FA follows DEBUG when unset; tests get the local default whatever the
    # environment, and the two-factor tests turn it on themselves.
    settings.REQUIRE_2FA = False
    # Likewise links: a local site follows the browser's address (lib/origin.py), but the
    # tests check the links SITE_URL gives; the test of that follow turns it on itself.
    settings.SITE_URL_FROM_REQUEST = False


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", "editor@example.org", "pass-word-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def organiser_member(django_user_model):
    """A staff account in the Organiser group (not a superuser)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("organiser2", "o2@example.org", "pass-word-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Organiser"))
    return user


# --- petitions -----------------------------------------------------------------------


@pytest.fixture
def make_petition(db):
    from django.core.cache import cache

    from petitions.models import Petition

    # Rate limits and the count API live in the cache: each test starts with none.
    cache.clear()

    def make(**fields):
        n = next(_counter)
        fields.setdefault("title", f"Petition {n}")
        fields.setdefault("slug", f"petition-{n}")
        fields.setdefault("text", "We call for the reinstatement of Erlan Tabinov.")
        fields.setdefault("addressed_to", "KazMinerals plc, London")
        fields.setdefault("status", Petition.Status.OPEN)
        return Petition.objects.create(**fields)

    return make


@pytest.fixture
def sign_data():
    """What a person types into the signing form, as a POST."""

    def data(**fields):
        from django.core import signing

        from petitions.forms import STARTED_SALT

        values = {
            "name": "Aigul Example",
            "email": "aigul@example.org",
            "country": "GB",
            "town": "Leeds",
            "organisation": "Example Trades Council",
            "comment": "",
            "public": "on",
            "started": signing.dumps(0, salt=STARTED_SALT),  # shown long ago: not a bot's speed
        }
        values.update(fields)
        return {key: value for key, value in values.items() if value is not None}

    return data


@pytest.fixture
def sign(client, django_capture_on_commit_callbacks):
    """POST the signing form as a browser would. The confirmation mail is queued once the
    signature is committed; the test's own transaction never commits, so the queued
    callbacks are run here, as a real commit would run them."""
    from django.urls import reverse

    def post(petition, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("petitions:sign", args=[petition.slug]), data, **extra)

    return post


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    # A request to /ru/… leaves Russian active in the thread that served it (Django's
    # LocaleMiddleware activates a language per request and never deactivates it): the
    # test client serves in the test's own thread, so each test starts in English again.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _public_pages_drawn_afresh(monkeypatch):
    # Public pages are kept for a few seconds (lib/pagecache.py): a test that changes a
    # petition and looks again would see the page from before. Tests draw every page afresh,
    # through the same placeholders; tests/test_public_pages_under_a_surge.py keeps them.
    monkeypatch.setattr("lib.pagecache.PAGE_SECONDS", 0)


@pytest.fixture(autouse=True)
def _passwords_hashed_quickly(settings):
    # Django's own hasher takes over half a second a password here, paid by every test that
    # makes an organiser; what the tests check of passwords holds with any hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_fragments_from_another_test():
    # A case's fragments are keyed on its pk and updated_at: after a rollback, another test's
    # case can have both (SQLite gives the pk again; a frozen clock, the same time).
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture
def pages_written(monkeypatch):
    """What the code puts into the pages cache during a test, key by key, as it hands it to
    the cache's own set() and add(): a cache has no public way to list what it holds. The test
    starts and ends with nothing kept (lib/pagecache.py's clear)."""
    from django.core.cache import caches

    from lib import pagecache

    pagecache.clear()
    cache = caches["pages"]
    written = {}

    def spying_on(name):
        method = getattr(cache, name)

        def spy(key, value, *args, **kwargs):
            stored = method(key, value, *args, **kwargs)
            if name == "set" or stored:
                written[key] = value
            return stored

        return spy

    for name in ("set", "add"):
        monkeypatch.setattr(cache, name, spying_on(name))
    yield written
    pagecache.clear()
