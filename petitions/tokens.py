"""The links mailed to signers (confirm, withdraw, stop updates): a signed token that
names the signature, its nonce and what the link is for. Nothing is stored: the token is
the proof, and a link stops working once its signature is gone."""

import re

from django.conf import settings
from django.core import signing

from lib import crypto

from .models import Signature

TOKEN_SALT = "petitions.signature"
# What Signature.nonce holds (secrets.token_urlsafe, or the demo's "demo3"): anything else
# never names a signature, and some of it (a NUL) PostgreSQL refuses even to compare.
NONCE = re.compile(r"[A-Za-z0-9_-]{1,22}")


def make_token(signature, purpose):
    return signing.dumps([signature.pk, signature.nonce, purpose], salt=TOKEN_SALT, compress=False)


class BadToken(Exception):
    """The link is damaged or forged."""


class ExpiredToken(Exception):
    """The link was genuine but is too old."""


def signature_from_token(token, purpose, max_age=None):
    """The signature a mailed link stands for, or None when it no longer exists."""
    try:
        pk, nonce, token_purpose = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken from error
    # Signed with our key is not the same as well-formed: a key that leaked, or a token made
    # for another purpose by a future version, must be refused, not crash the lookup.
    if token_purpose != purpose or type(pk) is not int or not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
        raise BadToken
    return Signature.objects.select_related("petition").filter(pk=pk, nonce=nonce).first()


def confirm_link_max_age():
    return settings.CONFIRM_LINK_DAYS * 24 * 3600


# "Forget me everywhere": the link names an address, not a signature (it may have none),
# encrypted, so that the link in a mailbox or a proxy's log shows no address either.
FORGET_SALT = "petitions.forget-everywhere"


def make_forget_token(address):
    return signing.dumps(crypto.encrypt(address), salt=FORGET_SALT, compress=False)


def address_from_forget_token(token):
    try:
        sealed = signing.loads(token, salt=FORGET_SALT, max_age=confirm_link_max_age())
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken from error
    if not isinstance(sealed, str):
        raise BadToken
    try:
        return crypto.decrypt(sealed)
    except crypto.UnreadableData as error:
        raise BadToken from error
