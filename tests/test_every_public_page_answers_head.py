"""HEAD is what link checkers, chat previews and monitors send first: every public page
answers it as it answers GET, without a body."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_public_page_answers_head_like_get(client, make_prisoner, make_appeal, make_petition, make_embassy):
    import datetime

    from events.models import Event

    prisoner, appeal, petition = make_prisoner(), make_appeal(), make_petition()
    event = Event.objects.create(title="Picket", date=datetime.date(2030, 12, 16), status=Event.Status.APPROVED)
    make_embassy("GB")
    urls = [
        reverse("home"),
        reverse("prisoners:list"),
        prisoner.get_absolute_url(),
        reverse("appeals:list"),
        appeal.get_absolute_url(),
        reverse("appeals:embassies"),
        reverse("appeals:report"),
        reverse("petitions:list"),
        petition.get_absolute_url(),
        reverse("petitions:signers", args=[petition.slug]),
        reverse("petitions:count_json", args=[petition.slug]),
        reverse("petitions:sheet", args=[petition.slug]),
        # Spreading the word: chat apps' previews send HEAD before GET.
        reverse("petitions:embed", args=[petition.slug]),
        reverse("petitions:embed_check_email", args=[petition.slug]),
        reverse("petitions:card", args=[petition.slug]),
        reverse("petitions:poster", args=[petition.slug]),
        reverse("petitions:feed"),
        reverse("appeals:card", args=[appeal.slug]),
        reverse("appeals:poster", args=[appeal.slug]),
        reverse("appeals:feed"),
        reverse("prisoners:card", args=[prisoner.slug]),
        reverse("prisoners:feed"),
        reverse("prisoners:prisoner_feed", args=[prisoner.slug]),
        reverse("events:list"),
        event.get_absolute_url(),
        reverse("events:ics", args=[event.pk]),
        reverse("events:calendar"),
        reverse("events:feed"),
        reverse("events:propose"),
        reverse("events:proposed"),
        "/robots.txt",
        "/sitemap.xml",
    ]
    # A supporter's private page about a letter they sent.
    from appeals.models import LetterSent
    from appeals.services import outcome_token

    letter = LetterSent.objects.create(appeal=appeal, channel="email")
    urls.append(reverse("appeals:outcome", args=[appeal.slug, outcome_token(letter)]))
    for url in urls:
        get, head = client.get(url), client.head(url)
        assert (url, head.status_code) == (url, get.status_code) == (url, 200)
        assert head.content == b""
        assert head["Content-Type"] == get["Content-Type"]
