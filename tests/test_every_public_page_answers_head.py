"""HEAD is what link checkers, chat previews and monitors send first: every public page
answers it as it answers GET, without a body (issue 15, 6)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_public_page_answers_head_like_get(client, make_prisoner, make_appeal, make_petition, make_embassy):
    prisoner, appeal, petition = make_prisoner(), make_appeal(), make_petition()
    make_embassy("GB")
    urls = [
        reverse("home"),
        reverse("prisoners:list"),
        prisoner.get_absolute_url(),
        reverse("appeals:list"),
        appeal.get_absolute_url(),
        reverse("appeals:embassies"),
        reverse("petitions:list"),
        petition.get_absolute_url(),
        reverse("petitions:signers", args=[petition.slug]),
        reverse("petitions:count_json", args=[petition.slug]),
        reverse("petitions:sheet", args=[petition.slug]),
    ]
    for url in urls:
        get, head = client.get(url), client.head(url)
        assert (url, head.status_code) == (url, get.status_code) == (url, 200)
        assert head.content == b""
        assert head["Content-Type"] == get["Content-Type"]
