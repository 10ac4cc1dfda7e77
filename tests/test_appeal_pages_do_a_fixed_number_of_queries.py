import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals.models import LetterSent, Target

pytestmark = pytest.mark.django_db


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return len(ctx.captured_queries)


def big_appeal(make_appeal, make_prisoner, size, **fields):
    targets = [
        Target.objects.create(kind="company", name=f"Company {i}", email=f"c{i}@example.org") for i in range(size)
    ]
    appeal = make_appeal(
        demands=[f"Demand {i}" for i in range(size)],
        to=targets,
        cc=[f"copy{i}@example.org" for i in range(size)],
        **fields,
    )
    appeal.prisoners.add(*[make_prisoner() for _ in range(size)])
    LetterSent.objects.bulk_create(
        LetterSent(appeal=appeal, channel="email", country=["FR", "GB", "DE"][i % 3]) for i in range(size * 10)
    )
    return appeal


@pytest.mark.parametrize("url_name", ["home", "appeals:list"])
def test_appeal_lists_cost_the_same_with_3_or_60_appeals(client, make_appeal, make_prisoner, url_name):
    for _ in range(3):
        big_appeal(make_appeal, make_prisoner, 2)
    few = count_queries(client, reverse(url_name))
    for _ in range(57):
        big_appeal(make_appeal, make_prisoner, 2)
    assert count_queries(client, reverse(url_name)) == few


def test_an_appeal_page_costs_the_same_with_few_or_many_demands_recipients_and_letters(
    client, make_appeal, make_prisoner
):
    small = big_appeal(make_appeal, make_prisoner, 1)
    large = big_appeal(make_appeal, make_prisoner, 30)
    assert count_queries(client, small.get_absolute_url()) == count_queries(client, large.get_absolute_url())


def test_the_letter_page_costs_the_same_for_one_or_many_recipients(client, make_appeal, make_prisoner, make_embassy):
    make_embassy("FR")
    small = big_appeal(make_appeal, make_prisoner, 1, goes_to_embassy=True)
    large = big_appeal(make_appeal, make_prisoner, 20, goes_to_embassy=True)
    data = {"name": "Jane", "country": "FR"}
    one = count_queries(client, reverse("appeals:letter", args=[small.slug]), data)
    assert one == count_queries(client, reverse("appeals:letter", args=[large.slug]), data)


def test_a_case_page_costs_the_same_with_one_or_many_appeals(client, make_appeal, make_prisoner):
    few, many = make_prisoner(), make_prisoner()
    make_appeal().prisoners.add(few)
    for _ in range(20):
        make_appeal().prisoners.add(many)
    assert count_queries(client, few.get_absolute_url()) == count_queries(client, many.get_absolute_url())


def test_the_embassy_directory_costs_the_same_with_2_or_100_embassies(client, make_embassy):
    from django_countries import countries

    codes = [code for code, _name in countries][:100]
    for code in codes[:2]:
        make_embassy(code)
    few = count_queries(client, reverse("appeals:embassies"))
    for code in codes[2:]:
        make_embassy(code)
    assert count_queries(client, reverse("appeals:embassies")) == few
