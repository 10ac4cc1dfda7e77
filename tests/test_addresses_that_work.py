"""Addresses that work: a slip in a common mail domain gets a suggestion (without
JavaScript), "check your email" names the address to the person who typed it and to nobody
else, and a comment over its limit is refused with its length, never cut."""

import pytest
from django.core import mail
from django.urls import reverse

from lib.email_typos import suggest
from petitions.forms import EmbedSignatureForm, SignatureForm
from petitions.models import Signature
from petitions.views import SENT_TO_COOKIE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("aigul@gmial.com", "aigul@gmail.com"),
        ("aigul@gmail.con", "aigul@gmail.com"),
        ("aigul@hotmial.com", "aigul@hotmail.com"),
        ("aigul@yandx.ru", "aigul@yandex.ru"),
        ("aigul@mial.ru", "aigul@mail.ru"),
        ("Aigul.Example@OUTLOK.COM", "Aigul.Example@outlook.com"),
    ],
)
def test_it_suggests_the_likely_address_for_a_slip_in_a_common_domain(typed, meant):
    assert suggest(typed) == meant


@pytest.mark.parametrize(
    "typed", ["aigul@gmail.com", "aigul@mail.kz", "aigul@yandex.kz", "aigul@gmx.at", "aigul@unite.org.uk", "x@bk.ru"]
)
def test_it_leaves_a_real_domain_or_one_near_none_alone(typed):
    assert suggest(typed) is None


