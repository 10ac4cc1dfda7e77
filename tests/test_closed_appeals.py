import pytest
from django.urls import reverse

from appeals.models import Appeal, LetterSent

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(make_appeal):
    return make_appeal(status=Appeal.Status.CLOSED, title="Hands off Roza Tuletaeva!", background="She was released.")


def test_a_closed_appeal_stays_readable_and_says_it_is_closed(client, closed):
    response = client.get(closed.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This appeal is closed." in page and "She was released." in page
    assert reverse("appeals:letter", args=[closed.slug]) not in page
    assert 'name="name"' not in page


@pytest.mark.parametrize("url_name", ["appeals:letter", "appeals:letter_txt", "appeals:letter_pdf", "appeals:sent"])
def test_posting_to_a_closed_appeal_is_refused_clearly_and_counts_nothing(client, closed, url_name):
    data = {"name": "Jane", "channel": "email", "country": "FR", "recipient": "0", "subject": "S", "body": "B"}
    response = client.post(reverse(url_name, args=[closed.slug]), data)
    assert response.status_code == 410
    assert "no longer takes letters" in response.content.decode()
    assert not LetterSent.objects.exists()


def test_closed_appeals_are_listed_apart_and_not_on_the_home_page(client, closed, make_appeal):
    make_appeal(title="Free Natalia Sokolova")
    listing = client.get(reverse("appeals:list")).content.decode()
    assert listing.index("Free Natalia Sokolova") < listing.index("Closed appeals") < listing.index("Hands off Roza")
    home = client.get(reverse("home")).content.decode()
    assert "Free Natalia Sokolova" in home and "Hands off Roza" not in home


def test_counting_a_letter_for_a_closed_appeal_raises_its_own_error_and_counts_nothing(closed):
    from appeals.services import AppealClosed, record_letter_sent

    with pytest.raises(AppealClosed):
        record_letter_sent(closed, "email", "GB")
    assert not LetterSent.objects.exists()
