"""The empty signing and letter forms are the same for every visitor in a language, so each
process draws them once ({% cache %} in the "fragments" cache) and puts them in every page,
drawn fresh or not. A form that holds what someone typed is never kept, and each visitor still
gets their own CSRF token and form time."""

import re

from django.test import Client
from django.urls import reverse

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def fresh(path):
    # A query string: never served from the page cache (lib/pagecache.py), drawn for this request.
    return Client().get(path + "?fresh").content.decode()


def test_the_signing_form_is_the_same_in_each_language_and_follows_the_page(make_petition):
    path = reverse("petitions:detail", args=[make_petition().slug])
    english = fresh(path)
    russian = fresh("/ru" + path)
    assert "Your name" in english and "Your name" not in russian
    assert 'name="email"' in russian and 'name="country"' in russian
    # English again after Russian was kept: each language its own.
    assert "Your name" in fresh(path) and "Ваше имя" not in fresh(path)


def test_a_petition_that_lists_nobody_never_gets_the_tick_box_of_one_that_does(make_petition):
    listing, not_listing = make_petition(list_signers=True), make_petition(list_signers=False)
    assert 'name="public"' in fresh(reverse("petitions:detail", args=[listing.slug]))
    assert 'name="public"' not in fresh(reverse("petitions:detail", args=[not_listing.slug]))


def test_what_a_signer_typed_is_never_kept_for_the_next_visitor(make_petition):
    petition = make_petition()
    client = Client()
    page = client.get(reverse("petitions:detail", args=[petition.slug]) + "?fresh").content.decode()
    refused = client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {
            "csrfmiddlewaretoken": TOKEN.search(page)[1],
            "started": STARTED.search(page)[1],
            "name": "Zhanna Typed-Here",
            "email": "not an address",
            "country": "GB",
            "town": "Typedtown",
        },
    )
    assert refused.status_code == 400 and "Typedtown" in refused.content.decode()
    after = fresh(reverse("petitions:detail", args=[petition.slug]))
    assert "Typedtown" not in after and "Typed-Here" not in after


def test_each_visitor_still_gets_their_own_token_and_form_time(make_petition):
    petition = make_petition()
    first, second = (fresh(reverse("petitions:detail", args=[petition.slug])) for _ in range(2))
    assert TOKEN.search(first)[1] != TOKEN.search(second)[1]
    assert STARTED.search(first) and STARTED.search(second)


def test_the_letter_form_offers_each_appeal_its_own_letter_languages(make_appeal):
    from appeals.models import LetterText

    one_language = make_appeal()
    two_languages = make_appeal()
    LetterText.objects.create(appeal=two_languages, language="ru", subject="Протест", body="{salutation}\n\nТекст.")
    assert 'name="language"' in fresh(reverse("appeals:detail", args=[two_languages.slug]))
    assert (
        "<select" not in fresh(reverse("appeals:detail", args=[one_language.slug])).split('name="language"')[0][-200:]
    )


def test_what_a_letter_writer_typed_is_never_kept_for_the_next_visitor(make_appeal):
    appeal = make_appeal()
    client = Client()
    page = client.get(reverse("appeals:detail", args=[appeal.slug]) + "?fresh").content.decode()
    refused = client.post(
        reverse("appeals:letter", args=[appeal.slug]),
        {"csrfmiddlewaretoken": TOKEN.search(page)[1], "name": "", "town": "Typedtown", "country": "GB"},
    )
    assert refused.status_code == 400 and "Typedtown" in refused.content.decode()
    assert "Typedtown" not in fresh(reverse("appeals:detail", args=[appeal.slug]))