def test_a_slip_brings_the_form_back_once_with_a_question_and_nothing_is_signed(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@gmial.com"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Did you mean aigul@gmail.com?" in page
    assert 'name="use_email" value="aigul@gmail.com"' in page
    assert 'name="use_email" value="aigul@gmial.com"' in page
    assert "Keep aigul@gmial.com as I typed it" in page
    # What was typed is kept, and nothing is signed or mailed yet.
    assert 'value="aigul@gmial.com"' in page and 'value="Leeds"' in page
    assert Signature.objects.count() == 0 and not mail.outbox


def test_taking_the_suggestion_signs_with_the_corrected_address(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@gmial.com", use_email="aigul@gmail.com"))
    assert response.status_code == 302
    assert Signature.objects.get().email == "aigul@gmail.com"
    assert mail.outbox[0].to == ["aigul@gmail.com"]


def test_keeping_what_was_typed_signs_with_it(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@gmial.com", use_email="aigul@gmial.com"))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["aigul@gmial.com"]


def test_a_choice_for_another_address_is_asked_again_for_the_new_one(client, make_petition, sign_data, sign):
    petition = make_petition()
    # The person corrected the field by hand to another slip, then pressed the old button.
    response = sign(petition, sign_data(email="aigul@hotmial.com", use_email="aigul@gmail.com"))
    assert response.status_code == 400
    assert "Did you mean aigul@hotmail.com?" in response.content.decode()
    assert Signature.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "question", "keep"),
    [
        ("ru", "Возможно, вы имели в виду aigul@gmail.com?", "Оставить aigul@gmial.com как есть"),
        ("kk", "Мүмкін, aigul@gmail.com деп жазғыңыз келген шығар?", "aigul@gmial.com мекенжайын жазғанымдай қалдыру"),
    ],
)
def test_the_question_is_asked_in_the_pages_language(client, make_petition, sign_data, language, question, keep):
    petition = make_petition()
    url = f"/{language}{reverse('petitions:sign', args=[petition.slug])}"
    page = client.post(url, sign_data(email="aigul@gmial.com")).content.decode()
    assert question in page and keep in page


def test_the_embedded_form_asks_too(client, make_petition, sign_data):
    petition = make_petition()
    response = client.post(reverse("petitions:embed_sign", args=[petition.slug]), sign_data(email="aigul@gmial.com"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Did you mean aigul@gmail.com?" in page and 'name="use_email" value="aigul@gmail.com"' in page
    assert not response.cookies


def test_the_typo_check_is_one_mixin_any_form_with_an_email_can_use():
    from lib.forms import EmailTypoCheckMixin

    assert issubclass(SignatureForm, EmailTypoCheckMixin) and issubclass(EmbedSignatureForm, EmailTypoCheckMixin)


# "Check your email" ---------------------------------------------------------------------


def test_check_your_email_names_the_address_to_the_person_who_typed_it(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@example.org"))
    # Not in the address the browser is sent to.
    assert "aigul" not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<strong class="sent-to">aigul@example.org</strong>' in page.content.decode()
    # Never kept by a cache on the way.
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_the_address_is_shown_once_and_never_to_a_second_visitor(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@example.org"))
    first = client.get(response["Location"])
    assert "aigul@example.org" in first.content.decode()
    # The page deleted what told it: opened again (a second person at the same computer), it
    # says nothing of the address.
    assert first.cookies[SENT_TO_COOKIE].value == ""
    again = client.get(response["Location"])
    assert "aigul@example.org" not in again.content.decode()
    from django.test import Client

    stranger = Client().get(response["Location"])
    assert stranger.status_code == 200 and "aigul@example.org" not in stranger.content.decode()


def test_the_address_travels_in_a_signed_cookie_for_that_one_page(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(email="aigul@example.org"))
    cookie = response.cookies[SENT_TO_COOKIE]
    assert cookie["path"] == reverse("petitions:check_email", args=[petition.slug])
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) <= 600
    # A forged cookie names nothing.
    client.cookies[SENT_TO_COOKIE] = "someone@else.example"
    page = client.get(reverse("petitions:check_email", args=[petition.slug])).content.decode()
    assert "someone@else.example" not in page


@pytest.mark.parametrize(
    ("language", "said"),
    [("", "We sent it to"), ("ru", "Мы отправили его на адрес"), ("kk", "Біз оны мына мекенжайға жібердік")],
)
def test_the_address_is_named_in_each_language(client, make_petition, sign_data, language, said):
    petition = make_petition()
    prefix = f"/{language}" if language else ""
    response = client.post(f"{prefix}{reverse('petitions:sign', args=[petition.slug])}", sign_data())
    page = client.get(response["Location"]).content.decode()
    assert said in page and "aigul@example.org" in page


def test_a_bot_caught_by_a_trap_gets_the_same_page(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Signature.objects.count() == 0
    # It is told only what it typed itself.
    assert "aigul@example.org" in client.get(response["Location"]).content.decode()


# A comment over its limit ---------------------------------------------------------------


def test_a_comment_over_its_limit_is_refused_with_its_length_and_never_cut(client, make_petition, sign_data, sign):
    petition = make_petition()
    comment = ("Solidarity with the oil workers of Zhanaozen! " * 25).strip()  # 1,149 characters
    response = sign(petition, sign_data(comment=comment))
    assert response.status_code == 400
    [error] = response.context["form"].errors["comment"]
    assert error == (
        f"This is {len(comment)} characters long, and the limit is 1000. Please shorten it: nothing has been cut."
    )
    # The whole text comes back to be shortened, and the browser is not told to cut it.
    page = response.content.decode()
    assert comment in page
    assert 'maxlength="1000"' not in page
    assert Signature.objects.count() == 0


def test_a_line_break_counts_as_one_character(make_petition, sign_data):
    text = "a\r\n" * 333 + "a"  # 1,000 characters once each break is one
    form = SignatureForm(sign_data(comment=text), petition=make_petition())
    form.is_valid()
    assert "comment" not in form.errors
    assert form.cleaned_data["comment"] == text.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("language", "said"),
    [("ru", "Символов: 1001, а можно не больше 1000"), ("kk", "Мұнда 1001 таңба, ал шегі — 1000")],
)
def test_the_comment_limit_is_explained_in_each_language(client, make_petition, sign_data, language, said):
    petition = make_petition()
    url = f"/{language}{reverse('petitions:sign', args=[petition.slug])}"
    page = client.post(url, sign_data(comment="x" * 1001)).content.decode()
    assert said in page
