import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appeals.models import LetterSent, Target

pytestmark = pytest.mark.django_db


def count_queries(client, url, data=None):
    # An appeal's parts, once drawn, are kept (tests/test_an_appeal_page_shows_each_edit_at_once.py):
    # each count here is of a page drawn from nothing kept.
    caches["fragments"].clear()
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


def with_sources(target, n):
    from appeals.models import Source

    Source.objects.bulk_create(
        Source(target=target, url=f"https://example.org/{i}", publisher=f"Publisher {i}", read_on="2026-12-03")
        for i in range(n)
    )
    return target


def test_the_directory_costs_the_same_with_one_or_many_sources_per_entry(client, make_embassy):
    from django_countries import countries

    codes = [code for code, _name in countries][:40]
    for code in codes[:2]:
        with_sources(make_embassy(code), 1)
    few = count_queries(client, reverse("appeals:embassies"))
    for code in codes[2:]:
        with_sources(make_embassy(code), 5)
    assert count_queries(client, reverse("appeals:embassies")) == few


def test_the_letter_page_costs_the_same_with_one_or_many_sources(client, make_appeal, make_prisoner, make_embassy):
    with_sources(make_embassy("FR"), 1)
    with_sources(make_embassy("DE"), 6)
    appeal = big_appeal(make_appeal, make_prisoner, 3, goes_to_embassy=True)
    for target in Target.objects.filter(kind="company"):
        with_sources(target, 4)
    url = reverse("appeals:letter", args=[appeal.slug])
    assert count_queries(client, url, {"name": "Jane", "country": "FR"}) == count_queries(
        client, url, {"name": "Jane", "country": "DE"}
    )


def test_an_appeal_page_costs_the_same_with_one_or_many_published_replies(client, make_appeal, make_prisoner):
    from appeals.models import LetterOutcome

    def replies(appeal, n):
        for letter in list(appeal.letters_sent.all())[:n]:
            LetterOutcome.objects.create(letter=letter, kind="reply", text="A reply.", status="published")

    small = big_appeal(make_appeal, make_prisoner, 1)
    large = big_appeal(make_appeal, make_prisoner, 3)
    replies(small, 1)
    replies(large, 25)
    assert count_queries(client, small.get_absolute_url()) == count_queries(client, large.get_absolute_url())


def test_the_private_page_about_a_letter_costs_the_same_for_one_or_many_recipients(client, make_appeal, make_prisoner):
    from appeals.services import outcome_token, record_letter_sent

    urls = []
    for size in (1, 12):
        appeal = big_appeal(make_appeal, make_prisoner, size)
        letter = record_letter_sent(appeal, "email", "FR")
        urls.append(reverse("appeals:outcome", args=[appeal.slug, outcome_token(letter)]))
    assert count_queries(client, urls[0]) == count_queries(client, urls[1])
