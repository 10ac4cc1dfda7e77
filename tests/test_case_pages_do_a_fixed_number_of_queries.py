import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    # A case's parts, once drawn, are kept (tests/test_a_case_page_shows_each_edit_at_once.py):
    # each count here is of a page drawn from nothing kept.
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["home", "prisoners:list"])
def test_list_pages_cost_the_same_with_10_or_300_prisoners(client, make_prisoner, url_name):
    for _ in range(10):
        make_prisoner(events=5, charges=2, status="sentenced")
    few = count_queries(client, reverse(url_name))
    for _ in range(290):
        make_prisoner(events=5, charges=2, status="sentenced")
    assert count_queries(client, reverse(url_name)) == few


def test_a_case_page_costs_the_same_with_10_or_300_prisoners(client, make_prisoner, place):
    case = make_prisoner(events=5, charges=2, place_of_detention=place)
    for _ in range(9):
        make_prisoner(events=5, charges=2, place_of_detention=place)
    few = count_queries(client, case.get_absolute_url())
    for _ in range(290):
        make_prisoner(events=5, charges=2, place_of_detention=place)
    assert count_queries(client, case.get_absolute_url()) == few


def test_a_case_page_costs_the_same_with_a_short_or_long_timeline(client, make_prisoner, place):
    short = make_prisoner(events=1, charges=1, place_of_detention=place)
    long = make_prisoner(events=300, charges=10, place_of_detention=place)
    assert count_queries(client, short.get_absolute_url()) == count_queries(client, long.get_absolute_url())
