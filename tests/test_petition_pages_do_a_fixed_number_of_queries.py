import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions import services
from petitions.models import Signature

pytestmark = pytest.mark.django_db

COUNTRIES = ["GB", "KZ", "FR", "DE", "RU", "US"]


def add_confirmed(petition, start, n):
    signatures = Signature.objects.bulk_create(
        Signature(
            petition=petition,
            name=f"Signer {i}",
            email_hash=f"hash-{i}",
            country=COUNTRIES[i % len(COUNTRIES)],
            public=i % 2 == 0,
            nonce=f"n{i}",
        )
        for i in range(start, start + n)
    )
    services.set_status(signatures, Signature.Status.CONFIRMED)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["detail", "signers", "list", "count_json"])
def test_petition_pages_cost_the_same_with_10_or_1000_signatures(client, make_petition, page):
    petition = make_petition()
    url = reverse(f"petitions:{page}", args=[] if page == "list" else [petition.slug])
    add_confirmed(petition, 0, 10)
    few = count_queries(client, url)
    add_confirmed(petition, 10, 990)
    if page == "count_json":
        from django.core.cache import cache

        cache.clear()
    assert count_queries(client, url) == few
    # The confirmed signatures live on in the counters, not in a COUNT(*) over all of them.
    assert petition.confirmed_count() == 1000
