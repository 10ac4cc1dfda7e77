import pytest
from django.urls import reverse

from appeals.models import Appeal, LetterSent

pytestmark = pytest.mark.django_db


def sent(client, appeal, REMOTE_ADDR="127.0.0.1", **data):  # noqa: N803 - the WSGI name
    return client.post(
        reverse("appeals:sent", args=[appeal.slug]), {"channel": "email", "country": ""} | data, REMOTE_ADDR=REMOTE_ADDR
    )


def test_ive_sent_it_counts_the_appeal_channel_country_and_date(client, make_appeal):
    appeal = make_appeal()
    response = sent(client, appeal, channel="fax", country="FR")
    assert response.status_code == 302
    record = LetterSent.objects.get()
    assert (record.appeal, record.channel, record.country.code) == (appeal, "fax", "FR")
    assert record.sent_on is not None


def test_a_letter_sent_record_holds_no_personal_data():
    names = {field.name for field in LetterSent._meta.get_fields()}
    # Whom the site addressed it to, and what the supporter later said came of it (through
    # a private link, tests/test_who_answered_a_letter.py): about the letter, not its sender.
    assert names == {"id", "appeal", "channel", "country", "sent_on", "targets", "outcomes"}


def test_the_appeal_page_shows_how_many_letters_from_how_many_countries(client, make_appeal):
    appeal = make_appeal()
    for country in ["FR", "FR", "GB", ""]:
        sent(client, appeal, country=country)
    sent(client, make_appeal(), country="DE")  # another appeal's letters are not counted here
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "4 letters sent from 2 countries" in page


def test_one_letter_from_one_country_reads_naturally(client, make_appeal):
    appeal = make_appeal()
    sent(client, appeal, country="KZ")
    assert "1 letter sent from 1 country" in client.get(appeal.get_absolute_url()).content.decode()


def test_a_bad_channel_is_refused_with_a_message_and_nothing_counted(client, make_appeal):
    appeal = make_appeal()
    response = sent(client, appeal, channel="pigeon<script>", country="FR")
    assert response.status_code == 400
    assert not LetterSent.objects.exists()
    page = response.content.decode()
    assert "We could not count that letter" in page and "pigeon<script>" not in page


def test_a_made_up_country_is_refused(client, make_appeal):
    assert sent(client, make_appeal(), country="ZZ").status_code == 400
    assert not LetterSent.objects.exists()


def test_the_letter_page_offers_the_counter_with_the_chosen_country(client, make_appeal):
    appeal = make_appeal()
    page = client.post(
        reverse("appeals:letter", args=[appeal.slug]), {"name": "Jane", "country": "NO"}
    ).content.decode()
    assert reverse("appeals:sent", args=[appeal.slug]) in page
    assert '<option value="NO" selected>' in page


def test_the_appeal_list_shows_the_counts(client, make_appeal):
    appeal = make_appeal(title="Free Natalia Sokolova")
    sent(client, appeal, country="FR")
    sent(client, appeal, country="GB")
    assert "2 letters sent from 2 countries" in client.get(reverse("appeals:list")).content.decode()
    assert Appeal.objects.with_counts().get(pk=appeal.pk).sent_count == 2


def test_one_network_cannot_inflate_the_count(client, make_appeal, monkeypatch):
    from appeals import views

    monkeypatch.setattr(views, "LETTERS_COUNTED_PER_HOUR", 3)
    appeal = make_appeal()
    assert [sent(client, appeal).status_code for _ in range(4)] == [302, 302, 302, 429]
    assert LetterSent.objects.count() == 3
    assert sent(client, appeal, REMOTE_ADDR="192.0.2.44").status_code == 302
