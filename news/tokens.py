"""The links mailed to a case's subscribers (confirm, stop): a signed token that names the
subscriber, its nonce and what the link is for, as for signatures (petitions/tokens.py).
Nothing is stored: the token is the proof, and a link stops working once its subscriber is gone."""

from django.core import signing

from petitions.tokens import NONCE, BadToken, ExpiredToken

from .models import Subscriber

TOKEN_SALT = "news.subscriber"

__all__ = ["BadToken", "ExpiredToken", "make_token", "subscriber_from_token"]


def make_token(subscriber, purpose):
    return signing.dumps([subscriber.pk, subscriber.nonce, purpose], salt=TOKEN_SALT, compress=False)


def subscriber_from_token(token, purpose, max_age=None):
    """The subscriber a mailed link stands for, or None when it no longer exists."""
    try:
        pk, nonce, token_purpose = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken from error
    if token_purpose != purpose or type(pk) is not int or not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
        raise BadToken
    return Subscriber.objects.select_related("prisoner").filter(pk=pk, nonce=nonce).first()
