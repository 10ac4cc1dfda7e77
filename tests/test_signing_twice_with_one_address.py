import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from petitions.models import Signature
from petitions.services import email_fingerprint, normalise_email

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("Aigul@Example.org", "aigul@example.org"),
        (" aigul+petitions@example.org ", "aigul@example.org"),
        ("a.i.g.u.l@gmail.com", "aigul@gmail.com"),
        ("AIGUL+x@googlemail.com", "aigul@gmail.com"),
    ],
)
def test_addresses_are_normalised_as_mail_providers_do(typed, same_as):
    assert normalise_email(typed) == same_as
    assert email_fingerprint(typed) == email_fingerprint(same_as)


def test_dots_count_outside_gmail():
    assert normalise_email("a.b@example.org") != normalise_email("ab@example.org")


def test_the_address_is_kept_only_as_a_keyed_hash_and_never_in_the_hash_in_the_clear(settings):
    fingerprint = email_fingerprint("aigul@example.org")
    assert "aigul" not in fingerprint and len(fingerprint) == 64
    settings.SIGNATURE_HASH_KEY = "another key"
    assert email_fingerprint("aigul@example.org") != fingerprint


def responses_alike(first, second):
    """Two responses a stranger could compare: status, where they lead, what they say."""
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    return (
        first.status_code == second.status_code
        and first.get("Location") == second.get("Location")
        and strip.sub("", first.content.decode()) == strip.sub("", second.content.decode())
    )


def test_signing_again_counts_once_and_looks_exactly_like_a_first_signature(make_petition, sign_data, sign, client):
    petition = make_petition()
    first = sign(petition, sign_data(email="aigul@gmail.com"))
    again = sign(petition, sign_data(email="A.igul+again@gmail.com", name="Someone Else"))
    stranger = sign(petition, sign_data(email="never-signed@example.org"))
    assert responses_alike(first, again) and responses_alike(first, stranger)
    assert Signature.objects.filter(petition=petition).count() == 2
    assert Signature.objects.get(email_hash=email_fingerprint("aigul@gmail.com")).name == "Aigul Example"


def test_a_fresh_confirmation_mail_goes_at_most_once_every_few_minutes(make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    sign(petition, sign_data())
    assert len(mail.outbox) == 1
    Signature.objects.update(mailed_at=timezone.now() - datetime.timedelta(minutes=6))
    sign(petition, sign_data(email="AIGUL@example.org"))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["AIGUL@example.org"] and "/petitions/confirm/" in mail.outbox[1].body


def test_a_confirmed_signer_who_signs_again_is_told_by_mail_only(make_petition, sign_data, sign, client):
    petition = make_petition()
    sign(petition, sign_data())
    confirm = re.search(r"(/petitions/confirm/[^\s]+)", mail.outbox[0].body).group(1)
    client.post(confirm)
    Signature.objects.update(mailed_at=timezone.now() - datetime.timedelta(minutes=6))
    sign(petition, sign_data())
    assert len(mail.outbox) == 2
    assert "already signed" in mail.outbox[1].body and "/petitions/confirm/" not in mail.outbox[1].body
    assert "/petitions/withdraw/" in mail.outbox[1].body
    assert petition.confirmed_count() == 1


def test_one_address_may_sign_different_petitions(make_petition, sign_data, sign):
    first, second = make_petition(), make_petition()
    sign(first, sign_data())
    sign(second, sign_data())
    assert Signature.objects.count() == 2 and len(mail.outbox) == 2


def test_signing_again_does_the_same_work_whether_or_not_a_mail_goes_out(make_petition, sign_data, sign):
    # An address mailed in the last minutes answered faster than one that was
    # not, telling a stranger it had signed. The request's work is now the same.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from petitions import services
    from petitions.forms import SignatureForm

    petition = make_petition()
    sign(petition, sign_data(email="recent@example.org"))
    sign(petition, sign_data(email="earlier@example.org"))
    Signature.objects.filter(email_hash=email_fingerprint("earlier@example.org")).update(
        mailed_at=timezone.now() - datetime.timedelta(hours=1)
    )

    def queries_to_sign_again(address):
        form = SignatureForm(sign_data(email=address), petition=petition)
        assert form.is_valid()
        with CaptureQueriesContext(connection) as queries:
            services.sign(petition, form.cleaned_data)
        return [query["sql"].split()[0] for query in queries]

    recent, earlier = queries_to_sign_again("recent@example.org"), queries_to_sign_again("earlier@example.org")
    assert recent == earlier and recent
