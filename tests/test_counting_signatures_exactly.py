import threading

import pytest
from django.db import connection, connections

from petitions import services
from petitions.models import Signature, SignatureCount

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency needs a real server: run with DATABASE_URL=postgres://..."
)


def pending(petition, n, countries=("GB", "KZ", "FR", "")):
    return Signature.objects.bulk_create(
        Signature(
            petition=petition,
            name=f"Signer {i}",
            email=f"s{i}@example.org",
            email_hash=services.email_fingerprint(f"s{i}@example.org"),
            country=countries[i % len(countries)],
            nonce=f"n{i}",
        )
        for i in range(n)
    )


def counted(petition):
    """What the page shows, and what the signatures say: they must always agree."""
    shown = petition.count_by_country()
    actual = {}
    for country in Signature.objects.filter(petition=petition, status="confirmed").values_list("country", flat=True):
        actual[country] = actual.get(country, 0) + 1
    return shown, actual


@pytest.mark.django_db
def test_confirming_rejecting_and_deleting_keep_the_count_exact(make_petition):
    petition = make_petition()
    signatures = pending(petition, 20)
    for signature in signatures[:10]:
        assert services.confirm(signature)
    assert not services.confirm(signatures[0])  # twice: counted once
    assert services.set_status(signatures[5:15], Signature.Status.CONFIRMED) == 5
    assert services.set_status(signatures[:3], Signature.Status.REJECTED) == 3
    assert services.delete_signatures(signatures[3:5] + signatures[18:]) == 4
    shown, actual = counted(petition)
    assert shown == actual and petition.confirmed_count() == 10


@pytest.mark.django_db
def test_a_corrected_country_moves_the_signature_in_the_breakdown(make_petition):
    petition = make_petition()
    [signature] = pending(petition, 1, countries=("GB",))
    services.confirm(signature)
    services.move_count(petition.pk, "GB", "KZ")
    assert petition.count_by_country() == {"KZ": 1}


@pytest.mark.django_db
def test_a_recount_rebuilds_the_counters_from_the_signatures(make_petition):
    petition = make_petition()
    signatures = pending(petition, 9)
    services.set_status(signatures, Signature.Status.CONFIRMED)
    SignatureCount.objects.filter(petition=petition).update(n=999)
    services.recount(petition)
    shown, actual = counted(petition)
    assert shown == actual and petition.confirmed_count() == 9


def run_together(functions):
    """Run each function in its own thread (and so its own database connection), all
    released at once; re-raise the first error."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 - handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_count_is_exact_after_a_concurrent_burst_of_confirmations(make_petition):
    petition = make_petition()
    signatures = pending(petition, 96)
    # 16 threads confirm 6 signatures each; every signature is also confirmed by a
    # second thread at the same time, as when a signer double-clicks.
    batches = [signatures[i::16] for i in range(16)]
    doubles = [signatures[(i + 1) % 16 :: 16] for i in range(16)]
    run_together(
        [lambda b=batch: [services.confirm(s) for s in b] for batch in batches]
        + [lambda b=batch: [services.confirm(s) for s in b] for batch in doubles]
    )
    shown, actual = counted(petition)
    assert sum(actual.values()) == 96
    assert shown == actual and petition.confirmed_count() == 96
    # The writes were spread over several counter rows, not one hot row.
    assert SignatureCount.objects.filter(petition=petition).count() > 4


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_from_one_address_make_one_signature(make_petition, settings):
    petition = make_petition()
    data = {"name": "Racer", "email": "racer@example.org", "country": "GB"}
    results = []
    run_together([lambda: results.append(services.sign(petition, data)) for _ in range(12)])
    assert Signature.objects.filter(petition=petition).count() == 1
    assert set(results) == {Signature.objects.get(petition=petition).pk}
