"""A case's alert subscriber is kept like a signer: the address encrypted at rest (nothing
readable in a dump without DATA_ENCRYPTION_KEY), found by its keyed fingerprint, and deleted
by "forget me everywhere" with the signatures made with it."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import Subscriber
from petitions import services as signing
from petitions.tokens import make_forget_token

pytestmark = pytest.mark.django_db

ADDRESS = "zhanar.subscriber@example.org"


def subscribe(prisoner, email=ADDRESS):
    return Subscriber.objects.create(
        prisoner=prisoner,
        email=email,
        email_hash=signing.email_fingerprint(email),
        confirmed_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_the_address_is_stored_encrypted_and_read_back_whole(make_prisoner):
    subscriber = subscribe(make_prisoner())
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM news_subscriber WHERE id = %s", [subscriber.pk])
        stored = cursor.fetchone()[0]
    assert ADDRESS not in stored and stored
    assert Subscriber.objects.get(pk=subscriber.pk).email == ADDRESS


def test_forget_me_everywhere_deletes_the_subscriptions_and_says_so(client, make_prisoner):
    one, two = make_prisoner(), make_prisoner()
    subscribe(one)
    subscribe(two, "Zhanar.Subscriber@Example.org")  # the same mailbox
    subscribe(two, "someone.else@example.org")
    done = client.post(reverse("petitions:forget_confirm", args=[make_forget_token(ADDRESS)])).content.decode()
    assert "2 subscriptions to a case" in done
    assert list(Subscriber.objects.values_list("email_hash", flat=True)) == [
        signing.email_fingerprint("someone.else@example.org")
    ]
